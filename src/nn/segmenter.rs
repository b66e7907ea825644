//! The segmenter: hidden k×k convolutions (stride 1, 'same', dilation per layer, ReLU), then a
//! 1×1 linear head that outputs logits of the input's height and width. Losses take the logits.

use crate::bail;
use crate::error::{Error, Result};
use crate::nn::conv2d::{Conv2d, Extent};
use crate::rng::Rng;
use crate::tensor::{Tensor, TensorView, check_shape};

/// Rng stream of the initial weights ("INIT" in the high bits, like the data's "SCEN").
pub const STREAM_INIT: u64 = 0x494e_4954_0000;

/// Input images are RGB.
const INPUT_CHANNELS: usize = 3;

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

#[derive(Clone, Debug, PartialEq)]
pub struct ModelConfig {
    /// 1..=6, default 2.
    pub hidden_layers: usize,
    /// Channels of every hidden layer: 4..=64, default 32.
    pub channels: usize,
    /// Square kernel of the hidden layers: 1, 3 or 5, default 3.
    pub kernel: usize,
    /// One per hidden layer, each 1..=8, default 1.
    pub dilations: Vec<usize>,
    pub head: Head,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            hidden_layers: 2,
            channels: 32,
            kernel: 3,
            dilations: vec![1, 1],
            head: Head::Sigmoid,
        }
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
struct LayerSpec {
    kernel: usize,
    dilation: usize,
    in_channels: usize,
    out_channels: usize,
    relu: bool,
}

impl LayerSpec {
    fn macs_per_pixel(&self) -> u64 {
        (self.kernel * self.kernel * self.in_channels * self.out_channels) as u64
    }
}

impl ModelConfig {
    pub fn validate(&self) -> Result<()> {
        if !(1..=6).contains(&self.hidden_layers) {
            bail!(
                "hidden layers must be between 1 and 6, got {}",
                self.hidden_layers
            );
        }
        if !(4..=64).contains(&self.channels) {
            bail!("channels must be between 4 and 64, got {}", self.channels);
        }
        if ![1, 3, 5].contains(&self.kernel) {
            bail!("kernel size must be 1, 3 or 5, got {}", self.kernel);
        }
        if self.dilations.len() != self.hidden_layers {
            bail!(
                "expected one dilation per hidden layer ({}), got {}",
                self.hidden_layers,
                self.dilations.len()
            );
        }
        for (i, &dilation) in self.dilations.iter().enumerate() {
            if !(1..=8).contains(&dilation) {
                bail!(
                    "dilation of hidden layer {} must be between 1 and 8, got {dilation}",
                    i + 1
                );
            }
        }
        Ok(())
    }

