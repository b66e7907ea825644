//! The seeded PRNG passed explicitly everywhere (no global randomness): PCG-64 from rand_pcg,
//! whose output sequence is stable across versions and targets. Floats are derived here with
//! fixed formulas and libm, so the same seed gives the same bits natively and in wasm.

use rand_core::Rng as _;
use rand_pcg::Pcg64;

pub struct Rng(Pcg64);

impl Rng {
    /// `stream` separates independent sequences drawn from one seed (init, batches, scenes...).
    pub fn new(seed: u64, stream: u64) -> Self {
        Rng(Pcg64::new(
            (seed as u128) ^ 0xcafe_f00d_d15e_a5e5_dead_beef_1234_5678,
            stream as u128,
        ))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in [0, 1), 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in [0, n); n > 0. Multiply-shift, bias below 2^-32 for n < 2^32.
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Standard normal by Box-Muller with libm, so every target computes the same bits.
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform();
        let u2 = self.uniform();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(std::f64::consts::TAU * u2)
    }
}

/// A fresh seed from the platform's entropy (Web Crypto in the browser), for "new seed" buttons.
pub fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    match getrandom::fill(&mut bytes) {
        Ok(()) => u64::from_le_bytes(bytes) % 1_000_000,
        Err(_) => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_streams_differ() {
        let a: Vec<u64> = (0..4)
            .map({
                let mut r = Rng::new(7, 0);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..4)
            .map({
                let mut r = Rng::new(7, 0);
                move |_| r.next_u64()
            })
            .collect();
        let c: Vec<u64> = (0..4)
            .map({
                let mut r = Rng::new(7, 1);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn uniform_below_and_normal_stay_in_range() {
        let mut r = Rng::new(3, 0);
        let mut sum = 0.0;
        for _ in 0..10_000 {
            let u = r.uniform();
            assert!((0.0..1.0).contains(&u));
            assert!(r.below(5) < 5);
            let z = r.normal();
            assert!(z.is_finite());
            sum += z;
        }
        assert!(
            (sum / 10_000.0).abs() < 0.05,
            "normal mean {}",
            sum / 10_000.0
        );
    }
}
