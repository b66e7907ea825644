//! Workload W1 (DESIGN.md, issue 4): batch 4 × 128×128 RGB, network 3→32→32→1 with 3×3 kernels,
//! Adam, loss 0.5·bce + 0.5·dice. Each kernel op on the W1 layer shapes, then a full training
//! step. Throughput is in FLOPs (2 per multiply-add, padding taps counted), so criterion's
//! "elem/s" reads as FLOP/s.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use segloss::kernels::{self, ConvGeometry};
use segloss::loss::{self, LossContext, LossSpec};
use segloss::nn::{ModelConfig, Segmenter};
use segloss::optim::{Optimizer, OptimizerConfig};
use segloss::rng::Rng;
use segloss::tensor::Tensor;
use std::hint::black_box;
use std::time::Instant;

const BATCH: usize = 4;
const SIZE: usize = 128;

fn random(rng: &mut Rng, len: usize) -> Vec<f32> {
    (0..len)
        .map(|_| (rng.uniform() * 2.0 - 1.0) as f32)
        .collect()
}

fn w1_layer(
    name: &'static str,
    kernel: usize,
    in_channels: usize,
    out_channels: usize,
) -> (&'static str, ConvGeometry) {
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
}

fn kernel_ops(c: &mut Criterion) {
    let mut rng = Rng::new(1, 0);
    let layers = [
        w1_layer("3to32_3x3", 3, 3, 32),
        w1_layer("32to32_3x3", 3, 32, 32),
        w1_layer("32to1_1x1", 1, 32, 1),
    ];
    let mut group = c.benchmark_group(format!("kernels {} W1", kernels::KERNEL_NAME));
    group.sample_size(10);
    for (name, g) in layers {
        let input = random(&mut rng, g.input_len());
        let weight = random(&mut rng, g.weight_len());
        let bias = random(&mut rng, g.out_channels);
        let doutput = random(&mut rng, g.output_len());
        let (mut output, mut dinput) = (vec![0.0; g.output_len()], vec![0.0; g.input_len()]);
        let (mut dweight, mut dbias) = (vec![0.0; g.weight_len()], vec![0.0; g.out_channels]);
        group.throughput(Throughput::Elements(2 * g.macs()));
        group.bench_function(format!("forward_relu/{name}"), |b| {
            b.iter(|| {
                kernels::conv_forward(&g, &input, &weight, &bias, true, black_box(&mut output))
            })
        });
        group.bench_function(format!("backward_input/{name}"), |b| {
            b.iter(|| kernels::conv_backward_input(&g, &doutput, &weight, black_box(&mut dinput)))
        });
        group.bench_function(format!("backward_weight/{name}"), |b| {
            b.iter(|| {
                kernels::conv_backward_weight(
                    &g,
                    &input,
                    &doutput,
                    black_box(&mut dweight),
                    &mut dbias,
                )
            })
        });
    }
    group.finish();
}

/// One W1 training step: forward, loss, backward, Adam.
struct TrainingStep {
    model: Segmenter,
    optimizer: Optimizer,
    spec: LossSpec,
    images: Tensor,  // (4, 128, 128, 3)
    targets: Tensor, // (4, 128, 128, 1)
}

impl TrainingStep {
    fn new() -> Self {
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
            optimizer: Optimizer::new(OptimizerConfig::default(), &sizes),
            model,
            spec: "0.5*bce+0.5*dice".parse().expect("valid spec"),
            images,
            targets,
        }
    }

    fn run(&mut self) -> f64 {
        let forward = self
            .model
            .forward(self.images.view())
            .expect("W1 input shape");
        let loss = loss::evaluate(
            &self.spec,
            forward.logits().view(),
            self.targets.view(),
            &LossContext::default(),
        )
        .expect("finite logits");
        let gradients = self
            .model
            .backward(&forward, loss.dlogits.view())
            .expect("dlogits shape");
        self.optimizer
            .step(&mut self.model.params_mut(), &gradients.slices());
        loss.value
    }
}

fn training_step(c: &mut Criterion) {
    let flops = ModelConfig::default().flops_per_step(BATCH, SIZE, SIZE);
    let mut step = TrainingStep::new();
    let steps = 5;
    let start = Instant::now();
    for _ in 0..steps {
        black_box(step.run());
    }
    let seconds = start.elapsed().as_secs_f64() / steps as f64;
    println!(
        "W1 training step ({}): {:.1} ms, {:.2} GFLOP/s ({:.2} GFLOP per step)",
        kernels::KERNEL_NAME,
        seconds * 1e3,
        flops as f64 / seconds / 1e9,
        flops as f64 / 1e9
    );
    let mut group = c.benchmark_group(format!("training {} W1", kernels::KERNEL_NAME));
    group.sample_size(10);
    group.throughput(Throughput::Elements(flops));
    group.bench_function("step_adam_0.5bce+0.5dice", |b| {
        b.iter(|| black_box(step.run()))
    });
    group.finish();
}

criterion_group!(benches, kernel_ops, training_step);
criterion_main!(benches);
