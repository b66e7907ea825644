//! The experiment: the settings schema and limits, link normalisation and sharing, tensor shapes.

use super::{js_error, object};
use crate::data::{given, upload};
use crate::experiment::DataSource;
use crate::keras::tensor_shapes;
use crate::link;
use crate::settings::{self, Access, Kind};
use wasm_bindgen::prelude::*;

/// The longest experiment text a source may hold: "link" (a shared link) or "file" (an experiment
/// file, or the page's own state, whose images are at training size).
fn max_len(source: &str) -> usize {
    if source == "file" {
        link::FILE_MAX_LEN
    } else {
        link::MAX_LEN
    }
}

/// Validates an experiment query: { query (canonical, without view settings), source ("demo" or
/// "given": a demo scene or the user's images), settings (every link key with its value, undefined
/// where it does not apply), notes }.
#[wasm_bindgen(js_name = normalizeExperiment)]
pub fn normalize_experiment(query: &str, source: &str) -> Result<JsValue, JsError> {
    let decoded = link::decode_at_most(query, max_len(source)).map_err(js_error)?;
    let values = js_sys::Object::new();
    for (setting, value) in link::values(&decoded.experiment, &decoded.view) {
        let value = value.map_or(JsValue::UNDEFINED, JsValue::from);
        let _ = js_sys::Reflect::set(&values, &setting.key.into(), &value);
    }
    let notes: js_sys::Array = decoded
        .notes
        .iter()
        .map(|n| JsValue::from(n.as_str()))
        .collect();
    Ok(object([
        ("query", link::encode(&decoded.experiment).into()),
        (
            "source",
            match decoded.experiment.data {
                DataSource::Demo { .. } => "demo",
                DataSource::Given(_) => "given",
            }
            .into(),
        ),
        ("settings", values.into()),
        ("notes", notes.into()),
    ]))
}

/// Every setting of the table: [{ key, label, group, kind, default, min, max, step, zero, choices,
/// help, inLink }] (min/max/step for numbers, choices [{ value, label }] for choices).
#[wasm_bindgen(js_name = settingsSchema)]
pub fn settings_schema() -> js_sys::Array {
    settings::SETTINGS
        .iter()
        .map(|setting| {
            let (kind, min, max, step, zero, choices) = match setting.kind {
                Kind::Int { min, max, zero } => (
                    "int",
                    JsValue::from(min as f64),
                    JsValue::from(max as f64),
                    JsValue::from(1),
                    zero.map_or(JsValue::UNDEFINED, JsValue::from),
                    JsValue::UNDEFINED,
                ),
                Kind::Float { min, max } => (
                    "float",
                    JsValue::from(min),
                    JsValue::from(max),
                    JsValue::from("any"),
                    JsValue::UNDEFINED,
                    JsValue::UNDEFINED,
                ),
                Kind::Choice(choices) => (
                    "choice",
                    JsValue::UNDEFINED,
                    JsValue::UNDEFINED,
                    JsValue::UNDEFINED,
                    JsValue::UNDEFINED,
                    choices()
                        .into_iter()
                        .map(|(value, label)| {
                            object([("value", value.into()), ("label", label.into())])
                        })
                        .collect::<js_sys::Array>()
                        .into(),
                ),
                Kind::Bool => (
                    "bool",
                    JsValue::UNDEFINED,
                    JsValue::UNDEFINED,
                    JsValue::UNDEFINED,
                    JsValue::UNDEFINED,
                    JsValue::UNDEFINED,
                ),
                Kind::Text => (
                    "text",
                    JsValue::UNDEFINED,
                    JsValue::UNDEFINED,
                    JsValue::UNDEFINED,
                    JsValue::UNDEFINED,
                    JsValue::UNDEFINED,
                ),
            };
            object([
                ("key", setting.key.into()),
                ("label", setting.label.into()),
                ("group", setting.group.name().into()),
                ("kind", kind.into()),
                ("default", setting.default.into()),
                ("min", min),
                ("max", max),
                ("step", step),
                ("zero", zero),
                ("choices", choices),
                ("help", setting.help.into()),
                ("inLink", (!matches!(setting.access, Access::Page)).into()),
            ])
        })
        .collect()
}

