//! A loss spec as a Keras 3 `def loss(y_true, y_pred)` written with `keras.ops` only (any backend).
//!
//! Each term becomes one function of the binary view (x, y) that `loss::evaluate` uses: x the object
//! logit (N, H, W), y the target (N, H, W). Numbers are inlined; class weights counted over the
//! dataset are inlined too, while per-image and per-batch weights are computed from y_true the way
//! `loss::weights` does. Gradients come from autodiff of the same formulas.

use super::python_number as num;
use crate::error::Result;
use crate::loss::bce::Bce;
use crate::loss::ce::{Ce, CeWeights};
use crate::loss::dice::{Dice, DiceClasses};
use crate::loss::focal::Focal;
use crate::loss::gdice::{Gdice, GdiceWeight};
use crate::loss::jaccard::Jaccard;
use crate::loss::tversky::{FocalTversky, Tversky};
use crate::loss::wbce::{Norm, Wbce, WeightMap};
use crate::loss::{ClassWeighting, Loss, LossContext, LossSpec, Scope, class_weights};
use crate::nn::Head;

/// Helper functions the terms may call, each emitted once after the terms if a term calls it.
const RATIO: &str = r#"def _ratio(num, den):
    # num / den, and 0 where den is 0 (smooth=0 with nothing predicted or present), with a
    # finite gradient on both branches.
    positive = den > 0
    return ops.where(positive, num / ops.where(positive, den, 1.0), 0.0)
"#;

const CLASS_WEIGHTS: &str = r#"def _class_weights(y, per_image, median):
    # Class weights (w_bg, w_fg) from the pixel counts of y_true: shape (batch, 1, 1) per image,
    # (1, 1, 1) per batch. inverse frequency: w_c = 1 / (K·f_c), f_c = count_c / all pixels;
    # median frequency (SegNet): f_c = count_c / pixels of the images containing c,
    # w_c = mean of the present f / f_c. K = classes present; an absent class gets the other's
    # weight. They depend on y only, so no gradient flows through them.
    counts = [ops.sum(1.0 - y, axis=(1, 2), keepdims=True), ops.sum(y, axis=(1, 2), keepdims=True)]
    pixels = ops.cast(ops.shape(y)[1] * ops.shape(y)[2], y.dtype)
    with_class = [ops.where(c > 0, pixels, 0.0) for c in counts]
    if not per_image:
        counts = [ops.sum(c, axis=0, keepdims=True) for c in counts]
        with_class = [ops.sum(w, axis=0, keepdims=True) for w in with_class]
    present = [c > 0 for c in counts]
    k = ops.maximum(sum(ops.cast(p, y.dtype) for p in present), 1.0)
    if median:
        freq = [c / ops.maximum(w, 1.0) for c, w in zip(counts, with_class)]
        scale = sum(ops.where(p, f, 0.0) for p, f in zip(present, freq)) / k
    else:
        freq = [c / (counts[0] + counts[1]) for c in counts]
        scale = 1.0 / k
    raw = [ops.where(p, scale / ops.where(p, f, 1.0), 0.0) for p, f in zip(present, freq)]
    largest = ops.maximum(raw[0], raw[1])
    return [ops.where(p, r, largest) for p, r in zip(present, raw)]
"#;

/// Where `scope=dataset` class weights come from in the generated code.
#[derive(Clone, Copy)]
pub enum DatasetWeights<'a> {
    /// Numbers inlined, counted over these statistics.
    Counted(&'a LossContext),
    /// `DATASET_CLASS_WEIGHTS["inverse_frequency" | "median_frequency"]`, which the training
    /// script counts over the training masks of the user's folder before it trains.
    Script,
}

/// The whole snippet: header comment, imports, `loss`, one function per term, helpers.
pub fn loss_code(spec: &LossSpec, head: Head, ctx: &LossContext) -> Result<String> {
    loss_code_with(spec, head, DatasetWeights::Counted(ctx))
}

