//! The threshold that maximizes Dice on training/validation pixels, and the Dice it gives on
//! held-out pixels. Held out means held out: the threshold never sees the held-out pixels.
//!
//! Candidates: every distinct score of the tuning pixels (a pixel is object when p ≥ t, as in
//! `metrics` and sklearn's curves). Dice only changes where t passes a score, so this is the exact
//! maximum over all thresholds, found in the same sorted sweep as the PR curve. A fixed grid
//! (0.01 … 0.99) would be coarser exactly where it matters: Dice-type losses give saturated maps
//! whose scores bunch within 1e-3 of 0 or 1, which a 0.01 grid cannot separate.
//! Ties (equal Dice, compared exactly as fractions): the highest threshold, the one that
//! predicts the fewest pixels.

use super::pixels::Pixels;
use super::ranked::RankedScores;
use crate::metrics::Confusion;

/// The chosen threshold and the Dice it reached on the pixels it was chosen on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThresholdChoice {
    /// Predict object where p ≥ threshold.
    pub threshold: f32,
    /// Pooled Dice of the tuning pixels at `threshold`.
    pub tuning_dice: f64,
    /// Distinct scores tried.
    pub candidates: usize,
}

impl RankedScores {
    /// The Dice-maximizing threshold among the distinct scores; None when the pixels hold no
    /// object (every threshold then scores Dice 0 and none is better: keep the default 0.5).
    pub fn best_dice_threshold(&self) -> Option<ThresholdChoice> {
        let positives = self.positives();
        if positives == 0 {
            return None;
        }
        // Dice_k = 2·TP_k / (TP_k + FP_k + P): compare the fractions exactly by cross-products.
        let mut best = 0;
        for k in 1..self.thresholds.len() {
            let (tp, fp) = (self.true_positives[k], self.false_positives[k]);
            let (best_tp, best_fp) = (self.true_positives[best], self.false_positives[best]);
            let this = u128::from(tp) * u128::from(best_tp + best_fp + positives);
            let that = u128::from(best_tp) * u128::from(tp + fp + positives);
            // Thresholds decrease with k: a tie keeps the earlier, higher threshold.
            if this > that {
                best = k;
            }
        }
        let (tp, fp) = (self.true_positives[best], self.false_positives[best]);
        Some(ThresholdChoice {
            threshold: self.thresholds[best],
            tuning_dice: 2.0 * tp as f64 / (tp + fp + positives) as f64,
            candidates: self.thresholds.len(),
        })
    }
}

/// The threshold chosen on one set of pixels, applied to another.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TunedDice {
    pub choice: ThresholdChoice,
    /// Pooled Dice of the held-out pixels at `choice.threshold` (`metrics` conventions).
    pub heldout_dice: f64,
}

/// Chooses the threshold on `tuning` pixels (training/validation images) and scores `heldout`
/// pixels at it; None when `tuning` holds no object pixel.
pub fn tuned_dice(tuning: &Pixels, heldout: &Pixels) -> Option<TunedDice> {
    let choice = RankedScores::new(tuning).best_dice_threshold()?;
    Some(TunedDice {
        choice,
        heldout_dice: confusion_at(heldout, choice.threshold).dice(),
    })
}

/// Pooled confusion counts of `pixels` at `threshold` (p ≥ threshold is object).
pub fn confusion_at(pixels: &Pixels, threshold: f32) -> Confusion {
    let mut counts = Confusion::default();
    for (&p, &object) in pixels.scores.iter().zip(&pixels.labels) {
        match (p >= threshold, object) {
            (true, true) => counts.true_positive += 1,
            (true, false) => counts.false_positive += 1,
            (false, true) => counts.false_negative += 1,
            (false, false) => counts.true_negative += 1,
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixels(scores: &[f32], labels: &[u8]) -> Pixels {
        Pixels::new(scores.to_vec(), labels.iter().map(|&l| l == 1).collect()).unwrap()
    }

    fn best(scores: &[f32], labels: &[u8]) -> Option<ThresholdChoice> {
        RankedScores::new(&pixels(scores, labels)).best_dice_threshold()
    }

    #[test]
    fn finds_the_exact_maximum_below_one_half() {
        // Objects at 0.3 and 0.35, background at 0.1 and 0.2: threshold 0.3 gives Dice 1.
        let tuning = pixels(&[0.1, 0.3, 0.2, 0.35], &[0, 1, 0, 1]);
        let heldout = pixels(&[0.32, 0.29, 0.6, 0.05], &[1, 1, 0, 0]);
        let tuned = tuned_dice(&tuning, &heldout).unwrap();
        let choice = tuned.choice;
        assert_eq!(
            (choice.threshold, choice.tuning_dice, choice.candidates),
            (0.3, 1.0, 4)
        );
        // Held out at p ≥ 0.3: TP 1 (0.32), FN 1 (0.29), FP 1 (0.6): Dice 2/4.
        assert_eq!(tuned.heldout_dice, 0.5);
    }

    #[test]
    fn ties_pick_the_highest_threshold() {
        // t = 0.9: TP 1, FP 0 → 2/3 (P = 2); t = 0.5: TP 2, FP 2 → 4/6 = 2/3; t = 0.1: TP 2, FP 3 → 4/7.
        let choice = best(&[0.9, 0.5, 0.5, 0.5, 0.1], &[1, 1, 0, 0, 0]).unwrap();
        assert_eq!((choice.threshold, choice.tuning_dice), (0.9, 2.0 / 3.0));
    }

    #[test]
    fn saturated_scores_and_no_object() {
        // Every score 1.0 (a collapsed map): one candidate, everything object.
        let choice = best(&[1.0; 4], &[1, 0, 0, 0]).unwrap();
        assert_eq!((choice.threshold, choice.tuning_dice), (1.0, 2.0 / 5.0));
        assert_eq!(best(&[0.2, 0.9], &[0, 0]), None);
    }
}
