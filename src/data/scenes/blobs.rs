//! The "blobs" demo scene (H&E-like tissue): hematoxylin-purple regions on eosin-pink stroma, with
//! dense eosin streaks.

use super::noise::{fbm, texture};
use super::paint::{Canvas, SHAPE, between, mix, region, sample, scale, unit};
use super::{Scene, SceneInfo};
use crate::data::Sample;
use crate::rng::Rng;

pub(super) const SCENE: Scene = Scene {
    info: SceneInfo {
        name: "blobs",
        title: "Stained tissue",
        description: "Large granular purple regions on pink tissue, ~30 % object. Smooth stained \
                      streaks share their colour, which drifts across the slide; texture tells them apart.",
        nominal_fraction: 0.30,
    },
    draw,
};

pub(super) fn draw(rng: &mut Rng, _image: usize) -> Sample {
    let share = between(rng, 0.24, 0.36);
    let shape_field = texture(rng, SHAPE, 36.0, 3);
    let mask = region(&shape_field, share, |_, _| true);
    // Streaks run along one axis, as tissue folds and fibres do.
    let periods = if rng.uniform() < 0.5 {
        (8.0, 40.0)
    } else {
        (40.0, 8.0)
    };
    let streak_field = fbm(rng, SHAPE, periods, 3, 0.5);
    let streaks = region(&streak_field, 0.30, |y, x| mask[(y, x)] == 0.0);
    let (hue, grain) = (texture(rng, SHAPE, 20.0, 3), texture(rng, SHAPE, 4.0, 2));
    let (fg_hue, speckle) = (texture(rng, SHAPE, 12.0, 2), texture(rng, SHAPE, 1.5, 2));
    // How the stain took, drifting from purple to pink across the slide, in objects and streaks
    // alike: hue tells them apart only locally; the objects' granular texture always does.
    let stain_field = texture(rng, SHAPE, 48.0, 2);
    let stain_bias = between(rng, -0.5, 0.5) as f32;
    let stain = |y: usize, x: usize| unit(1.5 * stain_field[(y, x)] + stain_bias);

    let mut canvas = Canvas::new(|y, x| {
        let base = mix([0.94, 0.78, 0.86], [0.80, 0.56, 0.70], unit(hue[(y, x)]));
        scale(base, 1.0 + 0.10 * grain[(y, x)])
    });
    canvas.paint(&streaks, |y, x| {
        let colour = mix([0.62, 0.38, 0.66], [0.80, 0.52, 0.70], stain(y, x));
        scale(colour, 1.0 + 0.04 * grain[(y, x)])
    });
    canvas.paint(&mask, |y, x| {
        let base = mix([0.56, 0.36, 0.72], [0.74, 0.50, 0.74], stain(y, x));
        let lighter = [base[0] + 0.08, base[1] + 0.10, base[2] + 0.06];
        scale(
            mix(base, lighter, unit(fg_hue[(y, x)])),
            1.0 + 0.30 * speckle[(y, x)],
        )
    });
    sample(canvas.develop(rng, 0.55, 0.03), mask)
}
