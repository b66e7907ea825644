//! The one owner of every experiment setting: its name in links, label, type, default, range and the
//! words used when a value is repaired or refused. The link codec, `Experiment` validation, the CLI's
//! flags and the page's controls all read this table (`table.rs`); no other file holds a default or a
//! range. Two ways to read a value: `read` repairs (a link: clamp, round, fall back to the default, and
//! say so in a note) and `parse` refuses (the CLI: the same words, as an error).

mod table;

pub use table::{
    AUGMENT, BATCH, CHANNELS, DEMO, DILATION_RANGE, DILATIONS, HEAD, KERNEL, LAYERS, LINK_SIDE,
    LOSSES, LR, MAX_LOSSES, MOMENTUM, OPTIMIZER, PATCH, SCENE_SEED, SEED, SEED_MAX, SEEDS,
    SETTINGS, STEPS, THRESHOLD, TRAIN_SIDE, TUNE, head_name, optimizer_name,
};

use crate::error::{Error, Result};
use crate::experiment::Experiment;
use std::fmt;

/// Where a setting's control sits on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Data,
    Losses,
    Model,
    Training,
    Evidence,
    View,
}

impl Group {
    pub fn name(self) -> &'static str {
        match self {
            Group::Data => "data",
            Group::Losses => "losses",
            Group::Model => "model",
            Group::Training => "training",
            Group::Evidence => "evidence",
            Group::View => "view",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A whole number in [min, max]; `zero`, when set, names what 0 means outside that range.
    Int {
        min: u64,
        max: u64,
        zero: Option<&'static str>,
    },
    /// A number in [min, max].
    Float { min: f32, max: f32 },
    /// 1/0 in links (true/false also read), a switch on the command line.
    Bool,
    /// One of the (value, label) pairs this function lists (a function, so the demo scenes can
    /// come from their registry).
    Choice(fn() -> Vec<(&'static str, &'static str)>),
    /// Text whose owner checks it (loss specs, dilation lists, scene names).
    Text,
}

/// A value read from a link or a flag.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(u64),
    Float(f32),
    Bool(bool),
    Text(String),
}

impl Value {
    /// A whole number; a choice such as a kernel size "3" reads as its number.
    pub fn int(&self) -> u64 {
        match self {
            Value::Int(v) => *v,
            Value::Bool(b) => u64::from(*b),
            Value::Float(_) => 0,
            Value::Text(t) => t.parse().unwrap_or(0),
        }
    }

    pub fn float(&self) -> f32 {
        match self {
            Value::Float(v) => *v,
            Value::Int(v) => *v as f32,
            _ => 0.0,
        }
    }

    pub fn bool(&self) -> bool {
        matches!(self, Value::Bool(true))
    }

    pub fn text(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Value {
    /// The link's form: floats as the shortest text that reads back to the same f32.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(v) => write!(f, "{v}"),
            Value::Float(v) => write!(f, "{v}"),
            Value::Bool(b) => f.write_str(if *b { "1" } else { "0" }),
            Value::Text(t) => f.write_str(t),
        }
    }
}

/// The state a link describes beyond the runs themselves: how the page shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// Probability at or above which the page's masks count a pixel as object.
    pub threshold: f32,
}

impl Default for View {
    fn default() -> Self {
        View {
            threshold: THRESHOLD.default_value().float(),
        }
    }
}

/// Where a setting's value lives.
#[derive(Clone, Copy)]
pub enum Access {
    /// A field of the experiment (the runs depend on it). `get` is None where the setting does not
    /// apply (momentum under Adam, the scene of the user's own images); `set` may add notes.
    Experiment {
        get: fn(&Experiment) -> Option<String>,
        set: fn(&mut Experiment, Value, &mut Vec<String>) -> Result<()>,
    },
    /// How the page shows the runs; carried by links, ignored by the CLI.
    View {
        get: fn(&View) -> String,
        set: fn(&mut View, Value),
    },
    /// The page's own, never in links (e.g. the size uploaded images are trained at).
    Page,
}

pub struct Setting {
    /// The name in links and in the page's settings object.
    pub key: &'static str,
    /// What a person calls it; messages start with it.
    pub label: &'static str,
    pub group: Group,
    pub kind: Kind,
    /// The default, in link form.
    pub default: &'static str,
    /// One sentence for the page's tooltip and the CLI's help.
    pub help: &'static str,
    /// The CLI's long flag (`--steps`), or None where the CLI takes no flag for it; a boolean's
    /// flag is a switch to its non-default state (`--no-augment`).
    pub cli: Option<&'static str>,
    pub access: Access,
}

