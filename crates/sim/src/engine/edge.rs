//! Statistics of logical requests at the edge client: what the callers
//! asked for and what they got, per time bucket and over the window.

use crate::metrics::{BucketLatencies, LatencyHistogram};
use crate::report::Series;

const ARRIVED: usize = 0;
const SUCCEEDED: usize = 1;
const FAILED: usize = 2;
const ATTEMPTS: usize = 3;
const RETRIES: usize = 4;
const TIMEOUTS: usize = 5;
const THROTTLED: usize = 6;

/// Logical-request statistics (only filled when there is an edge client).
#[derive(Debug)]
pub(crate) struct EdgeRecorder {
    warm: f64,
    end: f64,
    slo_s: f64,
    counts: [u64; 7],
    /// Latency of succeeded logical requests that arrived in the window.
    pub(crate) latency: LatencyHistogram,
    bucket_latency: BucketLatencies,
    /// Logical requests that arrived in the window and succeeded within the SLO.
    pub(crate) within_slo: u64,
}

impl EdgeRecorder {
    pub(crate) fn new(warm: f64, duration: f64, slo_ms: f64) -> Self {
        EdgeRecorder {
            warm,
            end: warm + duration,
            slo_s: slo_ms / 1e3,
            counts: [0; 7],
            latency: LatencyHistogram::new(3),
            bucket_latency: BucketLatencies::new(),
            within_slo: 0,
        }
    }

    #[inline]
    fn count(&mut self, t: f64, kind: usize) {
        if t >= self.warm && t <= self.end {
            self.counts[kind] += 1;
        }
    }

    pub(crate) fn arrived(&mut self, t: f64) {
        self.count(t, ARRIVED);
    }

    pub(crate) fn attempt(&mut self, t: f64) {
        self.count(t, ATTEMPTS);
    }

    pub(crate) fn retry(&mut self, t: f64) {
        self.count(t, RETRIES);
    }

    pub(crate) fn timeout(&mut self, t: f64) {
        self.count(t, TIMEOUTS);
    }

    pub(crate) fn throttled(&mut self, t: f64) {
        self.count(t, THROTTLED);
    }

    /// A logical request born at `born` ended at `t`, successfully or not.
    pub(crate) fn ended(&mut self, born: f64, t: f64, ok: bool) {
        self.count(t, if ok { SUCCEEDED } else { FAILED });
        if !ok {
            return;
        }
        if t >= self.warm && t <= self.end {
            self.bucket_latency.record(t - born);
        }
        if born >= self.warm {
            self.latency.record(t - born);
            if t - born <= self.slo_s {
                self.within_slo += 1;
            }
        }
    }

    /// Closes a bucket of `width` seconds into `s`.
    pub(crate) fn close_bucket(&mut self, s: &mut Series, width: f64) {
        let c = self.counts;
        let per_s = |n: u64| n as f64 / width;
        s.offered_rps.push(per_s(c[ARRIVED]));
        s.goodput_rps.push(per_s(c[SUCCEEDED]));
        s.logical_failed_rps.push(per_s(c[FAILED]));
        s.attempts_rps.push(per_s(c[ATTEMPTS]));
        s.retries_rps.push(per_s(c[RETRIES]));
        s.timeouts_rps.push(per_s(c[TIMEOUTS]));
        s.throttled_rps.push(per_s(c[THROTTLED]));
        let q = self.bucket_latency.quantiles_ms(0.5, 0.99);
        s.logical_p50_ms.push(q.map(|q| q.0));
        s.logical_p99_ms.push(q.map(|q| q.1));
        self.counts = [0; 7];
        self.bucket_latency.reset();
    }
}
