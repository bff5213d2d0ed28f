//! Seeded, portable random streams.
//!
//! Every source of randomness in a run is its own PCG stream derived from the
//! scenario seed, so that changing one part of a scenario (the balancer
//! policy, say) leaves the draws of the others (arrival times, request sizes)
//! untouched. The algorithms are fixed (PCG XSL-RR 128/64 for streams, PCG
//! XSH-RR 64/32 for one request's private draws) and use only integer and
//! `+ - * /` float arithmetic, so native and wasm32 give identical numbers.

use rand_core::Rng;
use rand_pcg::{Pcg32, Pcg64};

/// The independent random streams of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Inter-arrival times of the traffic.
    Arrivals = 1,
    /// Per-request seeds from which each request's size is drawn.
    Sizes = 2,
    /// Balancer decisions (random and power-of-two choices).
    Policy = 3,
}

/// A seeded stream of uniform random numbers.
#[derive(Clone, Debug)]
pub struct RandomStream(Pcg64);

impl RandomStream {
    /// The stream `stream` of the run seeded with `seed`.
    pub fn new(seed: u64, stream: Stream) -> Self {
        // Distinct PCG increments give distinct, non-overlapping sequences;
        // the state mixes the seed so that nearby seeds do not start alike.
        let state = (u128::from(seed) << 64 | u128::from(seed ^ 0x9E37_79B9_7F4A_7C15))
            .wrapping_mul(0x2360_ED05_1FC6_5DA4_4385_DF64_9FCC_F645);
        RandomStream(Pcg64::new(state, stream as u128))
    }

    /// Stream number `n` of a component of the run seeded with `seed`:
    /// services and clients each draw from their own, so adding a client
    /// or a layer changes no other component's numbers.
    pub fn numbered(seed: u64, n: u32) -> Self {
        let mut s = RandomStream::new(seed, Stream::Arrivals);
        s.0 = Pcg64::new(
            (u128::from(seed) << 64 | u128::from(seed ^ 0x9E37_79B9_7F4A_7C15))
                .wrapping_mul(0x2360_ED05_1FC6_5DA4_4385_DF64_9FCC_F645),
            0x100 + u128::from(n),
        );
        s
    }

    /// A uniform integer over all of `u64`.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A uniform integer in `0..n` (`n > 0`), without modulo bias worth noting
    /// for the small `n` (server counts) it is used with.
    pub fn below(&mut self, n: usize) -> usize {
        // Lemire's multiply-shift: exact enough for n far below 2^32.
        ((u128::from(self.0.next_u64()) * n as u128) >> 64) as usize
    }
}

impl Uniform for RandomStream {
    #[inline]
    fn uniform(&mut self) -> f64 {
        unit_from_bits(self.0.next_u64())
    }
}

/// The private random numbers of one request, seeded from [`Stream::Sizes`].
///
/// A request carries its own seed, so its size is the same whichever server
/// the balancer sends it to.
#[derive(Clone, Debug)]
pub struct RequestRng(Pcg32);

impl RequestRng {
    /// The generator for the request whose seed is `seed`.
    #[inline]
    pub fn new(seed: u64) -> Self {
        RequestRng(Pcg32::new(seed, 0xDA3E_39CB_94B9_5BDB))
    }
}

impl Uniform for RequestRng {
    #[inline]
    fn uniform(&mut self) -> f64 {
        unit_from_bits(self.0.next_u64())
    }
}

/// A source of uniform numbers in `[0, 1)`.
pub trait Uniform {
    /// A uniform number in `[0, 1)` with 53 random bits.
    fn uniform(&mut self) -> f64;

    /// A uniform number in `(0, 1]`, safe to take the logarithm of.
    #[inline]
    fn uniform_open0(&mut self) -> f64 {
        1.0 - self.uniform()
    }
}

#[inline]
pub(crate) fn unit_from_bits(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_of_one_seed_differ_and_repeat() {
        let mut a = RandomStream::new(7, Stream::Arrivals);
        let mut b = RandomStream::new(7, Stream::Sizes);
        let mut a2 = RandomStream::new(7, Stream::Arrivals);
        let xa: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
        let xb: Vec<u64> = (0..4).map(|_| b.next_u64()).collect();
        let xa2: Vec<u64> = (0..4).map(|_| a2.next_u64()).collect();
        assert_ne!(xa, xb);
        assert_eq!(xa, xa2);
    }

    #[test]
    fn uniform_mean_is_one_half_within_half_a_percent() {
        let mut r = RandomStream::new(1, Stream::Policy);
        let n = 200_000;
        let mean = (0..n).map(|_| r.uniform()).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.0025, "mean {mean}");
    }

    #[test]
    fn below_covers_every_index_evenly() {
        let mut r = RandomStream::new(3, Stream::Policy);
        let mut counts = [0u32; 5];
        for _ in 0..50_000 {
            counts[r.below(5)] += 1;
        }
        for c in counts {
            assert!((9_500..10_500).contains(&c), "{counts:?}");
        }
    }
}
