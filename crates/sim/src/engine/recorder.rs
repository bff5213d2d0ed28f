//! Collects the statistics of a run as it goes: counts and latencies of
//! measured requests, Little's-law areas, and the per-bucket time series.

use super::edge::EdgeRecorder;
use crate::metrics::{BucketLatencies, LatencyHistogram, overlap};
use crate::report::Series;
use crate::server::Server;

/// The measured window and the running statistics over it.
#[derive(Debug)]
pub(crate) struct Recorder {
    /// Start and end of the measured window, engine seconds.
    pub(crate) warm: f64,
    pub(crate) end: f64,
    bucket_s: f64,
    buckets: usize,
    /// Index of the bucket now filling.
    bucket: usize,
    /// When the bucket now filling ends, engine seconds; infinite after the
    /// last one.
    pub(crate) next_boundary: f64,
    pub(crate) latency: LatencyHistogram,
    bucket_latency: BucketLatencies,
    pub(crate) arrivals: u64,
    pub(crate) completed: u64,
    pub(crate) rejected: u64,
    pub(crate) failed: u64,
    /// Measured requests that started service, how many of them waited
    /// first, and their total wait in seconds.
    pub(crate) started: u64,
    pub(crate) waited: u64,
    pub(crate) wait_s: f64,
    bucket_counts: [u64; 4],
    /// Requests in the system now (queued or in service), and the area under
    /// that count inside the window.
    in_system: u64,
    last: f64,
    pub(crate) in_system_area: f64,
    pub(crate) request_seconds: f64,
    pub(crate) series: Series,
    /// The latency objective in seconds, and the measured requests that
    /// completed within it.
    slo_s: f64,
    pub(crate) within_slo: u64,
    /// Whether an edge client records logical requests; without one, the
    /// logical series are the attempt series.
    edge: bool,
}

const ARRIVED: usize = 0;
const COMPLETED: usize = 1;
const REJECTED: usize = 2;
const FAILED: usize = 3;

impl Recorder {
    pub(crate) fn new(
        warm: f64,
        duration: f64,
        (bucket_s, slo_ms): (f64, f64),
        servers: usize,
        edge: bool,
    ) -> Self {
        let buckets = ((duration / bucket_s) - 1e-9).ceil().max(1.0) as usize;
        let series = Series {
            bucket_s,
            queue: vec![Vec::with_capacity(buckets); servers],
            utilization: vec![Vec::with_capacity(buckets); servers],
            ..Series::default()
        };
        let mut r = Recorder {
            warm,
            end: warm + duration,
            bucket_s,
            buckets,
            bucket: 0,
            next_boundary: f64::INFINITY,
            latency: LatencyHistogram::new(3),
            bucket_latency: BucketLatencies::new(),
            arrivals: 0,
            completed: 0,
            rejected: 0,
            failed: 0,
            started: 0,
            waited: 0,
            wait_s: 0.0,
            bucket_counts: [0; 4],
            in_system: 0,
            last: 0.0,
            in_system_area: 0.0,
            request_seconds: 0.0,
            series,
            slo_s: slo_ms / 1e3,
            within_slo: 0,
            edge,
        };
        r.next_boundary = r.boundary(1);
        r
    }

    fn in_window(&self, t: f64) -> bool {
        t >= self.warm && t <= self.end
    }

    /// Moves the clock to `t` (after [`Recorder::close_buckets`] closed
    /// the buckets that end by then): integrates the number in the system.
    #[inline]
    pub(crate) fn advance(&mut self, t: f64) {
        let dt = overlap(self.last, t, self.warm, self.end);
        if dt > 0.0 {
            self.in_system_area += self.in_system as i64 as f64 * dt;
        }
        self.last = t;
    }

    fn boundary(&self, k: usize) -> f64 {
        if k >= self.buckets {
            self.end
        } else {
            self.warm + k as f64 * self.bucket_s
        }
    }

    /// Closes every bucket that ends by `t`; `servers` are every server of
    /// every service, in report order.
    #[cold]
    #[inline(never)]
    pub(crate) fn close_buckets(
        &mut self,
        t: f64,
        servers: &mut [&mut Server],
        edge: &mut EdgeRecorder,
    ) {
        while self.next_boundary <= t {
            self.close_bucket(servers, edge);
            self.next_boundary = if self.bucket < self.buckets {
                self.boundary(self.bucket + 1)
            } else {
                f64::INFINITY
            };
        }
    }

