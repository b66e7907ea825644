//! `bce`: binary cross-entropy with a foreground weight and label smoothing, forward and d/dx
//! side by side, per pixel, in the stable softplus form.
//!
//! # Shapes
//! x, y, dx: (N·H·W), image-major.

use super::binary::{Batch, TermOutput};
use super::math::{sigmoid, softplus};
use super::params::{BIG, Bound, Params, number};
use super::{Family, LossContext};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bce {
    pub pos_weight: f64,
    pub label_smoothing: f64,
}

impl Family for Bce {
    const NAME: &'static str = "bce";

    fn read(params: &mut Params) -> Result<Bce> {
        Ok(Bce {
            pos_weight: params.number("pos_weight", 1.0, Bound::Open(0.0), BIG)?,
            label_smoothing: params.number("label_smoothing", 0.0, Bound::Closed(0.0), 1.0)?,
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("pos_weight", number(self.pos_weight)),
            ("label_smoothing", number(self.label_smoothing)),
        ]
    }

    /// torch `binary_cross_entropy_with_logits(pos_weight=q)`, mean over pixels, with Keras's
    /// label smoothing y ← y(1−ls) + ls/2 applied first:
    /// ℓ = (1−y)·x + l·softplus(−x), l = 1 + (q−1)·y;  ∂ℓ/∂x = l·σ(x) − q·y.
    fn evaluate(&self, batch: &Batch, _: &LossContext) -> Result<TermOutput> {
        let n = batch.len() as f64;
        let q = self.pos_weight;
        let mut value = 0.0;
        let mut dx = vec![0.0; batch.len()];
        for ((&x, &y), d) in batch.x.iter().zip(batch.y).zip(&mut dx) {
            let y = y * (1.0 - self.label_smoothing) + 0.5 * self.label_smoothing;
            let l = 1.0 + (q - 1.0) * y;
            value += (1.0 - y) * x + l * softplus(-x);
            *d = (l * sigmoid(x) - q * y) / n;
        }
        Ok(TermOutput {
            value: value / n,
            dx,
            class_weights: None,
        })
    }
}
