//! Images and masks to network tensors, and to RGBA bytes for the page's canvas `ImageData`.

use crate::bail;
use crate::error::Result;
use crate::tensor::Tensor;
use ndarray::{Array2, Array3, ArrayView2, ArrayView3};

/// Network input normalisation, fixed (not estimated from the data) so that a link reproduces the
/// same run on any dataset: each channel becomes (x − INPUT_MEAN) / INPUT_SPREAD, mapping [0, 1]
/// to [−2, 2] with mid-grey at 0.
pub const INPUT_MEAN: f32 = 0.5;
pub const INPUT_SPREAD: f32 = 0.25;

/// Stacks (H, W, 3) images in [0, 1] into the normalised network input (N, H, W, 3).
pub fn input_tensor(images: &[ArrayView3<f32>]) -> Result<Tensor> {
    let Some(first) = images.first() else {
        bail!("no images to stack")
    };
    let (h, w, c) = first.dim();
    if c != 3 {
        bail!("image has {c} channels, expected 3 (RGB)");
    }
    let mut input = Tensor::zeros((images.len(), h, w, 3));
    for (n, image) in images.iter().enumerate() {
        if image.dim() != (h, w, 3) {
            let (ih, iw, ic) = image.dim();
            bail!("image {n} has shape ({ih}, {iw}, {ic}), expected ({h}, {w}, 3) like image 0");
        }
        input
            .index_axis_mut(ndarray::Axis(0), n)
            .zip_mut_with(image, |out, &v| *out = (v - INPUT_MEAN) / INPUT_SPREAD);
    }
    Ok(input)
}

/// Stacks (H, W) masks in {0, 1} into the sigmoid head's target (N, H, W, 1).
pub fn target_tensor(masks: &[ArrayView2<f32>]) -> Result<Tensor> {
    let Some(first) = masks.first() else {
        bail!("no masks to stack")
    };
    let (h, w) = first.dim();
    let mut target = Tensor::zeros((masks.len(), h, w, 1));
    for (n, mask) in masks.iter().enumerate() {
        if mask.dim() != (h, w) {
            let (mh, mw) = mask.dim();
            bail!("mask {n} has shape ({mh}, {mw}), expected ({h}, {w}) like mask 0");
        }
        target
            .index_axis_mut(ndarray::Axis(0), n)
            .index_axis_mut(ndarray::Axis(2), 0)
            .assign(mask);
    }
    Ok(target)
}

/// [0, 1] → 0..=255, rounded to nearest; out-of-range values are clamped, NaN becomes 0.
fn byte(v: f32) -> u8 {
    (v.clamp(0.0, 1.0) * 255.0 + 0.5) as u8
}

/// (H, W, 3) RGB in [0, 1] → row-major RGBA bytes, opaque.
pub fn image_to_rgba(image: &Array3<f32>) -> Vec<u8> {
    let (h, w, _) = image.dim();
    let mut rgba = Vec::with_capacity(h * w * 4);
    for y in 0..h {
        for x in 0..w {
            rgba.extend_from_slice(&[
                byte(image[(y, x, 0)]),
                byte(image[(y, x, 1)]),
                byte(image[(y, x, 2)]),
                255,
            ]);
        }
    }
    rgba
}

/// (H, W) mask → row-major RGBA bytes: object white, background black, opaque.
pub fn mask_to_rgba(mask: &Array2<f32>) -> Vec<u8> {
    mask.iter()
        .flat_map(|&m| {
            if m >= 0.5 {
                [255, 255, 255, 255]
            } else {
                [0, 0, 0, 255]
            }
        })
        .collect()
}

/// Viridis (matplotlib's perceptually uniform colormap) sampled at 0, 1/8, …, 1; linear in between.
const VIRIDIS: [[f32; 3]; 9] = [
    [68.0, 1.0, 84.0],
    [71.0, 44.0, 122.0],
    [59.0, 82.0, 139.0],
    [44.0, 113.0, 142.0],
    [33.0, 145.0, 140.0],
    [39.0, 173.0, 129.0],
    [92.0, 200.0, 99.0],
    [170.0, 220.0, 50.0],
    [253.0, 231.0, 37.0],
];

/// Colour of `t` in [0, 1] on a piecewise linear colormap given by equally spaced stops.
fn colormap(stops: &[[f32; 3]], t: f32) -> [u8; 4] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let position = t * (stops.len() - 1) as f32;
    let i = (position as usize).min(stops.len() - 2);
    let f = position - i as f32;
    let channel = |c: usize| (stops[i][c] + (stops[i + 1][c] - stops[i][c]) * f + 0.5) as u8;
    [channel(0), channel(1), channel(2), 255]
}

/// (H, W) probabilities in [0, 1] → row-major RGBA bytes on viridis (0 dark purple, 1 yellow).
pub fn probability_to_rgba(probabilities: &Array2<f32>) -> Vec<u8> {
    probabilities
        .iter()
        .flat_map(|&p| colormap(&VIRIDIS, p))
        .collect()
}

/// Diverging blue–white–red, the ends of Moreland's "cool to warm".
const COOL_WARM: [[f32; 3]; 3] = [
    [59.0, 76.0, 192.0],
    [242.0, 242.0, 242.0],
    [180.0, 4.0, 38.0],
];

/// (H, W) signed values (e.g. dlogits) → RGBA bytes: −scale blue, 0 white, +scale red. A `scale`
/// of 0 or less uses the largest magnitude present, so the map always shows its structure.
pub fn signed_to_rgba(values: &Array2<f32>, scale: f32) -> Vec<u8> {
    let scale = if scale > 0.0 {
        scale
    } else {
        values
            .iter()
            .fold(0.0f32, |m, v| m.max(v.abs()))
            .max(f32::MIN_POSITIVE)
    };
    values
        .iter()
        .flat_map(|&v| colormap(&COOL_WARM, 0.5 + 0.5 * v / scale))
        .collect()
}

