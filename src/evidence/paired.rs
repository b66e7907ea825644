//! Paired differences to the best loss, and the grouping "best / tied with best / worse / failed".
//!
//! Seeds are paired: seed k of every loss shares the initial weights and the batch sequence, so
//! losses are compared by per-seed differences, whose spread is far smaller than the spread of two
//! independent means (metrics.md, "Repeats and intervals").

use super::interval::{Method, Summary, summarize};
use crate::bail;
use crate::error::Result;

/// Which way a metric improves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

/// Where a loss stands against the best loss on one metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// The best mean among the losses that did not fail.
    Best,
    /// The paired difference's interval contains 0.
    TiedWithBest,
    /// The paired difference's interval excludes 0.
    Worse,
    /// Failed on more than half of its seeds (see `failures`); still summarized, never best.
    Failed,
    /// One seed: no interval, so neither tied nor worse can be claimed.
    Undecided,
}

impl Group {
    pub fn label(&self) -> &'static str {
        match self {
            Group::Best => "best",
            Group::TiedWithBest => "tied with best",
            Group::Worse => "worse",
            Group::Failed => "failed",
            Group::Undecided => "undecided (one seed)",
        }
    }
}

/// One loss's values of one metric, one per seed, in the study's seed order.
#[derive(Clone, Debug, PartialEq)]
pub struct LossValues {
    pub loss: String,
    pub values: Vec<f64>,
    /// True when the loss failed on more than half of its seeds.
    pub failed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ComparedLoss {
    pub loss: String,
    /// The loss's own mean and interval over seeds.
    pub summary: Summary,
    /// Per seed, this loss's value minus the best loss's value: mean and interval. None for the
    /// best loss itself and when no loss qualifies as best.
    pub difference: Option<Summary>,
    pub group: Group,
}

/// All losses on one metric against the best one.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub direction: Direction,
    pub seeds: usize,
    /// Index into `losses` of the best loss; None when every loss failed.
    pub best: Option<usize>,
    /// In the order given.
    pub losses: Vec<ComparedLoss>,
}

/// Compares every loss with the best one by paired per-seed differences.
///
/// The best loss has the best mean among the losses not marked failed; on an exact tie of means the
/// loss listed first wins (the experiment's order, as numpy's `argmax` picks the first maximum), so
/// the result never depends on which run finished first.
///
/// # Shapes
/// `losses[i].values`: (n,) for every i, the same n ≥ 1, seed k at index k for every loss.
pub fn compare(losses: &[LossValues], direction: Direction, method: Method) -> Result<Comparison> {
    let Some(first) = losses.first() else {
        bail!("no losses to compare");
    };
    let seeds = first.values.len();
    if let Some(odd) = losses.iter().find(|l| l.values.len() != seeds) {
        bail!(
            "seeds are paired, but {} has {} values and {} has {seeds}",
            odd.loss,
            odd.values.len(),
            first.loss
        );
    }
    let summaries = losses
        .iter()
        .map(|l| summarize(&l.values, method))
        .collect::<Result<Vec<_>>>()?;
    let better = |a: f64, b: f64| match direction {
        Direction::HigherIsBetter => a > b,
        Direction::LowerIsBetter => a < b,
    };
    let mut best: Option<usize> = None;
    for (i, (loss, summary)) in losses.iter().zip(&summaries).enumerate() {
        if !loss.failed && best.is_none_or(|b| better(summary.mean, summaries[b].mean)) {
            best = Some(i);
        }
    }
    let mut compared = Vec::with_capacity(losses.len());
    for (i, (loss, summary)) in losses.iter().zip(summaries).enumerate() {
        let difference = match best {
            Some(b) if b != i => {
                let diffs: Vec<f64> = loss
                    .values
                    .iter()
                    .zip(&losses[b].values)
                    .map(|(v, w)| v - w)
                    .collect();
                Some(summarize(&diffs, method)?)
            }
            _ => None,
        };
        let group = if loss.failed {
            Group::Failed
        } else if best == Some(i) {
            Group::Best
        } else {
            match difference.as_ref().and_then(|d| d.interval) {
                None => Group::Undecided,
                Some(interval) if interval.contains(0.0) => Group::TiedWithBest,
                Some(_) => Group::Worse,
            }
        };
        compared.push(ComparedLoss {
            loss: loss.loss.clone(),
            summary,
            difference,
            group,
        });
    }
    Ok(Comparison {
        direction,
        seeds,
        best,
        losses: compared,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loss(name: &str, values: &[f64], failed: bool) -> LossValues {
        LossValues {
            loss: name.to_string(),
            values: values.to_vec(),
            failed,
        }
    }

    fn groups(c: &Comparison) -> Vec<Group> {
        c.losses.iter().map(|l| l.group).collect()
    }

    #[test]
    fn pairing_finds_a_real_difference_that_means_alone_hide() {
        // b is below a by 0.01 on every seed, while the seeds themselves spread by 0.1.
        let a = [0.80, 0.90, 0.70, 0.85, 0.75];
        let b: Vec<f64> = a.iter().map(|v| v - 0.01).collect();
        let c = compare(
            &[loss("a", &a, false), loss("b", &b, false)],
            Direction::HigherIsBetter,
            Method::StudentT,
        )
        .unwrap();
        assert_eq!(c.best, Some(0));
        assert_eq!(groups(&c), [Group::Best, Group::Worse]);
        let d = c.losses[1].difference.as_ref().unwrap();
        assert!((d.mean + 0.01).abs() < 1e-12 && d.interval.unwrap().high < 0.0);
    }

    #[test]
    fn identical_runs_tie_and_the_first_listed_is_best() {
        let v = [0.7, 0.8, 0.9];
        let c = compare(
            &[loss("x", &v, false), loss("y", &v, false)],
            Direction::HigherIsBetter,
            Method::StudentT,
        )
        .unwrap();
        assert_eq!(groups(&c), [Group::Best, Group::TiedWithBest]);
    }

    #[test]
    fn lower_is_better_failed_losses_and_one_seed() {
        let c = compare(
            &[
                loss("calibrated", &[0.02, 0.03], false),
                loss("overconfident", &[0.20, 0.25], false),
                loss("collapsed", &[0.01, 0.01], true),
            ],
            Direction::LowerIsBetter,
            Method::StudentT,
        )
        .unwrap();
        assert_eq!(c.best, Some(0));
        assert_eq!(groups(&c)[2], Group::Failed);
        let single = compare(
            &[loss("a", &[0.9], false), loss("b", &[0.8], false)],
            Direction::HigherIsBetter,
            Method::StudentT,
        )
        .unwrap();
        assert_eq!(groups(&single), [Group::Best, Group::Undecided]);
        let all_failed = compare(
            &[loss("a", &[0.1], true)],
            Direction::HigherIsBetter,
            Method::StudentT,
        )
        .unwrap();
        assert_eq!(
            (all_failed.best, groups(&all_failed)),
            (None, vec![Group::Failed])
        );
    }

    #[test]
    fn unpaired_lengths_are_an_error() {
        let err = compare(
            &[loss("a", &[0.9, 0.8], false), loss("b", &[0.8], false)],
            Direction::HigherIsBetter,
            Method::StudentT,
        )
        .unwrap_err();
        assert_eq!(err.0, "seeds are paired, but b has 1 values and a has 2");
    }
}
