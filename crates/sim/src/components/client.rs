//! A client: sends each logical request to its service as one or more
//! attempts, with per-attempt timeouts, retries after a backoff, a retry
//! budget, adaptive throttling and a network delay each way.
//!
//! ```text
//!  request ──> [throttle] ──> attempt ──(network)──> service
//!                 │              │ timeout / rejected / failed
//!                 │              └──> [retry_on, retries, budget] ──backoff──> attempt
//!                 └──> failed locally            outcome ──(network)──> back upstream
//! ```
//!
//! A timed-out attempt is abandoned: its late reply is dropped (its
//! generation is stale), but the service never hears of the timeout and
//! does the work anyway.
//!
//! With a circuit breaker, every attempt asks its breaker first; a refused
//! attempt never reaches the service and ends its logical request at once
//! (failed, or succeeded by a fallback). With closed traffic, the edge
//! client keeps one breaker per member of the population (times the
//! dependencies or server instances of its scope). With `scope = "server"`
//! the client picks each attempt's server itself, uniformly at random.

use std::rc::Rc;

use super::backoff::{BackoffPolicy, TokenBucket};
use super::breaker::{Breaker, Ticket};
use super::routes::dependency;
use super::throttle::ThrottleWindow;
use super::{Call, Ctx, NO_PIN, NodeId, Outcome, ReplyTo, Signal, Slab};
use crate::dist::Sampler;
use crate::rng::RandomStream;
use crate::scenario::{
    Breaker as BreakerSpec, BreakerScope, Client as ClientSpec, OnOpen, RetryOn, ServerGroup,
    breakers_per_member, group_bounds,
};

/// What a client calls: the node, and what it knows of the service there,
/// for breakers per dependency or per server instance.
#[derive(Clone, Debug, Default)]
pub(crate) struct Targets {
    /// The node it sends to (a service, or a cache in front of one).
    pub(crate) node: NodeId,
    /// The cumulative shares of its groups, when they are dependencies.
    pub(crate) shares: Option<Rc<[f64]>>,
    /// The first server of each of its groups, then its number of servers.
    pub(crate) bounds: Vec<u32>,
    /// Breakers per member of the population (or in all, without one):
    /// 1, the dependencies, or the servers.
    pub(crate) per_member: u32,
}

impl Targets {
    /// Node `node`, a service with `groups` (or a cache in front of it),
    /// called by a client with `spec`.
    pub(crate) fn new(node: NodeId, groups: &[ServerGroup], spec: &ClientSpec) -> Self {
        Targets {
            node,
            shares: crate::scenario::cumulative_shares(groups).map(Into::into),
            bounds: group_bounds(groups),
            per_member: breakers_per_member(spec.breaker.as_ref(), groups),
        }
    }

    /// The servers a request with `seed` may go to: its group's, when
    /// the groups are dependencies, else all.
    fn servers_for(&self, seed: u64) -> (u32, u32) {
        let all = self.bounds.last().copied().unwrap_or(0);
        match &self.shares {
            Some(shares) => {
                let g = dependency(seed, shares);
                (self.bounds[g], self.bounds[g + 1])
            }
            None => (0, all),
        }
    }
}

/// The index of breaker `x` (a dependency or a server; 0 for scope
/// `client`) of the population member that sent `call` (one member for
/// all when the client keeps no breakers per member).
fn breaker_index(per_user: bool, per_member: u32, call: &Call, x: u32) -> u32 {
    let member = if per_user { call.reply_to.handle } else { 0 };
    member * per_member + x
}

/// Why an attempt did not succeed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Miss {
    Timeout,
    Rejected,
    Failed,
}

/// One logical request in progress.
#[derive(Clone, Copy, Debug)]
struct Logical {
    /// The request as it came in: its seed and who gets the outcome.
    call: Call,
    /// When it came in, engine seconds.
    born: f64,
    /// Attempts sent so far.
    attempts: u32,
    /// The generation of the current attempt, unique among this client's
    /// attempts (slots are reused); replaced when the attempt ends, so its
    /// timer and any late reply are recognised as stale.
    generation: u32,
    /// The previous backoff wait in seconds (decorrelated jitter).
    previous_wait: f64,
    /// Its breaker's index, and the current attempt's ticket.
    breaker: u32,
    ticket: Option<Ticket>,
    /// When the current attempt was sent.
    sent_at: f64,
}

