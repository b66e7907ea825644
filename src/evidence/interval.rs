//! Mean and 95 % interval of one number over seeds (or of paired differences over seeds).
//!
//! Two methods, named in every result so the page and the CLI print which one was used:
//! - Student's t: mean ± t.ppf(0.975, n − 1)·s/√n with s the sample standard deviation
//!   (numpy `std(ddof=1)`, scipy `t.interval(0.95, n − 1, loc=mean, scale=sem)`).
//! - Percentile bootstrap over seeds: the 2.5th and 97.5th percentiles (numpy's default
//!   'linear' method) of the means of resamples drawn with replacement by `rng::Rng` from a fixed
//!   seed, so the same values always give the same interval on every target.
//!
//! With one seed there is no interval (`None`): one run says nothing about seed-to-seed spread.

use super::student_t::t_quantile;
use crate::bail;
use crate::error::Result;
use crate::rng::Rng;

/// Coverage of every interval in this module.
pub const CONFIDENCE: f64 = 0.95;

/// How an interval over seeds is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    StudentT,
    /// Resamples of the seeds with replacement; `seed` seeds `rng::Rng` (stream `BOOTSTRAP_STREAM`).
    PercentileBootstrap {
        resamples: usize,
        seed: u64,
    },
}

/// The `rng::Rng` stream of bootstrap resampling, apart from every training stream.
pub const BOOTSTRAP_STREAM: u64 = 0xb007;

impl Method {
    /// The bootstrap the page offers: 2000 resamples from seed 0.
    pub const BOOTSTRAP: Method = Method::PercentileBootstrap {
        resamples: 2000,
        seed: 0,
    };

    /// Short name for tables and CSV: "t" or "bootstrap".
    pub fn key(&self) -> &'static str {
        match self {
            Method::StudentT => "t",
            Method::PercentileBootstrap { .. } => "bootstrap",
        }
    }

    /// What to print beside an interval, e.g. "95 % Student t interval over 5 seeds".
    pub fn describe(&self, n: usize) -> String {
        let seeds = if n == 1 { "seed" } else { "seeds" };
        match self {
            Method::StudentT => format!("95 % Student t interval over {n} {seeds}"),
            Method::PercentileBootstrap { resamples, seed } => format!(
                "95 % percentile bootstrap over {n} {seeds} ({resamples} resamples, seed {seed})"
            ),
        }
    }
}

/// A closed interval [low, high].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// low ≤ x ≤ high: "tied" uses this with x = 0.
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// One number over n seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation (ddof = 1); None for one seed.
    pub std: Option<f64>,
    /// 95 % interval of the mean; None for one seed.
    pub interval: Option<Interval>,
    pub method: Method,
}

/// Mean, sample standard deviation and 95 % interval of `values` (one per seed).
///
/// # Shapes
/// `values`: (n,) with n ≥ 1, all finite (an error otherwise: a metric that is not finite is a
/// bug upstream, not evidence).
pub fn summarize(values: &[f64], method: Method) -> Result<Summary> {
    if values.is_empty() {
        bail!("no values to summarize");
    }
    if let Some(bad) = values.iter().find(|v| !v.is_finite()) {
        bail!("cannot summarize a value that is not finite ({bad})");
    }
    let interval = match method {
        Method::StudentT => t_interval(values),
        Method::PercentileBootstrap { resamples, seed } => {
            bootstrap_interval(values, resamples, seed)
        }
    };
    Ok(Summary {
        n: values.len(),
        mean: mean(values),
        std: sample_std(values),
        interval,
        method,
    })
}

pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// numpy `std(ddof=1)`; None below two values.
pub fn sample_std(values: &[f64]) -> Option<f64> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let m = mean(values);
    let squares: f64 = values.iter().map(|v| (v - m) * (v - m)).sum();
    Some(libm::sqrt(squares / (n - 1) as f64))
}

