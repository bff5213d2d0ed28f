//! Clients contending for one record under optimistic concurrency: each of
//! N clients, all starting at time 0, reads the record's version, then
//! writes it back on condition that it is unchanged. The write that finds
//! the version it read succeeds and bumps it; the others conflict, back off
//! by the client's policy and read again. Each client stops after its first
//! success. The model of Marc Brooker's post on backoff and jitter.
//!
//! ```text
//!  t ─ read ─> record ─ version v ─> client ─ write(v) ─> record ─ ok? ─> client
//!      (hop)            (hop)                 (hop)                (hop)
//!  conflict: wait backoff(k), k = the client's failed writes so far, then read
//! ```
//! Every hop takes a delay drawn from `contention.network_ms`; the record
//! answers at once. Totals: reads and writes reaching the record, and when
//! the last client learned of its success (the makespan).

use super::backoff::BackoffPolicy;
use super::client::ClientStats;
use super::{Ctx, Signal};
use crate::dist::Sampler;
use crate::report::{ContentionSummary, Timeline};
use crate::rng::RandomStream;
use crate::scenario::{Backoff, Contention as Spec};

/// One contending client.
#[derive(Clone, Copy, Debug)]
struct Contender {
    /// Writes of this client that conflicted.
    failures: u32,
    /// Its previous backoff wait (decorrelated jitter grows from it).
    previous_wait: f64,
}

/// The record and every client contending for it.
#[derive(Debug)]
pub(crate) struct Contention {
    version: u32,
    clients: Vec<Contender>,
    backoff: BackoffPolicy,
    network: Sampler,
    rng: RandomStream,
    /// Reads that reached the record.
    pub(crate) reads: u64,
    /// Conditional writes that reached the record, failed or not.
    pub(crate) writes: u64,
    /// Writes that found the version changed.
    pub(crate) conflicts: u64,
    /// When the last success reached its client, engine seconds.
    pub(crate) last_success: Option<f64>,
    /// Logical requests: one per client; attempts are writes.
    pub(crate) stats: ClientStats,
    /// Every write, engine seconds (the engine shifts them by the warm-up).
    pub(crate) timeline: Timeline,
}

impl Contention {
    pub(crate) fn new(spec: &Spec, backoff: &Backoff, network: Sampler, rng: RandomStream) -> Self {
        let policy = BackoffPolicy::new(backoff);
        Contention {
            version: 0,
            clients: vec![
                Contender {
                    failures: 0,
                    previous_wait: policy.initial_previous(),
                };
                spec.clients as usize
            ],
            backoff: policy,
            network,
            rng,
            reads: 0,
            writes: 0,
            conflicts: 0,
            last_success: None,
            stats: ClientStats::default(),
            timeline: Timeline {
                clients: spec.clients,
                ..Timeline::default()
            },
        }
    }

    /// Clients that have not succeeded yet.
    pub(crate) fn unfinished(&self) -> u64 {
        self.stats.arrived - self.stats.succeeded
    }

    /// The totals at the end of the run and the timeline of writes, times
    /// counted from the end of the warm-up `warm` (the timeline is handed
    /// over, not copied).
    pub(crate) fn report(&mut self, warm: f64) -> (ContentionSummary, Timeline) {
        let mut timeline = std::mem::take(&mut self.timeline);
        for t in &mut timeline.t_s {
            *t -= warm;
        }
        let summary = ContentionSummary {
            clients: self.stats.arrived,
            reads: self.reads,
            writes: self.writes,
            conflicts: self.conflicts,
            makespan_ms: (self.unfinished() == 0)
                .then(|| self.last_success.map(|t| 1e3 * (t - warm)))
                .flatten(),
        };
        (summary, timeline)
    }

    fn hop(&mut self) -> f64 {
        self.network.sample(&mut self.rng)
    }

    /// Time 0: every client sends its first read.
    pub(crate) fn start(&mut self, ctx: &mut Ctx) {
        for client in 0..self.clients.len() as u32 {
            self.stats.arrived += 1;
            ctx.edge.arrived(ctx.now);
            let at = ctx.now + self.hop();
            ctx.schedule(at, Signal::OccRead { client });
        }
    }

    pub(crate) fn handle(&mut self, signal: Signal, ctx: &mut Ctx) {
        let now = ctx.now;
        match signal {
            Signal::OccRead { client } => {
                self.reads += 1;
                let version = self.version;
                let at = now + self.hop();
                ctx.schedule(at, Signal::OccReadReply { client, version });
            }
            Signal::OccReadReply { client, version } => {
                let at = now + self.hop();
                ctx.schedule(at, Signal::OccWrite { client, version });
            }
            Signal::OccWrite { client, version } => {
                self.writes += 1;
                self.stats.attempts += 1;
                ctx.edge.attempt(now);
                let ok = version == self.version;
                self.timeline.client.push(client);
                self.timeline.t_s.push(now);
                self.timeline.ok.push(ok);
                if ok {
                    self.version += 1;
                } else {
                    self.conflicts += 1;
                }
                let at = now + self.hop();
                ctx.schedule(at, Signal::OccWriteReply { client, ok });
            }
            Signal::OccWriteReply { ok: true, .. } => {
                self.stats.succeeded += 1;
                self.last_success = Some(now);
                ctx.edge.ended(0.0, now, true);
            }
            Signal::OccWriteReply { client, ok: false } => {
                let c = &mut self.clients[client as usize];
                c.failures += 1;
                // As in the post's simulator, the k-th conflict waits from
                // expo(k) = min(cap, base · 2^k): the first wait is 2 · base.
                let (failures, previous) = (c.failures, c.previous_wait);
                let wait = self.backoff.wait(failures, previous, &mut self.rng);
                self.clients[client as usize].previous_wait = wait;
                self.stats.retries += 1;
                ctx.edge.retry(now);
                let at = now + self.hop() + wait;
                ctx.schedule(at, Signal::OccRead { client });
            }
            _ => {}
        }
    }
}
