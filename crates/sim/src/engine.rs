//! The discrete-event engine: one pass over time for one scenario.
//!
//! ```text
//!  arrivals ──> balancer ──┬──> server 0: queue ─> workers ─┐
//!  (Poisson,     (policy)  ├──> server 1: queue ─> workers ─┼──> completed
//!   rate steps)            └──> server n: ...               ┘
//!                       faults (slow, down) act on servers over time
//! ```
//!
//! Time is `f64` seconds from the start of warm-up. The next arrival is kept
//! beside the heap (only one is pending at a time); at equal times scheduled
//! events run before the arrival, and among themselves in scheduling order.

mod events;
mod recorder;

use events::{Event, EventQueue};
use recorder::Recorder;

use crate::arrivals::Arrivals;
use crate::balancer::Balancer;
use crate::report::{LatencySummary, RunResult, ServerSummary, Summary};
use crate::rng::{RandomStream, RequestRng, Stream};
use crate::scenario::{FaultKind, Policy, ValidScenario};
use crate::server::{Admission, Request, Server};

/// Bounds on the work of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most events to process; the run stops there and says so in
    /// [`Summary::cut_at_s`]. The site uses this so no knob can freeze a tab.
    pub max_events: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_events: u64::MAX,
        }
    }
}

/// Runs `scenario` to the end (or to the event budget) and reports.
pub fn simulate(scenario: &ValidScenario, limits: Limits) -> RunResult {
    Engine::new(scenario).run(limits)
}

struct Engine<'a> {
    s: &'a ValidScenario,
    queue: EventQueue,
    arrivals: Arrivals,
    sizes: RandomStream,
    policy_rng: RandomStream,
    servers: Vec<Server>,
    balancer: Balancer,
    /// Servers each fault acts on.
    fault_targets: Vec<Vec<usize>>,
    rec: Recorder,
    events: u64,
    track_ewma: bool,
}

impl<'a> Engine<'a> {
    fn new(s: &'a ValidScenario) -> Self {
        let sc = s.scenario();
        let warm = sc.warmup_s;
        let end = warm + sc.duration_s;
        let default_rtt = sc.balancer.default_rtt_ms / 1e3;
        let mut servers = Vec::with_capacity(s.server_count());
        let mut offsets = Vec::with_capacity(sc.servers.len());
        for (g, group) in sc.servers.iter().enumerate() {
            offsets.push(servers.len());
            for i in 0..group.count {
                servers.push(Server::new(
                    g,
                    i,
                    group.workers,
                    group.speed,
                    group.queue_capacity,
                    default_rtt,
                ));
            }
        }
        let mut queue = EventQueue::default();
        let mut fault_targets = Vec::with_capacity(sc.faults.len());
        for (f, fault) in sc.faults.iter().enumerate() {
            let base = offsets[fault.group];
            fault_targets.push(match fault.server {
                Some(k) => vec![base + k as usize],
                None => (base..base + sc.servers[fault.group].count as usize).collect(),
            });
            if !fault.enabled {
                continue;
            }
            let at = warm + fault.at_s;
            queue.schedule(at, Event::FaultStart(f as u32));
            if let Some(d) = fault.for_s {
                queue.schedule(at + d, Event::FaultEnd(f as u32));
            }
        }
        Engine {
            s,
            queue,
            arrivals: Arrivals::new(sc, RandomStream::new(sc.seed, Stream::Arrivals), end),
            sizes: RandomStream::new(sc.seed, Stream::Sizes),
            policy_rng: RandomStream::new(sc.seed, Stream::Policy),
            balancer: Balancer::new(s),
            rec: Recorder::new(warm, sc.duration_s, sc.metrics.bucket_s, servers.len()),
            servers,
            fault_targets,
            events: 0,
            track_ewma: sc.balancer.policy == Policy::PeakEwma,
        }
    }

