//! The demo scenes: seeded generators of small microscopy and inspection datasets that span the
//! class-imbalance spectrum, from blobs covering a third of the image to specks covering 0.5 %.
//!
//! Each image is drawn like a photograph: a textured background, objects with their own texture,
//! distractors that resemble objects in one channel but not in another, then optics blur, uneven
//! illumination and sensor noise. No global threshold on grey level or on any one channel
//! separates objects from background (tested below); a small conv net that combines colour and
//! local context can.
//!
//! Every image comes from its own `Rng` stream derived from the seed, so an image does not
//! depend on how many random numbers another one used.

use super::noise::{blur, fbm, illumination, level_for_fraction, texture};
use super::{Dataset, Sample};
use crate::bail;
use crate::error::Result;
use crate::rng::Rng;
use ndarray::{Array2, Array3};

/// Demo images are DEMO_SIZE × DEMO_SIZE pixels.
pub const DEMO_SIZE: usize = 96;
const SIZE: usize = DEMO_SIZE;
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

struct Scene {
    info: SceneInfo,
    draw: fn(&mut Rng, usize) -> Sample,
}

const SCENES: [Scene; 6] = [
    Scene {
        info: SceneInfo {
            name: "blobs",
            title: "Stained tissue",
            description: "Large granular purple regions on pink tissue, ~30 % object. Smooth stained \
                          streaks share their colour, which drifts across the slide; texture tells them apart.",
            nominal_fraction: 0.30,
        },
        draw: blobs,
    },
    Scene {
        info: SceneInfo {
            name: "cells",
            title: "Fluorescent cells",
            description: "Green cells with blue nuclei, ~8 % object, under uneven excitation. Yellow \
                          debris is as bright in green as the cells, and a glow fills the background.",
            nominal_fraction: 0.08,
        },
        draw: cells,
    },
    Scene {
        info: SceneInfo {
            name: "cracks",
            title: "Concrete cracks",
            description: "Thin dark cracks on concrete, ~2 % object. Dark pebbles and stains match the \
                          cracks in grey level; brown fibres are thin too but reddish.",
            nominal_fraction: 0.02,
        },
        draw: cracks,
    },
    Scene {
        info: SceneInfo {
            name: "specks",
            title: "Fluorescent specks",
            description: "Tiny magenta specks, ~0.5 % object. Green specks of the same size, hot pixels \
                          and out-of-focus blurs are the distractors.",
            nominal_fraction: 0.005,
        },
        draw: specks,
    },
    Scene {
        info: SceneInfo {
            name: "varying",
            title: "Rust on steel",
            description: "Rust patches covering from 1 % to 50 % of each image: the case where per-image \
                          and per-batch losses disagree. Grime is as dark as the rust.",
            nominal_fraction: 0.14,
        },
        draw: varying,
    },
    Scene {
        info: SceneInfo {
            name: "touching",
            title: "Touching nuclei",
            description: "Packed nuclei, ~35 % object, separated in the mask by one-pixel background seams \
                          where they touch: the case for border weights.",
            nominal_fraction: 0.35,
        },
        draw: touching,
    },
];

