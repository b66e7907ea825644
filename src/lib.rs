//! Segloss: train a tiny stride-1 convolutional segmenter under several losses side by side.
//! Data flows one way: pixels → tensors → model → logits → loss → gradients → optimizer → weights.

pub mod components;
pub mod data;
pub mod error;
pub mod evidence;
pub mod experiment;
pub mod export;
pub mod keras;
/// The convolution microkernels: a crate of their own so the release build can optimise them for
/// speed and the rest of the module for size (Cargo.toml, `[profile.release.package.segloss-kernels]`).
pub use segloss_kernels as kernels;
#[cfg(test)]
mod kernel_oracle;
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
