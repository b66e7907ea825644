//! Losses: the catalogue, the explorer's curves, one evaluation, and their Keras code.

use super::data::JsDataset;
use super::{js_error, object};
use crate::link;
use crate::loss::{self, LossContext, LossSpec};
use crate::tensor::Tensor;
use wasm_bindgen::prelude::*;

fn parse_spec(spec: &str) -> Result<LossSpec, JsError> {
    spec.parse::<LossSpec>().map_err(js_error)
}

/// Every loss of the catalogue: { name, title, defaults, formula, convention, reduction, emptyMask, whenToUse }.
#[wasm_bindgen(js_name = lossCatalogue)]
pub fn loss_catalogue() -> js_sys::Array {
    loss::catalogue()
        .iter()
        .map(|info| {
            let defaults: Vec<String> = info
                .params
                .iter()
                .map(|p| format!("{}={} ({})", p.name, p.default, p.values))
                .collect();
            object([
                ("name", info.name.into()),
                ("title", info.title.into()),
                (
                    "defaults",
                    if defaults.is_empty() {
                        "none".into()
                    } else {
                        defaults.join(", ").into()
                    },
                ),
                ("formula", info.formula.into()),
                ("convention", info.convention.into()),
                ("reduction", info.reduction.into()),
                ("emptyMask", info.empty_mask.into()),
                ("whenToUse", info.when_to_use.into()),
            ])
        })
        .collect()
}

/// The loss explorer's curves for `spec` at an object fraction: { p, loss, gradObject, gradBackground }.
#[wasm_bindgen(js_name = lossCurves)]
pub fn loss_curves(spec: &str, fraction: f64) -> Result<JsValue, JsError> {
    let curves = loss::explore::loss_curves(&parse_spec(spec)?, fraction, 99).map_err(js_error)?;
    let array = |values: &[f64]| JsValue::from(js_sys::Float64Array::from(values));
    Ok(object([
        ("p", array(&curves.probability)),
        ("loss", array(&curves.loss)),
        ("gradObject", array(&curves.grad_object)),
        ("gradBackground", array(&curves.grad_background)),
    ]))
}

/// Evaluates a loss spec on NHWC logits (n, h, w, c) and targets (n, h, w, 1): { value, dlogits }.
#[wasm_bindgen(js_name = evaluateLoss)]
pub fn evaluate_loss(
    spec: &str,
    logits: Vec<f32>,
    target: Vec<f32>,
    n: usize,
    h: usize,
    w: usize,
    c: usize,
) -> Result<JsValue, JsError> {
    let spec = parse_spec(spec)?;
    let logits = Tensor::from_shape_vec((n, h, w, c), logits)
        .map_err(|_| JsError::new(&format!("logits do not hold {n}×{h}×{w}×{c} values")))?;
    let target = Tensor::from_shape_vec((n, h, w, 1), target)
        .map_err(|_| JsError::new(&format!("target does not hold {n}×{h}×{w}×1 values")))?;
    let out = loss::evaluate(&spec, logits.view(), target.view(), &LossContext::default())
        .map_err(js_error)?;
    let dlogits: Vec<f32> = out.dlogits.iter().copied().collect();
    Ok(object([
        ("value", out.value.into()),
        (
            "dlogits",
            js_sys::Float32Array::from(dlogits.as_slice()).into(),
        ),
    ]))
}

/// Keras 3 `def loss(y_true, y_pred)` for `spec` and the head of experiment `query`; class weights
/// with scope=dataset are counted over `dataset`'s training masks, as the runs count them.
#[wasm_bindgen(js_name = kerasLoss)]
pub fn keras_loss(query: &str, spec: &str, dataset: &JsDataset) -> Result<String, JsError> {
    let experiment = link::decode_at_most(query, link::FILE_MAX_LEN)
        .map_err(js_error)?
        .experiment;
    let spec: LossSpec = spec.parse().map_err(js_error)?;
    let ctx = LossContext::from_masks(dataset.0.train.iter().map(|s| s.mask.view()));
    crate::keras::loss_code(&spec, experiment.model.head, &ctx).map_err(js_error)
}

/// The experiment `query`'s model as Keras 3 code, compiled with its optimizer and `loss`.
#[wasm_bindgen(js_name = kerasModel)]
pub fn keras_model(query: &str) -> Result<String, JsError> {
    let experiment = link::decode_at_most(query, link::FILE_MAX_LEN)
        .map_err(js_error)?
        .experiment;
    Ok(crate::keras::model_code(&experiment))
}

/// One runnable Keras training script for loss `spec` of experiment `query` (docs/keras.md): it
/// reads the user's folder itself, so the query's images are not in it.
#[wasm_bindgen(js_name = kerasTrainScript)]
pub fn keras_train_script(query: &str, spec: &str) -> Result<String, JsError> {
    let experiment = link::decode_at_most(query, link::FILE_MAX_LEN)
        .map_err(js_error)?
        .experiment;
    let spec: LossSpec = spec.parse().map_err(js_error)?;
    crate::keras::train_script(&experiment, &spec).map_err(js_error)
}
