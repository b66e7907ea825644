//! A stride-1, 'same'-padded 2-D convolution with optional fused ReLU: forward and backward,
//! both through `crate::kernels`.

use crate::kernels::{self, ConvGeometry};
use crate::nn::activation::relu_backward;
use crate::rng::Rng;

/// The (batch, height, width) every activation of the network shares: stride 1 keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extent {
    pub batch: usize,
    pub height: usize,
    pub width: usize,
}

impl Extent {
    pub fn pixels(&self) -> usize {
        self.batch * self.height * self.width
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Conv2d {
    pub weight: Vec<f32>, // (kernel, kernel, in_channels, out_channels), HWIO like Keras
    pub bias: Vec<f32>,   // (out_channels)
    pub kernel: usize,
    pub dilation: usize,
    pub in_channels: usize,
    pub out_channels: usize,
    /// ReLU fused into the forward store.
    pub relu: bool,
}

impl Conv2d {
    /// He-normal weights, std √(2 / fan_in) with fan_in = kernel² · in_channels (PyTorch's
    /// `kaiming_normal_(mode="fan_in", nonlinearity="relu")`, untruncated), drawn in HWIO order;
    /// zero bias.
    pub fn he_normal(
        kernel: usize,
        dilation: usize,
        in_channels: usize,
        out_channels: usize,
        relu: bool,
        rng: &mut Rng,
    ) -> Self {
        let fan_in = kernel * kernel * in_channels;
        let std = libm::sqrt(2.0 / fan_in as f64);
        let weight = (0..fan_in * out_channels)
            .map(|_| (rng.normal() * std) as f32)
            .collect();
        Conv2d {
            weight,
            bias: vec![0.0; out_channels],
            kernel,
            dilation,
            in_channels,
            out_channels,
            relu,
        }
    }

    pub fn geometry(&self, extent: Extent) -> ConvGeometry {
        ConvGeometry {
            batch: extent.batch,
            height: extent.height,
            width: extent.width,
            in_channels: self.in_channels,
            out_channels: self.out_channels,
            kernel: self.kernel,
            dilation: self.dilation,
        }
    }

    /// Shapes: input (N, H, W, in) → output (N, H, W, out), ReLU applied when `self.relu`.
    pub fn forward(&self, extent: Extent, input: &[f32]) -> Vec<f32> {
        let geometry = self.geometry(extent);
        let mut output = vec![0.0; geometry.output_len()]; // (N, H, W, out)
        kernels::conv_forward(
            &geometry,
            input,
            &self.weight,
            &self.bias,
            self.relu,
            &mut output,
        );
        output
    }

    /// Gradients of this layer's parameters, and d-input when `want_dinput` (the first layer
    /// skips it: nobody needs the gradient of the image).
    /// `doutput` is the gradient of the pre-activation: callers apply this layer's ReLU mask
    /// first with [`Conv2d::mask_doutput`].
    /// Shapes: input (N, H, W, in), doutput (N, H, W, out) → dinput (N, H, W, in).
    pub fn backward(
        &self,
        extent: Extent,
        input: &[f32],
        doutput: &[f32],
        want_dinput: bool,
    ) -> ConvGradients {
        let geometry = self.geometry(extent);
        let mut dweight = vec![0.0; self.weight.len()]; // (k, k, in, out)
        let mut dbias = vec![0.0; self.out_channels]; // (out)
        kernels::conv_backward_weight(&geometry, input, doutput, &mut dweight, &mut dbias);
        let dinput = want_dinput.then(|| {
            let mut dinput = vec![0.0; geometry.input_len()]; // (N, H, W, in)
            kernels::conv_backward_input(&geometry, doutput, &self.weight, &mut dinput);
            dinput
        });
        ConvGradients {
            dweight,
            dbias,
            dinput,
        }
    }

    /// Turns d(output) into d(pre-activation) in place when this layer has a ReLU.
    pub fn mask_doutput(&self, output: &[f32], doutput: &mut [f32]) {
        if self.relu {
            relu_backward(output, doutput);
        }
    }
}

pub struct ConvGradients {
    pub dweight: Vec<f32>,        // (k, k, in, out)
    pub dbias: Vec<f32>,          // (out)
    pub dinput: Option<Vec<f32>>, // (N, H, W, in)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn he_normal_has_the_right_spread_and_zero_bias() {
        let layer = Conv2d::he_normal(3, 1, 32, 32, true, &mut Rng::new(5, 0));
        let n = layer.weight.len() as f64;
        let mean = layer.weight.iter().map(|&w| w as f64).sum::<f64>() / n;
        let variance = layer
            .weight
            .iter()
            .map(|&w| (w as f64 - mean).powi(2))
            .sum::<f64>()
            / n;
        // Var = 2 / 288; with 9216 samples its relative standard error is √(2/9216) ≈ 1.5 %.
        assert!((variance * 144.0 - 1.0).abs() < 0.06, "variance {variance}");
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!(layer.bias.iter().all(|&b| b == 0.0));
    }

    #[test]
    fn one_by_one_forward_is_a_matrix_product_plus_bias() {
        let mut layer = Conv2d::he_normal(1, 1, 2, 1, true, &mut Rng::new(1, 0));
        layer.weight = vec![2.0, -1.0];
        layer.bias = vec![0.5];
        let extent = Extent {
            batch: 1,
            height: 1,
            width: 2,
        };
        // Pixels (1, 1) → 2 - 1 + 0.5 = 1.5 and (0, 3) → -3 + 0.5 < 0 → ReLU 0.
        assert_eq!(layer.forward(extent, &[1.0, 1.0, 0.0, 3.0]), [1.5, 0.0]);
    }
}