    fn layer_specs(&self) -> Vec<LayerSpec> {
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
mod tests {
    use super::*;
    use ndarray::Array4;

    fn random_tensor(rng: &mut Rng, shape: (usize, usize, usize, usize)) -> Tensor {
        Array4::from_shape_simple_fn(shape, || (rng.uniform() * 2.0 - 1.0) as f32)
    }

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
            "hidden layers must be between 1 and 6, got 7"
        );
        assert_eq!(
            bad(ModelConfig {
                channels: 65,
                ..base.clone()
            }),
            "channels must be between 4 and 64, got 65"
        );
        assert_eq!(
            bad(ModelConfig {
                kernel: 4,
                ..base.clone()
            }),
            "kernel size must be 1, 3 or 5, got 4"
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
                ..base.clone()
            }),
            "dilation of hidden layer 2 must be between 1 and 8, got 9"
        );
        assert!(
            Segmenter::new(
                ModelConfig {
                    channels: 0,
                    ..base
                },
                1
            )
            .is_err()
        );
    }

    #[test]
    fn same_seed_same_weights_and_checksum() {
        let a = Segmenter::new(ModelConfig::default(), 7).unwrap();
        let b = Segmenter::new(ModelConfig::default(), 7).unwrap();
        let c = Segmenter::new(ModelConfig::default(), 8).unwrap();
        assert_eq!(a.params(), b.params());
        assert_eq!(a.checksum(), b.checksum());
        assert_ne!(a.checksum(), c.checksum());
        let sizes: Vec<usize> = a.params().iter().map(|p| p.len()).collect();
        assert_eq!(sizes, [864, 32, 9216, 32, 32, 1]);
    }

    #[test]
    fn checksum_is_fnv1a_of_the_le_bytes() {
        let mut model = Segmenter::new(
            ModelConfig {
                channels: 4,
                ..ModelConfig::default()
            },
            1,
        )
        .unwrap();
        for p in model.params_mut() {
            p.fill(0.0);
        }
        model.params_mut()[0][0] = 1.0; // bits 0x3f800000 → LE bytes 00 00 80 3f
        let zeros = model.config().param_count() * 4 - 4;
        // FNV-1a 64 of [00, 00, 80, 3f] followed by `zeros` zero bytes, per the published algorithm.
        let mut want: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in [0u8, 0, 0x80, 0x3f]
            .into_iter()
            .chain(std::iter::repeat_n(0, zeros))
        {
            want = (want ^ byte as u64).wrapping_mul(0x100_0000_01b3);
        }
        assert_eq!(model.checksum(), want);
        // Known-answer vector of FNV-1a 64: "a" → 0xaf63dc4c8601ec8c.
        assert_eq!(
            (0xcbf2_9ce4_8422_2325u64 ^ b'a' as u64).wrapping_mul(0x100_0000_01b3),
            0xaf63_dc4c_8601_ec8c
        );
    }

    #[test]
    fn forward_keeps_size_and_predict_agrees() {
        let mut rng = Rng::new(3, 0);
        for head in [Head::Sigmoid, Head::Softmax] {
            let config = ModelConfig {
                channels: 8,
                head,
                ..ModelConfig::default()
            };
            let model = Segmenter::new(config, 3).unwrap();
            let input = random_tensor(&mut rng, (2, 7, 5, 3));
            let forward = model.forward(input.view()).unwrap();
            assert_eq!(forward.logits().shape(), [2, 7, 5, head.channels()]);
            assert_eq!(&model.predict(input.view()).unwrap(), forward.logits());
        }
        let model = Segmenter::new(ModelConfig::default(), 3).unwrap();
        let err = model
            .forward(random_tensor(&mut rng, (1, 4, 4, 4)).view())
            .err()
            .unwrap();
        assert_eq!(err.0, "input has shape (1, 4, 4, 4), expected (N, H, W, 3)");
    }

    #[test]
    fn strided_input_view_gives_the_same_logits_as_its_copy() {
        let mut rng = Rng::new(4, 0);
        let model = Segmenter::new(
            ModelConfig {
                channels: 4,
                ..ModelConfig::default()
            },
            1,
        )
        .unwrap();
        let input = random_tensor(&mut rng, (1, 3, 6, 3));
        let mirrored = input.slice(ndarray::s![.., .., ..;-1, ..]); // negative stride along W
        let copy = mirrored.to_owned();
        assert_eq!(
            model.predict(mirrored).unwrap(),
            model.predict(copy.view()).unwrap()
        );
        assert_ne!(
            model.predict(mirrored).unwrap(),
            model.predict(input.view()).unwrap()
        );
    }

    /// Loss L = Σ logits·r for fixed random r, so dL/dlogits = r. Each parameter's gradient is
    /// compared with the central difference (L(θ+h) − L(θ−h)) / 2h of the f32 network, summed in
    /// f64. While no ReLU switches, L is linear in any single parameter (it enters its layer
    /// linearly and everything after it is linear for fixed ReLU masks), so the difference is
    /// exact but for f32 rounding of L, about 1e-7·Σ|logit·r| ≈ 1e-6, which over 2h = 6e-3 is
    /// ≈ 2e-4 (measured: at most 8e-5 relative). A smaller h drowns in that noise, a larger one
    /// flips more ReLUs: perturbations that flip one are skipped, and must stay rare.
    #[test]
    fn gradients_match_finite_differences() {
        for (head, dilations) in [(Head::Sigmoid, vec![1, 2]), (Head::Softmax, vec![2, 1])] {
            let config = ModelConfig {
                hidden_layers: 2,
                channels: 4,
                kernel: 3,
                dilations,
                head,
            };
            let mut model = Segmenter::new(config, 11).unwrap();
            let mut rng = Rng::new(12, 0);
            let input = random_tensor(&mut rng, (2, 5, 6, 3));
            let r = random_tensor(&mut rng, (2, 5, 6, head.channels()));
            let forward = model.forward(input.view()).unwrap();
            let gradients = model.backward(&forward, r.view()).unwrap();
            let analytic: Vec<Vec<f32>> = gradients.slices().iter().map(|g| g.to_vec()).collect();
            let masks = |forward: &Forward| -> Vec<bool> {
                forward.hidden.iter().flatten().map(|&a| a > 0.0).collect()
            };
            let original_masks = masks(&forward);
            // Returns None when the perturbation flips a ReLU.
            let loss = |model: &Segmenter| -> Option<f64> {
                let forward = model.forward(input.view()).unwrap();
                let logits = forward.logits().iter().zip(r.iter());
                let value = logits.map(|(&l, &r)| l as f64 * r as f64).sum();
                (masks(&forward) == original_masks).then_some(value)
            };

            let h = 3e-3;
            let (mut checked, mut skipped) = (0, 0);
            for (p, gradient) in analytic.iter().enumerate() {
                for (i, &want) in gradient.iter().enumerate() {
                    let original = model.params()[p][i];
                    model.params_mut()[p][i] = original + h;
                    let plus = loss(&model);
                    model.params_mut()[p][i] = original - h;
                    let minus = loss(&model);
                    model.params_mut()[p][i] = original;
                    let (Some(plus), Some(minus)) = (plus, minus) else {
                        skipped += 1;
                        continue;
                    };
                    let numeric = (plus - minus) / (2.0 * h as f64);
                    let error = (numeric - want as f64).abs();
                    assert!(
                        error <= 1e-3 * (1.0 + want.abs() as f64),
                        "{head:?} param {p}[{i}]: backward {want}, finite difference {numeric}"
                    );
                    checked += 1;
                }
            }
            assert_eq!(checked + skipped, model.config().param_count());
            assert!(
                skipped * 10 < checked,
                "{skipped} skipped, {checked} checked"
            );
        }
    }

    #[test]
    fn backward_rejects_mismatched_dlogits() {
        let model = Segmenter::new(
            ModelConfig {
                channels: 4,
                ..ModelConfig::default()
            },
            1,
        )
        .unwrap();
        let input = Array4::zeros((1, 2, 2, 3));
        let forward = model.forward(input.view()).unwrap();
        let err = model
            .backward(&forward, Array4::zeros((1, 2, 2, 2)).view())
            .err()
            .unwrap();
        assert_eq!(
            err.0,
            "dlogits has shape (1, 2, 2, 2), expected (1, 2, 2, 1)"
        );
    }
}
