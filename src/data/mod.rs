//! Datasets: images with their masks, the seeded demo scenes, and conversion to tensors and pixels.

pub mod batch;
pub mod given;
pub mod image;
pub mod imbalance;
mod scenes;
pub mod split;
pub mod upload;

pub use scenes::{DEMO_SIZE, SceneInfo, generate, scenes};

use crate::bail;
use crate::error::Result;
use ndarray::{Array2, Array3};

/// One image and its ground truth.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// (H, W, 3) RGB in [0, 1].
    pub image: Array3<f32>,
    /// (H, W) in {0, 1}; 1 = object.
    pub mask: Array2<f32>,
}

impl Sample {
    /// Checks shapes and value ranges, so user images fail here with a message, not later in training.
    pub fn new(image: Array3<f32>, mask: Array2<f32>) -> Result<Sample> {
        let (h, w, c) = image.dim();
        if c != 3 {
            bail!("image has {c} channels, expected 3 (RGB)");
        }
        if h == 0 || w == 0 {
            bail!("image is empty ({h}×{w} pixels)");
        }
        if mask.dim() != (h, w) {
            let (mh, mw) = mask.dim();
            bail!("mask is {mh}×{mw} pixels but its image is {h}×{w}");
        }
        if !image.iter().all(|v| (0.0..=1.0).contains(v)) {
            bail!("image values must lie in [0, 1]");
        }
        if !mask.iter().all(|&v| v == 0.0 || v == 1.0) {
            bail!("mask values must be 0 or 1");
        }
        Ok(Sample { image, mask })
    }

    pub fn height(&self) -> usize {
        self.mask.nrows()
    }

    pub fn width(&self) -> usize {
        self.mask.ncols()
    }

    /// Share of the pixels that are object, in [0, 1].
    pub fn foreground_fraction(&self) -> f64 {
        self.mask.iter().map(|&v| v as f64).sum::<f64>() / self.mask.len() as f64
    }
}

/// Which images of a dataset: those the runs train on, or those kept aside to measure generalisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    Train,
    Heldout,
}

impl Split {
    pub fn name(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Heldout => "heldout",
        }
    }
}

/// A named set of training and held-out samples.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub name: String,
    pub train: Vec<Sample>,
    pub heldout: Vec<Sample>,
}

impl Dataset {
    pub fn new(
        name: impl Into<String>,
        train: Vec<Sample>,
        heldout: Vec<Sample>,
    ) -> Result<Dataset> {
        if train.is_empty() {
            bail!("a dataset needs at least one training image");
        }
        Ok(Dataset {
            name: name.into(),
            train,
            heldout,
        })
    }

    pub fn split(&self, split: Split) -> &[Sample] {
        match split {
            Split::Train => &self.train,
            Split::Heldout => &self.heldout,
        }
    }

    /// Share of object pixels over all images, training and held-out, each pixel counted once.
    pub fn foreground_fraction(&self) -> f64 {
        let samples = self.train.iter().chain(&self.heldout);
        let (object, total) = samples.fold((0.0, 0usize), |(object, total), s| {
            (
                object + s.mask.iter().map(|&v| v as f64).sum::<f64>(),
                total + s.mask.len(),
            )
        });
        object / total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_checks_name_the_problem() {
        let image = Array3::<f32>::zeros((4, 5, 3));
        assert!(Sample::new(image.clone(), Array2::zeros((4, 5))).is_ok());
        let err = Sample::new(image.clone(), Array2::zeros((5, 4))).unwrap_err();
        assert_eq!(err.0, "mask is 5×4 pixels but its image is 4×5");
        assert!(Sample::new(Array3::zeros((4, 5, 1)), Array2::zeros((4, 5))).is_err());
        assert!(Sample::new(image.clone(), Array2::from_elem((4, 5), 0.5)).is_err());
        assert!(Sample::new(image.mapv(|_| f32::NAN), Array2::zeros((4, 5))).is_err());
    }

    #[test]
    fn fractions_count_pixels() {
        let mut mask = Array2::<f32>::zeros((2, 4));
        mask[(0, 0)] = 1.0;
        mask[(1, 3)] = 1.0;
        let a = Sample::new(Array3::zeros((2, 4, 3)), mask).unwrap();
        let b = Sample::new(Array3::zeros((2, 2, 3)), Array2::ones((2, 2))).unwrap();
        assert_eq!(a.foreground_fraction(), 0.25);
        let dataset = Dataset::new("t", vec![a], vec![b]).unwrap();
        // (2 + 4) object pixels of (8 + 4).
        assert_eq!(dataset.foreground_fraction(), 0.5);
        assert!(Dataset::new("empty", vec![], vec![]).is_err());
    }
}
