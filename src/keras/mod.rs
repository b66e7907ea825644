//! Keras 3 code for what the page trains: the loss spec as `def loss(y_true, y_pred)` in
//! `keras.ops`, and the model with its optimizer. scripts/keras_verify.py runs both in Keras and
//! checks them against this crate's values, gradients and predictions (docs/keras.md). Also the
//! tensor shapes of a training step in Keras's layout.

mod loss;
mod model;
mod shapes;
mod train_script;

pub use loss::{DatasetWeights, loss_code, loss_code_with};
pub use model::model_code;
pub use shapes::{LabelShape, TensorShapes, tensor_shapes};
pub use train_script::train_script;

/// A Python float literal that reads back as the same f64 (Rust's shortest round-trip form).
pub(crate) fn python_number(v: f64) -> String {
    format!("{v:?}")
}

/// The same for an f32 setting: its shortest decimal, not the f64 widening (0.005, not 0.00499…).
pub(crate) fn python_number_f32(v: f32) -> String {
    format!("{v:?}")
}

#[cfg(test)]
mod tests;
