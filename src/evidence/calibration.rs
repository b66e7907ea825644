//! Expected calibration error and the reliability diagram of p(object), from one binning.
//!
//! Convention: `torchmetrics.classification.BinaryCalibrationError(n_bins=15, norm='l1')` on
//! float64 input (the f32 probabilities widened exactly). Its binning, read from its source
//! (`_binning_bucketize`) and checked on its outputs:
//! - edges `torch.linspace(0, 1, n_bins + 1)` (as torch's CPU kernel computes them, see
//!   `bin_edges`), and `bucketize(p, edges, right=True) − 1`, so bin b holds
//!   edges[b] ≤ p < edges[b + 1];
//! - p = 1 exactly falls past the last edge into an extra bin of its own (n_bins + 1 bins in all).
//!   Saturated maps put many pixels there, so it is kept, as torchmetrics keeps it, and drawn as
//!   its own bar at 1;
//! - ECE = Σ_b (n_b / N)·|mean(y in b) − mean(p in b)|, empty bins adding nothing.
//!
//! On float32 input torchmetrics rounds its edges and sums to f32, which moves the ECE by ~1e-7.

use super::pixels::Pixels;
use crate::bail;
use crate::error::Result;

/// The bins of metrics.md's ECE.
pub const ECE_BINS: usize = 15;

/// One bar of the reliability diagram.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReliabilityBin {
    /// The bin holds low ≤ p < high; the extra last bin holds p = 1 (low = high = 1).
    pub low: f64,
    pub high: f64,
    pub count: u64,
    /// Mean p of the pixels in the bin; None when empty.
    pub mean_probability: Option<f64>,
    /// Share of object pixels in the bin (the observed frequency); None when empty.
    pub object_fraction: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    /// Expected calibration error, L1 norm, in [0, 1].
    pub ece: f64,
    /// n_bins equal-width bins and the p = 1 bin: (n_bins + 1,).
    pub bins: Vec<ReliabilityBin>,
    pub pixels: u64,
}

/// `torch.linspace(0, 1, n_bins + 1)` in f64, as torch's CPU kernel computes it: (n_bins + 1,)
/// edges. The kernel fills whole vectors of 8 lanes (AVX-512; AVX2's 4 lanes give the same 16
/// edges), two vectors per round: a vector's first value is start + step·i below the halfway
/// index and end − step·(steps − 1 − i) from it, and lane j adds j·step to it; what is left after
/// the last full round is computed one value at a time by the same two-sided formula. For 15 bins
/// this matches torch bit for bit (tests/evidence.rs). The last bit barely matters: f32
/// probabilities never fall between two neighbouring f64 edges.
pub fn bin_edges(n_bins: usize) -> Vec<f64> {
    const LANES: usize = 8;
    let steps = n_bins + 1;
    let step = 1.0 / n_bins as f64;
    let halfway = steps / 2;
    let two_sided = |i: usize| {
        if i < halfway {
            step * i as f64
        } else {
            1.0 - step * (steps - 1 - i) as f64
        }
    };
    let vectorized = steps / (2 * LANES) * (2 * LANES);
    (0..steps)
        .map(|i| {
            if i < vectorized {
                let lane = i % LANES;
                two_sided(i - lane) + lane as f64 * step
            } else {
                two_sided(i)
            }
        })
        .collect()
}

/// ECE and reliability bins of `pixels` (scores are p(object) in [0, 1]).
///
/// # Shapes
/// `pixels`: (N,) with N ≥ 1. `n_bins` ≥ 1 (15 for metrics.md's ECE).
pub fn calibration(pixels: &Pixels, n_bins: usize) -> Result<Calibration> {
    if pixels.is_empty() || n_bins == 0 {
        bail!("calibration needs at least one pixel and one bin");
    }
    if let Some(bad) = pixels.scores.iter().find(|p| !(0.0..=1.0).contains(*p)) {
        bail!("calibration needs probabilities in [0, 1], not {bad}");
    }
    let edges = bin_edges(n_bins);
    let (mut count, mut sum_p, mut sum_y) = (
        vec![0u64; n_bins + 1],
        vec![0.0f64; n_bins + 1],
        vec![0u64; n_bins + 1],
    );
    for (&p, &y) in pixels.scores.iter().zip(&pixels.labels) {
        let p = f64::from(p);
        // bucketize(right=True) − 1: the number of edges ≤ p, less one.
        let bin = edges.partition_point(|&edge| edge <= p) - 1;
        count[bin] += 1;
        sum_p[bin] += p;
        sum_y[bin] += u64::from(y);
    }
    let total = pixels.len() as f64;
    let mut ece = 0.0;
    let mut bins = Vec::with_capacity(n_bins + 1);
    for b in 0..=n_bins {
        let (mean_probability, object_fraction) = if count[b] == 0 {
            (None, None)
        } else {
            let n = count[b] as f64;
            let (confidence, accuracy) = (sum_p[b] / n, sum_y[b] as f64 / n);
            ece += (accuracy - confidence).abs() * (n / total);
            (Some(confidence), Some(accuracy))
        };
        bins.push(ReliabilityBin {
            low: edges[b],
            high: edges.get(b + 1).copied().unwrap_or(1.0),
            count: count[b],
            mean_probability,
            object_fraction,
        });
    }
    Ok(Calibration {
        ece,
        bins,
        pixels: pixels.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixels(scores: &[f32], labels: &[u8]) -> Pixels {
        Pixels::new(scores.to_vec(), labels.iter().map(|&l| l == 1).collect()).unwrap()
    }

    #[test]
    fn edges_follow_torch_linspace() {
        let edges = bin_edges(ECE_BINS);
        assert_eq!((edges.len(), edges[0], edges[15]), (16, 0.0, 1.0));
        // The second vector starts from 1 − 7/15 and adds 2/15 at lane 2: not 1 − 5/15.
        let step = 1.0 / 15.0;
        assert_eq!(edges[8], 1.0 - 7.0 * step);
        assert_eq!(edges[10], (1.0 - 7.0 * step) + 2.0 * step);
        assert_ne!(edges[10], 1.0 - 5.0 * step);
        // Shorter than one round of two vectors: the plain two-sided formula.
        assert_eq!(bin_edges(4), [0.0, 0.25, 0.5, 0.75, 1.0]);
    }

    #[test]
    fn a_saturated_map_lands_in_the_extra_bin() {
        // All pixels p = 1 with a fifth object: ECE = |0.2 − 1| = 0.8, all in bin 15.
        let c = calibration(&pixels(&[1.0; 5], &[1, 0, 0, 0, 0]), ECE_BINS).unwrap();
        assert!((c.ece - 0.8).abs() < 1e-15);
        assert_eq!(c.bins.len(), 16);
        let last = c.bins[15];
        assert_eq!((last.low, last.high, last.count), (1.0, 1.0, 5));
        assert_eq!(last.object_fraction, Some(0.2));
        assert_eq!(c.bins[0].mean_probability, None);
    }

    #[test]
    fn a_calibrated_bin_adds_nothing() {
        // Two pixels at 0.5, one object: accuracy 0.5 = confidence 0.5.
        let c = calibration(&pixels(&[0.5, 0.5], &[1, 0]), ECE_BINS).unwrap();
        assert_eq!(c.ece, 0.0);
        assert_eq!(c.bins[7].count, 2);
        assert!(calibration(&pixels(&[1.5], &[1]), ECE_BINS).is_err());
        assert!(calibration(&Pixels::default(), ECE_BINS).is_err());
    }
}
