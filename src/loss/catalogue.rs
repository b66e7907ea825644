//! What each loss is, for people: the page's loss explorer and docs/losses.md show this text
//! (a test keeps the doc equal to `catalogue_markdown()`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamInfo {
    pub name: &'static str,
    pub default: &'static str,
    /// Valid values: a range or the list of choices.
    pub values: &'static str,
    pub meaning: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LossInfo {
    pub name: &'static str,
    pub title: &'static str,
    pub params: &'static [ParamInfo],
    pub formula: &'static str,
    /// The library call it matches, value and gradient.
    pub convention: &'static str,
    pub reduction: &'static str,
    pub empty_mask: &'static str,
    pub when_to_use: &'static str,
}

const fn param(
    name: &'static str,
    default: &'static str,
    values: &'static str,
    meaning: &'static str,
) -> ParamInfo {
    ParamInfo {
        name,
        default,
        values,
        meaning,
    }
}

const SMOOTH: ParamInfo = param(
    "smooth",
    "1e-5",
    "[0, 1000]",
    "added to numerator and denominator (MONAI smooth_nr = smooth_dr)",
);
const PER_IMAGE: ParamInfo = param(
    "per_image",
    "true",
    "true, false",
    "score each image and average, or score the batch as one image",
);
const SCOPE: ParamInfo = param(
    "scope",
    "batch",
    "image, batch, dataset",
    "where class frequencies are counted; dataset needs statistics from the whole training set",
);

/// Every loss the spec grammar accepts, in the order of `LOSS_NAMES`.
pub fn catalogue() -> &'static [LossInfo] {
    &CATALOGUE
}

