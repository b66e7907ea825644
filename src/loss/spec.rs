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

use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// A weighted sum of loss terms, evaluated in order.
#[derive(Debug, Clone, PartialEq)]
pub struct LossSpec {
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub coefficient: f64,
    pub loss: Loss,
}

/// One loss with its parameters, spelled as in the spec string.
#[derive(Debug, Clone, PartialEq)]
pub enum Loss {
    Bce(Bce),
    Wbce(Wbce),
    Ce(Ce),
    Dice(Dice),
    Gdice(Gdice),
    Jaccard(Jaccard),
    Tversky(Tversky),
    /// `tversky` under another name, with defaults alpha=0.7, beta=0.3, gamma=0.75.
    FocalTversky(Tversky),
    Focal(Focal),
    Lovasz(Lovasz),
    Mse,
}

/// Every loss name the grammar accepts, in catalogue order.
pub const LOSS_NAMES: [&str; 11] = [
    "bce",
    "wbce",
    "ce",
    "dice",
    "gdice",
    "jaccard",
    "tversky",
    "focal_tversky",
    "focal",
    "lovasz",
    "mse",
];

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bce {
    pub pos_weight: f64,
    pub label_smoothing: f64,
}

/// Where class frequencies are counted: each image alone, the whole batch, or the dataset
/// (`LossContext::from_masks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Image,
    Batch,
    Dataset,
}

