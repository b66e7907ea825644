//! Workload W2 (issue 17): the page's default experiment (`Experiment::default()`: the demo scene, the
//! default network, batch 4 of 32×32 crops with flips, the first default loss), one training step cut
//! into its parts, including the per-step costs around the convolutions (batch assembly, the finite
//! checks, Adam) and the held-out evaluation and snapshot the page's worker takes every `eval_every`
//! steps. Used by the wasm timing (tests/kernel_timing.rs).

use segloss::data::Dataset;
use segloss::data::batch::Batches;
use segloss::experiment::Experiment;
use segloss::kernels::ConvGeometry;
use segloss::loss::{self, LossContext, LossSpec};
use segloss::nn::Segmenter;
use segloss::optim::Optimizer;
use segloss::train::{self, Run};

/// The page trains 600 steps by default and evaluates every max(20, steps / 25) (www/js/main.js).
pub fn eval_every(experiment: &Experiment) -> usize {
    (experiment.steps as f64 / 25.0).round().max(20.0) as usize
}

/// The convolutions of the default network on one W2 batch, by name.
pub fn layers() -> Vec<(String, ConvGeometry)> {
    let experiment = Experiment::default();
    let side = experiment.patch;
    experiment
        .model
        .layer_shapes(experiment.batch_size, side, side)
        .iter()
        .map(|shape| {
            let geometry = ConvGeometry {
                batch: experiment.batch_size,
                height: side,
                width: side,
                in_channels: shape.kernel[2],
                out_channels: shape.kernel[3],
                kernel: shape.kernel[0],
                dilation: shape.dilation,
            };
            let [k, _, i, o] = shape.kernel;
            let name = format!("{i}to{o}_{k}x{k}");
            (name, geometry)
        })
        .collect()
}

/// One W2 training step in parts, as `train::Run` takes it.
pub struct PageStep {
    experiment: Experiment,
    dataset: Dataset,
    batches: Batches,
    model: Segmenter,
    optimizer: Optimizer,
    spec: LossSpec,
    context: LossContext,
    /// The same experiment as a `Run`, for the evaluation and the snapshot.
    pub run: Run,
}

impl PageStep {
    pub fn new() -> Self {
        let experiment = Experiment::default();
        let dataset = experiment.dataset().expect("the default scene draws");
        let model = Segmenter::new(experiment.model.clone(), experiment.seed).expect("valid");
        let sizes: Vec<usize> = model.params().iter().map(|p| p.len()).collect();
        PageStep {
            batches: Batches::new(experiment.seed, experiment.batch_plan()),
            optimizer: Optimizer::new(experiment.optimizer, &sizes),
            spec: experiment.losses[0].clone(),
            context: LossContext::from_masks(dataset.train.iter().map(|s| s.mask.view())),
            run: Run::new(&experiment, 0).expect("the default experiment runs"),
            model,
            dataset,
            experiment,
        }
    }

    pub fn experiment(&self) -> &Experiment {
        &self.experiment
    }

    /// FLOPs of one step as `ModelConfig::flops_per_step` counts them.
    pub fn flops(&self) -> u64 {
        let e = &self.experiment;
        e.model.flops_per_step(e.batch_size, e.patch, e.patch)
    }

    /// Takes one step; `part_done` is called with each part's name after it.
    pub fn run(&mut self, mut part_done: impl FnMut(&'static str)) -> f64 {
        let batch = self.batches.next(&self.dataset.train).expect("batch");
        part_done("batch: crops, flips, normalisation");
        let forward = self.model.forward(batch.input.view()).expect("shape");
        part_done("forward (3 convs, ReLU)");
        let out = loss::evaluate(
            &self.spec,
            forward.logits().view(),
            batch.target.view(),
            &self.context,
        )
        .expect("loss");
        part_done("loss and its gradient (f64, libm)");
        let mut dlogits = out.dlogits;
        dlogits.mapv_inplace(|g| if g.abs() < train::FLUSH_BELOW { 0.0 } else { g });
        let gradients = self
            .model
            .backward(&forward, dlogits.view())
            .expect("shape");
        part_done("backward (d-weight, d-input, ReLU mask)");
        self.optimizer
            .step(&mut self.model.params_mut(), &gradients.slices());
        part_done("Adam");
        let finite = forward.logits().iter().all(|v| v.is_finite())
            && out.value.is_finite()
            && dlogits.iter().all(|v| v.is_finite())
            && self
                .model
                .params()
                .iter()
                .all(|p| p.iter().all(|v| v.is_finite()));
        part_done("finite checks (logits, loss, gradient, weights)");
        assert!(finite);
        out.value
    }
}
