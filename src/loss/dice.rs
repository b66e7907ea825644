//! `dice`: soft Dice (MONAI's convention), of the foreground, the background ("inverse" Dice)
//! or both, optionally squared (V-Net) or as −log (smp).
//!
//! # Shapes
//! x, y, dx: (N·H·W), image-major; a unit is one image or the whole batch.

use super::binary::{Batch, TermOutput};
use super::math::{ratio, units};
use super::overlap::{Class, Score, overlap_loss, read_smooth};
use super::params::{Params, number, spelling};
use super::{Family, LossContext};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dice {
    pub smooth: f64,
    pub per_image: bool,
    pub squared: bool,
    pub log: bool,
    pub classes: DiceClasses,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiceClasses {
    Fg,
    /// "Inverse" Dice: the Dice of the background.
    Bg,
    Both,
}

const CLASSES: [(&str, DiceClasses); 3] = [
    ("fg", DiceClasses::Fg),
    ("bg", DiceClasses::Bg),
    ("both", DiceClasses::Both),
];

/// smp's clamp before the log of `dice(log=true)`.
const LOG_EPS: f64 = 1e-7;

impl Family for Dice {
    const NAME: &'static str = "dice";

    fn read(params: &mut Params) -> Result<Dice> {
        Ok(Dice {
            smooth: read_smooth(params)?,
            per_image: params.flag("per_image", true)?,
            squared: params.flag("squared", false)?,
            log: params.flag("log", false)?,
            classes: params.choice("classes", DiceClasses::Fg, &CLASSES)?,
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("smooth", number(self.smooth)),
            ("per_image", self.per_image.to_string()),
            ("squared", self.squared.to_string()),
            ("log", self.log.to_string()),
            ("classes", spelling(&CLASSES, &self.classes)),
        ]
    }

    /// MONAI `DiceLoss(sigmoid=True, smooth_nr=s, smooth_dr=s, batch=!per_image, squared_pred)`:
    /// 1 − (2I + s)/(P + G + s) per (unit, class), mean. `log` uses smp's −log(max(score, 1e-7)).
    fn evaluate(&self, batch: &Batch, _: &LossContext) -> Result<TermOutput> {
        let classes: &[Class] = match self.classes {
            DiceClasses::Fg => &[Class::Fg],
            DiceClasses::Bg => &[Class::Bg],
            DiceClasses::Both => &[Class::Bg, Class::Fg],
        };
        let s = self.smooth;
        let score = |i: f64, pred: f64, g: f64| {
            let (num, den) = (2.0 * i + s, pred + g + s);
            let den2 = if den > 0.0 { den * den } else { f64::INFINITY };
            Score {
                value: ratio(num, den),
                by_intersection: ratio(2.0, den),
                by_prediction: -num / den2,
            }
        };
        Ok(overlap_loss(
            batch,
            &units(batch, self.per_image),
            classes,
            self.squared,
            score,
            |score| outer_loss(score, self.log),
        ))
    }
}

/// (1 − score, −1) or (−log(max(score, eps)), −1/score).
fn outer_loss(score: f64, log: bool) -> (f64, f64) {
    if !log {
        (1.0 - score, -1.0)
    } else if score >= LOG_EPS {
        (-libm::log(score), -1.0 / score)
    } else {
        (-libm::log(LOG_EPS), 0.0)
    }
}
