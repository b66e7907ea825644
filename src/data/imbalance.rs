//! A dataset's class imbalance at a glance: each image's object fraction, the images with no object
//! or no background, and the dataset's class weights exactly as `scope=dataset` losses count them
//! (`LossContext::from_masks` over the training masks, then `loss::class_weights`).

use super::Sample;
use crate::loss::{ClassWeighting, LossContext, class_weights};

/// The imbalance of one set of images.
#[derive(Clone, Debug, PartialEq)]
pub struct Imbalance {
    /// Object pixels / pixels, one per image, in the set's order.
    pub fractions: Vec<f64>,
    /// Indices of the images without an object pixel.
    pub empty: Vec<usize>,
    /// Indices of the images without a background pixel.
    pub full: Vec<usize>,
    /// Object pixels / pixels over the whole set.
    pub overall: f64,
    /// [background, object] weights by inverse frequency (mean weight per pixel 1).
    pub inverse_frequency: [f64; 2],
    /// [background, object] weights by SegNet's median frequency.
    pub median_frequency: [f64; 2],
}

impl Imbalance {
    /// `samples` must not be empty (a dataset always has a training image).
    pub fn of(samples: &[Sample]) -> Imbalance {
        let fractions: Vec<f64> = samples.iter().map(Sample::foreground_fraction).collect();
        let indices = |keep: fn(f64) -> bool| {
            let kept = fractions.iter().enumerate().filter(|(_, f)| keep(**f));
            kept.map(|(i, _)| i).collect()
        };
        let pixels: usize = samples.iter().map(|s| s.mask.len()).sum();
        let object: f64 = samples
            .iter()
            .map(|s| s.foreground_fraction() * s.mask.len() as f64)
            .sum();
        let context = LossContext::from_masks(samples.iter().map(|s| s.mask.view()));
        let stats = context.stats.unwrap_or_default();
        Imbalance {
            empty: indices(|f| f == 0.0),
            full: indices(|f| f == 1.0),
            fractions,
            overall: object / pixels.max(1) as f64,
            inverse_frequency: class_weights(ClassWeighting::InverseFrequency, &stats),
            median_frequency: class_weights(ClassWeighting::MedianFrequency, &stats),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, Array3};

    fn sample(object: usize, pixels: usize) -> Sample {
        let mask = Array2::from_shape_fn((1, pixels), |(_, x)| f32::from(u8::from(x < object)));
        Sample::new(Array3::zeros((1, pixels, 3)), mask).unwrap()
    }

    #[test]
    fn weights_follow_the_losses_definitions() {
        // Object pixels 1 of 4, 0 of 4, 4 of 4: 5 of 12 overall.
        let set = [sample(1, 4), sample(0, 4), sample(4, 4)];
        let imbalance = Imbalance::of(&set);
        assert_eq!(imbalance.fractions, vec![0.25, 0.0, 1.0]);
        assert_eq!(
            (imbalance.empty.clone(), imbalance.full.clone()),
            (vec![1], vec![2])
        );
        assert!((imbalance.overall - 5.0 / 12.0).abs() < 1e-12);
        // Inverse: w_c = 1 / (2 f_c): bg 7/12, fg 5/12.
        let [bg, fg] = imbalance.inverse_frequency;
        assert!((bg - 12.0 / 14.0).abs() < 1e-12 && (fg - 12.0 / 10.0).abs() < 1e-12);
        // Median: f_bg = 7 / 8 (images 1, 2 have background), f_fg = 5 / 8 (images 1, 3).
        let (f_bg, f_fg) = (7.0 / 8.0, 5.0 / 8.0);
        let median = (f_bg + f_fg) / 2.0;
        let [bg, fg] = imbalance.median_frequency;
        assert!((bg - median / f_bg).abs() < 1e-12 && (fg - median / f_fg).abs() < 1e-12);
    }
}
