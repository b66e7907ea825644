//! The study's answer from every run's metrics: statistics over seeds (`evidence::study`), the
//! verdict in plain words and the metrics CSV, with the learning rates the losses trained at.
//! The runs may come in any order; the answer does not depend on it.

use super::trial::rate_f64;
use super::tuning::Sweep;
use crate::bail;
use crate::error::Result;
use crate::evidence::{
    Aggregation, CsvRow, LearningRates, LineKind, Method, Metric, RunMetrics, Study, VerdictLine,
    csv_rows, study, to_csv, verdict,
};
use crate::experiment::Experiment;

/// The metric the verdict ranks on: pooled held-out Dice at 0.5, the page's headline number.
pub const HEADLINE: Metric = Metric::Dice(Aggregation::Pooled);
/// Intervals over seeds: Student's t (mean ± t.ppf(0.975, n − 1)·s/√n).
pub const METHOD: Method = Method::StudentT;

#[derive(Clone, Debug, PartialEq)]
pub struct Conclusion {
    pub study: Study,
    pub verdict: Vec<VerdictLine>,
    /// The metrics CSV: every summary, paired difference, failure count, learning rate, sweep
    /// score and verdict line.
    pub csv: String,
}

/// The conclusion of `runs` (losses × seeds, any order). `sweeps` holds one sweep per loss when
/// the rates were tuned, and is empty when every loss trained at the experiment's rate.
pub fn conclude(
    experiment: &Experiment,
    runs: &[RunMetrics],
    sweeps: &[Sweep],
) -> Result<Conclusion> {
    let tuned = !sweeps.is_empty();
    if tuned && sweeps.len() != experiment.losses.len() {
        bail!(
            "{} learning-rate sweeps for {} losses",
            sweeps.len(),
            experiment.losses.len()
        );
    }
    let study = study(runs, METHOD)?;
    let rates = if tuned {
        LearningRates::TunedPerLoss
    } else {
        LearningRates::Shared(rate_f64(experiment.optimizer.lr()))
    };
    let mut lines = verdict(&study, HEADLINE, rates);
    let mut sorted: Vec<&Sweep> = sweeps.iter().collect();
    sorted.sort_by_key(|s| s.loss_index);
    if tuned {
        let chosen: Vec<String> = sorted
            .iter()
            .map(|s| {
                let loss = &experiment.losses[s.loss_index];
                format!("{loss} {}", rate_f64(s.chosen_rate()))
            })
            .collect();
        lines.push(VerdictLine {
            kind: LineKind::Caveat,
            loss: None,
            text: format!(
                "Each loss trained at its own learning rate, chosen on validation images carved \
                 from the training images: {}.",
                chosen.join(", ")
            ),
        });
    }
    let mut rows = csv_rows(&study, &lines);
    rows.extend(rate_rows(experiment, &sorted));
    Ok(Conclusion {
        csv: to_csv(&rows),
        study,
        verdict: lines,
    })
}

/// One "learning_rate" row per loss (the rate it trained at), and per sweep one
/// "tuning_score@<rate>" row per rate tried.
fn rate_rows(experiment: &Experiment, sweeps: &[&Sweep]) -> Vec<CsvRow> {
    let row = |metric: String, loss: String, mean: f64, method: &str, note: String| CsvRow {
        metric,
        loss,
        mean: Some(mean),
        low: None,
        high: None,
        n: None,
        method: method.to_string(),
        note,
    };
    let mut rows = Vec::new();
    if sweeps.is_empty() {
        for loss in &experiment.losses {
            rows.push(row(
                "learning_rate".to_string(),
                loss.to_string(),
                rate_f64(experiment.optimizer.lr()),
                "shared",
                "one rate for every loss".to_string(),
            ));
        }
        return rows;
    }
    for sweep in sweeps {
        let loss = experiment.losses[sweep.loss_index].to_string();
        rows.push(row(
            "learning_rate".to_string(),
            loss.clone(),
            rate_f64(sweep.chosen_rate()),
            "tuned",
            "best validation Dice at 0.5 of the sweep".to_string(),
        ));
        for (rate, score) in sweep.rates.iter().zip(sweep.scores) {
            rows.push(row(
                format!("tuning_score@{}", rate_f64(*rate)),
                loss.clone(),
                score,
                "validation",
                "validation Dice at 0.5 after the sweep's short run (-1: diverged)".to_string(),
            ));
        }
    }
    rows
}
