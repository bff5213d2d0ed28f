//! Builds the nodes of a run from a validated scenario.
//!
//! ```text
//!  node 0: Source ─> [edge Client] ─> [Cache] ─> Service 0 ─> [Client of layer 1] ─> Service 1 ─> …
//! ```
//! A cache always has an edge client before it (a plain one when the
//! scenario has no `[client]`), so logical requests, hits included, are
//! measured end to end; the first service records what reaches it.
//!
//! A `[pool]` and its `[database]` come last, called by the last service's
//! servers; without `[[servers]]` the pool takes the first service's place.
//!
//! Node ids follow that order, so services (and their servers) appear in
//! reports layer by layer. Every component draws from its own random
//! stream: the first service keeps the streams the engine had before it had
//! components, so scenarios without clients or layers give the same numbers.

use super::events::EventQueue;
use crate::arrivals::Arrivals;
use crate::components::cache::Cache;
use crate::components::cache::keys::{Popularity, costs};
use crate::components::client::{Client, Targets};
use crate::components::contention::Contention;
use crate::components::database::Database;
use crate::components::pool::Pool;
use crate::components::service::Service;
use crate::components::source::Source;
use crate::components::{Event, Node, NodeId, Signal};
use crate::rng::{RandomStream, Stream};
use crate::scenario::{Client as ClientSpec, ValidScenario};

/// The nodes of a run, with what they start with.
pub(super) struct Topology {
    pub(super) nodes: Vec<Node>,
    /// Open traffic's arrivals (kept out of the heap).
    pub(super) arrivals: Option<Arrivals>,
    /// The faults' start and end events.
    pub(super) queue: EventQueue,
    /// The edge client's node, if any.
    pub(super) edge_client: Option<NodeId>,
}

/// Stream numbers of components (see [`RandomStream::numbered`]).
fn stream(seed: u64, kind: u32, layer: usize) -> RandomStream {
    RandomStream::numbered(seed, kind * 64 + layer as u32)
}

