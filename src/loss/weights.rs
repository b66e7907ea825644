//! Class weights from data (inverse / median frequency) and U-Net's border weight map.
//! One function, `class_weights`, computes the numbers the losses use and the page shows.

use super::binary::Batch;
use crate::components::{Connectivity, label};
use crate::error::Result;
use ndarray::ArrayView2;

/// Where class frequencies are counted: each image alone, the whole batch, or the dataset
/// (`LossContext::from_masks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Image,
    Batch,
    Dataset,
}

/// `scope=` in spec strings.
pub(crate) const SCOPES: [(&str, Scope); 3] = [
    ("image", Scope::Image),
    ("batch", Scope::Batch),
    ("dataset", Scope::Dataset),
];

/// Class weights derived from class frequencies (see `class_weights`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassWeighting {
    InverseFrequency,
    MedianFrequency,
}

/// Dataset-level class statistics for `scope=dataset` weights; `Default` holds none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LossContext {
    pub stats: Option<ClassStats>,
}

impl LossContext {
    /// Counts class pixels over every mask (H, W) of a dataset. Values are clamped to [0, 1];
    /// NaN counts as background.
    pub fn from_masks<'a>(masks: impl IntoIterator<Item = ArrayView2<'a, f32>>) -> Self {
        let mut stats = ClassStats::default();
        for mask in masks {
            let y: Vec<f64> = mask
                .iter()
                .map(|&v| {
                    if v.is_nan() {
                        0.0
                    } else {
                        v.clamp(0.0, 1.0) as f64
                    }
                })
                .collect();
            stats.add_image(&y);
        }
        LossContext { stats: Some(stats) }
    }
}

/// Soft pixel counts per class [bg, fg] (Σ(1−y), Σy), and for each class the pixel total of
/// the images in which it occurs (the denominator of SegNet's median frequency balancing).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClassStats {
    pub pixels: [f64; 2],
    pub pixels_of_images_with: [f64; 2],
}

impl ClassStats {
    /// Adds one image's targets y (H·W) in [0, 1].
    pub fn add_image(&mut self, y: &[f64]) {
        let fg: f64 = y.iter().sum();
        let bg: f64 = y.iter().map(|v| 1.0 - v).sum();
        for (class, count) in [bg, fg].into_iter().enumerate() {
            self.pixels[class] += count;
            if count > 0.0 {
                self.pixels_of_images_with[class] += y.len() as f64;
            }
        }
    }

    pub fn of(y: &[f64]) -> ClassStats {
        let mut stats = ClassStats::default();
        stats.add_image(y);
        stats
    }
}

/// Class weights [w_bg, w_fg] from class frequencies.
///
/// - inverse frequency: w_c = 1 / (K·f_c), f_c = pixels_c / all pixels, K = classes present;
///   the mean weight per pixel is then 1 (sklearn's "balanced"), so `norm=mean` keeps the scale.
/// - median frequency (SegNet): f_c = pixels_c / pixels of the images containing c,
///   w_c = median(f) / f_c; the median of two classes is their mean.
///
/// A class that never occurs gets the largest weight of the others (MONAI's rule for infinite
/// weights); a lone class gets weight 1.
pub fn class_weights(kind: ClassWeighting, stats: &ClassStats) -> [f64; 2] {
    let present: Vec<usize> = (0..2).filter(|&c| stats.pixels[c] > 0.0).collect();
    let total = stats.pixels[0] + stats.pixels[1];
    let frequency = |c: usize| match kind {
        ClassWeighting::InverseFrequency => stats.pixels[c] / total,
        ClassWeighting::MedianFrequency => stats.pixels[c] / stats.pixels_of_images_with[c],
    };
    let scale = match kind {
        ClassWeighting::InverseFrequency => 1.0 / present.len().max(1) as f64,
        ClassWeighting::MedianFrequency => {
            present.iter().map(|&c| frequency(c)).sum::<f64>() / present.len().max(1) as f64
        }
    };
    let mut w = [f64::NAN; 2];
    for &c in &present {
        w[c] = scale / frequency(c);
    }
    let largest = present
        .iter()
        .map(|&c| w[c])
        .fold(f64::NEG_INFINITY, f64::max);
    let largest = if present.is_empty() { 1.0 } else { largest };
    for v in &mut w {
        if v.is_nan() {
            *v = largest;
        }
    }
    w
}

