//! The parts a scenario's system is built from, and how they talk.
//!
//! ```text
//!  Source ──request──> Client ──request──> [Cache] ──miss──> Service ──request──> Client ──> Service …
//!  (open or closed)    (timeouts,          (hits answered     (balancer,           (the next layer's
//!         <──outcome──  retries, …) <────── here) <──────────  servers) <──────────  caller)
//! ```
//!
//! Every part is a [`Node`] with its own state, its own [`Signal`]s and its
//! own statistics. The run loop (`engine.rs`) pops `(time, node, signal)`
//! and hands the signal to that node with a [`Ctx`]; a node acts on others
//! only through the context: it schedules signals for itself later, sends a
//! request to another node, or replies to whoever sent it one. Messages sent
//! at the current instant are delivered, in order, right after the handler
//! returns. A new mechanism is a new module here and a variant of [`Node`].

pub(crate) mod area;
pub(crate) mod backoff;
pub(crate) mod breaker;
pub(crate) mod cache;
pub(crate) mod client;
pub(crate) mod contention;
pub(crate) mod database;
pub(crate) mod pool;
pub(crate) mod routes;
pub(crate) mod service;
pub(crate) mod source;
pub(crate) mod throttle;

use crate::engine::Recorder;
use crate::engine::edge::EdgeRecorder;
use crate::engine::events::EventQueue;

/// Index of a node in the topology.
pub(crate) type NodeId = u16;

/// Where an outcome goes back to: the node that sent a request and the
/// handle it gave it. Stale replies (an attempt that timed out, a server
/// that went down) are recognised by `generation`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ReplyTo {
    pub(crate) node: NodeId,
    pub(crate) handle: u32,
    pub(crate) generation: u32,
}

impl ReplyTo {
    /// Nobody waits for the outcome (open traffic sent straight to a service).
    pub(crate) const NOBODY: ReplyTo = ReplyTo {
        node: NodeId::MAX,
        handle: 0,
        generation: 0,
    };
}

/// How an attempt ended, as its sender learns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Served.
    Ok,
    /// Refused by a full queue.
    Rejected,
    /// Lost (a server went down, none was up) or answered with an error.
    Failed,
}

/// A request as it travels from one node to the next.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Call {
    /// The request's private seed: its work is drawn from it, so every
    /// attempt of one logical request costs the same.
    pub(crate) seed: u64,
    /// The key it names (`[keys]`), or [`NO_KEY`]. (It fits in the
    /// struct's padding: a call stays 24 bytes.)
    pub(crate) key: u32,
    /// Who gets the outcome.
    pub(crate) reply_to: ReplyTo,
}

/// The key of a request in a run without `[keys]`.
pub(crate) const NO_KEY: u32 = u32::MAX;

/// A request any server of its service may take.
pub(crate) const NO_PIN: u32 = u32::MAX;

/// Something a node scheduled for itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Signal {
    /// Service: a worker slot of server `server` finishes its work.
    Done {
        server: u32,
        slot: u16,
        generation: u32,
    },
    /// Service: fault number `.0` of the scenario starts.
    FaultStart(u32),
    /// Service: fault number `.0` of the scenario ends.
    FaultEnd(u32),
    /// Client: the attempt `generation` of logical request `call` times out.
    Timeout { call: u32, generation: u32 },
    /// Client: the backoff before the next attempt of `call` is over.
    Resend { call: u32, generation: u32 },
    /// Client: a request on the wire (`wire` slot) reaches the service.
    Delivered { wire: u32 },
    /// Client: a reply to attempt `generation` of `call` comes off the wire.
    Replied {
        call: u32,
        generation: u32,
        outcome: Outcome,
    },
    /// Source: closed client `user` has finished thinking.
    Think { user: u32 },
    /// Contention: client `client`'s read reaches the record.
    OccRead { client: u32 },
    /// Contention: the version the record had comes back to `client`.
    OccReadReply { client: u32, version: u32 },
    /// Contention: `client`'s write, conditional on `version`, reaches the
    /// record.
    OccWrite { client: u32, version: u32 },
    /// Contention: whether the write succeeded reaches `client`.
    OccWriteReply { client: u32, ok: bool },
    /// Cache: a hit's answer is ready (`hit_ms` later).
    CacheHit { handle: u32 },
    /// Pool: waiter `handle` (its `ticket`) gives up on a connection.
    AcquireTimeout { handle: u32, ticket: u32 },
    /// Database: the earliest CPU end scheduled at `generation` is due.
    CpuDone { generation: u32 },
    /// Database: query `query`'s disk work is done.
    DiskDone { query: u32 },
}

/// A signal for a node at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Event {
    pub(crate) node: NodeId,
    pub(crate) signal: Signal,
}

/// A message between nodes, delivered at the instant it was sent.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Message {
    /// A request for node `to`.
    /// `pin` names the server that must take it (a client that balances
    /// itself), or is [`NO_PIN`]. (It fits beside `to`: a message stays 32
    /// bytes.)
    Request { to: NodeId, pin: u32, call: Call },
    /// The outcome of a request, for its sender.
    Reply { to: ReplyTo, outcome: Outcome },
}

