//! Streaming metrics: a latency histogram for a whole run, and exact
//! quantiles of a bounded sample for one time bucket.
//!
//! Memory is fixed by the scenario's shape (servers, buckets), never by the
//! number of requests simulated.

use hdrhistogram::Histogram;

/// Largest latency tracked, in nanoseconds (about 208 days); larger values
/// are clamped (the exact maximum is kept separately).
const HIGHEST_NS: u64 = 1 << 54;

/// A latency histogram with bounded relative error.
#[derive(Clone, Debug)]
pub struct LatencyHistogram {
    hist: Histogram<u64>,
    sum_s: f64,
    max_s: f64,
}

impl LatencyHistogram {
    /// A histogram keeping `digits` significant decimal digits: 3 gives a
    /// relative error of at most 0.1 %, 2 at most 1 %.
    pub fn new(digits: u8) -> Self {
        let hist = Histogram::new_with_bounds(1, HIGHEST_NS, digits)
            .unwrap_or_else(|_| Histogram::new(3).unwrap_or_else(|_| unreachable!()));
        LatencyHistogram {
            hist,
            sum_s: 0.0,
            max_s: 0.0,
        }
    }

    /// Records one latency in seconds.
    #[inline]
    pub fn record(&mut self, seconds: f64) {
        let ns = seconds * 1e9;
        // A clamp written as comparisons (one instruction each, where
        // `f64::clamp` handles NaN, which a latency never is); below 2^63
        // a conversion through i64 is one instruction too.
        let ns = if ns > 1.0 { ns } else { 1.0 };
        let ns = if ns < HIGHEST_NS as f64 {
            ns
        } else {
            HIGHEST_NS as f64
        };
        self.hist.saturating_record(ns as i64 as u64);
        self.sum_s += seconds;
        if seconds > self.max_s {
            self.max_s = seconds;
        }
    }

    /// Number of latencies recorded.
    pub fn count(&self) -> u64 {
        self.hist.len()
    }

    /// The latency at quantile `q` (0 to 1) in milliseconds; 0 when empty.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.hist.is_empty() {
            return 0.0;
        }
        // The midpoint of the bucket halves the worst-case error.
        let v = self.hist.value_at_quantile(q);
        self.hist.median_equivalent(v) as f64 / 1e6
    }

    /// Exact mean in milliseconds; 0 when empty.
    pub fn mean_ms(&self) -> f64 {
        if self.hist.is_empty() {
            0.0
        } else {
            self.sum_s / self.hist.len() as f64 * 1e3
        }
    }

    /// Exact maximum in milliseconds.
    pub fn max_ms(&self) -> f64 {
        self.max_s * 1e3
    }

    /// Forgets every value.
    pub fn reset(&mut self) {
        self.hist.reset();
        self.sum_s = 0.0;
        self.max_s = 0.0;
    }
}

/// Most latencies a [`BucketLatencies`] keeps (512 KiB).
pub const BUCKET_SAMPLE_CAP: usize = 1 << 16;

/// Length in seconds of the part of `[a, b]` inside the window
/// `[from, to]`; zero or negative when they do not overlap.
///
/// The comparisons compile to one instruction each, where `f64::min` and
/// `f64::max` also handle NaN, which no time here is.
#[inline]
pub(crate) fn overlap(a: f64, b: f64, from: f64, to: f64) -> f64 {
    let hi = if b < to { b } else { to };
    let lo = if a > from { a } else { from };
    hi - lo
}

/// The latencies of one time bucket, in seconds, for exact quantiles.
///
/// Every latency is kept until [`BUCKET_SAMPLE_CAP`] are held; then every
/// other one is dropped and from then on only every 2nd latency is kept,
/// then every 4th, and so on: a deterministic, evenly spread sample, so a
/// huge bucket stays bounded. Below the cap, quantiles are exact.
#[derive(Clone, Debug, Default)]
pub struct BucketLatencies {
    /// The kept latencies as `f64` bits: for values `>= 0`, the bits sort
    /// like the values, and integers select faster.
    samples: Vec<u64>,
    /// Latencies recorded since the last reset, kept or not.
    seen: u64,
    /// Keep the latencies whose position in `seen` is a multiple of this
    /// power of two.
    stride: u64,
}

impl BucketLatencies {
    /// An empty bucket.
    pub fn new() -> Self {
        BucketLatencies {
            samples: Vec::new(),
            seen: 0,
            stride: 1,
        }
    }

