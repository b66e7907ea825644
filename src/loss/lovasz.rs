//! `lovasz`: the Lovász hinge (Berman et al. 2018), a convex surrogate of the Jaccard loss on
//! hinge errors.
//!
//! # Shapes
//! x, y, dx: (N·H·W), image-major; a unit is one image or the whole batch.

use super::binary::{Batch, TermOutput};
use super::math::units;
use super::params::Params;
use super::{Family, LossContext};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lovasz {
    pub per_image: bool,
}

impl Family for Lovasz {
    const NAME: &'static str = "lovasz";

    fn read(params: &mut Params) -> Result<Lovasz> {
        Ok(Lovasz {
            per_image: params.flag("per_image", true)?,
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![("per_image", self.per_image.to_string())]
    }

    /// Berman's `lovasz_hinge(per_image)` (smp `LovaszLoss('binary')` is per_image=false):
    /// e_i = 1 − x_i·(2g_i − 1), sorted descending (stable, so ties keep pixel order, like torch);
    /// loss = Σ_k relu(e_(k))·ΔJ_k with ΔJ the increments of the Jaccard loss along the order;
    /// ∂/∂x_i = −(2g_i − 1)·ΔJ_rank(i)·[e_i > 0]. Mean over units.
    fn evaluate(&self, batch: &Batch, _: &LossContext) -> Result<TermOutput> {
        let unit_ranges = units(batch, self.per_image);
        let count = unit_ranges.len() as f64;
        let mut value = 0.0;
        let mut dx = vec![0.0; batch.len()];
        for unit in &unit_ranges {
            let (x, g) = (&batch.x[unit.clone()], &batch.y[unit.clone()]);
            let errors: Vec<f64> = x
                .iter()
                .zip(g)
                .map(|(&x, &g)| 1.0 - x * (2.0 * g - 1.0))
                .collect();
            let mut order: Vec<usize> = (0..errors.len()).collect();
            order.sort_by(|&a, &b| errors[b].total_cmp(&errors[a]));

            let gts: f64 = g.iter().sum();
            let (mut cum_fg, mut cum_bg, mut previous) = (0.0, 0.0, 0.0);
            for &i in &order {
                cum_fg += g[i];
                cum_bg += 1.0 - g[i];
                let jaccard = 1.0 - (gts - cum_fg) / (gts + cum_bg);
                let increment = jaccard - previous;
                previous = jaccard;
                if errors[i] > 0.0 {
                    value += errors[i] * increment;
                    dx[unit.start + i] = -(2.0 * g[i] - 1.0) * increment / count;
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