/// The messages sent at the current instant, delivered first sent, first
/// delivered. A plain vector read from the front and emptied once drained:
/// cheaper than a ring buffer, and it allocates nothing once it has grown.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    messages: Vec<Message>,
    /// The next message to deliver.
    head: usize,
}

impl Outbox {
    #[inline]
    fn push(&mut self, message: Message) {
        self.messages.push(message);
    }

    /// The next message to deliver; `None` (and an empty outbox) when all
    /// were delivered.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<Message> {
        match self.messages.get(self.head) {
            Some(&m) => {
                self.head += 1;
                Some(m)
            }
            None => {
                if self.head > 0 {
                    self.messages.clear();
                    self.head = 0;
                }
                None
            }
        }
    }
}

/// What a node may do while it handles a signal or a message.
pub(crate) struct Ctx {
    /// Now, engine seconds.
    pub(crate) now: f64,
    /// The node being run.
    pub(crate) me: NodeId,
    pub(crate) queue: EventQueue,
    pub(crate) outbox: Outbox,
    /// Statistics of the first service (attempts as it sees them).
    pub(crate) rec: Recorder,
    /// Statistics of logical requests at the edge client.
    pub(crate) edge: EdgeRecorder,
}

impl Ctx {
    /// Schedules `signal` for this node at `at` engine seconds.
    #[inline]
    pub(crate) fn schedule(&mut self, at: f64, signal: Signal) {
        self.queue.schedule(
            at,
            Event {
                node: self.me,
                signal,
            },
        );
    }

    /// Schedules `signal` for this node at `at`, a fixed delay after now
    /// (the node's events of this kind come due in the order scheduled):
    /// the same order as [`Ctx::schedule`], without the heap's cost.
    #[inline]
    pub(crate) fn schedule_fifo(&mut self, at: f64, signal: Signal) {
        self.queue.schedule_fifo(
            at,
            Event {
                node: self.me,
                signal,
            },
        );
    }

    /// Sends `call` to node `to` now.
    #[inline]
    pub(crate) fn send(&mut self, to: NodeId, call: Call) {
        self.send_pinned(to, NO_PIN, call);
    }

    /// Sends `call` to server `pin` of service `to` now ([`NO_PIN`]: any).
    #[inline]
    pub(crate) fn send_pinned(&mut self, to: NodeId, pin: u32, call: Call) {
        self.outbox.push(Message::Request { to, pin, call });
    }

    /// Tells `to` how its request ended (nothing if nobody waits).
    #[inline]
    pub(crate) fn reply(&mut self, to: ReplyTo, outcome: Outcome) {
        if to.node != NodeId::MAX {
            self.outbox.push(Message::Reply { to, outcome });
        }
    }
}

/// A component of the topology. Static dispatch: the run loop calls these
/// methods and each forwards to its kind's module.
///
/// `repr(u8)` gives the enum a plain tag: without it the tag hides in a
/// niche of the service's fields and each dispatch decodes it.
// A run has a handful of nodes, and the service is handled on every event:
// inline, not boxed, it saves a pointer chase per event.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
#[repr(u8)]
pub(crate) enum Node {
    /// Where requests come from.
    Source(source::Source),
    /// A caller's timeouts, retries and the rest.
    Client(Box<client::Client>),
    /// A balancer and its servers.
    Service(service::Service),
    /// Clients contending for one record.
    Contention(Box<contention::Contention>),
    /// A cache in front of a service.
    Cache(Box<cache::Cache>),
    /// A connection pool in front of a database.
    Pool(Box<pool::Pool>),
    /// A database's CPU and disks.
    Database(Box<database::Database>),
}

impl Node {
    /// The run begins (closed clients start thinking).
    pub(crate) fn start(&mut self, ctx: &mut Ctx) {
        match self {
            Node::Source(s) => s.start(ctx),
            Node::Contention(c) => c.start(ctx),
            _ => {}
        }
    }

    /// An open arrival now (the source): the request it sends.
    #[inline]
    pub(crate) fn arrive(&mut self, ctx: &mut Ctx) -> Option<Message> {
        match self {
            Node::Source(s) => Some(s.arrive(ctx)),
            _ => None,
        }
    }

    /// A signal this node scheduled is due.
    #[inline]
    pub(crate) fn handle(&mut self, signal: Signal, ctx: &mut Ctx) {
        match self {
            Node::Source(s) => s.handle(signal, ctx),
            Node::Client(c) => c.handle(signal, ctx),
            Node::Service(s) => s.handle(signal, ctx),
            Node::Contention(c) => c.handle(signal, ctx),
            Node::Cache(c) => c.handle(signal, ctx),
            Node::Pool(p) => p.handle(signal, ctx),
            Node::Database(d) => d.handle(signal, ctx),
        }
    }

