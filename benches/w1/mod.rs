//! Workload W1 (DESIGN.md, issue 4), shared by the native criterion benches (benches/kernels.rs) and
//! the wasm timing (tests/kernel_timing.rs) so both time the same data: batch 4 × 128×128 RGB, network
//! 3→32→32→1 with 3×3 kernels, Adam, loss 0.5·bce + 0.5·dice.

use segloss::kernels::{self, ConvGeometry};
use segloss::loss::{self, LossContext, LossSpec};
use segloss::nn::{ModelConfig, Segmenter};
use segloss::optim::{Optimizer, OptimizerConfig};
use segloss::rng::Rng;
use segloss::tensor::Tensor;

const BATCH: usize = 4;
const SIZE: usize = 128;

/// The three convolutions of the W1 network, by name.
pub fn layers() -> [(&'static str, ConvGeometry); 3] {
    let layer = |name, kernel, in_channels, out_channels| {
        let geometry = ConvGeometry {
            batch: BATCH,
            height: SIZE,
            width: SIZE,
            in_channels,
            out_channels,
            kernel,
            dilation: 1,
        };
        (name, geometry)
    };
    [
        layer("3to32_3x3", 3, 3, 32),
        layer("32to32_3x3", 3, 32, 32),
        layer("32to1_1x1", 1, 32, 1),
    ]
}

/// Random operands and output buffers of one convolution's three ops.
pub struct ConvOperands {
    geometry: ConvGeometry,
    input: Vec<f32>,
    weight: Vec<f32>,
    bias: Vec<f32>,
    doutput: Vec<f32>,
    output: Vec<f32>,
    dinput: Vec<f32>,
    dweight: Vec<f32>,
    dbias: Vec<f32>,
}

fn random(rng: &mut Rng, len: usize) -> Vec<f32> {
    (0..len)
        .map(|_| (rng.uniform() * 2.0 - 1.0) as f32)
        .collect()
}

impl ConvOperands {
    pub fn random(geometry: ConvGeometry, rng: &mut Rng) -> Self {
        let g = geometry;
        ConvOperands {
            geometry: g,
            input: random(rng, g.input_len()),
            weight: random(rng, g.weight_len()),
            bias: random(rng, g.out_channels),
            doutput: random(rng, g.output_len()),
            output: vec![0.0; g.output_len()],
            dinput: vec![0.0; g.input_len()],
            dweight: vec![0.0; g.weight_len()],
            dbias: vec![0.0; g.out_channels],
        }
    }

    /// FLOPs of one op: 2 per multiply-add, padding taps counted.
    pub fn flops(&self) -> u64 {
        2 * self.geometry.macs()
    }

    pub fn forward_relu(&mut self) {
        let g = &self.geometry;
        kernels::conv_forward(
            g,
            &self.input,
            &self.weight,
            &self.bias,
            true,
            &mut self.output,
        );
    }

    pub fn backward_input(&mut self) {
        let g = &self.geometry;
        kernels::conv_backward_input(g, &self.doutput, &self.weight, &mut self.dinput);
    }

    pub fn backward_weight(&mut self) {
        let g = &self.geometry;
        kernels::conv_backward_weight(
            g,
            &self.input,
            &self.doutput,
            &mut self.dweight,
            &mut self.dbias,
        );
    }
}

/// One W1 training step: forward, loss, backward, Adam.
pub struct TrainingStep {
    model: Segmenter,
    optimizer: Optimizer,
    spec: LossSpec,
    images: Tensor,  // (4, 128, 128, 3)
    targets: Tensor, // (4, 128, 128, 1)
}

impl TrainingStep {
    pub fn new() -> Self {
        let model = Segmenter::new(ModelConfig::default(), 1).expect("default config is valid");
        let sizes: Vec<usize> = model.params().iter().map(|p| p.len()).collect();
        let mut rng = Rng::new(2, 0);
        let images = Tensor::from_shape_simple_fn((BATCH, SIZE, SIZE, 3), || rng.uniform() as f32);
        // A disc per image: a target with both classes, like a real mask.
        let targets = Tensor::from_shape_fn((BATCH, SIZE, SIZE, 1), |(_, y, x, _)| {
            let (dy, dx) = (y as f32 - 64.0, x as f32 - 64.0);
            if dy * dy + dx * dx < 900.0 { 1.0 } else { 0.0 }
        });
        TrainingStep {
            optimizer: Optimizer::new(OptimizerConfig::adam(0.01), &sizes),
            model,
            spec: "0.5*bce+0.5*dice".parse().expect("valid spec"),
            images,
            targets,
        }
    }

    /// FLOPs of one step as `ModelConfig::flops_per_step` counts them.
    pub fn flops() -> u64 {
        ModelConfig::default().flops_per_step(BATCH, SIZE, SIZE)
    }

    /// Takes one step and returns its loss; `part_done` is called with each part's name after it.
    pub fn run(&mut self, mut part_done: impl FnMut(&'static str)) -> f64 {
        let forward = self
            .model
            .forward(self.images.view())
            .expect("W1 input shape");
        part_done("forward");
        let loss = loss::evaluate(
            &self.spec,
            forward.logits().view(),
            self.targets.view(),
            &LossContext::default(),
        )
        .expect("finite logits");
        part_done("loss");
        let gradients = self
            .model
            .backward(&forward, loss.dlogits.view())
            .expect("dlogits shape");
        part_done("backward");
        self.optimizer
            .step(&mut self.model.params_mut(), &gradients.slices());
        part_done("adam");
        loss.value
    }
}
