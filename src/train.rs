//! Run: one model + one loss + optimizer; step(), evaluate(), snapshot().
//!
//! Every run of an experiment starts from the same initial weights (the model is seeded by the
//! experiment's seed alone) and draws the same batch sequence (its own Rng stream), so runs differ
//! only in their loss. A run whose logits, loss, gradient or weights stop being finite stops
//! itself and keeps the reason.

use crate::data::batch::Batches;
use crate::data::image::input_tensor;
use crate::data::{Dataset, Split};
use crate::error::Result;
use crate::experiment::{DataSource, Experiment};
use crate::loss::{self, LossContext, LossSpec};
use crate::metrics::{Confusion, Metrics, ObjectCounts};
use crate::nn::{Head, ModelConfig, Segmenter};
use crate::optim::{Optimizer, OptimizerConfig};
use crate::tensor::Tensor;
use crate::{bail, data, render};
use ndarray::{Array2, Array3, Axis};
use std::sync::Arc;

/// Probability at or above which a pixel counts as object in metrics and thresholded masks.
pub const THRESHOLD: f32 = 0.5;

/// The determinism fixture: `golden_experiment()` trained for its steps gives weights whose
/// checksum is GOLDEN_CHECKSUM on every target (asserted natively in tests/train.rs and in wasm).
pub const GOLDEN_CHECKSUM: u64 = 0x7979_28a5_ea37_44e2;

/// A small, fast experiment that still exercises crops, augmentation, Adam and a two-term loss.
/// Every field is spelled out, so tuning the defaults does not move the golden checksum.
pub fn golden_experiment() -> Experiment {
    Experiment {
        data: DataSource::Demo {
            scene: "cells".to_string(),
            seed: Some(7),
        },
        model: ModelConfig {
            hidden_layers: 2,
            channels: 16,
            kernel: 3,
            dilations: vec![1, 2],
            head: Head::Sigmoid,
        },
        optimizer: OptimizerConfig::adam(0.01),
        seed: 7,
        losses: vec!["0.5*bce+0.5*dice".parse().expect("golden loss spec parses")],
        batch_size: 2,
        patch: 24,
        augment: true,
        steps: 5,
        seeds: 1,
        tune_lr: false,
    }
}

/// What `step` did.
#[derive(Clone, Debug, PartialEq)]
pub struct StepReport {
    /// Steps taken since the start of the run.
    pub step: usize,
    /// The loss of each step taken in this call, in order.
    pub values: Vec<f64>,
    /// Set once the run diverged; it takes no more steps.
    pub diverged: Option<String>,
}

/// Metrics of the images of one split at THRESHOLD.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitEvaluation {
    pub per_image: Vec<Metrics>,
    /// From the counts summed over the images.
    pub overall: Metrics,
    pub confusion: Confusion,
    /// Objects found per image (see `metrics::ObjectCounts`), and summed.
    pub per_image_objects: Vec<ObjectCounts>,
    pub objects: ObjectCounts,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub step: usize,
    pub train: SplitEvaluation,
    /// None when the dataset has no held-out images.
    pub heldout: Option<SplitEvaluation>,
}

/// One image as the run sees it now, for the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// (H, W) object probability.
    pub probabilities: Array2<f32>,
    /// (H, W) d loss / d logit of this image evaluated alone (a batch of one); for a softmax head,
    /// the gradient of the object logit (the background logit's is its negative). Zero where the
    /// logits are not finite (a diverged run).
    pub dlogits: Array2<f32>,
}

pub struct Run {
    spec: LossSpec,
    learning_rate: String,
    model: Segmenter,
    optimizer: Optimizer,
    dataset: Arc<Dataset>,
    context: LossContext,
    batches: Batches,
    steps_done: usize,
    diverged: Option<String>,
}

impl Run {
    /// Run `loss_index` of `experiment`, on images drawn or cloned from the experiment.
    pub fn new(experiment: &Experiment, loss_index: usize) -> Result<Run> {
        experiment.validate()?;
        Run::with_dataset(experiment, experiment.shared_dataset()?, loss_index)
    }

