//! Loss specs (parse/format) and dispatch to one file per loss family.
//!
//! Every loss sees one binary view of the batch: a logit x per pixel and a target y in [0, 1].
//! - Sigmoid head, logits (N, H, W, 1): x = l, and dlogits = dx.
//! - Softmax head, logits (N, H, W, 2) = [bg, fg]: x = l_fg − l_bg, because softmax over two
//!   channels gives σ(l_fg − l_bg) for the foreground; dl_fg = dx, dl_bg = −dx. The two-class
//!   losses (`ce`, `gdice`) are functions of that same x: on a sigmoid head they read the logits
//!   as [0, x], which gives the same probabilities.
//!
//! Values and gradients are computed in f64 with libm and a fixed summation order; dlogits is
//! returned as f32.

mod catalogue;
pub mod explore;
mod focal;
mod lovasz;
mod mse;
mod pixelwise;
mod region;
mod spec;
pub mod weights;

pub use catalogue::{LossInfo, ParamInfo, catalogue, catalogue_markdown};
pub use spec::*;
pub use weights::{ClassStats, class_weights};

use crate::error::Result;
use crate::tensor::{Tensor, TensorView, check_shape, format_shape};
use ndarray::ArrayView2;

/// Dataset-level class statistics for `scope=dataset` weights; `Default` holds none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LossContext {
    pub stats: Option<ClassStats>,
}

