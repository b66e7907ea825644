//! The evidence layer against tests/fixtures/evidence/, computed by scipy, numpy, scikit-learn,
//! torchmetrics and scipy.ndimage (scripts/evidence_fixtures.py; this test never regenerates
//! them). f64 results must agree to 1e-9; f32 thresholds, bin edges (as bits) and counts exactly.
//! serde_json's default float parsing may miss an f64's last bit, so exact values are compared
//! as f32 (which that cannot change) or as stored integer bits. Each test prints its
//! largest error (`cargo test --test evidence -- --nocapture`).
#![cfg(not(target_arch = "wasm32"))]

use ndarray::Array2;
use segloss::evidence::interval::percentile;
use segloss::evidence::*;
use segloss::metrics::ObjectCounts;
use serde_json::Value;

#[path = "common/evidence_golden.rs"]
mod golden;

const TOLERANCE: f64 = 1e-9;

fn load(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/evidence/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// The largest absolute error seen by one test, printed at the end.
struct Worst(f64, String);

impl Worst {
    fn new() -> Worst {
        Worst(0.0, String::new())
    }

    fn close(&mut self, actual: f64, expected: f64, what: &str) {
        let error = (actual - expected).abs();
        assert!(
            error <= TOLERANCE,
            "{what}: {actual} vs {expected} (error {error:e})"
        );
        if error > self.0 || self.1.is_empty() {
            *self = Worst(error, what.to_string());
        }
    }

    fn print(&self, topic: &str) {
        println!("{topic}: largest error {:e} ({})", self.0, self.1);
    }
}

fn f64s(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

fn f32s(v: &Value) -> Vec<f32> {
    f64s(v).into_iter().map(|x| x as f32).collect()
}

fn bools(v: &Value) -> Vec<bool> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_i64().map(|i| i == 1).or(x.as_bool()).expect("0/1"))
        .collect()
}

fn pixels(scores: &Value, labels: &Value) -> Pixels {
    Pixels::new(f32s(scores), bools(labels)).unwrap()
}

fn cases(fixture: &Value) -> &Vec<Value> {
    fixture["cases"].as_array().expect("cases")
}

#[test]
fn t_quantiles_match_scipy() {
    let mut worst = Worst::new();
    for case in cases(&load("student_t")) {
        let (p, df) = (
            case["p"].as_f64().unwrap(),
            case["df"].as_u64().unwrap() as u32,
        );
        let expected = case["t"].as_f64().unwrap();
        let actual = t_quantile(p, df);
        // Relative 1e-12: t.ppf(0.995, 1) is 63.66.
        let relative = (actual - expected).abs() / expected.abs().max(1.0);
        assert!(relative < 1e-12, "t.ppf({p}, {df}): {actual} vs {expected}");
        worst.close(actual, expected, &format!("t.ppf({p}, {df})"));
    }
    worst.print("student t");
}

fn check_summary(worst: &mut Worst, s: &Summary, expected: &Value, what: &str) {
    worst.close(
        s.mean,
        expected["mean"].as_f64().unwrap(),
        &format!("{what} mean"),
    );
    match (s.std, expected["std"].as_f64()) {
        (Some(a), Some(e)) => worst.close(a, e, &format!("{what} std")),
        (a, e) => assert_eq!(a, e, "{what} std"),
    }
    match (s.interval, expected["interval"].as_array()) {
        (Some(i), Some(e)) => {
            worst.close(i.low, e[0].as_f64().unwrap(), &format!("{what} low"));
            worst.close(i.high, e[1].as_f64().unwrap(), &format!("{what} high"));
        }
        (None, None) => {}
        (a, e) => panic!("{what}: interval {a:?} vs {e:?}"),
    }
}

#[test]
fn intervals_match_numpy_and_scipy() {
    let fixture = load("intervals");
    let mut worst = Worst::new();
    for case in fixture["intervals"].as_array().unwrap() {
        let scenario = case["scenario"].as_str().unwrap();
        let s = summarize(&f64s(&case["values"]), Method::StudentT).unwrap();
        check_summary(&mut worst, &s, case, scenario);
    }
    for case in fixture["percentiles"].as_array().unwrap() {
        let sorted = f64s(&case["sorted"]);
        for (q, expected) in f64s(&case["q"]).into_iter().zip(f64s(&case["values"])) {
            let what = format!("percentile {q} of {}", sorted.len());
            worst.close(percentile(&sorted, q), expected, &what);
        }
    }
    worst.print("intervals");
}

