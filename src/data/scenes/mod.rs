//! The demo scenes: seeded generators of small microscopy and inspection datasets that span the
//! class-imbalance spectrum, from blobs covering a third of the image to specks covering 0.5 %.
//!
//! Each image is drawn like a photograph: a textured background, objects with their own texture,
//! distractors that resemble objects in one channel but not in another, then optics blur, uneven
//! illumination and sensor noise. No global threshold on grey level or on any one channel
//! separates objects from background (tested in tests.rs); a small conv net that combines colour
//! and local context can.
//!
//! Every image comes from its own `Rng` stream derived from the seed, so an image does not
//! depend on how many random numbers another one used.
//!
//! This file is the registry: each scene lives in its own file with its description, drawing with
//! the helpers of paint.rs and noise.rs.

mod blobs;
mod cells;
mod cracks;
mod noise;
mod nuclei;
mod paint;
mod specks;
#[cfg(test)]
mod tests;
mod touching;
mod varying;

use super::{Dataset, Sample};
use crate::bail;
use crate::error::Result;
use crate::rng::Rng;

/// Demo images are DEMO_SIZE × DEMO_SIZE pixels.
pub const DEMO_SIZE: usize = 96;
const TRAIN_IMAGES: usize = 8;
const HELDOUT_IMAGES: usize = 4;
/// Image `i` of scene `s` uses Rng stream SCENE_STREAM + 256·s + i ("SCEN" in the high bits keeps
/// it apart from the streams of weight init and batches).
const SCENE_STREAM: u64 = 0x5343_454e_0000;

/// What the page shows about a scene.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SceneInfo {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Typical share of object pixels (the measured fraction of a generated dataset is close).
    pub nominal_fraction: f64,
}

/// One scene: what the page shows, and how image `i` is drawn from its own Rng stream.
struct Scene {
    info: SceneInfo,
    draw: fn(&mut Rng, usize) -> Sample,
}

/// Every scene, in the order the page lists them; a scene's place also picks its Rng streams.
const SCENES: [Scene; 7] = [
    blobs::SCENE,
    cells::SCENE,
    cracks::SCENE,
    specks::SCENE,
    varying::SCENE,
    touching::SCENE,
    nuclei::SCENE,
];

const SCENE_INFOS: [SceneInfo; 7] = [
    SCENES[0].info,
    SCENES[1].info,
    SCENES[2].info,
    SCENES[3].info,
    SCENES[4].info,
    SCENES[5].info,
    SCENES[6].info,
];

/// Every demo scene, in the order the page lists them.
pub fn scenes() -> &'static [SceneInfo] {
    &SCENE_INFOS
}

/// The demo dataset `name` (8 training and 4 held-out images of 96 × 96) drawn from `seed`.
pub fn generate(name: &str, seed: u64) -> Result<Dataset> {
    let Some(index) = SCENES.iter().position(|s| s.info.name == name) else {
        let names: Vec<&str> = SCENES.iter().map(|s| s.info.name).collect();
        bail!(
            "unknown demo scene \"{name}\"; choose one of: {}",
            names.join(", ")
        );
    };
    let draw = |image: usize| {
        let mut rng = Rng::new(seed, SCENE_STREAM + 256 * index as u64 + image as u64);
        (SCENES[index].draw)(&mut rng, image)
    };
    Ok(Dataset {
        name: name.to_string(),
        train: (0..TRAIN_IMAGES).map(draw).collect(),
        heldout: (TRAIN_IMAGES..TRAIN_IMAGES + HELDOUT_IMAGES)
            .map(draw)
            .collect(),
    })
}
