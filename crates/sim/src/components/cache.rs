//! A cache in front of a service: a hit is answered here; a miss becomes a
//! recomputation, a request to the service, whose success fills the entry.
//!
//! ```text
//!  request(key) ──> lookup ──hit──> answer (after hit_ms)   [early_recompute: maybe refresh behind]
//!                     ├─expired─> stale_while_revalidate: answer stale, refresh behind
//!                     └─miss────> coalesce: wait for the key's recomputation if one runs
//!                                 otherwise: a recomputation of its own ──> service
//!  recomputation ok ──> insert (evicting one) ──> answer everyone waiting on it
//! ```
//! Without protection every miss of an expired hot key recomputes: the
//! stampede. Statistics count requests, hits, the work asked for and the
//! work not avoided (each recomputation's key cost), evictions, expirations.

pub(crate) mod keys;
pub(crate) mod store;

use std::rc::Rc;

use self::store::{Lookup, Store};
use super::{Call, Ctx, NodeId, Outcome, ReplyTo, Signal, Slab};
use crate::rng::{RandomStream, Uniform};
use crate::scenario::{Cache as CacheSpec, Protection};

const NONE: u32 = u32::MAX;

/// One recomputation running at the service.
#[derive(Clone, Copy, Debug)]
struct Flight {
    key: u32,
    started: f64,
    /// First waiter (a slot of `waiters`), or `NONE` for a refresh behind.
    first: u32,
}

/// Running totals over the measured window.
#[derive(Clone, Debug, Default)]
pub(crate) struct CacheStats {
    pub(crate) requests: u64,
    pub(crate) hits: u64,
    /// Work the requests asked for, seconds (each request its key's cost).
    pub(crate) work_asked_s: f64,
    /// Work sent to the service, seconds (each recomputation its key's cost).
    pub(crate) work_missed_s: f64,
    pub(crate) recomputations: u64,
    /// Recomputations started by a miss of an expired entry.
    pub(crate) recomputations_after_expiry: u64,
    pub(crate) evictions: u64,
    pub(crate) expirations: u64,
    pub(crate) stale_served: u64,
    pub(crate) coalesced: u64,
}

/// A cache component.
#[derive(Debug)]
pub(crate) struct Cache {
    target: NodeId,
    store: Store,
    ttl_s: Option<f64>,
    refresh: bool,
    jitter: f64,
    protection: Protection,
    beta: f64,
    hit_s: f64,
    costs: Rc<[f64]>,
    rng: RandomStream,
    warm: f64,
    flights: Slab<Flight>,
    /// The flight of each key, or `NONE` (coalescing and refreshes).
    flight_of: Vec<u32>,
    /// The last recomputation's duration of each key (early recomputation).
    delta: Vec<f64>,
    /// Keys found expired and not yet filled again: their misses count
    /// towards the recomputations of that expiry.
    expired: Vec<bool>,
    /// Waiters: who to answer, and the next waiter of the same flight.
    waiters: Slab<(ReplyTo, u32)>,
    /// Hits waiting out `hit_ms`.
    answering: Slab<ReplyTo>,
    /// Per key over the measured window: requests, recomputations, work
    /// recomputed (the top keys by cost).
    key_requests: Vec<u32>,
    key_recomputations: Vec<u32>,
    key_work_s: Vec<f64>,
    /// Per bucket: requests, hits, work asked for and work missed.
    bucket_s: f64,
    buckets: Vec<(u64, u64, f64, f64)>,
    /// The hit ratio theory predicts, when it applies.
    theory: Option<f64>,
    generation: u32,
    pub(crate) stats: CacheStats,
}

impl Cache {
    /// A cache of `spec` in front of `target`, over `costs.len()` keys;
    /// `buckets` of `bucket_s` seconds from `warm`; `theory`, the hit ratio
    /// theory predicts, if any.
    pub(crate) fn new(
        spec: &CacheSpec,
        target: NodeId,
        costs: Rc<[f64]>,
        rng: RandomStream,
        (warm, bucket_s, buckets): (f64, f64, usize),
        theory: Option<f64>,
    ) -> Cache {
        let n = costs.len();
        Cache {
            target,
            store: Store::new(spec.eviction, spec.capacity as usize, n),
            ttl_s: spec.ttl_s,
            refresh: spec.ttl_refresh,
            jitter: spec.ttl_jitter,
            protection: spec.protection,
            beta: spec.beta,
            hit_s: spec.hit_ms / 1e3,
            costs,
            rng,
            warm,
            flights: Slab::default(),
            flight_of: vec![NONE; n],
            delta: match spec.protection {
                Protection::EarlyRecompute => vec![0.0; n],
                _ => Vec::new(),
            },
            expired: vec![false; n],
            key_requests: vec![0; n],
            key_recomputations: vec![0; n],
            key_work_s: vec![0.0; n],
            bucket_s,
            buckets: vec![(0, 0, 0.0, 0.0); buckets],
            theory,
            waiters: Slab::default(),
            answering: Slab::default(),
            generation: 0,
            stats: CacheStats::default(),
        }
    }