    fn run(mut self, limits: Limits) -> RunResult {
        let end = self.rec.end;
        let mut next_arrival = self.arrivals.next_time();
        let mut cut_at = None;
        loop {
            let heap_t = self.queue.next_time();
            let arrival_first = match (next_arrival, heap_t) {
                (Some(a), Some(h)) => a < h,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let t = if arrival_first { next_arrival } else { heap_t }.unwrap_or(f64::INFINITY);
            if t > end {
                break;
            }
            if self.events >= limits.max_events {
                cut_at = Some(t);
                break;
            }
            self.events += 1;
            self.rec.advance(t, &mut self.servers);
            if arrival_first {
                self.arrive(t);
                next_arrival = self.arrivals.next_time();
            } else if let Some((_, event)) = self.queue.pop() {
                self.handle(t, event);
            }
        }
        self.finish(cut_at)
    }

    fn arrive(&mut self, t: f64) {
        self.rec.arrival(t);
        let seed = self.sizes.next_u64();
        let Some(i) = self.balancer.pick(&self.servers, &mut self.policy_rng, t) else {
            self.rec.failed(t, t, false);
            return;
        };
        // Drawn now, not when service starts: the same number (it depends on
        // the seed and the group only), but off the path to the next event.
        let sampler = &self.s.samplers[self.servers[i].group];
        let request = Request {
            arrive: t,
            work: sampler.sample(&mut RequestRng::new(seed)),
        };
        let (warm, end) = (self.rec.warm, self.rec.end);
        let server = &mut self.servers[i];
        server.advance(t, warm, end);
        match server.admit(request, t >= warm) {
            Admission::Started(slot) => {
                self.rec.entered();
                self.start_service(t, i, slot, request);
            }
            Admission::Queued => self.rec.entered(),
            Admission::Rejected => self.rec.rejected(t),
        }
    }

    /// Schedules the completion of `request` starting service now.
    #[inline]
    fn start_service(&mut self, t: f64, i: usize, slot: u32, request: Request) {
        self.rec.started(request.arrive, t);
        let server = &self.servers[i];
        let done = t + request.work * server.slowdown / server.speed;
        let event = Event::Done {
            server: i as u32,
            slot,
            generation: server.generation,
        };
        self.queue.schedule(done, event);
    }

    fn handle(&mut self, t: f64, event: Event) {
        match event {
            Event::Done {
                server,
                slot,
                generation,
            } => {
                let i = server as usize;
                if self.servers[i].generation != generation {
                    return; // the server went down since; the request already failed
                }
                self.servers[i].advance(t, self.rec.warm, self.rec.end);
                let (done, next) = self.servers[i].finish(slot);
                if let Some(r) = done {
                    if self.rec.completed(r.arrive, t) {
                        self.servers[i].completed += 1;
                    }
                    if self.track_ewma {
                        let decay = self.s.scenario().balancer.ewma_decay_s;
                        self.servers[i].observe_latency(t, t - r.arrive, decay);
                    }
                }
                if let Some(r) = next {
                    self.start_service(t, i, slot, r);
                }
            }
            Event::FaultStart(f) => self.fault(t, f as usize, true),
            Event::FaultEnd(f) => self.fault(t, f as usize, false),
        }
    }

    fn fault(&mut self, t: f64, f: usize, starts: bool) {
        let fault = &self.s.scenario().faults[f];
        let (warm, end) = (self.rec.warm, self.rec.end);
        for &i in &self.fault_targets[f] {
            let server = &mut self.servers[i];
            server.advance(t, warm, end);
            match (fault.kind, starts) {
                (FaultKind::Down, true) => {
                    for r in server.go_down() {
                        self.rec.failed(r.arrive, t, true);
                    }
                }
                (FaultKind::Down, false) => server.come_up(),
                (FaultKind::Slow, active) => server.set_slow(fault.factor.unwrap_or(1.0), active),
            }
        }
        if fault.kind == FaultKind::Down {
            self.balancer.refresh(&self.servers);
        }
    }

    fn finish(mut self, cut_at: Option<f64>) -> RunResult {
        let sc = self.s.scenario();
        let stop = cut_at.unwrap_or(self.rec.end).min(self.rec.end);
        self.rec.advance(stop, &mut self.servers);
        let (warm, end) = (self.rec.warm, self.rec.end);
        let mut in_flight = 0;
        for server in &mut self.servers {
            server.advance(stop, warm, end);
            let waiting = server.queue.iter();
            for r in server.slots.iter().flatten().chain(waiting) {
                self.rec.request_seconds += self.rec.clipped(r.arrive, stop);
                in_flight += u64::from(r.arrive >= warm);
            }
        }
        let measured = (stop - warm).max(0.0);
        let per = |x: f64| if measured > 0.0 { x / measured } else { 0.0 };
        let servers = self
            .servers
            .iter()
            .map(|s| ServerSummary {
                group: s.group,
                name: sc.servers[s.group]
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("group-{}", s.group)),
                index: s.index,
                utilization: per(s.busy_area) / s.slots.len() as f64,
                completed: s.completed,
                mean_queue: per(s.queue_area),
                max_queue: s.max_queue as u64,
            })
            .collect();
        let h = &self.rec.latency;
        let summary = Summary {
            seed: sc.seed,
            duration_s: sc.duration_s,
            arrivals: self.rec.arrivals,
            completed: self.rec.completed,
            rejected: self.rec.rejected,
            failed: self.rec.failed,
            in_flight,
            throughput_rps: per(self.rec.completed as f64),
            latency_ms: LatencySummary {
                mean: h.mean_ms(),
                p50: h.quantile_ms(0.5),
                p90: h.quantile_ms(0.9),
                p99: h.quantile_ms(0.99),
                p999: h.quantile_ms(0.999),
                max: h.max_ms(),
            },
            mean_wait_ms: if self.rec.started > 0 {
                self.rec.wait_s / self.rec.started as f64 * 1e3
            } else {
                0.0
            },
            waited_fraction: if self.rec.started > 0 {
                self.rec.waited as f64 / self.rec.started as f64
            } else {
                0.0
            },
            mean_in_system: per(self.rec.in_system_area),
            request_seconds: self.rec.request_seconds,
            servers,
            events: self.events,
            cut_at_s: cut_at.map(|t| (t - warm).max(0.0)),
        };
        RunResult {
            summary,
            series: self.rec.series,
        }
    }
}