static CATALOGUE: [LossInfo; 11] = [
    LossInfo {
        name: "bce",
        title: "Binary cross-entropy",
        params: &[
            param(
                "pos_weight",
                "1",
                "(0, 1e6]",
                "multiplies the loss of foreground pixels",
            ),
            param(
                "label_smoothing",
                "0",
                "[0, 1]",
                "targets become y(1 − ls) + ls/2 (Keras)",
            ),
        ],
        formula: "ℓ = (1−y)·x + (1 + (q−1)·y)·softplus(−x);  ∂ℓ/∂x = (1 + (q−1)y)·σ(x) − q·y",
        convention: "torch binary_cross_entropy_with_logits(pos_weight=q), reduction mean; smoothing as Keras BinaryCrossentropy(label_smoothing)",
        reduction: "mean over all pixels of the batch",
        empty_mask: "well defined: pushes every logit down; an empty image is just many easy negatives",
        when_to_use: "the default for one object class; with heavy imbalance the background dominates the mean, so raise pos_weight or use a weighted or region loss",
    },
    LossInfo {
        name: "wbce",
        title: "Weighted binary cross-entropy (weight map)",
        params: &[
            param(
                "weights",
                "inverse_frequency",
                "inverse_frequency, median_frequency, unet_border",
                "class weights from frequencies; unet_border adds U-Net's term between touching objects",
            ),
            SCOPE,
            param(
                "norm",
                "weighted_mean",
                "mean, weighted_mean",
                "divide Σ w·ℓ by N or by Σ w",
            ),
            param(
                "w0",
                "10",
                "[0, 1000]",
                "unet_border only: height of the border term",
            ),
            param(
                "sigma",
                "5",
                "(0, 1000]",
                "unet_border only: width of the border term in pixels",
            ),
        ],
        formula: "w = w_fg·y + w_bg·(1−y) [+ w0·exp(−(d1+d2)²/(2σ²)) on background];  loss = Σ w·ℓ_bce / N or / Σ w",
        convention: "inverse frequency w_c = 1/(K·f_c) (mean weight 1, sklearn 'balanced'); median frequency as SegNet (f_c counted over images containing c); border map as U-Net arXiv 1505.04597 with 4-connected objects of y > 0.5 and exact Euclidean distances (no library has this exact spec: the fixtures use an independent numpy/scipy implementation)",
        reduction: "the whole batch; class weights per image, per batch or from the dataset (scope)",
        empty_mask: "a class absent from the scope gets the largest weight of the others; a lone class gets weight 1, so an all-background image under scope=image is plain BCE",
        when_to_use: "cross-entropy that stops ignoring a rare foreground; scope=image adapts to images whose imbalance varies, dataset gives stable weights",
    },
    LossInfo {
        name: "ce",
        title: "Two-class softmax cross-entropy",
        params: &[
            param(
                "weights",
                "none",
                "none, inverse_frequency, median_frequency, manual",
                "class weights [w_bg, w_fg]",
            ),
            param("w_bg", "1", "(0, 1e6]", "manual only: background weight"),
            param("w_fg", "1", "(0, 1e6]", "manual only: foreground weight"),
            SCOPE,
        ],
        formula: "ℓ = −w_fg·y·logσ(x) − w_bg·(1−y)·logσ(−x);  loss = Σ ℓ / Σ (w_fg·y + w_bg·(1−y))",
        convention: "torch cross_entropy(weight=[w_bg, w_fg]) with index targets on logits [bg, fg] (a sigmoid head is read as [0, x]); soft targets use the same weighted-mean denominator",
        reduction: "weighted mean over the batch: the weights cancel in a batch with one class only (PyTorch #40560)",
        empty_mask: "an all-background batch gives the unweighted mean CE whatever the weights",
        when_to_use: "the softmax-head view of BCE; unweighted it equals bce on x = l_fg − l_bg",
    },
    LossInfo {
        name: "dice",
        title: "Soft Dice",
        params: &[
            SMOOTH,
            PER_IMAGE,
            param(
                "squared",
                "false",
                "true, false",
                "Σp² and Σg² in the denominator (V-Net)",
            ),
            param(
                "log",
                "false",
                "true, false",
                "−log(max(score, 1e-7)) instead of 1 − score (smp log_loss)",
            ),
            param(
                "classes",
                "fg",
                "fg, bg, both",
                "Dice of the foreground, of the background (\"inverse\" Dice), or their mean",
            ),
        ],
        formula: "1 − (2Σpg + s)/(Σp + Σg + s), p = σ(x)",
        convention: "MONAI DiceLoss(sigmoid=True, smooth_nr=s, smooth_dr=s, batch=not per_image, squared_pred=squared); per_image=false with smooth=0 equals smp DiceLoss('binary') on batches with some foreground",
        reduction: "per image (or per batch), per class, then the mean",
        empty_mask: "an empty image scores s/(Σp + s): the loss is ≈ 1 with a gradient ≈ 0 until Σp falls below smooth (MONAI); smp instead zeroes the loss of an empty batch",
        when_to_use: "optimises overlap directly and ignores the count of easy background pixels; per_image=true weighs small objects as much as large ones but punishes empty images hard",
    },
    LossInfo {
        name: "gdice",
        title: "Generalised Dice",
        params: &[
            param(
                "w_type",
                "square",
                "square, simple, uniform",
                "class weight 1/G², 1/G or 1 (G = class pixel count in the image)",
            ),
            SMOOTH,
        ],
        formula: "1 − (2Σ_c w_c·Σp_c g_c + s)/(Σ_c w_c·(Σp_c + Σg_c) + s) over c ∈ {bg, fg}",
        convention: "MONAI GeneralizedDiceLoss(softmax=True, w_type, smooth_nr=s, smooth_dr=s) on the two channels [bg, fg] (a sigmoid head is read as [0, x])",
        reduction: "per image, then the mean",
        empty_mask: "an empty class's infinite weight becomes the largest finite weight of the image (MONAI): on an empty image both classes weigh 1/G_bg², and foreground predicted there still counts in the denominator",
        when_to_use: "Dice that balances the two classes by their size in each image: the rare class counts as much as the common one",
    },
    LossInfo {
        name: "jaccard",
        title: "Soft Jaccard (IoU)",
        params: &[SMOOTH, PER_IMAGE],
        formula: "1 − (2Σpg + s)/(2(Σp + Σg − Σpg) + s)",
        convention: "MONAI DiceLoss(sigmoid=True, jaccard=True, smooth_nr=s, smooth_dr=s, batch=not per_image)",
        reduction: "per image (or per batch), then the mean",
        empty_mask: "like dice: ≈ 1 with a gradient ≈ 0 on an empty image",
        when_to_use: "when the metric is IoU; behaves like Dice with a steeper penalty for partial overlap",
    },
    LossInfo {
        name: "tversky",
        title: "Tversky",
        params: &[
            param("alpha", "0.5", "[0, 1000]", "weight of false positives"),
            param("beta", "0.5", "[0, 1000]", "weight of false negatives"),
            param("gamma", "1", "(0, 10]", "exponent: loss = (1 − T)^gamma"),
            SMOOTH,
            PER_IMAGE,
        ],
        formula: "T = (Σpg + s)/(Σpg + α·Σp(1−g) + β·Σ(1−p)g + s);  loss = (1 − T)^γ",
        convention: "MONAI TverskyLoss(sigmoid=True, alpha, beta, smooth_nr=s, smooth_dr=s, batch=not per_image) for gamma=1; the exponent as smp TverskyLoss, applied per unit",
        reduction: "per image (or per batch), then the mean",
        empty_mask: "T = s/(α·Σp + s): ≈ 1 loss on an empty image, as Dice; at T = 1 with gamma < 1 the gradient is taken as 0",
        when_to_use: "Dice with a dial: beta > alpha trades false positives for recall of small objects",
    },
    LossInfo {
        name: "focal_tversky",
        title: "Focal Tversky",
        params: &[
            param("alpha", "0.7", "[0, 1000]", "weight of false positives"),
            param("beta", "0.3", "[0, 1000]", "weight of false negatives"),
            param("gamma", "0.75", "(0, 10]", "exponent: loss = (1 − T)^gamma"),
            SMOOTH,
            PER_IMAGE,
        ],
        formula: "(1 − T)^γ with T as tversky",
        convention: "tversky with alpha=0.7, beta=0.3, gamma=0.75 (Abraham & Khan 2019 defaults); reference: MONAI TverskyLoss(reduction='none') raised to gamma",
        reduction: "per image (or per batch), then the mean",
        empty_mask: "as tversky",
        when_to_use: "gamma < 1 keeps pushing on examples that are already fairly good; a popular choice for small lesions",
    },
    LossInfo {
        name: "focal",
        title: "Focal loss",
        params: &[
            param("gamma", "2", "[0, 10]", "focusing exponent; 0 gives BCE"),
            param(
                "alpha",
                "none",
                "none or [0, 1]",
                "weight α on foreground pixels and 1 − α on background",
            ),
        ],
        formula: "ℓ = α_t·(1 − p_t)^γ·BCE, (1 − p_t)^γ computed as exp(−γ·softplus((2y−1)·x))",
        convention: "MONAI FocalLoss(gamma, alpha) sigmoid form (sigmoid_focal_loss), reduction mean; equals smp FocalLoss('binary') for hard labels",
        reduction: "mean over all pixels of the batch",
        empty_mask: "well defined; easy background pixels fade out as (1 − p_t)^γ",
        when_to_use: "many easy background pixels: it down-weights what is already right; gamma < 1 keeps finite gradients here",
    },
    LossInfo {
        name: "lovasz",
        title: "Lovász hinge",
        params: &[PER_IMAGE],
        formula: "Σ_k relu(e_(k))·ΔJ_k, e = 1 − x·(2y−1) sorted descending, ΔJ the increments of the Jaccard loss along that order",
        convention: "Berman's lovasz_hinge(per_image) (as vendored by smp); per_image=false equals smp LovaszLoss('binary')",
        reduction: "per image (or per batch), then the mean",
        empty_mask: "relu(1 + max x): only the worst logit is pushed down",
        when_to_use: "direct IoU optimisation; often used to fine-tune after BCE. Expects hard labels",
    },
    LossInfo {
        name: "mse",
        title: "Mean squared error",
        params: &[],
        formula: "mean((σ(x) − y)²)",
        convention: "the autoencoder-style baseline: torch mse_loss(sigmoid(x), y)",
        reduction: "mean over all pixels of the batch",
        empty_mask: "well defined",
        when_to_use: "a baseline: its gradient vanishes for confident wrong pixels, so it learns slowly",
    },
];

/// docs/losses.md's catalogue section: one table row per loss, then the parameters.
pub fn catalogue_markdown() -> String {
    let mut out = String::from(
        "| spec | formula | convention (matches value and gradient) | reduction | empty mask | when to use |\n\
         |---|---|---|---|---|---|\n",
    );
    for info in catalogue() {
        out += &format!(
            "| `{}` ({}) | {} | {} | {} | {} | {} |\n",
            info.name,
            info.title,
            info.formula,
            info.convention,
            info.reduction,
            info.empty_mask,
            info.when_to_use
        );
    }
    out += "\n| spec | parameter | default | values | meaning |\n|---|---|---|---|---|\n";
    for info in catalogue() {
        for p in info.params {
            out += &format!(
                "| `{}` | `{}` | `{}` | {} | {} |\n",
                info.name, p.name, p.default, p.values, p.meaning
            );
        }
    }
    out
}
