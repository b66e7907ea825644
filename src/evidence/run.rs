//! One run's evidence: what a run reports after training (`RunRecord`, cheap to collect) turned
//! into every per-run number the statistics use (`RunMetrics`, small enough to post from a
//! worker). All held-out numbers come from held-out images only; the threshold comes from the
//! tuning (training/validation) images.

use super::calibration::{Calibration, ECE_BINS, calibration};
use super::failures::{Failure, RunSignals, detect};
use super::objects::{ObjectScores, SizeBin, TrueObject, object_scores, recall_by_size};
use super::per_image::{DiceByImage, dice_by_image};
use super::pixels::{ImagePrediction, Pixels};
use super::precision_recall::{CurvePoint, DRAWN_POINTS};
use super::ranked::RankedScores;
use super::threshold::{TunedDice, tuned_dice};
use crate::bail;
use crate::error::Result;
use crate::loss::LossSpec;
use crate::metrics::ObjectCounts;

/// The threshold of the page's fixed-threshold metrics (`train::THRESHOLD`).
pub const FIXED_THRESHOLD: f32 = 0.5;

/// What one finished run reports.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    /// The loss's position in the experiment's list: the study's order and its tie-break.
    pub loss_index: usize,
    pub spec: LossSpec,
    pub seed: u64,
    pub learning_rate: f64,
    /// `train::Run::diverged`.
    pub diverged: Option<String>,
    /// Training loss per step (`train::StepReport::values`, concatenated).
    pub loss_curve: Vec<f64>,
    /// (step, pooled held-out Dice at 0.5) at each evaluation.
    pub heldout_dice_curve: Vec<(usize, f64)>,
    /// Held-out images: every reported metric is computed on these.
    pub heldout: Vec<ImagePrediction>,
    /// Training/validation images: only the threshold is chosen on these.
    pub tuning: Vec<ImagePrediction>,
    /// Every true object of the held-out images with its area and whether it was matched at 0.5;
    /// None until `metrics` reports per-object matches (then recall by size is left out).
    pub heldout_objects: Option<Vec<TrueObject>>,
    /// See `failures::RunSignals::gradient_l1`.
    pub gradient_l1: Option<f64>,
}

/// Every per-run number of the evidence layer, for one loss and one seed.
#[derive(Clone, Debug, PartialEq)]
pub struct RunMetrics {
    pub loss_index: usize,
    /// The loss spec in canonical form (its `Display`).
    pub loss: String,
    pub seed: u64,
    pub learning_rate: f64,
    /// Held-out Dice at 0.5, pooled and per image, with the per-image points.
    pub dice: DiceByImage,
    /// The threshold chosen on the tuning images and the pooled held-out Dice there; None when
    /// the tuning images hold no object.
    pub tuned: Option<TunedDice>,
    /// Held-out Dice per image at the tuned threshold.
    pub dice_at_tuned: Option<DiceByImage>,
    /// sklearn's average_precision_score of all held-out pixels.
    pub average_precision: f64,
    /// sklearn's roc_auc_score; None when the held-out pixels hold one class only.
    pub roc_auc: Option<f64>,
    /// The held-out PR curve thinned to at most `DRAWN_POINTS` points (sklearn's order).
    pub pr_curve: Vec<CurvePoint>,
    pub calibration: Calibration,
    /// Objects at 0.5, summed over the held-out images.
    pub objects: ObjectCounts,
    pub object_scores: ObjectScores,
    pub recall_by_size: Option<[SizeBin; 3]>,
    pub failures: Vec<Failure>,
    pub heldout_dice_curve: Vec<(usize, f64)>,
    pub heldout_images: usize,
}

/// Computes a run's metrics and failures; an error when there is no held-out image.
pub fn evaluate_run(record: &RunRecord) -> Result<RunMetrics> {
    if record.heldout.is_empty() {
        bail!("the evidence needs held-out images, and this run has none");
    }
    let heldout_pixels = Pixels::from_images(&record.heldout);
    let ranked = RankedScores::new(&heldout_pixels);
    let tuned = tuned_dice(&Pixels::from_images(&record.tuning), &heldout_pixels);
    let mut objects = ObjectCounts::default();
    for image in &record.heldout {
        let prediction = image.prediction(FIXED_THRESHOLD);
        objects = objects + ObjectCounts::from_masks(prediction.view(), image.mask.view())?;
    }
    let failures = detect(&RunSignals {
        spec: &record.spec,
        learning_rate: record.learning_rate,
        diverged: record.diverged.as_deref(),
        loss_curve: &record.loss_curve,
        heldout: &record.heldout,
        gradient_l1: record.gradient_l1,
    });
    Ok(RunMetrics {
        loss_index: record.loss_index,
        loss: record.spec.to_string(),
        seed: record.seed,
        learning_rate: record.learning_rate,
        dice: dice_by_image(&record.heldout, FIXED_THRESHOLD),
        tuned,
        dice_at_tuned: tuned.map(|t| dice_by_image(&record.heldout, t.choice.threshold)),
        average_precision: ranked.average_precision(),
        roc_auc: ranked.roc_auc(),
        pr_curve: ranked.precision_recall_curve().thinned(DRAWN_POINTS),
        calibration: calibration(&heldout_pixels, ECE_BINS)?,
        objects,
        object_scores: object_scores(objects),
        recall_by_size: record.heldout_objects.as_deref().map(recall_by_size),
        failures,
        heldout_dice_curve: record.heldout_dice_curve.clone(),
        heldout_images: record.heldout.len(),
    })
}
