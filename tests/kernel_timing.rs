//! Where a W1 step's time goes inside wasm: each convolution op on the W1 layer shapes, then the
//! parts of a training step (forward, loss, backward, Adam). Not a test (it asserts nothing and
//! the test command does not run it): a benchmark that prints, run by scripts/bench.sh as
//! `cargo test --release --target wasm32-unknown-unknown --test kernel_timing -- --nocapture`.
//! Times are the fastest and the median of 15 calls after one warm-up call: this VM's step times
//! swing up to 2× within seconds, and the fastest call is the kernel's own speed.
#![cfg(target_arch = "wasm32")]

use segloss::kernels::{self, ConvGeometry};
use segloss::loss::{self, LossContext, LossSpec};
use segloss::nn::{ModelConfig, Segmenter};
use segloss::optim::{Optimizer, OptimizerConfig};
use segloss::rng::Rng;
use segloss::tensor::Tensor;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

const CALLS: usize = 15;

fn random(rng: &mut Rng, len: usize) -> Vec<f32> {
    (0..len)
        .map(|_| (rng.uniform() * 2.0 - 1.0) as f32)
        .collect()
}

/// (fastest, median) milliseconds of `samples`.
fn fastest_and_median(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    (samples[0], samples[samples.len() / 2])
}

fn time(mut call: impl FnMut()) -> (f64, f64) {
    call();
    fastest_and_median(
        (0..CALLS)
            .map(|_| {
                let started = js_sys::Date::now();
                call();
                js_sys::Date::now() - started
            })
            .collect(),
    )
}

#[wasm_bindgen_test]
fn w1_convolutions() {
    let mut rng = Rng::new(1, 0);
    console_log!(
        "kernel {} | op | fastest ms | median ms | GFLOP/s at fastest",
        kernels::KERNEL_NAME
    );
    for (name, kernel, in_channels, out_channels) in [
        ("3to32_3x3", 3, 3, 32),
        ("32to32_3x3", 3, 32, 32),
        ("32to1_1x1", 1, 32, 1),
    ] {
        let g = ConvGeometry {
            batch: 4,
            height: 128,
            width: 128,
            in_channels,
            out_channels,
            kernel,
            dilation: 1,
        };
        let input = random(&mut rng, g.input_len());
        let weight = random(&mut rng, g.weight_len());
        let bias = random(&mut rng, g.out_channels);
        let doutput = random(&mut rng, g.output_len());
        let (mut output, mut dinput) = (vec![0.0; g.output_len()], vec![0.0; g.input_len()]);
        let (mut dweight, mut dbias) = (vec![0.0; g.weight_len()], vec![0.0; g.out_channels]);
        let mflop = 2.0 * g.macs() as f64 / 1e6;
        let ops = [
            (
                "forward_relu",
                time(|| kernels::conv_forward(&g, &input, &weight, &bias, true, &mut output)),
            ),
            (
                "backward_input",
                time(|| kernels::conv_backward_input(&g, &doutput, &weight, &mut dinput)),
            ),
            (
                "backward_weight",
                time(|| {
                    kernels::conv_backward_weight(&g, &input, &doutput, &mut dweight, &mut dbias)
                }),
            ),
        ];
        for (op, (fastest, median)) in ops {
            console_log!(
                "{name} | {op} | {fastest} | {median} | {:.1}",
                mflop / fastest
            );
        }
    }
}

#[wasm_bindgen_test]
fn w1_step_parts() {
    let mut model = Segmenter::new(ModelConfig::default(), 1).unwrap();
    let sizes: Vec<usize> = model.params().iter().map(|p| p.len()).collect();
    let mut optimizer = Optimizer::new(OptimizerConfig::default(), &sizes);
    let spec: LossSpec = "0.5*bce+0.5*dice".parse().unwrap();
    let mut rng = Rng::new(2, 0);
    let images = Tensor::from_shape_simple_fn((4, 128, 128, 3), || rng.uniform() as f32);
    let targets = Tensor::from_shape_fn((4, 128, 128, 1), |(_, y, x, _)| {
        let (dy, dx) = (y as f32 - 64.0, x as f32 - 64.0);
        if dy * dy + dx * dx < 900.0 { 1.0 } else { 0.0 }
    });
    let mut parts: [Vec<f64>; 5] = Default::default();
    for _ in 0..=CALLS {
        let t0 = js_sys::Date::now();
        let forward = model.forward(images.view()).unwrap();
        let t1 = js_sys::Date::now();
        let out = loss::evaluate(
            &spec,
            forward.logits().view(),
            targets.view(),
            &LossContext::default(),
        )
        .unwrap();
        let t2 = js_sys::Date::now();
        let gradients = model.backward(&forward, out.dlogits.view()).unwrap();
        let t3 = js_sys::Date::now();
        optimizer.step(&mut model.params_mut(), &gradients.slices());
        let t4 = js_sys::Date::now();
        for (part, ms) in parts
            .iter_mut()
            .zip([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0])
        {
            part.push(ms);
        }
    }
    console_log!("W1 step part | fastest ms | median ms");
    for (name, mut samples) in ["forward", "loss", "backward", "adam", "whole step"]
        .into_iter()
        .zip(parts)
    {
        samples.remove(0); // warm-up
        let (fastest, median) = fastest_and_median(samples);
        console_log!("{name} | {fastest} | {median}");
    }
}