/// Class weights derived from class frequencies (see `weights::class_weights`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassWeighting {
    InverseFrequency,
    MedianFrequency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightMap {
    Class(ClassWeighting),
    /// Inverse-frequency class weights plus U-Net's border term between touching objects.
    UnetBorder,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Norm {
    /// Σ w·ℓ / N.
    Mean,
    /// Σ w·ℓ / Σ w.
    WeightedMean,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wbce {
    pub weights: WeightMap,
    pub scope: Scope,
    pub norm: Norm,
    pub w0: f64,
    pub sigma: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CeWeights {
    None,
    Class(ClassWeighting),
    /// [w_bg, w_fg]
    Manual([f64; 2]),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ce {
    pub weights: CeWeights,
    pub scope: Scope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiceClasses {
    Fg,
    /// "Inverse" Dice: the Dice of the background.
    Bg,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dice {
    pub smooth: f64,
    pub per_image: bool,
    pub squared: bool,
    pub log: bool,
    pub classes: DiceClasses,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GdiceWeight {
    Square,
    Simple,
    Uniform,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gdice {
    pub w_type: GdiceWeight,
    pub smooth: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Jaccard {
    pub smooth: f64,
    pub per_image: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tversky {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub smooth: f64,
    pub per_image: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Focal {
    pub gamma: f64,
    pub alpha: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lovasz {
    pub per_image: bool,
}

const SCOPES: [(&str, Scope); 3] = [
    ("image", Scope::Image),
    ("batch", Scope::Batch),
    ("dataset", Scope::Dataset),
];
const NORMS: [(&str, Norm); 2] = [("mean", Norm::Mean), ("weighted_mean", Norm::WeightedMean)];
const WBCE_WEIGHTS: [(&str, WeightMap); 3] = [
    (
        "inverse_frequency",
        WeightMap::Class(ClassWeighting::InverseFrequency),
    ),
    (
        "median_frequency",
        WeightMap::Class(ClassWeighting::MedianFrequency),
    ),
    ("unet_border", WeightMap::UnetBorder),
];
/// `manual` carries its numbers in w_bg / w_fg, filled in after the choice is read.
const CE_WEIGHTS: [(&str, CeWeights); 4] = [
    ("none", CeWeights::None),
    (
        "inverse_frequency",
        CeWeights::Class(ClassWeighting::InverseFrequency),
    ),
    (
        "median_frequency",
        CeWeights::Class(ClassWeighting::MedianFrequency),
    ),
    ("manual", CeWeights::Manual([1.0, 1.0])),
];
const DICE_CLASSES: [(&str, DiceClasses); 3] = [
    ("fg", DiceClasses::Fg),
    ("bg", DiceClasses::Bg),
    ("both", DiceClasses::Both),
];
const GDICE_WEIGHTS: [(&str, GdiceWeight); 3] = [
    ("square", GdiceWeight::Square),
    ("simple", GdiceWeight::Simple),
    ("uniform", GdiceWeight::Uniform),
];

/// Largest coefficient or weight accepted: beyond it a loss is a typo, not a choice.
const BIG: f64 = 1e6;
/// Characters of user text an error message quotes at most.
const QUOTE_MAX: usize = 40;
const SMOOTH_MAX: f64 = 1e3;
const DEFAULT_SMOOTH: f64 = 1e-5;

impl Loss {
    pub fn name(&self) -> &'static str {
        match self {
            Loss::Bce(_) => "bce",
            Loss::Wbce(_) => "wbce",
            Loss::Ce(_) => "ce",
            Loss::Dice(_) => "dice",
            Loss::Gdice(_) => "gdice",
            Loss::Jaccard(_) => "jaccard",
            Loss::Tversky(_) => "tversky",
            Loss::FocalTversky(_) => "focal_tversky",
            Loss::Focal(_) => "focal",
            Loss::Lovasz(_) => "lovasz",
            Loss::Mse => "mse",
        }
    }

    /// The loss `name` with every parameter at its default.
    pub fn default_of(name: &str) -> Result<Loss> {
        Loss::parse(name, &[])
    }

    /// Builds the loss `name` from `key=value` pairs, validating every value.
    fn parse(name: &str, pairs: &[(&str, &str)]) -> Result<Loss> {
        let mut args = Reader::new(name, pairs)?;
        let loss = match name {
            "bce" => Loss::Bce(Bce {
                pos_weight: args.number("pos_weight", 1.0, Bound::Open(0.0), BIG)?,
                label_smoothing: args.number("label_smoothing", 0.0, Bound::Closed(0.0), 1.0)?,
            }),
            "wbce" => {
                let weights = args.choice(
                    "weights",
                    WeightMap::Class(ClassWeighting::InverseFrequency),
                    &WBCE_WEIGHTS,
                )?;
                let scope = args.choice("scope", Scope::Batch, &SCOPES)?;
                let norm = args.choice("norm", Norm::WeightedMean, &NORMS)?;
                if weights != WeightMap::UnetBorder {
                    args.forbid(&["w0", "sigma"], "weights=unet_border")?;
                }
                let w0 = args.number("w0", 10.0, Bound::Closed(0.0), 1e3)?;
                let sigma = args.number("sigma", 5.0, Bound::Open(0.0), 1e3)?;
                Loss::Wbce(Wbce {
                    weights,
                    scope,
                    norm,
                    w0,
                    sigma,
                })
            }
            "ce" => {
                let mut weights = args.choice("weights", CeWeights::None, &CE_WEIGHTS)?;
                match weights {
                    CeWeights::Manual(_) => {
                        args.forbid(&["scope"], "weights=inverse_frequency or median_frequency")?;
                        weights = CeWeights::Manual([
                            args.number("w_bg", 1.0, Bound::Open(0.0), BIG)?,
                            args.number("w_fg", 1.0, Bound::Open(0.0), BIG)?,
                        ]);
                    }
                    CeWeights::None => {
                        args.forbid(&["w_bg", "w_fg"], "weights=manual")?;
                        args.forbid(&["scope"], "weights=inverse_frequency or median_frequency")?;
                    }
                    CeWeights::Class(_) => args.forbid(&["w_bg", "w_fg"], "weights=manual")?,
                }
                let scope = args.choice("scope", Scope::Batch, &SCOPES)?;
                Loss::Ce(Ce { weights, scope })
            }
            "dice" => Loss::Dice(Dice {
                smooth: args.number("smooth", DEFAULT_SMOOTH, Bound::Closed(0.0), SMOOTH_MAX)?,
                per_image: args.flag("per_image", true)?,
                squared: args.flag("squared", false)?,
                log: args.flag("log", false)?,
                classes: args.choice("classes", DiceClasses::Fg, &DICE_CLASSES)?,
            }),
            "gdice" => Loss::Gdice(Gdice {
                w_type: args.choice("w_type", GdiceWeight::Square, &GDICE_WEIGHTS)?,
                smooth: args.number("smooth", DEFAULT_SMOOTH, Bound::Closed(0.0), SMOOTH_MAX)?,
            }),
            "jaccard" => Loss::Jaccard(Jaccard {
                smooth: args.number("smooth", DEFAULT_SMOOTH, Bound::Closed(0.0), SMOOTH_MAX)?,
                per_image: args.flag("per_image", true)?,
            }),
            "tversky" => Loss::Tversky(args.tversky([0.5, 0.5, 1.0])?),
            "focal_tversky" => Loss::FocalTversky(args.tversky([0.7, 0.3, 0.75])?),
            "focal" => Loss::Focal(Focal {
                gamma: args.number("gamma", 2.0, Bound::Closed(0.0), 10.0)?,
                alpha: args.optional_number("alpha", Bound::Closed(0.0), 1.0)?,
            }),
            "lovasz" => Loss::Lovasz(Lovasz {
                per_image: args.flag("per_image", true)?,
            }),
            "mse" => Loss::Mse,
            _ => unreachable!("Reader::new accepts only LOSS_NAMES"),
        };
        args.finish()?;
        Ok(loss)
    }

    /// Every parameter as (key, canonical value), defaults included.
    pub(crate) fn pairs(&self) -> Vec<(&'static str, String)> {
        fn pick<T: PartialEq>(options: &[(&'static str, T)], value: &T) -> String {
            let found = options.iter().find(|(_, v)| v == value);
            found.map_or("?", |(name, _)| name).to_string()
        }
        match self {
            Loss::Bce(b) => vec![
                ("pos_weight", number(b.pos_weight)),
                ("label_smoothing", number(b.label_smoothing)),
            ],
            Loss::Wbce(w) => vec![
                ("weights", pick(&WBCE_WEIGHTS, &w.weights)),
                ("scope", pick(&SCOPES, &w.scope)),
                ("norm", pick(&NORMS, &w.norm)),
                ("w0", number(w.w0)),
                ("sigma", number(w.sigma)),
            ],
            Loss::Ce(c) => {
                let mut pairs = vec![];
                match c.weights {
                    CeWeights::None => pairs.push(("weights", "none".to_string())),
                    CeWeights::Class(kind) => {
                        pairs.push(("weights", pick(&CE_WEIGHTS, &CeWeights::Class(kind))))
                    }
                    CeWeights::Manual([w_bg, w_fg]) => {
                        // w_bg / w_fg exist only with manual, so their default 1 is omitted here.
                        pairs.push(("weights", "manual".to_string()));
                        for (key, w) in [("w_bg", w_bg), ("w_fg", w_fg)] {
                            if w != 1.0 {
                                pairs.push((key, number(w)));
                            }
                        }
                    }
                }
                pairs.push(("scope", pick(&SCOPES, &c.scope)));
                pairs
            }
            Loss::Dice(d) => vec![
                ("smooth", number(d.smooth)),
                ("per_image", d.per_image.to_string()),
                ("squared", d.squared.to_string()),
                ("log", d.log.to_string()),
                ("classes", pick(&DICE_CLASSES, &d.classes)),
            ],
            Loss::Gdice(g) => vec![
                ("w_type", pick(&GDICE_WEIGHTS, &g.w_type)),
                ("smooth", number(g.smooth)),
            ],
            Loss::Jaccard(j) => vec![
                ("smooth", number(j.smooth)),
                ("per_image", j.per_image.to_string()),
            ],
            Loss::Tversky(t) | Loss::FocalTversky(t) => vec![
                ("alpha", number(t.alpha)),
                ("beta", number(t.beta)),
                ("gamma", number(t.gamma)),
                ("smooth", number(t.smooth)),
                ("per_image", t.per_image.to_string()),
            ],
            Loss::Focal(f) => vec![
                ("gamma", number(f.gamma)),
                ("alpha", f.alpha.map_or("none".to_string(), number)),
            ],
            Loss::Lovasz(l) => vec![("per_image", l.per_image.to_string())],
            Loss::Mse => vec![],
        }
    }
}

/// Shortest text that parses back to the same f64; scientific notation for tiny or huge values.
pub fn number(v: f64) -> String {
    if v != 0.0 && !(1e-3..1e6).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// User text as an error shows it: whole up to `QUOTE_MAX` characters, else cut with an ellipsis,
/// so that a pasted 10,000-character spec does not flood the message.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(QUOTE_MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// `excerpt` in double quotes.
fn quote(text: &str) -> String {
    format!("\"{}\"", excerpt(text))
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

impl From<Loss> for LossSpec {
    fn from(loss: Loss) -> LossSpec {
        LossSpec {
            terms: vec![Term {
                coefficient: 1.0,
                loss,
            }],
        }
    }
}

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
            loss: Loss::parse(name, &pairs)?,
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

enum Bound {
    Open(f64),
    Closed(f64),
}

/// Reads a loss's parameters by key, validating each; `finish` rejects keys nobody asked for.
struct Reader<'s> {
    loss: &'static str,
    pairs: Vec<(&'s str, &'s str)>,
    used: Vec<bool>,
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

impl<'s> Reader<'s> {
    fn new(name: &str, pairs: &[(&'s str, &'s str)]) -> Result<Self> {
        let loss = family_name(name)?;
        for (i, (key, _)) in pairs.iter().enumerate() {
            if pairs[..i].iter().any(|(k, _)| k == key) {
                crate::bail!("{loss}: parameter {} is given twice", quote(key));
            }
        }
        Ok(Reader {
            loss,
            pairs: pairs.to_vec(),
            used: vec![false; pairs.len()],
        })
    }

    fn take(&mut self, key: &str) -> Option<&'s str> {
        let i = self.pairs.iter().position(|(k, _)| *k == key)?;
        self.used[i] = true;
        Some(self.pairs[i].1)
    }

    fn number(&mut self, key: &str, default: f64, low: Bound, high: f64) -> Result<f64> {
        let Some(text) = self.take(key) else {
            return Ok(default);
        };
        let (low_value, low_ok): (f64, fn(f64, f64) -> bool) = match low {
            Bound::Open(v) => (v, |x, v| x > v),
            Bound::Closed(v) => (v, |x, v| x >= v),
        };
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() && low_ok(x, low_value) && x <= high => Ok(x),
            _ => {
                let bracket = if matches!(low, Bound::Open(_)) {
                    '('
                } else {
                    '['
                };
                crate::bail!(
                    "{}: {key}={} is not allowed; expected a number in {bracket}{}, {}]",
                    self.loss,
                    excerpt(text),
                    number(low_value),
                    number(high)
                )
            }
        }
    }

    /// A number, or `none` for "not set".
    fn optional_number(&mut self, key: &str, low: Bound, high: f64) -> Result<Option<f64>> {
        match self.take(key) {
            None | Some("none") => Ok(None),
            Some(text) => {
                let pair = [(key, text)];
                let mut inner = Reader {
                    loss: self.loss,
                    pairs: pair.to_vec(),
                    used: vec![false],
                };
                inner
                    .number(key, 0.0, low, high)
                    .map(Some)
                    .map_err(|e| Error(format!("{e} or none")))
            }
        }
    }

    fn flag(&mut self, key: &str, default: bool) -> Result<bool> {
        match self.take(key) {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(text) => crate::bail!(
                "{}: {key}={} is not allowed; expected true or false",
                self.loss,
                excerpt(text)
            ),
        }
    }

    fn choice<T: Copy>(&mut self, key: &str, default: T, options: &[(&str, T)]) -> Result<T> {
        let Some(text) = self.take(key) else {
            return Ok(default);
        };
        match options.iter().find(|(name, _)| *name == text) {
            Some((_, value)) => Ok(*value),
            None => {
                let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
                crate::bail!(
                    "{}: {key}={} is not allowed; expected one of {}",
                    self.loss,
                    excerpt(text),
                    names.join(", ")
                )
            }
        }
    }

    /// Parameters that only mean something together with another setting.
    fn forbid(&mut self, keys: &[&str], needs: &str) -> Result<()> {
        for key in keys {
            if self.pairs.iter().any(|(k, _)| k == key) {
                crate::bail!("{}: {key} applies only with {needs}", self.loss);
            }
        }
        Ok(())
    }

    fn tversky(&mut self, [alpha, beta, gamma]: [f64; 3]) -> Result<Tversky> {
        Ok(Tversky {
            alpha: self.number("alpha", alpha, Bound::Closed(0.0), 1e3)?,
            beta: self.number("beta", beta, Bound::Closed(0.0), 1e3)?,
            gamma: self.number("gamma", gamma, Bound::Open(0.0), 10.0)?,
            smooth: self.number("smooth", DEFAULT_SMOOTH, Bound::Closed(0.0), SMOOTH_MAX)?,
            per_image: self.flag("per_image", true)?,
        })
    }

    fn finish(self) -> Result<()> {
        let unknown = self.pairs.iter().zip(&self.used).find(|(_, used)| !**used);
        if let Some(((key, _), _)) = unknown {
            let valid = Loss::default_of(self.loss)
                .map(|l| l.pairs().into_iter().map(|(k, _)| k).collect::<Vec<_>>())
                .unwrap_or_default();
            let valid = match self.loss {
                "ce" => vec!["weights", "w_bg", "w_fg", "scope"],
                _ if valid.is_empty() => {
                    crate::bail!("{}: takes no parameters, got {}", self.loss, quote(key))
                }
                _ => valid,
            };
            crate::bail!(
                "{}: unknown parameter {}; expected one of {}",
                self.loss,
                quote(key),
                valid.join(", ")
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<LossSpec> {
        text.parse()
    }

    #[test]
    fn canonical_form_omits_defaults_and_round_trips() {
        let cases = [
            ("bce", "bce"),
            (" bce ( ) ", "bce"),
            ("focal(gamma=2)", "focal"),
            (
                "focal(gamma=0.5, alpha=0.25)",
                "focal(gamma=0.5,alpha=0.25)",
            ),
            ("0.5*bce+0.5*dice", "0.5*bce+0.5*dice"),
            (
                "1*dice(smooth=1e-5,per_image=false)",
                "dice(per_image=false)",
            ),
            ("dice(smooth=0.00000001)", "dice(smooth=1e-8)"),
            ("ce(weights=manual,w_fg=9)", "ce(weights=manual,w_fg=9)"),
            (
                "ce(weights=inverse_frequency,scope=image)",
                "ce(weights=inverse_frequency,scope=image)",
            ),
            (
                "wbce(weights=unet_border,w0=5)",
                "wbce(weights=unet_border,w0=5)",
            ),
            ("focal_tversky(alpha=0.7)", "focal_tversky"),
            (
                "tversky(alpha=0.7,beta=0.3,gamma=0.75)",
                "tversky(alpha=0.7,beta=0.3,gamma=0.75)",
            ),
            (
                "2.5e-1*mse + lovasz(per_image=false)",
                "0.25*mse+lovasz(per_image=false)",
            ),
        ];
        for (input, canonical) in cases {
            let spec = parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(spec.to_string(), canonical, "{input}");
            assert_eq!(parse(canonical).unwrap(), spec, "{canonical}");
        }
    }

    /// A message quotes the offending name, key or value if there is one, else the spec: never both.
    #[test]
    fn errors_name_the_offending_token_and_the_choices() {
        let cases = [
            ("", "bad loss spec \"\": expected a loss name at the end"),
            (
                "foo",
                "bad loss spec: unknown loss \"foo\"; expected one of bce, wbce, ce",
            ),
            (
                "foo(bar)",
                "bad loss spec: unknown loss \"foo\"; expected one of bce, wbce, ce",
            ),
            (
                "dice(smooth=-1)",
                "bad loss spec: dice: smooth=-1 is not allowed; expected a number in [0, 1000]",
            ),
            (
                "dice(smooth=nan)",
                "bad loss spec: dice: smooth=nan is not allowed",
            ),
            (
                "focal(gamma=abc)",
                "bad loss spec: focal: gamma=abc is not allowed; expected a number in [0, 10]",
            ),
            (
                "focal(alpha=2)",
                "bad loss spec: focal: alpha=2 is not allowed; expected a number in [0, 1] or none",
            ),
            (
                "dice(per_image=yes)",
                "bad loss spec: dice: per_image=yes is not allowed; expected true or false",
            ),
            (
                "dice(classes=all)",
                "bad loss spec: dice: classes=all is not allowed; expected one of fg, bg, both",
            ),
            (
                "dice(foo=1)",
                "bad loss spec: dice: unknown parameter \"foo\"; expected one of smooth, per_image, squared, log, classes",
            ),
            (
                "ce(foo=1)",
                "bad loss spec: ce: unknown parameter \"foo\"; expected one of weights, w_bg, w_fg, scope",
            ),
            (
                "mse(x=1)",
                "bad loss spec: mse: takes no parameters, got \"x\"",
            ),
            (
                "dice(smooth=1,smooth=2)",
                "bad loss spec: dice: parameter \"smooth\" is given twice",
            ),
            (
                "bce+",
                "bad loss spec \"bce+\": expected a loss name at the end",
            ),
            (
                "0.5 bce",
                "bad loss spec: expected '*' after the coefficient \"0.5 bce\"",
            ),
            (
                "-1*bce",
                "bad loss spec \"-1*bce\": expected a loss name at position 0, found '-'",
            ),
            (
                "0*bce",
                "bad loss spec: coefficient \"0\" must be a number in (0, 1e6]",
            ),
            (
                "bce(pos_weight=0)",
                "bad loss spec: bce: pos_weight=0 is not allowed; expected a number in (0, 1e6]",
            ),
            (
                "dice(smooth)",
                "bad loss spec: dice: expected key=value, found \"smooth\"",
            ),
            (
                "dice(smooth=1",
                "bad loss spec \"dice(smooth=1\": dice: missing ')'",
            ),
            (
                "bce)",
                "bad loss spec \"bce)\": unexpected ')' at position 3; terms are joined with '+'",
            ),
            (
                "ce(w_fg=2)",
                "bad loss spec: ce: w_fg applies only with weights=manual",
            ),
            (
                "wbce(sigma=2)",
                "bad loss spec: wbce: sigma applies only with weights=unet_border",
            ),
            (
                "ce(weights=manual,scope=image)",
                "bad loss spec: ce: scope applies only with weights=inverse_frequency or median_frequency",
            ),
        ];
        for (input, expected) in cases {
            let message = parse(input).unwrap_err().0;
            assert!(message.starts_with(expected), "{input}: got {message}");
        }
    }

    /// Issue 15: a 10,000-character spec was echoed whole, twice when the offending token was most
    /// of it (a long name, coefficient, key or value), and once more by `segloss run`.
    #[test]
    fn long_user_text_is_cut_to_40_characters_and_quoted_once() {
        let long = |c: &str| c.repeat(10_000);
        let cases = [
            // The token is the whole spec: these were echoed twice.
            (long("x"), format!("unknown loss \"{}…\"", "x".repeat(40))),
            (
                long("1"),
                format!("expected '*' after the coefficient \"{}…\"", "1".repeat(40)),
            ),
            (
                format!("{}*bce", long("9")),
                format!("coefficient \"{}…\" must be", "9".repeat(40)),
            ),
            (
                format!("dice(smooth={})", long("9")),
                format!("dice: smooth={}… is not allowed", "9".repeat(40)),
            ),
            (
                format!("dice(per_image={})", long("t")),
                format!("dice: per_image={}… is not allowed", "t".repeat(40)),
            ),
            (
                format!("dice(classes={})", long("f")),
                format!("dice: classes={}… is not allowed", "f".repeat(40)),
            ),
            (
                format!("focal(alpha={})", long("5")),
                format!("focal: alpha={}… is not allowed", "5".repeat(40)),
            ),
            (
                format!("dice({}=1)", long("k")),
                format!("dice: unknown parameter \"{}…\"", "k".repeat(40)),
            ),
            (
                format!("dice({})", long("k")),
                format!("dice: expected key=value, found \"{}…\"", "k".repeat(40)),
            ),
            (
                format!("mse({}=1)", long("k")),
                format!("mse: takes no parameters, got \"{}…\"", "k".repeat(40)),
            ),
            (
                format!("dice({k}=1,{k}=2)", k = long("k")),
                format!("dice: parameter \"{}…\" is given twice", "k".repeat(40)),
            ),
            // Nested combinations: the bad term is named by its token, the spec is not repeated.
            (
                format!("{}dice(smooth=-1)", long("0.5*bce+")),
                "dice: smooth=-1 is not allowed".to_string(),
            ),
            (
                format!("{}0.5*nope", long("bce+")),
                "unknown loss \"nope\"".to_string(),
            ),
            // Structural errors quote the start of the spec.
            (
                long("bce+"),
                format!(
                    "\"{}…\": expected a loss name at the end",
                    "bce+".repeat(10)
                ),
            ),
            (
                format!("bce{}", long(")")),
                format!("\"bce{}…\": unexpected ')' at position 3", ")".repeat(37)),
            ),
            (
                format!("dice(smooth=1{}", long(" ")),
                "\": dice: missing ')'".to_string(),
            ),
        ];
        for (input, expected) in &cases {
            let message = parse(input).unwrap_err().0;
            assert!(message.len() < 300, "{} bytes: {message}", message.len());
            assert!(message.contains(expected.as_str()), "got {message}");
            let quoted = message.matches('…').count();
            assert!(quoted <= 1, "quoted {quoted} times: {message}");
        }
    }
}