/// `loss_code` with dataset class weights from `weights`.
pub fn loss_code_with(spec: &LossSpec, head: Head, ctx: DatasetWeights) -> Result<String> {
    let mut terms = Vec::new();
    let mut calls = Vec::new();
    for (i, term) in spec.terms.iter().enumerate() {
        let name = format!("_{}_{}", term.loss.name(), i + 1);
        let (what, body) = term_code(&term.loss, ctx)?;
        let spec = LossSpec::from(term.loss.clone());
        terms.push(format!(
            "\n\ndef {name}(x, y):\n    \"\"\"{spec}: {what}.\"\"\"\n{body}"
        ));
        calls.push(if term.coefficient == 1.0 {
            format!("{name}(x, y)")
        } else {
            format!("{} * {name}(x, y)", num(term.coefficient))
        });
    }
    let (shape, binary) = match head {
        Head::Sigmoid => (
            "(batch, H, W, 1)",
            "    x = y_pred[..., 0]  # sigmoid head: p = sigmoid(x)",
        ),
        Head::Softmax => (
            "(batch, H, W, 2) = [background, object]",
            "    # softmax head: softmax over [bg, fg] gives the object probability sigmoid(fg - bg).\n    x = y_pred[..., 1] - y_pred[..., 0]",
        ),
    };
    let mut out = format!(
        "# Loss \"{spec}\" as segloss computes it (value and gradient),\n\
         # for Keras 3 (keras.ops: JAX, TensorFlow or PyTorch backend).\n\
         # y_true: (batch, H, W, 1), values in {{0, 1}} (1 = object).\n\
         # y_pred: logits {shape}.\n\
         # The model's last layer must be linear (no activation): the loss applies the {} itself.\n\
         # Returns a scalar: every term already averages over the batch.\n\
         import keras\n\
         from keras import ops\n\n\n\
         def loss(y_true, y_pred):\n\
         \x20   # Binary view, (batch, H, W) each: x the object logit, y the target.\n\
         {binary}\n\
         \x20   y = ops.cast(y_true[..., 0], x.dtype)\n\
         \x20   return {}\n",
        match head {
            Head::Sigmoid => "sigmoid",
            Head::Softmax => "softmax",
        },
        calls.join(" + ")
    );
    let terms = terms.concat();
    out += &terms;
    for (call, helper) in [("_ratio(", RATIO), ("_class_weights(", CLASS_WEIGHTS)] {
        if terms.contains(call) {
            out += "\n\n";
            out += helper;
        }
    }
    Ok(out)
}

/// One term's body, and what its docstring says it follows.
fn term_code(loss: &Loss, ctx: DatasetWeights) -> Result<(&'static str, String)> {
    Ok(match loss {
        Loss::Bce(p) => (
            "torch binary_cross_entropy_with_logits(pos_weight), Keras label smoothing; mean over the batch's pixels",
            bce(p),
        ),
        Loss::Wbce(p) => (
            "BCE under a class weight map; sum(w * bce) / N or / sum(w)",
            wbce(p, ctx)?,
        ),
        Loss::Ce(p) => (
            "torch cross_entropy(weight=[w_bg, w_fg]) on [bg, fg]; weighted mean",
            ce(p, ctx)?,
        ),
        Loss::Dice(p) => (
            "MONAI DiceLoss(sigmoid=True); mean over images (or the batch) and classes",
            dice(p),
        ),
        Loss::Gdice(p) => (
            "MONAI GeneralizedDiceLoss(softmax=True) on [bg, fg]; mean over images",
            gdice(p),
        ),
        Loss::Jaccard(p) => (
            "MONAI DiceLoss(sigmoid=True, jaccard=True); mean over images (or the batch)",
            jaccard(p),
        ),
        Loss::Tversky(p) | Loss::FocalTversky(FocalTversky(p)) => (
            "MONAI TverskyLoss(sigmoid=True), (1 - T)**gamma per image (or batch); mean",
            tversky(p),
        ),
        Loss::Focal(p) => (
            "MONAI sigmoid_focal_loss in log space; mean over the batch's pixels",
            focal(p),
        ),
        Loss::Lovasz(p) => (
            "Berman's lovasz_hinge; mean over images (or the batch). Hard labels",
            lovasz(p.per_image),
        ),
        Loss::Mse(_) => (
            "mean((sigmoid(x) - y)**2) over the batch's pixels",
            "    return ops.mean(ops.square(ops.sigmoid(x) - y))\n".to_string(),
        ),
    })
}

const UNET_BORDER: &str = r#"    # U-Net's border term needs the connected objects of y_true and exact distance transforms,
    # which keras.ops does not have. Compute the weight map w (batch, H, W) in the data pipeline
    # (scipy.ndimage.label and distance_transform_edt, as docs/losses.md describes) and use
    # sum(w * ((1 - y) * x + softplus(-x))) / sum(w).
    raise NotImplementedError("wbce(weights=unet_border) needs a precomputed weight map; see the comment")
"#;

