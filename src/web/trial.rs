//! One run of a study in this wasm instance (`study::Trial`): a loss at one seed, or one rate of
//! a loss's learning-rate sweep. The page's workers host several; each ends with its evidence
//! (`evidence()`) or its validation score (`tuningScore()`).

use super::run::{evaluate, evaluate_heldout, predict_rgba, snapshot, step_report};
use super::run_metrics::run_metrics_to_js;
use super::{js_error, study::experiment};
use crate::study::{Purpose, Trial, rate_f64, rates};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_name = Trial)]
pub struct JsTrial(Trial);

#[wasm_bindgen(js_class = Trial)]
impl JsTrial {
    /// Repeat `seed_index` of loss `loss_index` of the experiment `query`, at rate `rate_index` of
    /// the loss's sweep (`studyPlan().tuningRates`) or, when undefined, the experiment's rate.
    pub fn repeat(
        query: &str,
        loss_index: usize,
        seed_index: usize,
        rate_index: Option<usize>,
    ) -> Result<JsTrial, JsError> {
        let experiment = experiment(query)?;
        let rate = match rate_index {
            Some(i) => Some(
                *rates(experiment.optimizer.lr())
                    .get(i)
                    .ok_or_else(|| JsError::new(&format!("rate {i} is not in the sweep")))?,
            ),
            None => None,
        };
        Trial::study(&experiment, loss_index, seed_index, rate)
            .map(JsTrial)
            .map_err(js_error)
    }

    /// Rate `rate_index` of loss `loss_index`'s sweep, trained and scored on validation images.
    pub fn tuning(query: &str, loss_index: usize, rate_index: usize) -> Result<JsTrial, JsError> {
        Trial::tuning(&experiment(query)?, loss_index, rate_index)
            .map(JsTrial)
            .map_err(js_error)
    }

    /// Takes up to `n` steps, never past the trial's steps: { steps, loss, diverged }.
    pub fn step(&mut self, n: usize) -> Result<JsValue, JsError> {
        self.0.step(n).map(step_report).map_err(js_error)
    }

    #[wasm_bindgen(js_name = stepCount)]
    pub fn step_count(&self) -> usize {
        self.0.run().steps_done()
    }

    #[wasm_bindgen(js_name = totalSteps)]
    pub fn total_steps(&self) -> usize {
        self.0.total_steps()
    }

    /// Trained all its steps, or diverged.
    pub fn finished(&self) -> bool {
        self.0.finished()
    }

    /// "train" (a repeat) or "tune" (a sweep run).
    pub fn kind(&self) -> String {
        match self.0.purpose() {
            Purpose::Study { .. } => "train",
            Purpose::Tuning { .. } => "tune",
        }
        .to_string()
    }

    /// The seed it trains with.
    pub fn seed(&self) -> f64 {
        self.0.seed() as f64
    }

    /// The learning rate it trains at, as a person writes it.
    #[wasm_bindgen(js_name = learningRate)]
    pub fn learning_rate(&self) -> f64 {
        self.0.learning_rate()
    }

    /// The evidence of a finished repeat: every per-run number (run_metrics.rs has its fields).
    pub fn evidence(&self) -> Result<JsValue, JsError> {
        self.0
            .metrics()
            .map(|m| run_metrics_to_js(&m))
            .map_err(js_error)
    }

    /// A finished sweep run's validation score (Dice at 0.5; -1 when it diverged).
    #[wasm_bindgen(js_name = tuningScore)]
    pub fn tuning_score(&self) -> Result<f64, JsError> {
        self.0.validation_score().map_err(js_error)
    }

    pub fn evaluate(&self) -> Result<JsValue, JsError> {
        evaluate(self.0.run())
    }

    #[wasm_bindgen(js_name = evaluateHeldout)]
    pub fn evaluate_heldout(&self) -> Result<JsValue, JsError> {
        evaluate_heldout(self.0.run())
    }

    pub fn snapshot(&self, split: &str, index: usize, threshold: f32) -> Result<JsValue, JsError> {
        snapshot(self.0.run(), split, index, threshold)
    }

    #[wasm_bindgen(js_name = predictRgba)]
    pub fn predict_rgba(
        &self,
        pixels: &[u8],
        width: usize,
        height: usize,
        threshold: f32,
    ) -> Result<JsValue, JsError> {
        predict_rgba(self.0.run(), pixels, width, height, threshold)
    }

    /// The weights' checksum as 16 hex digits (equal checksums, equal weights).
    pub fn checksum(&self) -> String {
        format!("{:016x}", self.0.run().checksum())
    }

    #[wasm_bindgen(js_name = lossSpec)]
    pub fn loss_spec(&self) -> String {
        self.0.run().loss_spec().to_string()
    }

    /// The weights as .npz bytes in Keras layout.
    #[wasm_bindgen(js_name = weightsNpz)]
    pub fn weights_npz(&self) -> Result<Vec<u8>, JsError> {
        crate::export::weights_npz(self.0.run().model()).map_err(js_error)
    }
}

/// The sweep's rates of an experiment's learning rate, as a person writes them.
pub(crate) fn sweep_rates(lr: f32) -> Vec<f64> {
    rates(lr).iter().map(|&r| rate_f64(r)).collect()
}
