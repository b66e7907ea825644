//! The whole experiment as one validated value: which data, which model, which optimizer, which
//! losses, how batches are cut and for how long. Defaults and ranges live in `settings` (the one
//! table links, the CLI and the page read); `validate` says in words what is wrong instead of letting
//! a run fail later.

use crate::bail;
use crate::data::batch::{BatchPlan, Batches};
use crate::data::given::GivenImages;
use crate::data::{self, Dataset};
use crate::error::Result;
use crate::loss::LossSpec;
use crate::nn::{Head, ModelConfig};
use crate::optim::OptimizerConfig;
use crate::settings::{self, Access};
use std::cell::RefCell;
use std::sync::{Arc, Weak};

/// Where the images come from.
#[derive(Clone, Debug, PartialEq)]
pub enum DataSource {
    /// A generated demo scene (see `data::scenes`) drawn from its own seed, or from the
    /// experiment's seed when that is None.
    Demo { scene: String, seed: Option<u64> },
    /// The user's images, as carried by a link or an experiment file (shared: a page holds the
    /// same images in several experiments at once).
    Given(Arc<GivenImages>),
}

/// Every field's default and range is in `settings` (one table for links, the CLI and the page).
#[derive(Clone, Debug, PartialEq)]
pub struct Experiment {
    pub data: DataSource,
    pub model: ModelConfig,
    pub optimizer: OptimizerConfig,
    /// Seeds weight init and the batch sequence.
    pub seed: u64,
    /// One run per spec and seed.
    pub losses: Vec<LossSpec>,
    /// Crops per batch.
    pub batch_size: usize,
    /// Side of the square training crops, at most the smallest image side; 0 trains on whole
    /// images (which must then share one size).
    pub patch: usize,
    /// Random flips and quarter turns of the crops.
    pub augment: bool,
    /// Training steps per run.
    pub steps: usize,
    /// Runs per loss, one per seed (`study::repeat_seed`), on the same images.
    pub seeds: usize,
    /// Tune each loss's learning rate on validation images before its runs (`study::tuning`).
    pub tune_lr: bool,
}

impl Default for Experiment {
    /// Every setting at its default from the table.
    fn default() -> Self {
        let mut experiment = Experiment {
            data: DataSource::Demo {
                scene: String::new(),
                seed: None,
            },
            model: ModelConfig {
                hidden_layers: 0,
                channels: 0,
                kernel: 0,
                dilations: Vec::new(),
                head: Head::Sigmoid,
            },
            optimizer: OptimizerConfig::adam(0.0),
            seed: 0,
            losses: Vec::new(),
            batch_size: 0,
            patch: 0,
            augment: false,
            steps: 0,
            seeds: 0,
            tune_lr: false,
        };
        let mut notes = Vec::new();
        for setting in settings::SETTINGS {
            if let Access::Experiment { set, .. } = setting.access {
                set(&mut experiment, setting.default_value(), &mut notes)
                    .expect("every default applies (tested in settings::tests)");
            }
        }
        experiment
    }
}

impl Experiment {
    /// Checks every setting against its range, and the batch plan against the images.
    pub fn validate(&self) -> Result<()> {
        settings::SEED.check_int(self.seed)?;
        if let DataSource::Demo { scene, seed } = &self.data {
            if !data::scenes().iter().any(|s| s.name == scene) {
                let names: Vec<&str> = data::scenes().iter().map(|s| s.name).collect();
                bail!(
                    "unknown demo scene {}; choose {}",
                    settings::quote(scene),
                    settings::or_list(&names)
                );
            }
            if let Some(seed) = seed {
                settings::SCENE_SEED.check_int(*seed)?;
            }
        }
        if self.losses.is_empty() || self.losses.len() > settings::MAX_LOSSES {
            bail!(
                "{} losses given: compare 1 to {}",
                self.losses.len(),
                settings::MAX_LOSSES
            );
        }
        settings::BATCH.check_int(self.batch_size as u64)?;
        settings::PATCH.check_int(self.patch as u64)?;
        settings::STEPS.check_int(self.steps as u64)?;
        settings::SEEDS.check_int(self.seeds as u64)?;
        settings::LR.check_float(self.optimizer.lr())?;
        self.model.validate()?;
        self.optimizer.validate()?;
        match &self.data {
            DataSource::Given(images) => {
                Batches::check_sizes(self.batch_plan(), &images.training_sizes())
            }
            // Demo images are all 96 × 96: check without drawing them.
            DataSource::Demo { .. } => {
                if self.patch > data::DEMO_SIZE {
                    bail!(
                        "patch size {} exceeds the {size}×{size} demo images; choose at most {size}",
                        self.patch,
                        size = data::DEMO_SIZE
                    );
                }
                Ok(())
            }
        }
    }

