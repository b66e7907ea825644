//! `tversky` and `focal_tversky`: the Tversky index with weights on false positives and false
//! negatives, raised to a power (MONAI's index, smp's exponent).
//!
//! # Shapes
//! x, y, dx: (N·H·W), image-major; a unit is one image or the whole batch.

use super::binary::{Batch, TermOutput};
use super::math::{dsigmoid, ratio, sigmoid, units};
use super::overlap::read_smooth;
use super::params::{Bound, Params, number};
use super::{Family, LossContext};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tversky {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub smooth: f64,
    pub per_image: bool,
}

/// `tversky` under another name, with defaults alpha=0.7, beta=0.3, gamma=0.75 (Abraham & Khan
/// 2019).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FocalTversky(pub Tversky);

impl Tversky {
    /// Reads the parameters with defaults [alpha, beta, gamma].
    fn read_with(params: &mut Params, [alpha, beta, gamma]: [f64; 3]) -> Result<Tversky> {
        Ok(Tversky {
            alpha: params.number("alpha", alpha, Bound::Closed(0.0), 1e3)?,
            beta: params.number("beta", beta, Bound::Closed(0.0), 1e3)?,
            gamma: params.number("gamma", gamma, Bound::Open(0.0), 10.0)?,
            smooth: read_smooth(params)?,
            per_image: params.flag("per_image", true)?,
        })
    }
}

impl Family for Tversky {
    const NAME: &'static str = "tversky";

    fn read(params: &mut Params) -> Result<Tversky> {
        Tversky::read_with(params, [0.5, 0.5, 1.0])
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("alpha", number(self.alpha)),
            ("beta", number(self.beta)),
            ("gamma", number(self.gamma)),
            ("smooth", number(self.smooth)),
            ("per_image", self.per_image.to_string()),
        ]
    }

    /// MONAI `TverskyLoss(sigmoid=True)`: T = (I + s)/(I + α·FP + β·FN + s) with FP = Σp(1−g),
    /// FN = Σ(1−p)g; loss (1 − T)^γ per unit as smp, mean over units.
    fn evaluate(&self, batch: &Batch, _: &LossContext) -> Result<TermOutput> {
        let unit_ranges = units(batch, self.per_image);
        let count = unit_ranges.len() as f64;
        let mut value = 0.0;
        let mut dx = vec![0.0; batch.len()];
        for unit in &unit_ranges {
            let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
            for i in unit.clone() {
                let (pr, g) = (sigmoid(batch.x[i]), batch.y[i]);
                tp += pr * g;
                fp += pr * (1.0 - g);
                fn_ += (1.0 - pr) * g;
            }
            let num = tp + self.smooth;
            let den = tp + self.alpha * fp + self.beta * fn_ + self.smooth;
            let den2 = if den > 0.0 { den * den } else { f64::INFINITY };
            let t = ratio(num, den);
            // ∂T/∂TP = (den − num)/den², written without the cancellation.
            let by_tp = (self.alpha * fp + self.beta * fn_) / den2;
            let (by_fp, by_fn) = (-num * self.alpha / den2, -num * self.beta / den2);
            let base = 1.0 - t;
            // (1 − T)^γ; at T = 1 the loss is 0 and, for γ < 1, the gradient is taken as 0
            // rather than the infinite one-sided derivative.
            let (loss, dloss) = if self.gamma == 1.0 {
                (base, -1.0)
            } else if base > 0.0 {
                (
                    libm::pow(base, self.gamma),
                    -self.gamma * libm::pow(base, self.gamma - 1.0),
                )
            } else {
                (0.0, 0.0)
            };
            value += loss;
            for i in unit.clone() {
                let (g, dp) = (batch.y[i], dsigmoid(batch.x[i]));
                // ∂TP/∂p = g, ∂FP/∂p = 1 − g, ∂FN/∂p = −g.
                let dt = by_tp * g + by_fp * (1.0 - g) - by_fn * g;
                dx[i] = dloss * dt * dp / count;
            }
        }
        Ok(TermOutput {
            value: value / count,
            dx,
            class_weights: None,
        })
    }
}

impl Family for FocalTversky {
    const NAME: &'static str = "focal_tversky";

    fn read(params: &mut Params) -> Result<FocalTversky> {
        Tversky::read_with(params, [0.7, 0.3, 0.75]).map(FocalTversky)
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        self.0.pairs()
    }

    fn evaluate(&self, batch: &Batch, ctx: &LossContext) -> Result<TermOutput> {
        self.0.evaluate(batch, ctx)
    }
}
