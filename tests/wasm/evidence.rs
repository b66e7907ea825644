//! In wasm32, the evidence statistics hash to the same constant as natively
//! (tests/evidence.rs): t quantiles, PR curve, AP, ROC AUC, threshold, ECE and intervals are
//! bit-identical across targets. The harness runs this file in Node and in Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test;

#[path = "../common/evidence_golden.rs"]
mod golden;

#[wasm_bindgen_test]
fn evidence_statistics_hash_to_the_golden_constant() {
    assert_eq!(
        golden::hash(),
        golden::GOLDEN,
        "hash {:#018x}",
        golden::hash()
    );
}
