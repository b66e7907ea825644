//! What the evidence layer reads of an image: its predicted probabilities beside its mask, and the
//! pixels of several images pooled into one set (the threshold-free metrics and calibration score
//! pooled pixels, as sklearn and torchmetrics do on flattened arrays).

use crate::bail;
use crate::error::Result;
use ndarray::Array2;

/// One image's prediction beside its truth, as a run reports it after training.
///
/// # Shapes
/// `probabilities`: (H, W) p(object) in [0, 1], f32 as the model computes it.
/// `mask`: (H, W), object where > 0.5 (as `metrics`).
#[derive(Clone, Debug, PartialEq)]
pub struct ImagePrediction {
    pub probabilities: Array2<f32>,
    pub mask: Array2<f32>,
}

impl ImagePrediction {
    pub fn new(probabilities: Array2<f32>, mask: Array2<f32>) -> Result<ImagePrediction> {
        if probabilities.dim() != mask.dim() {
            let ((ph, pw), (mh, mw)) = (probabilities.dim(), mask.dim());
            bail!("probabilities are {ph}×{pw} pixels but the mask is {mh}×{mw}");
        }
        Ok(ImagePrediction {
            probabilities,
            mask,
        })
    }

    /// The share of the image's pixels that are object in the mask, in [0, 1].
    pub fn object_fraction(&self) -> f64 {
        let objects = self.mask.iter().filter(|&&m| m > 0.5).count();
        objects as f64 / self.mask.len().max(1) as f64
    }

    /// The share of pixels predicted object (p ≥ `threshold`).
    pub fn predicted_fraction(&self, threshold: f32) -> f64 {
        let predicted = self
            .probabilities
            .iter()
            .filter(|&&p| p >= threshold)
            .count();
        predicted as f64 / self.probabilities.len().max(1) as f64
    }

    /// (H, W) in {0, 1}: p ≥ `threshold`, the input `metrics::ObjectCounts` expects.
    pub fn prediction(&self, threshold: f32) -> Array2<f32> {
        self.probabilities
            .mapv(|p| if p >= threshold { 1.0 } else { 0.0 })
    }
}

/// Pixels of one or more images as one flat set.
///
/// # Shapes
/// `scores`, `labels`: (N,), scores finite (a probability in [0, 1] for calibration).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pixels {
    pub scores: Vec<f32>,
    pub labels: Vec<bool>,
}

impl Pixels {
    pub fn new(scores: Vec<f32>, labels: Vec<bool>) -> Result<Pixels> {
        if scores.len() != labels.len() {
            bail!("{} scores but {} labels", scores.len(), labels.len());
        }
        if let Some(bad) = scores.iter().find(|s| !s.is_finite()) {
            bail!("a score is not finite ({bad})");
        }
        Ok(Pixels { scores, labels })
    }

    /// Every pixel of `images` in image order, row-major. A probability that is not finite (only a
    /// diverged run has them) counts as 0: never object at any threshold, the same answer
    /// `metrics::Confusion` gives it through `p ≥ t`.
    pub fn from_images(images: &[ImagePrediction]) -> Pixels {
        let size: usize = images.iter().map(|i| i.mask.len()).sum();
        let (mut scores, mut labels) = (Vec::with_capacity(size), Vec::with_capacity(size));
        for image in images {
            let p = image.probabilities.iter();
            scores.extend(p.map(|&p| if p.is_finite() { p } else { 0.0 }));
            labels.extend(image.mask.iter().map(|&m| m > 0.5));
        }
        Pixels { scores, labels }
    }

    pub fn len(&self) -> usize {
        self.scores.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    pub fn positives(&self) -> u64 {
        self.labels.iter().filter(|&&l| l).count() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn images_flatten_in_order_and_nan_counts_as_zero() {
        let a = ImagePrediction::new(array![[0.9f32, f32::NAN]], array![[1.0f32, 0.0]]).unwrap();
        let b = ImagePrediction::new(array![[0.2f32], [0.7]], array![[0.0f32], [1.0]]).unwrap();
        let pixels = Pixels::from_images(&[a.clone(), b]);
        assert_eq!(pixels.scores, [0.9, 0.0, 0.2, 0.7]);
        assert_eq!(pixels.labels, [true, false, false, true]);
        assert_eq!((a.object_fraction(), a.predicted_fraction(0.5)), (0.5, 0.5));
        assert_eq!(a.prediction(0.5), array![[1.0f32, 0.0]]);
        assert!(ImagePrediction::new(array![[0.5f32]], array![[1.0f32, 0.0]]).is_err());
        assert!(Pixels::new(vec![f32::NAN], vec![true]).is_err());
        assert!(Pixels::new(vec![0.5], vec![]).is_err());
    }
}
