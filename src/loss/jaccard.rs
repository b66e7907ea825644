//! `jaccard`: soft Jaccard (IoU) in MONAI's form.
//!
//! # Shapes
//! x, y, dx: (N·H·W), image-major; a unit is one image or the whole batch.

use super::binary::{Batch, TermOutput};
use super::math::{ratio, units};
use super::overlap::{Class, Score, overlap_loss, read_smooth};
use super::params::{Params, number};
use super::{Family, LossContext};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Jaccard {
    pub smooth: f64,
    pub per_image: bool,
}

impl Family for Jaccard {
    const NAME: &'static str = "jaccard";

    fn read(params: &mut Params) -> Result<Jaccard> {
        Ok(Jaccard {
            smooth: read_smooth(params)?,
            per_image: params.flag("per_image", true)?,
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("smooth", number(self.smooth)),
            ("per_image", self.per_image.to_string()),
        ]
    }

    /// MONAI `DiceLoss(sigmoid=True, jaccard=True)`: 1 − (2I + s)/(2(P + G − I) + s).
    fn evaluate(&self, batch: &Batch, _: &LossContext) -> Result<TermOutput> {
        let s = self.smooth;
        let score = |i: f64, pred: f64, g: f64| {
            let (num, den) = (2.0 * i + s, 2.0 * (pred + g - i) + s);
            let den2 = if den > 0.0 { den * den } else { f64::INFINITY };
            Score {
                value: ratio(num, den),
                by_intersection: ratio(2.0, den) + 2.0 * num / den2,
                by_prediction: -2.0 * num / den2,
            }
        };
        Ok(overlap_loss(
            batch,
            &units(batch, self.per_image),
            &[Class::Fg],
            false,
            score,
            |score| (1.0 - score, -1.0),
        ))
    }
}
