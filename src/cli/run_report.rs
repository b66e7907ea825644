//! What `segloss run` prints: per run a table row (or a JSON object), the learning-rate sweeps,
//! the statistics over seeds and the verdict.

use segloss::data::{self, Dataset};
use segloss::evidence::{Metric, RunMetrics, Summary};
use segloss::experiment::Experiment;
use segloss::study::{self, Conclusion, Sweep};
use segloss::train::{Evaluation, SplitEvaluation};
use serde_json::{Map, Value, json};

/// One finished study run.
pub struct Outcome {
    pub loss: String,
    pub seed: u64,
    pub seed_index: usize,
    pub learning_rate: f64,
    pub evaluation: Evaluation,
    pub steps: usize,
    pub seconds: f64,
    /// CPU time of the training thread, where the platform tells it (Linux).
    pub cpu_seconds: Option<f64>,
    pub checksum: u64,
    pub diverged: Option<String>,
    pub metrics: RunMetrics,
}

impl Outcome {
    /// Seconds of CPU, or of the wall clock where CPU time is unknown.
    fn cost(&self) -> f64 {
        self.cpu_seconds.unwrap_or(self.seconds)
    }

    fn steps_per_second(&self) -> f64 {
        self.steps as f64 / self.cost().max(1e-9)
    }
}

/// The metrics the summary table shows, with their column titles.
const SUMMARY: [(Metric, &str); 5] = [
    (study::HEADLINE, "Dice@0.5"),
    (
        Metric::TunedDice(segloss::evidence::Aggregation::Pooled),
        "Dice@tuned",
    ),
    (Metric::AveragePrecision, "AP"),
    (Metric::Ece, "ECE"),
    (Metric::ObjectF1, "object F1"),
];

pub fn describe(experiment: &Experiment, dataset: &Dataset) -> String {
    let crops = match experiment.patch {
        0 => "whole images".to_string(),
        p => format!("{p}×{p} crops"),
    };
    let rates = if experiment.tune_lr {
        "learning rate tuned per loss"
    } else {
        "one shared learning rate"
    };
    format!(
        "{} ({} train + {} held-out images, {:.2} % object): {} steps of batch {} × {}{}, {:?}, {:?}; \
         seeds {:?}, {rates}",
        dataset.name,
        dataset.train.len(),
        dataset.heldout.len(),
        100.0 * dataset.foreground_fraction(),
        experiment.steps,
        experiment.batch_size,
        crops,
        if experiment.augment {
            " with flips and turns"
        } else {
            ""
        },
        experiment.optimizer,
        experiment.model,
        study::repeat_seeds(experiment),
    )
}

pub fn print(
    experiment: &Experiment,
    outcomes: &[Outcome],
    sweeps: &[Sweep],
    conclusion: &Conclusion,
    seconds: f64,
) {
    if !sweeps.is_empty() {
        println!(
            "\nLearning-rate sweeps ({} steps each, pooled Dice at 0.5 on validation images):",
            study::tuning_steps(experiment.steps)
        );
        for sweep in sweeps {
            let tried: Vec<String> = sweep
                .rates
                .iter()
                .zip(sweep.scores)
                .enumerate()
                .map(|(i, (rate, score))| {
                    let mark = if i == sweep.chosen { "*" } else { "" };
                    format!("{}{mark} {score:.3}", study::rate_f64(*rate))
                })
                .collect();
            let loss = &experiment.losses[sweep.loss_index];
            println!("  {:<28} {}", loss.to_string(), tried.join("   "));
        }
    }
    let metrics = format!(
        "{:>7}{:>7}{:>7}{:>8}{:>8}",
        "Dice", "IoU", "prec", "recall", "obj F1"
    );
    println!(
        "\n{:<28} {:>15} {:>37}   {:>37}",
        "", "", "train", "held-out"
    );
    println!(
        "{:<28} {:>5} {:>9} {metrics}   {metrics}   {:>7} {:>7}  checksum",
        "loss", "seed", "rate", "steps/s", "cpu s"
    );
    for outcome in outcomes {
        print_row(outcome);
    }
    let study = &conclusion.study;
    println!(
        "\nOver {} seeds ({}), held-out images, mean [low, high]:",
        study.seeds.len(),
        study.method.describe(study.seeds.len())
    );
    let titles: Vec<String> = SUMMARY.iter().map(|(_, t)| format!("{t:>22}")).collect();
    println!("{:<28} {}  group", "loss", titles.join(""));
    let comparison = study.comparison(study::HEADLINE);
    for (i, loss) in study.losses.iter().enumerate() {
        let cells: Vec<String> = SUMMARY
            .iter()
            .map(|(m, _)| format!("{:>22}", loss.summary(*m).map_or("-".into(), cell)))
            .collect();
        let group = comparison.map_or("", |c| c.losses[i].group.label());
        println!("{:<28} {}  {group}", loss.loss, cells.join(""));
    }
    println!("\nVerdict:");
    for line in &conclusion.verdict {
        println!("  - {}", line.text);
    }
    println!("\n{} runs in {seconds:.1} s", outcomes.len());
}

/// "0.912 [0.890, 0.934]", or the mean alone for one seed.
fn cell(s: &Summary) -> String {
    match s.interval {
        Some(i) => format!("{:.3} [{:.3}, {:.3}]", s.mean, i.low, i.high),
        None => format!("{:.3}", s.mean),
    }
}

