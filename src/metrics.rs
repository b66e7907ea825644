//! Confusion counts and Dice/IoU/precision/recall/accuracy at a threshold (metrics are not losses:
//! they score hard decisions and have no gradient).
//!
//! A pixel is predicted object when its probability is ≥ the threshold (0.5 in the page and CLI,
//! i.e. logit ≥ 0). Per-image metrics come from that image's counts; overall metrics from the counts
//! summed over the images (so large objects weigh more, as in a single big image).
//!
//! Empty cases: a ratio whose denominator is zero is 1 when the image has no object and none was
//! predicted (nothing to find, nothing invented: a perfect answer), and 0 otherwise (scikit-learn's
//! `zero_division=0`). So with no object and no prediction every metric is 1; with objects but no
//! prediction precision is 0 (not undefined) as are Dice, IoU and recall.

use crate::bail;
use crate::components::{Connectivity, label_mask};
use crate::error::Result;
use ndarray::ArrayView2;

/// Pixel counts of one or more images.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Confusion {
    pub true_positive: u64,
    pub false_positive: u64,
    pub false_negative: u64,
    pub true_negative: u64,
}

/// The scores of one `Confusion`, each in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metrics {
    pub dice: f64,
    pub iou: f64,
    pub precision: f64,
    pub recall: f64,
    pub accuracy: f64,
}

impl Confusion {
    /// Counts (H, W) `probabilities` ≥ `threshold` against an (H, W) `mask` in {0, 1} (> 0.5 is object).
    pub fn from_probabilities(
        probabilities: ArrayView2<f32>,
        mask: ArrayView2<f32>,
        threshold: f32,
    ) -> Result<Confusion> {
        if probabilities.dim() != mask.dim() {
            let ((ph, pw), (mh, mw)) = (probabilities.dim(), mask.dim());
            bail!("probabilities are {ph}×{pw} pixels but the mask is {mh}×{mw}");
        }
        let mut counts = Confusion::default();
        for (&p, &m) in probabilities.iter().zip(mask.iter()) {
            match (p >= threshold, m > 0.5) {
                (true, true) => counts.true_positive += 1,
                (true, false) => counts.false_positive += 1,
                (false, true) => counts.false_negative += 1,
                (false, false) => counts.true_negative += 1,
            }
        }
        Ok(counts)
    }

    pub fn total(&self) -> u64 {
        self.true_positive + self.false_positive + self.false_negative + self.true_negative
    }

    /// True when the image has no object and none was predicted.
    fn both_empty(&self) -> bool {
        self.true_positive + self.false_positive + self.false_negative == 0
    }

    /// numerator / denominator, with the module's convention when the denominator is 0.
    fn ratio(&self, numerator: u64, denominator: u64) -> f64 {
        if denominator > 0 {
            numerator as f64 / denominator as f64
        } else if self.both_empty() {
            1.0
        } else {
            0.0
        }
    }

    /// 2·TP / (2·TP + FP + FN).
    pub fn dice(&self) -> f64 {
        let (tp, fp, fn_) = (self.true_positive, self.false_positive, self.false_negative);
        self.ratio(2 * tp, 2 * tp + fp + fn_)
    }

    /// TP / (TP + FP + FN), the Jaccard index.
    pub fn iou(&self) -> f64 {
        let (tp, fp, fn_) = (self.true_positive, self.false_positive, self.false_negative);
        self.ratio(tp, tp + fp + fn_)
    }

    /// TP / (TP + FP): the share of predicted object pixels that are object.
    pub fn precision(&self) -> f64 {
        self.ratio(self.true_positive, self.true_positive + self.false_positive)
    }

    /// TP / (TP + FN): the share of object pixels found.
    pub fn recall(&self) -> f64 {
        self.ratio(self.true_positive, self.true_positive + self.false_negative)
    }

    /// (TP + TN) / all pixels.
    pub fn accuracy(&self) -> f64 {
        self.ratio(self.true_positive + self.true_negative, self.total())
    }

    pub fn metrics(&self) -> Metrics {
        Metrics {
            dice: self.dice(),
            iou: self.iou(),
            precision: self.precision(),
            recall: self.recall(),
            accuracy: self.accuracy(),
        }
    }
}

impl std::ops::Add for Confusion {
    type Output = Confusion;

