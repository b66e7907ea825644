//! One loss's training run in this wasm instance, as the benchmark page drives it (the playground's
//! runs are study trials, trial.rs), and what both answer about the `train::Run` they hold.

use super::data::parse_split;
use super::{js_error, object, rgba};
use crate::data::{Split, upload};
use crate::link;
use crate::metrics::Metrics;
use crate::render::{self, RunView};
use crate::train::{Run, StepReport};
use wasm_bindgen::prelude::*;

/// One loss's training run in this wasm instance, stepped without limit (the benchmarks).
#[wasm_bindgen(js_name = Run)]
pub struct JsRun(Run);

pub(crate) fn metrics_object(m: &Metrics) -> JsValue {
    object([
        ("dice", m.dice.into()),
        ("iou", m.iou.into()),
        ("precision", m.precision.into()),
        ("recall", m.recall.into()),
        ("accuracy", m.accuracy.into()),
    ])
}

#[wasm_bindgen(js_class = Run)]
impl JsRun {
    /// Run `loss_index` of the experiment `query`; every run of a query starts from the same weights.
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str, loss_index: usize) -> Result<JsRun, JsError> {
        let experiment = link::decode_at_most(query, link::FILE_MAX_LEN)
            .map_err(js_error)?
            .experiment;
        Run::new(&experiment, loss_index)
            .map(JsRun)
            .map_err(js_error)
    }

    /// Takes up to `n` steps: { steps (taken now), loss (the last), diverged (reason or undefined) }.
    pub fn step(&mut self, n: usize) -> Result<JsValue, JsError> {
        self.0.step(n).map(step_report).map_err(js_error)
    }

    #[wasm_bindgen(js_name = stepCount)]
    pub fn step_count(&self) -> usize {
        self.0.steps_done()
    }

    /// Overall metrics at threshold 0.5: { train, heldout } each { dice, iou, precision, recall,
    /// accuracy }; heldout is undefined when no image is held out.
    pub fn evaluate(&self) -> Result<JsValue, JsError> {
        evaluate(&self.0)
    }

    /// Overall metrics of the held-out images only, { heldout }, or of the training images when none
    /// is held out, { train }: a third of the cost of `evaluate` on the demo scenes, for use while
    /// training.
    #[wasm_bindgen(js_name = evaluateHeldout)]
    pub fn evaluate_heldout(&self) -> Result<JsValue, JsError> {
        evaluate_heldout(&self.0)
    }

    /// One image as this run sees it, as RGBA: { width, height, probability, mask, overlay, gradient }.
    pub fn snapshot(&self, split: &str, index: usize, threshold: f32) -> Result<JsValue, JsError> {
        snapshot(&self.0, split, index, threshold)
    }

    /// Object probability and mask (at `threshold`) of any RGBA image, as RGBA: { probability, mask }.
    #[wasm_bindgen(js_name = predictRgba)]
    pub fn predict_rgba(
        &self,
        pixels: &[u8],
        width: usize,
        height: usize,
        threshold: f32,
    ) -> Result<JsValue, JsError> {
        predict_rgba(&self.0, pixels, width, height, threshold)
    }

    /// The weights' checksum as 16 hex digits (equal checksums, equal weights).
    pub fn checksum(&self) -> String {
        format!("{:016x}", self.0.checksum())
    }

    #[wasm_bindgen(js_name = lossSpec)]
    pub fn loss_spec(&self) -> String {
        self.0.loss_spec().to_string()
    }
}

#[wasm_bindgen(js_class = Run)]
impl JsRun {
    /// The weights as .npz bytes in Keras layout, for `model.set_weights` of `kerasModel`'s model.
    #[wasm_bindgen(js_name = weightsNpz)]
    pub fn weights_npz(&self) -> Result<Vec<u8>, JsError> {
        crate::export::weights_npz(self.0.model()).map_err(js_error)
    }
}

// What a page run and a study trial both answer, on the `train::Run` they hold.

/// { steps (taken now), loss (the last), diverged (reason or undefined) }.
pub(crate) fn step_report(report: StepReport) -> JsValue {
    object([
        ("steps", report.values.len().into()),
        (
            "loss",
            report.values.last().copied().unwrap_or(f64::NAN).into(),
        ),
        (
            "diverged",
            report.diverged.map_or(JsValue::UNDEFINED, JsValue::from),
        ),
    ])
}

pub(crate) fn evaluate(run: &Run) -> Result<JsValue, JsError> {
    let evaluation = run.evaluate().map_err(js_error)?;
    Ok(object([
        ("train", metrics_object(&evaluation.train.overall)),
        (
            "heldout",
            evaluation
                .heldout
                .as_ref()
                .map_or(JsValue::UNDEFINED, |h| metrics_object(&h.overall)),
        ),
    ]))
}

pub(crate) fn evaluate_heldout(run: &Run) -> Result<JsValue, JsError> {
    let (split, key) = if run.dataset().heldout.is_empty() {
        (Split::Train, "train")
    } else {
        (Split::Heldout, "heldout")
    };
    let evaluation = run.evaluate_split(split).map_err(js_error)?;
    Ok(object([(key, metrics_object(&evaluation.overall))]))
}

pub(crate) fn snapshot(
    run: &Run,
    split: &str,
    index: usize,
    threshold: f32,
) -> Result<JsValue, JsError> {
    let split = parse_split(split)?;
    let snapshot = run.snapshot(split, index).map_err(js_error)?;
    let sample = &run.dataset().split(split)[index];
    let view = RunView::new(
        &sample.image,
        &sample.mask,
        &snapshot.probabilities,
        &snapshot.dlogits,
        threshold,
    );
    Ok(object([
        ("width", sample.width().into()),
        ("height", sample.height().into()),
        ("probability", rgba(view.probability)),
        ("mask", rgba(view.mask)),
        ("overlay", rgba(view.overlay)),
        ("gradient", rgba(view.gradient)),
    ]))
}

pub(crate) fn predict_rgba(
    run: &Run,
    pixels: &[u8],
    width: usize,
    height: usize,
    threshold: f32,
) -> Result<JsValue, JsError> {
    let image = upload::rgba_to_image(pixels, width, height).map_err(js_error)?;
    let probabilities = run.predict(&image).map_err(js_error)?;
    let prediction = render::threshold(&probabilities, threshold);
    Ok(object([
        (
            "probability",
            rgba(render::probability_to_rgba(&probabilities)),
        ),
        ("mask", rgba(render::mask_to_rgba(&prediction))),
    ]))
}
