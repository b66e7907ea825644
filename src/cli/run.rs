//! `segloss run`: trains every run of an experiment headlessly — each loss once per seed, after
//! a learning-rate sweep per loss when tuning — on several threads, and prints per run the final
//! training and held-out metrics, speed and weight checksum, then the statistics over seeds and
//! the verdict (`segloss::study`, the same functions the page calls).

use super::run_report::{self, Outcome};
use super::settings::SettingFlags;
use segloss::error::{Error, Result};
use segloss::evidence::RunMetrics;
use segloss::experiment::Experiment;
use segloss::link;
use segloss::study::{self, Sweep, Trial};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// A share link of the page (the whole URL or its fragment): runs exactly that experiment;
    /// the flags below, where given, change its settings.
    #[arg(long)]
    link: Option<String>,
    #[command(flatten)]
    settings: SettingFlags,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    json: bool,
    /// Write the metrics CSV (statistics, paired differences, failures, learning rates, verdict)
    /// to this file.
    #[arg(long, value_name = "FILE")]
    csv: Option<std::path::PathBuf>,
    /// Runs trained at once, each on its own thread [default: the cores available]. The results
    /// do not depend on it.
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
}

pub fn main(args: Args) -> Result<()> {
    let experiment = experiment(&args)?;
    let dataset = experiment.dataset()?;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    if !args.json {
        println!("{}", run_report::describe(&experiment, &dataset));
    }
    let started = Instant::now();
    let sweeps = if experiment.tune_lr {
        sweep(&experiment, jobs, !args.json)?
    } else {
        Vec::new()
    };
    // Loss by loss, then seed by seed: the order the tables list them.
    let studies: Vec<(usize, usize)> = (0..experiment.losses.len())
        .flat_map(|loss| (0..experiment.seeds).map(move |k| (loss, k)))
        .collect();
    let rate_of = |loss: usize| {
        sweeps
            .iter()
            .find(|s: &&Sweep| s.loss_index == loss)
            .map(Sweep::chosen_rate)
    };
    let outcomes = in_parallel(jobs, studies.len(), !args.json, |i| {
        let (loss, seed_index) = studies[i];
        let trial = Trial::study(&experiment, loss, seed_index, rate_of(loss))?;
        train(trial, seed_index)
    })?;
    let metrics: Vec<RunMetrics> = outcomes.iter().map(|o| o.metrics.clone()).collect();
    let conclusion = study::conclude(&experiment, &metrics, &sweeps)?;
    let seconds = started.elapsed().as_secs_f64();
    if let Some(path) = &args.csv {
        std::fs::write(path, &conclusion.csv)
            .map_err(|e| Error(format!("cannot write {}: {e}", path.display())))?;
    }
    if args.json {
        let report = run_report::json(
            &experiment,
            &dataset,
            &outcomes,
            &sweeps,
            &conclusion,
            seconds,
        );
        println!("{report}");
    } else {
        run_report::print(&experiment, &outcomes, &sweeps, &conclusion, seconds);
    }
    Ok(())
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

/// Every loss's learning-rate sweep (`study::tuning`).
fn sweep(experiment: &Experiment, jobs: usize, progress: bool) -> Result<Vec<Sweep>> {
    let losses = experiment.losses.len();
    let scores = in_parallel(jobs, losses * study::RATES, progress, |i| {
        let (loss, rate) = (i / study::RATES, i % study::RATES);
        let mut trial = Trial::tuning(experiment, loss, rate)?;
        trial.step(trial.total_steps())?;
        trial.validation_score()
    })?;
    let rates = study::rates(experiment.optimizer.lr());
    Ok(scores
        .chunks(study::RATES)
        .enumerate()
        .map(|(loss, s)| Sweep::new(loss, rates, s.try_into().expect("RATES scores per loss")))
        .collect())
}

/// Trains a study trial to the end and keeps what the tables print.
fn train(mut trial: Trial, seed_index: usize) -> Result<Outcome> {
    let (start, cpu_start) = (Instant::now(), thread_cpu_seconds());
    trial.step(trial.total_steps())?;
    let seconds = start.elapsed().as_secs_f64();
    let cpu_seconds = cpu_start.zip(thread_cpu_seconds()).map(|(a, b)| b - a);
    let run = trial.run();
    Ok(Outcome {
        loss: run.loss_spec().to_string(),
        seed: trial.seed(),
        seed_index,
        learning_rate: trial.learning_rate(),
        evaluation: run.evaluate()?,
        steps: run.steps_done(),
        seconds,
        cpu_seconds,
        checksum: run.checksum(),
        diverged: run.diverged().map(str::to_string),
        metrics: trial.metrics()?,
    })
}

/// `work(0..count)` on `jobs` threads; the results in index order, or the first error by index.
fn in_parallel<T: Send>(
    jobs: usize,
    count: usize,
    progress: bool,
    work: impl Fn(usize) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<Result<T>>>> = Mutex::new((0..count).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(count) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    let result = work(i);
                    slots.lock().expect("no worker panicked")[i] = Some(result);
                    let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if progress {
                        eprint!("\r{finished} of {count} runs trained");
                    }
                }
            });
        }
    });
    if progress && count > 0 {
        eprintln!();
    }
    slots
        .into_inner()
        .expect("no worker panicked")
        .into_iter()
        .map(|slot| slot.expect("every index was worked"))
        .collect()
}

/// CPU time the calling thread has used, from Linux's /proc (None elsewhere): the honest measure
/// of training cost on a machine whose cores other work shares.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanoseconds / 1e9)
}
