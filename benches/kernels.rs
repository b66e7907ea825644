//! Workload W1 (benches/w1): each kernel op on the W1 layer shapes, then a full training step.
//! Throughput is in FLOPs (2 per multiply-add, padding taps counted), so criterion's "elem/s" reads
//! as FLOP/s.

mod w1;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use segloss::kernels;
use segloss::rng::Rng;
use std::hint::black_box;
use std::time::Instant;
use w1::{ConvOperands, TrainingStep};

fn kernel_ops(c: &mut Criterion) {
    let mut rng = Rng::new(1, 0);
    let mut group = c.benchmark_group(format!("kernels {} W1", kernels::KERNEL_NAME));
    group.sample_size(10);
    for (name, geometry) in w1::layers() {
        let mut operands = ConvOperands::random(geometry, &mut rng);
        group.throughput(Throughput::Elements(operands.flops()));
        group.bench_function(format!("forward_relu/{name}"), |b| {
            b.iter(|| black_box(&mut operands).forward_relu())
        });
        group.bench_function(format!("backward_input/{name}"), |b| {
            b.iter(|| black_box(&mut operands).backward_input())
        });
        group.bench_function(format!("backward_weight/{name}"), |b| {
            b.iter(|| black_box(&mut operands).backward_weight())
        });
    }
    group.finish();
}

fn training_step(c: &mut Criterion) {
    let flops = TrainingStep::flops();
    let mut step = TrainingStep::new();
    let steps = 5;
    let start = Instant::now();
    for _ in 0..steps {
        black_box(step.run(|_| ()));
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
        b.iter(|| black_box(step.run(|_| ())))
    });
    group.finish();
}

criterion_group!(benches, kernel_ops, training_step);
criterion_main!(benches);
