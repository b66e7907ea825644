//! Per-image held-out Dice beside each image's object fraction (the page plots one against the
//! other per loss: the per-image varying imbalance of the question), and the two summaries of a
//! set of images, which are different numbers and are labelled as such everywhere.

use super::pixels::ImagePrediction;
use crate::metrics::Confusion;

/// How a score of several images is formed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregation {
    /// All pixels of all images as one set: large objects weigh more.
    Pooled,
    /// Each image scored alone, then the plain mean: every image weighs the same.
    PerImageMean,
}

impl Aggregation {
    pub fn key(&self) -> &'static str {
        match self {
            Aggregation::Pooled => "pooled",
            Aggregation::PerImageMean => "per_image_mean",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Aggregation::Pooled => "pooled over pixels",
            Aggregation::PerImageMean => "mean over images",
        }
    }
}

/// One point of the Dice–vs–object-fraction plot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ImageDice {
    /// Index of the image in its split.
    pub image: usize,
    /// Share of the image's pixels that are object in its mask.
    pub object_fraction: f64,
    /// Dice of the image alone (`metrics` conventions: 1 when the image has no object and none
    /// is predicted).
    pub dice: f64,
}

/// Dice of a set of images at one threshold, both ways, with the per-image points.
#[derive(Clone, Debug, PartialEq)]
pub struct DiceByImage {
    /// p ≥ threshold is object.
    pub threshold: f32,
    /// `Aggregation::Pooled`.
    pub pooled: f64,
    /// `Aggregation::PerImageMean`; 0 with no image.
    pub per_image_mean: f64,
    pub images: Vec<ImageDice>,
}

impl DiceByImage {
    pub fn value(&self, aggregation: Aggregation) -> f64 {
        match aggregation {
            Aggregation::Pooled => self.pooled,
            Aggregation::PerImageMean => self.per_image_mean,
        }
    }
}

/// Dice of every image at `threshold`, pooled and per image.
///
/// # Shapes
/// `images`: each (H, W) probabilities with an (H, W) mask; sizes may differ between images.
pub fn dice_by_image(images: &[ImagePrediction], threshold: f32) -> DiceByImage {
    let mut pooled = Confusion::default();
    let mut points = Vec::with_capacity(images.len());
    for (index, image) in images.iter().enumerate() {
        let counts =
            Confusion::from_probabilities(image.probabilities.view(), image.mask.view(), threshold)
                .expect("ImagePrediction checks its shapes");
        pooled = pooled + counts;
        points.push(ImageDice {
            image: index,
            object_fraction: image.object_fraction(),
            dice: counts.dice(),
        });
    }
    let per_image_mean = if points.is_empty() {
        0.0
    } else {
        points.iter().map(|p| p.dice).sum::<f64>() / points.len() as f64
    };
    DiceByImage {
        threshold,
        pooled: pooled.dice(),
        per_image_mean,
        images: points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn pooled_and_per_image_mean_differ_as_they_should() {
        // Image 0: a large object found (TP 3, FN 1) → Dice 6/7. Image 1: empty, nothing
        // predicted → Dice 1. Image 2: one object pixel missed → Dice 0.
        let images = [
            ImagePrediction::new(
                array![[0.9f32, 0.8], [0.7, 0.1]],
                array![[1.0f32, 1.0], [1.0, 1.0]],
            ),
            ImagePrediction::new(array![[0.1f32, 0.2]], array![[0.0f32, 0.0]]),
            ImagePrediction::new(array![[0.1f32, 0.2]], array![[1.0f32, 0.0]]),
        ]
        .map(|i| i.unwrap());
        let d = dice_by_image(&images, 0.5);
        assert_eq!(
            d.images[1],
            ImageDice {
                image: 1,
                object_fraction: 0.0,
                dice: 1.0
            }
        );
        assert_eq!(d.images[2].object_fraction, 0.5);
        // Pooled: TP 3, FN 2 → 6/8; mean of (6/7, 1, 0).
        assert_eq!(d.value(Aggregation::Pooled), 0.75);
        assert!((d.value(Aggregation::PerImageMean) - (6.0 / 7.0 + 1.0) / 3.0).abs() < 1e-15);
        assert_eq!(dice_by_image(&[], 0.5).per_image_mean, 0.0);
    }
}
