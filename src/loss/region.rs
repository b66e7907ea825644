//! Region (overlap) losses, MONAI's conventions: `dice` (also "inverse" Dice of the background),
//! `jaccard`, `tversky` / `focal_tversky`, and `gdice` (generalised Dice over [bg, fg]).
//!
//! Each score is a function of sums over a reduction unit (one image, or the batch); its
//! gradient is ∂score/∂(sum) · ∂(sum)/∂p_i · ∂p_i/∂x_i, with ∂p/∂x = ±σ(x)σ(−x).
//!
//! # Shapes
//! x, y, dx: (N·H·W), image-major; a unit is a contiguous range of it.

use super::spec::{Dice, DiceClasses, Gdice, GdiceWeight, Jaccard, Tversky};
use super::{Batch, TermOutput, dsigmoid, sigmoid, units};
use std::ops::Range;

/// smp's clamp before the log of `dice(log=true)`.
const LOG_EPS: f64 = 1e-7;

#[derive(Clone, Copy)]
enum Class {
    Fg,
    Bg,
}

impl Class {
    /// (p, g, ∂p/∂x) of pixel i for this class: the background has p = σ(−x), g = 1 − y.
    fn at(self, batch: &Batch, i: usize) -> (f64, f64, f64) {
        let (x, y) = (batch.x[i], batch.y[i]);
        match self {
            Class::Fg => (sigmoid(x), y, dsigmoid(x)),
            Class::Bg => (sigmoid(-x), 1.0 - y, -dsigmoid(x)),
        }
    }
}

/// Partial derivatives of a score with respect to I = Σpg and P = Σp (or Σp² if squared).
struct Score {
    value: f64,
    by_intersection: f64,
    by_prediction: f64,
}

/// Averages `loss(score)` over units × classes; `score` maps sums (I, P, G) to a Score and
/// `outer` maps a score to (loss, dloss/dscore).
fn overlap_loss(
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

/// A zero denominator only happens with smooth = 0 and nothing predicted or present: score 0,
/// the limit of 0 / (P + G) as P → 0.
fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        numerator / denominator
    } else {
        0.0
    }
}

/// MONAI `DiceLoss(sigmoid=True, smooth_nr=s, smooth_dr=s, batch=!per_image, squared_pred)`:
/// 1 − (2I + s)/(P + G + s) per (unit, class), mean. `log` uses smp's −log(max(score, 1e-7)).
pub(crate) fn dice(p: &Dice, batch: &Batch) -> TermOutput {
    let classes: &[Class] = match p.classes {
        DiceClasses::Fg => &[Class::Fg],
        DiceClasses::Bg => &[Class::Bg],
        DiceClasses::Both => &[Class::Bg, Class::Fg],
    };
    let s = p.smooth;
    let score = |i: f64, pred: f64, g: f64| {
        let (num, den) = (2.0 * i + s, pred + g + s);
        let den2 = if den > 0.0 { den * den } else { f64::INFINITY };
        Score {
            value: ratio(num, den),
            by_intersection: ratio(2.0, den),
            by_prediction: -num / den2,
        }
    };
    overlap_loss(
        batch,
        &units(batch, p.per_image),
        classes,
        p.squared,
        score,
        |score| outer_loss(score, p.log),
    )
}

/// (1 − score, −1) or (−log(max(score, eps)), −1/score).
fn outer_loss(score: f64, log: bool) -> (f64, f64) {
    if !log {
        (1.0 - score, -1.0)
    } else if score >= LOG_EPS {
        (-libm::log(score), -1.0 / score)
    } else {
        (-libm::log(LOG_EPS), 0.0)
    }
}

/// MONAI `DiceLoss(sigmoid=True, jaccard=True)`: 1 − (2I + s)/(2(P + G − I) + s).
pub(crate) fn jaccard(p: &Jaccard, batch: &Batch) -> TermOutput {
    let s = p.smooth;
    let score = |i: f64, pred: f64, g: f64| {
        let (num, den) = (2.0 * i + s, 2.0 * (pred + g - i) + s);
        let den2 = if den > 0.0 { den * den } else { f64::INFINITY };
        Score {
            value: ratio(num, den),
            by_intersection: ratio(2.0, den) + 2.0 * num / den2,
            by_prediction: -2.0 * num / den2,
        }
    };
    overlap_loss(
        batch,
        &units(batch, p.per_image),
        &[Class::Fg],
        false,
        score,
        |score| (1.0 - score, -1.0),
    )
}

