//! The only file that touches wasm_bindgen: converts types and maps errors to `JsError`, no logic.

use crate::data::{self, Dataset, Sample, Split};
use crate::loss::{self, LossContext, LossSpec};
use crate::tensor::Tensor;
use wasm_bindgen::Clamped;
use wasm_bindgen::prelude::*;

fn js_error(error: crate::Error) -> JsError {
    JsError::new(&error.0)
}

/// Crate version, e.g. "0.1.0".
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// "simd128-f32" or "portable-f32": which kernels this build computes with.
#[wasm_bindgen(js_name = kernelName)]
pub fn kernel_name() -> String {
    crate::kernels::KERNEL_NAME.to_string()
}

/// A fresh short seed from Web Crypto.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> f64 {
    crate::rng::random_seed() as f64
}

/// A plain JS object from (key, value) pairs.
fn object<const N: usize>(fields: [(&str, JsValue); N]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in fields {
        // Setting a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&object, &key.into(), &value);
    }
    object.into()
}

fn parse_spec(spec: &str) -> Result<LossSpec, JsError> {
    spec.parse::<LossSpec>().map_err(js_error)
}

/// The demo scenes as an array of { name, title, description, fraction }.
#[wasm_bindgen]
pub fn scenes() -> js_sys::Array {
    data::scenes()
        .iter()
        .map(|scene| {
            object([
                ("name", scene.name.into()),
                ("title", scene.title.into()),
                ("description", scene.description.into()),
                ("fraction", scene.nominal_fraction.into()),
            ])
        })
        .collect()
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

/// A dataset whose images and masks the page draws; `split` is "train" or "heldout".
#[wasm_bindgen(js_name = Dataset)]
pub struct JsDataset(Dataset);

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// Generates a seeded demo scene.
    #[wasm_bindgen(js_name = demo)]
    pub fn demo(name: &str, seed: f64) -> Result<JsDataset, JsError> {
        data::generate(name, seed as u64)
            .map(JsDataset)
            .map_err(js_error)
    }

    pub fn count(&self, split: &str) -> Result<usize, JsError> {
        self.samples(split).map(<[Sample]>::len)
    }

    pub fn width(&self, split: &str, index: usize) -> Result<usize, JsError> {
        self.sample(split, index).map(|s| s.mask.ncols())
    }

    pub fn height(&self, split: &str, index: usize) -> Result<usize, JsError> {
        self.sample(split, index).map(|s| s.mask.nrows())
    }

    /// RGBA pixels ready for `new ImageData(...)`.
    #[wasm_bindgen(js_name = imageRgba)]
    pub fn image_rgba(&self, split: &str, index: usize) -> Result<Clamped<Vec<u8>>, JsError> {
        self.sample(split, index)
            .map(|s| Clamped(data::image::image_to_rgba(&s.image)))
    }

    #[wasm_bindgen(js_name = maskRgba)]
    pub fn mask_rgba(&self, split: &str, index: usize) -> Result<Clamped<Vec<u8>>, JsError> {
        self.sample(split, index)
            .map(|s| Clamped(data::image::mask_to_rgba(&s.mask)))
    }

    /// Object pixels / all pixels of one image.
    #[wasm_bindgen(js_name = foregroundFraction)]
    pub fn foreground_fraction(&self, split: &str, index: usize) -> Result<f64, JsError> {
        self.sample(split, index).map(Sample::foreground_fraction)
    }

    /// Object pixels / all pixels over every image.
    #[wasm_bindgen(js_name = foregroundFractionAll)]
    pub fn foreground_fraction_all(&self) -> f64 {
        self.0.foreground_fraction()
    }
}

fn parse_split(split: &str) -> Result<Split, JsError> {
    match split {
        "train" => Ok(Split::Train),
        "heldout" => Ok(Split::Heldout),
        other => Err(JsError::new(&format!(
            "unknown split {other:?}: use \"train\" or \"heldout\""
        ))),
    }
}

impl JsDataset {
    fn samples(&self, split: &str) -> Result<&[Sample], JsError> {
        Ok(self.0.split(parse_split(split)?))
    }

    fn sample(&self, split: &str, index: usize) -> Result<&Sample, JsError> {
        let samples = self.samples(split)?;
        samples.get(index).ok_or_else(|| {
            JsError::new(&format!(
                "{split} image {index} does not exist ({} images)",
                samples.len()
            ))
        })
    }
}