const SCENE_INFOS: [SceneInfo; 6] = [
    SCENES[0].info,
    SCENES[1].info,
    SCENES[2].info,
    SCENES[3].info,
    SCENES[4].info,
    SCENES[5].info,
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

// ---------------------------------------------------------------------------------------------
// Painting: colours, shapes and the camera.

type Rgb = [f32; 3];
type Field = Array2<f32>;

fn between(rng: &mut Rng, low: f64, high: f64) -> f64 {
    low + (high - low) * rng.uniform()
}

/// Linear blend a → b at t in [0, 1].
fn mix(a: Rgb, b: Rgb, t: f32) -> Rgb {
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

fn scale(colour: Rgb, gain: f32) -> Rgb {
    colour.map(|v| v * gain)
}

/// Maps a noise value in [-1, 1] to a blend weight in [0, 1].
fn unit(noise: f32) -> f32 {
    ((noise + 1.0) / 2.0).clamp(0.0, 1.0)
}

/// The scene before the camera: linear RGB that may leave [0, 1] until developed.
struct Canvas {
    rgb: Array3<f32>, // (H, W, 3)
}

impl Canvas {
    fn new(colour: impl Fn(usize, usize) -> Rgb) -> Canvas {
        let mut rgb = Array3::zeros((SIZE, SIZE, 3));
        for y in 0..SIZE {
            for x in 0..SIZE {
                for (ch, value) in colour(y, x).into_iter().enumerate() {
                    rgb[(y, x, ch)] = value;
                }
            }
        }
        Canvas { rgb }
    }

    /// Lays `colour` over the canvas with per-pixel opacity `coverage` in [0, 1].
    fn paint(&mut self, coverage: &Field, colour: impl Fn(usize, usize) -> Rgb) {
        for ((y, x), &alpha) in coverage.indexed_iter() {
            if alpha > 0.0 {
                for (ch, new) in colour(y, x).into_iter().enumerate() {
                    let old = self.rgb[(y, x, ch)];
                    self.rgb[(y, x, ch)] = old + (new - old) * alpha;
                }
            }
        }
    }

    /// The camera: optics blur, illumination falling to `min_gain` on the dark side, and sensor
    /// noise whose spread grows with brightness (shot noise) on top of a floor (read noise).
    fn develop(self, rng: &mut Rng, min_gain: f64, noise: f64) -> Array3<f32> {
        let gain = illumination(rng, (SIZE, SIZE), min_gain);
        let mut image = blur(&self.rgb, 0.6);
        for ((y, x, _), v) in image.indexed_iter_mut() {
            let lit = *v as f64 * gain[(y, x)] as f64;
            let sigma = noise * (0.5 + lit.max(0.0));
            *v = (lit + sigma * rng.normal()).clamp(0.0, 1.0) as f32;
        }
        image
    }
}

/// A roundish object: an ellipse whose radius wobbles with angle (2nd and 3rd harmonics).
struct Blob {
    cy: f64,
    cx: f64,
    radius: f64,
    /// Long over short axis, ≥ 1.
    aspect: f64,
    /// Sine and cosine of the long axis' angle.
    direction: (f64, f64),
    wobble: [(f64, f64); 2],
}

impl Blob {
    fn random(rng: &mut Rng, cy: f64, cx: f64, radius: f64, max_aspect: f64, wobble: f64) -> Blob {
        let tau = std::f64::consts::TAU;
        let aspect = between(rng, 1.0, max_aspect);
        let angle = tau * rng.uniform();
        Blob {
            cy,
            cx,
            radius,
            aspect,
            direction: (libm::sin(angle), libm::cos(angle)),
            wobble: [
                (wobble * rng.uniform(), tau * rng.uniform()),
                (wobble * rng.uniform(), tau * rng.uniform()),
            ],
        }
    }

    /// Approximate signed distance in pixels from the outline, positive inside.
    fn inside_by(&self, y: usize, x: usize) -> f64 {
        let (dy, dx) = (y as f64 - self.cy, x as f64 - self.cx);
        let (sin, cos) = self.direction;
        let along = dx * cos + dy * sin;
        let across = (dy * cos - dx * sin) * self.aspect;
        let theta = libm::atan2(across, along);
        let [(a2, p2), (a3, p3)] = self.wobble;
        let radius = self.radius
            * (1.0 + a2 * libm::cos(2.0 * theta + p2) + a3 * libm::cos(3.0 * theta + p3));
        radius - libm::sqrt(along * along + across * across)
    }

    /// The pixels that may be inside: a box around the centre that holds the longest radius.
    fn pixels(&self) -> impl Iterator<Item = (usize, usize)> + use<> {
        let [(a2, _), (a3, _)] = self.wobble;
        let reach = self.radius * (1.0 + a2 + a3) + 1.0;
        let span = |centre: f64| {
            let low = (centre - reach).max(0.0) as usize;
            let high = ((centre + reach).max(0.0) as usize + 1).min(SIZE);
            low..high
        };
        let xs = span(self.cx);
        span(self.cy).flat_map(move |y| xs.clone().map(move |x| (y, x)))
    }

    /// Anti-aliased coverage of each pixel: 1 inside, 0 outside, a one-pixel ramp at the outline.
    fn coverage(&self) -> Field {
        let mut coverage = Field::zeros(SHAPE);
        for (y, x) in self.pixels() {
            coverage[(y, x)] = (self.inside_by(y, x) + 0.5).clamp(0.0, 1.0) as f32;
        }
        coverage
    }
}

/// Draws a polyline of the given half width (interpolated between vertices) into `coverage`,
/// anti-aliased, keeping the maximum where strokes cross.
fn stroke(coverage: &mut Field, points: &[(f64, f64)], half_width: &[f64]) {
    for (i, segment) in points.windows(2).enumerate() {
        let ((y0, x0), (y1, x1)) = (segment[0], segment[1]);
        let (w0, w1) = (half_width[i], half_width[i + 1]);
        let reach = w0.max(w1) + 1.0;
        let (ylo, yhi) = (
            (y0.min(y1) - reach).max(0.0) as usize,
            (y0.max(y1) + reach).min(SIZE as f64 - 1.0),
        );
        let (xlo, xhi) = (
            (x0.min(x1) - reach).max(0.0) as usize,
            (x0.max(x1) + reach).min(SIZE as f64 - 1.0),
        );
        let (ey, ex) = (y1 - y0, x1 - x0);
        let length2 = (ey * ey + ex * ex).max(1e-12);
        for y in ylo..=yhi as usize {
            for x in xlo..=xhi as usize {
                let t = (((y as f64 - y0) * ey + (x as f64 - x0) * ex) / length2).clamp(0.0, 1.0);
                let (py, px) = (y0 + t * ey - y as f64, x0 + t * ex - x as f64);
                let distance = libm::sqrt(py * py + px * px);
                let c = (w0 + (w1 - w0) * t - distance + 0.5).clamp(0.0, 1.0) as f32;
                let cell = &mut coverage[(y, x)];
                *cell = cell.max(c);
            }
        }
    }
}

/// A random walk of `steps` one-pixel steps from (y, x) heading `angle`, turning by N(0, turn²)
/// each step; stops at the image border.
fn wander(
    rng: &mut Rng,
    (mut y, mut x): (f64, f64),
    mut angle: f64,
    steps: usize,
    turn: f64,
) -> Vec<(f64, f64)> {
    let mut points = vec![(y, x)];
    for _ in 0..steps {
        angle += turn * rng.normal();
        y += libm::sin(angle);
        x += libm::cos(angle);
        if !(0.0..SIZE as f64 - 1.0).contains(&y) || !(0.0..SIZE as f64 - 1.0).contains(&x) {
            break;
        }
        points.push((y, x));
    }
    points
}

fn mask_of(coverage: &Field) -> Field {
    coverage.mapv(|c| if c >= 0.5 { 1.0 } else { 0.0 })
}

fn fraction(mask: &Field) -> f64 {
    mask.sum() as f64 / mask.len() as f64
}

/// Where `field` is above the level that leaves `share` of the image above it, and `allowed` is set.
fn region(field: &Field, share: f64, allowed: impl Fn(usize, usize) -> bool) -> Field {
    let level = level_for_fraction(field, share);
    Array2::from_shape_fn((SIZE, SIZE), |(y, x)| {
        if field[(y, x)] > level && allowed(y, x) {
            1.0
        } else {
            0.0
        }
    })
}

fn sample(image: Array3<f32>, mask: Field) -> Sample {
    Sample { image, mask }
}

const SHAPE: (usize, usize) = (SIZE, SIZE);

// ---------------------------------------------------------------------------------------------
// The scenes.

/// H&E-like tissue: hematoxylin-purple regions on eosin-pink stroma, with dense eosin streaks.
fn blobs(rng: &mut Rng, _image: usize) -> Sample {
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

/// Fluorescence: green cytoplasm with a blue nucleus, yellow autofluorescent debris, green glow.
fn cells(rng: &mut Rng, _image: usize) -> Sample {
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

/// Concrete: grainy grey with pebbles and stains, dark branching cracks, and reddish fibres.
fn cracks(rng: &mut Rng, _image: usize) -> Sample {
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

/// Fluorescent puncta: tiny magenta specks among green specks, hot pixels and blurred spots.
fn specks(rng: &mut Rng, _image: usize) -> Sample {
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

/// Target object fractions of the "varying" images: geometric from 1 % to 50 % for the training
/// images, and values in between for the held-out ones.
const VARYING_FRACTIONS: [f64; TRAIN_IMAGES + HELDOUT_IMAGES] = [
    0.01, 0.0175, 0.0306, 0.0536, 0.0937, 0.164, 0.286, 0.50, 0.013, 0.04, 0.12, 0.38,
];

/// Brushed steel with rust patches of very different extent per image, grime and a glare band.
fn varying(rng: &mut Rng, image: usize) -> Sample {
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

/// H&E-like nuclei in clusters, touching and overlapping; the mask separates touching nuclei by
/// a one-pixel background seam, as U-Net's training data does.
fn touching(rng: &mut Rng, _image: usize) -> Sample {
    let target = between(rng, 0.30, 0.40);
    let (hue, grain, chromatin) = (
        texture(rng, SHAPE, 20.0, 3),
        texture(rng, SHAPE, 4.0, 2),
        texture(rng, SHAPE, 2.5, 2),
    );
    let clusters: Vec<(f64, f64)> = (0..3 + rng.below(2))
        .map(|_| (between(rng, 15.0, 81.0), between(rng, 15.0, 81.0)))
        .collect();
    let mut nuclei: Vec<Blob> = Vec::new();
    // Label of each pixel: the nucleus it lies deepest inside (0 = none), and by how much.
    let mut label = Array2::<usize>::zeros(SHAPE);
    let mut depth = Array2::<f64>::from_elem(SHAPE, 0.0);
    for _attempt in 0..300 {
        let covered = label.iter().filter(|&&l| l > 0).count() as f64 / label.len() as f64;
        if covered >= target {
            break;
        }
        let (ky, kx) = clusters[rng.below(clusters.len())];
        let (cy, cx) = (ky + 14.0 * rng.normal(), kx + 14.0 * rng.normal());
        let radius = between(rng, 6.0, 9.0);
        // Neighbours may overlap a little (a quarter of the radii), so many nuclei touch.
        let fits = nuclei.iter().all(|n| {
            let (dy, dx) = (n.cy - cy, n.cx - cx);
            libm::sqrt(dy * dy + dx * dx) > 0.75 * (n.radius + radius)
        });
        if !fits || !(0.0..96.0).contains(&cy) || !(0.0..96.0).contains(&cx) {
            continue;
        }
        let nucleus = Blob::random(rng, cy, cx, radius, 1.4, 0.08);
        nuclei.push(nucleus);
        let nucleus = nuclei.last().unwrap();
        for (y, x) in nucleus.pixels() {
            let inside = nucleus.inside_by(y, x);
            if inside >= 0.0 && (label[(y, x)] == 0 || inside > depth[(y, x)]) {
                label[(y, x)] = nuclei.len();
                depth[(y, x)] = inside;
            }
        }
    }
    // Seams: a pixel of nucleus j with an 8-neighbour of nucleus i < j becomes background, so no two
    // nuclei are 8-connected in the mask.
    let seam = Array2::from_shape_fn(SHAPE, |(y, x)| {
        let own = label[(y, x)];
        let mut touches_earlier = false;
        for ny in y.saturating_sub(1)..=(y + 1).min(SIZE - 1) {
            for nx in x.saturating_sub(1)..=(x + 1).min(SIZE - 1) {
                let other = label[(ny, nx)];
                touches_earlier |= own > 0 && other > 0 && other < own;
            }
        }
        touches_earlier
    });
    let mask = Array2::from_shape_fn(SHAPE, |(y, x)| {
        if label[(y, x)] > 0 && !seam[(y, x)] {
            1.0
        } else {
            0.0
        }
    });

    let shades: Vec<f32> = (0..nuclei.len())
        .map(|_| between(rng, 0.85, 1.6) as f32)
        .collect();
    let cytoplasm = texture(rng, SHAPE, 10.0, 2);
    let dense = region(&cytoplasm, 0.30, |y, x| label[(y, x)] == 0);
    let mut canvas = Canvas::new(|y, x| {
        let base = mix([0.93, 0.72, 0.82], [0.84, 0.58, 0.72], unit(hue[(y, x)]));
        scale(base, 1.0 + 0.08 * grain[(y, x)])
    });
    canvas.paint(&dense, |y, x| {
        scale([0.58, 0.36, 0.56], 1.0 + 0.1 * grain[(y, x)])
    });
    let nucleus_coverage = label.mapv(|l| if l > 0 { 1.0 } else { 0.0 });
    canvas.paint(&nucleus_coverage, |y, x| {
        let shade = shades[label[(y, x)] - 1];
        let colour = scale([0.42, 0.28, 0.60], shade * (1.0 + 0.25 * chromatin[(y, x)]));
        // The seam shows as a faint paler line, enough for a model with context to find.
        if seam[(y, x)] {
            mix(colour, [0.80, 0.62, 0.78], 0.6)
        } else {
            colour
        }
    });
    sample(canvas.develop(rng, 0.55, 0.03), mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grey(image: &Array3<f32>) -> Field {
        Array2::from_shape_fn((image.dim().0, image.dim().1), |(y, x)| {
            (image[(y, x, 0)] + image[(y, x, 1)] + image[(y, x, 2)]) / 3.0
        })
    }

    /// The best Dice any global threshold reaches on `values` (in [0, 1]) over all images at once,
    /// trying both polarities (objects brighter or darker) at every 1/256 step: histograms of object
    /// and background values, then every cut between bins.
    fn best_threshold_dice(values: &[Field], masks: &[&Field]) -> f64 {
        let (mut object, mut background) = ([0u64; 256], [0u64; 256]);
        for (field, mask) in values.iter().zip(masks) {
            for (&v, &m) in field.iter().zip(mask.iter()) {
                let bin = ((v * 256.0) as usize).min(255);
                if m > 0.5 {
                    object[bin] += 1
                } else {
                    background[bin] += 1
                }
            }
        }
        let (objects, backgrounds): (u64, u64) = (object.iter().sum(), background.iter().sum());
        let (mut object_below, mut background_below) = (0u64, 0u64);
        let mut best: f64 = 0.0;
        for cut in 0..=256 {
            // Predict "above the cut" or "below the cut" as object.
            let above = (objects - object_below, backgrounds - background_below);
            let below = (object_below, background_below);
            for (tp, fp) in [above, below] {
                best = best.max(2.0 * tp as f64 / (tp + fp + objects).max(1) as f64);
            }
            if cut < 256 {
                object_below += object[cut];
                background_below += background[cut];
            }
        }
        best
    }

    #[test]
    fn same_seed_gives_the_same_bits_and_seeds_differ() {
        for info in scenes() {
            let a = generate(info.name, 5).unwrap();
            let b = generate(info.name, 5).unwrap();
            assert_eq!(a, b, "{}", info.name);
            let c = generate(info.name, 6).unwrap();
            assert_ne!(a.train[0].image, c.train[0].image, "{}", info.name);
            assert_eq!((a.train.len(), a.heldout.len()), (8, 4));
            for s in a.train.iter().chain(&a.heldout) {
                assert_eq!(s.image.dim(), (96, 96, 3));
                assert!(Sample::new(s.image.clone(), s.mask.clone()).is_ok());
            }
        }
    }

    /// FNV-1a 64 over the little-endian bits of every image, then every mask, of the dataset.
    fn pixel_hash(dataset: &Dataset) -> u64 {
        let samples = || dataset.train.iter().chain(&dataset.heldout);
        let images = samples().flat_map(|s| s.image.iter().copied().collect::<Vec<_>>());
        let masks = samples().flat_map(|s| s.mask.iter().copied().collect::<Vec<_>>());
        images
            .chain(masks)
            .flat_map(|v| v.to_bits().to_le_bytes())
            .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
                (hash ^ byte as u64).wrapping_mul(0x0000_0100_0000_01b3)
            })
    }

    /// Every scene draws the same pixels as when these hashes were taken (before the scenes were
    /// split into their own files): a change to any scene or painting helper shows up here.
    #[test]
    fn scenes_draw_the_recorded_pixels() {
        let recorded = [
            ("blobs", 0x8e4a98f97f08fde9),
            ("cells", 0x390f4f39a3208372),
            ("cracks", 0xf17d027d908ca76c),
            ("specks", 0xba4a1f47a9485feb),
            ("varying", 0x4059ea5e28d090d1),
            ("touching", 0xb8bf6f1692722fb2),
        ];
        let got: Vec<(&str, u64)> = scenes()
            .iter()
            .map(|info| (info.name, pixel_hash(&generate(info.name, 3).unwrap())))
            .collect();
        let hex: Vec<String> = got
            .iter()
            .map(|(n, h)| format!("(\"{n}\", {h:#018x})"))
            .collect();
        assert_eq!(got, recorded, "got {}", hex.join(", "));
    }

    #[test]
    fn unknown_scene_lists_the_valid_names() {
        let err = generate("blob", 1).unwrap_err();
        assert_eq!(
            err.0,
            "unknown demo scene \"blob\"; choose one of: blobs, cells, cracks, specks, varying, touching"
        );
    }

    #[test]
    fn object_fractions_stay_in_their_bands() {
        // (scene, lowest and highest dataset fraction accepted) over several seeds.
        let bands = [
            ("blobs", 0.24, 0.36),
            ("cells", 0.06, 0.10),
            ("cracks", 0.012, 0.03),
            ("specks", 0.0035, 0.0075),
            ("varying", 0.12, 0.16),
            ("touching", 0.25, 0.40),
        ];
        for (name, low, high) in bands {
            let nominal = scenes()
                .iter()
                .find(|s| s.name == name)
                .unwrap()
                .nominal_fraction;
            assert!((low..=high).contains(&nominal));
            for seed in 0..4 {
                let fraction = generate(name, seed).unwrap().foreground_fraction();
                assert!(
                    (low..=high).contains(&fraction),
                    "{name} seed {seed}: {fraction}"
                );
            }
        }
        // "varying" spans 1 % to 50 % from image to image.
        let varying = generate("varying", 0).unwrap();
        let fractions: Vec<f64> = varying
            .train
            .iter()
            .map(Sample::foreground_fraction)
            .collect();
        assert!(fractions[0] < 0.012 && fractions[7] > 0.48, "{fractions:?}");
    }

    #[test]
    fn touching_nuclei_are_separated_by_seams() {
        let dataset = generate("touching", 0).unwrap();
        let components = |mask: &Field| {
            let mut seen = Array2::from_elem(mask.dim(), false);
            let mut count = 0;
            for start in mask
                .indexed_iter()
                .filter(|&(_, &m)| m > 0.5)
                .map(|(i, _)| i)
            {
                if seen[start] {
                    continue;
                }
                count += 1;
                let mut stack = vec![start];
                seen[start] = true;
                while let Some((y, x)) = stack.pop() {
                    for ny in y.saturating_sub(1)..=(y + 1).min(SIZE - 1) {
                        for nx in x.saturating_sub(1)..=(x + 1).min(SIZE - 1) {
                            if mask[(ny, nx)] > 0.5 && !seen[(ny, nx)] {
                                seen[(ny, nx)] = true;
                                stack.push((ny, nx));
                            }
                        }
                    }
                }
            }
            count
        };
        // Clusters of touching nuclei would merge into a handful of components without seams.
        let total: usize = dataset.train.iter().map(|s| components(&s.mask)).sum();
        assert!(total >= 8 * 8, "only {total} separate nuclei in 8 images");
    }

    #[test]
    fn no_global_threshold_solves_a_scene() {
        let mut solved = Vec::new();
        for info in scenes() {
            let dataset = generate(info.name, 1).unwrap();
            let masks: Vec<&Field> = dataset.train.iter().map(|s| &s.mask).collect();
            let mut channels: Vec<(String, Vec<Field>)> = vec![(
                "grey".into(),
                dataset.train.iter().map(|s| grey(&s.image)).collect(),
            )];
            for (ch, name) in ["red", "green", "blue"].iter().enumerate() {
                let values = dataset
                    .train
                    .iter()
                    .map(|s| s.image.index_axis(ndarray::Axis(2), ch).to_owned())
                    .collect();
                channels.push((name.to_string(), values));
            }
            for (channel, values) in &channels {
                let dice = best_threshold_dice(values, &masks);
                println!(
                    "{} {channel}: best global threshold Dice {dice:.3}",
                    info.name
                );
                if dice >= 0.75 {
                    solved.push(format!("{} by {channel} (Dice {dice:.3})", info.name));
                }
            }
        }
        assert!(
            solved.is_empty(),
            "a global threshold solves {}",
            solved.join(", ")
        );
    }

    /// Writes every scene as a contact sheet (image row over mask row, 3× enlarged) to
    /// /tmp/segloss-scenes-<name>.ppm, for looking at: `cargo test -- --ignored contact_sheet`.
    #[test]
    #[ignore]
    fn contact_sheet() {
        use std::io::Write;
        let zoom = 3;
        for info in scenes() {
            let dataset = generate(info.name, 1).unwrap();
            let samples: Vec<&Sample> = dataset
                .train
                .iter()
                .chain(&dataset.heldout)
                .take(6)
                .collect();
            let (width, height) = (samples.len() * (SIZE + 2) * zoom, 2 * (SIZE + 2) * zoom);
            let mut pixels = vec![255u8; width * height * 3];
            for (i, s) in samples.iter().enumerate() {
                for y in 0..SIZE * zoom {
                    for x in 0..SIZE * zoom {
                        let (sy, sx) = (y / zoom, x / zoom);
                        let left = i * (SIZE + 2) * zoom + x;
                        for ch in 0..3 {
                            pixels[(y * width + left) * 3 + ch] =
                                (s.image[(sy, sx, ch)] * 255.0 + 0.5) as u8;
                            let top = y + (SIZE + 2) * zoom;
                            pixels[(top * width + left) * 3 + ch] =
                                (s.mask[(sy, sx)] * 255.0) as u8;
                        }
                    }
                }
            }
            let mut file =
                std::fs::File::create(format!("/tmp/segloss-scenes-{}.ppm", info.name)).unwrap();
            write!(file, "P6\n{width} {height}\n255\n").unwrap();
            file.write_all(&pixels).unwrap();
            let fractions: Vec<String> = samples
                .iter()
                .map(|s| format!("{:.3}", s.foreground_fraction()))
                .collect();
            println!(
                "{}: dataset {:.4}, images {}",
                info.name,
                dataset.foreground_fraction(),
                fractions.join(" ")
            );
        }
    }
}
