//! Object-level scores: precision, recall and F1 from `metrics::ObjectCounts` (8-connected
//! objects, one-to-one matches at IoU > 0.5), and recall by true-object size.
//!
//! Conventions: StarDist's `matching` (precision = TP/(TP + FP), recall = TP/(TP + FN),
//! f1 = 2TP/(2TP + FP + FN) with TP the matched pairs), with `metrics`' rule for empty cases: a
//! ratio over nothing is 1 when there was nothing to find and nothing was predicted, else 0.

use crate::error::Result;
use crate::metrics::{ObjectCounts, ObjectMatches};
use ndarray::ArrayView2;

/// Object precision, recall and F1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ObjectScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

pub fn object_scores(counts: ObjectCounts) -> ObjectScores {
    let nothing = counts.truth == 0 && counts.predicted == 0;
    let ratio = |numerator: u64, denominator: u64| match denominator {
        0 if nothing => 1.0,
        0 => 0.0,
        d => numerator as f64 / d as f64,
    };
    ObjectScores {
        precision: ratio(counts.matched, counts.predicted),
        recall: ratio(counts.matched, counts.truth),
        f1: counts.f1(),
    }
}

/// One true object: its area in pixels at training size, and whether a predicted object matched
/// it (IoU > 0.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrueObject {
    pub area: u64,
    pub matched: bool,
}

/// Every true object of one image with its area and whether a predicted object matched it, by
/// the rule of `metrics::ObjectCounts` (8-connected, IoU > 0.5), so the matched ones number
/// `ObjectCounts::matched`. Objects in row-major order of their first pixel.
///
/// # Shapes
/// `prediction`, `mask`: (H, W), object where > 0.5.
pub fn true_objects(prediction: ArrayView2<f32>, mask: ArrayView2<f32>) -> Result<Vec<TrueObject>> {
    let objects = ObjectMatches::of(prediction, mask)?;
    Ok(objects
        .truth
        .into_iter()
        .map(|(area, matched)| TrueObject { area, matched })
        .collect())
}

/// Size classes of true objects by area in pixels at training size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeClass {
    /// area < 16 (smaller than a 4 × 4 square).
    Small,
    /// 16 ≤ area ≤ 64 (up to an 8 × 8 square).
    Medium,
    /// area > 64.
    Large,
}

/// The classes' bounds: small below SMALL_BELOW, large above LARGE_ABOVE.
pub const SMALL_BELOW: u64 = 16;
pub const LARGE_ABOVE: u64 = 64;
/// A size bin with fewer true objects is reported as "too few" (metrics.md).
pub const MIN_OBJECTS_PER_BIN: u64 = 5;

impl SizeClass {
    pub const ALL: [SizeClass; 3] = [SizeClass::Small, SizeClass::Medium, SizeClass::Large];

    pub fn of(area: u64) -> SizeClass {
        if area < SMALL_BELOW {
            SizeClass::Small
        } else if area <= LARGE_ABOVE {
            SizeClass::Medium
        } else {
            SizeClass::Large
        }
    }

    /// The bin as the page and CSV print it.
    pub fn label(&self) -> &'static str {
        match self {
            SizeClass::Small => "small (< 16 px)",
            SizeClass::Medium => "medium (16–64 px)",
            SizeClass::Large => "large (> 64 px)",
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            SizeClass::Small => "small",
            SizeClass::Medium => "medium",
            SizeClass::Large => "large",
        }
    }
}

/// Recall of the true objects of one size class.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SizeBin {
    pub class: SizeClass,
    pub objects: u64,
    pub matched: u64,
    /// matched / objects; None ("too few") below MIN_OBJECTS_PER_BIN objects.
    pub recall: Option<f64>,
}

/// Recall per size class, in the order small, medium, large.
pub fn recall_by_size(objects: &[TrueObject]) -> [SizeBin; 3] {
    SizeClass::ALL.map(|class| {
        let members = objects.iter().filter(|o| SizeClass::of(o.area) == class);
        let (count, matched) =
            members.fold((0u64, 0u64), |(n, m), o| (n + 1, m + u64::from(o.matched)));
        SizeBin {
            class,
            objects: count,
            matched,
            recall: (count >= MIN_OBJECTS_PER_BIN).then(|| matched as f64 / count as f64),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn true_objects_match_as_the_object_counts_do() {
        // Truth: a 2 × 2 object found exactly, a 3 × 3 one half covered, a lone pixel missed.
        let mut mask = ndarray::Array2::<f32>::zeros((8, 8));
        mask.slice_mut(ndarray::s![0..2, 0..2]).fill(1.0);
        mask.slice_mut(ndarray::s![4..7, 4..7]).fill(1.0);
        mask[(0, 7)] = 1.0;
        let mut prediction = ndarray::Array2::<f32>::zeros((8, 8));
        prediction.slice_mut(ndarray::s![0..2, 0..2]).fill(1.0);
        prediction.slice_mut(ndarray::s![4..6, 4..6]).fill(1.0);
        let objects = true_objects(prediction.view(), mask.view()).unwrap();
        let areas: Vec<(u64, bool)> = objects.iter().map(|o| (o.area, o.matched)).collect();
        assert_eq!(areas, [(4, true), (1, false), (9, false)]);
        let counts = ObjectCounts::from_masks(prediction.view(), mask.view()).unwrap();
        let matched = objects.iter().filter(|o| o.matched).count() as u64;
        assert_eq!((counts.truth, counts.matched), (3, matched));
    }

    #[test]
    fn bins_follow_the_stated_bounds() {
        assert_eq!(SizeClass::of(15), SizeClass::Small);
        assert_eq!(SizeClass::of(16), SizeClass::Medium);
        assert_eq!(SizeClass::of(64), SizeClass::Medium);
        assert_eq!(SizeClass::of(65), SizeClass::Large);
    }

    #[test]
    fn a_bin_of_fewer_than_five_objects_is_too_few() {
        let mut objects: Vec<TrueObject> = (0..5)
            .map(|i| TrueObject {
                area: 4,
                matched: i < 2,
            })
            .collect();
        objects.push(TrueObject {
            area: 100,
            matched: true,
        });
        let [small, medium, large] = recall_by_size(&objects);
        assert_eq!(
            (small.objects, small.matched, small.recall),
            (5, 2, Some(0.4))
        );
        assert_eq!((medium.objects, medium.recall), (0, None));
        assert_eq!((large.objects, large.matched, large.recall), (1, 1, None));
    }

    #[test]
    fn scores_follow_stardist_with_the_empty_rule() {
        let c = |truth, predicted, matched| ObjectCounts {
            truth,
            predicted,
            matched,
        };
        let s = object_scores(c(4, 5, 3));
        assert_eq!((s.precision, s.recall), (0.6, 0.75));
        assert!((s.f1 - 6.0 / 9.0).abs() < 1e-15);
        let nothing = object_scores(c(0, 0, 0));
        assert_eq!(
            (nothing.precision, nothing.recall, nothing.f1),
            (1.0, 1.0, 1.0)
        );
        let missed = object_scores(c(3, 0, 0));
        assert_eq!(
            (missed.precision, missed.recall, missed.f1),
            (0.0, 0.0, 0.0)
        );
    }
}
