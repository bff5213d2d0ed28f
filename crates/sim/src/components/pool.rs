//! A connection pool: a query needs one of `size` connections for as long
//! as it is in the database; without a free one it waits its turn (first
//! come, first served), and gives up after `acquire_timeout_ms`.
//!
//! ```text
//!  query ──> free connection? ──yes──> database ──outcome──> release ──> next waiter
//!                 │ no                                       (or leak it)
//!                 └──> waiters (FIFO) ──acquire timeout──> rejected
//! ```
//! Without application servers in front, the pool is where requests enter
//! the system: it records them as the first service would (arrival, start
//! of service on acquire, completion).

use std::collections::VecDeque;

use super::area::Area;
use super::{Call, Ctx, NodeId, Outcome, ReplyTo, Signal, Slab};
use crate::report::PoolSummary;
use crate::rng::{RandomStream, Uniform};
use crate::scenario::Pool as Spec;

/// A query waiting for a connection.
#[derive(Clone, Copy, Debug)]
struct Waiter {
    call: Call,
    arrive: f64,
    ticket: u32,
}

/// A query holding a connection.
#[derive(Clone, Copy, Debug)]
struct Held {
    reply_to: ReplyTo,
    arrive: f64,
    acquired: f64,
}

/// Per time bucket: acquires, their total wait, queries ended and their
/// total time in the database (seconds).
type Bucket = (u64, f64, u64, f64);

/// The pool component.
#[derive(Debug)]
pub(crate) struct Pool {
    size: u32,
    timeout: Option<f64>,
    leak: f64,
    rng: RandomStream,
    database: NodeId,
    /// Connections checked out, leaked ones included.
    in_use: u32,
    leaked: u32,
    queue: VecDeque<(u32, u32)>,
    waiting: Slab<Waiter>,
    waiters: u32,
    held: Slab<Held>,
    next_ticket: u32,
    /// Whether requests enter the system here (no application servers).
    records: bool,
    window: (f64, f64),
    in_use_area: Area,
    waiters_area: Area,
    max_waiters: u32,
    acquired: u64,
    wait_s: f64,
    timeouts: u64,
    ended: u64,
    db_s: f64,
    bucket_s: f64,
    buckets: Vec<Bucket>,
}

impl Pool {
    /// A pool in front of node `database`; `records` when requests enter
    /// the system here; `(warm, bucket_s, buckets)` the measured window.
    pub(crate) fn new(
        spec: &Spec,
        database: NodeId,
        rng: RandomStream,
        records: bool,
        (warm, end, bucket_s, buckets): (f64, f64, f64, usize),
    ) -> Self {
        Pool {
            size: spec.size,
            timeout: spec.acquire_timeout_ms.map(|t| t / 1e3),
            leak: spec.leak,
            rng,
            database,
            in_use: 0,
            leaked: 0,
            queue: VecDeque::new(),
            waiting: Slab::default(),
            waiters: 0,
            held: Slab::default(),
            next_ticket: 0,
            records,
            window: (warm, end),
            in_use_area: Area::bucketed(bucket_s, buckets),
            waiters_area: Area::bucketed(bucket_s, buckets),
            max_waiters: 0,
            acquired: 0,
            wait_s: 0.0,
            timeouts: 0,
            ended: 0,
            db_s: 0.0,
            bucket_s,
            buckets: vec![(0, 0.0, 0, 0.0); buckets],
        }
    }

    fn advance(&mut self, now: f64) {
        self.in_use_area
            .add(now, f64::from(self.in_use), self.window);
        self.waiters_area
            .add(now, f64::from(self.waiters), self.window);
    }

    fn bucket(&mut self, t: f64) -> Option<&mut Bucket> {
        let i = (t - self.window.0) / self.bucket_s;
        if i < 0.0 {
            return None;
        }
        self.buckets.get_mut(i as usize)
    }

    /// A query arrives for a connection.
    pub(crate) fn receive(&mut self, call: Call, ctx: &mut Ctx) {
        let now = ctx.now;
        self.advance(now);
        if self.records {
            ctx.rec.arrival(now);
            ctx.rec.entered();
        }
        if self.in_use < self.size && self.waiters == 0 {
            self.acquire(call, now, ctx);
            return;
        }
        let ticket = self.next_ticket;
        self.next_ticket = ticket.wrapping_add(1);
        let handle = self.waiting.insert(Waiter {
            call,
            arrive: now,
            ticket,
        });
        self.queue.push_back((handle, ticket));
        self.waiters += 1;
        if now >= self.window.0 {
            self.max_waiters = self.max_waiters.max(self.waiters);
        }
        if let Some(t) = self.timeout {
            ctx.schedule_fifo(now + t, Signal::AcquireTimeout { handle, ticket });
        }
    }

