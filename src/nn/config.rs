//! The segmenter's architecture as settings: its validation, its layers' shapes, parameter count,
//! FLOPs and receptive field, all known before any weight exists.

use crate::bail;
use crate::error::Result;
use crate::experiment::Experiment;
use crate::settings;

/// Input images are RGB.
pub(super) const INPUT_CHANNELS: usize = 3;

/// How logits become probabilities (the losses apply it; the network outputs logits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Head {
    /// Logits (N, H, W, 1): probability of the object.
    #[default]
    Sigmoid,
    /// Logits (N, H, W, 2): background, object.
    Softmax,
}

impl Head {
    pub fn channels(self) -> usize {
        match self {
            Head::Sigmoid => 1,
            Head::Softmax => 2,
        }
    }
}

/// Defaults and ranges are in `settings` (LAYERS, CHANNELS, KERNEL, DILATIONS, HEAD).
#[derive(Clone, Debug, PartialEq)]
pub struct ModelConfig {
    pub hidden_layers: usize,
    /// Channels of every hidden layer.
    pub channels: usize,
    /// Square kernel of the hidden layers.
    pub kernel: usize,
    /// One per hidden layer.
    pub dilations: Vec<usize>,
    pub head: Head,
}

impl Default for ModelConfig {
    /// The settings table's defaults.
    fn default() -> Self {
        Experiment::default().model
    }
}

/// One layer's shapes as the page's Shapes panel shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerShape {
    /// "conv1", "conv2", ..., "head".
    pub name: String,
    /// (kernel_h, kernel_w, in, out), HWIO.
    pub kernel: [usize; 4],
    /// (out)
    pub bias: usize,
    /// The layer's output (N, H, W, out).
    pub activation: [usize; 4],
    pub dilation: usize,
    pub relu: bool,
    pub params: usize,
}

/// What one layer is, before it has weights.
pub(super) struct LayerSpec {
    pub(super) kernel: usize,
    pub(super) dilation: usize,
    pub(super) in_channels: usize,
    pub(super) out_channels: usize,
    pub(super) relu: bool,
}

impl LayerSpec {
    fn macs_per_pixel(&self) -> u64 {
        (self.kernel * self.kernel * self.in_channels * self.out_channels) as u64
    }
}

impl ModelConfig {
    pub fn validate(&self) -> Result<()> {
        settings::LAYERS.check_int(self.hidden_layers as u64)?;
        settings::CHANNELS.check_int(self.channels as u64)?;
        settings::KERNEL.check_int(self.kernel as u64)?;
        if self.dilations.len() != self.hidden_layers {
            bail!(
                "expected one dilation per hidden layer ({}), got {}",
                self.hidden_layers,
                self.dilations.len()
            );
        }
        let (low, high) = settings::DILATION_RANGE;
        for (i, &dilation) in self.dilations.iter().enumerate() {
            if !(low..=high).contains(&dilation) {
                bail!(
                    "dilation of hidden layer {} must be between {low} and {high}, got {dilation}",
                    i + 1
                );
            }
        }
        Ok(())
    }

    pub(super) fn layer_specs(&self) -> Vec<LayerSpec> {
        let hidden = self
            .dilations
            .iter()
            .enumerate()
            .map(|(i, &dilation)| LayerSpec {
                kernel: self.kernel,
                dilation,
                in_channels: if i == 0 {
                    INPUT_CHANNELS
                } else {
                    self.channels
                },
                out_channels: self.channels,
                relu: true,
            });
        let head = LayerSpec {
            kernel: 1,
            dilation: 1,
            in_channels: self.channels,
            out_channels: self.head.channels(),
            relu: false,
        };
        hidden.chain([head]).collect()
    }

    pub fn param_count(&self) -> usize {
        self.layer_specs()
            .iter()
            .map(|l| l.kernel * l.kernel * l.in_channels * l.out_channels + l.out_channels)
            .sum()
    }