#[test]
fn paired_differences_and_groups_match_the_independent_rule() {
    let mut worst = Worst::new();
    for case in cases(&load("paired")) {
        let scenario = case["scenario"].as_str().unwrap();
        let failed: Vec<bool> = bools(&case["failed"]);
        let losses: Vec<LossValues> = case["losses"]
            .as_array()
            .unwrap()
            .iter()
            .zip(case["values"].as_array().unwrap())
            .zip(&failed)
            .map(|((name, values), &failed)| LossValues {
                loss: name.as_str().unwrap().to_string(),
                values: f64s(values),
                failed,
            })
            .collect();
        let direction = if case["higher_is_better"].as_bool().unwrap() {
            Direction::HigherIsBetter
        } else {
            Direction::LowerIsBetter
        };
        let c = compare(&losses, direction, Method::StudentT).unwrap();
        assert_eq!(
            c.best,
            case["best"].as_u64().map(|b| b as usize),
            "{scenario}"
        );
        for (row, expected) in c.losses.iter().zip(case["rows"].as_array().unwrap()) {
            let what = format!("{scenario}: {}", row.loss);
            check_summary(&mut worst, &row.summary, expected, &what);
            match (&row.difference, expected["difference"].is_null()) {
                (Some(d), false) => check_summary(
                    &mut worst,
                    d,
                    &expected["difference"],
                    &format!("{what} diff"),
                ),
                (None, true) => {}
                (d, _) => panic!("{what}: difference {d:?}"),
            }
            let group = match row.group {
                Group::Best => "best",
                Group::TiedWithBest => "tied",
                Group::Worse => "worse",
                Group::Failed => "failed",
                Group::Undecided => "undecided",
            };
            assert_eq!(group, expected["group"].as_str().unwrap(), "{what}");
        }
    }
    worst.print("paired");
}

fn check_ranking(worst: &mut Worst, ranked: &RankedScores, case: &Value, scenario: &str) {
    let curve = ranked.precision_recall_curve();
    assert_eq!(curve.thresholds, f32s(&case["thresholds"]), "{scenario}");
    for (name, actual, expected) in [
        ("precision", &curve.precision, f64s(&case["precision"])),
        ("recall", &curve.recall, f64s(&case["recall"])),
    ] {
        assert_eq!(actual.len(), expected.len(), "{scenario} {name}");
        for (a, e) in actual.iter().zip(expected) {
            worst.close(*a, e, &format!("{scenario} {name}"));
        }
    }
    let ap = case["average_precision"].as_f64().unwrap();
    worst.close(ranked.average_precision(), ap, &format!("{scenario} AP"));
    match (ranked.roc_auc(), case["roc_auc"].as_f64()) {
        (Some(a), Some(e)) => worst.close(a, e, &format!("{scenario} ROC AUC")),
        (a, e) => assert_eq!(a, e, "{scenario} ROC AUC"),
    }
}

#[test]
fn pr_curves_ap_and_roc_auc_match_sklearn() {
    let fixture = load("ranking");
    let mut worst = Worst::new();
    for case in cases(&fixture) {
        let scenario = case["scenario"].as_str().unwrap();
        let ranked = RankedScores::new(&pixels(&case["scores"], &case["labels"]));
        check_ranking(&mut worst, &ranked, case, scenario);
    }
    worst.print("ranking");
}

