//! One run of a study as the page's workers and the CLI drive it: a `train::Run` with its
//! place in the study (loss, repeat, rate), its step budget, and the history the evidence needs.
//! The held-out Dice curve is taken at fixed steps (`curve_steps`), however the caller slices
//! `step`, so every seed of a loss has its points at the same steps (the band over seeds).

use super::record::{RunHistory, run_record};
use super::repeat::repeat_experiment;
use super::tuning::{DIVERGED_SCORE, rates, tuning_steps, validation_split};
use crate::data::Split;
use crate::error::Result;
use crate::evidence::{RunMetrics, RunRecord, evaluate_run};
use crate::experiment::Experiment;
use crate::train::{Run, StepReport};

/// Points of the held-out Dice curve besides step 0.
pub const CURVE_POINTS: usize = 20;

/// The steps at which a run of `total` steps scores its held-out images: 0, then every
/// ⌈total / CURVE_POINTS⌉ steps, and the last step.
pub fn curve_steps(total: usize) -> Vec<usize> {
    let every = total.div_ceil(CURVE_POINTS).max(1);
    let mut steps: Vec<usize> = (0..total).step_by(every).collect();
    steps.push(total);
    steps
}

/// What a trial is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Repeat `seed_index` of a loss, scored on the held-out images.
    Study { seed_index: usize },
    /// Rate `rate_index` of a loss's sweep, scored on the validation images.
    Tuning { rate_index: usize },
}

pub struct Trial {
    run: Run,
    purpose: Purpose,
    total_steps: usize,
    /// Steps at which to score the held-out images; empty for tuning trials.
    curve_at: Vec<usize>,
    history: RunHistory,
}

impl Trial {
    /// Repeat `seed_index` of loss `loss_index`, at `learning_rate` (a tuned rate) or the
    /// experiment's. Repeat 0 at the experiment's rate is `train::Run::new(experiment, loss_index)`.
    pub fn study(
        experiment: &Experiment,
        loss_index: usize,
        seed_index: usize,
        learning_rate: Option<f32>,
    ) -> Result<Trial> {
        let repeat = repeat_experiment(experiment, seed_index, learning_rate);
        let run = Run::new(&repeat, loss_index)?;
        let mut trial = Trial::new(
            run,
            Purpose::Study { seed_index },
            experiment.steps,
            &repeat,
            loss_index,
        );
        trial.curve_at = curve_steps(experiment.steps);
        trial.record_curve()?;
        Ok(trial)
    }

    /// Rate `rate_index` of loss `loss_index`'s sweep (see `tuning`): repeat 0's start, the
    /// training images minus the validation images, `tuning_steps` steps.
    pub fn tuning(experiment: &Experiment, loss_index: usize, rate_index: usize) -> Result<Trial> {
        let rate = rates(experiment.optimizer.lr())
            .get(rate_index)
            .copied()
            .ok_or_else(|| {
                crate::Error(format!("rate {rate_index} does not exist in the sweep"))
            })?;
        let repeat = repeat_experiment(experiment, 0, Some(rate));
        let dataset = validation_split(&experiment.dataset()?, experiment.seed)?;
        let run = Run::with_dataset(&repeat, dataset, loss_index)?;
        Ok(Trial::new(
            run,
            Purpose::Tuning { rate_index },
            tuning_steps(experiment.steps),
            &repeat,
            loss_index,
        ))
    }

    fn new(
        run: Run,
        purpose: Purpose,
        total_steps: usize,
        repeat: &Experiment,
        loss_index: usize,
    ) -> Trial {
        Trial {
            run,
            purpose,
            total_steps,
            curve_at: Vec::new(),
            history: RunHistory {
                loss_index,
                seed: repeat.seed,
                learning_rate: rate_f64(repeat.optimizer.lr()),
                loss_curve: Vec::new(),
                heldout_dice_curve: Vec::new(),
            },
        }
    }

    pub fn run(&self) -> &Run {
        &self.run
    }

    pub fn purpose(&self) -> Purpose {
        self.purpose
    }

    pub fn loss_index(&self) -> usize {
        self.history.loss_index
    }

    /// The seed this trial trains with (`repeat_seed`).
    pub fn seed(&self) -> u64 {
        self.history.seed
    }

    /// The learning rate it trains at, as a person writes it (0.005, not 0.004999999888).
    pub fn learning_rate(&self) -> f64 {
        self.history.learning_rate
    }

    pub fn total_steps(&self) -> usize {
        self.total_steps
    }

    /// Trained all its steps, or diverged.
    pub fn finished(&self) -> bool {
        self.run.steps_done() >= self.total_steps || self.run.diverged().is_some()
    }

    /// Training loss per step so far.
    pub fn loss_curve(&self) -> &[f64] {
        &self.history.loss_curve
    }

    /// (step, pooled held-out Dice at 0.5) so far; empty for tuning trials.
    pub fn heldout_dice_curve(&self) -> &[(usize, f64)] {
        &self.history.heldout_dice_curve
    }

    /// Takes up to `n` steps, never past the trial's budget; the report covers all of them.
    pub fn step(&mut self, n: usize) -> Result<StepReport> {
        let mut left = n.min(self.total_steps - self.run.steps_done().min(self.total_steps));
        let mut values = Vec::with_capacity(left);
        while left > 0 && self.run.diverged().is_none() {
            let done = self.run.steps_done();
            let next_point = self.curve_at.iter().find(|&&s| s > done).copied();
            let take = next_point.map_or(left, |s| left.min(s - done));
            let report = self.run.step(take)?;
            values.extend_from_slice(&report.values);
            self.history.loss_curve.extend_from_slice(&report.values);
            left -= take;
            self.record_curve()?;
        }
        Ok(StepReport {
            step: self.run.steps_done(),
            values,
            diverged: self.run.diverged().map(str::to_string),
        })
    }

    /// Scores the held-out images when the run stands at a curve step not yet scored.
    fn record_curve(&mut self) -> Result<()> {
        let step = self.run.steps_done();
        let due = self.curve_at.contains(&step) && self.run.diverged().is_none();
        let scored = self.history.heldout_dice_curve.last().map(|&(s, _)| s) == Some(step);
        if due && !scored && !self.run.dataset().heldout.is_empty() {
            let dice = self.run.evaluate_split(Split::Heldout)?.overall.dice;
            self.history.heldout_dice_curve.push((step, dice));
        }
        Ok(())
    }

    /// The evidence of a finished study trial.
    pub fn record(&self) -> Result<RunRecord> {
        run_record(&self.run, self.history.clone())
    }

    /// Every per-run number of a finished study trial (`evidence::evaluate_run`).
    pub fn metrics(&self) -> Result<RunMetrics> {
        evaluate_run(&self.record()?)
    }

    /// A finished tuning trial's score: pooled Dice at 0.5 on the validation images, or
    /// `DIVERGED_SCORE`.
    pub fn validation_score(&self) -> Result<f64> {
        if self.run.diverged().is_some() {
            return Ok(DIVERGED_SCORE);
        }
        Ok(self.run.evaluate_split(Split::Heldout)?.overall.dice)
    }
}

/// An f32 rate as the f64 a person wrote (through its shortest text), for messages and tables.
pub fn rate_f64(rate: f32) -> f64 {
    rate.to_string().parse().expect("a formatted number parses")
}
