//! Reading a loss's `key=value` parameters: typed values with defaults, ranges and the messages
//! a user reads when a value is refused; and the canonical text of values for `Display`.

use crate::error::{Error, Result};

/// Largest coefficient or weight accepted: beyond it a loss is a typo, not a choice.
pub(crate) const BIG: f64 = 1e6;

/// Characters of user text an error message quotes at most.
const QUOTE_MAX: usize = 40;

/// The lower end of a range; the upper end is always closed.
pub(crate) enum Bound {
    Open(f64),
    Closed(f64),
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
pub(crate) fn excerpt(text: &str) -> String {
    match text.char_indices().nth(QUOTE_MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// `excerpt` in double quotes.
pub(crate) fn quote(text: &str) -> String {
    format!("\"{}\"", excerpt(text))
}

/// The spelling of `value` among `options`: the inverse of `Params::choice`.
pub(crate) fn spelling<T: PartialEq>(options: &[(&'static str, T)], value: &T) -> String {
    let found = options.iter().find(|(_, v)| v == value);
    found.map_or("?", |(name, _)| name).to_string()
}

/// One loss's parameters, read by key and validated one by one; `finish` rejects keys that no
/// read or `forbid` asked for.
pub(crate) struct Params<'s> {
    loss: &'static str,
    pairs: Vec<(&'s str, &'s str)>,
    used: Vec<bool>,
    /// Every key the loss asked for, in order: the valid keys an error lists.
    known: Vec<&'static str>,
}

impl<'s> Params<'s> {
    /// Refuses a key given twice.
    pub fn new(loss: &'static str, pairs: &[(&'s str, &'s str)]) -> Result<Self> {
        for (i, (key, _)) in pairs.iter().enumerate() {
            if pairs[..i].iter().any(|(k, _)| k == key) {
                crate::bail!("{loss}: parameter {} is given twice", quote(key));
            }
        }
        Ok(Params {
            loss,
            pairs: pairs.to_vec(),
            used: vec![false; pairs.len()],
            known: vec![],
        })
    }

    fn take(&mut self, key: &'static str) -> Option<&'s str> {
        if !self.known.contains(&key) {
            self.known.push(key);
        }
        let i = self.pairs.iter().position(|(k, _)| *k == key)?;
        self.used[i] = true;
        Some(self.pairs[i].1)
    }

    fn refuse(&self, key: &str, text: &str, expected: &str) -> Error {
        Error(format!(
            "{}: {key}={} is not allowed; expected {expected}",
            self.loss,
            excerpt(text)
        ))
    }

    pub fn number(
        &mut self,
        key: &'static str,
        default: f64,
        low: Bound,
        high: f64,
    ) -> Result<f64> {
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
                let range = format!(
                    "a number in {bracket}{}, {}]",
                    number(low_value),
                    number(high)
                );
                Err(self.refuse(key, text, &range))
            }
        }
    }

    /// A number, or `none` for "not set".
    pub fn optional_number(
        &mut self,
        key: &'static str,
        low: Bound,
        high: f64,
    ) -> Result<Option<f64>> {
        match self.take(key) {
            None | Some("none") => Ok(None),
            Some(text) => {
                let mut inner = Params::new(self.loss, &[(key, text)])?;
                inner
                    .number(key, 0.0, low, high)
                    .map(Some)
                    .map_err(|e| Error(format!("{e} or none")))
            }
        }
    }

    pub fn flag(&mut self, key: &'static str, default: bool) -> Result<bool> {
        match self.take(key) {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(text) => Err(self.refuse(key, text, "true or false")),
        }
    }

    pub fn choice<T: Copy>(
        &mut self,
        key: &'static str,
        default: T,
        options: &[(&str, T)],
    ) -> Result<T> {
        let Some(text) = self.take(key) else {
            return Ok(default);
        };
        match options.iter().find(|(name, _)| *name == text) {
            Some((_, value)) => Ok(*value),
            None => {
                let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
                Err(self.refuse(key, text, &format!("one of {}", names.join(", "))))
            }
        }
    }

    /// Parameters that only mean something together with another setting.
    pub fn forbid(&mut self, keys: &[&'static str], needs: &str) -> Result<()> {
        for &key in keys {
            if self.take(key).is_some() {
                crate::bail!("{}: {key} applies only with {needs}", self.loss);
            }
        }
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        let unknown = self.pairs.iter().zip(&self.used).find(|(_, used)| !**used);
        if let Some(((key, _), _)) = unknown {
            if self.known.is_empty() {
                crate::bail!("{}: takes no parameters, got {}", self.loss, quote(key));
            }
            crate::bail!(
                "{}: unknown parameter {}; expected one of {}",
                self.loss,
                quote(key),
                self.known.join(", ")
            );
        }
        Ok(())
    }
}
