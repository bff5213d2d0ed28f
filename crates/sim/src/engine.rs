//! The discrete-event engine: one pass over time for one scenario.
//!
//! ```text
//!  topology (built from the scenario):  Source ─> [Client] ─> Service ─> [Client] ─> Service …
//!  run loop:  pop (time, node, signal) ──> nodes[node].handle(signal, ctx)
//!             then deliver the messages the handler sent, in order
//! ```
//!
//! Time is `f64` seconds from the start of warm-up. The next open arrival
//! is kept beside the heap (only one is pending at a time); at equal times
//! scheduled events run before the arrival, and among themselves in
//! scheduling order. The loop knows nothing of what a node does: see
//! [`crate::components`].

mod breakers;
pub(crate) mod edge;
pub(crate) mod events;
mod recorder;
mod topology;

use edge::EdgeRecorder;
pub(crate) use recorder::Recorder;

use crate::arrivals::Arrivals;
use crate::components::{Ctx, Message, Node, Outbox};
use crate::report::{
    LatencySummary, LogicalSummary, RECOVERY_WINDOW_S, RunResult, ServerSummary, ServiceSummary,
    Summary,
};
use crate::scenario::ValidScenario;
use crate::server::Server;

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
    nodes: Vec<Node>,
    /// What nodes act through: the event queue, the outbox and the
    /// recorders. Kept whole between events, so handing it to a node costs
    /// two stores (the time and the node's id).
    ctx: Ctx,
    /// Open traffic's arrival times; `None` for closed traffic.
    arrivals: Option<Arrivals>,
    events: u64,
}

impl<'a> Engine<'a> {
    fn new(s: &'a ValidScenario) -> Self {
        let sc = s.scenario();
        let t = topology::build(s);
        let mut engine = Engine {
            s,
            ctx: Ctx {
                now: 0.0,
                me: 0,
                queue: t.queue,
                outbox: Outbox::default(),
                rec: Recorder::new(
                    sc.warmup_s,
                    sc.duration_s,
                    (sc.metrics.bucket_s, sc.metrics.slo_ms),
                    t.nodes.iter().map(|n| n.servers().len()).sum(),
                    t.edge_client.is_some(),
                ),
                edge: EdgeRecorder::new(sc.warmup_s, sc.duration_s, sc.metrics.slo_ms),
            },
            arrivals: t.arrivals,
            nodes: t.nodes,
            events: 0,
        };
        // Closed clients start thinking at time 0.
        engine.with_node(0, 0.0, |node, ctx| {
            node.start(ctx);
            None
        });
        engine
    }

    fn run(mut self, limits: Limits) -> RunResult {
        let end = self.ctx.rec.end;
        let mut next_arrival = self.arrivals.as_mut().and_then(Arrivals::next_time);
        let mut cut_at = None;
        // Counted in a local, kept in a register, and stored once.
        let mut events = self.events;
        loop {
            let heap_t = self.ctx.queue.next_time();
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
            if events >= limits.max_events {
                cut_at = Some(t);
                break;
            }
            events += 1;
            self.advance(t);
            if arrival_first {
                self.with_node(0, t, |node, ctx| node.arrive(ctx));
                next_arrival = self.arrivals.as_mut().and_then(Arrivals::next_time);
            } else {
                let event = self.ctx.queue.take_next();
                self.with_node(event.node, t, |node, ctx| {
                    node.handle(event.signal, ctx);
                    None
                });
            }
        }
        self.events = events;
        self.finish(cut_at)
    }

    /// Moves the statistics' clock to `t`, closing time buckets on the way.
    #[inline]
    fn advance(&mut self, t: f64) {
        if t >= self.ctx.rec.next_boundary {
            self.close_buckets(t);
        }
        self.ctx.rec.advance(t);
    }

    #[cold]
    #[inline(never)]
    fn close_buckets(&mut self, t: f64) {
        let mut servers: Vec<&mut Server> =
            self.nodes.iter_mut().flat_map(Node::servers_mut).collect();
        self.ctx
            .rec
            .close_buckets(t, &mut servers, &mut self.ctx.edge);
    }

