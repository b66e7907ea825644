//! `wbce`: binary cross-entropy under a per-pixel weight map, from class frequencies and
//! optionally U-Net's border term.
//!
//! # Shapes
//! x, y, dx, weight map: (N·H·W), image-major.

use super::binary::{Batch, TermOutput};
use super::math::{sigmoid, softplus};
use super::params::{Bound, Params, number, spelling};
use super::weights::{SCOPES, mean_weights, scoped_class_weights, unet_border};
use super::{ClassWeighting, Family, LossContext, Scope};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wbce {
    pub weights: WeightMap,
    pub scope: Scope,
    pub norm: Norm,
    pub w0: f64,
    pub sigma: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightMap {
    Class(ClassWeighting),
    /// Inverse-frequency class weights plus U-Net's border term between touching objects.
    UnetBorder,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Norm {
    /// Σ w·ℓ / N.
    Mean,
    /// Σ w·ℓ / Σ w.
    WeightedMean,
}

const WEIGHTS: [(&str, WeightMap); 3] = [
    (
        "inverse_frequency",
        WeightMap::Class(ClassWeighting::InverseFrequency),
    ),
    (
        "median_frequency",
        WeightMap::Class(ClassWeighting::MedianFrequency),
    ),
    ("unet_border", WeightMap::UnetBorder),
];
const NORMS: [(&str, Norm); 2] = [("mean", Norm::Mean), ("weighted_mean", Norm::WeightedMean)];

impl Family for Wbce {
    const NAME: &'static str = "wbce";

    fn read(params: &mut Params) -> Result<Wbce> {
        let weights = params.choice(
            "weights",
            WeightMap::Class(ClassWeighting::InverseFrequency),
            &WEIGHTS,
        )?;
        let scope = params.choice("scope", Scope::Batch, &SCOPES)?;
        let norm = params.choice("norm", Norm::WeightedMean, &NORMS)?;
        if weights != WeightMap::UnetBorder {
            params.forbid(&["w0", "sigma"], "weights=unet_border")?;
        }
        Ok(Wbce {
            weights,
            scope,
            norm,
            w0: params.number("w0", 10.0, Bound::Closed(0.0), 1e3)?,
            sigma: params.number("sigma", 5.0, Bound::Open(0.0), 1e3)?,
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("weights", spelling(&WEIGHTS, &self.weights)),
            ("scope", spelling(&SCOPES, &self.scope)),
            ("norm", spelling(&NORMS, &self.norm)),
            ("w0", number(self.w0)),
            ("sigma", number(self.sigma)),
        ]
    }

    /// BCE under a per-pixel weight map w: Σ w·ℓ / N (`norm=mean`) or Σ w·ℓ / Σ w
    /// (`norm=weighted_mean`). w = w_fg·y + w_bg·(1−y) from the class weights of the scope,
    /// plus U-Net's border term on background pixels for `weights=unet_border`.
    fn evaluate(&self, batch: &Batch, ctx: &LossContext) -> Result<TermOutput> {
        let kind = match self.weights {
            WeightMap::Class(kind) => kind,
            WeightMap::UnetBorder => ClassWeighting::InverseFrequency,
        };
        let per_image = scoped_class_weights(kind, self.scope, batch, ctx, "wbce")?;
        let hw = batch.pixels_per_image();
        let mut weight = Vec::with_capacity(batch.len());
        for (image, [w_bg, w_fg]) in per_image.iter().enumerate() {
            let y = &batch.y[image * hw..(image + 1) * hw];
            let border = match self.weights {
                WeightMap::UnetBorder => {
                    unet_border(y, batch.height, batch.width, self.w0, self.sigma)
                }
                WeightMap::Class(_) => vec![0.0; hw],
            };
            weight.extend(
                y.iter()
                    .zip(&border)
                    .map(|(&y, &b)| w_fg * y + w_bg * (1.0 - y) + b),
            );
        }
        let denominator = match self.norm {
            Norm::Mean => batch.len() as f64,
            Norm::WeightedMean => weight.iter().sum(),
        };
        let mut value = 0.0;
        let mut dx = vec![0.0; batch.len()];
        for (((&x, &y), &w), d) in batch.x.iter().zip(batch.y).zip(&weight).zip(&mut dx) {
            value += w * ((1.0 - y) * x + softplus(-x));
            *d = w * (sigmoid(x) - y) / denominator;
        }
        Ok(TermOutput {
            value: value / denominator,
            dx,
            class_weights: Some(mean_weights(&per_image)),
        })
    }
}