    /// When an entry stored now expires.
    fn expiry(&mut self, now: f64) -> f64 {
        match self.ttl_s {
            None => f64::INFINITY,
            Some(t) if self.jitter > 0.0 => now + t * (1.0 - self.jitter * self.rng.uniform()),
            Some(t) => now + t,
        }
    }

    /// A request for its key arrives.
    pub(crate) fn receive(&mut self, call: Call, ctx: &mut Ctx) {
        let now = ctx.now;
        let measured = now >= self.warm;
        let key = call.key;
        if measured {
            let cost = self.costs[key as usize];
            self.stats.requests += 1;
            self.stats.work_asked_s += cost;
            self.key_requests[key as usize] = self.key_requests[key as usize].saturating_add(1);
            if let Some(b) = self.bucket(now) {
                b.0 += 1;
                b.2 += cost;
            }
        }
        match self.store.lookup(key, now) {
            Lookup::Hit { expires } => {
                if self.refresh {
                    let e = self.expiry(now);
                    self.store.set_expiry(key, e);
                } else if self.protection == Protection::EarlyRecompute
                    && self.flight_of[key as usize] == NONE
                {
                    let d = self.delta[key as usize];
                    let early = now - d * self.beta * libm::log(self.rng.uniform_open0());
                    if early >= expires {
                        self.recompute(key, None, false, ctx);
                    }
                }
                self.hit(call.reply_to, measured, ctx);
            }
            Lookup::Expired => {
                // One expiry per entry: with stale-while-revalidate, the
                // requests that find it expired while it refreshes are
                // stale hits, not more expiries.
                let refreshing = self.flight_of[key as usize] != NONE;
                if measured && !refreshing {
                    self.stats.expirations += 1;
                }
                if self.protection == Protection::StaleWhileRevalidate {
                    if !refreshing {
                        self.recompute(key, None, true, ctx);
                    }
                    if measured {
                        self.stats.stale_served += 1;
                    }
                    self.hit(call.reply_to, measured, ctx);
                } else {
                    self.store.remove(key);
                    self.expired[key as usize] = true;
                    self.miss(call, true, ctx);
                }
            }
            Lookup::Miss => {
                let after_expiry = self.expired[key as usize];
                self.miss(call, after_expiry, ctx);
            }
        }
    }

    /// The bucket of time `t` (measured times only).
    fn bucket(&mut self, t: f64) -> Option<&mut (u64, u64, f64, f64)> {
        let i = ((t - self.warm) / self.bucket_s) as usize;
        self.buckets.get_mut(i)
    }

    fn hit(&mut self, to: ReplyTo, measured: bool, ctx: &mut Ctx) {
        if measured {
            self.stats.hits += 1;
            if let Some(b) = self.bucket(ctx.now) {
                b.1 += 1;
            }
        }
        if self.hit_s > 0.0 {
            let handle = self.answering.insert(to);
            ctx.schedule_fifo(ctx.now + self.hit_s, Signal::CacheHit { handle });
        } else {
            ctx.reply(to, Outcome::Ok);
        }
    }

    fn miss(&mut self, call: Call, after_expiry: bool, ctx: &mut Ctx) {
        let running = self.flight_of[call.key as usize];
        if running != NONE
            && self.protection == Protection::Coalesce
            && let Some(f) = self.flights.get_mut(running)
        {
            f.first = self.waiters.insert((call.reply_to, f.first));
            if ctx.now >= self.warm {
                self.stats.coalesced += 1;
            }
            return;
        }
        self.recompute(call.key, Some(call), after_expiry, ctx);
    }