    fn close_bucket(&mut self, servers: &mut [&mut Server], edge: &mut EdgeRecorder) {
        let (start, stop) = (self.boundary(self.bucket), self.boundary(self.bucket + 1));
        let width = stop - start;
        let s = &mut self.series;
        s.t_s.push(start - self.warm);
        let per_s = |n: u64| n as f64 / width;
        s.arrivals_rps.push(per_s(self.bucket_counts[ARRIVED]));
        s.throughput_rps.push(per_s(self.bucket_counts[COMPLETED]));
        s.rejected_rps.push(per_s(self.bucket_counts[REJECTED]));
        s.failed_rps.push(per_s(self.bucket_counts[FAILED]));
        let quantiles = self.bucket_latency.quantiles_ms(0.5, 0.99);
        s.p50_ms.push(quantiles.map(|q| q.0));
        s.p99_ms.push(quantiles.map(|q| q.1));
        for (i, server) in servers.iter_mut().enumerate() {
            server.advance(stop, self.warm, self.end);
            let (queue, busy) = server.take_bucket_areas();
            s.queue[i].push(queue / width);
            s.utilization[i].push(busy / (width * server.slots.len() as f64));
        }
        if self.edge {
            edge.close_bucket(s, width);
        } else {
            // Without a client, a logical request is its one attempt.
            let arrived = per_s(self.bucket_counts[ARRIVED]);
            let failed = per_s(self.bucket_counts[REJECTED] + self.bucket_counts[FAILED]);
            s.offered_rps.push(arrived);
            s.goodput_rps.push(per_s(self.bucket_counts[COMPLETED]));
            s.logical_failed_rps.push(failed);
            s.attempts_rps.push(arrived);
            s.retries_rps.push(0.0);
            s.timeouts_rps.push(0.0);
            s.throttled_rps.push(0.0);
            s.logical_p50_ms.push(quantiles.map(|q| q.0));
            s.logical_p99_ms.push(quantiles.map(|q| q.1));
        }
        let (offered, attempts) = (s.offered_rps.last(), s.attempts_rps.last());
        if let (Some(&offered), Some(&attempts)) = (offered, attempts) {
            s.amplification
                .push((offered > 0.0).then(|| attempts / offered));
        }
        self.bucket_counts = [0; 4];
        self.bucket_latency.reset();
        self.bucket += 1;
    }

    fn count(&mut self, t: f64, kind: usize) {
        if self.in_window(t) {
            self.bucket_counts[kind] += 1;
        }
    }

    pub(crate) fn arrival(&mut self, t: f64) {
        if t >= self.warm {
            self.arrivals += 1;
        }
        self.count(t, ARRIVED);
    }

    /// A request that arrived at `arrive` starts service at `t`.
    pub(crate) fn started(&mut self, arrive: f64, t: f64) {
        if arrive >= self.warm {
            self.started += 1;
            if t > arrive {
                self.waited += 1;
                self.wait_s += t - arrive;
            }
        }
    }

    /// A request entered a server (queue or service).
    pub(crate) fn entered(&mut self) {
        self.in_system += 1;
    }

    /// A request that arrived at `arrive` left the system at `t`.
    fn left(&mut self, arrive: f64, t: f64) {
        self.in_system -= 1;
        self.request_seconds += self.clipped(arrive, t);
    }

    /// Time from `arrive` to `t` that lies inside the window.
    pub(crate) fn clipped(&self, arrive: f64, t: f64) -> f64 {
        let d = overlap(arrive, t, self.warm, self.end);
        if d > 0.0 { d } else { 0.0 }
    }

    /// Returns whether the request counts (arrived after warm-up).
    #[inline(always)]
    pub(crate) fn completed(&mut self, arrive: f64, t: f64) -> bool {
        self.left(arrive, t);
        self.count(t, COMPLETED);
        if self.in_window(t) {
            self.bucket_latency.record(t - arrive);
        }
        let measured = arrive >= self.warm;
        if measured {
            self.completed += 1;
            self.latency.record(t - arrive);
            if t - arrive <= self.slo_s {
                self.within_slo += 1;
            }
        }
        measured
    }

    pub(crate) fn rejected(&mut self, arrive: f64) {
        self.count(arrive, REJECTED);
        if arrive >= self.warm {
            self.rejected += 1;
        }
    }

    /// A request that had entered gave up waiting at `t` (an acquire
    /// timeout): it leaves, counted as rejected.
    pub(crate) fn gave_up(&mut self, arrive: f64, t: f64) {
        self.left(arrive, t);
        self.count(t, REJECTED);
        if arrive >= self.warm {
            self.rejected += 1;
        }
    }

    /// A request failed at `t`; `in_system` says whether it had entered a server.
    pub(crate) fn failed(&mut self, arrive: f64, t: f64, in_system: bool) {
        if in_system {
            self.left(arrive, t);
        }
        self.count(t, FAILED);
        if arrive >= self.warm {
            self.failed += 1;
        }
    }
}
