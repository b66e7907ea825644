//! The verdict: plain sentences computed from a study. Which losses are best on this data, by how
//! much and with what confidence; which are tied; which failed and on how many seeds; and the
//! caveats that limit what the numbers can say. A ranking that the intervals do not support is
//! never presented as a finding.

use super::interval::Summary;
use super::metric::Metric;
use super::paired::{Comparison, Direction, Group};
use super::study::Study;

/// How the learning rates of the compared runs were set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LearningRates {
    /// One rate for every loss.
    Shared(f64),
    /// Each loss trained at the rate its own sweep chose on validation images.
    TunedPerLoss,
}

/// Fewer held-out images than this: the numbers describe these images more than the scene.
pub const FEW_HELDOUT_IMAGES: usize = 3;
/// Fewer true held-out objects than this: object scores move in large steps.
pub const FEW_OBJECTS: u64 = 20;
/// At most this many seeds: intervals are wide (t.ppf(0.975, 2) = 4.3 standard errors at 3).
pub const FEW_SEEDS: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Finding,
    Tie,
    Failure,
    Caveat,
}

impl LineKind {
    pub fn key(&self) -> &'static str {
        match self {
            LineKind::Finding => "finding",
            LineKind::Tie => "tie",
            LineKind::Failure => "failure",
            LineKind::Caveat => "caveat",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct VerdictLine {
    pub kind: LineKind,
    /// The loss the line is about, if one.
    pub loss: Option<String>,
    pub text: String,
}

/// The verdict on `headline` (e.g. `Metric::Dice(Aggregation::Pooled)`), findings first, then
/// ties, failures and caveats.
pub fn verdict(study: &Study, headline: Metric, learning_rates: LearningRates) -> Vec<VerdictLine> {
    let mut lines = Vec::new();
    let line = |kind, loss: Option<&str>, text: String| VerdictLine {
        kind,
        loss: loss.map(str::to_string),
        text,
    };
    let n = study.seeds.len();
    match study.comparison(headline) {
        Some(c) => ranking(c, headline, &mut lines),
        None => lines.push(line(
            LineKind::Caveat,
            None,
            format!(
                "No ranking on {}: it is not defined for every run.",
                headline.label()
            ),
        )),
    }
    for loss in &study.losses {
        for failure in &loss.failures {
            lines.push(line(
                LineKind::Failure,
                Some(&loss.loss),
                format!(
                    "{} {}. Why: {} Try: {}",
                    loss.loss,
                    failure.text(),
                    failure.why,
                    failure.try_next
                ),
            ));
        }
    }
    if let LearningRates::Shared(rate) = learning_rates {
        lines.push(line(
            LineKind::Caveat,
            None,
            format!(
                "Every loss trained at one shared learning rate ({rate}); a loss that needs another \
                 rate is at a disadvantage. Tune the rate per loss for a fair comparison."
            ),
        ));
    }
    if n == 1 {
        lines.push(line(
            LineKind::Caveat,
            None,
            "One seed: no interval, so no difference can be told from seed-to-seed noise. Run at \
             least 3 seeds."
                .to_string(),
        ));
    } else if n <= FEW_SEEDS {
        lines.push(line(
            LineKind::Caveat,
            None,
            format!("Only {n} seeds: the intervals are wide; more seeds narrow them."),
        ));
    }
    if study.heldout_images < FEW_HELDOUT_IMAGES {
        lines.push(line(
            LineKind::Caveat,
            None,
            format!(
                "Only {} held-out image(s): the numbers describe these images more than the scene.",
                study.heldout_images
            ),
        ));
    }
    if study.heldout_objects < FEW_OBJECTS {
        lines.push(line(
            LineKind::Caveat,
            None,
            format!(
                "Only {} held-out object(s): object scores move in large steps.",
                study.heldout_objects
            ),
        ));
    }
    lines
}

/// The findings and ties of one comparison.
fn ranking(c: &Comparison, metric: Metric, lines: &mut Vec<VerdictLine>) {
    let label = metric.label();
    let Some(best_index) = c.best else {
        lines.push(VerdictLine {
            kind: LineKind::Finding,
            loss: None,
            text: format!("No loss is best on {label}: every loss failed on most seeds."),
        });
        return;
    };
    let best = &c.losses[best_index];
    let of = |group: Group| c.losses.iter().filter(move |l| l.group == group);
    let tied: Vec<&str> = of(Group::TiedWithBest).map(|l| l.loss.as_str()).collect();
    let finding = |text: String| VerdictLine {
        kind: LineKind::Finding,
        loss: Some(best.loss.clone()),
        text,
    };
    if c.seeds == 1 {
        lines.push(finding(format!(
            "On {label}, {} scored highest ({:.3}) on a single seed; without an interval this \
             ranking may be noise.",
            best.loss, best.summary.mean
        )));
        return;
    }
    let alone = match (c.losses.len(), tied.is_empty()) {
        (1, _) => "(the only loss) scored",
        (_, true) => "is best",
        (_, false) => "scored best",
    };
    lines.push(finding(format!(
        "On {label}, {} {alone}: {}.",
        best.loss,
        mean_and_interval(&best.summary)
    )));
    for worse in of(Group::Worse) {
        let d = worse
            .difference
            .as_ref()
            .expect("a worse loss has a difference");
        lines.push(VerdictLine {
            kind: LineKind::Finding,
            loss: Some(worse.loss.clone()),
            text: format!(
                "{} is worse than {} by {} (paired over seeds).",
                worse.loss,
                best.loss,
                shortfall(d, c.direction)
            ),
        });
    }
    if !tied.is_empty() {
        let each: Vec<String> = of(Group::TiedWithBest)
            .map(|l| {
                let d = l.difference.as_ref().expect("a tied loss has a difference");
                format!("{} trails by {}", l.loss, shortfall(d, c.direction))
            })
            .collect();
        lines.push(VerdictLine {
            kind: LineKind::Tie,
            loss: None,
            text: format!(
                "Tied with {}: {} (each paired interval contains 0, so the order between them is noise).",
                best.loss,
                each.join("; ")
            ),
        });
    }
}

/// "0.912 (95 % Student t interval over 5 seeds: 0.890 to 0.934)".
fn mean_and_interval(s: &Summary) -> String {
    match s.interval {
        Some(i) => format!(
            "{:.3} ({}: {:.3} to {:.3})",
            s.mean,
            s.method.describe(s.n),
            i.low,
            i.high
        ),
        None => format!("{:.3} (one seed, no interval)", s.mean),
    }
}

/// How much worse, as a positive amount with its interval: best − loss for a higher-is-better
/// metric, loss − best for a lower-is-better one.
fn shortfall(d: &Summary, direction: Direction) -> String {
    let sign = match direction {
        Direction::HigherIsBetter => -1.0,
        Direction::LowerIsBetter => 1.0,
    };
    match d.interval {
        Some(i) => {
            let (a, b) = (sign * i.low, sign * i.high);
            format!(
                "{:.3} ({}: {:.3} to {:.3})",
                sign * d.mean,
                d.method.describe(d.n),
                a.min(b),
                a.max(b)
            )
        }
        None => format!("{:.3}", sign * d.mean),
    }
}
