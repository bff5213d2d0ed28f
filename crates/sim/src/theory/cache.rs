//! Cache hit ratios under the independent reference model (IRM): each
//! request names key `i` with probability `pᵢ`, independently of the past.
//!
//! ```text
//!  LRU            Che et al. (2002): hitᵢ = 1 − e^(−pᵢ·T),     Σᵢ (1 − e^(−pᵢ·T)) = C
//!  FIFO, random   the same characteristic time with hitᵢ = pᵢ·T / (1 + pᵢ·T),  Σᵢ hitᵢ = C
//!  perfect LFU    the static optimum: the C most popular keys, Σ of the top C pᵢ
//!  TTL, one key at Poisson rate λ:  fixed at insert λT/(1 + λT); refreshed on hit 1 − e^(−λT)
//!  an expiry with recomputation time D, no coalescing: 1 + λD recomputations
//! ```
//! `T` counts requests (the cache's characteristic time in units of the
//! request stream), `C` is the capacity in entries. Every function uses
//! `libm`, so the browser shows the bits the CLI prints.

/// Zipf popularity of `n` keys with exponent `s`: `pᵢ ∝ 1 / (i + 1)^s`,
/// most popular first; empty for `n = 0`.
pub fn zipf(n: usize, s: f64) -> Vec<f64> {
    let w: Vec<f64> = (1..=n).map(|k| 1.0 / libm::pow(k as f64, s)).collect();
    let total: f64 = w.iter().sum();
    w.into_iter().map(|x| x / total).collect()
}

/// The characteristic time `T` at which `Σᵢ occupancy(pᵢ·T) = c`;
/// `occupancy` gives a key's occupancy and its derivative at `x = pᵢ·T`.
/// Newton's method kept inside a shrinking bracket (bisection when a step
/// leaves it): a few dozen passes over the keys, so the site can show it
/// beside every run. `None` unless `0 < c < n` (a cache that holds every
/// key never misses after warm-up).
fn characteristic_time(p: &[f64], c: f64, occupancy: impl Fn(f64) -> (f64, f64)) -> Option<f64> {
    if !(c > 0.0 && c < p.len() as f64) {
        return None;
    }
    // The filled entries minus c, and its derivative in T.
    let f = |t: f64| {
        p.iter().fold((-c, 0.0), |(v, d), &pi| {
            let (o, od) = occupancy(pi * t);
            (v + o, d + pi * od)
        })
    };
    let (mut lo, mut hi) = (0.0, 1.0);
    while f(hi).0 < 0.0 {
        lo = hi;
        hi *= 2.0;
        if !hi.is_finite() {
            return None;
        }
    }
    let mut t = 0.5 * (lo + hi);
    for _ in 0..100 {
        let (v, d) = f(t);
        if v.abs() <= 1e-10 * c {
            break;
        }
        if v < 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        let newton = t - v / d;
        t = if d > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
    }
    Some(t)
}

/// Che's approximation of an LRU cache of `c` entries: the hit probability
/// of each key.
pub fn lru_hits(p: &[f64], c: f64) -> Option<Vec<f64>> {
    let lru = |x: f64| {
        let e = libm::exp(-x);
        (1.0 - e, e)
    };
    let t = characteristic_time(p, c, lru)?;
    Some(p.iter().map(|&pi| lru(pi * t).0).collect())
}

/// The characteristic-time fixed point of FIFO and random eviction (the
/// two have the same hit ratio under IRM): each key's hit probability.
pub fn fifo_hits(p: &[f64], c: f64) -> Option<Vec<f64>> {
    let fifo = |x: f64| (x / (1.0 + x), 1.0 / ((1.0 + x) * (1.0 + x)));
    let t = characteristic_time(p, c, fifo)?;
    Some(p.iter().map(|&pi| fifo(pi * t).0).collect())
}

