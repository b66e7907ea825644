//! The only file that touches wasm_bindgen: converts types and maps errors to `JsError`, no logic.

use crate::data::{self, Dataset, Sample, Split};
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

/// The demo scenes as an array of { name, title, description, fraction }.
#[wasm_bindgen]
pub fn scenes() -> js_sys::Array {
    data::scenes()
        .iter()
        .map(|scene| {
            let object = js_sys::Object::new();
            let set =
                |key: &str, value: JsValue| js_sys::Reflect::set(&object, &key.into(), &value);
            let _ = set("name", scene.name.into());
            let _ = set("title", scene.title.into());
            let _ = set("description", scene.description.into());
            let _ = set("fraction", scene.nominal_fraction.into());
            JsValue::from(object)
        })
        .collect()
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