/// mean ± t.ppf(0.975, n − 1)·s/√n; None below two values.
pub fn t_interval(values: &[f64]) -> Option<Interval> {
    let n = values.len();
    let std = sample_std(values)?;
    let half = t_quantile(0.5 + CONFIDENCE / 2.0, (n - 1) as u32) * std / libm::sqrt(n as f64);
    let m = mean(values);
    Some(Interval {
        low: m - half,
        high: m + half,
    })
}

/// Percentile bootstrap of the mean: `resamples` means of n values drawn with replacement; None
/// below two values or with no resamples.
pub fn bootstrap_interval(values: &[f64], resamples: usize, seed: u64) -> Option<Interval> {
    let n = values.len();
    if n < 2 || resamples == 0 {
        return None;
    }
    let mut rng = Rng::new(seed, BOOTSTRAP_STREAM);
    let mut means: Vec<f64> = (0..resamples)
        .map(|_| (0..n).map(|_| values[rng.below(n)]).sum::<f64>() / n as f64)
        .collect();
    means.sort_by(f64::total_cmp);
    let tail = 100.0 * (1.0 - CONFIDENCE) / 2.0;
    Some(Interval {
        low: percentile(&means, tail),
        high: percentile(&means, 100.0 - tail),
    })
}

/// The q-th percentile (q in [0, 100]) of ascending `sorted` values, numpy's default 'linear'
/// method: the value at index (len − 1)·q/100, interpolated between its neighbours.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    let position = (sorted.len() - 1) as f64 * q / 100.0;
    let below = libm::floor(position) as usize;
    let above = (below + 1).min(sorted.len() - 1);
    let fraction = position - below as f64;
    sorted[below] + (sorted[above] - sorted[below]) * fraction
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_seed_has_no_interval_and_says_so() {
        let s = summarize(&[0.9], Method::StudentT).unwrap();
        assert_eq!((s.n, s.mean, s.std, s.interval), (1, 0.9, None, None));
        assert_eq!(
            Method::StudentT.describe(1),
            "95 % Student t interval over 1 seed"
        );
        assert!(
            summarize(&[0.9], Method::BOOTSTRAP)
                .unwrap()
                .interval
                .is_none()
        );
    }

    #[test]
    fn identical_values_give_a_zero_width_interval() {
        for method in [Method::StudentT, Method::BOOTSTRAP] {
            let s = summarize(&[0.5; 4], method).unwrap();
            assert_eq!(
                s.interval,
                Some(Interval {
                    low: 0.5,
                    high: 0.5
                })
            );
            assert!(s.interval.unwrap().contains(0.5));
        }
    }

    #[test]
    fn bootstrap_is_reproducible_and_near_the_t_interval() {
        let values = [0.881, 0.968, 0.901, 0.951, 0.968, 0.92, 0.93, 0.95];
        let a = bootstrap_interval(&values, 2000, 0).unwrap();
        assert_eq!(Some(a), bootstrap_interval(&values, 2000, 0));
        assert_ne!(Some(a), bootstrap_interval(&values, 2000, 1));
        let t = t_interval(&values).unwrap();
        // Both bracket the mean; the bootstrap is somewhat narrower at n = 8.
        let m = mean(&values);
        assert!(a.low < m && m < a.high && t.low < a.low && a.high < t.high + 0.005);
        assert!(a.high - a.low > 0.5 * (t.high - t.low));
    }

    #[test]
    fn rejects_empty_and_non_finite_values() {
        assert!(summarize(&[], Method::StudentT).is_err());
        let err = summarize(&[0.5, f64::NAN], Method::StudentT).unwrap_err();
        assert_eq!(err.0, "cannot summarize a value that is not finite (NaN)");
    }

    #[test]
    fn percentile_interpolates_linearly() {
        let sorted = [1.0, 2.0, 4.0, 8.0];
        assert_eq!(percentile(&sorted, 0.0), 1.0);
        assert_eq!(percentile(&sorted, 100.0), 8.0);
        // position 3·0.5 = 1.5 → halfway between 2 and 4.
        assert_eq!(percentile(&sorted, 50.0), 3.0);
    }
}