/// The request hit ratio of per-key hit probabilities: `Σᵢ pᵢ·hitᵢ`.
pub fn hit_ratio(p: &[f64], hits: &[f64]) -> f64 {
    p.iter().zip(hits).map(|(a, b)| a * b).sum()
}

/// The best any cache of `c` entries can do under IRM (what perfect LFU
/// reaches): the total popularity of the `c` most popular keys.
pub fn static_optimum(p: &[f64], c: usize) -> f64 {
    let mut sorted = p.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    sorted.iter().take(c).sum()
}

/// The hit ratio theory predicts for a cache of `c` entries evicting by
/// `eviction` over keys of popularity `p`, with no expiry and no
/// popularity shift (the steady state of IRM).
pub fn predicted_hit_ratio(
    p: &[f64],
    c: usize,
    eviction: crate::scenario::Eviction,
) -> Option<f64> {
    use crate::scenario::Eviction;
    if c >= p.len() {
        return Some(1.0);
    }
    Some(match eviction {
        Eviction::Lru => hit_ratio(p, &lru_hits(p, c as f64)?),
        Eviction::Fifo | Eviction::Random => hit_ratio(p, &fifo_hits(p, c as f64)?),
        Eviction::Lfu => static_optimum(p, c),
    })
}

/// Hit probability of one key requested at Poisson rate `lambda` per
/// second, cached for `ttl_s` seconds from insertion (`refresh`: from its
/// last hit).
pub fn ttl_hit(lambda: f64, ttl_s: f64, refresh: bool) -> f64 {
    let x = lambda * ttl_s;
    if refresh {
        1.0 - libm::exp(-x)
    } else {
        x / (1.0 + x)
    }
}

/// Expected recomputations when a key requested at rate `lambda` expires
/// and each miss recomputes for `d_s` seconds (no coalescing): the first
/// miss, and every request during its recomputation.
pub fn stampede_recomputations(lambda: f64, d_s: f64) -> f64 {
    1.0 + lambda * d_s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zipf_sums_to_one_and_falls() {
        let p = zipf(1000, 0.8);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(p.windows(2).all(|w| w[0] > w[1]));
        // Exponent 0 is uniform.
        assert!(zipf(4, 0.0).iter().all(|&x| (x - 0.25).abs() < 1e-15));
    }

    #[test]
    fn the_characteristic_time_fills_the_cache_exactly() {
        let p = zipf(10_000, 0.9);
        for c in [10.0, 100.0, 1000.0] {
            let h = lru_hits(&p, c).expect("lru");
            assert!((h.iter().sum::<f64>() - c).abs() < 1e-6, "{c}");
            let f = fifo_hits(&p, c).expect("fifo");
            assert!((f.iter().sum::<f64>() - c).abs() < 1e-6, "{c}");
            // LRU beats FIFO under IRM, and both stay under the optimum.
            let (lru, fifo) = (hit_ratio(&p, &h), hit_ratio(&p, &f));
            let best = static_optimum(&p, c as usize);
            assert!(fifo < lru && lru < best, "{fifo} {lru} {best}");
        }
        assert_eq!(lru_hits(&p, 0.0), None);
        assert_eq!(lru_hits(&p, 10_000.0), None);
    }

    #[test]
    fn uniform_popularity_hits_in_proportion_to_capacity() {
        // With n equal keys every policy holds c/n of the requests.
        let p = zipf(100, 0.0);
        for hits in [lru_hits(&p, 25.0), fifo_hits(&p, 25.0)] {
            assert!((hit_ratio(&p, &hits.expect("hits")) - 0.25).abs() < 1e-9);
        }
        assert!((static_optimum(&p, 25) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn ttl_and_stampede_formulas() {
        assert!((ttl_hit(2.0, 1.5, false) - 0.75).abs() < 1e-15);
        assert!((ttl_hit(1.0, 1.0, true) - (1.0 - (-1.0f64).exp())).abs() < 1e-12);
        assert_eq!(stampede_recomputations(100.0, 0.05), 6.0);
    }
}
