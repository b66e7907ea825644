//! The whole experiment as one validated value: which data, which model, which optimizer, which
//! losses, how batches are cut and for how long. Every setting is a plain field with a default
//! and a documented range, so the share link can carry it field by field; `validate` says in
//! words what is wrong instead of letting a run fail later.

use crate::bail;
use crate::data::batch::{BatchPlan, Batches};
use crate::data::given::GivenImages;
use crate::data::{self, Dataset};
use crate::error::Result;
use crate::loss::LossSpec;
use crate::nn::ModelConfig;
use crate::optim::OptimizerConfig;

/// Where the images come from.
#[derive(Clone, Debug, PartialEq)]
pub enum DataSource {
    /// A generated demo scene (see `data::scenes`) and the seed it is drawn from.
    Demo { scene: String, seed: u64 },
    /// The user's images, as carried by a link or an experiment file.
    Given(GivenImages),
}

/// Losses compared when none are named: one of each family in the table.
pub const DEFAULT_LOSSES: [&str; 6] = [
    "bce",
    "wbce",
    "dice",
    "focal",
    "lovasz",
    "tversky(alpha=0.3,beta=0.7)",
];

/// Valid ranges, inclusive.
pub const SEED_MAX: u64 = (1 << 53) - 1; // the largest integer a JavaScript number holds exactly
pub const LOSSES_MAX: usize = 8;
pub const BATCH_SIZE_RANGE: (usize, usize) = (1, 32);
/// Patch sides other than 0 (whole images).
pub const PATCH_RANGE: (usize, usize) = (8, 512);
pub const STEPS_RANGE: (usize, usize) = (1, 100_000);

#[derive(Clone, Debug, PartialEq)]
pub struct Experiment {
    /// Default: the "blobs" demo scene drawn from seed 1.
    pub data: DataSource,
    /// Default: `ModelConfig::default()` (2 hidden layers of 32 channels, 3×3, sigmoid head).
    pub model: ModelConfig,
    /// Default: Adam with lr 0.005 (0.01 made Dice and Tversky runs swing; see docs/training.md).
    pub optimizer: OptimizerConfig,
    /// Seeds weight init and the batch sequence, 0..=SEED_MAX. Default 1.
    pub seed: u64,
    /// One run per spec, 1..=LOSSES_MAX of them. Default: DEFAULT_LOSSES.
    pub losses: Vec<LossSpec>,
    /// Crops per batch, BATCH_SIZE_RANGE. Default 4.
    pub batch_size: usize,
    /// Side of the square training crops, PATCH_RANGE and at most the smallest image side; 0 trains
    /// on whole images (which must then share one size). Default 32.
    pub patch: usize,
    /// Random flips and quarter turns of the crops. Default true.
    pub augment: bool,
    /// Training steps per run, STEPS_RANGE. Default 600.
    pub steps: usize,
}

impl Default for Experiment {
    fn default() -> Self {
        Experiment {
            data: DataSource::Demo {
                scene: "blobs".to_string(),
                seed: 1,
            },
            model: ModelConfig::default(),
            optimizer: OptimizerConfig::adam(0.005),
            seed: 1,
            losses: default_losses(),
            batch_size: 4,
            patch: 32,
            augment: true,
            steps: 600,
        }
    }
}

/// DEFAULT_LOSSES parsed.
pub fn default_losses() -> Vec<LossSpec> {
    DEFAULT_LOSSES
        .iter()
        .map(|s| s.parse().expect("default loss specs parse"))
        .collect()
}

impl Experiment {
    /// Checks every setting against its range, and the batch plan against the images.
    pub fn validate(&self) -> Result<()> {
        if self.seed > SEED_MAX {
            bail!("seed {} is too large: use 0 to {SEED_MAX}", self.seed);
        }
        if let DataSource::Demo { scene, seed } = &self.data {
            if !data::scenes().iter().any(|s| s.name == scene) {
                let names: Vec<&str> = data::scenes().iter().map(|s| s.name).collect();
                bail!(
                    "unknown demo scene \"{scene}\"; choose one of: {}",
                    names.join(", ")
                );
            }
            if *seed > SEED_MAX {
                bail!("scene seed {seed} is too large: use 0 to {SEED_MAX}");
            }
        }
        if self.losses.is_empty() || self.losses.len() > LOSSES_MAX {
            bail!(
                "{} losses given: compare 1 to {LOSSES_MAX}",
                self.losses.len()
            );
        }
        check_range("batch size", self.batch_size, BATCH_SIZE_RANGE)?;
        if self.patch != 0 {
            check_range("patch size", self.patch, PATCH_RANGE)
                .map_err(|e| crate::Error(format!("{e}, or 0 for whole images")))?;
        }
        check_range("steps", self.steps, STEPS_RANGE)?;
        self.model.validate()?;
        self.optimizer.validate()?;
        match &self.data {
            DataSource::Given(images) => {
                Batches::check(self.batch_plan(), &images.to_dataset()?.train)
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
            DataSource::Demo { scene, seed } => data::generate(scene, *seed),
            DataSource::Given(images) => images.to_dataset(),
        }
    }
}

fn check_range(name: &str, value: usize, (low, high): (usize, usize)) -> Result<()> {
    if !(low..=high).contains(&value) {
        bail!("{name} {value} is out of range: use {low} to {high}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Experiment::default().validate().unwrap();
        assert_eq!(default_losses().len(), 6);
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
            format!("seed {} is too large: use 0 to {SEED_MAX}", u64::MAX)
        );
        assert!(
            check(|e| e.data = DataSource::Demo {
                scene: "moon".into(),
                seed: 1
            })
            .starts_with("unknown demo scene")
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
            data: DataSource::Given(images),
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
