//! Where a training step's time goes inside wasm, for W1 (4 × 128×128, benches/w1) and W2 (the page's
//! default experiment, 4 × 32×32 crops, benches/w2): each convolution op on the workload's layer
//! shapes, then the parts of a training step. Not a test (it asserts nothing and the test command does
//! not run it): a benchmark that prints, run by scripts/bench.sh as
//! `cargo test --release --target wasm32-unknown-unknown --test kernel_timing -- --nocapture`.
//! Times are the fastest and the median of `CALLS` calls after one warm-up call: this VM's step times
//! swing up to 2× within seconds, and the fastest call is the kernel's own speed.
#![cfg(target_arch = "wasm32")]

#[path = "../benches/w1/mod.rs"]
mod w1;
#[path = "../benches/w2/mod.rs"]
mod w2;

use segloss::data::Split;
use segloss::kernels::{self, ConvGeometry};
use segloss::rng::Rng;
use w1::{ConvOperands, TrainingStep};
use w2::PageStep;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

const CALLS: usize = 15;
/// W2's calls are 16× shorter than W1's; more of them give the median the same footing.
const W2_CALLS: usize = 61;

/// (fastest, median) milliseconds of `samples`.
fn fastest_and_median(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    (samples[0], samples[samples.len() / 2])
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// performance.now(): sub-millisecond, unlike Date.now(), which W2's parts need.
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

fn time(calls: usize, mut call: impl FnMut()) -> (f64, f64) {
    call();
    fastest_and_median(
        (0..calls)
            .map(|_| {
                let started = now();
                call();
                now() - started
            })
            .collect(),
    )
}

fn convolutions(workload: &str, layers: Vec<(String, ConvGeometry)>, calls: usize) {
    let mut rng = Rng::new(1, 0);
    console_log!(
        "{workload} kernel {} | op | fastest ms | median ms | GFLOP/s at fastest",
        kernels::KERNEL_NAME
    );
    for (name, geometry) in layers {
        let mut operands = ConvOperands::random(geometry, &mut rng);
        let mflop = operands.flops() as f64 / 1e6;
        let ops = [
            ("forward_relu", time(calls, || operands.forward_relu())),
            ("backward_input", time(calls, || operands.backward_input())),
            (
                "backward_weight",
                time(calls, || operands.backward_weight()),
            ),
        ];
        for (op, (fastest, median)) in ops {
            console_log!(
                "{name} | {op} | {fastest:.3} | {median:.3} | {:.1}",
                mflop / fastest
            );
        }
    }
}

/// Times `calls` steps of `step` (after one warm-up), part by part; prints fastest and median per part
/// and returns the fastest whole step.
fn step_parts(
    workload: &str,
    calls: usize,
    mut step: impl FnMut(&mut dyn FnMut(&'static str)),
) -> f64 {
    let mut parts: Vec<(&str, Vec<f64>)> = Vec::new();
    for call in 0..=calls {
        let started = now();
        let mut last = started;
        let mut durations = Vec::new();
        step(&mut |part| {
            let at = now();
            durations.push((part, at - last));
            last = at;
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
    console_log!("{workload} step part | fastest ms | median ms");
    let mut whole_fastest = f64::NAN;
    for (name, samples) in parts {
        let (fastest, median) = fastest_and_median(samples);
        console_log!("{name} | {fastest:.3} | {median:.3}");
        if name == "whole step" {
            whole_fastest = fastest;
        }
    }
    whole_fastest
}

#[wasm_bindgen_test]
fn w1_convolutions() {
    let layers = w1::layers().map(|(name, geometry)| (name.to_string(), geometry));
    convolutions("W1", layers.to_vec(), CALLS);
}

#[wasm_bindgen_test]
fn w1_step_parts() {
    let mut step = TrainingStep::new();
    let fastest = step_parts("W1", CALLS, |done| {
        step.run(done);
    });
    let gflops = TrainingStep::flops() as f64 / 1e6 / fastest;
    console_log!("whole step at fastest, GFLOP/s | {gflops:.2} |");
}

#[wasm_bindgen_test]
fn w2_convolutions() {
    convolutions("W2", w2::layers(), W2_CALLS);
}

#[wasm_bindgen_test]
fn w2_step_parts() {
    let mut step = PageStep::new();
    let fastest = step_parts("W2", W2_CALLS, |done| {
        step.run(done);
    });
    let gflops = step.flops() as f64 / 1e6 / fastest;
    console_log!("whole step at fastest, GFLOP/s | {gflops:.2} |");
    // What the page's worker adds between steps: the held-out metrics and the snapshot, every
    // `eval_every` steps; per step, their time divided by that.
    let every = w2::eval_every(step.experiment());
    let run = &step.run;
    console_log!(
        "W2 worker, every {every} steps | fastest ms | median ms | per step (median / {every})"
    );
    let (fastest, median) = time(CALLS, || {
        run.evaluate_split(Split::Heldout).expect("evaluates");
    });
    let per_step = median / every as f64;
    console_log!("held-out metrics | {fastest:.3} | {median:.3} | {per_step:.3}");
    let (fastest, median) = time(CALLS, || {
        run.snapshot(Split::Heldout, 0).expect("snapshot");
    });
    let per_step = median / every as f64;
    console_log!("snapshot of the viewed image | {fastest:.3} | {median:.3} | {per_step:.3}");
}