    /// Runs `f` on node `id` at `t`, then delivers the message it returns
    /// (a handler whose one message is its last act returns it rather than
    /// sending it: the same order, without the outbox) and every message
    /// sent, in order.
    #[inline]
    fn with_node(
        &mut self,
        id: u16,
        t: f64,
        f: impl FnOnce(&mut Node, &mut Ctx) -> Option<Message>,
    ) {
        let Engine { nodes, ctx, .. } = self;
        ctx.now = t;
        ctx.me = id;
        if let Some(message) = f(&mut nodes[id as usize], ctx) {
            deliver(nodes, ctx, message);
        }
        while let Some(message) = ctx.outbox.pop() {
            deliver(nodes, ctx, message);
        }
    }

    fn finish(mut self, cut_at: Option<f64>) -> RunResult {
        let sc = self.s.scenario();
        let mut stop = cut_at.unwrap_or(self.ctx.rec.end).min(self.ctx.rec.end);
        if sc.contention.is_some() && cut_at.is_none() {
            // Contending clients stop by themselves: the time series ends
            // with the bucket of the last event, not at duration_s.
            let (warm, b) = (self.ctx.rec.warm, sc.metrics.bucket_s);
            let buckets = ((self.ctx.now - warm) / b).floor() + 1.0;
            stop = stop.min(warm + buckets * b);
        }
        self.close_buckets(stop);
        self.ctx.rec.advance(stop);
        let (warm, end) = (self.ctx.rec.warm, self.ctx.rec.end);
        let measured = (stop - warm).max(0.0);
        let per = |x: f64| if measured > 0.0 { x / measured } else { 0.0 };
        let (mut attempts_in_flight, mut logical_in_flight) = (0, 0);
        let mut servers = Vec::new();
        let mut services = Vec::new();
        let mut edge_client = None;
        let mut contention = None;
        let mut timeline = None;
        for node in &mut self.nodes {
            if let Node::Client(c) = node
                && c.is_edge()
            {
                edge_client = Some(c.stats.clone());
                logical_in_flight = c.in_flight();
            }
            if let Node::Contention(c) = node {
                edge_client = Some(c.stats.clone());
                logical_in_flight = c.unfinished();
                let (totals, writes) = c.report(warm);
                contention = Some(totals);
                timeline = Some(writes);
            }
            let Node::Service(service) = node else {
                continue;
            };
            let layer = service.layer;
            for server in &mut service.servers {
                server.advance(stop, warm, end);
                if layer == 0 {
                    let waiting = server.queue.iter();
                    for r in server.slots.iter().flatten().chain(waiting) {
                        self.ctx.rec.request_seconds += self.ctx.rec.clipped(r.arrive, stop);
                        attempts_in_flight += u64::from(r.arrive >= warm);
                    }
                }
                let group = &sc.groups(layer)[server.group];
                servers.push(ServerSummary {
                    group: server.group,
                    name: group
                        .name
                        .clone()
                        .unwrap_or_else(|| format!("group-{}", server.group)),
                    index: server.index,
                    layer,
                    utilization: per(server.busy_area) / server.slots.len() as f64,
                    completed: server.completed,
                    mean_queue: per(server.queue_area),
                    max_queue: server.max_queue as u64,
                });
            }
            let st = &service.stats;
            services.push(ServiceSummary {
                layer,
                name: match layer {
                    0 => "service".to_string(),
                    n => sc.layers[n - 1]
                        .name
                        .clone()
                        .unwrap_or_else(|| format!("layer-{n}")),
                },
                arrivals: st.arrivals,
                completed: st.completed,
                rejected: st.rejected,
                failed: st.failed,
            });
        }
        let breakers = breakers::report(&mut self.nodes, stop, warm, &mut self.ctx.rec.series);
        let rec = &self.ctx.rec;
        let (logical, counts, within) = match &edge_client {
            Some(c) => (
                LogicalSummary {
                    arrived: c.arrived,
                    succeeded: c.succeeded,
                    failed: c.failed,
                    in_flight: logical_in_flight,
                    latency_ms: latency_summary(&self.ctx.edge.latency),
                },
                [c.attempts, c.retries, c.timeouts, c.throttled],
                self.ctx.edge.within_slo,
            ),
            None => (
                LogicalSummary {
                    arrived: rec.arrivals,
                    succeeded: rec.completed,
                    failed: rec.rejected + rec.failed,
                    in_flight: attempts_in_flight,
                    latency_ms: latency_summary(&rec.latency),
                },
                [rec.arrivals, 0, 0, 0],
                rec.within_slo,
            ),
        };
        let ratio = |a: u64, b: u64| if b > 0 { a as f64 / b as f64 } else { 0.0 };
        let trigger_end_s = trigger_end(sc);
        let recovered_after_s = match &contention {
            // Contending clients have no trigger to recover from: the run
            // counts as recovered when every client got its update.
            Some(c) => c.makespan_ms.map(|_| 0.0),
            None => recovery(&rec.series, trigger_end_s, RECOVERY_WINDOW_S),
        };
        let mut summary = Summary {
            seed: sc.seed,
            duration_s: sc.duration_s,
            arrivals: rec.arrivals,
            completed: rec.completed,
            rejected: rec.rejected,
            failed: rec.failed,
            in_flight: attempts_in_flight,
            throughput_rps: per(rec.completed as f64),
            latency_ms: latency_summary(&rec.latency),
            mean_wait_ms: if rec.started > 0 {
                rec.wait_s / rec.started as f64 * 1e3
            } else {
                0.0
            },
            waited_fraction: ratio(rec.waited, rec.started),
            mean_in_system: per(rec.in_system_area),
            request_seconds: rec.request_seconds,
            servers,
            amplification: ratio(counts[0], logical.arrived),
            goodput_rps: per(logical.succeeded as f64),
            within_slo: ratio(within, logical.arrived),
            logical,
            attempts: counts[0],
            retries: counts[1],
            timeouts: counts[2],
            throttled: counts[3],
            recovered_after_s,
            trigger_end_s: Some(trigger_end_s).filter(|&t| t > 0.0),
            services,
            theory: crate::theory::predict(self.s),
            contention,
            breaker: breakers.as_ref().map(|b| b.0.clone()),
            cache: None,
            pool: None,
            database: None,
            events: self.events,
            cut_at_s: cut_at.map(|t| (t - warm).max(0.0)),
        };
        let mut series = std::mem::take(&mut self.ctx.rec.series);
        // Each node adds its own totals and series (the front-most first).
        for node in &mut self.nodes {
            node.report(stop, &self.ctx.rec, &mut summary, &mut series);
        }
        RunResult {
            summary,
            series,
            timeline,
            breakers: breakers.map(|b| b.1),
        }
    }
}

