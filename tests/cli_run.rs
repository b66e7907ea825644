//! `segloss run` with repeats and tuning: every run's checksum, the statistics and the verdict are
//! those of the engine API the page calls (`segloss::study`), flags and links agree, the number of
//! threads changes nothing, and bad settings are refused with the reason.

use segloss::link;
use segloss::study::{self, Sweep, Trial};
use serde_json::Value;
use std::process::{Command, Output};

/// A small experiment: two losses, two seeds, a one-layer model, a few steps.
const LINK: &str = "v=1&demo=blobs&seed=3&losses=bce;dice&layers=1&ch=8&steps=12&seeds=2";

fn segloss(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_segloss"))
        .args(args)
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = segloss(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn checksums(report: &Value) -> Vec<(String, u64, String)> {
    report["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["loss"].as_str().unwrap().to_string(),
                r["seed"].as_u64().unwrap(),
                r["checksum"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn verdict(report: &Value) -> Vec<String> {
    let lines = report["verdict"].as_array().unwrap();
    lines
        .iter()
        .map(|l| l["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_cli_prints_the_engine_apis_checksums_statistics_and_verdict() {
    let csv = std::env::temp_dir().join(format!("segloss-cli-run-{}.csv", std::process::id()));
    let report = json(&[
        "run",
        "--link",
        LINK,
        "--json",
        "--jobs",
        "2",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    let experiment = link::decode(LINK).unwrap().experiment;
    let mut expected = Vec::new();
    let mut metrics = Vec::new();
    for loss in 0..2 {
        for k in 0..2 {
            let mut trial = Trial::study(&experiment, loss, k, None).unwrap();
            trial.step(experiment.steps).unwrap();
            let spec = experiment.losses[loss].to_string();
            expected.push((
                spec,
                3 + k as u64,
                format!("{:016x}", trial.run().checksum()),
            ));
            metrics.push(trial.metrics().unwrap());
        }
    }
    assert_eq!(checksums(&report), expected);
    let conclusion = study::conclude(&experiment, &metrics, &[]).unwrap();
    let texts: Vec<String> = conclusion.verdict.iter().map(|l| l.text.clone()).collect();
    assert_eq!(verdict(&report), texts);
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), conclusion.csv);
    assert_eq!(report["csv"].as_str().unwrap(), conclusion.csv);
    assert_eq!(report["seeds"], serde_json::json!([3, 4]));
    let dice = &report["study"]["losses"][1]["summaries"]["heldout_dice_pooled@0.5"];
    let summary = conclusion.study.losses[1].summary(study::HEADLINE).unwrap();
    assert_eq!(dice["mean"].as_f64().unwrap(), summary.mean);
    assert_eq!(dice["low"].as_f64().unwrap(), summary.interval.unwrap().low);
    // One thread gives the same runs and verdict.
    let single = json(&["run", "--link", LINK, "--json", "--jobs", "1"]);
    assert_eq!(checksums(&single), expected);
    assert_eq!(verdict(&single), texts);
    std::fs::remove_file(csv).unwrap();
}

#[test]
fn flags_and_links_tune_alike_and_the_sweep_uses_validation_images() {
    let tuned_link = format!("{LINK}&tune=1");
    let by_link = json(&["run", "--link", &tuned_link, "--json"]);
    let by_flags = json(&[
        "run",
        "--demo",
        "blobs",
        "--seed",
        "3",
        "--losses",
        "bce;dice",
        "--layers",
        "1",
        "--channels",
        "8",
        "--steps",
        "12",
        "--seeds",
        "2",
        "--tune-lr",
        "--json",
    ]);
    assert_eq!(checksums(&by_link), checksums(&by_flags));
    assert_eq!(verdict(&by_link), verdict(&by_flags));
    let experiment = link::decode(&tuned_link).unwrap().experiment;
    assert!(experiment.tune_lr);
    let sweeps = by_link["sweeps"].as_array().unwrap();
    assert_eq!(sweeps.len(), 2);
    let scores: Vec<f64> = (0..study::RATES)
        .map(|r| {
            let mut trial = Trial::tuning(&experiment, 1, r).unwrap();
            trial.step(trial.total_steps()).unwrap();
            trial.validation_score().unwrap()
        })
        .collect();
    let json_scores: Vec<f64> = sweeps[1]["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_f64().unwrap())
        .collect();
    assert_eq!(json_scores, scores);
    let sweep = Sweep::new(1, study::rates(0.005), scores.try_into().unwrap());
    let chosen = study::rate_f64(sweep.chosen_rate());
    assert_eq!(sweeps[1]["chosen_rate"].as_f64().unwrap(), chosen);
    let dice_runs = by_link["runs"].as_array().unwrap().iter();
    for run in dice_runs.filter(|r| r["loss"] == "dice") {
        assert_eq!(run["learning_rate"].as_f64().unwrap(), chosen);
    }
    assert!(
        verdict(&by_link)
            .iter()
            .all(|l| !l.contains("one shared learning rate"))
    );
}

#[test]
fn a_table_for_people_and_refusals_with_the_reason() {
    let out = segloss(&["run", "--link", LINK, "--seeds", "1"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("seeds [3]"), "{text}");
    assert!(text.contains("Verdict:"), "{text}");
    assert!(text.contains("One seed: no interval"), "{text}");
    let bad = segloss(&["run", "--seeds", "11"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr).trim(),
        "segloss: --seeds: seeds 11 is out of range: use 1 to 10"
    );
}