#[test]
fn a_hundred_thousand_pixels_match_sklearn_and_torchmetrics() {
    let case = &load("ranking")["generated"];
    let mut worst = Worst::new();
    let pixels = golden::generated_pixels(case["n"].as_u64().unwrap());
    let ranked = RankedScores::new(&pixels);
    worst.close(
        ranked.average_precision(),
        case["average_precision"].as_f64().unwrap(),
        "AP",
    );
    worst.close(
        ranked.roc_auc().unwrap(),
        case["roc_auc"].as_f64().unwrap(),
        "ROC AUC",
    );
    let curve = ranked.precision_recall_curve();
    assert_eq!(
        curve.thresholds.len() as u64,
        case["thresholds"].as_u64().unwrap()
    );
    for pick in case["picks"].as_array().unwrap() {
        let k = pick["index"].as_u64().unwrap() as usize;
        worst.close(
            curve.precision[k],
            pick["precision"].as_f64().unwrap(),
            "precision",
        );
        worst.close(curve.recall[k], pick["recall"].as_f64().unwrap(), "recall");
        assert_eq!(
            curve.thresholds[k],
            pick["threshold"].as_f64().unwrap() as f32
        );
    }
    let best = ranked.best_dice_threshold().unwrap();
    let expected = &case["best_threshold"];
    assert_eq!(
        best.threshold,
        expected["threshold"].as_f64().unwrap() as f32
    );
    assert_eq!(
        best.candidates as u64,
        expected["candidates"].as_u64().unwrap()
    );
    worst.close(
        best.tuning_dice,
        expected["tuning_dice"].as_f64().unwrap(),
        "tuning Dice",
    );
    let c = calibration(&pixels, ECE_BINS).unwrap();
    worst.close(c.ece, case["ece"].as_f64().unwrap(), "ECE");
    // The drawn curve keeps the budget and the ends.
    let thin = curve.thinned(DRAWN_POINTS);
    assert!(thin.len() <= DRAWN_POINTS && thin.len() >= DRAWN_POINTS / 2);
    assert_eq!(
        (thin[0], thin.last()),
        (curve.points()[0], curve.points().last())
    );
    worst.print("100k generated pixels");
}

#[test]
fn best_dice_threshold_matches_the_brute_force() {
    let mut worst = Worst::new();
    for case in cases(&load("threshold")) {
        let scenario = case["scenario"].as_str().unwrap();
        let tuning = pixels(&case["tuning"], &case["tuning_labels"]);
        let heldout = pixels(&case["heldout"], &case["heldout_labels"]);
        let tuned = tuned_dice(&tuning, &heldout);
        let expected = &case["best"];
        let Some(tuned) = tuned else {
            assert!(expected.is_null(), "{scenario}: no threshold chosen");
            continue;
        };
        let choice = tuned.choice;
        let threshold = expected["threshold"].as_f64().unwrap() as f32;
        assert_eq!(choice.threshold, threshold, "{scenario}");
        assert_eq!(
            choice.candidates as u64,
            expected["candidates"].as_u64().unwrap(),
            "{scenario}"
        );
        let tuning_dice = expected["tuning_dice"].as_f64().unwrap();
        worst.close(
            choice.tuning_dice,
            tuning_dice,
            &format!("{scenario} tuning Dice"),
        );
        let heldout_dice = case["heldout_dice"].as_f64().unwrap();
        worst.close(
            tuned.heldout_dice,
            heldout_dice,
            &format!("{scenario} held-out Dice"),
        );
    }
    worst.print("threshold");
}

