//! The wasm binding, the only module that touches wasm_bindgen: converts types and maps errors to
//! `JsError`, no logic. One file per part of the page's API.

mod data;
mod dataset;
mod experiment;
mod losses;
mod run;
mod run_metrics;
mod study;
mod study_result;
mod trial;

use wasm_bindgen::prelude::*;

pub(crate) fn js_error(error: crate::Error) -> JsError {
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
pub(crate) fn rgba(bytes: Vec<u8>) -> JsValue {
    js_sys::Uint8ClampedArray::from(bytes.as_slice()).into()
}

/// A plain JS object from (key, value) pairs.
pub(crate) fn object<const N: usize>(fields: [(&str, JsValue); N]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in fields {
        // Setting a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&object, &key.into(), &value);
    }
    object.into()
}
