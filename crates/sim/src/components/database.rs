//! A database: each query runs its CPU work, then its disk work (in
//! `bursts` equal rounds of CPU then disk).
//!
//! ```text
//!  query ──> CPU: n queries share `cores` equally ──> disk: one of `disks`, ──> outcome
//!            (time slicing; with N active sessions    first come, first served
//!             work stretches by 1 + σ(N−1) + κN(N−1))
//! ```
//! The CPU is processor sharing: with `n` queries on it, each progresses at
//! `min(1, cores / n)` of a core, divided by the contention stretch. It is
//! simulated in virtual time: `v` counts the work each query present has
//! received, so a query that arrives at `v₀` with work `w` ends when `v`
//! reaches `v₀ + w`, and only the earliest end is ever scheduled. A change
//! in the number of queries changes the speed of `v`: when the end moves
//! earlier it is scheduled anew (older schedules are recognised by
//! `generation`); when it moves later the pending event stays, and on
//! coming early it schedules the real end.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use super::area::Area;
use super::{Call, Ctx, Outcome, ReplyTo, Signal, Slab, derive_seed};
use crate::report::DatabaseSummary;
use crate::rng::RequestRng;
use crate::scenario::{Database as Spec, QueryWork};

/// A query in the database: its work per burst, and the bursts left
/// (the current one included).
#[derive(Clone, Copy, Debug)]
struct Query {
    reply_to: ReplyTo,
    cpu_s: f64,
    io_s: f64,
    left: u32,
}

/// A query's end on the CPU, in virtual time; ties go to the lower handle
/// (deterministic, though handles are reused).
#[derive(Clone, Copy, Debug, PartialEq)]
struct End(f64, u32);

impl Eq for End {}

impl PartialOrd for End {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for End {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

/// Time-weighted counts over the measured window (sessions per bucket too).
#[derive(Clone, Debug, Default)]
struct Areas {
    cores_busy: Area,
    run_queue: Area,
    disks_busy: Area,
    disk_queue: Area,
    active: Area,
}

/// The database component.
#[derive(Debug)]
pub(crate) struct Database {
    spec: Spec,
    work: QueryWork,
    queries: Slab<Query>,
    /// Queries on the CPU, by their end in virtual time.
    cpu: BinaryHeap<Reverse<End>>,
    /// Virtual time, and the engine time it was last brought up to.
    v: f64,
    v_at: f64,
    /// Virtual seconds per second for each query on the CPU now.
    speed: f64,
    generation: u32,
    /// When the CPU end event of `generation` is due, if one is pending.
    pending: Option<f64>,
    disks_busy: u32,
    disk_queue: VecDeque<u32>,
    /// Queries in the database (on the CPU or at the disks).
    active: u32,
    window: (f64, f64),
    areas: Areas,
    /// Queries ended in the window, and their total time inside.
    queries_ended: u64,
}

impl Database {
    /// `window` is the measured window; the sessions are also averaged per
    /// bucket of `bucket_s` (`buckets` of them).
    pub(crate) fn new(
        spec: &Spec,
        work: QueryWork,
        window: (f64, f64),
        (bucket_s, buckets): (f64, usize),
    ) -> Self {
        Database {
            spec: spec.clone(),
            work,
            queries: Slab::default(),
            cpu: BinaryHeap::new(),
            v: 0.0,
            v_at: 0.0,
            speed: 1.0,
            generation: 0,
            pending: None,
            disks_busy: 0,
            disk_queue: VecDeque::new(),
            active: 0,
            window,
            areas: Areas {
                active: Area::bucketed(bucket_s, buckets),
                ..Areas::default()
            },
            queries_ended: 0,
        }
    }

    /// Brings virtual time and the time averages up to `now`.
    fn advance(&mut self, now: f64) {
        self.v += (now - self.v_at) * self.speed;
        self.v_at = now;
        let n = self.cpu.len() as f64;
        let cores = f64::from(self.spec.cores);
        let w = self.window;
        let a = &mut self.areas;
        a.cores_busy.add(now, n.min(cores), w);
        a.run_queue.add(now, (n - cores).max(0.0), w);
        a.disks_busy.add(now, f64::from(self.disks_busy), w);
        a.disk_queue.add(now, self.disk_queue.len() as f64, w);
        a.active.add(now, f64::from(self.active), w);
    }

    /// Sets the CPU's speed for the queries on it now and makes sure an
    /// end event is due no later than the earliest end. A pending event
    /// that is due earlier stays (when it comes, it finds nothing due and
    /// schedules the real end), so a query arriving, which only slows the
    /// CPU down, schedules nothing.
    fn reschedule(&mut self, ctx: &mut Ctx) {
        let n = self.cpu.len() as f64;
        let share = (f64::from(self.spec.cores) / n.max(1.0)).min(1.0);
        self.speed = share / self.spec.inflation(self.active);
        let Some(Reverse(End(at, _))) = self.cpu.peek() else {
            return;
        };
        let due = ctx.now + ((at - self.v) / self.speed).max(0.0);
        if self.pending.is_some_and(|p| p <= due) {
            return;
        }
        self.generation = self.generation.wrapping_add(1);
        self.pending = Some(due);
        let generation = self.generation;
        ctx.schedule(due, Signal::CpuDone { generation });
    }