    fn add(self, other: Confusion) -> Confusion {
        Confusion {
            true_positive: self.true_positive + other.true_positive,
            false_positive: self.false_positive + other.false_positive,
            false_negative: self.false_negative + other.false_negative,
            true_negative: self.true_negative + other.true_negative,
        }
    }
}

impl std::iter::Sum for Confusion {
    fn sum<I: Iterator<Item = Confusion>>(iter: I) -> Confusion {
        iter.fold(Confusion::default(), |a, b| a + b)
    }
}

/// Object-level counts: the 8-connected components of prediction and ground truth, a pair
/// matching when their IoU exceeds 0.5 (such a partner is unique, so no assignment is needed).
/// Touching objects merged into one predicted blob match nothing: this is what pixel Dice misses
/// and what U-Net's border weights are for. F1 at IoU 0.5 as in Caicedo et al. 2019 (nuclei).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ObjectCounts {
    pub truth: u64,
    pub predicted: u64,
    pub matched: u64,
}

/// The objects of one image: each true object's area and whether a predicted object matches it (the
/// rule of `ObjectCounts`), and how many objects were predicted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectMatches {
    pub predicted: usize,
    /// Per true object, in row-major order of its first pixel: (area in pixels, matched).
    pub truth: Vec<(u64, bool)>,
}

impl ObjectMatches {
    /// Objects of (H, W) `prediction` and `mask`, both object where > 0.5.
    pub fn of(prediction: ArrayView2<f32>, mask: ArrayView2<f32>) -> Result<ObjectMatches> {
        if prediction.dim() != mask.dim() {
            let ((ph, pw), (mh, mw)) = (prediction.dim(), mask.dim());
            bail!("the prediction is {ph}×{pw} pixels but the mask is {mh}×{mw}");
        }
        let predicted = label_mask(prediction, Connectivity::Eight);
        let truth = label_mask(mask, Connectivity::Eight);
        let (predicted_area, truth_area) = (predicted.areas(), truth.areas());
        let mut overlaps = std::collections::BTreeMap::<(usize, usize), u64>::new();
        for (&p, &t) in predicted.labels.iter().zip(&truth.labels) {
            if p > 0 && t > 0 {
                *overlaps.entry((t, p)).or_default() += 1;
            }
        }
        let mut matched = vec![false; truth.count + 1];
        for (&(t, p), &both) in &overlaps {
            matched[t] |= 2 * both > predicted_area[p] + truth_area[t] - both;
        }
        Ok(ObjectMatches {
            predicted: predicted.count,
            truth: (1..=truth.count)
                .map(|t| (truth_area[t], matched[t]))
                .collect(),
        })
    }
}

impl ObjectCounts {
    /// Counts objects of (H, W) `prediction` and `mask`, both object where > 0.5.
    pub fn from_masks(prediction: ArrayView2<f32>, mask: ArrayView2<f32>) -> Result<ObjectCounts> {
        let objects = ObjectMatches::of(prediction, mask)?;
        Ok(ObjectCounts {
            truth: objects.truth.len() as u64,
            predicted: objects.predicted as u64,
            matched: objects.truth.iter().filter(|&&(_, hit)| hit).count() as u64,
        })
    }

    /// 2·matched / (truth + predicted); 1 when there are no objects and none predicted.
    pub fn f1(&self) -> f64 {
        match self.truth + self.predicted {
            0 => 1.0,
            all => 2.0 * self.matched as f64 / all as f64,
        }
    }
}

impl std::ops::Add for ObjectCounts {
    type Output = ObjectCounts;

