//! Builds the nodes of a run from a validated scenario.
//!
//! ```text
//!  node 0: Source ─> [edge Client] ─> Service 0 ─> [Client of layer 1] ─> Service 1 ─> …
//! ```
//!
//! Node ids follow that order, so services (and their servers) appear in
//! reports layer by layer. Every component draws from its own random
//! stream: the first service keeps the streams the engine had before it had
//! components, so scenarios without clients or layers give the same numbers.

use super::events::EventQueue;
use crate::arrivals::Arrivals;
use crate::components::client::Client;
use crate::components::contention::Contention;
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
    // Ids: source, then per layer an optional client and the service.
    let mut ids = 1..NodeId::MAX;
    let mut client_ids = Vec::with_capacity(layers);
    let mut service_ids = Vec::with_capacity(layers);
    for layer in 0..layers {
        let has_client = sc.client_of(layer).is_some() || (layer == 0 && closed);
        client_ids.push(if has_client { ids.next() } else { None });
        service_ids.push(ids.next().unwrap_or(NodeId::MAX));
    }
    let entry = |layer: usize| client_ids[layer].unwrap_or(service_ids[layer]);
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
    let mut nodes = vec![Node::Source(source)];
    let default_client = ClientSpec::default();
    for layer in 0..layers {
        if client_ids[layer].is_some() {
            let spec = sc.client_of(layer).unwrap_or(&default_client);
            nodes.push(Node::Client(Box::new(Client::new(
                spec,
                s.networks[layer].clone(),
                service_ids[layer],
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
        nodes.push(Node::Service(Service::new(
            sc,
            layer,
            s.samplers[layer].clone(),
            (policy_rng, stream(seed, 3, layer), stream(seed, 4, layer)),
            (layer + 1 < layers).then(|| entry(layer + 1)),
        )));
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