fn print_row(outcome: &Outcome) {
    let five = |split: Option<&SplitEvaluation>| match split {
        Some(s) => {
            let m = &s.overall;
            let objects = s.objects.f1();
            format!(
                "{:>7.3}{:>7.3}{:>7.3}{:>8.3}{objects:>8.3}",
                m.dice, m.iou, m.precision, m.recall
            )
        }
        None => format!("{:>37}", "-"),
    };
    println!(
        "{:<28} {:>5} {:>9} {}   {}   {:>7.1} {:>7.2}  {:016x}",
        outcome.loss,
        outcome.seed,
        outcome.learning_rate,
        five(Some(&outcome.evaluation.train)),
        five(outcome.evaluation.heldout.as_ref()),
        outcome.steps_per_second(),
        outcome.cost(),
        outcome.checksum
    );
    for failure in &outcome.metrics.failures {
        println!("    {}", failure.line());
    }
}

/// Overall metrics of a split, with the object-level counts and F1.
fn split_json(split: &SplitEvaluation) -> Value {
    let (m, o) = (&split.overall, &split.objects);
    json!({
        "dice": m.dice, "iou": m.iou, "precision": m.precision, "recall": m.recall, "accuracy": m.accuracy,
        "object_f1": o.f1(), "objects": o.truth, "objects_predicted": o.predicted, "objects_matched": o.matched,
    })
}

fn summary_json(s: &Summary) -> Value {
    json!({
        "mean": s.mean,
        "std": s.std,
        "low": s.interval.map(|i| i.low),
        "high": s.interval.map(|i| i.high),
        "n": s.n,
    })
}

fn run_json(o: &Outcome) -> Value {
    let m = &o.metrics;
    let failures: Vec<Value> = m
        .failures
        .iter()
        .map(|f| json!({ "kind": f.kind.key(), "line": f.line() }))
        .collect();
    json!({
        "loss": o.loss,
        "seed": o.seed,
        "seed_index": o.seed_index,
        "learning_rate": o.learning_rate,
        "train": split_json(&o.evaluation.train),
        "heldout": o.evaluation.heldout.as_ref().map(split_json),
        "average_precision": m.average_precision,
        "roc_auc": m.roc_auc,
        "ece": m.calibration.ece,
        "tuned_threshold": m.tuned.map(|t| t.choice.threshold),
        "heldout_dice_at_tuned": m.tuned.map(|t| t.heldout_dice),
        "failures": failures,
        "steps": o.steps,
        "seconds": o.seconds,
        "cpu_seconds": o.cpu_seconds,
        "steps_per_second": o.steps_per_second(),
        // Hex: a u64 does not fit a JavaScript number.
        "checksum": format!("{:016x}", o.checksum),
        "diverged": o.diverged,
    })
}

fn study_json(conclusion: &Conclusion) -> Value {
    let study = &conclusion.study;
    let losses: Vec<Value> = study
        .losses
        .iter()
        .map(|loss| {
            let summaries: Map<String, Value> = loss
                .summaries
                .iter()
                .map(|(m, s)| (m.key(), summary_json(s)))
                .collect();
            let failures: Vec<Value> = loss
                .failures
                .iter()
                .map(|f| json!({ "kind": f.kind.key(), "seeds": f.seeds, "of": f.of, "text": f.text() }))
                .collect();
            json!({
                "loss": loss.loss,
                "summaries": summaries,
                "failures": failures,
                "failed_seeds": loss.failed_seeds,
                "failed": loss.failed,
            })
        })
        .collect();
    let comparisons: Map<String, Value> = study
        .comparisons
        .iter()
        .map(|(metric, c)| {
            let losses: Vec<Value> = c
                .losses
                .iter()
                .map(|l| {
                    json!({
                        "loss": l.loss,
                        "group": l.group.label(),
                        "summary": summary_json(&l.summary),
                        "difference": l.difference.as_ref().map(summary_json),
                    })
                })
                .collect();
            let best = c.best.map(|b| c.losses[b].loss.clone());
            (metric.key(), json!({ "best": best, "losses": losses }))
        })
        .collect();
    json!({
        "method": study.method.describe(study.seeds.len()),
        "headline": study::HEADLINE.key(),
        "seeds": study.seeds,
        "heldout_images": study.heldout_images,
        "heldout_objects": study.heldout_objects,
        "losses": losses,
        "comparisons": comparisons,
    })
}

pub fn json(
    experiment: &Experiment,
    dataset: &Dataset,
    outcomes: &[Outcome],
    sweeps: &[Sweep],
    conclusion: &Conclusion,
    seconds: f64,
) -> Value {
    let sweeps: Vec<Value> = sweeps
        .iter()
        .map(|s| {
            json!({
                "loss": experiment.losses[s.loss_index].to_string(),
                "rates": s.rates.map(study::rate_f64),
                "scores": s.scores,
                "chosen_rate": study::rate_f64(s.chosen_rate()),
                "steps": study::tuning_steps(experiment.steps),
            })
        })
        .collect();
    let verdict: Vec<Value> = conclusion
        .verdict
        .iter()
        .map(|l| json!({ "kind": l.kind.key(), "loss": l.loss, "text": l.text }))
        .collect();
    let scene = data::scenes()
        .iter()
        .find(|s| s.name == dataset.name)
        .map(|s| s.title);
    json!({
        "scene": dataset.name,
        "title": scene,
        "foreground_fraction": dataset.foreground_fraction(),
        "seed": experiment.seed,
        "seeds": study::repeat_seeds(experiment),
        "tune_lr": experiment.tune_lr,
        "steps": experiment.steps,
        "batch_size": experiment.batch_size,
        "patch": experiment.patch,
        "augment": experiment.augment,
        "optimizer": format!("{:?}", experiment.optimizer),
        "model": format!("{:?}", experiment.model),
        "runs": outcomes.iter().map(run_json).collect::<Vec<_>>(),
        "sweeps": sweeps,
        "study": study_json(conclusion),
        "verdict": verdict,
        "csv": conclusion.csv,
        "seconds": seconds,
    })
}
