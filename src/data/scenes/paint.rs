//! Painting helpers of the demo scenes: colours, a canvas and its camera, roundish blobs, strokes
//! and random walks, masks and their object fractions.

use super::DEMO_SIZE;
use super::noise::{blur, illumination, level_for_fraction};
use crate::data::Sample;
use crate::rng::Rng;
use ndarray::{Array2, Array3};

/// Side of every scene image, in pixels.
pub(super) const SIZE: usize = DEMO_SIZE;
/// (H, W) of every scene image and field.
pub(super) const SHAPE: (usize, usize) = (SIZE, SIZE);

/// Linear RGB.
pub(super) type Rgb = [f32; 3];
/// One value per pixel, (H, W): a coverage, a mask or a noise field.
pub(super) type Field = Array2<f32>;

/// Uniform in [low, high).
pub(super) fn between(rng: &mut Rng, low: f64, high: f64) -> f64 {
    low + (high - low) * rng.uniform()
}

/// Linear blend a → b at t in [0, 1].
pub(super) fn mix(a: Rgb, b: Rgb, t: f32) -> Rgb {
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

pub(super) fn scale(colour: Rgb, gain: f32) -> Rgb {
    colour.map(|v| v * gain)
}

/// Maps a noise value in [-1, 1] to a blend weight in [0, 1].
pub(super) fn unit(noise: f32) -> f32 {
    ((noise + 1.0) / 2.0).clamp(0.0, 1.0)
}

/// The scene before the camera: linear RGB that may leave [0, 1] until developed.
pub(super) struct Canvas {
    rgb: Array3<f32>, // (H, W, 3)
}

impl Canvas {
    pub(super) fn new(colour: impl Fn(usize, usize) -> Rgb) -> Canvas {
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
    pub(super) fn paint(&mut self, coverage: &Field, colour: impl Fn(usize, usize) -> Rgb) {
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
    pub(super) fn develop(self, rng: &mut Rng, min_gain: f64, noise: f64) -> Array3<f32> {
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
pub(super) struct Blob {
    pub(super) cy: f64,
    pub(super) cx: f64,
    pub(super) radius: f64,
    /// Long over short axis, ≥ 1.
    pub(super) aspect: f64,
    /// Sine and cosine of the long axis' angle.
    pub(super) direction: (f64, f64),
    pub(super) wobble: [(f64, f64); 2],
}

impl Blob {
    pub(super) fn random(
        rng: &mut Rng,
        cy: f64,
        cx: f64,
        radius: f64,
        max_aspect: f64,
        wobble: f64,
    ) -> Blob {
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
    pub(super) fn inside_by(&self, y: usize, x: usize) -> f64 {
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
    pub(super) fn pixels(&self) -> impl Iterator<Item = (usize, usize)> + use<> {
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
    pub(super) fn coverage(&self) -> Field {
        let mut coverage = Field::zeros(SHAPE);
        for (y, x) in self.pixels() {
            coverage[(y, x)] = (self.inside_by(y, x) + 0.5).clamp(0.0, 1.0) as f32;
        }
        coverage
    }
}

/// Draws a polyline of the given half width (interpolated between vertices) into `coverage`,
/// anti-aliased, keeping the maximum where strokes cross.
pub(super) fn stroke(coverage: &mut Field, points: &[(f64, f64)], half_width: &[f64]) {
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
pub(super) fn wander(
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

pub(super) fn mask_of(coverage: &Field) -> Field {
    coverage.mapv(|c| if c >= 0.5 { 1.0 } else { 0.0 })
}

pub(super) fn fraction(mask: &Field) -> f64 {
    mask.sum() as f64 / mask.len() as f64
}

/// Where `field` is above the level that leaves `share` of the image above it, and `allowed` is set.
pub(super) fn region(field: &Field, share: f64, allowed: impl Fn(usize, usize) -> bool) -> Field {
    let level = level_for_fraction(field, share);
    Array2::from_shape_fn((SIZE, SIZE), |(y, x)| {
        if field[(y, x)] > level && allowed(y, x) {
            1.0
        } else {
            0.0
        }
    })
}

pub(super) fn sample(image: Array3<f32>, mask: Field) -> Sample {
    Sample { image, mask }
}
