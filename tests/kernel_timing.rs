//! Where a W1 step's time goes inside wasm: each convolution op on the W1 layer shapes, then the
//! parts of a training step (forward, loss, backward, Adam), on the same data as the native criterion
//! benches (benches/w1). Not a test (it asserts nothing and the test command does not run it): a
//! benchmark that prints, run by scripts/bench.sh as
//! `cargo test --release --target wasm32-unknown-unknown --test kernel_timing -- --nocapture`.
//! Times are the fastest and the median of 15 calls after one warm-up call: this VM's step times
//! swing up to 2× within seconds, and the fastest call is the kernel's own speed.
#![cfg(target_arch = "wasm32")]

#[path = "../benches/w1/mod.rs"]
mod w1;

use segloss::kernels;
use segloss::rng::Rng;
use w1::{ConvOperands, TrainingStep};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

const CALLS: usize = 15;

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
    for (name, geometry) in w1::layers() {
        let mut operands = ConvOperands::random(geometry, &mut rng);
        let mflop = operands.flops() as f64 / 1e6;
        let ops = [
            ("forward_relu", time(|| operands.forward_relu())),
            ("backward_input", time(|| operands.backward_input())),
            ("backward_weight", time(|| operands.backward_weight())),
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
    let mut step = TrainingStep::new();
    let mut parts: Vec<(&str, Vec<f64>)> = Vec::new();
    for call in 0..=CALLS {
        let started = js_sys::Date::now();
        let mut last = started;
        let mut durations = Vec::new();
        step.run(|part| {
            let now = js_sys::Date::now();
            durations.push((part, now - last));
            last = now;
        });
        durations.push(("whole step", last - started));
        if call == 0 {
            continue; // warm-up
        }
        if parts.is_empty() {
            parts = durations
                .iter()
                .map(|&(name, _)| (name, Vec::new()))
                .collect();
        }
        for ((_, samples), (_, ms)) in parts.iter_mut().zip(durations) {
            samples.push(ms);
        }
    }
    console_log!("W1 step part | fastest ms | median ms");
    let mut whole_fastest = f64::NAN;
    for (name, samples) in parts {
        let (fastest, median) = fastest_and_median(samples);
        console_log!("{name} | {fastest} | {median}");
        if name == "whole step" {
            whole_fastest = fastest;
        }
    }
    let gflops = TrainingStep::flops() as f64 / 1e6 / whole_fastest;
    console_log!("whole step at fastest | {gflops:.1} GFLOP/s");
}