/// Hands `message` to the node it is for.
#[inline(always)]
fn deliver(nodes: &mut [Node], ctx: &mut Ctx, message: Message) {
    match message {
        Message::Request { to, pin, call } => {
            ctx.me = to;
            match &mut nodes[to as usize] {
                // The usual receiver inline (its handler is): through
                // `Node::receive` each request paid for a call.
                Node::Service(s) => s.receive(call, pin, ctx),
                node => node.receive(call, pin, ctx),
            }
        }
        Message::Reply { to, outcome } => {
            ctx.me = to.node;
            nodes[to.node as usize].reply(to, outcome, ctx);
        }
    }
}

fn latency_summary(h: &crate::metrics::LatencyHistogram) -> LatencySummary {
    LatencySummary {
        mean: h.mean_ms(),
        p50: h.quantile_ms(0.5),
        p90: h.quantile_ms(0.9),
        p99: h.quantile_ms(0.99),
        p999: h.quantile_ms(0.999),
        max: h.max_ms(),
    }
}

/// When the last trigger ends, seconds after warm-up: the latest end of an
/// enabled rate change or fault that has a length; 0 when none has.
pub(crate) fn trigger_end(sc: &crate::scenario::Scenario) -> f64 {
    let changes = sc
        .traffic
        .changes
        .iter()
        .filter(|c| c.enabled)
        .filter_map(|c| c.for_s.map(|d| c.at_s + d));
    let faults = sc
        .faults
        .iter()
        .filter(|f| f.enabled)
        .filter_map(|f| f.for_s.map(|d| f.at_s + d));
    changes.chain(faults).fold(0.0, f64::max)
}

