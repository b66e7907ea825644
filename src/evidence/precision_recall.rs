//! Precision–recall curve and average precision, exactly as scikit-learn, and the curve thinned
//! for drawing.
//!
//! Conventions: `sklearn.metrics.precision_recall_curve(drop_intermediate=False)` and
//! `average_precision_score`: AP = Σ_n (R_n − R_(n−1))·P_n over the distinct thresholds, a
//! step-wise sum with no interpolation. AP always reads every pixel; only the drawn curve is thinned.

use super::ranked::RankedScores;

/// sklearn's three arrays, in sklearn's order (increasing threshold, decreasing recall).
///
/// # Shapes
/// `precision`, `recall`: (K + 1,); `thresholds`: (K,) with K distinct scores. The last point,
/// precision 1 and recall 0, has no threshold. With no object pixel, recall is 1 at every
/// threshold (sklearn's rule, with its warning); precision with no prediction is never needed
/// since every threshold predicts at least the pixels at that score.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PrecisionRecallCurve {
    pub precision: Vec<f64>,
    pub recall: Vec<f64>,
    pub thresholds: Vec<f32>,
}

/// One drawn point of a curve: an actual point of the full curve, never interpolated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurvePoint {
    pub recall: f64,
    pub precision: f64,
    /// None for the final (recall 0, precision 1) point.
    pub threshold: Option<f32>,
}

/// Points a drawn PR curve keeps at most: enough for a smooth line a few hundred pixels wide.
pub const DRAWN_POINTS: usize = 200;

impl RankedScores {
    pub fn precision_recall_curve(&self) -> PrecisionRecallCurve {
        let positives = self.positives();
        let mut curve = PrecisionRecallCurve::default();
        for k in (0..self.thresholds.len()).rev() {
            let (tp, fp) = (self.true_positives[k], self.false_positives[k]);
            curve.precision.push(tp as f64 / (tp + fp) as f64);
            curve.recall.push(if positives == 0 {
                1.0
            } else {
                tp as f64 / positives as f64
            });
            curve.thresholds.push(self.thresholds[k]);
        }
        curve.precision.push(1.0);
        curve.recall.push(0.0);
        curve
    }

    /// `sklearn.metrics.average_precision_score`; 0 when there is no object pixel (sklearn's
    /// value in that case, with its warning).
    pub fn average_precision(&self) -> f64 {
        let positives = self.positives();
        if positives == 0 {
            return 0.0;
        }
        let mut tp_before = 0;
        let mut sum = 0.0;
        for (&tp, &fp) in self.true_positives.iter().zip(&self.false_positives) {
            let recall_step = (tp - tp_before) as f64 / positives as f64;
            sum += recall_step * (tp as f64 / (tp + fp) as f64);
            tp_before = tp;
        }
        sum
    }
}

impl PrecisionRecallCurve {
    /// Every point of the curve, in sklearn's order (increasing threshold).
    pub fn points(&self) -> Vec<CurvePoint> {
        (0..self.precision.len())
            .map(|i| CurvePoint {
                recall: self.recall[i],
                precision: self.precision[i],
                threshold: self.thresholds.get(i).copied(),
            })
            .collect()
    }

    /// At most `max_points` (≥ 2) points of the curve for drawing, in sklearn's order: the first
    /// and the last point, and between them the first point at or past each of equal steps of arc
    /// length in the unit (recall, precision) square. Equal arc-length steps keep the corners and the steep drops
    /// that equal steps of threshold or of index would skip (a saturated map puts most pixels at a
    /// handful of scores). Kept points are actual curve points with their thresholds.
    pub fn thinned(&self, max_points: usize) -> Vec<CurvePoint> {
        let points = self.points();
        let max_points = max_points.max(2);
        if points.len() <= max_points {
            return points;
        }
        let mut arc = Vec::with_capacity(points.len());
        let mut length = 0.0;
        for (i, point) in points.iter().enumerate() {
            if i > 0 {
                let previous = &points[i - 1];
                length += libm::hypot(
                    point.recall - previous.recall,
                    point.precision - previous.precision,
                );
            }
            arc.push(length);
        }
        let mut kept = vec![0];
        let mut next = 1;
        for step in 1..max_points - 1 {
            let target = length * step as f64 / (max_points - 1) as f64;
            while next < points.len() - 1 && arc[next] < target {
                next += 1;
            }
            if next < points.len() - 1 && next > *kept.last().expect("starts with 0") {
                kept.push(next);
            }
        }
        kept.push(points.len() - 1);
        kept.into_iter().map(|i| points[i]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::pixels::Pixels;

    fn ranked(scores: &[f32], labels: &[u8]) -> RankedScores {
        let labels = labels.iter().map(|&l| l == 1).collect();
        RankedScores::new(&Pixels::new(scores.to_vec(), labels).unwrap())
    }

    #[test]
    fn matches_the_sklearn_docstring_example() {
        // precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]):
        // precision [0.5, 0.667, 0.5, 1, 1], recall [1, 1, 0.5, 0.5, 0], thresholds [0.1, 0.35, 0.4, 0.8];
        // average_precision_score = 0.8333.
        let r = ranked(&[0.1, 0.4, 0.35, 0.8], &[0, 0, 1, 1]);
        let c = r.precision_recall_curve();
        assert_eq!(c.precision, [0.5, 2.0 / 3.0, 0.5, 1.0, 1.0]);
        assert_eq!(c.recall, [1.0, 1.0, 0.5, 0.5, 0.0]);
        assert_eq!(c.thresholds, [0.1, 0.35, 0.4, 0.8]);
        assert!((r.average_precision() - 0.5 * 1.0 - 0.5 * 2.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn no_object_gives_recall_one_and_zero_ap() {
        let r = ranked(&[0.2, 0.7], &[0, 0]);
        let c = r.precision_recall_curve();
        assert_eq!(
            (c.recall, r.average_precision()),
            (vec![1.0, 1.0, 0.0], 0.0)
        );
    }

    #[test]
    fn thinning_keeps_the_ends_and_at_most_the_budget() {
        let scores: Vec<f32> = (0..5000)
            .map(|i| ((i * 7919) % 5000) as f32 / 5000.0)
            .collect();
        let labels: Vec<u8> = (0..5000).map(|i| u8::from((i * 31) % 7 < 2)).collect();
        let c = ranked(&scores, &labels).precision_recall_curve();
        let thin = c.thinned(DRAWN_POINTS);
        assert!(thin.len() <= DRAWN_POINTS && thin.len() > DRAWN_POINTS / 2);
        assert_eq!(thin[0], c.points()[0]);
        assert_eq!(thin.last(), c.points().last());
        let thresholds: Vec<f32> = thin.iter().filter_map(|p| p.threshold).collect();
        assert!(thresholds.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(thresholds.len(), thin.len() - 1);
        let short = ranked(&[0.1, 0.9], &[0, 1]).precision_recall_curve();
        assert_eq!(short.thinned(DRAWN_POINTS), short.points());
    }
}