    /// Like `new`, with the experiment's images already at hand (to draw a demo scene once for
    /// all runs).
    pub fn with_dataset(
        experiment: &Experiment,
        dataset: impl Into<Arc<Dataset>>,
        loss_index: usize,
    ) -> Result<Run> {
        let dataset = dataset.into();
        experiment.validate()?;
        Batches::check(experiment.batch_plan(), &dataset.train)?;
        let Some(spec) = experiment.losses.get(loss_index) else {
            bail!(
                "loss {loss_index} does not exist: the experiment has {} losses",
                experiment.losses.len()
            );
        };
        let mut model = Segmenter::new(experiment.model.clone(), experiment.seed)?;
        let sizes: Vec<usize> = model.params_mut().iter().map(|p| p.len()).collect();
        let optimizer = Optimizer::new(experiment.optimizer, &sizes);
        let context = LossContext::from_masks(dataset.train.iter().map(|s| s.mask.view()));
        Ok(Run {
            spec: spec.clone(),
            learning_rate: learning_rate(&experiment.optimizer),
            model,
            optimizer,
            dataset,
            context,
            batches: Batches::new(experiment.seed, experiment.batch_plan()),
            steps_done: 0,
            diverged: None,
        })
    }

    pub fn loss_spec(&self) -> &LossSpec {
        &self.spec
    }

    pub fn steps_done(&self) -> usize {
        self.steps_done
    }

    pub fn diverged(&self) -> Option<&str> {
        self.diverged.as_deref()
    }

    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    pub fn model(&self) -> &Segmenter {
        &self.model
    }

    /// A hash of the weights' bits: equal checksums mean equal weights.
    pub fn checksum(&self) -> u64 {
        self.model.checksum()
    }

    /// Takes up to `n` training steps; stops early (and for good) when the run diverges.
    pub fn step(&mut self, n: usize) -> Result<StepReport> {
        let mut values = Vec::with_capacity(n);
        for _ in 0..n {
            if self.diverged.is_some() {
                break;
            }
            match self.train_step()? {
                Ok(value) => values.push(value),
                Err(what) => {
                    self.diverged = Some(format!(
                        "diverged at step {}: {what}; learning rate {} too high for {}",
                        self.steps_done + 1,
                        self.learning_rate,
                        self.spec
                    ))
                }
            }
            self.steps_done += usize::from(self.diverged.is_none());
        }
        Ok(StepReport {
            step: self.steps_done,
            values,
            diverged: self.diverged.clone(),
        })
    }

