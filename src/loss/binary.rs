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
        // Plain slices: the web build optimises this crate for size, where ndarray's iterators
        // cost a function call per pixel.
        let logits = logits.as_standard_layout();
        let logits = logits.as_slice().expect("standard layout");
        let target = target.as_standard_layout();
        let target = target.as_slice().expect("standard layout");
        let at = |i: usize, c: usize| (i / (h * w * c), i / (w * c) % h, i / c % w, i % c);
        if let Some(i) = logits.iter().position(|v| !v.is_finite()) {
            let (v, index) = (logits[i], at(i, channels));
            crate::bail!("logits has a non-finite value {v} at {index:?}");
        }
        if let Some(i) = target.iter().position(|v| !(0.0..=1.0).contains(v)) {
            let (v, index) = (target[i], at(i, 1));
            crate::bail!("target has value {v} at {index:?}, expected values in [0, 1]");
        }
        let pixels = n * h * w;
        let mut x = vec![0.0; pixels];
        let xs = &mut x[..];
        for p in 0..pixels {
            xs[p] = match channels {
                1 => logits[p] as f64,
                _ => logits[2 * p + 1] as f64 - logits[2 * p] as f64,
            };
        }
        let mut y = vec![0.0; pixels];
        let ys = &mut y[..];
        for p in 0..pixels {
            ys[p] = target[p] as f64;
        }
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
        let channels = self.shape.3;
        let mut dlogits = vec![0.0; dx.len() * channels];
        let out = &mut dlogits[..];
        for p in 0..dx.len() {
            match channels {
                1 => out[p] = dx[p] as f32,
                _ => {
                    out[2 * p] = -dx[p] as f32;
                    out[2 * p + 1] = dx[p] as f32;
                }
            }
        }
        Tensor::from_shape_vec(self.shape, dlogits).expect("dlogits shape")
    }
}
