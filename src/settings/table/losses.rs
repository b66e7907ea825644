//! Which losses the experiment compares, one run each.

use super::*;
use crate::error::Error;
use crate::loss::LossSpec;
use crate::settings::{Access, Group, Kind, Setting};

/// Losses one experiment compares.
pub const MAX_LOSSES: usize = 8;

pub const LOSSES: Setting = Setting {
    key: "losses",
    label: "losses",
    group: Group::Losses,
    kind: Kind::Text,
    default: "bce;wbce;dice;focal",
    help: "Loss specs separated by ';', one run each (at most 8), e.g. bce;focal(gamma=1);0.5*bce+0.5*dice.",
    cli: Some("losses"),
    access: Access::Experiment {
        get: |e| Some(join(e.losses.iter().map(ToString::to_string), ";")),
        set: |e, value, notes| {
            let text = value.text();
            let mut specs = Vec::new();
            for piece in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                match piece.parse::<LossSpec>() {
                    Ok(spec) => specs.push(spec),
                    Err(error) => notes.push(format!("left out a loss: {error}")),
                }
            }
            if specs.is_empty() {
                return Err(Error(match notes.pop() {
                    Some(note) => note.replacen("left out a loss: ", "", 1),
                    None => "no loss is named: give at least one loss spec".to_string(),
                }));
            }
            if specs.len() > MAX_LOSSES {
                notes.push(format!(
                    "{} losses given; kept the first {MAX_LOSSES}",
                    specs.len()
                ));
                specs.truncate(MAX_LOSSES);
            }
            e.losses = specs;
            Ok(())
        },
    },
};
