//! The only file that touches wasm_bindgen: converts types and maps errors to `JsError`, no logic.

use crate::data::given::{self, GivenImage, GivenImages};
use crate::data::upload::{self, Coverage};
use crate::data::{self, Dataset, Sample, Split};
use crate::experiment::DataSource;
use crate::keras::tensor_shapes;
use crate::link;
use crate::loss::{self, LossContext, LossSpec};
use crate::metrics::Metrics;
use crate::render::{self, RunView};
use crate::settings::{self, Access, Kind};
use crate::tensor::Tensor;
use crate::train::Run;
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

/// RGBA bytes as the Uint8ClampedArray `ImageData` takes.
fn rgba(bytes: Vec<u8>) -> JsValue {
    js_sys::Uint8ClampedArray::from(bytes.as_slice()).into()
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

    /// The user's images from a `GivenBuilder`'s `data`.
    pub fn given(data: &str) -> Result<JsDataset, JsError> {
        GivenImages::decode(data)
            .and_then(|images| images.to_dataset())
            .map(JsDataset)
            .map_err(js_error)
    }

    /// The images of an experiment query: its demo scene or its given images.
    #[wasm_bindgen(js_name = fromQuery)]
    pub fn from_query(query: &str) -> Result<JsDataset, JsError> {
        link::decode_at_most(query, link::FILE_MAX_LEN)
            .and_then(|d| d.experiment.dataset())
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
            .map(|s| Clamped(render::image_to_rgba(&s.image)))
    }

    #[wasm_bindgen(js_name = maskRgba)]
    pub fn mask_rgba(&self, split: &str, index: usize) -> Result<Clamped<Vec<u8>>, JsError> {
        self.sample(split, index)
            .map(|s| Clamped(render::mask_to_rgba(&s.mask)))
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

/// The user's images at training size, added one at a time so each bad one is refused with its own
/// message; `data` is the link's `data=` value for them.
#[wasm_bindgen(js_name = GivenBuilder)]
#[derive(Default)]
pub struct JsGivenBuilder(Vec<GivenImage>);

#[wasm_bindgen(js_class = GivenBuilder)]
impl JsGivenBuilder {
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsGivenBuilder {
        JsGivenBuilder::default()
    }

    /// `rgba`: width × height × 4 bytes; `mask`: width × height bytes, non-zero = object.
    pub fn add(
        &mut self,
        rgba: &[u8],
        width: usize,
        height: usize,
        mask: &[u8],
        max_side: usize,
        heldout: bool,
    ) -> Result<(), JsError> {
        let image = GivenImage::from_rgba(rgba, (width, height), mask, max_side, heldout)
            .map_err(js_error)?;
        self.0.push(image);
        Ok(())
    }

    /// The link's `data=` value for every image added, at most `max_side` pixels long.
    pub fn data(&self, max_side: usize) -> Result<String, JsError> {
        let images = GivenImages::new(self.0.clone()).map_err(js_error)?;
        Ok(images.downscaled(max_side).encode())
    }
}

/// The size an image of `width` × `height` is kept at when its longest side may be at most
/// `max_side`: { width, height }.
#[wasm_bindgen(js_name = fittedSize)]
pub fn fitted_size(width: usize, height: usize, max_side: usize) -> JsValue {
    let (height, width) = given::fitted_size(height, width, max_side);
    object([("width", width.into()), ("height", height.into())])
}

/// The images a query carries, in order: [{ width, height, rgba, mask (0/1 per pixel), heldout }].
#[wasm_bindgen(js_name = givenImages)]
pub fn given_images(query: &str) -> Result<js_sys::Array, JsError> {
    let experiment = link::decode_at_most(query, link::FILE_MAX_LEN)
        .map_err(js_error)?
        .experiment;
    let DataSource::Given(images) = experiment.data else {
        return Ok(js_sys::Array::new());
    };
    Ok(images
        .images
        .iter()
        .map(|i| {
            object([
                ("width", i.width.into()),
                ("height", i.height.into()),
                ("rgba", Clamped(i.rgba()).into()),
                ("mask", js_sys::Uint8Array::from(i.mask.as_slice()).into()),
                ("heldout", i.heldout.into()),
            ])
        })
        .collect())
}

/// An uploaded mask's pixels → one byte per pixel, 1 = object (alpha > 0 if any pixel is
/// transparent, else any non-black pixel).
#[wasm_bindgen(js_name = maskFromRgba)]
pub fn mask_from_rgba(rgba: &[u8], width: usize, height: usize) -> Result<Vec<u8>, JsError> {
    upload::rgba_to_mask(rgba, width, height).map_err(js_error)
}

/// An uploaded mask's pixels → one byte per pixel, 1 where the pixel is exactly `#rrggbb` `colour`.
#[wasm_bindgen(js_name = maskFromColour)]
pub fn mask_from_colour(
    rgba: &[u8],
    width: usize,
    height: usize,
    red: u8,
    green: u8,
    blue: u8,
) -> Result<Vec<u8>, JsError> {
    upload::rgba_colour_to_mask(rgba, width, height, [red, green, blue]).map_err(js_error)
}

/// A starting mask for an image from Otsu's threshold, one byte per pixel, 1 = object.
#[wasm_bindgen(js_name = otsuMask)]
pub fn otsu_mask(rgba: &[u8], width: usize, height: usize) -> Result<Vec<u8>, JsError> {
    upload::otsu_mask(rgba, width, height).map_err(js_error)
}

/// "empty", "full" or "mixed" for a mask of one byte per pixel.
#[wasm_bindgen(js_name = maskCoverage)]
pub fn mask_coverage(mask: &[u8]) -> String {
    Coverage::of(mask).name().to_string()
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

/// The longest experiment text a source may hold: "link" (a shared link) or "file" (an experiment
/// file, or the page's own state, whose images are at training size).
fn max_len(source: &str) -> usize {
    if source == "file" {
        link::FILE_MAX_LEN
    } else {
        link::MAX_LEN
    }
}

/// Validates an experiment query: { query (canonical, without view settings), link (with them),
/// settings (every link key with its value, undefined where it does not apply), notes }.
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
            "link",
            link::encode_with_view(&decoded.experiment, &decoded.view).into(),
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

/// The engine's limits the page states: { maxLosses, maxImages, maxSide, maxMegapixels, linkMaxLen,
/// fileMaxLen, trainSide: { min, max, default }, linkSide: { min, max, default } }.
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
            (given::MAX_TOTAL_PIXELS as f64 / 1e6).into(),
        ),
        ("linkMaxLen", link::MAX_LEN.into()),
        ("fileMaxLen", link::FILE_MAX_LEN.into()),
        ("trainSide", side(&settings::TRAIN_SIDE)),
        ("linkSide", side(&settings::LINK_SIDE)),
    ])
}