/// Per-image class weights [w_bg, w_fg] over the chosen scope: one entry per image.
pub(crate) fn scoped_class_weights(
    kind: ClassWeighting,
    scope: Scope,
    batch: &Batch,
    ctx: &LossContext,
    loss: &str,
) -> Result<Vec<[f64; 2]>> {
    let hw = batch.pixels_per_image();
    let images = batch.y.chunks(hw);
    Ok(match scope {
        Scope::Image => images
            .map(|y| class_weights(kind, &ClassStats::of(y)))
            .collect(),
        Scope::Batch => {
            let mut stats = ClassStats::default();
            images.for_each(|y| stats.add_image(y));
            vec![class_weights(kind, &stats); batch.images]
        }
        Scope::Dataset => match &ctx.stats {
            Some(stats) => vec![class_weights(kind, stats); batch.images],
            None => crate::bail!(
                "{loss}: scope=dataset needs dataset class statistics (LossContext::from_masks); none were given"
            ),
        },
    })
}

/// The mean of per-image weights: the numbers shown for a term.
pub(crate) fn mean_weights(per_image: &[[f64; 2]]) -> [f64; 2] {
    let n = per_image.len() as f64;
    let sum = per_image
        .iter()
        .fold([0.0, 0.0], |s, w| [s[0] + w[0], s[1] + w[1]]);
    [sum[0] / n, sum[1] / n]
}

/// U-Net's border term (arXiv 1505.04597) for one image (H·W): w0·exp(−(d1 + d2)²/(2σ²)) on
/// background pixels, d1 and d2 the Euclidean distances to the nearest and second-nearest
/// object. Objects are 4-connected components of y > 0.5 (scipy.ndimage.label's default);
/// with fewer than two objects the term is 0.
pub(crate) fn unet_border(y: &[f64], height: usize, width: usize, w0: f64, sigma: f64) -> Vec<f64> {
    let foreground: Vec<bool> = y.iter().map(|&v| v > 0.5).collect();
    let components = label(&foreground, height, width, Connectivity::Four);
    let (labels, objects) = (components.labels, components.count);
    let mut border = vec![0.0; y.len()];
    if objects < 2 {
        return border;
    }
    // Two smallest squared distances per pixel, over all objects.
    let mut nearest = vec![[f64::INFINITY; 2]; y.len()];
    for object in 1..=objects {
        let inside: Vec<bool> = labels.iter().map(|&l| l == object).collect();
        for (d2, best) in squared_distance_to(&inside, height, width)
            .into_iter()
            .zip(&mut nearest)
        {
            if d2 < best[0] {
                *best = [d2, best[0]];
            } else if d2 < best[1] {
                best[1] = d2;
            }
        }
    }
    for ((b, best), &fg) in border.iter_mut().zip(&nearest).zip(&foreground) {
        if !fg {
            let d = libm::sqrt(best[0]) + libm::sqrt(best[1]);
            *b = w0 * libm::exp(-(d * d) / (2.0 * sigma * sigma));
        }
    }
    border
}

/// Exact squared Euclidean distance from every pixel to the nearest `inside` pixel
/// (Felzenszwalb & Huttenlocher's separable transform: columns, then rows).
fn squared_distance_to(inside: &[bool], height: usize, width: usize) -> Vec<f64> {
    const FAR: f64 = 1e20;
    let mut d: Vec<f64> = inside.iter().map(|&i| if i { 0.0 } else { FAR }).collect();
    let mut line = vec![];
    for c in 0..width {
        line.clear();
        line.extend((0..height).map(|r| d[r * width + c]));
        let out = distance_1d(&line);
        for r in 0..height {
            d[r * width + c] = out[r];
        }
    }
    for r in 0..height {
        let out = distance_1d(&d[r * width..(r + 1) * width]);
        d[r * width..(r + 1) * width].copy_from_slice(&out);
    }
    d
}