/// MONAI `TverskyLoss(sigmoid=True)`: T = (I + s)/(I + α·FP + β·FN + s) with FP = Σp(1−g),
/// FN = Σ(1−p)g; loss (1 − T)^γ per unit as smp, mean over units.
pub(crate) fn tversky(p: &Tversky, batch: &Batch) -> TermOutput {
    let unit_ranges = units(batch, p.per_image);
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
        let num = tp + p.smooth;
        let den = tp + p.alpha * fp + p.beta * fn_ + p.smooth;
        let den2 = if den > 0.0 { den * den } else { f64::INFINITY };
        let t = ratio(num, den);
        // ∂T/∂TP = (den − num)/den², written without the cancellation.
        let by_tp = (p.alpha * fp + p.beta * fn_) / den2;
        let (by_fp, by_fn) = (-num * p.alpha / den2, -num * p.beta / den2);
        let base = 1.0 - t;
        // (1 − T)^γ; at T = 1 the loss is 0 and, for γ < 1, the gradient is taken as 0
        // rather than the infinite one-sided derivative.
        let (loss, dloss) = if p.gamma == 1.0 {
            (base, -1.0)
        } else if base > 0.0 {
            (
                libm::pow(base, p.gamma),
                -p.gamma * libm::pow(base, p.gamma - 1.0),
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
    TermOutput {
        value: value / count,
        dx,
        class_weights: None,
    }
}

/// MONAI `GeneralizedDiceLoss(softmax=True, w_type, smooth_nr=s, smooth_dr=s)` on [bg, fg]:
/// per image 1 − (2Σ_c w_c·I_c + s)/(Σ_c w_c·(P_c + G_c) + s), w_c = 1/G_c², 1/G_c or 1; an
/// infinite weight (empty class) becomes the image's largest finite weight. Mean over images.
pub(crate) fn gdice(p: &Gdice, batch: &Batch) -> TermOutput {
    let unit_ranges = units(batch, true);
    let count = unit_ranges.len() as f64;
    let classes = [Class::Bg, Class::Fg];
    let mut value = 0.0;
    let mut dx = vec![0.0; batch.len()];
    for unit in &unit_ranges {
        // [bg, fg] sums.
        let (mut tp, mut pred, mut ground) = ([0.0; 2], [0.0; 2], [0.0; 2]);
        for (c, class) in classes.iter().enumerate() {
            for i in unit.clone() {
                let (pr, g, _) = class.at(batch, i);
                tp[c] += pr * g;
                pred[c] += pr;
                ground[c] += g;
            }
        }
        let mut w = ground.map(|g| match p.w_type {
            GdiceWeight::Square => 1.0 / (g * g),
            GdiceWeight::Simple => 1.0 / g,
            GdiceWeight::Uniform => 1.0,
        });
        let largest = w
            .iter()
            .filter(|v| v.is_finite())
            .fold(0.0_f64, |a, &b| a.max(b));
        for v in &mut w {
            if v.is_infinite() {
                *v = largest;
            }
        }
        let num = 2.0 * (w[0] * tp[0] + w[1] * tp[1]) + p.smooth;
        let den = w[0] * (pred[0] + ground[0]) + w[1] * (pred[1] + ground[1]) + p.smooth;
        value += 1.0 - ratio(num, den);
        if den > 0.0 {
            for i in unit.clone() {
                let (mut dnum, mut dden) = (0.0, 0.0);
                for (c, class) in classes.iter().enumerate() {
                    let (_, g, dp) = class.at(batch, i);
                    dnum += 2.0 * w[c] * g * dp;
                    dden += w[c] * dp;
                }
                dx[i] = -(dnum * den - num * dden) / (den * den) / count;
            }
        }
    }
    TermOutput {
        value: value / count,
        dx,
        class_weights: None,
    }
}
