//! The table: one entry per setting, in the order links list them and readers apply them (the
//! seed before the scene seed, hidden layers before dilations, the optimizer before momentum).
//! Changing a default or a range is a change of one line here.

use super::{Access, Group, Kind, Setting, Value, View, quote};
use crate::data;
use crate::error::Error;
use crate::experiment::DataSource;
use crate::loss::LossSpec;
use crate::nn::Head;
use crate::optim::OptimizerConfig;

/// The largest integer a JavaScript number holds exactly.
pub const SEED_MAX: u64 = (1 << 53) - 1;
/// Losses one experiment compares.
pub const MAX_LOSSES: usize = 8;
/// Each hidden layer's dilation.
pub const DILATION_RANGE: (usize, usize) = (1, 8);

pub static SETTINGS: &[&Setting] = &[
    &DEMO,
    &SEED,
    &SCENE_SEED,
    &LOSSES,
    &LAYERS,
    &CHANNELS,
    &KERNEL,
    &DILATIONS,
    &HEAD,
    &OPTIMIZER,
    &LR,
    &MOMENTUM,
    &BATCH,
    &PATCH,
    &AUGMENT,
    &STEPS,
    &THRESHOLD,
    &TRAIN_SIDE,
    &LINK_SIDE,
];

pub const DEMO: Setting = Setting {
    key: "demo",
    label: "demo scene",
    group: Group::Data,
    kind: Kind::Choice(|| data::scenes().iter().map(|s| (s.name, s.title)).collect()),
    default: "blobs",
    help: "The generated scene to train on: 8 training and 4 held-out images of 96×96.",
    cli: Some("demo"),
    access: Access::Experiment {
        get: |e| match &e.data {
            DataSource::Demo { scene, .. } => Some(scene.clone()),
            DataSource::Given(_) => None,
        },
        set: |e, value, _| {
            let seed = match &e.data {
                DataSource::Demo { seed, .. } => *seed,
                DataSource::Given(_) => None,
            };
            e.data = DataSource::Demo {
                scene: value.text(),
                seed,
            };
            Ok(())
        },
    },
};

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

pub const SCENE_SEED: Setting = Setting {
    key: "scene_seed",
    label: "scene seed",
    group: Group::Data,
    kind: Kind::Int {
        min: 0,
        max: SEED_MAX,
        zero: None,
    },
    default: "1",
    help: "Draws the demo scene's images; by default the same as the seed.",
    cli: Some("scene-seed"),
    access: Access::Experiment {
        get: |e| match &e.data {
            DataSource::Demo {
                seed: Some(seed), ..
            } if *seed != e.seed => Some(seed.to_string()),
            _ => None,
        },
        set: |e, value, _| {
            if let DataSource::Demo { seed, .. } = &mut e.data {
                *seed = Some(value.int());
            }
            Ok(())
        },
    },
};

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

pub const LAYERS: Setting = Setting {
    key: "layers",
    label: "hidden layers",
    group: Group::Model,
    kind: Kind::Int {
        min: 1,
        max: 6,
        zero: None,
    },
    default: "2",
    help: "Convolutions before the 1×1 head, each followed by ReLU.",
    cli: Some("layers"),
    access: Access::Experiment {
        get: |e| Some(e.model.hidden_layers.to_string()),
        set: |e, value, _| {
            let layers = value.int() as usize;
            let last = e.model.dilations.last().copied().unwrap_or(1);
            e.model.hidden_layers = layers;
            e.model.dilations.resize(layers, last);
            Ok(())
        },
    },
};

pub const CHANNELS: Setting = Setting {
    key: "ch",
    label: "channels",
    group: Group::Model,
    kind: Kind::Int {
        min: 4,
        max: 64,
        zero: None,
    },
    default: "32",
    help: "Output channels of every hidden layer.",
    cli: Some("channels"),
    access: Access::Experiment {
        get: |e| Some(e.model.channels.to_string()),
        set: |e, value, _| {
            e.model.channels = value.int() as usize;
            Ok(())
        },
    },
};

pub const KERNEL: Setting = Setting {
    key: "k",
    label: "kernel size",
    group: Group::Model,
    kind: Kind::Choice(|| vec![("1", "1×1"), ("3", "3×3"), ("5", "5×5")]),
    default: "3",
    help: "Side of the hidden layers' square kernels.",
    cli: Some("kernel"),
    access: Access::Experiment {
        get: |e| Some(e.model.kernel.to_string()),
        set: |e, value, _| {
            e.model.kernel = value.int() as usize;
            Ok(())
        },
    },
};

