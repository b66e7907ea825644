//! `mse`: mean squared error on probabilities, the autoencoder-style baseline.
//!
//! # Shapes
//! x, y, dx: (N·H·W), image-major.

use super::binary::{Batch, TermOutput};
use super::math::{dsigmoid, sigmoid};
use super::params::Params;
use super::{Family, LossContext};
use crate::error::Result;

/// No parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mse;

impl Family for Mse {
    const NAME: &'static str = "mse";

    fn read(_: &mut Params) -> Result<Mse> {
        Ok(Mse)
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![]
    }

    /// mean((σ(x) − y)²);  ∂/∂x = 2(σ(x) − y)·σ(x)σ(−x) / N.
    fn evaluate(&self, batch: &Batch, _: &LossContext) -> Result<TermOutput> {
        let n = batch.len() as f64;
        let mut value = 0.0;
        let mut dx = vec![0.0; batch.len()];
        for ((&x, &y), d) in batch.x.iter().zip(batch.y).zip(&mut dx) {
            let error = sigmoid(x) - y;
            value += error * error;
            *d = 2.0 * error * dsigmoid(x) / n;
        }
        Ok(TermOutput {
            value: value / n,
            dx,
            class_weights: None,
        })
    }
}
