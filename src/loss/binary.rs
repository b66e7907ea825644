//! The binary view every loss sees: a logit x and a target y per pixel, read from a sigmoid or a
//! softmax head, and d/dx written back as d/dlogits of that head.
//!
//! # Shapes
//! logits (N, H, W, 1|2), target (N, H, W, 1); x, y, dx (N·H·W), image-major like NHWC.

use crate::error::Result;
use crate::tensor::{Tensor, TensorView, check_shape, format_shape};

/// The binary view of a batch: logits x and targets y, (N·H·W) each, image-major.
pub(crate) struct Batch<'a> {
    pub x: &'a [f64],
    pub y: &'a [f64],
    pub images: usize,
    pub height: usize,
    pub width: usize,
}

impl Batch<'_> {
    pub fn pixels_per_image(&self) -> usize {
        self.height * self.width
    }

    pub fn len(&self) -> usize {
        self.x.len()
    }
}

/// A value and its gradient dx (N·H·W) with respect to the binary logits.
pub(crate) struct TermOutput {
    pub value: f64,
    pub dx: Vec<f64>,
    pub class_weights: Option<[f64; 2]>,
}

/// Checked logits and targets in the binary view, and the head to map gradients back to.
pub(crate) struct BinaryView {
    x: Vec<f64>,
    y: Vec<f64>,
    /// (N, H, W, channels) of the logits.
    shape: (usize, usize, usize, usize),
}

impl BinaryView {
    /// Checks shapes and values, then reads x = l (sigmoid head) or x = l_fg − l_bg (softmax).
    pub fn new(logits: TensorView, target: TensorView) -> Result<BinaryView> {
        let shape = logits.shape();
        let channels = shape.get(3).copied().unwrap_or(0);
        if shape.len() != 4 || !(1..=2).contains(&channels) {
            crate::bail!(
                "logits has shape {}, expected (N, H, W, 1) for a sigmoid head or (N, H, W, 2) for a softmax head [bg, fg]",
                format_shape(shape)
            );
        }
        let (n, h, w) = (shape[0], shape[1], shape[2]);
        check_shape(
            "target",
            target.shape(),
            [Some(n), Some(h), Some(w), Some(1)],
        )?;
        if n * h * w == 0 {
            crate::bail!("logits has shape {}: no pixels", format_shape(shape));
        }
        if let Some((index, v)) = logits.indexed_iter().find(|(_, v)| !v.is_finite()) {
            crate::bail!("logits has a non-finite value {v} at {index:?}");
        }
        if let Some((index, v)) = target
            .indexed_iter()
            .find(|(_, v)| !(0.0..=1.0).contains(*v))
        {
            crate::bail!("target has value {v} at {index:?}, expected values in [0, 1]");
        }

        let x: Vec<f64> = logits
            .outer_iter()
            .flat_map(|image| {
                image
                    .rows()
                    .into_iter()
                    .map(|l| match channels {
                        1 => l[0] as f64,
                        _ => l[1] as f64 - l[0] as f64,
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let y: Vec<f64> = target.iter().map(|&v| v as f64).collect();
        Ok(BinaryView {
            x,
            y,
            shape: (n, h, w, channels),
        })
    }

    pub fn batch(&self) -> Batch<'_> {
        let (images, height, width, _) = self.shape;
        Batch {
            x: &self.x,
            y: &self.y,
            images,
            height,
            width,
        }
    }

    /// d/dlogits (N, H, W, channels) from dx: dl = dx on a sigmoid head, [−dx, dx] on a softmax head.
    pub fn dlogits(&self, dx: &[f64]) -> Tensor {
        let mut dlogits = Tensor::zeros(self.shape);
        for (pixel, &dx) in dlogits.rows_mut().into_iter().zip(dx) {
            let mut pixel = pixel;
            match self.shape.3 {
                1 => pixel[0] = dx as f32,
                _ => {
                    pixel[0] = -dx as f32;
                    pixel[1] = dx as f32;
                }
            }
        }
        dlogits
    }
}
