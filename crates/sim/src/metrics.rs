//! Streaming metrics: a latency histogram and fixed time buckets.
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
    pub fn record(&mut self, seconds: f64) {
        let ns = (seconds * 1e9).clamp(1.0, HIGHEST_NS as f64) as u64;
        self.hist.saturating_record(ns);
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

#[cfg(test)]
mod tests {
    use super::*;

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