/// Lines that set `w_bg, w_fg`: numbers for `scope=dataset`, computed from y otherwise.
fn class_weight_lines(
    kind: ClassWeighting,
    scope: Scope,
    ctx: DatasetWeights,
    loss: &str,
) -> Result<String> {
    let median = kind == ClassWeighting::MedianFrequency;
    let name = if median {
        "median_frequency"
    } else {
        "inverse_frequency"
    };
    Ok(match scope {
        Scope::Dataset => {
            let DatasetWeights::Counted(ctx) = ctx else {
                return Ok(format!(
                    "    # {name} weights counted over the training masks of your folder.\n    w_bg, w_fg = DATASET_CLASS_WEIGHTS[\"{name}\"]\n"
                ));
            };
            let Some(stats) = &ctx.stats else {
                crate::bail!(
                    "{loss}: scope=dataset needs dataset class statistics to write the weights into the code; none were given"
                );
            };
            let [bg, fg] = class_weights(kind, stats);
            format!(
                "    # {name} weights counted over the training masks ({} background, {} object pixels).\n    w_bg, w_fg = {}, {}\n",
                num(stats.pixels[0]),
                num(stats.pixels[1]),
                num(bg),
                num(fg)
            )
        }
        Scope::Image | Scope::Batch => {
            let per_image = if scope == Scope::Image {
                "True"
            } else {
                "False"
            };
            let median = if median { "True" } else { "False" };
            format!(
                "    w_bg, w_fg = _class_weights(y, per_image={per_image}, median={median})  # {name}\n"
            )
        }
    })
}

fn bce(p: &Bce) -> String {
    let mut out = String::new();
    if p.label_smoothing != 0.0 {
        let ls = num(p.label_smoothing);
        out += &format!("    y = y * (1.0 - {ls}) + 0.5 * {ls}\n");
    }
    if p.pos_weight == 1.0 {
        out += "    return ops.mean((1.0 - y) * x + ops.softplus(-x))\n";
    } else {
        let q = num(p.pos_weight);
        out += &format!(
            "    # pos_weight {q} scales the foreground term.\n    return ops.mean((1.0 - y) * x + (1.0 + ({q} - 1.0) * y) * ops.softplus(-x))\n"
        );
    }
    out
}

fn wbce(p: &Wbce, ctx: DatasetWeights) -> Result<String> {
    let kind = match p.weights {
        WeightMap::UnetBorder => return Ok(UNET_BORDER.to_string()),
        WeightMap::Class(kind) => kind,
    };
    let weights = class_weight_lines(kind, p.scope, ctx, "wbce")?;
    let denominator = match p.norm {
        Norm::Mean => "ops.cast(ops.size(x), x.dtype)",
        Norm::WeightedMean => "ops.sum(w)",
    };
    Ok(format!(
        "{weights}    w = w_fg * y + w_bg * (1.0 - y)\n    bce = (1.0 - y) * x + ops.softplus(-x)\n    return ops.sum(w * bce) / {denominator}\n"
    ))
}

fn ce(p: &Ce, ctx: DatasetWeights) -> Result<String> {
    let weights = match p.weights {
        CeWeights::None => "    w_bg, w_fg = 1.0, 1.0\n".to_string(),
        CeWeights::Manual([bg, fg]) => format!("    w_bg, w_fg = {}, {}\n", num(bg), num(fg)),
        CeWeights::Class(kind) => class_weight_lines(kind, p.scope, ctx, "ce")?,
    };
    Ok(format!(
        "{weights}    value = w_fg * y * ops.softplus(-x) + w_bg * (1.0 - y) * ops.softplus(x)\n    return ops.sum(value) / ops.sum(w_fg * y + w_bg * (1.0 - y))\n"
    ))
}

fn axis(per_image: bool) -> &'static str {
    if per_image { "(1, 2)" } else { "None" }
}

fn dice(p: &Dice) -> String {
    let classes = match p.classes {
        DiceClasses::Fg => "[(ops.sigmoid(x), y)]",
        DiceClasses::Bg => "[(ops.sigmoid(-x), 1.0 - y)]",
        DiceClasses::Both => "[(ops.sigmoid(-x), 1.0 - y), (ops.sigmoid(x), y)]",
    };
    let (pred, ground) = if p.squared {
        ("ops.square(p)", "ops.square(g)")
    } else {
        ("p", "g")
    };
    let s = num(p.smooth);
    let outer = if p.log {
        "ops.mean(-ops.log(ops.maximum(score, 1e-7)))"
    } else {
        "ops.mean(1.0 - score)"
    };
    format!(
        "    scores = []\n    for p, g in {classes}:\n        intersection = ops.sum(p * g, axis={axis})\n        total = ops.sum({pred}, axis={axis}) + ops.sum({ground}, axis={axis})\n        scores.append(_ratio(2.0 * intersection + {s}, total + {s}))\n    score = ops.stack(scores)\n    return {outer}\n",
        axis = axis(p.per_image)
    )
}

fn jaccard(p: &Jaccard) -> String {
    let s = num(p.smooth);
    format!(
        "    p = ops.sigmoid(x)\n    intersection = ops.sum(p * y, axis={axis})\n    total = ops.sum(p, axis={axis}) + ops.sum(y, axis={axis})\n    score = _ratio(2.0 * intersection + {s}, 2.0 * (total - intersection) + {s})\n    return ops.mean(1.0 - score)\n",
        axis = axis(p.per_image)
    )
}

