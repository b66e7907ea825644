//! `gdice`: generalised Dice over the two classes [bg, fg], MONAI's convention.
//!
//! # Shapes
//! x, y, dx: (N·H·W), image-major; a unit is one image.

use super::binary::{Batch, TermOutput};
use super::math::{ratio, units};
use super::overlap::{Class, read_smooth};
use super::params::{Params, number, spelling};
use super::{Family, LossContext};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gdice {
    pub w_type: GdiceWeight,
    pub smooth: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GdiceWeight {
    Square,
    Simple,
    Uniform,
}

const WEIGHTS: [(&str, GdiceWeight); 3] = [
    ("square", GdiceWeight::Square),
    ("simple", GdiceWeight::Simple),
    ("uniform", GdiceWeight::Uniform),
];

impl Family for Gdice {
    const NAME: &'static str = "gdice";

    fn read(params: &mut Params) -> Result<Gdice> {
        Ok(Gdice {
            w_type: params.choice("w_type", GdiceWeight::Square, &WEIGHTS)?,
            smooth: read_smooth(params)?,
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("w_type", spelling(&WEIGHTS, &self.w_type)),
            ("smooth", number(self.smooth)),
        ]
    }

    /// MONAI `GeneralizedDiceLoss(softmax=True, w_type, smooth_nr=s, smooth_dr=s)` on [bg, fg]:
    /// per image 1 − (2Σ_c w_c·I_c + s)/(Σ_c w_c·(P_c + G_c) + s), w_c = 1/G_c², 1/G_c or 1; an
    /// infinite weight (empty class) becomes the image's largest finite weight. Mean over images.
    fn evaluate(&self, batch: &Batch, _: &LossContext) -> Result<TermOutput> {
        let unit_ranges = units(batch, true);
        let count = unit_ranges.len() as f64;
        let classes = [Class::Bg, Class::Fg];
        let mut value = 0.0;
        let mut dx = vec![0.0; batch.len()];
        for unit in &unit_ranges {
            // [bg, fg] sums.
            let (mut tp, mut pred, mut ground) = ([0.0; 2], [0.0; 2], [0.0; 2]);
            for (c, class) in classes.iter().enumerate() {
                for i in unit.clone() {
                    let (pr, g, _) = class.at(batch, i);
                    tp[c] += pr * g;
                    pred[c] += pr;
                    ground[c] += g;
                }
            }
            let mut w = ground.map(|g| match self.w_type {
                GdiceWeight::Square => 1.0 / (g * g),
                GdiceWeight::Simple => 1.0 / g,
                GdiceWeight::Uniform => 1.0,
            });
            let largest = w
                .iter()
                .filter(|v| v.is_finite())
                .fold(0.0_f64, |a, &b| a.max(b));
            for v in &mut w {
                if v.is_infinite() {
                    *v = largest;
                }
            }
            let num = 2.0 * (w[0] * tp[0] + w[1] * tp[1]) + self.smooth;
            let den = w[0] * (pred[0] + ground[0]) + w[1] * (pred[1] + ground[1]) + self.smooth;
            value += 1.0 - ratio(num, den);
            if den > 0.0 {
                for i in unit.clone() {
                    let (mut dnum, mut dden) = (0.0, 0.0);
                    for (c, class) in classes.iter().enumerate() {
                        let (_, g, dp) = class.at(batch, i);
                        dnum += 2.0 * w[c] * g * dp;
                        dden += w[c] * dp;
                    }
                    dx[i] = -(dnum * den - num * dden) / (den * den) / count;
                }
            }
        }
        Ok(TermOutput {
            value: value / count,
            dx,
            class_weights: None,
        })
    }
}
