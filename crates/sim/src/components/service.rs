//! A service: a balancer in front of groups of servers, the faults that
//! act on them, and, in a layered system, the call each server makes to the
//! next layer after its own work.
//!
//! ```text
//!  request ──> balancer ──┬──> server: queue ─> workers ──(work)──┬──> outcome upstream
//!              (policy)   └──> server …                           └──> next layer's client,
//!                                                                      whose outcome ends it
//! ```
//!
//! The first service reports to the run's [`Recorder`](crate::engine::Recorder)
//! (the statistics and series that existed before layers); every service
//! keeps its own totals.

use super::routes::Routes;
use super::{Call, Ctx, NO_KEY, NO_PIN, NodeId, Outcome, ReplyTo, Signal, derive_seed};
use crate::balancer::Balancer;
use crate::dist::Sampler;
use crate::rng::{RandomStream, RequestRng, Uniform};
use crate::scenario::{FaultKind, MAX_LIST, Policy, Scenario};
use crate::server::{Admission, Request, Server};

/// A fault as a service applies it.
#[derive(Clone, Debug)]
struct FaultAction {
    kind: FaultKind,
    factor: f64,
    probability: f64,
    /// Indices of the servers it acts on.
    targets: Vec<usize>,
}

/// How a service picks a server for a request.
#[derive(Debug)]
enum Routing {
    /// One balancer (or several, `balancers = N`) over every server.
    One(Balancer),
    /// Groups with shares: a balancer per group over its own servers.
    PerGroup(Box<Routes>),
}

/// Totals of one service over the measured window.
#[derive(Clone, Debug, Default)]
pub(crate) struct ServiceStats {
    pub(crate) arrivals: u64,
    pub(crate) completed: u64,
    pub(crate) rejected: u64,
    pub(crate) failed: u64,
}

/// A service component.
#[derive(Debug)]
pub(crate) struct Service {
    /// 0 for the first service, N for `layers[N - 1]`.
    pub(crate) layer: usize,
    pub(crate) servers: Vec<Server>,
    routing: Routing,
    policy_rng: RandomStream,
    errors_rng: RandomStream,
    /// The next layer's client, which this service's servers call.
    downstream: Option<NodeId>,
    /// By the scenario's fault index; `None` for faults of other services.
    faults: Vec<Option<FaultAction>>,
    track_ewma: bool,
    ewma_decay_s: f64,
    warm: f64,
    end: f64,
    pub(crate) stats: ServiceStats,
    /// Each key's work in seconds (`keys.cost_ms`: the services behind a
    /// cache, or the first service when there is none).
    pub(crate) key_costs: Option<std::rc::Rc<[f64]>>,
}

impl Service {
    /// Service `layer` of `sc`, drawing from its own streams.
    pub(crate) fn new(
        sc: &Scenario,
        layer: usize,
        samplers: Vec<Sampler>,
        (policy_rng, errors_rng, assign_rng): (RandomStream, RandomStream, RandomStream),
        downstream: Option<NodeId>,
    ) -> Self {
        let spec = match layer {
            0 => &sc.balancer,
            n => &sc.layers[n - 1].balancer,
        };
        let groups = sc.groups(layer);
        let default_rtt = spec.default_rtt_ms / 1e3;
        let mut servers = Vec::new();
        let mut offsets = Vec::with_capacity(groups.len());
        for (g, group) in groups.iter().enumerate() {
            offsets.push(servers.len());
            for i in 0..group.count {
                let mut server = Server::new(
                    g,
                    i,
                    group.workers,
                    group.speed,
                    group.queue_capacity,
                    default_rtt,
                );
                server.slowdown_per_active = group.slowdown_per_active;
                server.work = samplers[g].clone();
                servers.push(server);
            }
        }
        let faults = sc
            .faults
            .iter()
            .map(|f| {
                (f.layer == layer).then(|| {
                    let base = offsets[f.group];
                    FaultAction {
                        kind: f.kind,
                        factor: f.factor.unwrap_or(1.0),
                        probability: f.probability.unwrap_or(0.0),
                        targets: match f.server {
                            Some(k) => vec![base + k as usize],
                            None => (base..base + groups[f.group].count as usize).collect(),
                        },
                    }
                })
            })
            .collect();
        let routing = match crate::scenario::cumulative_shares(groups) {
            None => Routing::One(Balancer::new(spec, groups, assign_rng)),
            Some(cumulative) => {
                // Stream numbers past every other component's, one per
                // group of every layer (a service has at most MAX_LIST).
                let assign = |g: usize| {
                    RandomStream::numbered(sc.seed, 0x1_0000 + (layer * MAX_LIST + g) as u32)
                };
                Routing::PerGroup(Box::new(Routes::new(
                    spec,
                    groups,
                    cumulative.into(),
                    assign,
                )))
            }
        };
        Service {
            layer,
            routing,
            servers,
            policy_rng,
            errors_rng,
            downstream,
            faults,
            track_ewma: spec.policy == Policy::PeakEwma,
            ewma_decay_s: spec.ewma_decay_s,
            warm: sc.warmup_s,
            end: sc.warmup_s + sc.duration_s,
            stats: ServiceStats::default(),
            key_costs: None,
        }
    }