    fn acquire(&mut self, call: Call, arrive: f64, ctx: &mut Ctx) {
        let now = ctx.now;
        self.in_use += 1;
        if self.records {
            ctx.rec.started(arrive, now);
        }
        // Counted when they end inside the window, whenever they began:
        // counting by arrival would leave out the long ones that began
        // in the warm-up and bias the means low.
        if now >= self.window.0 {
            self.acquired += 1;
            self.wait_s += now - arrive;
        }
        if let Some(b) = self.bucket(now) {
            b.0 += 1;
            b.1 += now - arrive;
        }
        let handle = self.held.insert(Held {
            reply_to: call.reply_to,
            arrive,
            acquired: now,
        });
        let reply_to = ReplyTo {
            node: ctx.me,
            handle,
            generation: 0,
        };
        ctx.send(self.database, Call { reply_to, ..call });
    }

    /// A waiter's acquire timeout is due.
    pub(crate) fn handle(&mut self, signal: Signal, ctx: &mut Ctx) {
        let Signal::AcquireTimeout { handle, ticket } = signal else {
            return;
        };
        match self.waiting.get_mut(handle) {
            Some(w) if w.ticket == ticket => {}
            _ => return,
        }
        self.advance(ctx.now);
        let Some(w) = self.waiting.remove(handle) else {
            return;
        };
        self.waiters -= 1;
        if ctx.now >= self.window.0 {
            self.timeouts += 1;
        }
        if self.records {
            ctx.rec.gave_up(w.arrive, ctx.now);
        }
        ctx.reply(w.call.reply_to, Outcome::Rejected);
    }

    /// The database answered a query: release (or leak) its connection,
    /// answer the caller, hand connections to waiters.
    pub(crate) fn reply(&mut self, to: ReplyTo, outcome: Outcome, ctx: &mut Ctx) {
        let now = ctx.now;
        let Some(h) = self.held.remove(to.handle) else {
            return;
        };
        self.advance(now);
        if self.leak > 0.0 && self.rng.uniform() < self.leak {
            self.leaked += 1;
        } else {
            self.in_use -= 1;
        }
        if now >= self.window.0 {
            self.ended += 1;
            self.db_s += now - h.acquired;
        }
        if let Some(b) = self.bucket(now) {
            b.2 += 1;
            b.3 += now - h.acquired;
        }
        if self.records {
            match outcome {
                Outcome::Ok => {
                    ctx.rec.completed(h.arrive, now);
                }
                _ => ctx.rec.failed(h.arrive, now, true),
            }
        }
        ctx.reply(h.reply_to, outcome);
        while self.in_use < self.size {
            let Some((handle, ticket)) = self.queue.pop_front() else {
                break;
            };
            match self.waiting.get_mut(handle) {
                Some(w) if w.ticket == ticket => {}
                _ => continue,
            }
            if let Some(w) = self.waiting.remove(handle) {
                self.waiters -= 1;
                self.acquire(w.call, w.arrive, ctx);
            }
        }
    }

    /// The pool's totals at `stop`; when requests entered here, also what
    /// is still in it (for Little's law and the in-flight count).
    pub(crate) fn summary(
        &mut self,
        stop: f64,
        rec: &crate::engine::Recorder,
    ) -> (PoolSummary, f64, u64) {
        self.advance(stop);
        let measured = (stop - self.window.0).max(0.0);
        let per = |x: f64| if measured > 0.0 { x / measured } else { 0.0 };
        let (mut seconds, mut in_flight) = (0.0, 0);
        if self.records {
            let waiting = self.waiting.values().map(|w| w.arrive);
            for arrive in self.held.values().map(|h| h.arrive).chain(waiting) {
                seconds += rec.clipped(arrive, stop);
                in_flight += u64::from(arrive >= self.window.0);
            }
        }
        let summary = PoolSummary {
            size: self.size,
            utilization: per(self.in_use_area.sum) / f64::from(self.size),
            mean_in_use: per(self.in_use_area.sum),
            mean_wait_ms: if self.acquired > 0 {
                self.wait_s / self.acquired as f64 * 1e3
            } else {
                0.0
            },
            mean_db_ms: if self.ended > 0 {
                self.db_s / self.ended as f64 * 1e3
            } else {
                0.0
            },
            acquired: self.acquired,
            acquire_timeouts: self.timeouts,
            mean_waiters: per(self.waiters_area.sum),
            max_waiters: u64::from(self.max_waiters),
            leaked: u64::from(self.leaked),
        };
        (summary, seconds, in_flight)
    }

    /// Adds the pool's series to `series`: per bucket, the mean wait for a
    /// connection of queries that got one and the mean time in the
    /// database of queries that ended (ms), and the time-average
    /// connections in use and waiters.
    pub(crate) fn series(&self, series: &mut crate::Series, duration_s: f64) {
        let len = series.t_s.len();
        let mean = |n: u64, s: f64| (n > 0).then(|| s / n as f64 * 1e3);
        (series.pool_wait_ms, series.db_ms) = (0..len)
            .map(|i| {
                let b = self.buckets.get(i).copied().unwrap_or_default();
                (mean(b.0, b.1), mean(b.2, b.3))
            })
            .unzip();
        series.pool_in_use = self.in_use_area.means(duration_s);
        series.pool_waiters = self.waiters_area.means(duration_s);
        series.pool_in_use.truncate(len);
        series.pool_waiters.truncate(len);
    }
}
