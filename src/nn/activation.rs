//! ReLU. Its forward is fused into the convolution's store (kernels::conv_forward with
//! `relu = true`); its backward lives here: the gradient passes where the activation is positive.

/// `dactivation[i] = 0` wherever `activation[i] <= 0` (or NaN), in place.
/// `activation` is the ReLU output, so the pre-activation was positive exactly where it is positive;
/// at zero the gradient is 0, as in PyTorch.
/// Shapes: activation and dactivation (N, H, W, C), flattened alike.
pub fn relu_backward(activation: &[f32], dactivation: &mut [f32]) {
    assert_eq!(activation.len(), dactivation.len(), "relu_backward lengths");
    for (d, &a) in dactivation.iter_mut().zip(activation) {
        *d = if a > 0.0 { *d } else { 0.0 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_passes_only_where_activation_is_positive() {
        let activation = [2.0, 0.0, -0.0, f32::NAN, 1e-30];
        let mut dactivation = [1.0, 2.0, 3.0, 4.0, 5.0];
        relu_backward(&activation, &mut dactivation);
        assert_eq!(dactivation, [1.0, 0.0, 0.0, 0.0, 5.0]);
    }
}
