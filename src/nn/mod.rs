//! Network layers, each op's forward and backward side by side.

pub mod activation;
pub mod conv2d;
pub mod segmenter;

pub use conv2d::{Conv2d, Extent};
pub use segmenter::{Forward, Gradients, Head, LayerShape, ModelConfig, STREAM_INIT, Segmenter};
