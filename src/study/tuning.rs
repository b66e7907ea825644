//! The learning-rate sweep that makes the comparison fair: each loss tries `RATES` rates around
//! the experiment's in short runs on the training images minus a validation split, is scored on
//! that validation split only (never on held-out images), and then trains at its best rate.
//!
//! Protocol, fixed so the page and the CLI sweep alike:
//! - rates: the experiment's rate × 10^(−1, −½, 0, ½, 1), rounded to 2 significant digits and
//!   kept in the learning-rate range (`rates`);
//! - validation: a quarter of the training images (at least 1; at least 2 training images are
//!   needed), drawn by a seeded shuffle from the experiment's seed (`validation_split`);
//! - each sweep run starts like repeat 0 (the experiment's seed: same initial weights and batch
//!   order for every rate and loss) and takes `tuning_steps` steps;
//! - score: pooled Dice at 0.5 on the validation images; a run that diverged scores
//!   `DIVERGED_SCORE`, below any Dice;
//! - choice: the highest score; ties go to the lower rate (`choose_rate`).
//!
//! Short runs favour rates that learn fast; that is the usual price of a sweep shorter than the
//! run it tunes, and the sweep's scores are shown so the choice can be judged.

use crate::bail;
use crate::data::{Dataset, Sample};
use crate::error::Result;
use crate::rng::Rng;
use crate::settings::LR;

/// Rates tried per loss.
pub const RATES: usize = 5;
/// Steps of a sweep run: this share of the experiment's steps …
pub const TUNING_STEP_SHARE: usize = 4;
/// … but at least this many (or all the experiment's steps when it has fewer).
pub const MIN_TUNING_STEPS: usize = 20;
/// One validation image per this many training images (at least one).
pub const VALIDATION_EVERY: usize = 4;
/// The score of a sweep run that diverged.
pub const DIVERGED_SCORE: f64 = -1.0;
/// The `rng::Rng` stream that picks the validation images ("VALI").
const VALIDATION_STREAM: u64 = 0x5641_4c49;

/// The rates a loss tries, ascending, centred on `learning_rate`.
pub fn rates(learning_rate: f32) -> [f32; RATES] {
    let (low, high) = LR.range().expect("the learning rate is a number");
    std::array::from_fn(|i| {
        let exponent = (i as f64 - (RATES / 2) as f64) / 2.0;
        let rate = f64::from(learning_rate) * libm::pow(10.0, exponent);
        // Two significant digits through text: the same f32 on every target, and readable.
        let rounded: f64 = format!("{rate:.1e}")
            .parse()
            .expect("a formatted number parses");
        rounded.clamp(low, high) as f32
    })
}

/// Steps of each sweep run of an experiment of `steps` steps.
pub fn tuning_steps(steps: usize) -> usize {
    (steps / TUNING_STEP_SHARE).max(MIN_TUNING_STEPS.min(steps))
}

/// The sweep's dataset: `train` is the training images minus the validation images, `heldout`
/// the validation images (so `train::Run` scores them as its held-out split). The experiment's
/// held-out images are left out entirely.
pub fn validation_split(dataset: &Dataset, seed: u64) -> Result<Dataset> {
    let n = dataset.train.len();
    if n < 2 {
        bail!(
            "tuning the learning rate needs at least 2 training images (one is kept aside for \
             validation); there is {n}"
        );
    }
    let count = (n / VALIDATION_EVERY).max(1);
    // A partial Fisher–Yates shuffle: the first `count` positions are the validation images.
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = Rng::new(seed, VALIDATION_STREAM);
    for i in 0..count {
        let j = i + rng.below(n - i);
        order.swap(i, j);
    }
    let mut validation = vec![false; n];
    for &i in &order[..count] {
        validation[i] = true;
    }
    let pick = |keep: bool| -> Vec<Sample> {
        (0..n)
            .filter(|&i| validation[i] == keep)
            .map(|i| dataset.train[i].clone())
            .collect()
    };
    Dataset::new(dataset.name.clone(), pick(false), pick(true))
}

/// The index of the rate to train at: the highest score, ties to the lower rate.
///
/// # Shapes
/// `scores`: (RATES,) in the order of `rates`.
pub fn choose_rate(scores: &[f64]) -> usize {
    let mut best = 0;
    for (i, &score) in scores.iter().enumerate() {
        if score > scores[best] {
            best = i;
        }
    }
    best
}

/// One loss's sweep: the rates tried, their validation scores and the chosen one.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    pub loss_index: usize,
    pub rates: [f32; RATES],
    pub scores: [f64; RATES],
    pub chosen: usize,
}

impl Sweep {
    pub fn new(loss_index: usize, rates: [f32; RATES], scores: [f64; RATES]) -> Sweep {
        Sweep {
            loss_index,
            rates,
            scores,
            chosen: choose_rate(&scores),
        }
    }

    pub fn chosen_rate(&self) -> f32 {
        self.rates[self.chosen]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data;

    #[test]
    fn rates_are_log_spaced_round_and_in_range() {
        assert_eq!(rates(0.005), [0.0005, 0.0016, 0.005, 0.016, 0.05]);
        assert_eq!(rates(0.01), [0.001, 0.0032, 0.01, 0.032, 0.1]);
        assert_eq!(rates(5.0), [0.5, 1.6, 5.0, 10.0, 10.0]);
        assert_eq!(rates(1e-5)[0], 1e-5);
    }

    #[test]
    fn sweeps_are_short() {
        assert_eq!(tuning_steps(600), 150);
        assert_eq!(tuning_steps(40), 20);
        assert_eq!(tuning_steps(7), 7);
    }

    #[test]
    fn validation_is_a_seeded_quarter_of_the_training_images() {
        let dataset = data::generate("blobs", 1).unwrap();
        let split = validation_split(&dataset, 1).unwrap();
        assert_eq!((split.train.len(), split.heldout.len()), (6, 2));
        assert_eq!(split, validation_split(&dataset, 1).unwrap());
        assert_ne!(
            split.heldout,
            validation_split(&dataset, 2).unwrap().heldout
        );
        for image in split.train.iter().chain(&split.heldout) {
            assert!(dataset.train.contains(image));
            assert!(!dataset.heldout.contains(image));
        }
        let one = Dataset::new("one", dataset.train[..1].to_vec(), vec![]).unwrap();
        let err = validation_split(&one, 1).unwrap_err().0;
        assert!(err.contains("at least 2 training images"), "{err}");
    }

    #[test]
    fn the_best_score_wins_and_ties_go_to_the_lower_rate() {
        assert_eq!(choose_rate(&[0.5, 0.8, 0.8, 0.1, DIVERGED_SCORE]), 1);
        assert_eq!(choose_rate(&[DIVERGED_SCORE; RATES]), 0);
        assert_eq!(choose_rate(&[0.1, 0.2, 0.3, 0.4, 0.9]), 4);
    }
}