/// 1-D squared distance transform of sampled function f: min_q (p − q)² + f(q).
fn distance_1d(f: &[f64]) -> Vec<f64> {
    let n = f.len();
    let mut vertices = vec![0usize; n];
    let mut bounds = vec![0.0; n + 1];
    let mut k = 0;
    bounds[0] = f64::NEG_INFINITY;
    bounds[1] = f64::INFINITY;
    let intersection = |q: usize, v: usize| {
        let (q, v) = (q as f64, v as f64);
        ((f[q as usize] + q * q) - (f[v as usize] + v * v)) / (2.0 * q - 2.0 * v)
    };
    for q in 1..n {
        let mut s = intersection(q, vertices[k]);
        while s <= bounds[k] {
            k -= 1;
            s = intersection(q, vertices[k]);
        }
        k += 1;
        vertices[k] = q;
        bounds[k] = s;
        bounds[k + 1] = f64::INFINITY;
    }
    let mut out = vec![0.0; n];
    k = 0;
    for (p, o) in out.iter_mut().enumerate() {
        while bounds[k + 1] < p as f64 {
            k += 1;
        }
        let dp = p as f64 - vertices[k] as f64;
        *o = dp * dp + f[vertices[k]];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_frequency_balances_to_mean_weight_one() {
        // 1 fg pixel of 10: f = [0.9, 0.1] → w = [1/1.8, 1/0.2].
        let stats = ClassStats {
            pixels: [9.0, 1.0],
            pixels_of_images_with: [10.0, 10.0],
        };
        let w = class_weights(ClassWeighting::InverseFrequency, &stats);
        assert!(
            (w[0] - 1.0 / 1.8).abs() < 1e-15 && (w[1] - 5.0).abs() < 1e-15,
            "{w:?}"
        );
        assert!((9.0 * w[0] + 1.0 * w[1] - 10.0).abs() < 1e-12);
    }

    #[test]
    fn median_frequency_counts_only_images_containing_the_class() {
        // Two images of 4 pixels: [1 fg, 3 bg] and [0 fg, 4 bg].
        // f_fg = 1/4 (only image 1 has fg), f_bg = 7/8; median = (1/4 + 7/8)/2 = 9/16.
        let mut stats = ClassStats::default();
        stats.add_image(&[1.0, 0.0, 0.0, 0.0]);
        stats.add_image(&[0.0; 4]);
        let w = class_weights(ClassWeighting::MedianFrequency, &stats);
        assert_eq!(w, [9.0 / 16.0 / (7.0 / 8.0), 9.0 / 16.0 / 0.25]);
        // Inverse frequency over the same pixels: f = [7/8, 1/8].
        let w = class_weights(ClassWeighting::InverseFrequency, &stats);
        assert_eq!(w, [0.5 / (7.0 / 8.0), 0.5 / (1.0 / 8.0)]);
    }

    #[test]
    fn absent_class_gets_weight_one_when_alone() {
        for kind in [
            ClassWeighting::InverseFrequency,
            ClassWeighting::MedianFrequency,
        ] {
            assert_eq!(class_weights(kind, &ClassStats::of(&[0.0; 5])), [1.0, 1.0]);
            assert_eq!(class_weights(kind, &ClassStats::of(&[1.0; 5])), [1.0, 1.0]);
        }
    }

    #[test]
    fn distance_transform_matches_brute_force() {
        let (h, w) = (7, 9);
        let inside: Vec<bool> = (0..h * w).map(|i| i % 11 == 3 || i == 40).collect();
        let fast = squared_distance_to(&inside, h, w);
        for (p, &fast) in fast.iter().enumerate() {
            let brute = (0..h * w)
                .filter(|&q| inside[q])
                .map(|q| {
                    let dr = (p / w) as f64 - (q / w) as f64;
                    let dc = (p % w) as f64 - (q % w) as f64;
                    dr * dr + dc * dc
                })
                .fold(f64::INFINITY, f64::min);
            assert_eq!(fast, brute, "pixel {p}");
        }
    }

    #[test]
    fn border_term_peaks_between_two_objects() {
        // Row of 5: objects at columns 0 and 4; the middle pixel is 2 from each: d1 + d2 = 4.
        let y = [1.0, 0.0, 0.0, 0.0, 1.0];
        let border = unet_border(&y, 1, 5, 10.0, 5.0);
        assert_eq!(border[0], 0.0);
        assert_eq!(border[2], 10.0 * libm::exp(-16.0 / 50.0));
        assert_eq!(border[1], border[3]);
        // One object: no border term.
        assert_eq!(unet_border(&[1.0, 1.0, 0.0], 1, 3, 10.0, 5.0), vec![0.0; 3]);
        // Diagonal neighbours are separate objects under 4-connectivity.
        assert!(unet_border(&[1.0, 0.0, 0.0, 1.0], 2, 2, 10.0, 5.0)[1] > 0.0);
    }
}
