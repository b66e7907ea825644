//! What the page draws, as row-major RGBA bytes ready for `ImageData`: images, masks, probability
//! maps, gradient maps and the TP/FP/FN overlay, and one run's view of one image composed from them.

use ndarray::{Array2, Array3};

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

/// One run's view of one image, as the page's results grid shows it (each RGBA, H × W × 4 bytes).
pub struct RunView {
    /// Object probability on viridis.
    pub probability: Vec<u8>,
    /// The prediction at the page's threshold: object white, background black.
    pub mask: Vec<u8>,
    /// TP/FP/FN of that prediction on the dimmed image.
    pub overlay: Vec<u8>,
    /// Where gradient descent pushes the object logit: red up, blue down, scaled to the largest push.
    pub gradient: Vec<u8>,
}

/// 1 where the probability is ≥ `threshold`, else 0.
pub fn threshold(probabilities: &Array2<f32>, threshold: f32) -> Array2<f32> {
    probabilities.mapv(|p| if p >= threshold { 1.0 } else { 0.0 })
}

impl RunView {
    /// `image` (H, W, 3) and `mask` (H, W) the sample; `probabilities` and `dlogits` (H, W) the run's.
    pub fn new(
        image: &Array3<f32>,
        mask: &Array2<f32>,
        probabilities: &Array2<f32>,
        dlogits: &Array2<f32>,
        at: f32,
    ) -> RunView {
        let prediction = threshold(probabilities, at);
        RunView {
            probability: probability_to_rgba(probabilities),
            mask: mask_to_rgba(&prediction),
            overlay: overlay_to_rgba(image, mask, &prediction),
            gradient: signed_to_rgba(&dlogits.mapv(|d| -d), 0.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

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

    #[test]
    fn a_run_view_thresholds_where_asked_and_shows_descent() {
        let image = Array3::from_elem((1, 2, 3), 0.5f32);
        let mask = array![[1.0f32, 0.0]];
        let probabilities = array![[0.4f32, 0.2]];
        let dlogits = array![[-1.0f32, 1.0]];
        let low = RunView::new(&image, &mask, &probabilities, &dlogits, 0.3);
        assert_eq!(low.mask, mask_to_rgba(&array![[1.0f32, 0.0]]));
        let high = RunView::new(&image, &mask, &probabilities, &dlogits, 0.5);
        assert_eq!(high.mask, mask_to_rgba(&array![[0.0f32, 0.0]]));
        // A negative dlogit means descent raises the object score: red.
        assert_eq!(low.gradient[..4], [180, 4, 38, 255]);
        assert_eq!(low.gradient[4..], [59, 76, 192, 255]);
    }
}