/// Running totals of one client over the measured window.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClientStats {
    pub(crate) arrived: u64,
    pub(crate) succeeded: u64,
    pub(crate) failed: u64,
    pub(crate) attempts: u64,
    pub(crate) retries: u64,
    pub(crate) timeouts: u64,
    pub(crate) throttled: u64,
}

/// A client component.
#[derive(Debug)]
pub(crate) struct Client {
    /// The service it calls.
    target: NodeId,
    /// Whether it is the edge client, whose logical requests are the run's.
    edge: bool,
    timeout: Option<f64>,
    retries: u32,
    retry_on: [bool; 3],
    backoff: BackoffPolicy,
    budget: Option<TokenBucket>,
    throttle: Option<ThrottleWindow>,
    network: Option<Sampler>,
    /// The breakers' settings, when there are breakers.
    breaker_spec: Option<BreakerSpec>,
    /// One breaker per member of a closed population (or one for all)
    /// times the dependencies or servers of its scope, grown as first used.
    pub(crate) breakers: Vec<Breaker>,
    per_user: bool,
    targets: Targets,
    /// Breakers per member: 1, the dependencies, or the servers.
    per_member: u32,
    rng: RandomStream,
    calls: Slab<Logical>,
    /// The last generation handed out.
    generations: u32,
    /// Requests on the wire to the service, with their pinned server.
    wire: Slab<(Call, u32)>,
    warm: f64,
    pub(crate) stats: ClientStats,
}

impl Client {
    pub(crate) fn new(
        spec: &ClientSpec,
        network: Option<Sampler>,
        targets: Targets,
        edge: bool,
        closed: bool,
        rng: RandomStream,
        warm: f64,
    ) -> Self {
        let on = |r: RetryOn| spec.retry_on.contains(&r);
        let breaker_spec = spec.breaker.clone().filter(|b| b.enabled);
        let per_member = targets.per_member;
        Client {
            target: targets.node,
            edge,
            timeout: spec.timeout_ms.map(|t| t / 1e3),
            retries: spec.retries,
            retry_on: [
                on(RetryOn::Timeout),
                on(RetryOn::Rejected),
                on(RetryOn::Failed),
            ],
            backoff: BackoffPolicy::new(&spec.backoff),
            budget: spec
                .budget
                .as_ref()
                .filter(|b| b.enabled)
                .map(TokenBucket::new),
            throttle: spec
                .throttle
                .as_ref()
                .filter(|t| t.enabled)
                .map(|t| ThrottleWindow::new(t.k, t.window_s)),
            network,
            // Every breaker of the client (of its first member, with a
            // population: the others' are added as members first call).
            breakers: breaker_spec
                .iter()
                .flat_map(|b| (0..per_member).map(|_| Breaker::new(b, 0.0)))
                .collect(),
            breaker_spec,
            per_user: edge && closed,
            targets,
            per_member,
            rng,
            calls: Slab::default(),
            generations: 0,
            wire: Slab::default(),
            warm,
            stats: ClientStats::default(),
        }
    }

    fn measured(&self, born: f64) -> bool {
        born >= self.warm
    }

    /// A new logical request from upstream.
    pub(crate) fn receive(&mut self, call: Call, ctx: &mut Ctx) {
        let now = ctx.now;
        let x = match (&self.breaker_spec, &self.targets.shares) {
            (Some(b), Some(shares)) if b.scope == BreakerScope::Dependency => {
                dependency(call.seed, shares) as u32
            }
            _ => 0,
        };
        let breaker = breaker_index(self.per_user, self.per_member, &call, x);
        let logical = Logical {
            call,
            born: now,
            attempts: 0,
            generation: 0,
            previous_wait: self.backoff.initial_previous(),
            breaker,
            ticket: None,
            sent_at: now,
        };
        if self.measured(now) {
            self.stats.arrived += 1;
        }
        if self.edge {
            ctx.edge.arrived(now);
        }
        if let Some(b) = &mut self.budget {
            b.earn();
        }
        let handle = self.calls.insert(logical);
        self.attempt(handle, ctx);
    }