    pub fn batch_plan(&self) -> BatchPlan {
        BatchPlan {
            batch_size: self.batch_size,
            patch: self.patch,
            augment: self.augment,
        }
    }

    /// (N, H, W) of one training batch: crops of `patch`, or whole images.
    pub fn batch_shape(&self) -> (usize, usize, usize) {
        let (h, w) = match (&self.data, self.patch) {
            (_, patch) if patch > 0 => (patch, patch),
            (DataSource::Demo { .. }, _) => (data::DEMO_SIZE, data::DEMO_SIZE),
            (DataSource::Given(images), _) => images
                .images
                .iter()
                .find(|i| !i.heldout)
                .map_or((0, 0), |i| (i.height, i.width)),
        };
        (self.batch_size, h, w)
    }

    /// The images: drawn for a demo scene, cloned when given.
    pub fn dataset(&self) -> Result<Dataset> {
        match &self.data {
            DataSource::Demo { scene, seed } => data::generate(scene, seed.unwrap_or(self.seed)),
            DataSource::Given(images) => images.to_dataset(),
        }
    }

    /// `dataset()`, shared with every other holder on this thread of the same images' dataset: a
    /// page worker hosting several runs of 256 images keeps one copy of their tensors, not one
    /// per run.
    pub fn shared_dataset(&self) -> Result<Arc<Dataset>> {
        thread_local! {
            static LAST: RefCell<Option<(DataSource, Weak<Dataset>)>> = const { RefCell::new(None) };
        }
        let held = LAST.with_borrow(|last| {
            let (data, dataset) = last.as_ref()?;
            (*data == self.data).then(|| dataset.upgrade())?
        });
        if let Some(dataset) = held {
            return Ok(dataset);
        }
        let dataset = Arc::new(self.dataset()?);
        LAST.set(Some((self.data.clone(), Arc::downgrade(&dataset))));
        Ok(dataset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        let experiment = Experiment::default();
        experiment.validate().unwrap();
        assert_eq!(
            experiment.losses.len(),
            settings::LOSSES.default.split(';').count()
        );
    }

    #[test]
    fn out_of_range_settings_are_named() {
        let check = |edit: fn(&mut Experiment)| {
            let mut experiment = Experiment::default();
            edit(&mut experiment);
            experiment.validate().unwrap_err().0
        };
        assert_eq!(
            check(|e| e.batch_size = 0),
            "batch size 0 is out of range: use 1 to 32"
        );
        assert_eq!(
            check(|e| e.steps = 0),
            "steps 0 is out of range: use 1 to 100000"
        );
        assert_eq!(
            check(|e| e.patch = 4),
            "patch size 4 is out of range: use 8 to 512, or 0 for whole images"
        );
        assert_eq!(
            check(|e| e.patch = 128),
            "patch size 128 exceeds the 96×96 demo images; choose at most 96"
        );
        assert_eq!(
            check(|e| e.losses.clear()),
            "0 losses given: compare 1 to 8"
        );
        assert_eq!(
            check(|e| e.seed = u64::MAX),
            "seed 1.8446744073709552e19 is out of range: use 0 to 9007199254740991"
        );
        assert!(
            check(|e| e.data = DataSource::Demo {
                scene: "moon".into(),
                seed: None
            })
            .starts_with("unknown demo scene \"moon\"")
        );
    }

    #[test]
    fn given_datasets_are_checked_against_the_batch_plan() {
        let small = data::given::GivenImage {
            width: 30,
            height: 20,
            rgb: vec![0; 20 * 30 * 3],
            mask: vec![0; 20 * 30],
            heldout: false,
        };
        let images = GivenImages::new(vec![small]).unwrap();
        let experiment = Experiment {
            data: DataSource::Given(images.into()),
            patch: 24,
            ..Experiment::default()
        };
        assert_eq!(
            experiment.validate().unwrap_err().0,
            "patch size 24 exceeds a 20×30 training image; choose at most 20"
        );
        let fitting = Experiment {
            patch: 16,
            ..experiment
        };
        fitting.validate().unwrap();
        assert_eq!(fitting.dataset().unwrap().name, data::given::DATASET_NAME);
    }
}
