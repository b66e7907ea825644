//! Numeric helpers the loss families share: the logistic function in stable forms, the safe
//! ratio of the overlap scores, and the reduction units of per-image losses.

use super::binary::Batch;
use std::ops::Range;

/// σ(x) without overflow for either sign.
pub(crate) fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + libm::exp(-x))
    } else {
        let e = libm::exp(x);
        e / (1.0 + e)
    }
}

/// log(1 + eˣ) = max(x, 0) + log1p(e^−|x|), exact for large |x|.
pub(crate) fn softplus(x: f64) -> f64 {
    x.max(0.0) + libm::log1p(libm::exp(-x.abs()))
}

/// σ'(x) = σ(x)·σ(−x), accurate in both tails (unlike σ(1 − σ)).
pub(crate) fn dsigmoid(x: f64) -> f64 {
    sigmoid(x) * sigmoid(-x)
}

/// A zero denominator only happens with smooth = 0 and nothing predicted or present: score 0,
/// the limit of 0 / (P + G) as P → 0.
pub(crate) fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        numerator / denominator
    } else {
        0.0
    }
}

/// Reduction units for region losses: one per image, or the whole batch as one.
pub(crate) fn units(batch: &Batch, per_image: bool) -> Vec<Range<usize>> {
    if per_image {
        let hw = batch.pixels_per_image();
        (0..batch.images).map(|i| i * hw..(i + 1) * hw).collect()
    } else {
        vec![Range {
            start: 0,
            end: batch.len(),
        }]
    }
}
