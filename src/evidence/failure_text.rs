//! Why a loss fails the way it did, and what to try: text per loss family, read from the spec
//! (the families and their empty-mask behaviour are those of `loss::catalogue`).

use super::failures::FailureKind;
use crate::loss::ce::CeWeights;
use crate::loss::tversky::FocalTversky;
use crate::loss::{Loss, LossSpec, number};

/// What the spec is made of, as far as the explanations care.
struct Traits {
    /// dice, gdice, jaccard, tversky, focal_tversky: losses on soft overlap of probabilities.
    region: bool,
    /// A region or Lovász term scored per image.
    per_image: bool,
    /// bce, wbce, ce, focal: cross-entropy on logits.
    cross_entropy: bool,
    /// Foreground weighted up: wbce, bce pos_weight ≠ 1, ce with weights, focal with alpha.
    weighted: bool,
    mse: bool,
}

fn traits(spec: &LossSpec) -> Traits {
    let mut t = Traits {
        region: false,
        per_image: false,
        cross_entropy: false,
        weighted: false,
        mse: false,
    };
    for term in &spec.terms {
        match &term.loss {
            Loss::Bce(b) => {
                t.cross_entropy = true;
                t.weighted |= b.pos_weight != 1.0;
            }
            Loss::Wbce(_) => (t.cross_entropy, t.weighted) = (true, true),
            Loss::Ce(c) => {
                t.cross_entropy = true;
                t.weighted |= c.weights != CeWeights::None;
            }
            Loss::Focal(f) => {
                t.cross_entropy = true;
                t.weighted |= f.alpha.is_some();
            }
            Loss::Dice(d) => (t.region, t.per_image) = (true, t.per_image || d.per_image),
            Loss::Jaccard(j) => (t.region, t.per_image) = (true, t.per_image || j.per_image),
            Loss::Tversky(v) | Loss::FocalTversky(FocalTversky(v)) => {
                (t.region, t.per_image) = (true, t.per_image || v.per_image)
            }
            // Generalised Dice is always scored per image, with class weights from that image.
            Loss::Gdice(_) => t.region = true,
            Loss::Lovasz(l) => t.per_image |= l.per_image,
            Loss::Mse(_) => t.mse = true,
        }
    }
    t
}

