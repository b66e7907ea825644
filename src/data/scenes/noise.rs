//! Value noise and fractal sums of it (fBm), the raw material of the demo scenes: textures,
//! stains, object shapes and uneven illumination. Plain arithmetic and libm only, so every
//! target draws the same bits from the same seed.

use crate::rng::Rng;
use ndarray::{Array2, Array3};

/// One octave of value noise on an (h, w) grid: random values in [-1, 1] on a lattice with
/// `period` pixels between knots (per axis, so textures can be stretched, e.g. brushed metal),
/// blended with the quintic fade so the field is smooth between knots.
pub fn value_noise(
    rng: &mut Rng,
    (h, w): (usize, usize),
    (period_y, period_x): (f64, f64),
) -> Array2<f32> {
    // fy < h/period + 1, so its floor + 1 stays below floor(h/period) + 3.
    let knots_y = (h as f64 / period_y) as usize + 3;
    let knots_x = (w as f64 / period_x) as usize + 3;
    let knots: Vec<f64> = (0..knots_y * knots_x)
        .map(|_| 2.0 * rng.uniform() - 1.0)
        .collect();
    // A random phase keeps successive octaves from sharing knot positions (visible grid artefacts).
    let (phase_y, phase_x) = (rng.uniform(), rng.uniform());
    // Explicit loops over slices, the row's terms computed once: the web build optimises this crate
    // for size, where a `Vec` index, a closure or a small function is a call per pixel.
    let mut noise = vec![0.0f32; h * w];
    let pixels = &mut noise[..];
    for y in 0..h {
        let fy = y as f64 / period_y + phase_y;
        let iy = fy as usize;
        let ty = fade(fy - iy as f64);
        let upper = &knots[iy * knots_x..(iy + 1) * knots_x];
        let lower = &knots[(iy + 1) * knots_x..(iy + 2) * knots_x];
        for x in 0..w {
            let fx = x as f64 / period_x + phase_x;
            let ix = fx as usize;
            let tx = fade(fx - ix as f64);
            let top = upper[ix] + (upper[ix + 1] - upper[ix]) * tx;
            let bottom = lower[ix] + (lower[ix + 1] - lower[ix]) * tx;
            pixels[y * w + x] = (top + (bottom - top) * ty) as f32;
        }
    }
    Array2::from_shape_vec((h, w), noise).expect("noise shape")
}

/// Perlin's quintic 6t⁵ − 15t⁴ + 10t³: zero first and second derivative at the knots.
#[inline(always)]
fn fade(t: f64) -> f64 {
    t * t * t * (t * (t * 6.0 - 15.0) + 10.0)
}

/// Fractional Brownian motion: `octaves` of value noise, each with half the period and `gain`
/// times the amplitude of the one before, divided by the total amplitude so it stays in [-1, 1].
pub fn fbm(
    rng: &mut Rng,
    shape: (usize, usize),
    period: (f64, f64),
    octaves: usize,
    gain: f64,
) -> Array2<f32> {
    let mut sum = Array2::<f32>::zeros(shape);
    let (mut amplitude, mut total) = (1.0f64, 0.0f64);
    let mut octave_period = period;
    for _ in 0..octaves {
        let octave = value_noise(rng, shape, octave_period);
        sum.zip_mut_with(&octave, |s, &o| *s += (amplitude * o as f64) as f32);
        total += amplitude;
        amplitude *= gain;
        octave_period = (
            (octave_period.0 / 2.0).max(1.0),
            (octave_period.1 / 2.0).max(1.0),
        );
    }
    sum.mapv_inplace(|s| (s as f64 / total) as f32);
    sum
}

/// Isotropic fBm with the usual gain of one half.
pub fn texture(rng: &mut Rng, shape: (usize, usize), period: f64, octaves: usize) -> Array2<f32> {
    fbm(rng, shape, (period, period), octaves, 0.5)
}

/// The value above which `fraction` of the field lies: thresholding there gives regions
/// covering exactly that share of the image (up to ties).
pub fn level_for_fraction(field: &Array2<f32>, fraction: f64) -> f32 {
    let mut values: Vec<f32> = field.iter().copied().collect();
    values.sort_by(f32::total_cmp);
    let below = ((1.0 - fraction) * values.len() as f64) as usize;
    values[below.min(values.len() - 1)]
}

