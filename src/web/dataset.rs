//! Datasets of many images: the seeded held-out split, the training side their pixels fit at, and
//! their class imbalance (per-image object fractions and the dataset's class weights).

use super::data::{JsDataset, parse_split};
use super::{js_error, object};
use crate::data::given;
use crate::data::imbalance::Imbalance;
use crate::data::split;
use wasm_bindgen::prelude::*;

/// One flag per image (1 = held out) from a seeded draw of round(`fraction` × `count`) images.
#[wasm_bindgen(js_name = seededSplit)]
pub fn seeded_split(count: usize, fraction: f64, seed: f64) -> Result<Vec<u8>, JsError> {
    let flags = split::seeded_split(count, fraction, seed as u64).map_err(js_error)?;
    Ok(flags.into_iter().map(u8::from).collect())
}

/// The largest training side, at most `max_side`, at which images of these sizes fit the engine's
/// pixel budget together, or undefined when none does.
#[wasm_bindgen(js_name = fittingSide)]
pub fn fitting_side(widths: &[u32], heights: &[u32], max_side: usize) -> Option<usize> {
    let sizes: Vec<(usize, usize)> = (heights.iter().zip(widths))
        .map(|(&h, &w)| (h as usize, w as usize))
        .collect();
    given::fitting_side(&sizes, max_side)
}

fn pair(values: [f64; 2]) -> JsValue {
    js_sys::Float64Array::from(values.as_slice()).into()
}

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// The imbalance of one split: { fractions (Float64Array, per image), empty, full (image
    /// indices), overall, inverseFrequency, medianFrequency ([background, object]) }.
    pub fn imbalance(&self, split: &str) -> Result<JsValue, JsError> {
        let samples = self.0.split(parse_split(split)?);
        let imbalance = Imbalance::of(samples);
        let indices = |list: &[usize]| -> JsValue {
            list.iter()
                .map(|&i| JsValue::from(i as f64))
                .collect::<js_sys::Array>()
                .into()
        };
        Ok(object([
            (
                "fractions",
                js_sys::Float64Array::from(imbalance.fractions.as_slice()).into(),
            ),
            ("empty", indices(&imbalance.empty)),
            ("full", indices(&imbalance.full)),
            ("overall", imbalance.overall.into()),
            ("inverseFrequency", pair(imbalance.inverse_frequency)),
            ("medianFrequency", pair(imbalance.median_frequency)),
        ]))
    }
}
