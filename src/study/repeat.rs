//! Repeats over seeds. Repeat k of every loss trains with the seed `repeat_seed(seed, k)`: the
//! same initial weights and the same batch sequence for every loss (paired), while the images
//! stay those of the experiment (a demo scene that follows the seed is pinned to the experiment's
//! seed, so repeats never redraw it). Repeat 0 is the experiment itself: its run is bit for bit
//! the single run of `train::Run::new`.

use crate::experiment::{DataSource, Experiment};
use crate::optim::OptimizerConfig;
use crate::settings::SEED_MAX;

/// The seed of repeat `k` (0-based): seed, seed + 1, … wrapping within the seed's range.
pub fn repeat_seed(seed: u64, k: usize) -> u64 {
    (seed + k as u64) % (SEED_MAX + 1)
}

/// The seeds of every repeat of `experiment`, in repeat order.
pub fn repeat_seeds(experiment: &Experiment) -> Vec<u64> {
    (0..experiment.seeds)
        .map(|k| repeat_seed(experiment.seed, k))
        .collect()
}

/// The experiment of one run: repeat `k`'s seed, the experiment's images, and `learning_rate`
/// where given (a tuned rate). Every other setting is the experiment's.
pub fn repeat_experiment(
    experiment: &Experiment,
    k: usize,
    learning_rate: Option<f32>,
) -> Experiment {
    let data = match &experiment.data {
        DataSource::Demo { scene, seed } => DataSource::Demo {
            scene: scene.clone(),
            seed: Some(seed.unwrap_or(experiment.seed)),
        },
        given => given.clone(),
    };
    let mut optimizer = experiment.optimizer;
    if let Some(rate) = learning_rate {
        match &mut optimizer {
            OptimizerConfig::Adam { lr, .. } | OptimizerConfig::Sgd { lr, .. } => *lr = rate,
        }
    }
    Experiment {
        data,
        optimizer,
        seed: repeat_seed(experiment.seed, k),
        ..experiment.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_count_up_from_the_seed_and_wrap() {
        assert_eq!(repeat_seed(7, 0), 7);
        assert_eq!(repeat_seed(7, 2), 9);
        assert_eq!(repeat_seed(SEED_MAX, 1), 0);
        let experiment = Experiment {
            seed: 4,
            seeds: 3,
            ..Experiment::default()
        };
        assert_eq!(repeat_seeds(&experiment), [4, 5, 6]);
    }

    #[test]
    fn repeats_keep_the_images_and_change_only_the_seed_and_rate() {
        let experiment = Experiment {
            seed: 4,
            ..Experiment::default()
        };
        let second = repeat_experiment(&experiment, 1, Some(0.02));
        assert_eq!(second.seed, 5);
        assert_eq!(second.optimizer.lr(), 0.02);
        assert_eq!(second.dataset().unwrap(), experiment.dataset().unwrap());
        let first = repeat_experiment(&experiment, 0, None);
        assert_eq!(first.dataset().unwrap(), experiment.dataset().unwrap());
        assert_eq!((first.seed, first.optimizer), (4, experiment.optimizer));
    }
}
