//! How much evidence the comparison gathers: repeats over seeds, and a learning rate per loss.

use crate::settings::{Access, Group, Kind, Setting, Value};

pub const SEEDS: Setting = Setting {
    key: "seeds",
    label: "seeds",
    group: Group::Evidence,
    kind: Kind::Int {
        min: 1,
        max: 10,
        zero: None,
    },
    default: "3",
    help: "Runs every loss once per seed (seed, seed + 1, …; the same seeds for every loss, on the same images), so differences can be told from seed-to-seed noise.",
    cli: Some("seeds"),
    access: Access::Experiment {
        get: |e| Some(e.seeds.to_string()),
        set: |e, value, _| {
            e.seeds = value.int() as usize;
            Ok(())
        },
    },
};

pub const TUNE: Setting = Setting {
    key: "tune",
    label: "tune each loss's learning rate",
    group: Group::Evidence,
    kind: Kind::Bool,
    default: "0",
    help: "Before training, each loss tries 5 learning rates around the set one in short runs scored on validation images carved from the training images (never the held-out ones), then trains at its best.",
    cli: Some("tune-lr"),
    access: Access::Experiment {
        get: |e| Some(Value::Bool(e.tune_lr).to_string()),
        set: |e, value, _| {
            e.tune_lr = value.bool();
            Ok(())
        },
    },
};
