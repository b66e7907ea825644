//! The "cells" demo scene (fluorescence): green cytoplasm with a blue nucleus, yellow
//! autofluorescent debris, green glow.

use super::noise::texture;
use super::paint::{Blob, Canvas, SHAPE, between, fraction, mask_of, sample, scale};
use super::{Scene, SceneInfo};
use crate::data::Sample;
use crate::rng::Rng;
use ndarray::Array2;

pub(super) const SCENE: Scene = Scene {
    info: SceneInfo {
        name: "cells",
        title: "Fluorescent cells",
        description: "Green cells with blue nuclei, ~8 % object, under uneven excitation. Yellow \
                      debris is as bright in green as the cells, and a glow fills the background.",
        nominal_fraction: 0.08,
    },
    draw,
};

pub(super) fn draw(rng: &mut Rng, _image: usize) -> Sample {
    let target = between(rng, 0.065, 0.095);
    let glow = texture(rng, SHAPE, 40.0, 3);
    let grain = texture(rng, SHAPE, 3.0, 2);
    let mut canvas = Canvas::new(|y, x| {
        let haze = (glow[(y, x)] + 0.1).max(0.0) * 1.1;
        [0.04 + 0.10 * haze, 0.05 + 0.38 * haze, 0.08 + 0.16 * haze]
    });

    // Debris: yellow autofluorescent granules (bright in green like the cells) and stained
    // fragments (blue like the nuclei), neither with the other channel.
    let mut debris = Array2::<f32>::zeros(SHAPE);
    let debris_target = between(rng, 0.04, 0.07);
    while fraction(&mask_of(&debris)) < debris_target {
        let (cy, cx, radius) = (
            between(rng, 0.0, 96.0),
            between(rng, 0.0, 96.0),
            between(rng, 1.5, 4.5),
        );
        let blob = Blob::random(rng, cy, cx, radius, 1.8, 0.25);
        let colour = if rng.uniform() < 0.6 {
            [0.80, 0.72, 0.16]
        } else {
            [0.18, 0.30, 0.90]
        };
        let gain = between(rng, 0.5, 1.0) as f32;
        let coverage = blob.coverage();
        canvas.paint(&coverage, |y, x| {
            scale(colour, gain * (1.0 + 0.2 * grain[(y, x)]))
        });
        debris.zip_mut_with(&coverage, |d, &c| *d = d.max(c));
    }

    let mut mask = Array2::<f32>::zeros(SHAPE);
    let mut placed: Vec<Blob> = Vec::new();
    for _attempt in 0..400 {
        if fraction(&mask) >= target {
            break;
        }
        let radius = between(rng, 4.0, 7.0);
        let (cy, cx) = (between(rng, 3.0, 93.0), between(rng, 3.0, 93.0));
        let clear = placed.iter().all(|b| {
            let (dy, dx) = (b.cy - cy, b.cx - cx);
            libm::sqrt(dy * dy + dx * dx) > b.radius + radius + 2.0
        });
        if !clear {
            continue;
        }
        let cell = Blob::random(rng, cy, cx, radius, 1.5, 0.12);
        let angle = std::f64::consts::TAU * rng.uniform();
        let offset = 0.25 * radius;
        let nucleus = Blob::random(
            rng,
            cy + offset * libm::sin(angle),
            cx + offset * libm::cos(angle),
            0.45 * radius,
            1.3,
            0.1,
        );
        let brightness = between(rng, 0.45, 1.0) as f32;
        let coverage = cell.coverage();
        canvas.paint(&coverage, |y, x| {
            // Brighter towards the outline, as a thin cytoplasm shell seen edge-on.
            let rim =
                1.0 + 0.25 * (1.0 - (cell.inside_by(y, x) / cell.radius).clamp(0.0, 1.0)) as f32;
            scale(
                [0.22, 0.78, 0.30],
                brightness * rim * (1.0 + 0.2 * grain[(y, x)]),
            )
        });
        canvas.paint(&nucleus.coverage(), |y, x| {
            scale(
                [0.22, 0.50, 0.95],
                brightness * (1.0 + 0.15 * grain[(y, x)]),
            )
        });
        mask.zip_mut_with(&mask_of(&coverage), |m, &c| *m = m.max(c));
        placed.push(cell);
    }
    sample(canvas.develop(rng, 0.5, 0.035), mask)
}
