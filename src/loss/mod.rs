//! Loss specs and their evaluation, one file per loss family.
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
//!
//! Layers, top down: this file (the public face and the dispatch), `grammar.rs` (parsing and
//! printing specs), one file per family, then what families share: `params.rs` (reading
//! `key=value`), `overlap.rs` (region losses), `weights.rs` (class weights, border map),
//! `math.rs`, `binary.rs` (the binary view).
//!
//! A family's file holds its config (struct, defaults, validation, canonical parameters) beside
//! its forward and backward, as an implementation of `Family`. Adding one takes that file, its
//! `pub mod` line and its `families!` line below, its entry in catalogue.rs and its arm in
//! src/keras/loss.rs; tests then ask for its reference fixture (tests/fixtures/losses/, from
//! scripts/loss_fixtures.py) and for docs/losses.md to show the new catalogue.

mod binary;
mod catalogue;
pub mod explore;
mod grammar;
mod math;
mod overlap;
mod params;
pub mod weights;

pub mod bce;
pub mod ce;
pub mod dice;
pub mod focal;
pub mod gdice;
pub mod jaccard;
pub mod lovasz;
pub mod mse;
pub mod tversky;
pub mod wbce;

pub use catalogue::{LossInfo, ParamInfo, catalogue, catalogue_markdown};
pub(crate) use math::sigmoid;
pub use params::number;
pub use weights::{ClassStats, ClassWeighting, LossContext, Scope, class_weights};

use crate::error::Result;
use crate::tensor::{Tensor, TensorView};
use binary::{Batch, BinaryView, TermOutput};
use params::Params;

/// A weighted sum of loss terms, evaluated in order.
#[derive(Debug, Clone, PartialEq)]
pub struct LossSpec {
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub coefficient: f64,
    pub loss: Loss,
}

impl From<Loss> for LossSpec {
    fn from(loss: Loss) -> LossSpec {
        LossSpec {
            terms: vec![Term {
                coefficient: 1.0,
                loss,
            }],
        }
    }
}

/// What a loss family provides: its name and parameters in spec strings, and its value with
/// d/dx on the binary view.
pub(crate) trait Family: Sized {
    const NAME: &'static str;
    /// Reads the parameters, a default for each one absent, validating every value.
    fn read(params: &mut Params) -> Result<Self>;
    /// Every parameter as (key, canonical value), defaults included; `Display` prints those that
    /// differ from the defaults.
    fn pairs(&self) -> Vec<(&'static str, String)>;
    fn evaluate(&self, batch: &Batch, ctx: &LossContext) -> Result<TermOutput>;
}

/// Declares the [`Loss`] enum, [`LOSS_NAMES`] and the dispatch to each family from one line per
/// family, `Variant(Config)`, in catalogue order.
macro_rules! families {
    ($($variant:ident($config:ty)),+ $(,)?) => {
        /// One loss with its parameters, spelled as in the spec string.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Loss {
            $($variant($config),)+
        }

        /// Every loss name the grammar accepts, in catalogue order.
        pub const LOSS_NAMES: [&str; [$(stringify!($variant)),+].len()] =
            [$(<$config as Family>::NAME),+];

        impl Loss {
            pub fn name(&self) -> &'static str {
                match self {
                    $(Loss::$variant(_) => <$config as Family>::NAME,)+
                }
            }

            /// The family `name`'s config read from `params`; `None` if no family has that name.
            fn read_family(name: &str, params: &mut Params) -> Option<Result<Loss>> {
                $(if name == <$config as Family>::NAME {
                    return Some(<$config as Family>::read(params).map(Loss::$variant));
                })+
                None
            }

            pub(crate) fn pairs(&self) -> Vec<(&'static str, String)> {
                match self {
                    $(Loss::$variant(config) => config.pairs(),)+
                }
            }

            fn evaluate(&self, batch: &Batch, ctx: &LossContext) -> Result<TermOutput> {
                match self {
                    $(Loss::$variant(config) => config.evaluate(batch, ctx),)+
                }
            }
        }
    };
}

families! {
    Bce(bce::Bce),
    Wbce(wbce::Wbce),
    Ce(ce::Ce),
    Dice(dice::Dice),
    Gdice(gdice::Gdice),
    Jaccard(jaccard::Jaccard),
    Tversky(tversky::Tversky),
    FocalTversky(tversky::FocalTversky),
    Focal(focal::Focal),
    Lovasz(lovasz::Lovasz),
    Mse(mse::Mse),
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
    let view = BinaryView::new(logits, target)?;
    let out = evaluate_binary(spec, &view.batch(), ctx)?;
    Ok(LossOutput {
        value: out.value,
        dlogits: view.dlogits(&out.dx),
        class_weights: out.class_weights,
    })
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
        let out = term.loss.evaluate(batch, ctx)?;
        total.value += term.coefficient * out.value;
        for (sum, d) in total.dx.iter_mut().zip(&out.dx) {
            *sum += term.coefficient * d;
        }
        total.class_weights = total.class_weights.or(out.class_weights);
    }
    Ok(total)
}

#[cfg(test)]
mod tests;