fn tversky(p: &Tversky) -> String {
    let s = num(p.smooth);
    let outer = if p.gamma == 1.0 {
        "    return ops.mean(1.0 - t)\n".to_string()
    } else {
        format!(
            "    base = 1.0 - t\n    # (1 - T)**gamma, with loss and gradient 0 at T = 1.\n    positive = base > 0\n    return ops.mean(ops.where(positive, ops.power(ops.where(positive, base, 1.0), {}), 0.0))\n",
            num(p.gamma)
        )
    };
    format!(
        "    p = ops.sigmoid(x)\n    tp = ops.sum(p * y, axis={axis})\n    fp = ops.sum(p * (1.0 - y), axis={axis})\n    fn = ops.sum((1.0 - p) * y, axis={axis})\n    t = _ratio(tp + {s}, tp + {alpha} * fp + {beta} * fn + {s})\n{outer}",
        axis = axis(p.per_image),
        alpha = num(p.alpha),
        beta = num(p.beta),
    )
}

fn gdice(p: &Gdice) -> String {
    let weight = match p.w_type {
        GdiceWeight::Square => "1.0 / ops.square(ops.where(g > 0, g, 1.0))",
        GdiceWeight::Simple => "1.0 / ops.where(g > 0, g, 1.0)",
        GdiceWeight::Uniform => "1.0",
    };
    let s = num(p.smooth);
    format!(
        "    classes = [(ops.sigmoid(-x), 1.0 - y), (ops.sigmoid(x), y)]  # [bg, fg]\n    tp = [ops.sum(p * g, axis=(1, 2)) for p, g in classes]\n    pred = [ops.sum(p, axis=(1, 2)) for p, _ in classes]\n    ground = [ops.sum(g, axis=(1, 2)) for _, g in classes]\n    # Per image and class; an empty class (infinite weight) takes the image's largest finite one.\n    raw = [ops.where(g > 0, {weight}, 0.0) for g in ground]\n    largest = ops.maximum(raw[0], raw[1])\n    w = [ops.where(g > 0, r, largest) for g, r in zip(ground, raw)]\n    num = 2.0 * (w[0] * tp[0] + w[1] * tp[1]) + {s}\n    den = w[0] * (pred[0] + ground[0]) + w[1] * (pred[1] + ground[1]) + {s}\n    return ops.mean(1.0 - _ratio(num, den))\n"
    )
}

fn focal(p: &Focal) -> String {
    let gamma = num(p.gamma);
    let mut out = format!(
        "    t = 2.0 * y - 1.0\n    bce = (1.0 - y) * x + ops.softplus(-x)\n    # (1 - p_t)**gamma = exp(-gamma * softplus(t * x)): finite gradients for gamma < 1.\n    modulating = ops.exp(-{gamma} * ops.softplus(t * x))\n"
    );
    match p.alpha {
        None => out += "    return ops.mean(modulating * bce)\n",
        Some(alpha) => {
            let alpha = num(alpha);
            out += &format!(
                "    alpha = {alpha} * y + (1.0 - {alpha}) * (1.0 - y)\n    return ops.mean(alpha * modulating * bce)\n"
            );
        }
    }
    out
}

fn lovasz(per_image: bool) -> String {
    let (rows, comment) = if per_image {
        ("(ops.shape(x)[0], -1)", "one row per image")
    } else {
        ("(1, -1)", "the batch as one image")
    };
    format!(
        r#"    x = ops.reshape(x, {rows})  # {comment}
    g = ops.reshape(y, ops.shape(x))
    errors = 1.0 - x * (2.0 * g - 1.0)
    order = ops.argsort(-errors, axis=-1)  # descending; stable, so ties keep pixel order
    errors = ops.take_along_axis(errors, order, axis=-1)
    g = ops.take_along_axis(g, order, axis=-1)
    # Increments of the Jaccard loss J_k = (fg_k + bg_k) / (gts + bg_k) along the order, with fg_k,
    # bg_k the object and background pixels among the first k + 1, written without cancellation.
    gts = ops.sum(g, axis=-1, keepdims=True)
    fg = ops.cumsum(g, axis=-1)
    bg = ops.cumsum(1.0 - g, axis=-1)
    fg_before, bg_before = fg - g, bg - (1.0 - g)
    union, union_before = gts + bg, gts + bg_before
    started = union_before > 0
    increments = ops.where(
        started,
        (gts - fg_before + g * (fg_before + bg_before)) / (union * ops.where(started, union_before, 1.0)),
        (fg + bg) / union,
    )
    return ops.mean(ops.sum(ops.relu(errors) * increments, axis=-1))
"#
    )
}