    /// FLOPs of one training step (forward + backward) on a batch (n, h, w), 2 per multiply-add,
    /// padding taps counted as computed: forward, d-weight of every layer and d-input of every
    /// layer but the first (the image needs no gradient). Bias, ReLU and loss are left out.
    pub fn flops_per_step(&self, n: usize, h: usize, w: usize) -> u64 {
        let specs = self.layer_specs();
        let forward: u64 = specs.iter().map(LayerSpec::macs_per_pixel).sum();
        let dinput = forward - specs[0].macs_per_pixel();
        2 * (n * h * w) as u64 * (2 * forward + dinput)
    }

    /// Side of the square of input pixels that one logit sees.
    pub fn receptive_field(&self) -> usize {
        1 + self
            .dilations
            .iter()
            .map(|d| (self.kernel - 1) * d)
            .sum::<usize>()
    }

    pub fn layer_shapes(&self, n: usize, h: usize, w: usize) -> Vec<LayerShape> {
        let specs = self.layer_specs();
        let last = specs.len() - 1;
        specs
            .iter()
            .enumerate()
            .map(|(i, l)| LayerShape {
                name: if i == last {
                    "head".to_string()
                } else {
                    format!("conv{}", i + 1)
                },
                kernel: [l.kernel, l.kernel, l.in_channels, l.out_channels],
                bias: l.out_channels,
                activation: [n, h, w, l.out_channels],
                dilation: l.dilation,
                relu: l.relu,
                params: l.kernel * l.kernel * l.in_channels * l.out_channels + l.out_channels,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_the_w1_network() {
        let config = ModelConfig::default();
        config.validate().unwrap();
        // 3·3·3·32 + 32 + 3·3·32·32 + 32 + 32·1 + 1
        assert_eq!(config.param_count(), 896 + 9248 + 33);
        assert_eq!(config.receptive_field(), 5);
        // Per pixel: forward 864 + 9216 + 32 = 10112 MACs, d-input 9248, d-weight 10112.
        assert_eq!(
            config.flops_per_step(4, 128, 128),
            2 * 65536 * (2 * 10112 + 9248)
        );
        let shapes = config.layer_shapes(4, 128, 128);
        let names: Vec<&str> = shapes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["conv1", "conv2", "head"]);
        assert_eq!(shapes[1].kernel, [3, 3, 32, 32]);
        assert_eq!(shapes[2].activation, [4, 128, 128, 1]);
        assert_eq!(
            shapes.iter().map(|s| s.params).sum::<usize>(),
            config.param_count()
        );
    }

    #[test]
    fn dilations_grow_the_receptive_field() {
        let config = ModelConfig {
            hidden_layers: 3,
            dilations: vec![1, 2, 4],
            ..ModelConfig::default()
        };
        assert_eq!(config.receptive_field(), 15);
    }

    #[test]
    fn validate_names_the_bad_setting() {
        let bad = |config: ModelConfig| config.validate().unwrap_err().0;
        let base = ModelConfig::default();
        assert_eq!(
            bad(ModelConfig {
                hidden_layers: 7,
                ..base.clone()
            }),
            "hidden layers 7 is out of range: use 1 to 6"
        );
        assert_eq!(
            bad(ModelConfig {
                channels: 65,
                ..base.clone()
            }),
            "channels 65 is out of range: use 4 to 64"
        );
        assert_eq!(
            bad(ModelConfig {
                kernel: 4,
                ..base.clone()
            }),
            "kernel size \"4\" is not one of 1, 3 or 5"
        );
        assert_eq!(
            bad(ModelConfig {
                dilations: vec![1],
                ..base.clone()
            }),
            "expected one dilation per hidden layer (2), got 1"
        );
        assert_eq!(
            bad(ModelConfig {
                dilations: vec![1, 9],
                ..base
            }),
            "dilation of hidden layer 2 must be between 1 and 8, got 9"
        );
    }
}
