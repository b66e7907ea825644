//! A finished `train::Run` as the evidence layer reads it (`evidence::RunRecord`): its held-out
//! predictions with the loss gradient there, its predictions on the training images (where the
//! threshold is chosen), and every true held-out object with its area and whether it was found.

use crate::data::Split;
use crate::error::Result;
use crate::evidence::{ImagePrediction, RunRecord, TrueObject, true_objects};
use crate::train::{Run, THRESHOLD};

/// What the run itself does not keep: who it is in the study, and its history.
#[derive(Clone, Debug, PartialEq)]
pub struct RunHistory {
    pub loss_index: usize,
    pub seed: u64,
    pub learning_rate: f64,
    /// Training loss per step.
    pub loss_curve: Vec<f64>,
    /// (step, pooled held-out Dice at 0.5).
    pub heldout_dice_curve: Vec<(usize, f64)>,
}

/// The record of `run` after training.
pub fn run_record(run: &Run, history: RunHistory) -> Result<RunRecord> {
    let dataset = run.dataset();
    let (mut heldout, mut objects, mut gradient_sum) = (Vec::new(), Vec::new(), 0.0);
    for (index, sample) in dataset.heldout.iter().enumerate() {
        let snapshot = run.snapshot(Split::Heldout, index)?;
        gradient_sum += snapshot
            .dlogits
            .iter()
            .map(|&g| f64::from(g.abs()))
            .sum::<f64>();
        let image = ImagePrediction::new(snapshot.probabilities, sample.mask.clone())?;
        objects.extend(found_objects(&image)?);
        heldout.push(image);
    }
    let tuning = dataset
        .train
        .iter()
        .map(|sample| ImagePrediction::new(run.predict(&sample.image)?, sample.mask.clone()))
        .collect::<Result<Vec<_>>>()?;
    Ok(RunRecord {
        loss_index: history.loss_index,
        spec: run.loss_spec().clone(),
        seed: history.seed,
        learning_rate: history.learning_rate,
        diverged: run.diverged().map(str::to_string),
        loss_curve: history.loss_curve,
        heldout_dice_curve: history.heldout_dice_curve,
        gradient_l1: (!heldout.is_empty()).then(|| gradient_sum / heldout.len() as f64),
        heldout,
        tuning,
        heldout_objects: Some(objects),
    })
}

fn found_objects(image: &ImagePrediction) -> Result<Vec<TrueObject>> {
    let prediction = image.prediction(THRESHOLD);
    true_objects(prediction.view(), image.mask.view())
}
