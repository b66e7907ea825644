//! The loss spec grammar shared by the CLI, the page and share links:
//!
//! ```text
//! spec  := term ('+' term)*
//! term  := [number '*'] name ['(' [param (',' param)*] ')']
//! param := key '=' value
//! ```
//!
//! e.g. `bce`, `focal(gamma=2)`, `0.5*bce+0.5*dice(per_image=false)`. `Display` prints the canonical
//! form: coefficient 1 and parameters at their default are omitted, so equal losses print equally.
//!
//! Errors quote at most one piece of the user's text, cut to 40 characters: the offending name,
//! key or value if there is one, else the spec.

use super::params::{BIG, Params, number, quote};
use super::{LOSS_NAMES, Loss, LossSpec, Term};
use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

impl Loss {
    /// The loss `name` with every parameter at its default.
    pub fn default_of(name: &str) -> Result<Loss> {
        Loss::read(name, &[])
    }

    /// Builds the loss `name` from `key=value` pairs, validating every value.
    fn read(name: &str, pairs: &[(&str, &str)]) -> Result<Loss> {
        let name = family_name(name)?;
        let mut params = Params::new(name, pairs)?;
        let loss = Loss::read_family(name, &mut params).expect("LOSS_NAMES lists the families")?;
        params.finish()?;
        Ok(loss)
    }
}

/// `name` if a family has it.
fn family_name(name: &str) -> Result<&'static str> {
    match LOSS_NAMES.iter().find(|n| **n == name) {
        Some(name) => Ok(name),
        None => crate::bail!(
            "unknown loss {}; expected one of {}",
            quote(name),
            LOSS_NAMES.join(", ")
        ),
    }
}

impl fmt::Display for Loss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let defaults = Loss::default_of(self.name())
            .map_err(|_| fmt::Error)?
            .pairs();
        let changed: Vec<String> = self
            .pairs()
            .into_iter()
            .filter(|pair| !defaults.contains(pair))
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
        f.write_str(self.name())?;
        if !changed.is_empty() {
            write!(f, "({})", changed.join(","))?;
        }
        Ok(())
    }
}

impl fmt::Display for LossSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, term) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str("+")?;
            }
            if term.coefficient != 1.0 {
                write!(f, "{}*", number(term.coefficient))?;
            }
            write!(f, "{}", term.loss)?;
        }
        Ok(())
    }
}

impl FromStr for LossSpec {
    type Err = Error;

    fn from_str(text: &str) -> Result<LossSpec> {
        Parser { text, pos: 0 }.spec().map_err(|e| match e {
            Failure::Token(message) => Error(format!("bad loss spec: {message}")),
            Failure::Structure(message) => {
                Error(format!("bad loss spec {}: {message}", quote(text)))
            }
        })
    }
}

/// Why parsing stopped: at a name, coefficient, key or value that the message quotes, or at the
/// structure of the spec (which the message then quotes).
enum Failure {
    Token(String),
    Structure(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Token(e.0)
    }
}

type Parsed<T> = std::result::Result<T, Failure>;

/// Recursive descent over the spec text; `pos` is a byte offset (the grammar is ASCII).
struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn spec(&mut self) -> Parsed<LossSpec> {
        let mut terms = vec![self.term()?];
        while self.eat('+') {
            terms.push(self.term()?);
        }
        self.skip_space();
        if let Some(c) = self.peek() {
            return Err(Failure::Structure(format!(
                "unexpected '{c}' at position {}; terms are joined with '+'",
                self.pos
            )));
        }
        Ok(LossSpec { terms })
    }

    fn term(&mut self) -> Parsed<Term> {
        self.skip_space();
        let mut coefficient = 1.0;
        if self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
            let token = self.take_while(|c| c != '*' && c != '+' && c != '(').trim();
            if !self.eat('*') {
                return Err(Failure::Token(format!(
                    "expected '*' after the coefficient {}",
                    quote(token)
                )));
            }
            coefficient = token
                .parse::<f64>()
                .ok()
                .filter(|c| c.is_finite() && *c > 0.0 && *c <= BIG)
                .ok_or_else(|| {
                    Failure::Token(format!(
                        "coefficient {} must be a number in (0, {}]",
                        quote(token),
                        number(BIG)
                    ))
                })?;
        }
        self.skip_space();
        let name = self.take_while(|c| c.is_ascii_alphanumeric() || c == '_');
        if name.is_empty() {
            let problem = match self.peek() {
                Some(c) => format!("expected a loss name at position {}, found '{c}'", self.pos),
                None => "expected a loss name at the end".to_string(),
            };
            return Err(Failure::Structure(problem));
        }
        // The name first: an unknown name is the error to report, whatever its parameters.
        let name = family_name(name)?;
        let mut pairs = vec![];
        if self.eat('(') {
            self.skip_space();
            if !self.eat(')') {
                loop {
                    let key = self.take_while(|c| c != '=' && c != ',' && c != ')').trim();
                    if !self.eat('=') {
                        return Err(Failure::Token(format!(
                            "{name}: expected key=value, found {}",
                            quote(key)
                        )));
                    }
                    let value = self.take_while(|c| c != ',' && c != ')').trim();
                    pairs.push((key, value));
                    if self.eat(')') {
                        break;
                    }
                    if !self.eat(',') {
                        return Err(Failure::Structure(format!("{name}: missing ')'")));
                    }
                }
            }
        }
        Ok(Term {
            coefficient,
            loss: Loss::read(name, &pairs)?,
        })
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn skip_space(&mut self) {
        self.take_while(char::is_whitespace);
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let rest = &self.text[self.pos..];
        let len = rest.find(|c: char| !keep(c)).unwrap_or(rest.len());
        self.pos += len;
        &rest[..len]
    }
}
