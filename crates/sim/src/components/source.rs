//! Where requests come from: open traffic (arrivals at a rate, whatever
//! happens downstream) or a closed population of clients, each sending its
//! next request only after its previous one ended and it thought a while.
//!
//! Open arrivals are kept out of the event heap: the run loop asks
//! [`Arrivals`] for the next time and calls [`Source::arrive`].

use super::cache::keys::Popularity;
use super::{Call, Ctx, Message, NO_KEY, NodeId, ReplyTo, Signal};
use crate::dist::Sampler;
use crate::rng::RandomStream;

/// The traffic of a scenario.
#[derive(Debug)]
pub(crate) struct Source {
    /// The node the requests go to (a client, or the first service).
    target: NodeId,
    /// Per-request seeds.
    sizes: RandomStream,
    /// Closed traffic: think times and their stream.
    think: Option<(Sampler, RandomStream)>,
    /// Closed traffic: the number of clients.
    users: u32,
    /// Which key each request names (`[keys]`).
    pub(crate) keys: Option<Popularity>,
    /// Closed traffic: every client sends its first request at time 0.
    pub(crate) all_at_once: bool,
}

impl Source {
    /// Open traffic into `target`.
    pub(crate) fn open(target: NodeId, sizes: RandomStream) -> Self {
        Source {
            target,
            sizes,
            think: None,
            users: 0,
            keys: None,
            all_at_once: false,
        }
    }

    /// `users` closed clients thinking for `think` between requests.
    pub(crate) fn closed(
        target: NodeId,
        sizes: RandomStream,
        users: u32,
        think: Sampler,
        rng: RandomStream,
    ) -> Self {
        Source {
            target,
            sizes,
            think: Some((think, rng)),
            users,
            keys: None,
            all_at_once: false,
        }
    }

    /// The key of a request with `seed` arriving at `now`.
    #[inline]
    fn key(&self, seed: u64, now: f64) -> u32 {
        self.keys.as_ref().map_or(NO_KEY, |k| k.key(seed, now))
    }

    /// Closed traffic: every client starts by thinking, or (`start =
    /// "all_at_once"`) by sending.
    pub(crate) fn start(&mut self, ctx: &mut Ctx) {
        for user in 0..self.users {
            if self.all_at_once {
                self.handle(Signal::Think { user }, ctx);
            } else {
                self.think(user, ctx);
            }
        }
    }

    fn think(&mut self, user: u32, ctx: &mut Ctx) {
        if let Some((sampler, rng)) = &mut self.think {
            let t = ctx.now + sampler.sample(rng);
            ctx.schedule(t, Signal::Think { user });
        }
    }

    /// An open arrival now: the request to send, returned rather than
    /// sent (it is the arrival's one message).
    #[inline]
    pub(crate) fn arrive(&mut self, ctx: &mut Ctx) -> Message {
        let seed = self.sizes.next_u64();
        let call = Call {
            seed,
            key: self.key(seed, ctx.now),
            reply_to: ReplyTo::NOBODY,
        };
        Message::Request {
            to: self.target,
            pin: super::NO_PIN,
            call,
        }
    }

    /// A closed client's think time is over: it sends its next request.
    pub(crate) fn handle(&mut self, signal: Signal, ctx: &mut Ctx) {
        if let Signal::Think { user } = signal {
            let seed = self.sizes.next_u64();
            let call = Call {
                seed,
                key: self.key(seed, ctx.now),
                reply_to: ReplyTo {
                    node: ctx.me,
                    handle: user,
                    generation: 0,
                },
            };
            ctx.send(self.target, call);
        }
    }

    /// A closed client's request ended: it thinks, then sends the next.
    pub(crate) fn reply(&mut self, to: ReplyTo, ctx: &mut Ctx) {
        self.think(to.handle, ctx);
    }
}