    /// Sends the next attempt of `handle`, unless its breaker or the
    /// throttle refuses it.
    fn attempt(&mut self, handle: u32, ctx: &mut Ctx) {
        let now = ctx.now;
        let mut pin = NO_PIN;
        if let Some(spec) = &self.breaker_spec {
            let Some(l) = self.calls.get_mut(handle) else {
                return;
            };
            if spec.scope == BreakerScope::Server {
                // Client-side balancing: this attempt's server (one of its
                // dependency's), and that server's breaker.
                let (lo, hi) = self.targets.servers_for(l.call.seed);
                let host = lo + self.rng.below((hi - lo) as usize) as u32;
                l.breaker = breaker_index(self.per_user, self.per_member, &l.call, host);
                pin = host;
            }
            let i = l.breaker as usize;
            if self.breakers.len() <= i {
                // A member's first call: all of its breakers at once.
                let n = (i / self.per_member as usize + 1) * self.per_member as usize;
                self.breakers.resize_with(n, || Breaker::new(spec, 0.0));
            }
            match self.breakers[i].try_call(now) {
                Some(ticket) => l.ticket = Some(ticket),
                None => {
                    let outcome = match spec.on_open {
                        OnOpen::FailFast => Outcome::Failed,
                        OnOpen::Fallback => Outcome::Ok,
                    };
                    self.end(handle, outcome, ctx);
                    return;
                }
            }
        }
        if let Some(t) = &mut self.throttle {
            let p = t.reject_probability(now);
            t.request(now);
            if p > 0.0 && crate::rng::Uniform::uniform(&mut self.rng) < p {
                let born = self.calls.get_mut(handle).map_or(now, |l| l.born);
                if self.measured(born) {
                    self.stats.throttled += 1;
                }
                if self.edge {
                    ctx.edge.throttled(now);
                }
                self.end(handle, Outcome::Failed, ctx);
                return;
            }
        }
        let generation = self.next_generation();
        let Some(l) = self.calls.get_mut(handle) else {
            return;
        };
        l.attempts += 1;
        l.generation = generation;
        l.sent_at = now;
        let (generation, seed, key, born) = (l.generation, l.call.seed, l.call.key, l.born);
        if born >= self.warm {
            self.stats.attempts += 1;
        }
        if self.edge {
            ctx.edge.attempt(now);
        }
        if let Some(t) = self.timeout {
            ctx.schedule_fifo(
                now + t,
                Signal::Timeout {
                    call: handle,
                    generation,
                },
            );
        }
        let call = Call {
            seed,
            key,
            reply_to: ReplyTo {
                node: ctx.me,
                handle,
                generation,
            },
        };
        match &self.network {
            Some(net) => {
                let delay = net.sample(&mut self.rng);
                let wire = self.wire.insert((call, pin));
                ctx.schedule(now + delay, Signal::Delivered { wire });
            }
            None => ctx.send_pinned(self.target, pin, call),
        }
    }

    /// A generation no attempt of this client has had yet.
    fn next_generation(&mut self) -> u32 {
        self.generations = self.generations.wrapping_add(1);
        self.generations
    }

    /// A signal this client scheduled.
    pub(crate) fn handle(&mut self, signal: Signal, ctx: &mut Ctx) {
        match signal {
            Signal::Delivered { wire } => {
                if let Some((call, pin)) = self.wire.remove(wire) {
                    ctx.send_pinned(self.target, pin, call);
                }
            }
            Signal::Replied {
                call,
                generation,
                outcome,
            } => self.settle(call, generation, outcome, ctx),
            Signal::Timeout { call, generation } => {
                let stale = self.next_generation();
                let Some(l) = self.calls.get_mut(call) else {
                    return;
                };
                if l.generation != generation {
                    return; // that attempt already ended
                }
                l.generation = stale;
                let born = l.born;
                if let Some(ticket) = l.ticket.take() {
                    let b = &mut self.breakers[l.breaker as usize];
                    b.record(ticket, ctx.now, true, ctx.now - l.sent_at);
                }
                if self.measured(born) {
                    self.stats.timeouts += 1;
                }
                if self.edge {
                    ctx.edge.timeout(ctx.now);
                }
                self.missed(call, Miss::Timeout, ctx);
            }
            Signal::Resend { call, generation }
                if self
                    .calls
                    .get_mut(call)
                    .is_some_and(|l| l.generation == generation) =>
            {
                self.attempt(call, ctx);
            }
            _ => {}
        }
    }