    /// The first service, which reports to the run's recorder.
    #[inline(always)]
    fn front(&self) -> bool {
        self.layer == 0
    }

    /// A request arrives at the balancer (or, pinned, at server `pin`).
    #[inline(always)]
    pub(crate) fn receive(&mut self, call: Call, pin: u32, ctx: &mut Ctx) {
        let t = ctx.now;
        let measured = t >= self.warm;
        if self.front() {
            ctx.rec.arrival(t);
        }
        if measured {
            self.stats.arrivals += 1;
        }
        let picked = if pin != NO_PIN {
            self.pinned(pin as usize)
        } else {
            match &mut self.routing {
                Routing::One(balancer) => balancer.pick(&self.servers, &mut self.policy_rng, t),
                Routing::PerGroup(routes) => {
                    routes.pick(call.seed, &self.servers, &mut self.policy_rng, t)
                }
            }
        };
        let Some(i) = picked else {
            if self.front() {
                ctx.rec.failed(t, t, false);
            }
            if measured {
                self.stats.failed += 1;
            }
            ctx.reply(call.reply_to, Outcome::Failed);
            return;
        };
        // Drawn now, not when service starts: the same number (it depends on
        // the seed and the group only), but off the path to the next event.
        let (warm, end) = (self.warm, self.end);
        let server = &mut self.servers[i];
        let request = Request {
            arrive: t,
            work: match &self.key_costs {
                Some(costs) if call.key != NO_KEY => costs[call.key as usize],
                _ => server.work.sample(&mut RequestRng::new(call.seed)),
            },
            seed: call.seed,
            key: call.key,
            reply_to: call.reply_to,
        };
        server.advance(t, warm, end);
        match server.admit(request, measured) {
            Admission::Started(slot) => {
                if self.front() {
                    ctx.rec.entered();
                }
                self.start_service(t, i, slot, (t, request.work), ctx);
            }
            Admission::Queued => {
                if self.front() {
                    ctx.rec.entered();
                }
            }
            Admission::Rejected => {
                if self.front() {
                    ctx.rec.rejected(t);
                }
                if measured {
                    self.stats.rejected += 1;
                }
                ctx.reply(call.reply_to, Outcome::Rejected);
            }
        }
    }

    /// Server `i`, if it is there and up.
    #[inline(never)]
    fn pinned(&self, i: usize) -> Option<usize> {
        self.servers.get(i).filter(|s| !s.is_down()).map(|_| i)
    }

    /// Schedules the end of the work of a request that arrived at `arrive`
    /// (its `work` at speed 1), starting now in `slot` of server `i`.
    #[inline(always)]
    fn start_service(
        &mut self,
        t: f64,
        i: usize,
        slot: u32,
        (arrive, work): (f64, f64),
        ctx: &mut Ctx,
    ) {
        if self.front() {
            ctx.rec.started(arrive, t);
        }
        let server = &self.servers[i];
        let mut work = work * server.slowdown;
        let x = server.slowdown_per_active;
        if x > 0.0 {
            let others = server.busy().saturating_sub(1);
            work *= 1.0 + x * others as f64;
        }
        let signal = Signal::Done {
            server: i as u32,
            slot: slot as u16,
            generation: server.generation,
        };
        ctx.schedule(t + work / server.speed, signal);
    }