pub const DILATIONS: Setting = Setting {
    key: "dil",
    label: "dilations",
    group: Group::Model,
    kind: Kind::Text,
    default: "1",
    help: "One dilation per hidden layer (1 to 8), separated by commas; one number applies to every layer.",
    cli: Some("dilations"),
    access: Access::Experiment {
        get: |e| {
            let d = &e.model.dilations;
            Some(if d.windows(2).all(|w| w[0] == w[1]) {
                d.first().copied().unwrap_or(1).to_string()
            } else {
                join(d.iter().map(ToString::to_string), ",")
            })
        },
        set: |e, value, notes| {
            let (low, high) = DILATION_RANGE;
            let text = value.text();
            let mut dilations = Vec::new();
            for piece in text.split(',') {
                let whole = piece.trim().parse::<f64>().ok().filter(|v| v.is_finite());
                let Some(number) = whole else {
                    return Err(Error(format!(
                        "dilations must be whole numbers separated by commas, not {}",
                        quote(&text)
                    )));
                };
                let used = number.round().clamp(low as f64, high as f64) as usize;
                if used as f64 != number {
                    notes.push(format!(
                        "dilation {number} is not a whole number from {low} to {high}; used {used}"
                    ));
                }
                dilations.push(used);
            }
            let layers = e.model.hidden_layers;
            if dilations.len() != 1 && dilations.len() != layers {
                notes.push(format!(
                    "{} dilations for {layers} hidden layers; {} the last",
                    dilations.len(),
                    if dilations.len() < layers {
                        "repeated"
                    } else {
                        "dropped"
                    }
                ));
            }
            let last = dilations.last().copied().unwrap_or(1);
            dilations.resize(layers, last);
            e.model.dilations = dilations;
            Ok(())
        },
    },
};

pub const HEAD: Setting = Setting {
    key: "head",
    label: "head",
    group: Group::Model,
    kind: Kind::Choice(|| {
        vec![
            ("sigmoid", "sigmoid, 1 channel"),
            ("softmax", "softmax, 2 channels"),
        ]
    }),
    default: "sigmoid",
    help: "How logits become probabilities: one sigmoid channel, or a softmax over background and object.",
    cli: Some("head"),
    access: Access::Experiment {
        get: |e| Some(head_name(e.model.head).to_string()),
        set: |e, value, _| {
            e.model.head = if value.text() == "softmax" {
                Head::Softmax
            } else {
                Head::Sigmoid
            };
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

pub const THRESHOLD: Setting = Setting {
    key: "thr",
    label: "threshold",
    group: Group::View,
    kind: Kind::Float {
        min: 0.05,
        max: 0.95,
    },
    default: "0.5",
    help: "Probability at or above which the page's masks show a pixel as object (the runs do not depend on it).",
    cli: None,
    access: Access::View {
        get: |v: &View| Value::Float(v.threshold).to_string(),
        set: |v: &mut View, value| v.threshold = value.float(),
    },
};

pub const TRAIN_SIDE: Setting = Setting {
    key: "train_side",
    label: "training size",
    group: Group::Data,
    kind: Kind::Int {
        min: 16,
        max: 1024,
        zero: None,
    },
    default: "256",
    help: "Your images are trained at this longest side (pixels); larger sees more detail and trains slower.",
    cli: None,
    access: Access::Page,
};

pub const LINK_SIDE: Setting = Setting {
    key: "link_side",
    label: "link image size",
    group: Group::Data,
    kind: Kind::Int {
        min: 16,
        max: 256,
        zero: None,
    },
    default: "64",
    help: "Your images travel in share links at this longest side (pixels).",
    cli: None,
    access: Access::Page,
};

pub fn head_name(head: Head) -> &'static str {
    match head {
        Head::Sigmoid => "sigmoid",
        Head::Softmax => "softmax",
    }
}

pub fn optimizer_name(optimizer: &OptimizerConfig) -> &'static str {
    match optimizer {
        OptimizerConfig::Adam { .. } => "adam",
        OptimizerConfig::Sgd { .. } => "sgd",
    }
}

fn join(items: impl Iterator<Item = String>, separator: &str) -> String {
    items.collect::<Vec<_>>().join(separator)
}
