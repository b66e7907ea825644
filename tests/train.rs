//! Training runs end to end: determinism (the golden checksum the wasm tests assert too), the
//! controlled comparison (same start, same batches), divergence, evaluation and snapshots.

use segloss::data::Split;
use segloss::experiment::{DataSource, Experiment};
use segloss::metrics::Confusion;
use segloss::optim::OptimizerConfig;
use segloss::train::{GOLDEN_CHECKSUM, Run, THRESHOLD, golden_experiment};

fn with_losses(specs: &[&str]) -> Experiment {
    Experiment {
        losses: specs.iter().map(|s| s.parse().unwrap()).collect(),
        ..golden_experiment()
    }
}

#[test]
fn golden_experiment_gives_the_golden_checksum() {
    let experiment = golden_experiment();
    let mut run = Run::new(&experiment, 0).unwrap();
    let report = run.step(experiment.steps).unwrap();
    assert_eq!(
        (report.step, report.values.len(), report.diverged),
        (experiment.steps, experiment.steps, None)
    );
    assert_eq!(
        run.checksum(),
        GOLDEN_CHECKSUM,
        "got {:#018x}",
        run.checksum()
    );
}

#[test]
fn runs_start_alike_see_the_same_batches_and_differ_only_by_loss() {
    let experiment = with_losses(&["bce", "dice", "bce"]);
    let mut runs: Vec<Run> = (0..3).map(|i| Run::new(&experiment, i).unwrap()).collect();
    let start = runs[0].checksum();
    assert!(runs.iter().all(|r| r.checksum() == start));
    for run in &mut runs {
        run.step(3).unwrap();
    }
    // Same loss, same batches: same weights. Another loss: other weights.
    assert_eq!(runs[0].checksum(), runs[2].checksum());
    assert_ne!(runs[0].checksum(), runs[1].checksum());
    assert_ne!(runs[0].checksum(), start);
    // Stepping in pieces is stepping at once.
    let mut pieces = Run::new(&experiment, 1).unwrap();
    pieces.step(1).unwrap();
    pieces.step(0).unwrap();
    pieces.step(2).unwrap();
    assert_eq!(pieces.checksum(), runs[1].checksum());
}

#[test]
fn a_diverging_run_stops_and_says_why() {
    let experiment = Experiment {
        optimizer: OptimizerConfig::Sgd {
            lr: 10.0,
            momentum: 0.9,
        },
        losses: vec!["bce".parse().unwrap()],
        ..Experiment::default()
    };
    let mut run = Run::new(&experiment, 0).unwrap();
    let report = run.step(20).unwrap();
    let reason = report
        .diverged
        .expect("SGD at lr 10, the largest allowed, diverges");
    assert!(
        reason.starts_with(&format!("diverged at step {}: ", report.step + 1)),
        "{reason}"
    );
    assert!(
        reason.ends_with("; learning rate 10 too high for bce"),
        "{reason}"
    );
    assert!(report.step < 20);
    let checksum = run.checksum();
    let again = run.step(5).unwrap();
    assert!(again.values.is_empty() && again.step == report.step);
    assert_eq!(run.checksum(), checksum);
    assert_eq!(run.diverged(), Some(reason.as_str()));
}

#[test]
fn evaluation_and_snapshots_cover_every_image() {
    let mut run = Run::new(&with_losses(&["0.5*bce+0.5*dice"]), 0).unwrap();
    run.step(5).unwrap();
    let evaluation = run.evaluate().unwrap();
    let heldout = evaluation.heldout.as_ref().unwrap();
    assert_eq!(
        (
            evaluation.step,
            evaluation.train.per_image.len(),
            heldout.per_image.len()
        ),
        (5, 8, 4)
    );
    assert_eq!(evaluation.train.confusion.total(), 8 * 96 * 96);
    for m in evaluation.train.per_image.iter().chain(&heldout.per_image) {
        for v in [m.dice, m.iou, m.precision, m.recall, m.accuracy] {
            assert!((0.0..=1.0).contains(&v));
        }
    }

    let snapshot = run.snapshot(Split::Heldout, 3).unwrap();
    assert_eq!(snapshot.probabilities.dim(), (96, 96));
    assert_eq!(snapshot.dlogits.dim(), (96, 96));
    assert!(
        snapshot
            .probabilities
            .iter()
            .all(|p| (0.0..=1.0).contains(p))
    );
    assert!(
        snapshot.dlogits.iter().all(|g| g.is_finite())
            && snapshot.dlogits.iter().any(|&g| g != 0.0)
    );
    // The page's picture of an image is the evaluation's view of it.
    let mask = &run.dataset().heldout[3].mask;
    let counts =
        Confusion::from_probabilities(snapshot.probabilities.view(), mask.view(), THRESHOLD)
            .unwrap();
    assert_eq!(counts.metrics(), heldout.per_image[3]);
    let found: u64 = heldout.per_image_objects.iter().map(|o| o.truth).sum();
    assert_eq!(found, heldout.objects.truth);
    assert!(heldout.objects.truth > 0);
    let err = run.snapshot(Split::Train, 8).unwrap_err();
    assert_eq!(err.0, "train image 8 does not exist (8 images)");
}

#[test]
fn training_learns_the_easy_scene() {
    let experiment = Experiment {
        data: DataSource::Demo {
            scene: "cells".into(),
            seed: Some(1),
        },
        losses: vec!["bce".parse().unwrap()],
        steps: 150,
        patch: 32,
        ..Experiment::default()
    };
    let mut run = Run::new(&experiment, 0).unwrap();
    let first = run.step(1).unwrap().values[0];
    let report = run.step(experiment.steps - 1).unwrap();
    let last_twenty = report.values.iter().rev().take(20).sum::<f64>() / 20.0;
    assert!(last_twenty < 0.6 * first, "loss {first} → {last_twenty}");
    let dice = run.evaluate().unwrap().heldout.unwrap().overall.dice;
    assert!(
        dice > 0.8,
        "held-out Dice {dice} after {} steps",
        experiment.steps
    );
}

#[test]
fn bad_experiments_fail_before_training() {
    let err = Run::new(&with_losses(&["bce"]), 1).err().unwrap();
    assert_eq!(err.0, "loss 1 does not exist: the experiment has 1 losses");
    let experiment = Experiment {
        batch_size: 0,
        ..golden_experiment()
    };
    assert!(Run::new(&experiment, 0).is_err());
}