    /// One step. Outer error: a bug or bad input; inner error: what stopped being finite.
    fn train_step(&mut self) -> Result<std::result::Result<f64, &'static str>> {
        let batch = self.batches.next(&self.dataset.train)?;
        let forward = self.model.forward(batch.input.view())?;
        if !all_finite(forward.logits().iter()) {
            return Ok(Err("the logits became NaN or infinite"));
        }
        let out = loss::evaluate(
            &self.spec,
            forward.logits().view(),
            batch.target.view(),
            &self.context,
        )?;
        if !out.value.is_finite() {
            return Ok(Err("the loss became NaN or infinite"));
        }
        if !all_finite(out.dlogits.iter()) {
            return Ok(Err("the gradient became NaN or infinite"));
        }
        let mut dlogits = out.dlogits;
        flush_tiny(&mut dlogits);
        let gradients = self.model.backward(&forward, dlogits.view())?;
        self.optimizer
            .step(&mut self.model.params_mut(), &gradients.slices());
        if !self.model.params().iter().all(|p| all_finite(p.iter())) {
            return Ok(Err("the weights became NaN or infinite"));
        }
        Ok(Ok(out.value))
    }

    /// Metrics at THRESHOLD on every training and held-out image.
    pub fn evaluate(&self) -> Result<Evaluation> {
        let heldout = if self.dataset.heldout.is_empty() {
            None
        } else {
            Some(self.evaluate_split(Split::Heldout)?)
        };
        Ok(Evaluation {
            step: self.steps_done,
            train: self.evaluate_split(Split::Train)?,
            heldout,
        })
    }

    /// Metrics at THRESHOLD on every image of one split: per image, and from the summed counts.
    pub fn evaluate_split(&self, split: Split) -> Result<SplitEvaluation> {
        let (mut per_image, mut per_image_objects) = (Vec::new(), Vec::new());
        let (mut confusion, mut objects) = (Confusion::default(), ObjectCounts::default());
        for sample in self.dataset.split(split) {
            let probabilities = self.probabilities(&input_tensor(&[sample.image.view()])?)?;
            let counts =
                Confusion::from_probabilities(probabilities.view(), sample.mask.view(), THRESHOLD)?;
            let prediction = render::threshold(&probabilities, THRESHOLD);
            let found = ObjectCounts::from_masks(prediction.view(), sample.mask.view())?;
            per_image.push(counts.metrics());
            per_image_objects.push(found);
            confusion = confusion + counts;
            objects = objects + found;
        }
        Ok(SplitEvaluation {
            per_image,
            overall: confusion.metrics(),
            confusion,
            per_image_objects,
            objects,
        })
    }

    /// Probabilities and loss gradient of one image.
    pub fn snapshot(&self, split: Split, index: usize) -> Result<Snapshot> {
        let samples = self.dataset.split(split);
        let Some(sample) = samples.get(index) else {
            bail!(
                "{} image {index} does not exist ({} images)",
                split.name(),
                samples.len()
            );
        };
        let input = input_tensor(&[sample.image.view()])?;
        let forward = self.model.forward(input.view())?;
        let logits = forward.logits();
        let probabilities = foreground_probabilities(logits);
        // A diverged run's logits may not be finite; the page then shows the weights' last state
        // without a gradient.
        let dlogits = if all_finite(logits.iter()) {
            let target = data::image::target_tensor(&[sample.mask.view()])?;
            let out = loss::evaluate(&self.spec, logits.view(), target.view(), &self.context)?;
            let last = out.dlogits.shape()[3] - 1;
            out.dlogits
                .index_axis(Axis(0), 0)
                .index_axis(Axis(2), last)
                .to_owned()
        } else {
            Array2::zeros(probabilities.dim())
        };
        Ok(Snapshot {
            probabilities,
            dlogits,
        })
    }

    /// (H, W) object probability of any RGB image (H, W, 3) in [0, 1], e.g. a photograph at a larger
    /// size than the run trains at: the network is fully convolutional, so any size goes.
    pub fn predict(&self, image: &Array3<f32>) -> Result<Array2<f32>> {
        self.probabilities(&input_tensor(&[image.view()])?)
    }

    /// (H, W) object probability of a one-image input (1, H, W, 3).
    fn probabilities(&self, input: &Tensor) -> Result<Array2<f32>> {
        let forward = self.model.forward(input.view())?;
        Ok(foreground_probabilities(forward.logits()))
    }
}

/// Object probability of the first image of a batch of logits: σ(l) for a sigmoid head (C = 1),
/// σ(l_fg − l_bg) for a softmax head (C = 2), the same binary view as the losses use.
fn foreground_probabilities(logits: &Tensor) -> Array2<f32> {
    let image = logits.index_axis(Axis(0), 0);
    let (h, w, c) = image.dim();
    Array2::from_shape_fn((h, w), |(y, x)| {
        let logit = if c == 1 {
            image[(y, x, 0)] as f64
        } else {
            (image[(y, x, 1)] - image[(y, x, 0)]) as f64
        };
        loss::sigmoid(logit) as f32
    })
}

/// Gradients below this magnitude are set to 0 before backpropagation.
pub const FLUSH_BELOW: f32 = 7.888_609e-31; // 2^-100

/// Saturated pixels (|logit| ≳ 70) get gradients like 1e-35 from σ'(x) = σ(x)σ(−x); multiplied
/// through the network they turn into subnormal floats, which x86 processes 10–100× slower, natively
/// and in wasm alike (measured: Dice training slowed from 3 to 16 s per 100 steps). A gradient 2^-100
/// changes no weight, and flushing it is the same deterministic operation on every target.
fn flush_tiny(gradient: &mut Tensor) {
    gradient.mapv_inplace(|g| if g.abs() < FLUSH_BELOW { 0.0 } else { g });
}

fn all_finite<'a>(mut values: impl Iterator<Item = &'a f32>) -> bool {
    values.all(|v| v.is_finite())
}

/// The learning rate as a person writes it: 0.01, 1e30.
fn learning_rate(config: &OptimizerConfig) -> String {
    let rate = config.lr();
    if (1e-3..1e4).contains(&rate) {
        format!("{rate}")
    } else {
        format!("{rate:e}")
    }
}
