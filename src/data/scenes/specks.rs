//! The "specks" demo scene (fluorescent puncta): tiny magenta specks among green specks, hot pixels
//! and blurred spots.

use super::noise::texture;
use super::paint::{Blob, Canvas, Rgb, SHAPE, SIZE, between, fraction, mask_of, sample, scale};
use super::{Scene, SceneInfo};
use crate::data::Sample;
use crate::rng::Rng;
use ndarray::Array2;

pub(super) const SCENE: Scene = Scene {
    info: SceneInfo {
        name: "specks",
        title: "Fluorescent specks",
        description: "Tiny magenta specks, ~0.5 % object. Green specks of the same size, hot pixels \
                      and out-of-focus blurs are the distractors.",
        nominal_fraction: 0.005,
    },
    draw,
};

pub(super) fn draw(rng: &mut Rng, _image: usize) -> Sample {
    let target = between(rng, 0.004, 0.006);
    let (cell_field, grain) = (texture(rng, SHAPE, 28.0, 3), texture(rng, SHAPE, 5.0, 2));
    let membrane_field = texture(rng, SHAPE, 16.0, 3);
    let mut canvas = Canvas::new(|y, x| {
        let body = (cell_field[(y, x)] + 0.05).max(0.0) * (1.0 + 0.3 * grain[(y, x)]);
        // Diffuse magenta background stain, as the specks' dye leaves in membranes.
        let haze = 0.35 * (membrane_field[(y, x)] + 0.05).max(0.0);
        [
            0.05 + 0.10 * body + haze,
            0.04 + 0.45 * body,
            0.07 + 0.12 * body + 0.9 * haze,
        ]
    });
    // A Gaussian spot of peak colour `colour` and spread `sigma`, added on top of the canvas.
    let spot = |canvas: &mut Canvas, (cy, cx): (f64, f64), sigma: f64, colour: Rgb| {
        let glow = Array2::from_shape_fn(SHAPE, |(y, x)| {
            let (dy, dx) = (y as f64 - cy, x as f64 - cx);
            let distance2 = dy * dy + dx * dx;
            // Beyond 4σ the glow is below 1/2980 of its peak: skip the exp.
            if distance2 > 16.0 * sigma * sigma {
                return 0.0;
            }
            libm::exp(-distance2 / (2.0 * sigma * sigma)) as f32
        });
        canvas.paint(&glow, |_, _| colour);
    };
    // Out-of-focus specks: the same dye, blurred to two or three times the size.
    for _ in 0..(between(rng, 4.0, 9.0) as usize) {
        let centre = (between(rng, 0.0, 96.0), between(rng, 0.0, 96.0));
        spot(
            &mut canvas,
            centre,
            between(rng, 1.8, 3.5),
            scale([0.85, 0.25, 0.80], between(rng, 0.35, 0.6) as f32),
        );
    }
    for _ in 0..(between(rng, 6.0, 12.0) as usize) {
        let centre = (between(rng, 2.0, 94.0), between(rng, 2.0, 94.0));
        spot(
            &mut canvas,
            centre,
            between(rng, 0.8, 1.2),
            scale([0.35, 0.95, 0.35], between(rng, 0.6, 1.0) as f32),
        );
    }
    let mut mask = Array2::<f32>::zeros(SHAPE);
    for _attempt in 0..40 {
        if fraction(&mask) >= target {
            break;
        }
        let centre = (between(rng, 2.0, 94.0), between(rng, 2.0, 94.0));
        let radius = between(rng, 1.0, 1.7);
        spot(
            &mut canvas,
            centre,
            0.8 * radius,
            scale([0.95, 0.30, 0.88], between(rng, 0.35, 0.85) as f32),
        );
        let disk = Blob {
            cy: centre.0,
            cx: centre.1,
            radius,
            aspect: 1.0,
            direction: (0.0, 1.0),
            wobble: [(0.0, 0.0); 2],
        };
        mask.zip_mut_with(&mask_of(&disk.coverage()), |m, &c| *m = m.max(c));
    }
    let mut image = canvas.develop(rng, 0.5, 0.05);
    // Hot pixels come from the sensor, after the optics: single bright pixels in one channel or all.
    for _ in 0..(between(rng, 10.0, 20.0) as usize) {
        let (y, x) = (rng.below(SIZE), rng.below(SIZE));
        let channel = rng.below(4);
        for ch in 0..3 {
            if channel == 3 || channel == ch {
                image[(y, x, ch)] = between(rng, 0.7, 1.0) as f32;
            }
        }
    }
    sample(image, mask)
}
