//! Mean squared error on probabilities, the autoencoder-style baseline.
//!
//! # Shapes
//! x, y, dx: (N·H·W), image-major.

use super::{Batch, TermOutput, dsigmoid, sigmoid};

/// mean((σ(x) − y)²);  ∂/∂x = 2(σ(x) − y)·σ(x)σ(−x) / N.
pub(crate) fn mse(batch: &Batch) -> TermOutput {
    let n = batch.len() as f64;
    let mut value = 0.0;
    let mut dx = vec![0.0; batch.len()];
    for ((&x, &y), d) in batch.x.iter().zip(batch.y).zip(&mut dx) {
        let error = sigmoid(x) - y;
        value += error * error;
        *d = 2.0 * error * dsigmoid(x) / n;
    }
    TermOutput {
        value: value / n,
        dx,
        class_weights: None,
    }
}