/// The share link of an experiment `query` (the page's own, images at training size) with its
/// images at a longest side of `link_side`: { query, exact (reproduces the runs bit for bit),
/// patch (the patch the link's copies train on, when smaller than the query's) }.
#[wasm_bindgen(js_name = shareLink)]
pub fn share_link(query: &str, link_side: usize) -> Result<JsValue, JsError> {
    let decoded = link::decode_at_most(query, link::FILE_MAX_LEN).map_err(js_error)?;
    let share = link::share(&decoded.experiment, &decoded.view, link_side).map_err(js_error)?;
    Ok(object([
        ("query", share.query.into()),
        ("exact", share.exact.into()),
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

/// One loss's training run in this wasm instance (the page runs one per Web Worker).
#[wasm_bindgen(js_name = Run)]
pub struct JsRun(Run);

fn metrics_object(m: &Metrics) -> JsValue {
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
        let report = self.0.step(n).map_err(js_error)?;
        Ok(object([
            ("steps", report.values.len().into()),
            (
                "loss",
                report.values.last().copied().unwrap_or(f64::NAN).into(),
            ),
            (
                "diverged",
                report.diverged.map_or(JsValue::UNDEFINED, JsValue::from),
            ),
        ]))
    }

    #[wasm_bindgen(js_name = stepCount)]
    pub fn step_count(&self) -> usize {
        self.0.steps_done()
    }

    /// Overall metrics at threshold 0.5: { train, heldout } each { dice, iou, precision, recall, accuracy }.
    pub fn evaluate(&self) -> Result<JsValue, JsError> {
        let evaluation = self.0.evaluate().map_err(js_error)?;
        let heldout = evaluation.heldout.as_ref().unwrap_or(&evaluation.train);
        Ok(object([
            ("train", metrics_object(&evaluation.train.overall)),
            ("heldout", metrics_object(&heldout.overall)),
        ]))
    }

    /// Overall metrics of the held-out images only (the training images when there are none):
    /// { heldout }, a third of the cost of `evaluate` on the demo scenes, for use while training.
    #[wasm_bindgen(js_name = evaluateHeldout)]
    pub fn evaluate_heldout(&self) -> Result<JsValue, JsError> {
        let split = if self.0.dataset().heldout.is_empty() {
            Split::Train
        } else {
            Split::Heldout
        };
        let evaluation = self.0.evaluate_split(split).map_err(js_error)?;
        Ok(object([("heldout", metrics_object(&evaluation.overall))]))
    }

    /// One image as this run sees it, as RGBA: { width, height, probability, mask, overlay, gradient }.
    pub fn snapshot(&self, split: &str, index: usize, threshold: f32) -> Result<JsValue, JsError> {
        let split = parse_split(split)?;
        let snapshot = self.0.snapshot(split, index).map_err(js_error)?;
        let sample = &self.0.dataset().split(split)[index];
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

    /// Object probability and mask (at `threshold`) of any RGBA image, as RGBA: { probability, mask }.
    #[wasm_bindgen(js_name = predictRgba)]
    pub fn predict_rgba(
        &self,
        pixels: &[u8],
        width: usize,
        height: usize,
        threshold: f32,
    ) -> Result<JsValue, JsError> {
        let image = upload::rgba_to_image(pixels, width, height).map_err(js_error)?;
        let probabilities = self.0.predict(&image).map_err(js_error)?;
        let prediction = render::threshold(&probabilities, threshold);
        Ok(object([
            (
                "probability",
                rgba(render::probability_to_rgba(&probabilities)),
            ),
            ("mask", rgba(render::mask_to_rgba(&prediction))),
        ]))
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

// ---- Keras code and weight export (docs/keras.md) ---------------------------------------------

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

#[wasm_bindgen(js_class = Run)]
impl JsRun {
    /// The weights as .npz bytes in Keras layout, for `model.set_weights` of `kerasModel`'s model.
    #[wasm_bindgen(js_name = weightsNpz)]
    pub fn weights_npz(&self) -> Result<Vec<u8>, JsError> {
        crate::export::weights_npz(self.0.model()).map_err(js_error)
    }
}