    /// Sends a recomputation of `key` to the service, for `waiter` (or
    /// behind the scenes).
    fn recompute(&mut self, key: u32, waiter: Option<Call>, after_expiry: bool, ctx: &mut Ctx) {
        let first = match waiter {
            Some(c) => self.waiters.insert((c.reply_to, NONE)),
            None => NONE,
        };
        let handle = self.flights.insert(Flight {
            key,
            started: ctx.now,
            first,
        });
        self.flight_of[key as usize] = handle;
        if ctx.now >= self.warm {
            let cost = self.costs[key as usize];
            let k = key as usize;
            self.key_recomputations[k] = self.key_recomputations[k].saturating_add(1);
            self.key_work_s[k] += cost;
            if let Some(b) = self.bucket(ctx.now) {
                b.3 += cost;
            }
            self.stats.recomputations += 1;
            self.stats.work_missed_s += cost;
            if after_expiry {
                self.stats.recomputations_after_expiry += 1;
            }
        }
        self.generation = self.generation.wrapping_add(1);
        let seed = waiter.map_or_else(|| u64::from(key) << 32 | 0x5EED, |c| c.seed);
        ctx.send(
            self.target,
            Call {
                seed,
                key,
                reply_to: ReplyTo {
                    node: ctx.me,
                    handle,
                    generation: self.generation,
                },
            },
        );
    }

    /// A recomputation ended.
    pub(crate) fn reply(&mut self, to: ReplyTo, outcome: Outcome, ctx: &mut Ctx) {
        let Some(flight) = self.flights.remove(to.handle) else {
            return;
        };
        let key = flight.key as usize;
        if self.flight_of[key] == to.handle {
            self.flight_of[key] = NONE;
        }
        if outcome == Outcome::Ok {
            if !self.delta.is_empty() {
                self.delta[key] = ctx.now - flight.started;
            }
            let e = self.expiry(ctx.now);
            self.expired[key] = false;
            if let Ok(Some(_)) = self.store.insert(flight.key, e, &mut self.rng)
                && ctx.now >= self.warm
            {
                self.stats.evictions += 1;
            }
        }
        let mut w = flight.first;
        while w != NONE {
            let Some((reply_to, next)) = self.waiters.remove(w) else {
                break;
            };
            ctx.reply(reply_to, outcome);
            w = next;
        }
    }

    /// The totals of the measured window.
    pub(crate) fn summary(&self) -> crate::report::CacheSummary {
        let st = &self.stats;
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        crate::report::CacheSummary {
            requests: st.requests,
            hits: st.hits,
            hit_ratio: ratio(st.hits as f64, st.requests as f64),
            cost_miss_ratio: ratio(st.work_missed_s, st.work_asked_s),
            recomputations: st.recomputations,
            expirations: st.expirations,
            recomputations_per_expiry: ratio(
                st.recomputations_after_expiry as f64,
                st.expirations as f64,
            ),
            evictions: st.evictions,
            stale_served: st.stale_served,
            coalesced: st.coalesced,
            theory_hit_ratio: self.theory,
            top_keys: self.top_keys(10),
        }
    }

    /// The `n` keys whose recomputations cost the backend most.
    fn top_keys(&self, n: usize) -> Vec<crate::report::KeyCost> {
        let mut keys: Vec<usize> = (0..self.key_work_s.len())
            .filter(|&k| self.key_work_s[k] > 0.0)
            .collect();
        keys.sort_by(|&a, &b| {
            self.key_work_s[b]
                .total_cmp(&self.key_work_s[a])
                .then(a.cmp(&b))
        });
        keys.truncate(n);
        keys.into_iter()
            .map(|k| crate::report::KeyCost {
                key: k as u32,
                requests: u64::from(self.key_requests[k]),
                recomputations: u64::from(self.key_recomputations[k]),
                work_s: self.key_work_s[k],
            })
            .collect()
    }

    /// The per-bucket hit ratio and cost-weighted miss ratio, `len` buckets.
    pub(crate) fn series(&self, len: usize) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
        let at = |i: usize| self.buckets.get(i).copied().unwrap_or_default();
        let hits = (0..len)
            .map(|i| {
                let (r, h, _, _) = at(i);
                (r > 0).then(|| h as f64 / r as f64)
            })
            .collect();
        let cost = (0..len)
            .map(|i| {
                let (_, _, asked, missed) = at(i);
                (asked > 0.0).then(|| missed / asked)
            })
            .collect();
        (hits, cost)
    }

    /// A hit's answer is ready.
    pub(crate) fn handle(&mut self, signal: Signal, ctx: &mut Ctx) {
        if let Signal::CacheHit { handle } = signal
            && let Some(to) = self.answering.remove(handle)
        {
            ctx.reply(to, Outcome::Ok);
        }
    }
}
