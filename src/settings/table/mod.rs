//! The table: one entry per setting, in the order links list them and readers apply them (the
//! seed before the scene seed, hidden layers before dilations, the optimizer before momentum).
//! Each setting's entry lives in the file of its group; changing a default or a range is a change of
//! one line there.

mod data;
mod evidence;
mod losses;
mod model;
mod training;
mod view;

use super::Setting;
pub use data::*;
pub use evidence::*;
pub use losses::*;
pub use model::*;
pub use training::*;
pub use view::*;

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
    &SEEDS,
    &TUNE,
    &THRESHOLD,
    &TRAIN_SIDE,
    &LINK_SIDE,
    &HELDOUT_FRACTION,
    &SPLIT_SEED,
];

fn join(items: impl Iterator<Item = String>, separator: &str) -> String {
    items.collect::<Vec<_>>().join(separator)
}
