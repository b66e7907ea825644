//! Segloss: train a tiny stride-1 convolutional segmenter under several losses side by side.
//! Data flows one way: pixels → tensors → model → logits → loss → gradients → optimizer → weights.

pub mod components;
pub mod data;
pub mod error;
pub mod evidence;
pub mod experiment;
pub mod export;
pub mod keras;
pub mod kernels;
pub mod link;
pub mod loss;
pub mod metrics;
pub mod nn;
pub mod optim;
pub mod render;
pub mod rng;
pub mod settings;
pub mod study;
pub mod tensor;
pub mod train;

#[cfg(target_arch = "wasm32")]
mod web;

pub use error::{Error, Result};
