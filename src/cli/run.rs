//! `segloss run`: trains every loss of an experiment headlessly, one run after the other, and
//! prints per loss the final training and held-out metrics, speed and weight checksum.

use super::settings::SettingFlags;
use segloss::data::{self, Dataset};
use segloss::error::{Error, Result};
use segloss::experiment::Experiment;
use segloss::link;
use segloss::train::{Evaluation, Run, SplitEvaluation};
use serde_json::{Value, json};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// A share link of the page (the whole URL or its fragment): runs exactly that experiment;
    /// the flags below, where given, change its settings.
    #[arg(long)]
    link: Option<String>,
    #[command(flatten)]
    settings: SettingFlags,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// One finished run.
struct Outcome {
    loss: String,
    evaluation: Evaluation,
    steps: usize,
    seconds: f64,
    /// CPU time of the training thread, where the platform tells it (Linux).
    cpu_seconds: Option<f64>,
    checksum: u64,
    diverged: Option<String>,
}

pub fn main(args: Args) -> Result<()> {
    let experiment = experiment(&args)?;
    experiment.validate()?;
    let dataset = experiment.dataset()?;
    if !args.json {
        println!("{}", describe(&experiment, &dataset));
        let metrics = format!(
            "{:>7}{:>7}{:>7}{:>8}{:>8}",
            "Dice", "IoU", "prec", "recall", "obj F1"
        );
        println!("{:<30} {:>37}   {:>37}", "", "train", "held-out");
        println!(
            "{:<30} {metrics}   {metrics}   {:>7} {:>7}  checksum",
            "loss", "steps/s", "cpu s"
        );
    }
    let mut outcomes = Vec::new();
    for index in 0..experiment.losses.len() {
        let mut run = Run::with_dataset(&experiment, dataset.clone(), index)?;
        let (start, cpu_start) = (Instant::now(), thread_cpu_seconds());
        run.step(experiment.steps)?;
        let seconds = start.elapsed().as_secs_f64();
        let cpu_seconds = cpu_start.zip(thread_cpu_seconds()).map(|(a, b)| b - a);
        let outcome = Outcome {
            loss: run.loss_spec().to_string(),
            evaluation: run.evaluate()?,
            steps: run.steps_done(),
            seconds,
            cpu_seconds,
            checksum: run.checksum(),
            diverged: run.diverged().map(str::to_string),
        };
        if !args.json {
            print_row(&outcome);
        }
        outcomes.push(outcome);
    }
    if args.json {
        println!("{}", report(&experiment, &dataset, &outcomes));
    }
    Ok(())
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

fn experiment(args: &Args) -> Result<Experiment> {
    let mut experiment = match &args.link {
        Some(link) => {
            let decoded = link::decode_at_most(link, link::FILE_MAX_LEN)
                .map_err(|e| Error(format!("the link: {e}")))?;
            for note in &decoded.notes {
                eprintln!("note: {note}");
            }
            decoded.experiment
        }
        None => Experiment::default(),
    };
    args.settings.apply(&mut experiment)?;
    Ok(experiment)
}

fn describe(experiment: &Experiment, dataset: &Dataset) -> String {
    let crops = match experiment.patch {
        0 => "whole images".to_string(),
        p => format!("{p}×{p} crops"),
    };
    format!(
        "{} (seed {}, {} train + {} held-out images, {:.2} % object): {} steps of batch {} × {}{}, {:?}, {:?}",
        dataset.name,
        experiment.seed,
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
    )
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
        "{:<30} {}   {}   {:>7.1} {:>7.2}  {:016x}",
        outcome.loss,
        five(Some(&outcome.evaluation.train)),
        five(outcome.evaluation.heldout.as_ref()),
        outcome.steps_per_second(),
        outcome.cost(),
        outcome.checksum
    );
    if let Some(reason) = &outcome.diverged {
        println!("    {reason}");
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

fn report(experiment: &Experiment, dataset: &Dataset, outcomes: &[Outcome]) -> Value {
    let runs: Vec<Value> = outcomes
        .iter()
        .map(|o| {
            json!({
                "loss": o.loss,
                "train": split_json(&o.evaluation.train),
                "heldout": o.evaluation.heldout.as_ref().map(split_json),
                "steps": o.steps,
                "seconds": o.seconds,
                "cpu_seconds": o.cpu_seconds,
                "steps_per_second": o.steps_per_second(),
                // Hex: a u64 does not fit a JavaScript number.
                "checksum": format!("{:016x}", o.checksum),
                "diverged": o.diverged,
            })
        })
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
        "steps": experiment.steps,
        "batch_size": experiment.batch_size,
        "patch": experiment.patch,
        "augment": experiment.augment,
        "optimizer": format!("{:?}", experiment.optimizer),
        "model": format!("{:?}", experiment.model),
        "runs": runs,
    })
}

/// CPU time the calling thread has used, from Linux's /proc (None elsewhere): the honest measure
/// of training cost on a machine whose cores other work shares.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanoseconds / 1e9)
}