    /// The service's outcome for one of this client's attempts.
    pub(crate) fn reply(&mut self, to: ReplyTo, outcome: Outcome, ctx: &mut Ctx) {
        match &self.network {
            Some(net) => {
                let delay = net.sample(&mut self.rng);
                ctx.schedule(
                    ctx.now + delay,
                    Signal::Replied {
                        call: to.handle,
                        generation: to.generation,
                        outcome,
                    },
                );
            }
            None => self.settle(to.handle, to.generation, outcome, ctx),
        }
    }

    /// An outcome reaches the client.
    fn settle(&mut self, handle: u32, generation: u32, outcome: Outcome, ctx: &mut Ctx) {
        let stale = self.next_generation();
        let Some(l) = self.calls.get_mut(handle) else {
            return;
        };
        if l.generation != generation {
            return; // a late reply to an abandoned attempt
        }
        l.generation = stale;
        if let Some(ticket) = l.ticket.take() {
            let b = &mut self.breakers[l.breaker as usize];
            b.record(ticket, ctx.now, outcome != Outcome::Ok, ctx.now - l.sent_at);
        }
        match outcome {
            Outcome::Ok => {
                if let Some(t) = &mut self.throttle {
                    t.accept(ctx.now);
                }
                self.end(handle, Outcome::Ok, ctx);
            }
            Outcome::Rejected => self.missed(handle, Miss::Rejected, ctx),
            Outcome::Failed => self.missed(handle, Miss::Failed, ctx),
        }
    }

    /// An attempt did not succeed: retry after a backoff, or give up.
    fn missed(&mut self, handle: u32, miss: Miss, ctx: &mut Ctx) {
        let Some(l) = self.calls.get_mut(handle) else {
            return;
        };
        let retryable = self.retry_on[miss as usize];
        let n = l.attempts - 1; // this retry's number, from 0
        if !(retryable && n < self.retries && self.budget.as_mut().is_none_or(|b| b.try_spend())) {
            let outcome = if miss == Miss::Rejected {
                Outcome::Rejected
            } else {
                Outcome::Failed
            };
            self.end(handle, outcome, ctx);
            return;
        }
        if l.born >= self.warm {
            self.stats.retries += 1;
        }
        if self.edge {
            ctx.edge.retry(ctx.now);
        }
        let wait = self.backoff.wait(n, l.previous_wait, &mut self.rng);
        l.previous_wait = wait;
        if wait > 0.0 {
            let generation = l.generation;
            ctx.schedule(
                ctx.now + wait,
                Signal::Resend {
                    call: handle,
                    generation,
                },
            );
        } else {
            self.attempt(handle, ctx);
        }
    }

    /// The logical request ends with `outcome`, which goes upstream.
    fn end(&mut self, handle: u32, outcome: Outcome, ctx: &mut Ctx) {
        let Some(l) = self.calls.remove(handle) else {
            return;
        };
        let ok = outcome == Outcome::Ok;
        if self.measured(l.born) {
            if ok {
                self.stats.succeeded += 1;
            } else {
                self.stats.failed += 1;
            }
        }
        if self.edge {
            ctx.edge.ended(l.born, ctx.now, ok);
        }
        ctx.reply(l.call.reply_to, outcome);
    }

    /// Whether this is the edge client, whose logical requests are the run's.
    pub(crate) fn is_edge(&self) -> bool {
        self.edge
    }

    /// Logical requests still in progress that arrived in the window.
    pub(crate) fn in_flight(&self) -> u64 {
        self.calls
            .values()
            .filter(|l| self.measured(l.born))
            .count() as u64
    }
}
