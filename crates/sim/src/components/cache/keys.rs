//! Which key a request names: Zipf popularity over `[keys]`, ranks shifted
//! at given times, and each key's miss cost, drawn once per key.
//!
//! The key is a function of the request's seed and its arrival time, so a
//! run with keys draws nothing more from the streams it had without them.

use std::rc::Rc;

use crate::dist::Sampler;
use crate::rng::RandomStream;
use crate::scenario::{CostOrder, Keys};

/// The popularity of a key space over time.
#[derive(Clone, Debug)]
pub(crate) struct Popularity {
    /// Cumulative probability of ranks `0..=r`.
    cdf: Vec<f64>,
    /// `(engine time, offset)` of each shift, in order.
    shifts: Vec<(f64, u32)>,
}

impl Popularity {
    /// The popularity of `keys`, whose ranks have probabilities `p`
    /// (`theory::cache::zipf`); `warm` is when scenario time 0 falls.
    pub(crate) fn new(keys: &Keys, p: &[f64], warm: f64) -> Popularity {
        let mut acc = 0.0;
        let cdf = p
            .iter()
            .map(|x| {
                acc += x;
                acc
            })
            .collect();
        Popularity {
            cdf,
            shifts: keys
                .shifts
                .iter()
                .map(|s| (warm + s.at_s, s.offset))
                .collect(),
        }
    }

    /// The key a request with `seed` names at `now`.
    #[inline]
    pub(crate) fn key(&self, seed: u64, now: f64) -> u32 {
        let u = unit(seed);
        let n = self.cdf.len();
        let rank = self.cdf.partition_point(|&c| c < u).min(n - 1);
        let offset = self
            .shifts
            .iter()
            .rev()
            .find(|(at, _)| *at <= now)
            .map_or(0, |s| s.1 as usize);
        ((rank + offset) % n) as u32
    }
}

/// A uniform number in [0, 1) from a request's seed (SplitMix64's
/// finaliser, so it is independent of the seed's other uses).
fn unit(seed: u64) -> f64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// Each key's miss cost in seconds of backend work, drawn once per key
/// and handed out in `order`.
pub(crate) fn costs(
    count: u32,
    sampler: &Sampler,
    order: CostOrder,
    mut rng: RandomStream,
) -> Rc<[f64]> {
    let mut c: Vec<f64> = (0..count).map(|_| sampler.sample(&mut rng)).collect();
    match order {
        CostOrder::Random => {}
        CostOrder::Rarest => c.sort_by(f64::total_cmp),
        CostOrder::Hottest => c.sort_by(|a, b| b.total_cmp(a)),
    }
    c.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::KeyShift;

    fn keys(count: u32, zipf: f64) -> Keys {
        Keys {
            count,
            zipf,
            cost_ms: None,
            cost_order: CostOrder::Random,
            shifts: vec![KeyShift {
                at_s: 10.0,
                offset: 3,
            }],
        }
    }

    #[test]
    fn keys_follow_their_popularity_and_shift_at_its_time() {
        let p = crate::theory::cache::zipf(10, 1.0);
        let pop = Popularity::new(&keys(10, 1.0), &p, 5.0);
        let n = 200_000;
        let mut before = [0u32; 10];
        let mut after = [0u32; 10];
        for seed in 0..n {
            before[pop.key(seed, 14.9) as usize] += 1;
            after[pop.key(seed, 15.0) as usize] += 1;
        }
        for r in 0..10 {
            let share = f64::from(before[r]) / n as f64;
            assert!(
                (share - p[r]).abs() < 0.005,
                "rank {r}: {share} vs {}",
                p[r]
            );
            assert_eq!(after[(r + 3) % 10], before[r], "rank {r} moves by 3");
        }
    }
}
