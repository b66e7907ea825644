//! Network layers, each op's forward and backward side by side.

pub mod activation;
pub mod config;
pub mod conv2d;
pub mod segmenter;

pub use config::{Head, LayerShape, ModelConfig};
pub use conv2d::{Conv2d, Extent};
pub use segmenter::{Forward, Gradients, STREAM_INIT, Segmenter};
