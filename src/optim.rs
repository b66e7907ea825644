//! Optimizers: SGD with momentum and Adam, both following PyTorch's documented algorithms
//! (`torch.optim.SGD`, `torch.optim.Adam`, no weight decay), in f32 with libm for the powers so
//! every target computes the same bits.

use crate::bail;
use crate::error::Result;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OptimizerConfig {
    /// Betas (0.9, 0.999) and eps 1e-8 by default (PyTorch's eps; Keras uses 1e-7); the learning
    /// rate's default and range are in `settings`.
    Adam {
        lr: f32,
        beta1: f32,
        beta2: f32,
        eps: f32,
    },
    /// PyTorch's form: no dampening, not Nesterov.
    Sgd { lr: f32, momentum: f32 },
}

impl OptimizerConfig {
    /// Adam with default betas and eps.
    pub fn adam(lr: f32) -> Self {
        OptimizerConfig::Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }

    /// SGD with the default momentum.
    pub fn sgd(lr: f32) -> Self {
        OptimizerConfig::Sgd { lr, momentum: 0.9 }
    }

    pub fn lr(&self) -> f32 {
        match *self {
            OptimizerConfig::Adam { lr, .. } | OptimizerConfig::Sgd { lr, .. } => lr,
        }
    }

    pub fn validate(&self) -> Result<()> {
        let lr = self.lr();
        if !(lr.is_finite() && lr > 0.0) {
            bail!("learning rate must be a positive number, got {lr}");
        }
        let below_one = |name: &str, value: f32| -> Result<()> {
            if !(0.0..1.0).contains(&value) {
                bail!("{name} must be at least 0 and below 1, got {value}");
            }
            Ok(())
        };
        match *self {
            OptimizerConfig::Adam {
                beta1, beta2, eps, ..
            } => {
                below_one("beta1", beta1)?;
                below_one("beta2", beta2)?;
                if !(eps.is_finite() && eps > 0.0) {
                    bail!("eps must be a positive number, got {eps}");
                }
            }
            OptimizerConfig::Sgd { momentum, .. } => below_one("momentum", momentum)?,
        }
        Ok(())
    }
}

pub struct Optimizer {
    config: OptimizerConfig,
    /// Steps taken so far; Adam's bias correction uses it.
    steps: u64,
    /// Per parameter: Adam's first moment m, or SGD's momentum buffer.
    first: Vec<Vec<f32>>,
    /// Per parameter: Adam's second moment v (empty for SGD).
    second: Vec<Vec<f32>>,
}

impl Optimizer {
    /// State for parameters of the given lengths, in the order `step` will receive them.
    pub fn new(config: OptimizerConfig, param_sizes: &[usize]) -> Self {
        let zeros = || param_sizes.iter().map(|&n| vec![0.0; n]).collect();
        let second = match config {
            OptimizerConfig::Adam { .. } => zeros(),
            OptimizerConfig::Sgd { .. } => Vec::new(),
        };
        Optimizer {
            config,
            steps: 0,
            first: zeros(),
            second,
        }
    }

