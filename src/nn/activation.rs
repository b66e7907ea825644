//! ReLU. Its forward is fused into the convolution's store (kernels::conv_forward with
//! `relu = true`); its backward, where the gradient passes only where the activation is positive,
//! is a kernel too: a hot loop, built for speed with them (the kernels crate's docs).

pub use crate::kernels::relu_backward;

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
