//! Evidence results hashed to one constant: checked natively (tests/evidence.rs) and in
//! wasm32 in Node and Chromium (tests/wasm/evidence.rs), so the statistics give the same bits on
//! every target (libm, fixed summation order, integer sorting).

use segloss::evidence::*;

pub const GOLDEN: u64 = 0xd18e_64af_3ea2_569e;

/// scripts/evidence_fixtures.py's `generated_pixels`, bit for bit: integer hashing, an exact
/// power-of-two division and one f32 rounding.
pub fn generated_pixels(n: u64) -> Pixels {
    let (mut scores, mut labels) = (Vec::new(), Vec::new());
    for i in 0..n {
        let score = ((((i * 2_654_435_761) % (1 << 32)) >> 20) as f64 / 4096.0) as f32;
        let flip = (i * 7919) % 10 == 0;
        scores.push(score);
        labels.push((score > 0.6) != flip);
    }
    Pixels::new(scores, labels).expect("finite scores")
}

/// FNV-1a over the bits of every number below.
pub fn hash() -> u64 {
    let mut numbers: Vec<u64> = (1..=30).map(|df| t_quantile(0.975, df).to_bits()).collect();
    let pixels = generated_pixels(100_000);
    let ranked = RankedScores::new(&pixels);
    numbers.push(ranked.average_precision().to_bits());
    numbers.push(ranked.roc_auc().expect("two classes").to_bits());
    for point in ranked.precision_recall_curve().thinned(DRAWN_POINTS) {
        numbers.push(point.recall.to_bits());
        numbers.push(point.precision.to_bits());
        numbers.push(u64::from(point.threshold.map_or(0, f32::to_bits)));
    }
    let best = ranked.best_dice_threshold().expect("objects");
    numbers.push(u64::from(best.threshold.to_bits()));
    numbers.push(best.tuning_dice.to_bits());
    let calibration = calibration(&pixels, ECE_BINS).expect("pixels in [0, 1]");
    numbers.push(calibration.ece.to_bits());
    for bin in &calibration.bins {
        numbers.push(bin.count);
        numbers.push(bin.mean_probability.unwrap_or(-1.0).to_bits());
    }
    let seeds = [0.881, 0.968, 0.901, 0.951, 0.968];
    for method in [Method::StudentT, Method::BOOTSTRAP] {
        let s = summarize(&seeds, method).expect("finite");
        let interval = s.interval.expect("five seeds");
        numbers
            .extend([s.mean, s.std.unwrap_or(0.0), interval.low, interval.high].map(f64::to_bits));
    }
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let bytes = numbers.iter().flat_map(|n| n.to_le_bytes());
    bytes.fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}
