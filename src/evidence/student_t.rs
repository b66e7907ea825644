//! Quantiles of Student's t distribution for whole degrees of freedom, as
//! `scipy.stats.t.ppf(p, df)`.
//!
//! Why computed, not tabled: for whole ν the two-sided probability P(|T| ≤ t) is a finite series
//! in θ = atan(t/√ν) (Abramowitz & Stegun 26.7.3–4), so a bisection on θ inverts it to the last
//! bits with a few lines of libm (same bits on every target), any number of seeds, and no table
//! to keep in step with scipy. tests/evidence.rs checks df 1–30 against scipy at 1e-12.

use std::f64::consts::FRAC_PI_2;

/// The p-quantile of Student's t with `df` ≥ 1 degrees of freedom, for p in (0, 1).
///
/// # Conventions
/// scipy's `t.ppf`: t.ppf(0.975, n − 1) is the multiplier of a two-sided 95 % interval over n
/// values. Returns NaN outside (0, 1) or for df = 0, as scipy does.
pub fn t_quantile(p: f64, df: u32) -> f64 {
    if df == 0 || !(p > 0.0 && p < 1.0) {
        return f64::NAN;
    }
    if p == 0.5 {
        return 0.0;
    }
    // P(|T| ≤ t) = 2p − 1 for the upper quantile; the lower one is its mirror image.
    let target = (2.0 * p - 1.0).abs();
    let (mut low, mut high) = (0.0f64, FRAC_PI_2);
    loop {
        let middle = 0.5 * (low + high);
        if middle <= low || middle >= high {
            break;
        }
        if central_probability(middle, df) < target {
            low = middle;
        } else {
            high = middle;
        }
    }
    let t = libm::sqrt(f64::from(df)) * libm::tan(0.5 * (low + high));
    if p < 0.5 { -t } else { t }
}

/// P(|T| ≤ √ν·tan θ) for θ in [0, π/2): A(t|ν) of A&S 26.7.3 (ν odd) and 26.7.4 (ν even).
fn central_probability(theta: f64, df: u32) -> f64 {
    let (sin, cos) = (libm::sin(theta), libm::cos(theta));
    let cos2 = cos * cos;
    if df % 2 == 1 {
        // (2/π)[θ + sinθ(cosθ + (2/3)cos³θ + … + (2·4⋯(ν−3))/(1·3⋯(ν−2)) cos^(ν−2)θ)]
        let mut series = 0.0;
        if df > 1 {
            let mut term = cos;
            series = term;
            for k in 1..=(df - 3) / 2 {
                term *= f64::from(2 * k) / f64::from(2 * k + 1) * cos2;
                series += term;
            }
        }
        (theta + sin * series) / FRAC_PI_2
    } else {
        // sinθ[1 + (1/2)cos²θ + (1·3)/(2·4)cos⁴θ + … + (1·3⋯(ν−3))/(2·4⋯(ν−2)) cos^(ν−2)θ]
        let (mut term, mut series) = (1.0, 1.0);
        for k in 1..=(df - 2) / 2 {
            term *= f64::from(2 * k - 1) / f64::from(2 * k) * cos2;
            series += term;
        }
        sin * series
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_forms_and_symmetry() {
        // ν = 1 is Cauchy: t = tan(π(p − 1/2)); ν = 2: t = (2p − 1)·√(2 / (4p(1 − p))).
        for p in [0.6, 0.9, 0.975, 0.995] {
            let cauchy = libm::tan(std::f64::consts::PI * (p - 0.5));
            assert!((t_quantile(p, 1) - cauchy).abs() < 1e-12 * cauchy);
            let two = (2.0 * p - 1.0) * libm::sqrt(2.0 / (4.0 * p * (1.0 - p)));
            assert!((t_quantile(p, 2) - two).abs() < 1e-12 * two);
            assert_eq!(t_quantile(1.0 - p, 7), -t_quantile(p, 7));
        }
        assert_eq!(t_quantile(0.5, 3), 0.0);
        assert!(t_quantile(1.0, 3).is_nan() && t_quantile(0.0, 3).is_nan());
        assert!(t_quantile(0.975, 0).is_nan());
    }

    #[test]
    fn large_df_approaches_the_normal_quantile() {
        // z(0.975) = 1.959963984540054; scipy t.ppf(0.975, 1000) = 1.9623390808264083.
        let t = t_quantile(0.975, 1000);
        assert!(t > 1.959_963_984_540_054 && (t - 1.962_339_080_826_408_3).abs() < 1e-12);
    }
}
