//! Every loss spec against reference fixtures computed by PyTorch, MONAI and smp in float64
//! (scripts/loss_fixtures.py; tests/fixtures/losses/*.json): value AND d/dlogits.
//!
//! Relative error = |ours − reference| / max(|reference|, floor). The floors (1e-12 for values,
//! 1e-15 for gradients) only matter where the reference is a rounding residue: e.g. torch's
//! sigmoid backward σ(1−σ) rounds to exactly 0 at x ≥ 37 where ours, σ(x)σ(−x), keeps the true
//! ~1e-22. Run with `--nocapture` to print the per-spec table of largest errors.

use ndarray::Array4;
use segloss::loss::{LOSS_NAMES, LossContext, LossSpec, evaluate};
use serde_json::Value;
use std::collections::BTreeMap;

const VALUE_FLOOR: f64 = 1e-12;
const GRADIENT_FLOOR: f64 = 1e-15;
/// The bound: relative 1e-5 in f32.
const TOLERANCE: f64 = 1e-5;

/// Besides one file per loss family (`LOSS_NAMES`), combinations of them.
const COMBOS: &str = "combo";

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

fn relative(ours: f64, reference: f64, floor: f64) -> f64 {
    (ours - reference).abs() / reference.abs().max(floor)
}

struct Worst {
    cases: usize,
    value: (f64, String),
    gradient: (f64, String),
}

#[test]
fn every_spec_matches_the_reference_libraries() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/losses");
    let mut worst: BTreeMap<String, Worst> = BTreeMap::new();
    let mut scenarios = BTreeMap::new();
    for family in LOSS_NAMES.into_iter().chain([COMBOS]) {
        let text = std::fs::read_to_string(format!("{dir}/{family}.json"))
            .unwrap_or_else(|e| panic!("{family}.json: {e}"));
        let json: Value = serde_json::from_str(&text).expect("fixture JSON");
        let cases = json["cases"].as_array().expect("cases");
        assert!(!cases.is_empty(), "{family}: no cases");
        for case in cases {
            let spec_text = case["spec"].as_str().unwrap();
            let scenario = case["scenario"].as_str().unwrap().to_string();
            let spec: LossSpec = spec_text.parse().unwrap();
            assert_eq!(spec.to_string(), spec_text, "fixture specs are canonical");
            let shape: Vec<usize> = numbers(&case["logits_shape"])
                .iter()
                .map(|&v| v as usize)
                .collect();
            let [n, h, w, c] = shape[..] else {
                panic!("shape")
            };
            let logits = Array4::from_shape_vec(
                (n, h, w, c),
                numbers(&case["logits"]).iter().map(|&v| v as f32).collect(),
            )
            .unwrap();
            let target = Array4::from_shape_vec(
                (n, h, w, 1),
                numbers(&case["target"]).iter().map(|&v| v as f32).collect(),
            )
            .unwrap();
            let out = evaluate(&spec, logits.view(), target.view(), &LossContext::default())
                .unwrap_or_else(|e| panic!("{spec_text} on {scenario}: {e}"));
            let value_error = relative(out.value, case["value"].as_f64().unwrap(), VALUE_FLOOR);
            let reference_gradient = numbers(&case["dlogits"]);
            assert_eq!(out.dlogits.len(), reference_gradient.len());
            let gradient_error = out
                .dlogits
                .iter()
                .zip(&reference_gradient)
                .map(|(&ours, &reference)| relative(ours as f64, reference, GRADIENT_FLOOR))
                .fold(0.0, f64::max);
            let entry = worst.entry(spec_text.to_string()).or_insert(Worst {
                cases: 0,
                value: (0.0, String::new()),
                gradient: (0.0, String::new()),
            });
            entry.cases += 1;
            if value_error >= entry.value.0 {
                entry.value = (value_error, scenario.clone());
            }
            if gradient_error >= entry.gradient.0 {
                entry.gradient = (gradient_error, scenario.clone());
            }
            *scenarios.entry(scenario).or_insert(0) += 1;
        }
    }
    println!(
        "| spec | cases | max rel. error value (scenario) | max rel. error gradient (scenario) |"
    );
    println!("|---|---|---|---|");
    for (spec, w) in &worst {
        println!(
            "| `{spec}` | {} | {:.1e} ({}) | {:.1e} ({}) |",
            w.cases, w.value.0, w.value.1, w.gradient.0, w.gradient.1
        );
    }
    let failures: Vec<String> = worst
        .iter()
        .filter(|(_, w)| w.value.0 > TOLERANCE || w.gradient.0 > TOLERANCE)
        .map(|(spec, w)| {
            format!(
                "{spec}: value {:.1e} on {}, gradient {:.1e} on {}",
                w.value.0, w.value.1, w.gradient.0, w.gradient.1
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "beyond {TOLERANCE:e}:\n{}",
        failures.join("\n")
    );

    // Every spec of the table and every edge case is covered.
    for name in LOSS_NAMES {
        assert!(
            worst.keys().any(|spec| spec.starts_with(name)),
            "no fixture for {name}"
        );
    }
    for edge in [
        "all_bg_b2_2x2",
        "all_fg_b1_3x3",
        "one_pixel_b1_8x8",
        "pixel_1x1_b4",
        "right_50_b2_3x3",
        "wrong_100_b2_3x3",
        "ties_zero_b2_3x3",
        "huge_1e4_b1_2x2",
        "head2_random30_b2_8x8",
    ] {
        assert!(scenarios.contains_key(edge), "no fixture on {edge}");
    }
}