/// Seconds from `after` (seconds after warm-up) until goodput stays within
/// 10% of the offered load: the start of the first bucket from which every
/// window of `window_s` seconds to the end of the run has goodput at least
/// 90% of its offered load. `None` when the run ends before that.
pub(crate) fn recovery(s: &crate::report::Series, after: f64, window_s: f64) -> Option<f64> {
    let n = s
        .t_s
        .len()
        .min(s.goodput_rps.len())
        .min(s.offered_rps.len());
    let w = ((window_s / s.bucket_s).ceil() as usize).max(1);
    let first = s.t_s.iter().position(|&t| t >= after - 1e-9)?;
    if n < w || first + w > n {
        return None;
    }
    let healthy = |k: usize| {
        let offered: f64 = s.offered_rps[k..k + w].iter().sum();
        let good: f64 = s.goodput_rps[k..k + w].iter().sum();
        good >= 0.9 * offered
    };
    let mut from = first;
    for k in (first..=n - w).rev() {
        if !healthy(k) {
            from = k + 1;
            break;
        }
    }
    if from + w > n {
        return None;
    }
    Some((s.t_s[from] - after).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::recovery;
    use crate::report::Series;

    /// One-second buckets offering 100 requests a second, with `goodput`.
    fn series(goodput: &[f64]) -> Series {
        Series {
            bucket_s: 1.0,
            t_s: (0..goodput.len()).map(|k| k as f64).collect(),
            offered_rps: vec![100.0; goodput.len()],
            goodput_rps: goodput.to_vec(),
            ..Series::default()
        }
    }

    #[test]
    fn recovery_starts_where_every_later_window_keeps_ninety_percent() {
        // Goodput collapses over buckets 5 to 9 and comes back.
        let mut g = vec![100.0; 30];
        g[5..10].fill(0.0);
        // A 10-bucket window holding one empty bucket has exactly 90%; the
        // window from bucket 8 holds two. So recovery starts at bucket 9,
        // 4 s after a trigger that ended at 5 s.
        assert_eq!(recovery(&series(&g), 5.0, 10.0), Some(4.0));
        // Bucket 9's window then has 89.9%: not recovered.
        g[9] = 0.0;
        g[10] = 99.0;
        assert_eq!(recovery(&series(&g), 5.0, 10.0), Some(5.0));
        // Already healthy when the trigger ends: 0 s.
        assert_eq!(recovery(&series(&[100.0; 30]), 5.0, 10.0), Some(0.0));
    }

    #[test]
    fn a_relapse_moves_recovery_past_it() {
        let mut g = vec![100.0; 40];
        g[5..8].fill(0.0);
        g[25..28].fill(0.0); // healthy for a while, then down again
        // The last window with two empty buckets starts at 26: recovery at 27.
        assert_eq!(recovery(&series(&g), 5.0, 10.0), Some(22.0));
    }

    #[test]
    fn no_recovery_when_goodput_stays_low_or_the_run_ends_too_soon() {
        let mut g = vec![100.0; 30];
        g[5..].fill(50.0);
        assert_eq!(recovery(&series(&g), 5.0, 10.0), None);
        // Fewer than 10 s of run left after the trigger.
        assert_eq!(recovery(&series(&[100.0; 30]), 25.0, 10.0), None);
    }
}