    fn add(self, other: ObjectCounts) -> ObjectCounts {
        ObjectCounts {
            truth: self.truth + other.truth,
            predicted: self.predicted + other.predicted,
            matched: self.matched + other.matched,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, array};

    fn counts(tp: u64, fp: u64, fn_: u64, tn: u64) -> Confusion {
        Confusion {
            true_positive: tp,
            false_positive: fp,
            false_negative: fn_,
            true_negative: tn,
        }
    }

    #[test]
    fn counts_at_threshold_include_equality() {
        let p = array![[0.9f32, 0.5, 0.49], [0.1, 0.7, 0.2]];
        let m = array![[1.0f32, 0.0, 1.0], [0.0, 1.0, 0.0]];
        // ≥ 0.5 predicts (0,0), (0,1), (1,1): TP (0,0), (1,1); FP (0,1); FN (0,2); TN (1,0), (1,2).
        assert_eq!(
            Confusion::from_probabilities(p.view(), m.view(), 0.5).unwrap(),
            counts(2, 1, 1, 2)
        );
        let err = Confusion::from_probabilities(p.view(), m.t(), 0.5).unwrap_err();
        assert_eq!(err.0, "probabilities are 2×3 pixels but the mask is 3×2");
    }

    #[test]
    fn scores_match_hand_computed_values() {
        // TP 6, FP 2, FN 4, TN 88: Dice 12/18, IoU 6/12, precision 6/8, recall 6/10, accuracy 94/100.
        let m = counts(6, 2, 4, 88).metrics();
        assert_eq!(
            m,
            Metrics {
                dice: 12.0 / 18.0,
                iou: 0.5,
                precision: 0.75,
                recall: 0.6,
                accuracy: 0.94
            }
        );
        // Dice = 2·IoU / (1 + IoU) always.
        assert!((m.dice - 2.0 * m.iou / (1.0 + m.iou)).abs() < 1e-15);
    }

    #[test]
    fn empty_cases_follow_the_stated_convention() {
        // No object, nothing predicted: perfect.
        let perfect = Metrics {
            dice: 1.0,
            iou: 1.0,
            precision: 1.0,
            recall: 1.0,
            accuracy: 1.0,
        };
        assert_eq!(counts(0, 0, 0, 10).metrics(), perfect);
        // Objects missed entirely: precision has no predictions to judge and scores 0.
        let missed = counts(0, 0, 3, 7).metrics();
        assert_eq!(
            (
                missed.dice,
                missed.iou,
                missed.precision,
                missed.recall,
                missed.accuracy
            ),
            (0.0, 0.0, 0.0, 0.0, 0.7)
        );
        // Objects invented on an empty image: recall has nothing to find and scores 0.
        let invented = counts(0, 4, 0, 6).metrics();
        assert_eq!(
            (invented.dice, invented.precision, invented.recall),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(Confusion::default().accuracy(), 1.0);
    }

    #[test]
    fn overall_scores_sum_counts_not_scores() {
        let images = [counts(6, 2, 4, 88), counts(0, 0, 0, 100)];
        let overall: Confusion = images.iter().copied().sum();
        assert_eq!(overall, counts(6, 2, 4, 188));
        // Mean of per-image Dice would be (2/3 + 1)/2; the summed counts keep 2/3.
        assert_eq!(overall.dice(), 12.0 / 18.0);
    }

    #[test]
    fn objects_match_at_iou_above_one_half() {
        // Truth: two nuclei separated by a one-pixel seam column, and one lone pixel.
        let truth = array![
            [1.0f32, 1.0, 0.0, 1.0, 1.0, 0.0],
            [1.0, 1.0, 0.0, 1.0, 1.0, 0.0],
            [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
        ];
        // Exact prediction: 3 of 3 matched.
        let exact = ObjectCounts::from_masks(truth.view(), truth.view()).unwrap();
        assert_eq!(
            exact,
            ObjectCounts {
                truth: 3,
                predicted: 3,
                matched: 3
            }
        );
        assert_eq!(exact.f1(), 1.0);
        // The seam filled: one blob of 10 pixels overlaps each nucleus by 4 (IoU 0.4): no match.
        // The lone pixel grown to 2 pixels: IoU 1/2, not above one half. Pixels: TP 9, FP 3, FN 0.
        let merged = array![
            [1.0f32, 1.0, 1.0, 1.0, 1.0, 0.0],
            [1.0, 1.0, 1.0, 1.0, 1.0, 0.0],
            [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0, 1.0, 1.0],
        ];
        let counts = ObjectCounts::from_masks(merged.view(), truth.view()).unwrap();
        assert_eq!(
            counts,
            ObjectCounts {
                truth: 3,
                predicted: 2,
                matched: 0
            }
        );
        assert_eq!(counts.f1(), 0.0);
        // Pixel Dice still looks good: 2·9 / (2·9 + 3) = 0.857.
        let pixels = Confusion::from_probabilities(merged.view(), truth.view(), 0.5).unwrap();
        assert!((pixels.dice() - 18.0 / 21.0).abs() < 1e-12);
        let empty = Array2::<f32>::zeros((4, 6));
        assert_eq!(
            ObjectCounts::from_masks(empty.view(), empty.view())
                .unwrap()
                .f1(),
            1.0
        );
        assert_eq!((counts + exact).f1(), 2.0 * 3.0 / 11.0);
    }
}
