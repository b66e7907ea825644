//! Studies on real training runs: repeats are paired and keep the images, repeat 0 is the single
//! run of before (golden checksum), slicing does not matter, sweeps score validation images only,
//! and the conclusion does not depend on the order runs finish in.

use segloss::data::Split;
use segloss::evidence::{FailureKind, Group, LineKind};
use segloss::experiment::Experiment;
use segloss::study::{self, Purpose, Sweep, Trial, conclude};
use segloss::train::{GOLDEN_CHECKSUM, Run, golden_experiment};

/// The golden experiment with two losses, 3 seeds and a few more steps.
fn small(seeds: usize, tune: bool) -> Experiment {
    Experiment {
        losses: vec!["bce".parse().unwrap(), "dice".parse().unwrap()],
        steps: 24,
        seeds,
        tune_lr: tune,
        ..golden_experiment()
    }
}

fn train(mut trial: Trial) -> Trial {
    while !trial.finished() {
        trial.step(7).unwrap();
    }
    trial
}

#[test]
fn repeat_zero_is_the_single_run_of_before() {
    let experiment = golden_experiment();
    let trial = train(Trial::study(&experiment, 0, 0, None).unwrap());
    assert_eq!(trial.run().checksum(), GOLDEN_CHECKSUM);
    assert_eq!(trial.seed(), experiment.seed);
    assert_eq!(trial.loss_curve().len(), experiment.steps);
}

#[test]
fn repeats_are_paired_across_losses_and_keep_the_images() {
    let experiment = small(3, false);
    let start = |loss, k| Trial::study(&experiment, loss, k, None).unwrap();
    for k in 0..3 {
        let (bce, dice) = (start(0, k), start(1, k));
        assert_eq!(bce.run().checksum(), dice.run().checksum(), "repeat {k}");
        assert_eq!(
            bce.run().dataset(),
            Run::new(&experiment, 0).unwrap().dataset()
        );
        assert_eq!(bce.seed(), experiment.seed + k as u64);
    }
    assert_ne!(start(0, 0).run().checksum(), start(0, 1).run().checksum());
}

#[test]
fn slicing_changes_nothing_and_the_curve_is_taken_at_fixed_steps() {
    let experiment = small(1, false);
    let whole = {
        let mut t = Trial::study(&experiment, 1, 0, None).unwrap();
        t.step(1000).unwrap();
        t
    };
    let sliced = train(Trial::study(&experiment, 1, 0, None).unwrap());
    assert!(whole.finished());
    assert_eq!(whole.run().steps_done(), experiment.steps);
    assert_eq!(whole.run().checksum(), sliced.run().checksum());
    assert_eq!(whole.loss_curve(), sliced.loss_curve());
    assert_eq!(whole.heldout_dice_curve(), sliced.heldout_dice_curve());
    let steps: Vec<usize> = whole.heldout_dice_curve().iter().map(|p| p.0).collect();
    assert_eq!(steps, study::curve_steps(experiment.steps));
    let last = whole.heldout_dice_curve().last().unwrap().1;
    let heldout = whole.run().evaluate_split(Split::Heldout).unwrap();
    assert_eq!(last, heldout.overall.dice);
    let metrics = whole.metrics().unwrap();
    assert_eq!(metrics.dice.pooled, heldout.overall.dice);
    assert_eq!(metrics.objects, heldout.objects);
    let bins = metrics.recall_by_size.expect("true objects are reported");
    let binned: u64 = bins.iter().map(|b| b.objects).sum();
    assert_eq!(binned, heldout.objects.truth);
    let matched: u64 = bins.iter().map(|b| b.matched).sum();
    assert_eq!(matched, heldout.objects.matched);
}