#[test]
fn calibration_matches_torchmetrics() {
    let fixture = load("calibration");
    let bits: Vec<u64> = bin_edges(ECE_BINS).iter().map(|e| e.to_bits()).collect();
    let torch: Vec<u64> = fixture["edges_bits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap())
        .collect();
    assert_eq!(bits, torch, "torch.linspace edges, bit for bit");
    let mut worst = Worst::new();
    for case in cases(&fixture) {
        let scenario = case["scenario"].as_str().unwrap();
        let c = calibration(&pixels(&case["scores"], &case["labels"]), ECE_BINS).unwrap();
        worst.close(
            c.ece,
            case["ece"].as_f64().unwrap(),
            &format!("{scenario} ECE"),
        );
        let counts: Vec<u64> = f64s(&case["counts"]).iter().map(|&c| c as u64).collect();
        assert_eq!(
            c.bins.iter().map(|b| b.count).collect::<Vec<_>>(),
            counts,
            "{scenario}"
        );
        let (accuracy, confidence) = (f64s(&case["accuracy"]), f64s(&case["confidence"]));
        for (b, bin) in c.bins.iter().enumerate() {
            // torchmetrics writes 0 for an empty bin (nan_to_num); we write None.
            let what = format!("{scenario} bin {b}");
            worst.close(bin.object_fraction.unwrap_or(0.0), accuracy[b], &what);
            worst.close(bin.mean_probability.unwrap_or(0.0), confidence[b], &what);
        }
        // On float32 input torchmetrics rounds its edges to f32: the same ECE within f32 rounding,
        // except for scores placed exactly on the edges, which f32 edges bin differently.
        let f32_gap = (c.ece - case["ece_float32_input"].as_f64().unwrap()).abs();
        if scenario.contains("bin edges") {
            assert!(
                f32_gap > 1e-3,
                "{scenario}: f32 edges should bin differently"
            );
        } else {
            assert!(f32_gap < 1e-6, "{scenario}: {f32_gap}");
        }
    }
    worst.print("calibration");
}

fn grid(shape: &Value, values: &Value) -> Array2<f32> {
    let (h, w) = (
        shape[0].as_u64().unwrap() as usize,
        shape[1].as_u64().unwrap() as usize,
    );
    Array2::from_shape_vec((h, w), f32s(values)).unwrap()
}

#[test]
fn objects_match_scipy_ndimage_labels() {
    let mut worst = Worst::new();
    for case in cases(&load("objects")) {
        let scenario = case["scenario"].as_str().unwrap();
        let prediction = grid(&case["shape"], &case["prediction"]);
        let truth = grid(&case["shape"], &case["truth"]);
        let counts = ObjectCounts::from_masks(prediction.view(), truth.view()).unwrap();
        let number = |key: &str| case[key].as_u64().unwrap();
        let expected = (
            number("truth_objects"),
            number("predicted_objects"),
            number("matched"),
        );
        assert_eq!(
            (counts.truth, counts.predicted, counts.matched),
            expected,
            "{scenario}"
        );
        let scores = object_scores(counts);
        worst.close(
            scores.precision,
            case["precision"].as_f64().unwrap(),
            scenario,
        );
        worst.close(scores.recall, case["recall"].as_f64().unwrap(), scenario);
        worst.close(scores.f1, case["f1"].as_f64().unwrap(), scenario);
        let objects: Vec<TrueObject> = case["objects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| TrueObject {
                area: o["area"].as_u64().unwrap(),
                matched: o["matched"].as_bool().unwrap(),
            })
            .collect();
        for (bin, expected) in recall_by_size(&objects)
            .iter()
            .zip(case["bins"].as_array().unwrap())
        {
            assert_eq!(bin.class.key(), expected["class"].as_str().unwrap());
            assert_eq!(
                bin.objects,
                expected["objects"].as_u64().unwrap(),
                "{scenario}"
            );
            assert_eq!(
                bin.matched,
                expected["matched"].as_u64().unwrap(),
                "{scenario}"
            );
            assert_eq!(bin.recall, expected["recall"].as_f64(), "{scenario}");
        }
    }
    worst.print("objects");
}

#[test]
fn per_image_dice_matches_numpy() {
    let fixture = load("per_image");
    let images: Vec<ImagePrediction> = fixture["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let p = grid(&i["shape"], &i["probabilities"]);
            ImagePrediction::new(p, grid(&i["shape"], &i["mask"])).unwrap()
        })
        .collect();
    let mut worst = Worst::new();
    for case in cases(&fixture) {
        let threshold = case["threshold"].as_f64().unwrap() as f32;
        let d = dice_by_image(&images, threshold);
        let what = format!("threshold {threshold}");
        worst.close(
            d.value(Aggregation::Pooled),
            case["pooled"].as_f64().unwrap(),
            &what,
        );
        let mean = case["per_image_mean"].as_f64().unwrap();
        worst.close(d.value(Aggregation::PerImageMean), mean, &what);
        let (dice, fraction) = (f64s(&case["dice"]), f64s(&case["object_fraction"]));
        for (k, point) in d.images.iter().enumerate() {
            assert_eq!(point.image, k);
            worst.close(point.dice, dice[k], &format!("{what} image {k} Dice"));
            worst.close(
                point.object_fraction,
                fraction[k],
                &format!("{what} image {k} fraction"),
            );
        }
    }
    worst.print("per image");
}

#[test]
fn statistics_hash_to_the_constant_wasm_checks() {
    assert_eq!(
        golden::hash(),
        golden::GOLDEN,
        "hash {:#018x}",
        golden::hash()
    );
}
