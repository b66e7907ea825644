//! The segmenter: hidden k×k convolutions (stride 1, 'same', dilation per layer, ReLU), then a
//! 1×1 linear head that outputs logits of the input's height and width. Losses take the logits.
//! Its settings and shapes are in config.rs; this file holds the weights and the passes.

use super::config::{INPUT_CHANNELS, ModelConfig};
use super::conv2d::{Conv2d, Extent};
use crate::error::{Error, Result};
use crate::rng::Rng;
use crate::tensor::{Tensor, TensorView, check_shape};

/// Rng stream of the initial weights ("INIT" in the high bits, like the data's "SCEN").
pub const STREAM_INIT: u64 = 0x494e_4954_0000;

/// The network: its settings and every layer's weights.
pub struct Segmenter {
    config: ModelConfig,
    layers: Vec<Conv2d>, // hidden layers, then the head
}

/// The activations of one forward pass, kept for the backward pass.
pub struct Forward {
    extent: Extent,
    input: Vec<f32>,       // (N, H, W, 3)
    hidden: Vec<Vec<f32>>, // per hidden layer (N, H, W, channels), after ReLU
    logits: Tensor,        // (N, H, W, 1 | 2)
}

impl Forward {
    /// (N, H, W, 1) for a sigmoid head, (N, H, W, 2) for softmax.
    pub fn logits(&self) -> &Tensor {
        &self.logits
    }
}

/// Same layout as [`Segmenter::params`]: per layer, d-kernel then d-bias.
pub struct Gradients {
    layers: Vec<(Vec<f32>, Vec<f32>)>, // (dweight (k, k, in, out), dbias (out))
}

impl Gradients {
    pub fn slices(&self) -> Vec<&[f32]> {
        self.layers
            .iter()
            .flat_map(|(dweight, dbias)| [dweight.as_slice(), dbias.as_slice()])
            .collect()
    }
}

impl Segmenter {
    /// He-normal weights from `Rng::new(seed, STREAM_INIT)`, layer by layer, zero biases.
    pub fn new(config: ModelConfig, seed: u64) -> Result<Self> {
        config.validate()?;
        let mut rng = Rng::new(seed, STREAM_INIT);
        let layers = config
            .layer_specs()
            .iter()
            .map(|l| {
                Conv2d::he_normal(
                    l.kernel,
                    l.dilation,
                    l.in_channels,
                    l.out_channels,
                    l.relu,
                    &mut rng,
                )
            })
            .collect();
        Ok(Segmenter { config, layers })
    }

    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// Shapes: input (N, H, W, 3) → logits (N, H, W, 1 | 2), keeping every activation.
    pub fn forward(&self, input: TensorView) -> Result<Forward> {
        let (extent, input) = Self::flatten_input(input)?;
        let mut hidden: Vec<Vec<f32>> = Vec::with_capacity(self.layers.len() - 1);
        let mut logits = Vec::new();
        for (i, layer) in self.layers.iter().enumerate() {
            let x = if i == 0 { &input } else { &hidden[i - 1] };
            let y = layer.forward(extent, x);
            if layer.relu {
                hidden.push(y);
            } else {
                logits = y;
            }
        }
        let logits = self.logits_tensor(extent, logits)?;
        Ok(Forward {
            extent,
            input,
            hidden,
            logits,
        })
    }

    /// Shapes: input (N, H, W, 3) → logits (N, H, W, 1 | 2).
    pub fn predict(&self, input: TensorView) -> Result<Tensor> {
        let (extent, input) = Self::flatten_input(input)?;
        let logits = self
            .layers
            .iter()
            .fold(input, |x, layer| layer.forward(extent, &x));
        self.logits_tensor(extent, logits)
    }

    /// Gradients of the parameters given d(loss)/d(logits) (N, H, W, 1 | 2).
    pub fn backward(&self, forward: &Forward, dlogits: TensorView) -> Result<Gradients> {
        let (n, h, w, c) = forward.logits.dim();
        check_shape(
            "dlogits",
            dlogits.shape(),
            [Some(n), Some(h), Some(w), Some(c)],
        )?;
        let mut doutput: Vec<f32> = dlogits.iter().copied().collect(); // (N, H, W, out)
        let mut layers = Vec::with_capacity(self.layers.len());
        for (i, layer) in self.layers.iter().enumerate().rev() {
            let input = if i == 0 {
                &forward.input
            } else {
                &forward.hidden[i - 1]
            };
            if layer.relu {
                layer.mask_doutput(&forward.hidden[i], &mut doutput);
            }
            let gradients = layer.backward(forward.extent, input, &doutput, i > 0);
            layers.push((gradients.dweight, gradients.dbias));
            if let Some(dinput) = gradients.dinput {
                doutput = dinput;
            }
        }
        layers.reverse();
        Ok(Gradients { layers })
    }

    /// Per layer (hidden layers, then the head): kernel (k, k, in, out), then bias (out).
    pub fn params(&self) -> Vec<&[f32]> {
        self.layers
            .iter()
            .flat_map(|l| [l.weight.as_slice(), l.bias.as_slice()])
            .collect()
    }

    pub fn params_mut(&mut self) -> Vec<&mut [f32]> {
        self.layers
            .iter_mut()
            .flat_map(|l| [l.weight.as_mut_slice(), l.bias.as_mut_slice()])
            .collect()
    }

    /// FNV-1a 64 over the little-endian bytes of every parameter's f32 bits, in `params()` order:
    /// equal checksums mean bit-identical weights.
    pub fn checksum(&self) -> u64 {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let bytes = self
            .params()
            .into_iter()
            .flatten()
            .flat_map(|v| v.to_bits().to_le_bytes());
        bytes.fold(OFFSET, |hash, byte| {
            (hash ^ byte as u64).wrapping_mul(PRIME)
        })
    }

    fn flatten_input(input: TensorView) -> Result<(Extent, Vec<f32>)> {
        check_shape(
            "input",
            input.shape(),
            [None, None, None, Some(INPUT_CHANNELS)],
        )?;
        let (batch, height, width, _) = input.dim();
        // Logical (row-major) order, whatever the view's strides.
        Ok((
            Extent {
                batch,
                height,
                width,
            },
            input.iter().copied().collect(),
        ))
    }

    fn logits_tensor(&self, extent: Extent, logits: Vec<f32>) -> Result<Tensor> {
        let shape = (
            extent.batch,
            extent.height,
            extent.width,
            self.config.head.channels(),
        );
        Tensor::from_shape_vec(shape, logits).map_err(|e| Error::new(format!("logits: {e}")))
    }
}

#[cfg(test)]
mod tests;