/// The engine's limits the page states: { maxLosses, maxImages, maxSide, maxMegapixels (of one
/// uploaded file), maxTotalMegapixels (of all images at training size), linkMaxLen, fileMaxLen,
/// trainSide: { min, max, default }, linkSide: { min, max, default } }.
#[wasm_bindgen(js_name = engineLimits)]
pub fn engine_limits() -> JsValue {
    let side = |setting: &settings::Setting| {
        let (min, max) = setting.range().unwrap_or_default();
        object([
            ("min", min.into()),
            ("max", max.into()),
            ("default", (setting.default_value().int() as f64).into()),
        ])
    };
    object([
        ("maxLosses", settings::MAX_LOSSES.into()),
        ("maxImages", given::MAX_IMAGES.into()),
        ("maxSide", given::MAX_SIDE.into()),
        (
            "maxMegapixels",
            (upload::MAX_FILE_PIXELS as f64 / 1e6).into(),
        ),
        (
            "maxTotalMegapixels",
            (given::MAX_TOTAL_PIXELS as f64 / 1e6).into(),
        ),
        ("linkMaxLen", link::MAX_LEN.into()),
        ("fileMaxLen", link::FILE_MAX_LEN.into()),
        ("trainSide", side(&settings::TRAIN_SIDE)),
        ("linkSide", side(&settings::LINK_SIDE)),
    ])
}

/// The share link of an experiment `query` (the page's own, images at training size) with its
/// images at a longest side of `link_side`, or smaller where that does not fit in a link: { query,
/// exact (reproduces the runs bit for bit), side (the longest side the images travel at), patch (the
/// patch the link's copies train on, when smaller than the query's) }.
#[wasm_bindgen(js_name = shareLink)]
pub fn share_link(query: &str, link_side: usize) -> Result<JsValue, JsError> {
    let decoded = link::decode_at_most(query, link::FILE_MAX_LEN).map_err(js_error)?;
    let share = link::share(&decoded.experiment, &decoded.view, link_side).map_err(js_error)?;
    Ok(object([
        ("query", share.query.into()),
        ("exact", share.exact.into()),
        ("side", share.side.into()),
        (
            "patch",
            share.patch.map_or(JsValue::UNDEFINED, JsValue::from),
        ),
    ]))
}

fn dims(values: &[usize]) -> JsValue {
    values
        .iter()
        .map(|&v| JsValue::from(v as f64))
        .collect::<js_sys::Array>()
        .into()
}

/// Every tensor shape of the experiment's model for one training batch.
#[wasm_bindgen(js_name = modelShapes)]
pub fn model_shapes(query: &str) -> Result<JsValue, JsError> {
    let experiment = link::decode_at_most(query, link::FILE_MAX_LEN)
        .map_err(js_error)?
        .experiment;
    let shapes = tensor_shapes(&experiment);
    let layers: js_sys::Array = shapes
        .layers
        .iter()
        .map(|layer| {
            object([
                ("name", layer.name.as_str().into()),
                ("kernel", dims(&layer.kernel)),
                ("bias", dims(&[layer.bias])),
                ("activation", dims(&layer.activation)),
                ("dilation", layer.dilation.into()),
                ("relu", layer.relu.into()),
            ])
        })
        .collect();
    let labels: js_sys::Array = shapes
        .labels
        .iter()
        .map(|label| object([("shape", dims(&label.shape)), ("note", label.note.into())]))
        .collect();
    Ok(object([
        ("input", dims(&shapes.input)),
        ("layers", layers.into()),
        ("logits", dims(&shapes.logits)),
        ("head", settings::head_name(shapes.head).into()),
        ("labels", labels.into()),
        ("params", (shapes.params as f64).into()),
        ("receptiveField", (shapes.receptive_field as f64).into()),
        ("flopsPerStep", (shapes.flops_per_step as f64).into()),
    ]))
}
