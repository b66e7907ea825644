//! A study is many runs (loss × seed): per loss, every metric's mean and interval over seeds, its
//! failures counted over seeds, and every rankable metric compared by paired differences.
//!
//! Runs are grouped by loss index (the experiment's order) and paired by seed value (ascending),
//! never by the order in which workers finished: the same runs in any order give the same study.

use super::failures::{FailureTally, tally};
use super::interval::{Method, Summary, summarize};
use super::metric::Metric;
use super::paired::{Comparison, LossValues, compare};
use super::run::RunMetrics;
use crate::bail;
use crate::error::Result;

/// One loss over its seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct LossStudy {
    pub loss: String,
    /// Each metric defined on every seed of this loss, with its summary over seeds.
    pub summaries: Vec<(Metric, Summary)>,
    pub failures: Vec<FailureTally>,
    /// Seeds on which the run had any failure.
    pub failed_seeds: usize,
    /// Failed on more than half of its seeds: grouped "failed", never best.
    pub failed: bool,
}

impl LossStudy {
    pub fn summary(&self, metric: Metric) -> Option<&Summary> {
        self.summaries
            .iter()
            .find(|(m, _)| *m == metric)
            .map(|(_, s)| s)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Study {
    pub method: Method,
    /// The seeds, ascending; every loss ran each of them.
    pub seeds: Vec<u64>,
    pub losses: Vec<LossStudy>,
    /// Each rankable metric defined on every run, compared across losses.
    pub comparisons: Vec<(Metric, Comparison)>,
    /// Held-out images of each run (the same images for every run).
    pub heldout_images: usize,
    /// True objects in the held-out images (from the first run's object counts).
    pub heldout_objects: u64,
}

impl Study {
    pub fn comparison(&self, metric: Metric) -> Option<&Comparison> {
        self.comparisons
            .iter()
            .find(|(m, _)| *m == metric)
            .map(|(_, c)| c)
    }
}

/// Summaries, failure tallies and paired comparisons of `runs`.
///
/// # Shapes
/// `runs`: (losses × seeds,) in any order, each (loss index, seed) once, every loss with the
/// same seeds.
pub fn study(runs: &[RunMetrics], method: Method) -> Result<Study> {
    let Some(first) = runs.first() else {
        bail!("a study needs at least one run");
    };
    let mut indices: Vec<usize> = runs.iter().map(|r| r.loss_index).collect();
    indices.sort_unstable();
    indices.dedup();
    let mut seeds: Vec<u64> = runs.iter().map(|r| r.seed).collect();
    seeds.sort_unstable();
    seeds.dedup();
    // by_loss[i][k]: the i-th loss index, the k-th seed.
    let mut by_loss: Vec<Vec<&RunMetrics>> = Vec::with_capacity(indices.len());
    for &index in &indices {
        let of_loss: Vec<&RunMetrics> = runs.iter().filter(|r| r.loss_index == index).collect();
        let loss = &of_loss[0].loss;
        if let Some(other) = of_loss.iter().find(|r| r.loss != *loss) {
            bail!("loss {} is both {loss} and {}", index + 1, other.loss);
        }
        let mut row = Vec::with_capacity(seeds.len());
        for &seed in &seeds {
            let matching: Vec<&RunMetrics> =
                of_loss.iter().copied().filter(|r| r.seed == seed).collect();
            match matching[..] {
                [run] => row.push(run),
                [] => bail!("{loss} has no run with seed {seed}: seeds are paired across losses"),
                _ => bail!("{loss} has {} runs with seed {seed}", matching.len()),
            }
        }
        by_loss.push(row);
    }
    let values = |row: &[&RunMetrics], metric: Metric| -> Option<Vec<f64>> {
        row.iter().map(|r| r.value(metric)).collect()
    };
    let mut studies = Vec::with_capacity(by_loss.len());
    for row in &by_loss {
        let mut summaries = Vec::new();
        for metric in Metric::ALL {
            if let Some(v) = values(row, metric) {
                summaries.push((metric, summarize(&v, method)?));
            }
        }
        let per_seed: Vec<(u64, &[_])> = row.iter().map(|r| (r.seed, &r.failures[..])).collect();
        let failed_seeds = row.iter().filter(|r| !r.failures.is_empty()).count();
        studies.push(LossStudy {
            loss: row[0].loss.clone(),
            summaries,
            failures: tally(&per_seed),
            failed_seeds,
            failed: 2 * failed_seeds > seeds.len(),
        });
    }
    let mut comparisons = Vec::new();
    for metric in Metric::ALL {
        let Some(direction) = metric.direction() else {
            continue;
        };
        let inputs: Option<Vec<LossValues>> = by_loss
            .iter()
            .zip(&studies)
            .map(|(row, s)| {
                Some(LossValues {
                    loss: s.loss.clone(),
                    values: values(row, metric)?,
                    failed: s.failed,
                })
            })
            .collect();
        if let Some(inputs) = inputs {
            comparisons.push((metric, compare(&inputs, direction, method)?));
        }
    }
    Ok(Study {
        method,
        seeds,
        losses: studies,
        comparisons,
        heldout_images: first.heldout_images,
        heldout_objects: first.objects.truth,
    })
}

/// One step of a band over seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct BandPoint {
    pub step: usize,
    pub summary: Summary,
}

/// Mean and interval over seeds at each step that every curve reports (the held-out Dice band of
/// one loss). `curves[k]`: seed k's (step, value) pairs, steps increasing.
pub fn curve_band(curves: &[&[(usize, f64)]], method: Method) -> Result<Vec<BandPoint>> {
    let Some(first) = curves.first() else {
        return Ok(Vec::new());
    };
    let mut band = Vec::new();
    for &(step, _) in first.iter() {
        let at_step: Option<Vec<f64>> = curves
            .iter()
            .map(|c| c.iter().find(|(s, _)| *s == step).map(|&(_, v)| v))
            .collect();
        if let Some(values) = at_step {
            band.push(BandPoint {
                step,
                summary: summarize(&values, method)?,
            });
        }
    }
    Ok(band)
}