/// Uneven illumination as a gain field in [min_gain, 1]: a linear ramp in a random direction
/// (light from one side) with a slow fBm wobble, like a microscope's uneven field.
pub fn illumination(rng: &mut Rng, (h, w): (usize, usize), min_gain: f64) -> Array2<f32> {
    let angle = std::f64::consts::TAU * rng.uniform();
    let (dy, dx) = (libm::sin(angle), libm::cos(angle));
    let wobble = texture(rng, (h, w), 64.0, 2);
    let (cy, cx) = (h as f64 / 2.0, w as f64 / 2.0);
    let half_extent = (cy * dy.abs() + cx * dx.abs()).max(1.0);
    Array2::from_shape_fn((h, w), |(y, x)| {
        // Position along the light direction, −1 at the dark side to 1 at the bright side.
        let along = ((y as f64 - cy) * dy + (x as f64 - cx) * dx) / half_extent;
        let ramp = min_gain + (1.0 - min_gain) * (along + 1.0) / 2.0;
        (ramp * (1.0 + 0.06 * wobble[(y, x)] as f64)).clamp(0.0, 1.0) as f32
    })
}

/// Separable Gaussian blur of an (H, W, C) image, edges clamped: the optics' point spread.
pub fn blur(image: &Array3<f32>, sigma: f64) -> Array3<f32> {
    let radius = libm::ceil(2.5 * sigma) as isize;
    let weights: Vec<f64> = (-radius..=radius)
        .map(|i| libm::exp(-((i * i) as f64) / (2.0 * sigma * sigma)))
        .collect();
    let norm: f64 = weights.iter().sum();
    let (h, w, c) = image.dim();
    // Plain slices: the web build optimises this crate for size, where ndarray's indexing is a
    // function call per tap.
    let weights = &weights[..];
    let pass = |source: &Array3<f32>, vertical: bool| {
        let source = source.as_standard_layout();
        let source = source.as_slice().expect("standard layout");
        Array3::from_shape_fn((h, w, c), |(y, x, ch)| {
            let mut sum = 0.0f64;
            for (k, weight) in weights.iter().enumerate() {
                let offset = k as isize - radius;
                let (sy, sx) = if vertical {
                    ((y as isize + offset).clamp(0, h as isize - 1) as usize, x)
                } else {
                    (y, (x as isize + offset).clamp(0, w as isize - 1) as usize)
                };
                sum += weight * source[(sy * w + sx) * c + ch] as f64;
            }
            (sum / norm) as f32
        })
    };
    pass(&pass(image, true), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_bounded_smooth_and_seeded() {
        let a = fbm(&mut Rng::new(1, 0), (40, 50), (16.0, 16.0), 3, 0.5);
        let b = fbm(&mut Rng::new(1, 0), (40, 50), (16.0, 16.0), 3, 0.5);
        assert_eq!(a, b);
        assert!(a.iter().all(|v| (-1.0..=1.0).contains(v)));
        // One octave with period 16 changes by at most ~2·1.875/16 per pixel (max slope of the fade).
        let single = value_noise(&mut Rng::new(2, 0), (40, 40), (16.0, 16.0));
        for y in 0..40 {
            for x in 1..40 {
                assert!((single[(y, x)] - single[(y, x - 1)]).abs() < 0.25);
            }
        }
    }

    #[test]
    fn level_for_fraction_splits_the_field() {
        let field = texture(&mut Rng::new(3, 0), (64, 64), 20.0, 3);
        for fraction in [0.01, 0.3, 0.5] {
            let level = level_for_fraction(&field, fraction);
            let above = field.iter().filter(|&&v| v > level).count() as f64 / field.len() as f64;
            assert!((above - fraction).abs() < 0.002, "{fraction} → {above}");
        }
    }

    #[test]
    fn illumination_spans_its_range_and_blur_keeps_the_mean() {
        let gain = illumination(&mut Rng::new(4, 0), (96, 96), 0.6);
        let (min, max) = gain
            .iter()
            .fold((1.0f32, 0.0f32), |(lo, hi), &g| (lo.min(g), hi.max(g)));
        assert!(
            min < 0.65 && max > 0.95 && min >= 0.0 && max <= 1.0,
            "{min} {max}"
        );
        let mut image = Array3::<f32>::zeros((9, 9, 1));
        image[(4, 4, 0)] = 1.0;
        let blurred = blur(&image, 1.0);
        assert!((blurred.sum() - 1.0).abs() < 1e-5);
        assert!(blurred[(4, 4, 0)] < 0.2 && blurred[(4, 5, 0)] > 0.05);
    }
}
