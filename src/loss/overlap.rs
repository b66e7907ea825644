//! What the overlap (region) losses share, MONAI's conventions: the `smooth` parameter, the
//! foreground/background view of a pixel, and the chain rule through a score of sums.
//!
//! Each score is a function of sums over a reduction unit (one image, or the batch); its
//! gradient is ∂score/∂(sum) · ∂(sum)/∂p_i · ∂p_i/∂x_i, with ∂p/∂x = ±σ(x)σ(−x).
//!
//! # Shapes
//! x, y, dx: (N·H·W), image-major; a unit is a contiguous range of it.

use super::binary::{Batch, TermOutput};
use super::math::{dsigmoid, sigmoid};
use super::params::{Bound, Params};
use crate::error::Result;
use std::ops::Range;

/// `smooth=`, added to numerator and denominator (MONAI smooth_nr = smooth_dr).
pub(crate) fn read_smooth(params: &mut Params) -> Result<f64> {
    params.number("smooth", 1e-5, Bound::Closed(0.0), 1e3)
}

#[derive(Clone, Copy)]
pub(crate) enum Class {
    Fg,
    Bg,
}

impl Class {
    /// (p, g, ∂p/∂x) of pixel i for this class: the background has p = σ(−x), g = 1 − y.
    pub fn at(self, batch: &Batch, i: usize) -> (f64, f64, f64) {
        let (x, y) = (batch.x[i], batch.y[i]);
        match self {
            Class::Fg => (sigmoid(x), y, dsigmoid(x)),
            Class::Bg => (sigmoid(-x), 1.0 - y, -dsigmoid(x)),
        }
    }
}

/// Partial derivatives of a score with respect to I = Σpg and P = Σp (or Σp² if squared).
pub(crate) struct Score {
    pub value: f64,
    pub by_intersection: f64,
    pub by_prediction: f64,
}

/// Averages `loss(score)` over units × classes; `score` maps sums (I, P, G) to a Score and
/// `outer` maps a score to (loss, dloss/dscore).
pub(crate) fn overlap_loss(
    batch: &Batch,
    unit_ranges: &[Range<usize>],
    classes: &[Class],
    squared: bool,
    score: impl Fn(f64, f64, f64) -> Score,
    outer: impl Fn(f64) -> (f64, f64),
) -> TermOutput {
    let count = (unit_ranges.len() * classes.len()) as f64;
    let mut value = 0.0;
    let mut dx = vec![0.0; batch.len()];
    for &class in classes {
        for unit in unit_ranges {
            let (mut intersection, mut prediction, mut ground) = (0.0, 0.0, 0.0);
            for i in unit.clone() {
                let (p, g, _) = class.at(batch, i);
                intersection += p * g;
                prediction += if squared { p * p } else { p };
                ground += if squared { g * g } else { g };
            }
            let s = score(intersection, prediction, ground);
            let (loss, dloss) = outer(s.value);
            value += loss;
            for i in unit.clone() {
                let (p, g, dp) = class.at(batch, i);
                let dprediction = if squared { 2.0 * p } else { 1.0 };
                let dscore = s.by_intersection * g + s.by_prediction * dprediction;
                dx[i] += dloss * dscore * dp / count;
            }
        }
    }
    TermOutput {
        value: value / count,
        dx,
        class_weights: None,
    }
}
