//! Determinism across targets: the golden experiment trained in wasm (simd128 kernels, in Node and in
//! Chromium) ends with the same weights, bit for bit, as natively (tests/train.rs asserts the same
//! constant).
#![cfg(target_arch = "wasm32")]

use segloss::train::{GOLDEN_CHECKSUM, Run, golden_experiment};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn golden_experiment_gives_the_golden_checksum_in_wasm() {
    let experiment = golden_experiment();
    let mut run = Run::new(&experiment, 0).unwrap();
    let report = run.step(experiment.steps).unwrap();
    assert_eq!(report.diverged, None);
    assert_eq!(
        run.checksum(),
        GOLDEN_CHECKSUM,
        "got {:#018x}",
        run.checksum()
    );
}

#[wasm_bindgen_test]
fn every_run_of_an_experiment_starts_from_the_same_weights_in_wasm() {
    let experiment = golden_experiment();
    let first = Run::new(&experiment, 0).unwrap().checksum();
    let mut other = segloss::experiment::Experiment {
        losses: vec!["dice".parse().unwrap(), "focal".parse().unwrap()],
        ..experiment
    };
    other.steps = 1;
    for index in 0..2 {
        assert_eq!(Run::new(&other, index).unwrap().checksum(), first);
    }
}
