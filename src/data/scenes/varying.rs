//! The "varying" demo scene: brushed steel with rust patches of very different extent per image,
//! grime and a glare band.

use super::noise::{fbm, texture};
use super::paint::{Canvas, SHAPE, between, mix, region, sample, scale, unit};
use super::{HELDOUT_IMAGES, Scene, SceneInfo, TRAIN_IMAGES};
use crate::data::Sample;
use crate::rng::Rng;

pub(super) const SCENE: Scene = Scene {
    info: SceneInfo {
        name: "varying",
        title: "Rust on steel",
        description: "Rust patches covering from 1 % to 50 % of each image: the case where per-image \
                      and per-batch losses disagree. Grime is as dark as the rust.",
        nominal_fraction: 0.14,
    },
    draw,
};

/// Target object fractions of the "varying" images: geometric from 1 % to 50 % for the training
/// images, and values in between for the held-out ones.
const VARYING_FRACTIONS: [f64; TRAIN_IMAGES + HELDOUT_IMAGES] = [
    0.01, 0.0175, 0.0306, 0.0536, 0.0937, 0.164, 0.286, 0.50, 0.013, 0.04, 0.12, 0.38,
];

pub(super) fn draw(rng: &mut Rng, image: usize) -> Sample {
    let share = VARYING_FRACTIONS[image];
    let rust_field = texture(rng, SHAPE, 30.0, 4);
    let mask = region(&rust_field, share, |_, _| true);
    let grime_field = texture(rng, SHAPE, 24.0, 4);
    let grime = region(&grime_field, between(rng, 0.12, 0.20), |y, x| {
        mask[(y, x)] == 0.0
    });
    let brushed = fbm(rng, SHAPE, (1.5, 48.0), 2, 0.5);
    let (tone, grain, pits) = (
        texture(rng, SHAPE, 32.0, 2),
        texture(rng, SHAPE, 3.0, 3),
        texture(rng, SHAPE, 6.0, 2),
    );
    let glare_at = between(rng, 10.0, 86.0);

    let mut canvas = Canvas::new(|y, x| {
        let base = mix([0.62, 0.65, 0.70], [0.48, 0.51, 0.57], unit(tone[(y, x)]));
        // A soft bright band across the plate, as from a strip light.
        let glare = 0.25 * libm::exp(-((y as f64 - glare_at) / 9.0).powi(2)) as f32;
        let lit = scale(base, 1.0 + 0.12 * brushed[(y, x)]);
        lit.map(|v| v + glare)
    });
    canvas.paint(&grime, |y, x| {
        scale([0.30, 0.25, 0.19], 1.0 + 0.2 * grain[(y, x)])
    });
    canvas.paint(&mask, |y, x| {
        let base = mix(
            [0.66, 0.36, 0.20],
            [0.48, 0.26, 0.15],
            unit(tone[(y, x)] + grain[(y, x)]),
        );
        let pit = if pits[(y, x)] > 0.45 { 0.6 } else { 1.0 };
        scale(base, pit * (1.0 + 0.25 * grain[(y, x)]))
    });
    sample(canvas.develop(rng, 0.55, 0.03), mask)
}
