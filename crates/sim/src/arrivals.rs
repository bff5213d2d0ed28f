//! The arrival process: Poisson or evenly spaced arrivals under a rate that
//! changes over time (steps and spikes).
//!
//! Times here are engine times: 0 is the start of warm-up.

use crate::rng::{RandomStream, Uniform};
use crate::scenario::{Arrival, Scenario};

/// A piecewise-constant arrival rate.
#[derive(Clone, Debug)]
pub struct RateSchedule {
    /// `(start time in seconds, rate in requests per second)`, sorted by
    /// start; each segment lasts until the next one starts.
    segments: Vec<(f64, f64)>,
}

impl RateSchedule {
    /// The schedule of `s`: the base rate with its changes laid over it, the
    /// later change winning where two overlap.
    pub fn new(s: &Scenario) -> Self {
        let windows: Vec<(f64, f64, f64)> = s
            .traffic
            .changes
            .iter()
            .filter(|c| c.enabled)
            .map(|c| {
                let from = s.warmup_s + c.at_s;
                (
                    from,
                    c.for_s.map_or(f64::INFINITY, |d| from + d),
                    c.rate_rps,
                )
            })
            .collect();
        let mut points: Vec<f64> = vec![0.0];
        for &(from, to, _) in &windows {
            points.push(from);
            if to.is_finite() {
                points.push(to);
            }
        }
        points.sort_by(f64::total_cmp);
        points.dedup();
        let segments = points
            .into_iter()
            .map(|p| {
                let rate = windows
                    .iter()
                    .rev()
                    .find(|&&(from, to, _)| from <= p && p < to)
                    .map_or(s.traffic.rate_rps.unwrap_or(0.0), |w| w.2);
                (p, rate)
            })
            .collect();
        RateSchedule { segments }
    }

    /// The rate in requests per second at time `t`.
    pub fn rate_at(&self, t: f64) -> f64 {
        let i = self.segments.partition_point(|&(start, _)| start <= t);
        self.segments[i.saturating_sub(1)].1
    }

    /// Expected arrivals between 0 and `end`.
    pub fn integral(&self, end: f64) -> f64 {
        let mut total = 0.0;
        for (i, &(start, rate)) in self.segments.iter().enumerate() {
            let stop = self.segments.get(i + 1).map_or(end, |s| s.0).min(end);
            if stop > start {
                total += rate * (stop - start);
            }
        }
        total
    }

    fn segment_end(&self, i: usize) -> f64 {
        self.segments.get(i + 1).map_or(f64::INFINITY, |s| s.0)
    }
}

/// Arrival times generated ahead of need, in one batch.
const AHEAD: usize = 32;

/// Generates arrival times in order until the end of the run.
///
/// Times are generated [`AHEAD`] at a time: a batch runs its logarithms back
/// to back, and the engine, comparing the next arrival with the next event,
/// finds a time computed long before instead of waiting on a fresh
/// logarithm. The stream is private, so the times are the same either way.
#[derive(Clone, Debug)]
pub struct Arrivals {
    /// Times generated, not yet handed out: `ahead[next..len]`.
    ahead: [f64; AHEAD],
    next: usize,
    len: usize,
    schedule: RateSchedule,
    kind: Arrival,
    rng: RandomStream,
    segment: usize,
    /// Rate (requests per second) and end (seconds) of `segment`.
    rate: f64,
    seg_end: f64,
    now: f64,
    end: f64,
}

impl Arrivals {
    /// Arrivals of `s` drawn from `rng`, up to `end` seconds.
    pub fn new(s: &Scenario, rng: RandomStream, end: f64) -> Self {
        let schedule = RateSchedule::new(s);
        Arrivals {
            ahead: [0.0; AHEAD],
            next: 0,
            len: 0,
            rate: schedule.segments[0].1,
            seg_end: schedule.segment_end(0),
            schedule,
            kind: s.traffic.arrival,
            rng,
            segment: 0,
            now: 0.0,
            end,
        }
    }