    /// A query arrives (its connection already held).
    pub(crate) fn receive(&mut self, call: Call, ctx: &mut Ctx) {
        self.advance(ctx.now);
        let mut rng = RequestRng::new(derive_seed(call.seed, 63));
        let cpu_s = self.work.cpu.sample(&mut rng);
        let io_s = self.work.io.as_ref().map_or(0.0, |s| s.sample(&mut rng));
        // A query's work in `bursts` equal rounds of CPU then disk.
        let bursts = self.spec.bursts.max(1);
        let (cpu_s, io_s) = match bursts {
            1 => (cpu_s, io_s),
            b => (cpu_s / f64::from(b), io_s / f64::from(b)),
        };
        let handle = self.queries.insert(Query {
            reply_to: call.reply_to,
            cpu_s,
            io_s,
            left: bursts,
        });
        self.active += 1;
        self.cpu.push(Reverse(End(self.v + cpu_s, handle)));
        self.reschedule(ctx);
    }

    /// The earliest CPU end is due, or a disk finished.
    pub(crate) fn handle(&mut self, signal: Signal, ctx: &mut Ctx) {
        match signal {
            Signal::CpuDone { generation } if generation == self.generation => {
                self.pending = None;
                self.advance(ctx.now);
                // Early (the CPU slowed down since it was scheduled): only
                // schedule the real end.
                // Due when the rest is within rounding of virtual time, or
                // too small to move the clock.
                let (now, v, speed) = (ctx.now, self.v, self.speed);
                let due =
                    |at: f64| at <= v + 1e-12 * v.abs().max(1.0) || now + (at - v) / speed <= now;
                if self.cpu.peek().is_some_and(|e| !due(e.0.0)) {
                    self.reschedule(ctx);
                    return;
                }
                let Some(Reverse(End(at, handle))) = self.cpu.pop() else {
                    return;
                };
                self.v = self.v.max(at);
                let io_s = self.queries.get_mut(handle).map_or(0.0, |q| q.io_s);
                if io_s > 0.0 {
                    self.start_io(handle, io_s, ctx);
                    self.reschedule(ctx);
                } else {
                    self.burst_done(handle, ctx);
                }
            }
            Signal::DiskDone { query } => {
                self.advance(ctx.now);
                self.disks_busy -= 1;
                if let Some(next) = self.disk_queue.pop_front() {
                    let io_s = self.queries.get_mut(next).map_or(0.0, |q| q.io_s);
                    self.start_io(next, io_s, ctx);
                }
                self.burst_done(query, ctx);
            }
            _ => {}
        }
    }

    fn start_io(&mut self, handle: u32, io_s: f64, ctx: &mut Ctx) {
        if self.disks_busy < self.spec.disks {
            self.disks_busy += 1;
            ctx.schedule(ctx.now + io_s, Signal::DiskDone { query: handle });
        } else {
            self.disk_queue.push_back(handle);
        }
    }

    /// A burst of `handle` is done: it goes back to the CPU for the next,
    /// or, after its last, leaves.
    fn burst_done(&mut self, handle: u32, ctx: &mut Ctx) {
        let next = self.queries.get_mut(handle).and_then(|q| {
            q.left -= 1;
            (q.left > 0).then_some(q.cpu_s)
        });
        match next {
            Some(cpu_s) => {
                self.cpu.push(Reverse(End(self.v + cpu_s, handle)));
                self.reschedule(ctx);
            }
            None => self.end(handle, ctx),
        }
    }

    /// A query is done: it leaves (fewer active sessions speed the CPU up).
    fn end(&mut self, handle: u32, ctx: &mut Ctx) {
        let Some(q) = self.queries.remove(handle) else {
            return;
        };
        self.active -= 1;
        if ctx.now >= self.window.0 {
            self.queries_ended += 1;
        }
        self.reschedule(ctx);
        ctx.reply(q.reply_to, Outcome::Ok);
    }

    /// The time-average sessions in the database per bucket.
    pub(crate) fn sessions(&self, duration_s: f64) -> Vec<f64> {
        self.areas.active.means(duration_s)
    }

    /// The database's totals at `stop`, with the theory for a pool of
    /// `pool` connections that are always busy.
    pub(crate) fn summary(&mut self, stop: f64, pool: u32) -> DatabaseSummary {
        self.advance(stop);
        let measured = (stop - self.window.0).max(0.0);
        let per = |x: f64| if measured > 0.0 { x / measured } else { 0.0 };
        let a = &self.areas;
        let disks = f64::from(self.spec.disks);
        let theory = crate::theory::pool::Network::of(&self.spec).saturated(pool);
        DatabaseSummary {
            cores: self.spec.cores,
            disks: self.spec.disks,
            queries: self.queries_ended,
            throughput_qps: per(self.queries_ended as f64),
            cpu_utilization: per(a.cores_busy.sum) / f64::from(self.spec.cores),
            disk_utilization: if disks > 0.0 {
                per(a.disks_busy.sum) / disks
            } else {
                0.0
            },
            mean_run_queue: per(a.run_queue.sum),
            mean_disk_queue: per(a.disk_queue.sum),
            mean_active: per(a.active.sum),
            capacity_qps: theory.throughput,
            saturated_ms: theory.response_s * 1e3,
            rule_of_thumb: 2 * self.spec.cores + self.spec.disks,
        }
    }
}
