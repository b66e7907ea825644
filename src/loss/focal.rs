//! `focal`: binary focal loss (Lin et al. 2017) in MONAI's log-space form, which keeps the
//! gradient finite for γ < 1 at saturated logits.
//!
//! # Shapes
//! x, y, dx: (N·H·W), image-major.

use super::binary::{Batch, TermOutput};
use super::math::{sigmoid, softplus};
use super::params::{Bound, Params, number};
use super::{Family, LossContext};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Focal {
    pub gamma: f64,
    pub alpha: Option<f64>,
}

impl Family for Focal {
    const NAME: &'static str = "focal";

    fn read(params: &mut Params) -> Result<Focal> {
        Ok(Focal {
            gamma: params.number("gamma", 2.0, Bound::Closed(0.0), 10.0)?,
            alpha: params.optional_number("alpha", Bound::Closed(0.0), 1.0)?,
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("gamma", number(self.gamma)),
            ("alpha", self.alpha.map_or("none".to_string(), number)),
        ]
    }

    /// MONAI `sigmoid_focal_loss(gamma, alpha)`, mean over pixels (≡ smp `FocalLoss('binary')`
    /// for hard labels):
    /// t = 2y − 1, B = (1−y)·x + softplus(−x) (BCE), E = (1 − p_t)^γ = exp(−γ·softplus(t·x)),
    /// a = α·y + (1−α)(1−y) (1 without α); ℓ = a·E·B;
    /// ∂ℓ/∂x = a·E·[(σ(x) − y) − γ·t·σ(t·x)·B].
    fn evaluate(&self, batch: &Batch, _: &LossContext) -> Result<TermOutput> {
        let n = batch.len() as f64;
        let mut value = 0.0;
        let mut dx = vec![0.0; batch.len()];
        for ((&x, &y), d) in batch.x.iter().zip(batch.y).zip(&mut dx) {
            let t = 2.0 * y - 1.0;
            let bce = (1.0 - y) * x + softplus(-x);
            let modulating = libm::exp(-self.gamma * softplus(t * x));
            let a = self
                .alpha
                .map_or(1.0, |alpha| alpha * y + (1.0 - alpha) * (1.0 - y));
            value += a * modulating * bce;
            let dbce = sigmoid(x) - y;
            *d = a * modulating * (dbce - self.gamma * t * sigmoid(t * x) * bce) / n;
        }
        Ok(TermOutput {
            value: value / n,
            dx,
            class_weights: None,
        })
    }
}
