//! Pixel-wise cross-entropy: `bce`, `wbce` (weight maps) and `ce` (two-class softmax CE with
//! class weights). Forward and d/dx side by side, per pixel, in the stable softplus form.
//!
//! # Shapes
//! x, y, dx: (N·H·W), image-major.

use super::spec::{Bce, Ce, CeWeights, Norm, Wbce, WeightMap};
use super::weights::{mean_weights, scoped_class_weights, unet_border};
use super::{Batch, LossContext, TermOutput, sigmoid, softplus};
use crate::error::Result;

/// torch `binary_cross_entropy_with_logits(pos_weight=q)`, mean over pixels, with Keras's label
/// smoothing y ← y(1−ls) + ls/2 applied first:
/// ℓ = (1−y)·x + l·softplus(−x), l = 1 + (q−1)·y;  ∂ℓ/∂x = l·σ(x) − q·y.
pub(crate) fn bce(p: &Bce, batch: &Batch) -> TermOutput {
    let n = batch.len() as f64;
    let q = p.pos_weight;
    let mut value = 0.0;
    let mut dx = vec![0.0; batch.len()];
    for ((&x, &y), d) in batch.x.iter().zip(batch.y).zip(&mut dx) {
        let y = y * (1.0 - p.label_smoothing) + 0.5 * p.label_smoothing;
        let l = 1.0 + (q - 1.0) * y;
        value += (1.0 - y) * x + l * softplus(-x);
        *d = (l * sigmoid(x) - q * y) / n;
    }
    TermOutput {
        value: value / n,
        dx,
        class_weights: None,
    }
}

/// BCE under a per-pixel weight map w: Σ w·ℓ / N (`norm=mean`) or Σ w·ℓ / Σ w
/// (`norm=weighted_mean`). w = w_fg·y + w_bg·(1−y) from the class weights of the scope,
/// plus U-Net's border term on background pixels for `weights=unet_border`.
pub(crate) fn wbce(p: &Wbce, batch: &Batch, ctx: &LossContext) -> Result<TermOutput> {
    let kind = match p.weights {
        WeightMap::Class(kind) => kind,
        WeightMap::UnetBorder => super::spec::ClassWeighting::InverseFrequency,
    };
    let per_image = scoped_class_weights(kind, p.scope, batch, ctx, "wbce")?;
    let hw = batch.pixels_per_image();
    let mut weight = Vec::with_capacity(batch.len());
    for (image, [w_bg, w_fg]) in per_image.iter().enumerate() {
        let y = &batch.y[image * hw..(image + 1) * hw];
        let border = match p.weights {
            WeightMap::UnetBorder => unet_border(y, batch.height, batch.width, p.w0, p.sigma),
            WeightMap::Class(_) => vec![0.0; hw],
        };
        weight.extend(
            y.iter()
                .zip(&border)
                .map(|(&y, &b)| w_fg * y + w_bg * (1.0 - y) + b),
        );
    }
    let denominator = match p.norm {
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

/// torch `cross_entropy(weight=[w_bg, w_fg])` on two-class logits [0, x] (index targets: a
/// weighted mean). Soft targets generalise it: ℓ = −w_fg·y·logσ(x) − w_bg·(1−y)·logσ(−x),
/// divided by Σ (w_fg·y + w_bg·(1−y)), which is torch's denominator for hard labels.
/// ∂ℓ/∂x = w_bg·(1−y)·σ(x) − w_fg·y·σ(−x).
pub(crate) fn ce(p: &Ce, batch: &Batch, ctx: &LossContext) -> Result<TermOutput> {
    let per_image = match p.weights {
        CeWeights::None => vec![[1.0, 1.0]; batch.images],
        CeWeights::Manual(w) => vec![w; batch.images],
        CeWeights::Class(kind) => scoped_class_weights(kind, p.scope, batch, ctx, "ce")?,
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
    let class_weights = match p.weights {
        CeWeights::None => None,
        _ => Some(mean_weights(&per_image)),
    };
    Ok(TermOutput {
        value: value / denominator,
        dx,
        class_weights,
    })
}