    /// A request sent to this node arrives.
    #[inline]
    pub(crate) fn receive(&mut self, call: Call, pin: u32, ctx: &mut Ctx) {
        match self {
            Node::Source(_) | Node::Contention(_) => {}
            Node::Client(c) => c.receive(call, ctx),
            Node::Service(s) => s.receive(call, pin, ctx),
            Node::Cache(c) => c.receive(call, ctx),
            Node::Pool(p) => p.receive(call, ctx),
            Node::Database(d) => d.receive(call, ctx),
        }
    }

    /// The outcome of a request this node sent.
    #[inline]
    pub(crate) fn reply(&mut self, to: ReplyTo, outcome: Outcome, ctx: &mut Ctx) {
        match self {
            Node::Source(s) => s.reply(to, ctx),
            Node::Client(c) => c.reply(to, outcome, ctx),
            Node::Service(s) => s.reply(to, outcome, ctx),
            Node::Cache(c) => c.reply(to, outcome, ctx),
            Node::Pool(p) => p.reply(to, outcome, ctx),
            Node::Contention(_) | Node::Database(_) => {}
        }
    }

    /// Adds this node's totals and time series, up to `stop`, to a run's
    /// report (caches, pools and databases have their own; the front-most
    /// cache reports).
    pub(crate) fn report(
        &mut self,
        stop: f64,
        rec: &crate::engine::Recorder,
        summary: &mut crate::Summary,
        series: &mut crate::Series,
    ) {
        let len = series.t_s.len();
        match self {
            Node::Cache(c) if summary.cache.is_none() => {
                summary.cache = Some(c.summary());
                (series.cache_hit_ratio, series.cache_cost_miss_ratio) = c.series(len);
            }
            Node::Pool(p) => {
                let (pool, seconds, in_flight) = p.summary(stop, rec);
                // What is still in the pool when requests enter there
                // (zeros otherwise); without an edge client, logical
                // requests are these attempts, so theirs too.
                summary.request_seconds += seconds;
                summary.in_flight += in_flight;
                if summary.logical.in_flight == 0 {
                    summary.logical.in_flight = in_flight;
                }
                summary.pool = Some(pool);
                p.series(series, summary.duration_s);
            }
            Node::Database(d) => {
                let size = summary.pool.as_ref().map_or(0, |p| p.size);
                summary.database = Some(d.summary(stop, size));
                series.db_sessions = d.sessions(summary.duration_s);
                series.db_sessions.truncate(len);
            }
            _ => {}
        }
    }

    /// The servers of a service; none for other nodes.
    pub(crate) fn servers(&self) -> &[crate::server::Server] {
        match self {
            Node::Service(s) => &s.servers,
            _ => &[],
        }
    }

    /// The servers of a service, to update.
    pub(crate) fn servers_mut(&mut self) -> std::slice::IterMut<'_, crate::server::Server> {
        match self {
            Node::Service(s) => s.servers.iter_mut(),
            _ => [].iter_mut(),
        }
    }
}

/// A slab of values addressed by `u32` handles, reusing freed slots, so
/// the hot path allocates nothing once it has grown.
#[derive(Clone, Debug)]
pub(crate) struct Slab<T> {
    items: Vec<Option<T>>,
    free: Vec<u32>,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab {
            items: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<T> Slab<T> {
    pub(crate) fn insert(&mut self, value: T) -> u32 {
        match self.free.pop() {
            Some(i) => {
                self.items[i as usize] = Some(value);
                i
            }
            None => {
                self.items.push(Some(value));
                (self.items.len() - 1) as u32
            }
        }
    }

    pub(crate) fn get_mut(&mut self, handle: u32) -> Option<&mut T> {
        self.items.get_mut(handle as usize)?.as_mut()
    }

    pub(crate) fn remove(&mut self, handle: u32) -> Option<T> {
        let v = self.items.get_mut(handle as usize)?.take();
        if v.is_some() {
            self.free.push(handle);
        }
        v
    }

    /// The values held now.
    pub(crate) fn values(&self) -> impl Iterator<Item = &T> {
        self.items.iter().flatten()
    }
}

/// A seed derived from `seed` for the request that layer `layer` sends on
/// (splitmix64), so a request's work in every layer is fixed by its own seed.
pub(crate) fn derive_seed(seed: u64, layer: usize) -> u64 {
    let mut z = seed ^ (layer as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_stays_32_bytes_with_its_pin() {
        assert_eq!(std::mem::size_of::<Message>(), 32);
    }

    #[test]
    fn an_event_is_as_small_as_before_the_components() {
        // The heap holds (u128 key, Event): 32 bytes, as when the engine had
        // one fixed shape.
        assert_eq!(std::mem::size_of::<Event>(), 16);
    }

    #[test]
    fn a_slab_reuses_freed_handles() {
        let mut s = Slab::default();
        let a = s.insert(1);
        let b = s.insert(2);
        assert_eq!(s.remove(a), Some(1));
        assert_eq!(s.remove(a), None);
        assert_eq!(s.insert(3), a);
        assert_eq!(s.get_mut(b), Some(&mut 2));
        assert_eq!(s.values().count(), 2);
    }
}