impl LossContext {
    /// Counts class pixels over every mask (H, W) of a dataset. Values are clamped to [0, 1];
    /// NaN counts as background.
    pub fn from_masks<'a>(masks: impl IntoIterator<Item = ArrayView2<'a, f32>>) -> Self {
        let mut stats = ClassStats::default();
        for mask in masks {
            let y: Vec<f64> = mask
                .iter()
                .map(|&v| {
                    if v.is_nan() {
                        0.0
                    } else {
                        v.clamp(0.0, 1.0) as f64
                    }
                })
                .collect();
            stats.add_image(&y);
        }
        LossContext { stats: Some(stats) }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LossOutput {
    pub value: f64,
    /// Same shape as the logits.
    pub dlogits: Tensor,
    /// [bg, fg] weights the first class-weighted term used (the mean over images for
    /// `scope=image`), for the page to show.
    pub class_weights: Option<[f64; 2]>,
}

/// Evaluates `spec` on logits (N, H, W, 1|2) and targets (N, H, W, 1) in [0, 1].
pub fn evaluate(
    spec: &LossSpec,
    logits: TensorView,
    target: TensorView,
    ctx: &LossContext,
) -> Result<LossOutput> {
    let shape = logits.shape();
    let channels = shape.get(3).copied().unwrap_or(0);
    if shape.len() != 4 || !(1..=2).contains(&channels) {
        crate::bail!(
            "logits has shape {}, expected (N, H, W, 1) for a sigmoid head or (N, H, W, 2) for a softmax head [bg, fg]",
            format_shape(shape)
        );
    }
    let (n, h, w) = (shape[0], shape[1], shape[2]);
    check_shape(
        "target",
        target.shape(),
        [Some(n), Some(h), Some(w), Some(1)],
    )?;
    if n * h * w == 0 {
        crate::bail!("logits has shape {}: no pixels", format_shape(shape));
    }
    if let Some((index, v)) = logits.indexed_iter().find(|(_, v)| !v.is_finite()) {
        crate::bail!("logits has a non-finite value {v} at {index:?}");
    }
    if let Some((index, v)) = target
        .indexed_iter()
        .find(|(_, v)| !(0.0..=1.0).contains(*v))
    {
        crate::bail!("target has value {v} at {index:?}, expected values in [0, 1]");
    }

    // x: (N·H·W), image-major like the NHWC tensors.
    let x: Vec<f64> = logits
        .outer_iter()
        .flat_map(|image| {
            image
                .rows()
                .into_iter()
                .map(|l| match channels {
                    1 => l[0] as f64,
                    _ => l[1] as f64 - l[0] as f64,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let y: Vec<f64> = target.iter().map(|&v| v as f64).collect();
    let batch = Batch {
        x: &x,
        y: &y,
        images: n,
        height: h,
        width: w,
    };
    let out = evaluate_binary(spec, &batch, ctx)?;

    let mut dlogits = Tensor::zeros((n, h, w, channels));
    for (pixel, &dx) in dlogits.rows_mut().into_iter().zip(&out.dx) {
        let mut pixel = pixel;
        match channels {
            1 => pixel[0] = dx as f32,
            _ => {
                pixel[0] = -dx as f32;
                pixel[1] = dx as f32;
            }
        }
    }
    Ok(LossOutput {
        value: out.value,
        dlogits,
        class_weights: out.class_weights,
    })
}

/// The binary view of a batch: logits x and targets y, (N·H·W) each, image-major.
pub(crate) struct Batch<'a> {
    pub x: &'a [f64],
    pub y: &'a [f64],
    pub images: usize,
    pub height: usize,
    pub width: usize,
}

impl Batch<'_> {
    pub fn pixels_per_image(&self) -> usize {
        self.height * self.width
    }

    pub fn len(&self) -> usize {
        self.x.len()
    }
}

/// A value and its gradient dx (N·H·W) with respect to the binary logits.
pub(crate) struct TermOutput {
    pub value: f64,
    pub dx: Vec<f64>,
    pub class_weights: Option<[f64; 2]>,
}

/// The weighted sum of the spec's terms, in order.
pub(crate) fn evaluate_binary(
    spec: &LossSpec,
    batch: &Batch,
    ctx: &LossContext,
) -> Result<TermOutput> {
    let mut total = TermOutput {
        value: 0.0,
        dx: vec![0.0; batch.len()],
        class_weights: None,
    };
    for term in &spec.terms {
        let out = match &term.loss {
            Loss::Bce(p) => pixelwise::bce(p, batch),
            Loss::Wbce(p) => pixelwise::wbce(p, batch, ctx)?,
            Loss::Ce(p) => pixelwise::ce(p, batch, ctx)?,
            Loss::Dice(p) => region::dice(p, batch),
            Loss::Gdice(p) => region::gdice(p, batch),
            Loss::Jaccard(p) => region::jaccard(p, batch),
            Loss::Tversky(p) | Loss::FocalTversky(p) => region::tversky(p, batch),
            Loss::Focal(p) => focal::focal(p, batch),
            Loss::Lovasz(p) => lovasz::lovasz(p, batch),
            Loss::Mse => mse::mse(batch),
        };
        total.value += term.coefficient * out.value;
        for (sum, d) in total.dx.iter_mut().zip(&out.dx) {
            *sum += term.coefficient * d;
        }
        total.class_weights = total.class_weights.or(out.class_weights);
    }
    Ok(total)
}

/// σ(x) without overflow for either sign.
pub(crate) fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + libm::exp(-x))
    } else {
        let e = libm::exp(x);
        e / (1.0 + e)
    }
}

/// log(1 + eˣ) = max(x, 0) + log1p(e^−|x|), exact for large |x|.
pub(crate) fn softplus(x: f64) -> f64 {
    x.max(0.0) + libm::log1p(libm::exp(-x.abs()))
}

/// σ'(x) = σ(x)·σ(−x), accurate in both tails (unlike σ(1 − σ)).
pub(crate) fn dsigmoid(x: f64) -> f64 {
    sigmoid(x) * sigmoid(-x)
}

/// Reduction units for region losses: one per image, or the whole batch as one.
pub(crate) fn units(batch: &Batch, per_image: bool) -> Vec<std::ops::Range<usize>> {
    if per_image {
        let hw = batch.pixels_per_image();
        (0..batch.images).map(|i| i * hw..(i + 1) * hw).collect()
    } else {
        vec![std::ops::Range {
            start: 0,
            end: batch.len(),
        }]
    }
}

#[cfg(test)]
mod tests;
