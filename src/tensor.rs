//! NHWC f32 tensors (Keras's layout) and shape checks that fail with a readable message.

use crate::error::{Error, Result};
use ndarray::{Array4, ArrayView4};

/// (N, H, W, C), channels last.
pub type Tensor = Array4<f32>;
pub type TensorView<'a> = ArrayView4<'a, f32>;

/// Checks `t` against `expected` (None = any size) and names the tensor in the error.
pub fn check_shape(name: &str, shape: &[usize], expected: [Option<usize>; 4]) -> Result<()> {
    let fits = shape.len() == 4
        && shape
            .iter()
            .zip(expected.iter())
            .all(|(&s, e)| e.is_none_or(|e| e == s));
    if fits {
        return Ok(());
    }
    let want: Vec<String> = expected
        .iter()
        .zip(["N", "H", "W", "C"])
        .map(|(e, axis)| e.map_or(axis.to_string(), |v| v.to_string()))
        .collect();
    Err(Error(format!(
        "{name} has shape {}, expected ({})",
        format_shape(shape),
        want.join(", ")
    )))
}

/// `(2, 96, 96, 1)`, the way Keras prints shapes.
pub fn format_shape(shape: &[usize]) -> String {
    let parts: Vec<String> = shape.iter().map(|s| s.to_string()).collect();
    format!("({})", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_check_names_tensor_and_both_shapes() {
        assert!(check_shape("logits", &[2, 4, 4, 1], [None, None, None, Some(1)]).is_ok());
        let err = check_shape("logits", &[2, 4, 4, 3], [None, None, None, Some(1)]).unwrap_err();
        assert_eq!(
            err.0,
            "logits has shape (2, 4, 4, 3), expected (N, H, W, 1)"
        );
        assert!(check_shape("x", &[4, 4], [None; 4]).is_err());
    }
}