/// Overlay colours: true positive, false positive, false negative (distinguishable with the common
/// colour-vision deficiencies); true negatives show the image itself, dimmed.
pub const TRUE_POSITIVE: [u8; 3] = [255, 212, 0];
pub const FALSE_POSITIVE: [u8; 3] = [255, 59, 48];
pub const FALSE_NEGATIVE: [u8; 3] = [0, 194, 255];

/// The image (H, W, 3) dimmed to grey with TP/FP/FN of `prediction` against `mask` (both (H, W) in
/// {0, 1}) blended on top, as RGBA bytes.
pub fn overlay_to_rgba(
    image: &Array3<f32>,
    mask: &Array2<f32>,
    prediction: &Array2<f32>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(mask.len() * 4);
    for ((pixel, &truth), &predicted) in image.rows().into_iter().zip(mask).zip(prediction) {
        let grey = (pixel[0] + pixel[1] + pixel[2]) / 3.0 * 0.6;
        let colour = match (truth >= 0.5, predicted >= 0.5) {
            (true, true) => Some(TRUE_POSITIVE),
            (false, true) => Some(FALSE_POSITIVE),
            (true, false) => Some(FALSE_NEGATIVE),
            (false, false) => None,
        };
        let blend = |c: usize| match colour {
            Some(rgb) => (0.75 * rgb[c] as f32 + 0.25 * 255.0 * grey + 0.5) as u8,
            None => (255.0 * grey + 0.5) as u8,
        };
        out.extend([blend(0), blend(1), blend(2), 255]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, s};

    #[test]
    fn input_is_normalised_and_stacked_in_nhwc() {
        let a = Array3::from_shape_fn((2, 3, 3), |(y, x, c)| (y * 9 + x * 3 + c) as f32 / 17.0);
        let b = Array3::from_elem((2, 3, 3), 0.75f32);
        let input = input_tensor(&[a.view(), b.view()]).unwrap();
        assert_eq!(input.dim(), (2, 2, 3, 3));
        // Pixel (1, 2) channel 1 of a is (9 + 6 + 1)/17; (16/17 − 0.5)/0.25.
        assert_eq!(input[(0, 1, 2, 1)], (16.0 / 17.0 - 0.5) / 0.25);
        assert_eq!(input[(1, 0, 0, 2)], 1.0);
        let err = input_tensor(&[a.view(), a.slice(s![.., ..2, ..])]).unwrap_err();
        assert_eq!(
            err.0,
            "image 1 has shape (2, 2, 3), expected (2, 3, 3) like image 0"
        );
        assert!(input_tensor(&[]).is_err());
    }

    #[test]
    fn target_keeps_mask_values() {
        let mask = array![[0.0f32, 1.0], [1.0, 0.0]];
        let target = target_tensor(&[mask.view(), mask.view()]).unwrap();
        assert_eq!(target.dim(), (2, 2, 2, 1));
        assert_eq!(target[(1, 0, 1, 0)], 1.0);
        assert_eq!(target[(1, 1, 1, 0)], 0.0);
    }

    #[test]
    fn rgba_bytes_are_row_major_and_opaque() {
        let mut image = Array3::<f32>::zeros((1, 2, 3));
        image[(0, 1, 0)] = 1.0;
        image[(0, 1, 2)] = 0.5;
        image[(0, 0, 1)] = 2.0;
        assert_eq!(
            image_to_rgba(&image),
            vec![0, 255, 0, 255, 255, 0, 128, 255]
        );
        assert_eq!(
            mask_to_rgba(&array![[1.0f32, 0.0]]),
            vec![255, 255, 255, 255, 0, 0, 0, 255]
        );
    }

    #[test]
    fn colormaps_hit_their_stops() {
        let p = array![[0.0f32, 0.5, 1.0, f32::NAN]];
        assert_eq!(
            probability_to_rgba(&p),
            vec![
                68, 1, 84, 255, 33, 145, 140, 255, 253, 231, 37, 255, 68, 1, 84, 255
            ]
        );
        // Halfway between stops 0 and 1 (t = 1/16): (68+71)/2 = 69.5 → 70 after rounding.
        assert_eq!(probability_to_rgba(&array![[1.0f32 / 16.0]])[0], 70);
        let g = array![[-2.0f32, 0.0, 1.0]];
        assert_eq!(
            signed_to_rgba(&g, 0.0),
            vec![59, 76, 192, 255, 242, 242, 242, 255, 211, 123, 140, 255]
        );
    }

    #[test]
    fn overlay_colours_each_outcome() {
        let image = Array3::from_elem((1, 4, 3), 0.5f32);
        let mask = array![[1.0f32, 0.0, 1.0, 0.0]];
        let prediction = array![[1.0f32, 1.0, 0.0, 0.0]];
        let rgba = overlay_to_rgba(&image, &mask, &prediction);
        // Grey 0.5 · 0.6 = 0.3 under a 25 % blend: 0.25 · 255 · 0.3 = 19.125.
        assert_eq!(
            rgba[0..3],
            [
                (0.75 * 255.0 + 19.125 + 0.5) as u8,
                (0.75 * 212.0 + 19.125 + 0.5) as u8,
                (19.125f32 + 0.5) as u8
            ]
        );
        assert_eq!(rgba[4], (0.75 * 255.0 + 19.125 + 0.5) as u8);
        assert_eq!(
            rgba[10],
            (0.75 * 255.0 + 19.125 + 0.5) as u8,
            "false negative is blue-ish"
        );
        assert_eq!(
            rgba[12..16],
            [77, 77, 77, 255],
            "true negative is the dimmed image"
        );
    }
}
