//! Images and masks to network tensors (the page's pictures of them are in `render`).

use crate::bail;
use crate::error::Result;
use crate::tensor::Tensor;
use ndarray::{ArrayView2, ArrayView3};

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

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array3, array, s};

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
}