    pub fn config(&self) -> &OptimizerConfig {
        &self.config
    }

    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// One update of every parameter from its gradient; `params` and `grads` in the order and
    /// lengths given to `new`.
    pub fn step(&mut self, params: &mut [&mut [f32]], grads: &[&[f32]]) {
        assert_eq!(params.len(), self.first.len(), "parameter count");
        assert_eq!(grads.len(), self.first.len(), "gradient count");
        self.steps += 1;
        match self.config {
            OptimizerConfig::Adam {
                lr,
                beta1,
                beta2,
                eps,
            } => {
                // PyTorch: step_size = lr / (1 − β1ᵗ), denom = √v / √(1 − β2ᵗ) + eps.
                let t = self.steps as f32;
                let step_size = lr / (1.0 - libm::powf(beta1, t));
                let correction2_sqrt = libm::sqrtf(1.0 - libm::powf(beta2, t));
                let state = self.first.iter_mut().zip(self.second.iter_mut());
                for ((param, &grad), (m, v)) in params.iter_mut().zip(grads).zip(state) {
                    assert!(
                        param.len() == m.len() && grad.len() == m.len(),
                        "parameter length"
                    );
                    for (((p, &g), m), v) in param.iter_mut().zip(grad).zip(m).zip(v) {
                        *m = beta1 * *m + (1.0 - beta1) * g;
                        *v = beta2 * *v + (1.0 - beta2) * g * g;
                        let denom = libm::sqrtf(*v) / correction2_sqrt + eps;
                        *p -= step_size * *m / denom;
                    }
                }
            }
            OptimizerConfig::Sgd { lr, momentum } => {
                let first_step = self.steps == 1;
                for ((param, &grad), buffer) in params.iter_mut().zip(grads).zip(&mut self.first) {
                    assert!(
                        param.len() == buffer.len() && grad.len() == buffer.len(),
                        "parameter length"
                    );
                    for ((p, &g), b) in param.iter_mut().zip(grad).zip(buffer) {
                        // PyTorch starts the buffer as a copy of the first gradient.
                        *b = if first_step { g } else { momentum * *b + g };
                        *p -= lr * *b;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRADS: [[f32; 3]; 3] = [[0.1, -0.2, 0.0], [0.3, 0.1, -0.05], [-0.2, 0.4, 0.01]];

    fn run(config: OptimizerConfig) -> Vec<[f32; 3]> {
        let mut optimizer = Optimizer::new(config, &[2, 1]);
        let (mut a, mut b) = ([1.0f32, -0.5], [0.0f32]);
        GRADS
            .iter()
            .map(|g| {
                optimizer.step(&mut [&mut a, &mut b], &[&g[..2], &g[2..]]);
                [a[0], a[1], b[0]]
            })
            .collect()
    }

    fn assert_close(got: &[[f32; 3]], want: &[[f64; 3]]) {
        for (step, (got, want)) in got.iter().zip(want).enumerate() {
            for (&g, &w) in got.iter().zip(want) {
                // f32 state over 3 steps: a few ulps of the parameter, relative error ~1e-7.
                assert!(
                    (g as f64 - w).abs() < 1e-6,
                    "step {}: got {got:?}, want {want:?}",
                    step + 1
                );
            }
        }
    }

    #[test]
    fn adam_follows_pytorch() {
        // PyTorch's documented Adam in f64 (plain Python):
        //   m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g
        //   p -= lr/(1-b1**t) * m / (sqrt(v)/sqrt(1-b2**t) + eps)
        // with lr 0.01, betas (0.9, 0.999), eps 1e-8, p0 = [1, -0.5, 0] and GRADS.
        assert_close(
            &run(OptimizerConfig::adam(0.01)),
            &[
                [0.9900000009999999, -0.4900000005, 0.0],
                [
                    0.9808221902205589,
                    -0.4873366302718676,
                    0.007441366131459889,
                ],
                [0.9782431522889793, -0.491909947999135, 0.011828332164126284],
            ],
        );
    }

    #[test]
    fn sgd_follows_pytorch() {
        // buf = g (first step), then buf = 0.9*buf + g; p -= 0.1*buf.
        assert_close(
            &run(OptimizerConfig::sgd(0.1)),
            &[
                [0.99, -0.48, 0.0],
                [0.951, -0.472, 0.005],
                [0.9359, -0.5048, 0.0085],
            ],
        );
    }

    #[test]
    fn validate_rejects_bad_settings() {
        assert!(OptimizerConfig::adam(0.01).validate().is_ok());
        assert_eq!(
            OptimizerConfig::adam(0.0).validate().unwrap_err().0,
            "learning rate must be a positive number, got 0"
        );
        assert!(OptimizerConfig::adam(f32::NAN).validate().is_err());
        let beta = OptimizerConfig::Adam {
            lr: 0.01,
            beta1: 1.0,
            beta2: 0.999,
            eps: 1e-8,
        };
        assert_eq!(
            beta.validate().unwrap_err().0,
            "beta1 must be at least 0 and below 1, got 1"
        );
        let momentum = OptimizerConfig::Sgd {
            lr: 0.01,
            momentum: -0.1,
        };
        assert_eq!(
            momentum.validate().unwrap_err().0,
            "momentum must be at least 0 and below 1, got -0.1"
        );
    }
}