    /// A signal this service scheduled.
    #[inline(always)]
    pub(crate) fn handle(&mut self, signal: Signal, ctx: &mut Ctx) {
        match signal {
            Signal::Done {
                server,
                slot,
                generation,
            } => self.work_done(server as usize, u32::from(slot), generation, ctx),
            Signal::FaultStart(f) => self.fault(f as usize, true, ctx),
            Signal::FaultEnd(f) => self.fault(f as usize, false, ctx),
            _ => {}
        }
    }

    /// A worker finished its own work: answer, or call the next layer.
    #[inline(always)]
    fn work_done(&mut self, i: usize, slot: u32, generation: u32, ctx: &mut Ctx) {
        let t = ctx.now;
        let Some(server) = self.servers.get_mut(i) else {
            return;
        };
        if server.generation != generation {
            return; // the server went down since; the request already failed
        }
        server.advance(t, self.warm, self.end);
        let p = server.error_p;
        if p > 0.0 && self.errors_rng.uniform() < p {
            self.finish(i, slot, Outcome::Failed, ctx);
            return;
        }
        if let Some(next) = self.downstream
            && let Some(r) = &self.servers[i].slots[slot as usize]
        {
            // The worker waits for the next layer, holding its slot.
            let call = Call {
                seed: derive_seed(r.seed, self.layer + 1),
                key: r.key,
                reply_to: ReplyTo {
                    node: ctx.me,
                    handle: (i as u32) << 16 | slot,
                    generation,
                },
            };
            ctx.send(next, call);
            return;
        }
        self.finish(i, slot, Outcome::Ok, ctx);
    }

    /// The next layer answered the call of server `handle >> 16`, slot
    /// `handle & 0xffff`.
    pub(crate) fn reply(&mut self, to: ReplyTo, outcome: Outcome, ctx: &mut Ctx) {
        let (i, slot) = ((to.handle >> 16) as usize, to.handle & 0xffff);
        if self.servers[i].generation != to.generation {
            return; // the server went down while it waited
        }
        self.servers[i].advance(ctx.now, self.warm, self.end);
        let outcome = if outcome == Outcome::Ok {
            Outcome::Ok
        } else {
            Outcome::Failed
        };
        self.finish(i, slot, outcome, ctx);
    }

    /// The request in `slot` of server `i` ends with `outcome`; the next
    /// queued request takes the slot.
    #[inline(always)]
    fn finish(&mut self, i: usize, slot: u32, outcome: Outcome, ctx: &mut Ctx) {
        let t = ctx.now;
        let front = self.front();
        let server = &mut self.servers[i];
        if let Some(r) = server.take(slot) {
            let measured = r.arrive >= self.warm;
            if outcome == Outcome::Ok {
                let counted = if front {
                    ctx.rec.completed(r.arrive, t)
                } else {
                    measured
                };
                server.completed += u64::from(counted);
                if measured {
                    self.stats.completed += 1;
                }
                if self.track_ewma {
                    server.observe_latency(t, t - r.arrive, self.ewma_decay_s);
                }
            } else {
                if self.front() {
                    ctx.rec.failed(r.arrive, t, true);
                }
                if measured {
                    self.stats.failed += 1;
                }
            }
            ctx.reply(r.reply_to, outcome);
        }
        if let Some(next) = self.servers[i].next_into(slot) {
            self.start_service(t, i, slot, next, ctx);
        }
    }

    fn fault(&mut self, f: usize, starts: bool, ctx: &mut Ctx) {
        let t = ctx.now;
        let Some(Some(fault)) = self.faults.get(f) else {
            return;
        };
        let (warm, end) = (self.warm, self.end);
        for &i in &fault.targets {
            let server = &mut self.servers[i];
            server.advance(t, warm, end);
            match (fault.kind, starts) {
                (FaultKind::Down, true) => {
                    for r in server.go_down() {
                        if self.layer == 0 {
                            ctx.rec.failed(r.arrive, t, true);
                        }
                        if r.arrive >= warm {
                            self.stats.failed += 1;
                        }
                        ctx.reply(r.reply_to, Outcome::Failed);
                    }
                }
                (FaultKind::Down, false) => server.come_up(),
                (FaultKind::Slow, active) => server.set_slow(fault.factor, active),
                (FaultKind::Errors, active) => server.set_errors(fault.probability, active),
            }
        }
        if fault.kind == FaultKind::Down {
            match &mut self.routing {
                Routing::One(balancer) => balancer.refresh(&self.servers),
                Routing::PerGroup(routes) => routes.refresh(&self.servers),
            }
        }
    }
}
