//! The loss explorer's curves: how a loss and its push on one pixel change with the predicted
//! probability, on an image with a given object fraction. Shows why region losses and weighted CE
//! react to imbalance while plain BCE does not.

use super::{LossContext, LossSpec, evaluate};
use crate::error::Result;
use crate::tensor::Tensor;

/// Pixels of the explorer's synthetic image (1, 25, 40, 1).
const HEIGHT: usize = 25;
const WIDTH: usize = 40;

pub struct LossCurves {
    /// Predicted object probability shared by every pixel, increasing in (0, 1).
    pub probability: Vec<f64>,
    pub loss: Vec<f64>,
    /// |∂loss/∂logit| of one object pixel and of one background pixel.
    pub grad_object: Vec<f64>,
    pub grad_background: Vec<f64>,
}

/// Evaluates `spec` at `points` probabilities on an image whose first `fraction` of pixels (at least
/// one, at most all but one) are object, every pixel predicted with the same probability.
pub fn loss_curves(spec: &LossSpec, fraction: f64, points: usize) -> Result<LossCurves> {
    let pixels = HEIGHT * WIDTH;
    let fraction = if fraction.is_finite() { fraction } else { 0.0 };
    let objects = ((fraction * pixels as f64).round() as usize).clamp(1, pixels - 1);
    let mut target = Tensor::zeros((1, HEIGHT, WIDTH, 1));
    for (i, value) in target.iter_mut().enumerate() {
        *value = if i < objects { 1.0 } else { 0.0 };
    }
    let ctx = LossContext::from_masks([target
        .index_axis(ndarray::Axis(3), 0)
        .index_axis_move(ndarray::Axis(0), 0)]);
    let points = points.clamp(2, 1000);
    let mut curves = LossCurves {
        probability: vec![],
        loss: vec![],
        grad_object: vec![],
        grad_background: vec![],
    };
    for k in 0..points {
        let p = 0.01 + 0.98 * k as f64 / (points - 1) as f64;
        let logit = libm::log(p / (1.0 - p)) as f32;
        let out = evaluate(
            spec,
            Tensor::from_elem((1, HEIGHT, WIDTH, 1), logit).view(),
            target.view(),
            &ctx,
        )?;
        let d = out.dlogits.as_slice().unwrap_or_default();
        curves.probability.push(p);
        curves.loss.push(out.value);
        curves
            .grad_object
            .push(d.first().map_or(0.0, |g| g.abs() as f64));
        curves
            .grad_background
            .push(d.last().map_or(0.0, |g| g.abs() as f64));
    }
    Ok(curves)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bce_pushes_object_and_background_pixels_alike_dice_favours_the_rare_class() {
        let at_half = |spec: &str| {
            let curves = loss_curves(&spec.parse().unwrap(), 0.02, 3).unwrap();
            assert_eq!(curves.probability[1], 0.5);
            (curves.grad_object[1], curves.grad_background[1])
        };
        // BCE at p = 0.5: |σ(0) − y| / N = 0.5 / 1000 for both classes.
        let (object, background) = at_half("bce");
        assert!((object - 0.0005).abs() < 1e-9 && (background - 0.0005).abs() < 1e-9);
        let (object, background) = at_half("dice");
        assert!(
            object > 10.0 * background,
            "dice: object {object}, background {background}"
        );
    }

    #[test]
    fn extreme_fractions_are_clamped_not_rejected() {
        for fraction in [0.0, 1.0, -3.0, f64::NAN] {
            let curves = loss_curves(&"0.5*bce+0.5*dice".parse().unwrap(), fraction, 5).unwrap();
            assert!(curves.loss.iter().all(|v| v.is_finite()));
        }
    }
}
