//! `ce`: two-class softmax cross-entropy with class weights, forward and d/dx side by side.
//!
//! # Shapes
//! x, y, dx: (N·H·W), image-major.

use super::binary::{Batch, TermOutput};
use super::math::{sigmoid, softplus};
use super::params::{BIG, Bound, Params, number, spelling};
use super::weights::{SCOPES, mean_weights, scoped_class_weights};
use super::{ClassWeighting, Family, LossContext, Scope};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ce {
    pub weights: CeWeights,
    pub scope: Scope,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CeWeights {
    None,
    Class(ClassWeighting),
    /// [w_bg, w_fg]
    Manual([f64; 2]),
}

/// `manual` carries its numbers in w_bg / w_fg, filled in after the choice is read.
const WEIGHTS: [(&str, CeWeights); 4] = [
    ("none", CeWeights::None),
    (
        "inverse_frequency",
        CeWeights::Class(ClassWeighting::InverseFrequency),
    ),
    (
        "median_frequency",
        CeWeights::Class(ClassWeighting::MedianFrequency),
    ),
    ("manual", CeWeights::Manual([1.0, 1.0])),
];

impl Family for Ce {
    const NAME: &'static str = "ce";

    fn read(params: &mut Params) -> Result<Ce> {
        let weights = match params.choice("weights", CeWeights::None, &WEIGHTS)? {
            CeWeights::Manual(_) => CeWeights::Manual([
                params.number("w_bg", 1.0, Bound::Open(0.0), BIG)?,
                params.number("w_fg", 1.0, Bound::Open(0.0), BIG)?,
            ]),
            other => {
                params.forbid(&["w_bg", "w_fg"], "weights=manual")?;
                other
            }
        };
        if !matches!(weights, CeWeights::Class(_)) {
            params.forbid(&["scope"], "weights=inverse_frequency or median_frequency")?;
        }
        let scope = params.choice("scope", Scope::Batch, &SCOPES)?;
        Ok(Ce { weights, scope })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![];
        match self.weights {
            CeWeights::None => pairs.push(("weights", "none".to_string())),
            CeWeights::Class(kind) => {
                pairs.push(("weights", spelling(&WEIGHTS, &CeWeights::Class(kind))))
            }
            CeWeights::Manual([w_bg, w_fg]) => {
                // w_bg / w_fg exist only with manual, so their default 1 is omitted here.
                pairs.push(("weights", "manual".to_string()));
                for (key, w) in [("w_bg", w_bg), ("w_fg", w_fg)] {
                    if w != 1.0 {
                        pairs.push((key, number(w)));
                    }
                }
            }
        }
        pairs.push(("scope", spelling(&SCOPES, &self.scope)));
        pairs
    }

    /// torch `cross_entropy(weight=[w_bg, w_fg])` on two-class logits [0, x] (index targets: a
    /// weighted mean). Soft targets generalise it: ℓ = −w_fg·y·logσ(x) − w_bg·(1−y)·logσ(−x),
    /// divided by Σ (w_fg·y + w_bg·(1−y)), which is torch's denominator for hard labels.
    /// ∂ℓ/∂x = w_bg·(1−y)·σ(x) − w_fg·y·σ(−x).
    fn evaluate(&self, batch: &Batch, ctx: &LossContext) -> Result<TermOutput> {
        let per_image = match self.weights {
            CeWeights::None => vec![[1.0, 1.0]; batch.images],
            CeWeights::Manual(w) => vec![w; batch.images],
            CeWeights::Class(kind) => scoped_class_weights(kind, self.scope, batch, ctx, "ce")?,
        };
        let hw = batch.pixels_per_image();
        let mut denominator = 0.0;
        for (i, &y) in batch.y.iter().enumerate() {
            let [w_bg, w_fg] = per_image[i / hw];
            denominator += w_fg * y + w_bg * (1.0 - y);
        }
        let mut value = 0.0;
        let mut dx = vec![0.0; batch.len()];
        for (i, ((&x, &y), d)) in batch.x.iter().zip(batch.y).zip(&mut dx).enumerate() {
            let [w_bg, w_fg] = per_image[i / hw];
            value += w_fg * y * softplus(-x) + w_bg * (1.0 - y) * softplus(x);
            *d = (w_bg * (1.0 - y) * sigmoid(x) - w_fg * y * sigmoid(-x)) / denominator;
        }
        let class_weights = match self.weights {
            CeWeights::None => None,
            _ => Some(mean_weights(&per_image)),
        };
        Ok(TermOutput {
            value: value / denominator,
            dx,
            class_weights,
        })
    }
}
