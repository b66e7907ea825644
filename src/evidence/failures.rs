//! Failure detectors, per run, from what a run reports after training: whether it diverged, its
//! training-loss curve, its held-out predictions and the size of its loss gradient there. Each
//! failure becomes one line: what happened, why this loss does it, what to try
//! (`failure_text`). A failed run still takes part in the statistics: it is evidence about its loss.

use super::failure_text::explain;
use super::pixels::ImagePrediction;
use crate::loss::LossSpec;

/// Held-out pixels are judged at the page's threshold (`train::THRESHOLD`).
pub const JUDGED_AT: f32 = 0.5;
/// The truth counts as mixed when its object share lies in this range: below it, predicting no
/// object is nearly right; above it, predicting all object is. The low end admits the rarest
/// demo scene (`specks`, about 0.6 % object on its held-out images), whose collapse to all
/// background a bound of 1 % missed on real runs.
pub const MIXED_TRUTH: (f64, f64) = (0.001, 0.90);
/// Collapse to all object: at least this share of held-out pixels predicted object, i.e. at
/// least 80 % of the background called object when the truth is mixed.
pub const ALL_OBJECT_AT: f64 = 0.98;
/// Collapse to all background: at most this share predicted object, a fifth of the smallest
/// mixed object share (7 pixels of the 4 held-out 96 × 96 demo images): recall ≤ 0.2 at best.
pub const ALL_BACKGROUND_AT: f64 = 0.0002;
/// No learning: the mean loss of the last tenth of the steps is still at least this share of the
/// first tenth's. Losses that learn fall far more over a run (BCE from ln 2 ≈ 0.69 to well below
/// 0.3); a tenth's mean (≥ 1 step, ≥ 10 steps in all) smooths the minibatch noise.
pub const FLAT_LOSS_RATIO: f64 = 0.95;
/// A pixel is saturated when p ≤ SATURATED or p ≥ 1 − SATURATED (|logit| ≳ 9.2).
pub const SATURATED: f32 = 1e-4;
/// Saturated outputs: at least this share of held-out pixels saturated …
pub const SATURATED_SHARE: f64 = 0.99;
/// … of which at least this share of all pixels saturated on the wrong side …
pub const CONFIDENTLY_WRONG_SHARE: f64 = 0.01;
/// … while the gradient is vanishing: Σ|dloss/dlogit| of an image below this multiple of its
/// share of wrong pixels. BCE (mean over pixels) gives Σ|σ(x) − y|/N ≈ that share on confident
/// mistakes, so this is a gradient a thousand times weaker than BCE's on the same errors.
/// Measured on real runs: healthy Dice at a tuned rate on `blobs` sits at 7.5e-3–8.1e-3 × the
/// wrong share (a bound of 0.01 called it saturated); a real collapse at about 1e-9 ×.
pub const VANISHING_GRADIENT: f64 = 1e-3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FailureKind {
    /// NaN or infinite logits, loss, gradient or weights (the run stopped itself).
    Diverged,
    CollapsedToObject,
    CollapsedToBackground,
    /// Saturated outputs with a vanishing gradient on confidently wrong pixels.
    Saturated,
    /// The training loss stayed flat.
    NoLearning,
}

impl FailureKind {
    pub const ALL: [FailureKind; 5] = [
        FailureKind::Diverged,
        FailureKind::CollapsedToObject,
        FailureKind::CollapsedToBackground,
        FailureKind::Saturated,
        FailureKind::NoLearning,
    ];

    /// Past tense, to follow a loss name or "on 2 of 5 seeds".
    pub fn label(&self) -> &'static str {
        match self {
            FailureKind::Diverged => "diverged",
            FailureKind::CollapsedToObject => "collapsed to all object",
            FailureKind::CollapsedToBackground => "collapsed to all background",
            FailureKind::Saturated => "saturated with a vanishing gradient",
            FailureKind::NoLearning => "did not learn",
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            FailureKind::Diverged => "diverged",
            FailureKind::CollapsedToObject => "collapsed_object",
            FailureKind::CollapsedToBackground => "collapsed_background",
            FailureKind::Saturated => "saturated",
            FailureKind::NoLearning => "no_learning",
        }
    }
}

/// One detected failure of one run, in three parts for the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub kind: FailureKind,
    /// What happened, with the measured numbers.
    pub what: String,
    /// Why this loss does it.
    pub why: String,
    /// What to try.
    pub try_next: String,
}

impl Failure {
    /// The one line the page and the CLI print.
    pub fn line(&self) -> String {
        format!("{} Why: {} Try: {}", self.what, self.why, self.try_next)
    }
}

/// What a run reports that the detectors read.
#[derive(Clone, Copy, Debug)]
pub struct RunSignals<'a> {
    pub spec: &'a LossSpec,
    pub learning_rate: f64,
    /// The run's own divergence message (`train::Run::diverged`).
    pub diverged: Option<&'a str>,
    /// Training loss per step.
    pub loss_curve: &'a [f64],
    pub heldout: &'a [ImagePrediction],
    /// Mean over held-out images of Σ_pixels |dloss/dlogit| of the image alone
    /// (`train::Snapshot::dlogits`); None when not reported (then saturation is not judged).
    pub gradient_l1: Option<f64>,
}

