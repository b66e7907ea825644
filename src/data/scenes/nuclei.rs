//! The "nuclei" demo scene (fluorescence, a DNA stain): many small blue nuclei, about 18 %
//! object, on a dark field, recorded dim as 8-bit fluorescence often is (the brightest nuclei
//! reach a quarter of the range). Built to show soft Dice's failure on real nuclei images: with
//! dim inputs a weight step moves the logits little while a bias step moves them fully, and soft
//! Dice's gradient pushes every bias towards "object" (by 2f²/(1+f)² per pixel at a uniform
//! output, f the object share), so at the default learning rate it calls every pixel object
//! (`study::COLLAPSE_LINK`), while BCE's bias gradient settles at the object share.

use super::noise::texture;
use super::paint::{Blob, Canvas, SHAPE, between, fraction, mask_of, sample, scale};
use super::{Scene, SceneInfo};
use crate::data::Sample;
use crate::rng::Rng;
use ndarray::Array2;

pub(super) const SCENE: Scene = Scene {
    info: SceneInfo {
        name: "nuclei",
        title: "Stained nuclei",
        description: "Many small, dim blue nuclei, ~18 % object, of very uneven brightness on \
                      a dark field; out-of-focus nuclei glow as blue as the dim ones but are not \
                      marked.",
        nominal_fraction: 0.18,
    },
    draw,
};

/// The camera's gain: the brightest nuclei reach about a quarter of the range.
const DIM: f32 = 0.25;

pub(super) fn draw(rng: &mut Rng, _image: usize) -> Sample {
    let target = between(rng, 0.16, 0.20);
    let haze = texture(rng, SHAPE, 30.0, 3);
    let chromatin = texture(rng, SHAPE, 2.5, 2);
    let mut canvas = Canvas::new(|y, x| {
        let glow = (haze[(y, x)] + 0.2).max(0.0);
        scale(
            [0.01 + 0.02 * glow, 0.01 + 0.03 * glow, 0.03 + 0.10 * glow],
            DIM,
        )
    });
    // Out-of-focus nuclei: soft blue discs of the same stain, left out of the mask.
    for _ in 0..(between(rng, 5.0, 10.0) as usize) {
        let (cy, cx) = (between(rng, 0.0, 96.0), between(rng, 0.0, 96.0));
        let radius = between(rng, 5.0, 8.0);
        let blob = Blob::random(rng, cy, cx, radius, 1.3, 0.1);
        let gain = between(rng, 0.15, 0.35) as f32;
        let soft = blob.coverage().mapv(|c| 0.6 * c);
        canvas.paint(&soft, |_, _| scale([0.10, 0.20, 0.85], DIM * gain));
    }
    let mut mask = Array2::<f32>::zeros(SHAPE);
    let mut placed: Vec<Blob> = Vec::new();
    for _attempt in 0..600 {
        if fraction(&mask) >= target {
            break;
        }
        let radius = between(rng, 3.0, 5.5);
        let (cy, cx) = (between(rng, 2.0, 94.0), between(rng, 2.0, 94.0));
        let clear = placed.iter().all(|b| {
            let (dy, dx) = (b.cy - cy, b.cx - cx);
            libm::sqrt(dy * dy + dx * dx) > b.radius + radius + 1.0
        });
        if !clear {
            continue;
        }
        let nucleus = Blob::random(rng, cy, cx, radius, 1.4, 0.12);
        // DNA content and focus vary: some nuclei are barely above the haze.
        let brightness = libm::pow(between(rng, 0.2, 1.0), 2.0) as f32;
        let coverage = nucleus.coverage();
        canvas.paint(&coverage, |y, x| {
            scale(
                [0.12, 0.25, 0.95],
                DIM * brightness * (1.0 + 0.35 * chromatin[(y, x)]),
            )
        });
        mask.zip_mut_with(&mask_of(&coverage), |m, &c| *m = m.max(c));
        placed.push(nucleus);
    }
    sample(canvas.develop(rng, 0.6, 0.01), mask)
}