/// At most this many characters of user text are quoted back in a message.
const QUOTE_CHARS: usize = 40;

/// User text for a message: quoted, cut to QUOTE_CHARS with an ellipsis.
pub fn quote(text: &str) -> String {
    let mut cut: String = text.chars().take(QUOTE_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    format!("{cut:?}")
}

impl Setting {
    pub fn default_value(&self) -> Value {
        // Every default reads cleanly: settings::tests checks it.
        self.read(self.default).0
    }

    pub fn in_link(&self) -> bool {
        !matches!(self.access, Access::Page)
    }

    /// Reads link text: the value to use, and what was wrong with the text if it had to be repaired.
    pub fn read(&self, text: &str) -> (Value, Option<String>) {
        let text = text.trim();
        let label = self.label;
        match self.kind {
            Kind::Int { min, max, zero } => {
                let Some(number) = parse_number(text) else {
                    return self.fallback(format!(
                        "{label} must be a whole number, not {}",
                        quote(text)
                    ));
                };
                let rounded = number.round();
                let note = (number != rounded)
                    .then(|| format!("{label} must be a whole number, not {}", quote(text)));
                if zero.is_some() && rounded == 0.0 {
                    return (Value::Int(0), note);
                }
                let used = rounded.clamp(min as f64, max as f64) as u64;
                if rounded != used as f64 {
                    let alternative = zero.map_or(String::new(), |z| format!(", or 0 for {z}"));
                    let problem = format!(
                        "{label} {} is out of range: use {min} to {max}{alternative}",
                        show(number)
                    );
                    return (Value::Int(used), Some(problem));
                }
                (Value::Int(used), note)
            }
            Kind::Float { min, max } => match parse_number(text) {
                Some(number) => {
                    let value = number as f32;
                    let used = value.clamp(min, max);
                    if used != value {
                        let problem =
                            format!("{label} {value} is out of range: use {min} to {max}");
                        (Value::Float(used), Some(problem))
                    } else {
                        (Value::Float(used), None)
                    }
                }
                None => self.fallback(format!("{label} must be a number, not {}", quote(text))),
            },
            Kind::Bool => match text {
                "1" | "true" => (Value::Bool(true), None),
                "0" | "false" => (Value::Bool(false), None),
                _ => self.fallback(format!("{label} must be 1 or 0, not {}", quote(text))),
            },
            Kind::Choice(choices) => match choices().iter().find(|(value, _)| *value == text) {
                Some((value, _)) => (Value::Text((*value).to_string()), None),
                None => {
                    let names: Vec<&str> = choices().iter().map(|(value, _)| *value).collect();
                    self.fallback(format!(
                        "{label} {} is not one of {}",
                        quote(text),
                        or_list(&names)
                    ))
                }
            },
            Kind::Text => (Value::Text(text.to_string()), None),
        }
    }

    /// Reads text and refuses it with the reason when it would need repair (the CLI's way).
    pub fn parse(&self, text: &str) -> Result<Value> {
        match self.read(text) {
            (value, None) => Ok(value),
            (_, Some(problem)) => Err(Error(problem)),
        }
    }

    /// The note a link reader shows for a repaired value.
    pub fn repaired(&self, problem: &str, used: &Value) -> String {
        format!("{problem}; used {used}")
    }

    /// Checks a whole number against this setting's range (for values built in code).
    pub fn check_int(&self, value: u64) -> Result<()> {
        self.parse(&value.to_string()).map(|_| ())
    }

    /// Checks a number against this setting's range (for values built in code).
    pub fn check_float(&self, value: f32) -> Result<()> {
        if !value.is_finite() {
            return Err(Error(format!(
                "{} must be a number, not {value}",
                self.label
            )));
        }
        self.parse(&value.to_string()).map(|_| ())
    }

    /// (min, max) of a numeric setting, as f64.
    pub fn range(&self) -> Option<(f64, f64)> {
        match self.kind {
            Kind::Int { min, max, .. } => Some((min as f64, max as f64)),
            Kind::Float { min, max } => Some((min as f64, max as f64)),
            _ => None,
        }
    }

    fn fallback(&self, problem: String) -> (Value, Option<String>) {
        (self.default_value(), Some(problem))
    }
}

/// The setting named `key` in links.
pub fn by_key(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().copied().find(|s| s.key == key)
}

/// A decimal number; rejects NaN and infinities.
fn parse_number(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A number as a person writes it: 7, -5, 2.5, 1e30.
fn show(number: f64) -> String {
    if number.abs() < 1e15 {
        format!("{number}")
    } else {
        format!("{number:e}")
    }
}

/// "a, b or c".
pub fn or_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests;