/// Every failure of one run, in `FailureKind` order. A diverged run reports only that: its
/// outputs are no longer a model's.
pub fn detect(signals: &RunSignals) -> Vec<Failure> {
    let fail = |kind: FailureKind, what: String| {
        let (why, try_next) = explain(kind, signals.spec, signals.learning_rate);
        Failure {
            kind,
            what,
            why,
            try_next,
        }
    };
    if let Some(message) = signals.diverged {
        // train::Run's message starts "diverged at step …": make it the sentence.
        let mut chars = message.chars();
        let sentence: String = chars
            .next()
            .map(|c| c.to_ascii_uppercase())
            .into_iter()
            .chain(chars)
            .collect();
        return vec![fail(FailureKind::Diverged, format!("{sentence}."))];
    }
    let mut failures = Vec::new();
    let shares = HeldoutShares::of(signals.heldout);
    let percent = |share: f64| format!("{:.1} %", 100.0 * share);
    let mixed = (MIXED_TRUTH.0..=MIXED_TRUTH.1).contains(&shares.truth);
    if mixed && shares.predicted >= ALL_OBJECT_AT {
        let what = format!(
            "Collapsed to all object: {} of held-out pixels predicted object (truth {}).",
            percent(shares.predicted),
            percent(shares.truth)
        );
        failures.push(fail(FailureKind::CollapsedToObject, what));
    }
    if mixed && shares.predicted <= ALL_BACKGROUND_AT {
        let what = format!(
            "Collapsed to all background: {} of held-out pixels predicted object (truth {}).",
            percent(shares.predicted),
            percent(shares.truth)
        );
        failures.push(fail(FailureKind::CollapsedToBackground, what));
    }
    let saturated =
        shares.saturated >= SATURATED_SHARE && shares.confidently_wrong >= CONFIDENTLY_WRONG_SHARE;
    let vanishing = signals
        .gradient_l1
        .filter(|&gradient| saturated && gradient < VANISHING_GRADIENT * shares.wrong);
    if let Some(gradient) = vanishing {
        let what = format!(
            "Saturated: {} of held-out pixels have p within 1e-4 of 0 or 1, {} confidently wrong, \
             and the gradient is {gradient:.1e} (BCE's would be about {:.1e}).",
            percent(shares.saturated),
            percent(shares.confidently_wrong),
            shares.wrong
        );
        failures.push(fail(FailureKind::Saturated, what));
    }
    if let Some((first, last)) = flat_loss(signals.loss_curve) {
        let what = format!(
            "Did not learn: the training loss went from {first:.4} (first tenth of the steps) to \
             {last:.4} (last tenth)."
        );
        failures.push(fail(FailureKind::NoLearning, what));
    }
    failures
}

/// Shares of the pooled held-out pixels.
struct HeldoutShares {
    truth: f64,
    predicted: f64,
    wrong: f64,
    saturated: f64,
    confidently_wrong: f64,
}

impl HeldoutShares {
    fn of(images: &[ImagePrediction]) -> HeldoutShares {
        let (mut n, mut truth, mut predicted, mut wrong, mut saturated, mut confident_wrong) =
            (0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
        for image in images {
            for (&p, &m) in image.probabilities.iter().zip(&image.mask) {
                let (object, said) = (m > 0.5, p >= JUDGED_AT);
                let (low, high) = (p <= SATURATED, p >= 1.0 - SATURATED);
                n += 1;
                truth += u64::from(object);
                predicted += u64::from(said);
                wrong += u64::from(object != said);
                saturated += u64::from(low || high);
                confident_wrong += u64::from((object && low) || (!object && high));
            }
        }
        let share = |count: u64| count as f64 / n.max(1) as f64;
        HeldoutShares {
            truth: share(truth),
            predicted: share(predicted),
            wrong: share(wrong),
            saturated: share(saturated),
            confidently_wrong: share(confident_wrong),
        }
    }
}

/// (first tenth's mean, last tenth's mean) when the loss stayed flat; None for fewer than 10
/// steps, a non-positive start, or a loss that fell.
fn flat_loss(curve: &[f64]) -> Option<(f64, f64)> {
    if curve.len() < 10 {
        return None;
    }
    let tenth = curve.len() / 10;
    let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len() as f64;
    let (first, last) = (mean(&curve[..tenth]), mean(&curve[curve.len() - tenth..]));
    (first > 0.0 && last >= FLAT_LOSS_RATIO * first).then_some((first, last))
}

/// How often one kind of failure happened to one loss over its seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct FailureTally {
    pub kind: FailureKind,
    /// The seeds on which it happened, in the study's seed order.
    pub seeds: Vec<u64>,
    /// Seeds run in all.
    pub of: usize,
    /// Why and what to try, from the first of those runs (the same loss gives the same text).
    pub why: String,
    pub try_next: String,
}

impl FailureTally {
    /// e.g. "collapsed to all object on 2 of 5 seeds (seeds 1, 4)".
    pub fn text(&self) -> String {
        let seeds: Vec<String> = self.seeds.iter().map(u64::to_string).collect();
        let word = if self.seeds.len() == 1 {
            "seed"
        } else {
            "seeds"
        };
        format!(
            "{} on {} of {} seeds ({word} {})",
            self.kind.label(),
            self.seeds.len(),
            self.of,
            seeds.join(", ")
        )
    }
}

/// Tallies per failure kind over one loss's runs: `runs[k]` = (seed, failures of that run).
/// Kinds that never happened are left out.
pub fn tally(runs: &[(u64, &[Failure])]) -> Vec<FailureTally> {
    FailureKind::ALL
        .iter()
        .filter_map(|&kind| {
            let mut hits = runs.iter().filter_map(|&(seed, failures)| {
                failures.iter().find(|f| f.kind == kind).map(|f| (seed, f))
            });
            let (first_seed, first) = hits.next()?;
            let mut seeds = vec![first_seed];
            seeds.extend(hits.map(|(seed, _)| seed));
            Some(FailureTally {
                kind,
                seeds,
                of: runs.len(),
                why: first.why.clone(),
                try_next: first.try_next.clone(),
            })
        })
        .collect()
}
