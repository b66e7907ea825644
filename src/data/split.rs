//! The held-out split of a dataset: a seeded draw of round(fraction × count) images, so the same
//! folder, fraction and seed hold out the same images in every browser and in the CLI.

use crate::bail;
use crate::error::Result;
use crate::rng::Rng;

/// Separates the split's draws from every other use of the same seed.
const STREAM_SPLIT: u64 = 0x5e1d;

/// How many of `count` images a fraction holds out: round(fraction × count), at least one when
/// there are two images or more (so the summary has something to score), and never all of them.
pub fn heldout_count(count: usize, fraction: f64) -> usize {
    if count < 2 || fraction <= 0.0 {
        return 0;
    }
    ((fraction * count as f64).round() as usize).clamp(1, count - 1)
}

/// One flag per image, `true` = held out: a seeded partial Fisher–Yates shuffle picks them.
pub fn seeded_split(count: usize, fraction: f64, seed: u64) -> Result<Vec<bool>> {
    if !(0.0..1.0).contains(&fraction) {
        bail!("a held-out fraction of {fraction} is out of range: use 0 to less than 1");
    }
    let mut order: Vec<usize> = (0..count).collect();
    let mut rng = Rng::new(seed, STREAM_SPLIT);
    let held = heldout_count(count, fraction);
    for i in 0..held {
        let j = i + rng.below(count - i);
        order.swap(i, j);
    }
    let mut heldout = vec![false; count];
    for &i in &order[..held] {
        heldout[i] = true;
    }
    Ok(heldout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_rounds_and_keeps_both_sides() {
        assert_eq!(heldout_count(100, 0.2), 20);
        assert_eq!(heldout_count(7, 0.25), 2);
        assert_eq!(heldout_count(3, 0.01), 1);
        assert_eq!(heldout_count(3, 0.99), 2);
        assert_eq!(heldout_count(1, 0.5), 0);
        assert_eq!(heldout_count(10, 0.0), 0);
    }

    #[test]
    fn the_split_is_seeded() {
        let a = seeded_split(100, 0.2, 7).unwrap();
        assert_eq!(a.iter().filter(|&&h| h).count(), 20);
        assert_eq!(a, seeded_split(100, 0.2, 7).unwrap());
        assert_ne!(a, seeded_split(100, 0.2, 8).unwrap());
        assert!(
            seeded_split(4, 1.0, 1)
                .unwrap_err()
                .0
                .contains("out of range")
        );
    }
}
