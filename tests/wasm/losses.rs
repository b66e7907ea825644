//! In wasm32, every loss case hashes to the same golden constant as natively
//! (tests/loss_golden.rs): value and dlogits are bit-identical across targets. The harness runs
//! this file in Node and in Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test;

#[path = "../common/loss_golden.rs"]
mod golden;

#[wasm_bindgen_test]
fn loss_values_and_gradients_hash_to_the_golden_constants() {
    let wrong = golden::mismatches();
    assert!(
        wrong.is_empty(),
        "{} cases differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
