//! The "cracks" demo scene (concrete): grainy grey with pebbles and stains, dark branching cracks,
//! and reddish fibres.

use super::noise::texture;
use super::paint::{
    Blob, Canvas, SHAPE, between, fraction, mask_of, mix, sample, scale, stroke, unit, wander,
};
use super::{Scene, SceneInfo};
use crate::data::Sample;
use crate::rng::Rng;
use ndarray::Array2;

pub(super) const SCENE: Scene = Scene {
    info: SceneInfo {
        name: "cracks",
        title: "Concrete cracks",
        description: "Thin dark cracks on concrete, ~2 % object. Dark pebbles and stains match the \
                      cracks in grey level; brown fibres are thin too but reddish.",
        nominal_fraction: 0.02,
    },
    draw,
};

pub(super) fn draw(rng: &mut Rng, _image: usize) -> Sample {
    let target = between(rng, 0.015, 0.025);
    let (tone, grain, stain) = (
        texture(rng, SHAPE, 24.0, 3),
        texture(rng, SHAPE, 3.0, 3),
        texture(rng, SHAPE, 30.0, 3),
    );
    let stain_level = between(rng, 0.0, 0.3) as f32;
    let mut canvas = Canvas::new(|y, x| {
        let base = mix([0.70, 0.68, 0.64], [0.56, 0.54, 0.51], unit(tone[(y, x)]));
        let darkening = 1.0 - 1.6 * (stain[(y, x)] - stain_level).max(0.0);
        scale(base, darkening * (1.0 + 0.14 * grain[(y, x)]))
    });
    for _ in 0..(between(rng, 25.0, 40.0) as usize) {
        let (cy, cx, radius) = (
            between(rng, 0.0, 96.0),
            between(rng, 0.0, 96.0),
            between(rng, 1.2, 3.0),
        );
        let pebble = Blob::random(rng, cy, cx, radius, 1.6, 0.2);
        let shade = between(rng, 0.35, 1.1) as f32;
        let warm = between(rng, 0.0, 0.08) as f32;
        canvas.paint(&pebble.coverage(), |y, x| {
            scale(
                [0.60 + warm, 0.58, 0.55 - warm],
                shade * (1.0 + 0.1 * grain[(y, x)]),
            )
        });
    }

    let mut fibres = Array2::<f32>::zeros(SHAPE);
    for _ in 0..(between(rng, 2.0, 5.0) as usize) {
        let start = (between(rng, 5.0, 91.0), between(rng, 5.0, 91.0));
        let (angle, steps) = (
            std::f64::consts::TAU * rng.uniform(),
            between(rng, 15.0, 45.0) as usize,
        );
        let path = wander(rng, start, angle, steps, 0.15);
        stroke(&mut fibres, &path, &vec![0.7; path.len()]);
    }
    canvas.paint(&fibres, |_, _| [0.55, 0.20, 0.12]);

    let mut coverage = Array2::<f32>::zeros(SHAPE);
    for _attempt in 0..12 {
        if fraction(&mask_of(&coverage)) >= target {
            break;
        }
        let start = (between(rng, 10.0, 86.0), between(rng, 10.0, 86.0));
        let angle = std::f64::consts::TAU * rng.uniform();
        let width = between(rng, 0.6, 1.2);
        // Two arms from a common origin: cracks grow both ways from where they start.
        for arm_angle in [angle, angle + std::f64::consts::PI] {
            let steps = between(rng, 15.0, 50.0) as usize;
            let path = wander(rng, start, arm_angle, steps, 0.2);
            let taper: Vec<f64> = (0..path.len())
                .map(|i| width * (1.0 - 0.6 * i as f64 / path.len() as f64))
                .collect();
            stroke(&mut coverage, &path, &taper);
            if path.len() > 12 && rng.uniform() < 0.6 {
                let fork = path[path.len() / 2];
                let (turn, steps) = (between(rng, -1.2, 1.2), between(rng, 8.0, 25.0) as usize);
                let branch = wander(rng, fork, arm_angle + turn, steps, 0.25);
                stroke(&mut coverage, &branch, &vec![0.55 * width; branch.len()]);
            }
        }
    }
    canvas.paint(&coverage, |y, x| {
        scale([0.17, 0.16, 0.16], 1.0 + 0.2 * grain[(y, x)])
    });
    let mask = mask_of(&coverage);
    sample(canvas.develop(rng, 0.6, 0.03), mask)
}
