//! Pixels ranked by score: the confusion counts at every distinct score, which the PR curve, the
//! average precision, the ROC AUC and the best-Dice threshold all read. One sort, O(N log N).
//!
//! Convention: `sklearn.metrics.confusion_matrix_at_thresholds` (formerly `_binary_clf_curve`):
//! thresholds are the distinct scores in decreasing order; at threshold t a pixel is predicted
//! object when its score ≥ t, so pixels sharing a score enter together (ties form one threshold).
//! Exact: scores are compared as f32 values, never binned.

use super::pixels::Pixels;

/// Confusion counts at every distinct score.
///
/// # Shapes
/// `thresholds`, `true_positives`, `false_positives`: (K,), K = the number of distinct scores,
/// thresholds decreasing; counts cumulative (pixels with score ≥ thresholds[k]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RankedScores {
    pub thresholds: Vec<f32>,
    pub true_positives: Vec<u64>,
    pub false_positives: Vec<u64>,
}

impl RankedScores {
    pub fn new(pixels: &Pixels) -> RankedScores {
        // One u64 per pixel: the score's order-preserving bits above the label bit, so a plain
        // integer sort ranks the pixels (sklearn's stable argsort is not needed: only the counts
        // at each distinct score matter).
        let mut keys: Vec<u64> = pixels
            .scores
            .iter()
            .zip(&pixels.labels)
            .map(|(&s, &l)| (u64::from(order_bits(s)) << 1) | u64::from(l))
            .collect();
        keys.sort_unstable_by(|a, b| b.cmp(a));
        let mut ranked = RankedScores::default();
        let (mut tp, mut fp) = (0u64, 0u64);
        for (i, &key) in keys.iter().enumerate() {
            if key & 1 == 1 {
                tp += 1;
            } else {
                fp += 1;
            }
            let last_of_score = keys.get(i + 1).is_none_or(|next| next >> 1 != key >> 1);
            if last_of_score {
                ranked.thresholds.push(from_order_bits((key >> 1) as u32));
                ranked.true_positives.push(tp);
                ranked.false_positives.push(fp);
            }
        }
        ranked
    }

    /// Object pixels in the set.
    pub fn positives(&self) -> u64 {
        self.true_positives.last().copied().unwrap_or(0)
    }

    /// Background pixels in the set.
    pub fn negatives(&self) -> u64 {
        self.false_positives.last().copied().unwrap_or(0)
    }

    /// `sklearn.metrics.roc_auc_score`: the area under the ROC curve (ties count one half, the
    /// trapezoid). Computed exactly from the counts: Σ_k negatives_k·(TP_(k−1) + positives_k/2)
    /// / (P·N). None when either class is absent (sklearn warns and returns NaN).
    pub fn roc_auc(&self) -> Option<f64> {
        let (p, n) = (self.positives(), self.negatives());
        if p == 0 || n == 0 {
            return None;
        }
        // Twice the area in units of 1/(P·N), as an integer: exact for any image size.
        let (mut twice_area, mut tp_before, mut fp_before) = (0u128, 0u64, 0u64);
        for (&tp, &fp) in self.true_positives.iter().zip(&self.false_positives) {
            let (positives, negatives) = (tp - tp_before, fp - fp_before);
            twice_area += u128::from(negatives) * u128::from(2 * tp_before + positives);
            (tp_before, fp_before) = (tp, fp);
        }
        Some(twice_area as f64 / (2.0 * p as f64 * n as f64))
    }
}

/// f32 bits mapped so that unsigned order is numeric order (−0 and +0 are one score).
fn order_bits(score: f32) -> u32 {
    let bits = (score + 0.0).to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | 0x8000_0000
    }
}

fn from_order_bits(bits: u32) -> f32 {
    f32::from_bits(if bits >> 31 == 1 {
        bits & 0x7fff_ffff
    } else {
        !bits
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(scores: &[f32], labels: &[u8]) -> RankedScores {
        let labels = labels.iter().map(|&l| l == 1).collect();
        RankedScores::new(&Pixels::new(scores.to_vec(), labels).unwrap())
    }

    #[test]
    fn ties_share_one_threshold() {
        let r = ranked(&[0.1, 0.4, 0.35, 0.8, 0.4], &[0, 0, 1, 1, 1]);
        assert_eq!(r.thresholds, [0.8, 0.4, 0.35, 0.1]);
        assert_eq!(r.true_positives, [1, 2, 3, 3]);
        assert_eq!(r.false_positives, [0, 1, 1, 2]);
        // sklearn: roc_auc_score([0,0,1,1,1], [0.1,0.4,0.35,0.8,0.4]) = 0.75.
        assert_eq!(r.roc_auc(), Some(0.75));
    }

    #[test]
    fn order_bits_sort_negative_zero_and_positive_scores() {
        let scores = [-2.0f32, -0.0, 0.0, 1e-30, 0.5, 1.0, 3.0];
        let bits: Vec<u32> = scores.iter().map(|&s| order_bits(s)).collect();
        assert!(bits.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(bits[1], bits[2]);
        for s in scores {
            assert_eq!(from_order_bits(order_bits(s)), s + 0.0);
        }
    }

    #[test]
    fn one_class_has_no_roc_auc() {
        assert_eq!(ranked(&[0.3, 0.6], &[0, 0]).roc_auc(), None);
        assert_eq!(ranked(&[0.3, 0.6], &[1, 1]).roc_auc(), None);
        assert_eq!(ranked(&[], &[]).roc_auc(), None);
    }
}
