//! Which images: the demo scene and its seed, and the sizes the user's images train and travel at.

use super::*;
use crate::data;
use crate::experiment::DataSource;
use crate::settings::{Access, Group, Kind, Setting};

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
            // The seed's own value means "follow the seed", so the default follows it too.
            let scene_seed = Some(value.int()).filter(|&s| s != e.seed);
            if let DataSource::Demo { seed, .. } = &mut e.data {
                *seed = scene_seed;
            }
            Ok(())
        },
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

pub const HELDOUT_FRACTION: Setting = Setting {
    key: "heldout_fraction",
    label: "held-out fraction",
    group: Group::Data,
    kind: Kind::Float { min: 0.0, max: 0.9 },
    default: "0.2",
    help: "Share of your images a seeded draw holds out for scoring (at least one of two or more); tick images to change it by hand.",
    cli: None,
    access: Access::Page,
};

pub const SPLIT_SEED: Setting = Setting {
    key: "split_seed",
    label: "split seed",
    group: Group::Data,
    kind: Kind::Int {
        min: 0,
        max: SEED_MAX,
        zero: None,
    },
    default: "1",
    help: "Seeds the draw of the held-out images: the same folder, fraction and seed hold out the same images.",
    cli: None,
    access: Access::Page,
};