/// (why, what to try) for one failure of a run of `spec` at `learning_rate`.
pub fn explain(kind: FailureKind, spec: &LossSpec, learning_rate: f64) -> (String, String) {
    let t = traits(spec);
    let lower = format!(
        "a lower learning rate (e.g. {} instead of {})",
        number(learning_rate / 10.0),
        number(learning_rate)
    );
    let with_bce = format!("add a BCE term (0.5*bce+0.5*{spec})");
    let (why, try_next): (&str, String) = match kind {
        FailureKind::Diverged if t.weighted => (
            "class weights multiply the gradient of rare object pixels by up to 1/(object share), \
             so a step that suits plain BCE overshoots.",
            format!("{lower}, or a milder weighting (scope=dataset, a smaller pos_weight)."),
        ),
        FailureKind::Diverged => (
            "the step was too large for this loss's gradient: the weights grew until the logits \
             overflowed.",
            format!("{lower}, or tune the learning rate per loss."),
        ),
        FailureKind::CollapsedToObject if t.region && !t.cross_entropy => (
            "soft Dice-type losses score overlap only: predicting every pixel object already earns \
             a Dice of 2f/(1+f) (f the object share), and once every p is near 1 the gradient, \
             which carries p(1−p), vanishes: a flat region the optimizer does not leave.",
            format!("{lower}, or {with_bce}."),
        ),
        FailureKind::CollapsedToObject if t.weighted => (
            "the class weights make one object pixel count as much as many background pixels, so \
             calling everything object costs little.",
            format!("{lower}, or a milder weighting (scope=dataset, a smaller pos_weight)."),
        ),
        FailureKind::CollapsedToObject => (
            "a constant output is a resting point of every loss, and a step that is too large can \
             throw the model there.",
            format!("{lower}."),
        ),
        FailureKind::CollapsedToBackground if t.region && t.per_image => (
            "per-image Dice scores an image without objects s/(Σp + s) (s = smooth): only predicting \
             almost nothing rewards it, so crops without objects push the whole map to background.",
            format!("per_image=false (score the batch as one image), or {with_bce}."),
        ),
        FailureKind::CollapsedToBackground if (t.cross_entropy || t.mse) && !t.weighted => (
            "the mean over pixels is dominated by background: with few object pixels, \
             \"all background\" already gives a low loss.",
            "weight the object pixels (bce(pos_weight=…), wbce), or add a Dice term \
             (0.5*bce+0.5*dice)."
                .to_string(),
        ),
        FailureKind::CollapsedToBackground => (
            "a constant output is a resting point of every loss; with rare objects, \
             \"all background\" is the nearest one.",
            format!("{lower}, or a loss that weights object pixels up (wbce, dice)."),
        ),
        FailureKind::Saturated if (t.region || t.mse) && !t.cross_entropy => (
            "this loss reads probabilities, so its gradient carries σ'(x) = p(1−p), which vanishes \
             once outputs saturate: confidently wrong pixels get no push back.",
            format!(
                "{with_bce} (its gradient σ(x) − y stays near ±1 on confident mistakes), or {lower}."
            ),
        ),
        FailureKind::Saturated => (
            "large steps drove the logits far from 0, where this loss's gradient is small.",
            format!("{lower}."),
        ),
        FailureKind::NoLearning if t.region && t.per_image => (
            "per-image region losses score an image without objects ≈ 1 with a gradient ≈ 0 until Σp \
             falls below smooth, so crops without objects teach nothing.",
            "per_image=false, or larger crops that hold objects more often.".to_string(),
        ),
        FailureKind::NoLearning if t.mse && !t.cross_entropy => (
            "the gradient of the squared error on probabilities vanishes for confidently wrong \
             pixels, so it learns slowly.",
            "a cross-entropy loss (bce), or a higher learning rate.".to_string(),
        ),
        FailureKind::NoLearning => (
            "the learning rate suits this loss's gradient scale badly: too small to move, or so \
             large that steps cancel.",
            "tune the learning rate per loss (a short sweep on validation images).".to_string(),
        ),
    };
    (why.to_string(), try_next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(kind: FailureKind, spec: &str) -> (String, String) {
        explain(kind, &spec.parse().unwrap(), 0.01)
    }

    #[test]
    fn each_family_gets_its_own_reason() {
        let (dice_why, dice_try) = why(FailureKind::CollapsedToObject, "dice");
        assert!(dice_why.starts_with("soft Dice-type losses score overlap only"));
        assert_eq!(
            dice_try,
            "a lower learning rate (e.g. 0.001 instead of 0.01), or add a BCE term (0.5*bce+0.5*dice)."
        );
        let (per_image, fix) = why(FailureKind::CollapsedToBackground, "dice");
        assert!(per_image.starts_with("per-image Dice scores an image without objects"));
        assert!(fix.starts_with("per_image=false"));
        let (bce, _) = why(FailureKind::CollapsedToBackground, "bce");
        assert!(bce.starts_with("the mean over pixels is dominated by background"));
        let (weighted, _) = why(FailureKind::CollapsedToObject, "bce(pos_weight=20)");
        assert!(weighted.starts_with("the class weights"));
        // A BCE term keeps the gradient alive, so the combo gets the generic reason.
        let (combo, _) = why(FailureKind::Saturated, "0.5*bce+0.5*dice");
        assert!(combo.starts_with("large steps"));
        let (mse, _) = why(FailureKind::NoLearning, "mse");
        assert!(mse.contains("squared error"));
    }
}
