//! The segmenter's architecture.

use super::*;
use crate::error::Error;
use crate::nn::Head;
use crate::settings::{Access, Group, Kind, Setting, quote};

/// Each hidden layer's dilation.
pub const DILATION_RANGE: (usize, usize) = (1, 8);

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

pub fn head_name(head: Head) -> &'static str {
    match head {
        Head::Sigmoid => "sigmoid",
        Head::Softmax => "softmax",
    }
}