    /// The next arrival time, or `None` once past the end of the run.
    #[inline]
    pub fn next_time(&mut self) -> Option<f64> {
        if self.next == self.len {
            self.refill();
            if self.len == 0 {
                return None;
            }
        }
        let t = self.ahead[self.next];
        self.next += 1;
        Some(t)
    }

    /// Generates the next batch; fewer than [`AHEAD`] times (none at all)
    /// once the run ends.
    fn refill(&mut self) {
        self.next = 0;
        self.len = 0;
        while self.len < AHEAD {
            let Some(t) = self.generate() else { break };
            self.ahead[self.len] = t;
            self.len += 1;
        }
    }

    /// The arrival after the last one generated, or `None` past the end.
    fn generate(&mut self) -> Option<f64> {
        loop {
            if self.now >= self.end {
                return None;
            }
            let (rate, seg_end) = (self.rate, self.seg_end);
            if rate > 0.0 {
                let gap = match self.kind {
                    // Memorylessness makes restarting at a boundary exact.
                    Arrival::Poisson => -libm::log(self.rng.uniform_open0()) / rate,
                    Arrival::Constant => 1.0 / rate,
                };
                let t = self.now + gap;
                if t < seg_end {
                    self.now = t;
                    return (t < self.end).then_some(t);
                }
            }
            if seg_end.is_infinite() {
                self.now = f64::INFINITY;
                return None;
            }
            self.now = seg_end;
            self.segment += 1;
            self.rate = self.schedule.segments[self.segment].1;
            self.seg_end = self.schedule.segment_end(self.segment);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;
    use crate::scenario::RateChange;

    fn scenario(changes: Vec<RateChange>) -> Scenario {
        let text = "duration_s = 100\nwarmup_s = 10\n[traffic]\nrate_rps = 10\n[[servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"constant\", value = 1 }\n";
        let mut s: Scenario = toml::from_str(text).expect("valid");
        s.traffic.changes = changes;
        s
    }

    #[test]
    fn a_spike_raises_the_rate_only_inside_its_window_and_later_changes_win() {
        let s = scenario(vec![
            RateChange {
                enabled: true,
                at_s: 20.0,
                for_s: Some(10.0),
                rate_rps: 100.0,
            },
            RateChange {
                enabled: true,
                at_s: 25.0,
                for_s: None,
                rate_rps: 50.0,
            },
        ]);
        let r = RateSchedule::new(&s);
        assert_eq!(r.rate_at(0.0), 10.0);
        assert_eq!(r.rate_at(30.0), 100.0);
        assert_eq!(r.rate_at(35.0), 50.0);
        assert_eq!(r.rate_at(45.0), 50.0);
        // 30 s at 10, 5 s at 100, 75 s at 50.
        assert_eq!(r.integral(110.0), 300.0 + 500.0 + 3750.0);
    }

    #[test]
    fn poisson_counts_follow_the_schedule_within_two_percent() {
        let s = scenario(vec![RateChange {
            enabled: true,
            at_s: 50.0,
            for_s: Some(20.0),
            rate_rps: 200.0,
        }]);
        let mut a = Arrivals::new(&s, RandomStream::new(5, Stream::Arrivals), 110.0);
        let (mut inside, mut outside) = (0u32, 0u32);
        while let Some(t) = a.next_time() {
            if (60.0..80.0).contains(&t) {
                inside += 1
            } else {
                outside += 1
            }
        }
        assert!((f64::from(inside) - 4000.0).abs() < 80.0, "inside {inside}");
        assert!(
            (f64::from(outside) - 900.0).abs() < 90.0,
            "outside {outside}"
        );
    }

    #[test]
    fn constant_arrivals_are_evenly_spaced() {
        let mut s = scenario(vec![]);
        s.traffic.arrival = Arrival::Constant;
        let mut a = Arrivals::new(&s, RandomStream::new(5, Stream::Arrivals), 1.05);
        let times: Vec<f64> = std::iter::from_fn(|| a.next_time()).collect();
        assert_eq!(times.len(), 10); // 0.1, 0.2, .. 1.0
        assert!((times[4] - 0.5).abs() < 1e-12);
    }
}
