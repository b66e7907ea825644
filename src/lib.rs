//! Segloss: train a tiny stride-1 convolutional segmenter under several losses side by side.
//! Data flows one way: pixels → tensors → model → logits → loss → gradients → optimizer → weights.

pub mod error;
pub mod tensor;
pub mod rng;
pub mod kernels;
pub mod nn;
pub mod loss;
pub mod optim;
pub mod metrics;
pub mod data;
pub mod experiment;
pub mod train;

#[cfg(target_arch = "wasm32")]
mod web;

pub use error::{Error, Result};