#[test]
fn the_conclusion_does_not_depend_on_the_order_runs_finish_in() {
    let experiment = small(3, false);
    let metrics: Vec<_> = study::trials(&experiment)
        .into_iter()
        .map(|(loss, purpose)| {
            let Purpose::Study { seed_index } = purpose else {
                panic!("no sweep without tuning")
            };
            train(Trial::study(&experiment, loss, seed_index, None).unwrap())
                .metrics()
                .unwrap()
        })
        .collect();
    assert_eq!(metrics.len(), 6);
    let forward = conclude(&experiment, &metrics, &[]).unwrap();
    let mut reversed = metrics.clone();
    reversed.reverse();
    assert_eq!(forward, conclude(&experiment, &reversed, &[]).unwrap());
    assert_eq!(forward.study.seeds, [7, 8, 9]);
    let comparison = forward.study.comparison(study::HEADLINE).unwrap();
    assert!(comparison.losses.iter().any(|l| l.group == Group::Best));
    let shared = forward
        .verdict
        .iter()
        .find(|l| l.kind == LineKind::Caveat && l.text.contains("one shared learning rate"));
    assert!(shared.is_some(), "{:#?}", forward.verdict);
    assert!(shared.unwrap().text.contains("(0.01)"));
    assert!(forward.csv.contains("\nlearning_rate,bce,0.01,,,,shared,"));
    assert!(forward.csv.contains("\nverdict,"));
}

#[test]
fn a_sweep_trains_on_training_images_and_scores_validation_images_only() {
    let experiment = small(1, true);
    let all = experiment.dataset().unwrap();
    let scores: Vec<f64> = (0..study::RATES)
        .map(|r| {
            let trial = train(Trial::tuning(&experiment, 1, r).unwrap());
            let dataset = trial.run().dataset();
            assert_eq!((dataset.train.len(), dataset.heldout.len()), (6, 2));
            for image in dataset.train.iter().chain(&dataset.heldout) {
                assert!(all.train.contains(image) && !all.heldout.contains(image));
            }
            assert_eq!(
                trial.run().steps_done(),
                study::tuning_steps(experiment.steps)
            );
            assert_eq!(trial.learning_rate(), [0.001, 0.0032, 0.01, 0.032, 0.1][r]);
            trial.validation_score().unwrap()
        })
        .collect();
    let sweep = Sweep::new(1, study::rates(0.01), scores.clone().try_into().unwrap());
    assert!(scores.iter().all(|&s| s <= scores[sweep.chosen]));
    let trial = train(Trial::study(&experiment, 1, 0, Some(sweep.chosen_rate())).unwrap());
    assert_eq!(trial.learning_rate(), study::rate_f64(sweep.chosen_rate()));
    let bce_sweep = Sweep::new(0, study::rates(0.01), [0.1, 0.2, 0.3, 0.2, 0.1]);
    let bce = train(Trial::study(&experiment, 0, 0, Some(bce_sweep.chosen_rate())).unwrap());
    let metrics = [bce.metrics().unwrap(), trial.metrics().unwrap()];
    let tuned = conclude(&experiment, &metrics, &[sweep, bce_sweep]).unwrap();
    assert!(
        tuned
            .verdict
            .iter()
            .all(|l| !l.text.contains("shared learning rate")),
        "{:#?}",
        tuned.verdict
    );
    let rates = tuned.verdict.last().unwrap();
    assert!(rates.text.contains("bce 0.01,"), "{}", rates.text);
    assert!(tuned.csv.contains("\ntuning_score@0.032,bce,0.2,"));
}

#[test]
fn soft_dice_collapses_on_the_nuclei_scene_and_the_study_names_it() {
    let experiment = segloss::link::decode(study::COLLAPSE_LINK)
        .unwrap()
        .experiment;
    let metrics: Vec<_> = (0..2)
        .map(|loss| {
            train(Trial::study(&experiment, loss, 0, None).unwrap())
                .metrics()
                .unwrap()
        })
        .collect();
    let kinds =
        |i: usize| -> Vec<FailureKind> { metrics[i].failures.iter().map(|f| f.kind).collect() };
    assert!(
        kinds(1).contains(&FailureKind::CollapsedToObject),
        "{:?}",
        kinds(1)
    );
    assert!(kinds(0).is_empty(), "bce: {:#?}", metrics[0].failures);
    // Everything object: precision is the object share, recall 1.
    let dice = &metrics[1];
    assert_eq!(dice.objects.matched, 0);
    assert!(dice.dice.pooled < 0.35 && metrics[0].dice.pooled > 0.5);
    let conclusion = conclude(&experiment, &metrics, &[]).unwrap();
    let named = conclusion.verdict.iter().find(|l| {
        l.kind == LineKind::Failure
            && l.text
                .starts_with("dice collapsed to all object on 1 of 1 seeds")
    });
    let line = named.unwrap_or_else(|| panic!("{:#?}", conclusion.verdict));
    assert!(
        line.text.contains("Try: a lower learning rate"),
        "{}",
        line.text
    );
    assert!(conclusion.study.losses[1].failed);
}
