//! How every run trains: seed, optimizer, batches, steps.

use crate::optim::OptimizerConfig;
use crate::settings::{Access, Group, Kind, Setting, Value};

/// The largest integer a JavaScript number holds exactly.
pub const SEED_MAX: u64 = (1 << 53) - 1;

pub const SEED: Setting = Setting {
    key: "seed",
    label: "seed",
    group: Group::Training,
    kind: Kind::Int {
        min: 0,
        max: SEED_MAX,
        zero: None,
    },
    default: "1",
    help: "Seeds the initial weights and the batch sequence (and the demo scene, unless it has its own seed).",
    cli: Some("seed"),
    access: Access::Experiment {
        get: |e| Some(e.seed.to_string()),
        set: |e, value, _| {
            e.seed = value.int();
            Ok(())
        },
    },
};

pub const OPTIMIZER: Setting = Setting {
    key: "opt",
    label: "optimizer",
    group: Group::Training,
    kind: Kind::Choice(|| vec![("adam", "Adam"), ("sgd", "SGD + momentum")]),
    default: "adam",
    help: "Adam (betas 0.9, 0.999, eps 1e-8) or SGD with momentum, as PyTorch computes them.",
    cli: Some("optimizer"),
    access: Access::Experiment {
        get: |e| Some(optimizer_name(&e.optimizer).to_string()),
        set: |e, value, _| {
            let lr = e.optimizer.lr();
            e.optimizer = if value.text() == "sgd" {
                OptimizerConfig::Sgd {
                    lr,
                    momentum: MOMENTUM.default_value().float(),
                }
            } else {
                OptimizerConfig::adam(lr)
            };
            Ok(())
        },
    },
};

pub const LR: Setting = Setting {
    key: "lr",
    label: "learning rate",
    group: Group::Training,
    kind: Kind::Float {
        min: 1e-5,
        max: 10.0,
    },
    default: "0.005",
    help: "The optimizer's step size, the same for every loss unless tuned per loss.",
    cli: Some("lr"),
    access: Access::Experiment {
        get: |e| Some(Value::Float(e.optimizer.lr()).to_string()),
        set: |e, value, _| {
            match &mut e.optimizer {
                OptimizerConfig::Adam { lr, .. } | OptimizerConfig::Sgd { lr, .. } => {
                    *lr = value.float()
                }
            }
            Ok(())
        },
    },
};

pub const MOMENTUM: Setting = Setting {
    key: "momentum",
    label: "momentum",
    group: Group::Training,
    kind: Kind::Float {
        min: 0.0,
        max: 0.999,
    },
    default: "0.9",
    help: "SGD's momentum (PyTorch's form: no dampening, not Nesterov); Adam ignores it.",
    cli: Some("momentum"),
    access: Access::Experiment {
        get: |e| match e.optimizer {
            OptimizerConfig::Sgd { momentum, .. } => Some(Value::Float(momentum).to_string()),
            OptimizerConfig::Adam { .. } => None,
        },
        set: |e, value, notes| {
            match &mut e.optimizer {
                OptimizerConfig::Sgd { momentum, .. } => *momentum = value.float(),
                OptimizerConfig::Adam { .. } => {
                    notes.push("momentum applies to SGD only; ignored it".into())
                }
            }
            Ok(())
        },
    },
};

pub const BATCH: Setting = Setting {
    key: "batch",
    label: "batch size",
    group: Group::Training,
    kind: Kind::Int {
        min: 1,
        max: 32,
        zero: None,
    },
    default: "4",
    help: "Crops (or whole images) per training step.",
    cli: Some("batch"),
    access: Access::Experiment {
        get: |e| Some(e.batch_size.to_string()),
        set: |e, value, _| {
            e.batch_size = value.int() as usize;
            Ok(())
        },
    },
};

pub const PATCH: Setting = Setting {
    key: "patch",
    label: "patch size",
    group: Group::Training,
    kind: Kind::Int {
        min: 8,
        max: 512,
        zero: Some("whole images"),
    },
    default: "32",
    help: "Side of the square random crops a step trains on; 0 trains on whole images (which must share one size).",
    cli: Some("patch"),
    access: Access::Experiment {
        get: |e| Some(e.patch.to_string()),
        set: |e, value, _| {
            e.patch = value.int() as usize;
            Ok(())
        },
    },
};

pub const AUGMENT: Setting = Setting {
    key: "aug",
    label: "augmentation",
    group: Group::Training,
    kind: Kind::Bool,
    default: "1",
    help: "Random flips and quarter turns of the crops.",
    cli: Some("no-augment"),
    access: Access::Experiment {
        get: |e| Some(Value::Bool(e.augment).to_string()),
        set: |e, value, _| {
            e.augment = value.bool();
            Ok(())
        },
    },
};

pub const STEPS: Setting = Setting {
    key: "steps",
    label: "steps",
    group: Group::Training,
    kind: Kind::Int {
        min: 1,
        max: 100_000,
        zero: None,
    },
    default: "600",
    help: "Training steps of every run.",
    cli: Some("steps"),
    access: Access::Experiment {
        get: |e| Some(e.steps.to_string()),
        set: |e, value, _| {
            e.steps = value.int() as usize;
            Ok(())
        },
    },
};

pub fn optimizer_name(optimizer: &OptimizerConfig) -> &'static str {
    match optimizer {
        OptimizerConfig::Adam { .. } => "adam",
        OptimizerConfig::Sgd { .. } => "sgd",
    }
}