    /// Records one latency in seconds (`>= 0`).
    #[inline(always)]
    pub fn record(&mut self, seconds: f64) {
        debug_assert!(seconds >= 0.0, "latency {seconds}");
        if self.seen & (self.stride - 1) == 0 {
            // `+ 0.0` turns a -0.0 into +0.0, whose bits sort first.
            self.samples.push((seconds + 0.0).to_bits());
            if self.samples.len() >= BUCKET_SAMPLE_CAP {
                self.thin();
            }
        }
        self.seen += 1;
    }

    /// Keeps every other sample and halves the sampling rate.
    #[cold]
    #[inline(never)]
    fn thin(&mut self) {
        let mut i = 0;
        self.samples.retain(|_| {
            i += 1;
            i % 2 == 1
        });
        self.stride *= 2;
    }

    /// Number of latencies recorded since the last reset.
    pub fn count(&self) -> u64 {
        self.seen
    }

    /// The nearest-rank quantiles `lo <= hi` (0 to 1) in milliseconds: the
    /// smallest kept values with at least `q` of the sample at or below
    /// them; `None` when empty. Reorders the sample.
    pub fn quantiles_ms(&mut self, lo: f64, hi: f64) -> Option<(f64, f64)> {
        let n = self.samples.len();
        if n == 0 {
            return None;
        }
        let rank = |q: f64| ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
        let (l, h) = (rank(lo), rank(hi));
        let (below, &mut high, _) = self.samples.select_nth_unstable(h);
        let low = if l < h {
            *below.select_nth_unstable(l).1
        } else {
            high
        };
        Some((f64::from_bits(low) * 1e3, f64::from_bits(high) * 1e3))
    }

    /// Forgets every latency, keeping the allocation.
    pub fn reset(&mut self) {
        self.samples.clear();
        self.seen = 0;
        self.stride = 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_quantiles_are_exact_nearest_ranks() {
        let mut b = BucketLatencies::new();
        assert_eq!(b.quantiles_ms(0.5, 0.99), None);
        for i in (1..=1000).rev() {
            b.record(f64::from(i) / 1e3); // 1000 ms .. 1 ms
        }
        let (p50, p99) = b.quantiles_ms(0.5, 0.99).expect("not empty");
        assert!(
            (p50 - 500.0).abs() < 1e-9 && (p99 - 990.0).abs() < 1e-9,
            "{p50} {p99}"
        );
        b.reset();
        b.record(0.25);
        assert_eq!(
            (b.count(), b.quantiles_ms(0.5, 0.99)),
            (1, Some((250.0, 250.0)))
        );
    }

    #[test]
    fn a_huge_bucket_stays_bounded_and_evenly_sampled() {
        let mut b = BucketLatencies::new();
        let n = 5 * BUCKET_SAMPLE_CAP as u32 + 7;
        for i in 0..n {
            b.record(f64::from(i) / f64::from(n)); // uniform on [0, 1) s
        }
        assert_eq!(b.count(), u64::from(n));
        assert!(b.samples.len() < BUCKET_SAMPLE_CAP && b.samples.capacity() <= BUCKET_SAMPLE_CAP);
        assert_eq!(b.stride, 8);
        let (p50, p99) = b.quantiles_ms(0.5, 0.99).expect("not empty");
        assert!(
            (p50 - 500.0).abs() < 0.1 && (p99 - 990.0).abs() < 0.1,
            "{p50} {p99}"
        );
    }

    #[test]
    fn quantiles_are_within_a_tenth_of_a_percent_at_three_digits() {
        let mut h = LatencyHistogram::new(3);
        for i in 1..=100_000 {
            h.record(f64::from(i) * 1e-5); // 0.01 ms .. 1000 ms
        }
        for (q, exact) in [(0.5, 500.0), (0.9, 900.0), (0.99, 990.0), (0.999, 999.0)] {
            let got = h.quantile_ms(q);
            assert!(
                (got - exact).abs() / exact < 0.001,
                "q{q}: {got} vs {exact}"
            );
        }
        assert!((h.mean_ms() - 500.005).abs() < 1e-6);
        assert_eq!(h.max_ms(), 1000.0);
    }

    #[test]
    fn two_digit_histogram_stays_within_one_percent() {
        let mut h = LatencyHistogram::new(2);
        for i in 1..=10_000 {
            h.record(f64::from(i) * 1.37e-4);
        }
        let exact = 5_000.0 * 0.137;
        assert!((h.quantile_ms(0.5) - exact).abs() / exact < 0.01);
    }

    #[test]
    fn an_empty_histogram_reports_zeros() {
        let h = LatencyHistogram::new(2);
        assert_eq!((h.count(), h.quantile_ms(0.99), h.mean_ms()), (0, 0.0, 0.0));
    }
}