pub(super) fn build(s: &ValidScenario) -> Topology {
    let sc = s.scenario();
    let seed = sc.seed;
    if let (Some(spec), Some(network)) = (&sc.contention, &s.contention_network) {
        let backoff = sc
            .client
            .as_ref()
            .map(|c| c.backoff.clone())
            .unwrap_or_default();
        return Topology {
            nodes: vec![Node::Contention(Box::new(Contention::new(
                spec,
                &backoff,
                network.clone(),
                stream(seed, 5, 0),
            )))],
            arrivals: None,
            queue: EventQueue::default(),
            edge_client: Some(0),
        };
    }
    let layers = 1 + sc.layers.len();
    let closed = sc.traffic.clients.is_some();
    // Queries straight to a pool: the pool stands where the first
    // service would, and records what enters the system.
    let bare = sc.servers.is_empty() && sc.pool.is_some();
    // Ids: source, then per layer an optional client, (the first) an
    // optional cache, and the service.
    let mut ids = 1..NodeId::MAX;
    let mut client_ids = Vec::with_capacity(layers);
    let mut service_ids = Vec::with_capacity(layers);
    let mut cache_ids = Vec::with_capacity(layers);
    for layer in 0..layers {
        let cached = sc.cache_of(layer).is_some();
        let has_client = sc.client_of(layer).is_some() || (layer == 0 && (closed || cached));
        client_ids.push(if has_client { ids.next() } else { None });
        cache_ids.push(if cached { ids.next() } else { None });
        service_ids.push(ids.next().unwrap_or(NodeId::MAX));
    }
    // The pool and the database behind the last service (or in its place).
    let pool_ids = sc.pool.as_ref().map(|_| {
        let pool = if bare {
            service_ids[0]
        } else {
            ids.next().unwrap_or(NodeId::MAX)
        };
        (pool, ids.next().unwrap_or(NodeId::MAX))
    });
    // What a layer's caller (its client, or the layer above) sends to: its
    // cache, if any, else the service.
    let target = |layer: usize| cache_ids[layer].unwrap_or(service_ids[layer]);
    let entry = |layer: usize| client_ids[layer].unwrap_or(target(layer));
    let any_cache = cache_ids.iter().any(Option::is_some);
    let warm = sc.warmup_s;
    let end = warm + sc.duration_s;
    let sizes = RandomStream::new(seed, Stream::Sizes);
    let (source, arrivals) = match (sc.traffic.clients, &s.think) {
        (Some(users), Some(think)) => (
            Source::closed(
                entry(0),
                sizes,
                users,
                think.clone(),
                RandomStream::new(seed, Stream::Arrivals),
            ),
            None,
        ),
        _ => (
            Source::open(entry(0), sizes),
            Some(Arrivals::new(
                sc,
                RandomStream::new(seed, Stream::Arrivals),
                end,
            )),
        ),
    };
    let mut source = source;
    source.all_at_once = sc.traffic.start == crate::scenario::Start::AllAtOnce;
    // Keys: the source names one per request; the first service works a
    // miss for its key's cost. A cache without `cost_ms` weighs every key
    // at the first group's mean work (its ratios are then the plain ones).
    // The popularity of each rank, computed once for the source and the
    // theory a cache reports.
    let popularity = sc
        .keys
        .as_ref()
        .map(|k| crate::theory::cache::zipf(k.count as usize, k.zipf))
        .unwrap_or_default();
    let key_costs = sc.keys.as_ref().map(|k| {
        source.keys = Some(Popularity::new(k, &popularity, warm));
        match &s.key_cost {
            Some(sampler) => costs(k.count, sampler, k.cost_order, stream(seed, 6, 0)),
            None => {
                let mean = sc
                    .servers
                    .first()
                    .map_or(0.0, |g| g.service_ms.mean_ms() / 1e3);
                vec![mean; k.count as usize].into()
            }
        }
    });
    let mut nodes = vec![Node::Source(source)];
    let default_client = ClientSpec::default();
    for (layer, client) in client_ids.iter().enumerate() {
        if client.is_some() {
            let spec = sc.client_of(layer).unwrap_or(&default_client);
            nodes.push(Node::Client(Box::new(Client::new(
                spec,
                s.networks[layer].clone(),
                Targets::new(target(layer), sc.groups(layer), spec),
                layer == 0,
                s.think.is_some(),
                stream(seed, 1, layer),
                warm,
            ))));
        }
        let policy_rng = match layer {
            0 => RandomStream::new(seed, Stream::Policy),
            n => stream(seed, 2, n),
        };
        if let (Some(spec), Some(costs)) = (sc.cache_of(layer), &key_costs) {
            let theory = sc
                .keys
                .as_ref()
                .filter(|k| spec.ttl_s.is_none() && k.shifts.is_empty())
                .and_then(|_| {
                    crate::theory::cache::predicted_hit_ratio(
                        &popularity,
                        spec.capacity as usize,
                        spec.eviction,
                    )
                });
            let bucket_s = sc.metrics.bucket_s;
            let buckets = (sc.duration_s / bucket_s).ceil() as usize;
            nodes.push(Node::Cache(Box::new(Cache::new(
                spec,
                service_ids[layer],
                costs.clone(),
                stream(seed, 7, 0),
                (warm, bucket_s, buckets),
                theory,
            ))));
        }
        if bare {
            break;
        }
        let downstream = match pool_ids {
            Some((pool, _)) if layer + 1 == layers => Some(pool),
            _ => (layer + 1 < layers).then(|| entry(layer + 1)),
        };
        let mut service = Service::new(
            sc,
            layer,
            s.samplers[layer].clone(),
            (policy_rng, stream(seed, 3, layer), stream(seed, 4, layer)),
            downstream,
        );
        // Key costs are the work behind a cache (the first service's when
        // there is no cache).
        let costly = if any_cache {
            cache_ids[layer].is_some()
        } else {
            layer == 0
        };
        if costly && s.key_cost.is_some() {
            service.key_costs = key_costs.clone();
        }
        nodes.push(Node::Service(service));
    }
    if let (Some(spec), Some(db), Some(work), Some((_, db_id))) =
        (&sc.pool, &sc.database, &s.query, pool_ids)
    {
        let bucket_s = sc.metrics.bucket_s;
        let buckets = (sc.duration_s / bucket_s).ceil() as usize;
        nodes.push(Node::Pool(Box::new(Pool::new(
            spec,
            db_id,
            stream(seed, 8, 0),
            bare,
            (warm, end, bucket_s, buckets),
        ))));
        nodes.push(Node::Database(Box::new(Database::new(
            db,
            work.clone(),
            (warm, end),
            (bucket_s, buckets),
        ))));
    }
    let mut queue = EventQueue::default();
    for (f, fault) in sc.faults.iter().enumerate() {
        if !fault.enabled {
            continue;
        }
        let node = service_ids[fault.layer];
        let at = warm + fault.at_s;
        queue.schedule(
            at,
            Event {
                node,
                signal: Signal::FaultStart(f as u32),
            },
        );
        if let Some(d) = fault.for_s {
            queue.schedule(
                at + d,
                Event {
                    node,
                    signal: Signal::FaultEnd(f as u32),
                },
            );
        }
    }
    Topology {
        nodes,
        arrivals,
        queue,
        edge_client: client_ids[0],
    }
}
