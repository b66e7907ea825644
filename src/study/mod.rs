//! A study: every loss of an experiment trained once per seed (paired repeats), optionally at its
//! own learning rate chosen by a short sweep on validation images, then summarized into
//! statistics, a verdict and the metrics CSV. The page's workers and `segloss run` call the same
//! functions, so the same link gives the same runs, checksums and verdict.
//!
//! # API (for the page binding and the CLI)
//!
//! 1. Settings: `experiment.seeds` (link key `seeds`, 1–10, default 3) and `experiment.tune_lr`
//!    (link key `tune`, default off) come from the settings table like every other setting.
//! 2. When `tune_lr`: for every loss `i` and rate `r` in `0..tuning::RATES`, build
//!    `Trial::tuning(&experiment, i, r)`, `step` it until `finished()`, read
//!    `validation_score()`. Then `Sweep::new(i, tuning::rates(experiment.optimizer.lr()),
//!    scores)` picks the rate (`sweep.chosen_rate()`). Sweeps of different losses are
//!    independent; a loss's study trials need its sweep.
//! 3. For every loss `i` and repeat `k` in `0..experiment.seeds`, build
//!    `Trial::study(&experiment, i, k, rate)` with `rate = Some(sweep.chosen_rate())` when
//!    tuned, else None; `step` it until `finished()` (slice as you like: the held-out Dice curve
//!    is taken at fixed steps); `trial.run()` gives the checksum and snapshots;
//!    `trial.metrics()` gives the `evidence::RunMetrics` of the run.
//! 4. `conclude(&experiment, &all_metrics, &sweeps)` (sweeps empty when not tuned) gives the
//!    `evidence::Study`, the verdict lines and the CSV text.
//!
//! `trials(&experiment)` lists every trial in one fixed order (sweeps first); every result is
//! independent of the order in which trials are run or finish.
//!
//! Repeat k trains with seed `repeat_seed(seed, k)` = seed + k: initial weights and batch order
//! are shared by every loss's repeat k; the images (demo scene, held-out split) never change
//! across repeats. Repeat 0 at the experiment's rate is bit for bit `train::Run::new`, so earlier
//! checksums stand.
//!
//! The Dice-collapse scene: `COLLAPSE_LINK` trains `bce` and `dice` on the `nuclei` scene at the
//! default learning rate; soft Dice calls every pixel object (precision = the object share,
//! recall 1) and the study names it ("collapsed to all object", with why and what to try),
//! while BCE learns (tests/study.rs).
//!
//! | file | what |
//! |---|---|
//! | repeat | the seed of repeat k; the experiment of one run |
//! | tuning | the learning-rate sweep: rates, steps, validation split, choice |
//! | trial | one run of a study or a sweep, stepped, with its history |
//! | record | a finished run as an `evidence::RunRecord` |
//! | conclusion | statistics, verdict and CSV from every run's metrics |

pub mod conclusion;
pub mod record;
pub mod repeat;
pub mod trial;
pub mod tuning;

pub use conclusion::{Conclusion, HEADLINE, METHOD, conclude};
pub use record::{RunHistory, run_record};
pub use repeat::{repeat_experiment, repeat_seed, repeat_seeds};
pub use trial::{CURVE_POINTS, Purpose, Trial, curve_steps, rate_f64};
pub use tuning::{RATES, Sweep, choose_rate, rates, tuning_steps, validation_split};

use crate::experiment::Experiment;

/// The link (fragment) of the Dice-collapse scene: many small dim nuclei, about 18 % object.
pub const COLLAPSE_LINK: &str = "v=1&demo=nuclei&seed=1&losses=bce;dice&steps=300&seeds=1";

/// Every trial of a study, in the order a single worker would run them: each loss's sweep (when
/// tuning), then repeat by repeat, loss by loss.
pub fn trials(experiment: &Experiment) -> Vec<(usize, Purpose)> {
    let losses = 0..experiment.losses.len();
    let mut all = Vec::new();
    if experiment.tune_lr {
        for i in losses.clone() {
            all.extend((0..RATES).map(|rate_index| (i, Purpose::Tuning { rate_index })));
        }
    }
    for seed_index in 0..experiment.seeds {
        all.extend(losses.clone().map(|i| (i, Purpose::Study { seed_index })));
    }
    all
}
