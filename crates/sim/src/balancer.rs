//! Load-balancing policies: which server gets the next request.
//!
//! Every policy skips servers that are down. Random choices come from the
//! run's [`Stream::Policy`](crate::rng::Stream) stream only, so changing the
//! policy never changes the traffic.
//!
//! A service may have several balancers routing at once (`balancers = N`),
//! each request going to one of them at random. With `view_refresh_ms`,
//! each sees the servers' load only as it was at its last refresh (the
//! balancers' refreshes are staggered): the stale information under which
//! "least loaded" sends every request of a refresh period, from every
//! balancer, to the same server.

use crate::rng::RandomStream;
use crate::scenario::{Balancer as BalancerSpec, Policy, ServerGroup};
use crate::server::Server;

/// A policy with its state.
#[derive(Clone, Debug)]
pub(crate) struct Balancer {
    policy: Policy,
    /// Round robin and least-connections tie-break: where the scan starts.
    cursor: usize,
    /// Smooth weighted round robin: static weights and running scores.
    weights: Vec<f64>,
    scores: Vec<f64>,
    /// Peak EWMA decay in seconds.
    decay: f64,
    /// Indices of servers that are up; rebuilt when a fault starts or ends.
    up: Vec<usize>,
    /// Round robin, alone with a live view: [`Balancer::pick`]'s inline path.
    plain_round_robin: bool,
    /// This balancer's stale view of the load, if it routes on one.
    view: Option<View>,
    /// The balancers routing beside this one, if any.
    others: Option<Box<Others>>,
}

/// The balancers beside the first, and which one each request goes to.
#[derive(Clone, Debug)]
struct Others {
    /// Balancers 1 to N - 1 (this one is balancer 0).
    more: Vec<Balancer>,
    rng: RandomStream,
}

/// A balancer's view of the load: each server's outstanding requests at
/// its last refresh.
#[derive(Clone, Debug)]
struct View {
    seen: Vec<usize>,
    period_s: f64,
    next_refresh: f64,
}

impl View {
    /// Re-reads the servers when a refresh is due at `now`.
    fn refresh(&mut self, servers: &[Server], now: f64) {
        if now < self.next_refresh {
            return;
        }
        for (seen, server) in self.seen.iter_mut().zip(servers) {
            *seen = server.outstanding();
        }
        let missed = ((now - self.next_refresh) / self.period_s).floor() + 1.0;
        self.next_refresh += missed * self.period_s;
    }
}

impl Balancer {
    /// The balancers of `spec` in front of `groups`; `assign` draws which of
    /// several takes each request.
    pub(crate) fn new(spec: &BalancerSpec, groups: &[ServerGroup], assign: RandomStream) -> Self {
        let mut first = Balancer::one(spec, groups, 0);
        if spec.balancers > 1 {
            first.plain_round_robin = false;
            first.others = Some(Box::new(Others {
                more: (1..spec.balancers)
                    .map(|b| Balancer::one(spec, groups, b))
                    .collect(),
                rng: assign,
            }));
        }
        first
    }

    /// Balancer number `index` of `spec.balancers`.
    fn one(spec: &BalancerSpec, groups: &[ServerGroup], index: u32) -> Self {
        let weights: Vec<f64> = groups
            .iter()
            .flat_map(|g| {
                let w = g.weight.unwrap_or(g.speed * f64::from(g.workers));
                std::iter::repeat_n(w, g.count as usize)
            })
            .collect();
        let n = weights.len();
        Balancer {
            policy: spec.policy,
            cursor: 0,
            scores: vec![0.0; n],
            weights,
            decay: spec.ewma_decay_s,
            up: (0..n).collect(),
            plain_round_robin: spec.policy == Policy::RoundRobin && spec.balancers == 1,
            view: (spec.view_refresh_ms > 0.0).then(|| {
                let period_s = spec.view_refresh_ms / 1e3;
                View {
                    seen: vec![0; n],
                    period_s,
                    // Staggered, so the balancers do not all refresh at once.
                    next_refresh: period_s * f64::from(index) / f64::from(spec.balancers),
                }
            }),
            others: None,
        }
    }

    /// Re-reads which servers are up.
    pub(crate) fn refresh(&mut self, servers: &[Server]) {
        self.up.clear();
        self.up
            .extend((0..servers.len()).filter(|&i| !servers[i].is_down()));
        for other in self.others.iter_mut().flat_map(|o| o.more.iter_mut()) {
            other.refresh(servers);
        }
    }

    /// Outstanding requests at server `i` as this balancer sees them.
    #[inline]
    fn load(&self, servers: &[Server], i: usize) -> usize {
        match &self.view {
            None => servers[i].outstanding(),
            Some(v) => v.seen[i],
        }
    }

    /// The server for a request arriving at `now`, or `None` when every
    /// server is down.
    #[inline]
    pub(crate) fn pick(
        &mut self,
        servers: &[Server],
        rng: &mut RandomStream,
        now: f64,
    ) -> Option<usize> {
        // Round robin's usual case, inline in the engine: the server at the
        // cursor is up.
        if self.plain_round_robin {
            let i = if self.cursor < servers.len() {
                self.cursor
            } else {
                0
            };
            if servers.get(i).is_some_and(|s| !s.is_down()) {
                self.cursor = i + 1;
                return Some(i);
            }
        }
        self.pick_any(servers, rng, now)
    }

    /// [`Balancer::pick`] for every policy and any number of balancers.
    #[inline(never)]
    fn pick_any(&mut self, servers: &[Server], rng: &mut RandomStream, now: f64) -> Option<usize> {
        if let Some(others) = &mut self.others {
            let b = others.rng.below(others.more.len() + 1);
            if let Some(other) = b.checked_sub(1).and_then(|k| others.more.get_mut(k)) {
                return other.pick_one(servers, rng, now);
            }
        }
        self.pick_one(servers, rng, now)
    }

    /// This balancer's pick, on its own view.
    fn pick_one(&mut self, servers: &[Server], rng: &mut RandomStream, now: f64) -> Option<usize> {
        if let Some(v) = &mut self.view {
            v.refresh(servers, now);
        }
        self.pick_policy(servers, rng, now)
    }

    /// The policy's pick.
    fn pick_policy(
        &mut self,
        servers: &[Server],
        rng: &mut RandomStream,
        now: f64,
    ) -> Option<usize> {
        let n = self.up.len();
        if n == 0 {
            return None;
        }
        Some(match self.policy {
            Policy::RoundRobin => {
                let i = self.next_up(servers);
                self.cursor = i + 1;
                i
            }
            Policy::WeightedRoundRobin => self.smooth_weighted(),
            Policy::Random => self.up[rng.below(n)],
            Policy::LeastConnections => self.least_connections(servers),
            Policy::PowerOfTwo => {
                let (a, b) = self.two_choices(rng);
                if self.load(servers, b) < self.load(servers, a) {
                    b
                } else {
                    a
                }
            }
            Policy::PeakEwma => {
                let (a, b) = self.two_choices(rng);
                let cost = |i: usize| {
                    let s = &servers[i];
                    s.decayed_ewma(now, 0.0, self.decay) * (self.load(servers, i) + 1) as f64
                };
                if cost(b) < cost(a) { b } else { a }
            }
        })
    }

    /// The first up server at or after the cursor, wrapping around.
    fn next_up(&self, servers: &[Server]) -> usize {
        let n = servers.len();
        let mut i = if self.cursor < n { self.cursor } else { 0 };
        for _ in 0..n {
            if !servers[i].is_down() {
                return i;
            }
            i = if i + 1 < n { i + 1 } else { 0 };
        }
        self.up[0]
    }

    /// nginx's smooth weighted round robin: every up server's score grows by
    /// its weight, the highest score wins and pays back the total.
    fn smooth_weighted(&mut self) -> usize {
        let mut total = 0.0;
        let mut best = self.up[0];
        for &i in &self.up {
            self.scores[i] += self.weights[i];
            total += self.weights[i];
            if self.scores[i] > self.scores[best] {
                best = i;
            }
        }
        self.scores[best] -= total;
        best
    }

    /// Fewest outstanding requests; ties go to the first found scanning from
    /// a cursor that moves past each winner, so ties rotate.
    fn least_connections(&mut self, servers: &[Server]) -> usize {
        let total = servers.len();
        let mut best: Option<usize> = None;
        for k in 0..total {
            let i = (self.cursor + k) % total;
            if servers[i].is_down() {
                continue;
            }
            if best.is_none_or(|b| self.load(servers, i) < self.load(servers, b)) {
                best = Some(i);
            }
        }
        let best = best.unwrap_or(self.up[0]);
        self.cursor = best + 1;
        best
    }

    /// Two distinct up servers drawn uniformly (the same one twice only when
    /// a single server is up).
    fn two_choices(&self, rng: &mut RandomStream) -> (usize, usize) {
        let n = self.up.len();
        if n == 1 {
            return (self.up[0], self.up[0]);
        }
        let a = rng.below(n);
        let mut b = rng.below(n - 1);
        if b >= a {
            b += 1;
        }
        (self.up[a], self.up[b])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;
    use crate::scenario::{Format, parse};

    fn setup(policy: &str, groups: &str) -> (Balancer, Vec<Server>) {
        let text = format!(
            "duration_s = 10\n[traffic]\nrate_rps = 1\n[balancer]\npolicy = \"{policy}\"\n{groups}"
        );
        let s = parse(&text, Format::Toml).expect("valid");
        let servers = s
            .scenario()
            .servers
            .iter()
            .enumerate()
            .flat_map(|(g, grp)| {
                (0..grp.count).map(move |i| Server::new(g, i, grp.workers, grp.speed, None, 0.1))
            })
            .collect();
        let sc = s.scenario();
        let assign = RandomStream::new(1, Stream::Arrivals);
        (Balancer::new(&sc.balancer, &sc.servers, assign), servers)
    }

    /// A request with no work, for filling servers.
    fn request() -> crate::server::Request {
        crate::server::Request {
            arrive: 0.0,
            work: 0.0,
            seed: 0,
            key: 0,
            reply_to: crate::components::ReplyTo::NOBODY,
        }
    }

    const SVC: &str = "service_ms = { dist = \"constant\", value = 1 }";

    #[test]
    fn smooth_weighted_round_robin_interleaves_like_nginx() {
        // nginx's example: weights 5, 1, 1 give a a b a c a a, not a a a a a b c.
        let groups = format!(
            "[[servers]]\ncount = 1\nworkers = 5\n{SVC}\n[[servers]]\ncount = 2\nworkers = 1\n{SVC}\n"
        );
        let (mut b, servers) = setup("weighted_round_robin", &groups);
        let mut rng = RandomStream::new(1, Stream::Policy);
        let picks: Vec<usize> = (0..7)
            .map(|_| b.pick(&servers, &mut rng, 0.0).expect("up"))
            .collect();
        assert_eq!(picks, vec![0, 0, 1, 0, 2, 0, 0]);
    }

    #[test]
    fn round_robin_skips_a_down_server() {
        let groups = format!("[[servers]]\ncount = 3\nworkers = 1\n{SVC}\n");
        let (mut b, mut servers) = setup("round_robin", &groups);
        servers[1].go_down();
        b.refresh(&servers);
        let mut rng = RandomStream::new(1, Stream::Policy);
        let picks: Vec<usize> = (0..4)
            .map(|_| b.pick(&servers, &mut rng, 0.0).expect("up"))
            .collect();
        assert_eq!(picks, vec![0, 2, 0, 2]);
    }

    #[test]
    fn no_server_is_picked_when_all_are_down() {
        let groups = format!("[[servers]]\ncount = 2\nworkers = 1\n{SVC}\n");
        let (mut b, mut servers) = setup("random", &groups);
        servers.iter_mut().for_each(|s| drop(s.go_down()));
        b.refresh(&servers);
        assert_eq!(
            b.pick(&servers, &mut RandomStream::new(1, Stream::Policy), 0.0),
            None
        );
    }

    #[test]
    fn a_stale_view_routes_on_the_load_of_its_last_refresh() {
        let groups = format!("[[servers]]\ncount = 2\nworkers = 1\n{SVC}\n");
        let (mut b, mut servers) = setup("least_connections", &groups);
        b.view = Some(View {
            seen: vec![0; 2],
            period_s: 1.0,
            next_refresh: 0.0,
        });
        let mut rng = RandomStream::new(1, Stream::Policy);
        let r = request();
        // Refreshed at 0 s: both empty; the tie goes to server 0.
        assert_eq!(b.pick(&servers, &mut rng, 0.0), Some(0));
        for _ in 0..5 {
            servers[1].admit(r, true);
        }
        // At 0.5 s the view is still empty, so the busy server 1 gets it...
        assert_eq!(b.pick(&servers, &mut rng, 0.5), Some(1));
        // ...and from the refresh at 1 s on, server 0.
        assert_eq!(b.pick(&servers, &mut rng, 1.0), Some(0));
        assert_eq!(b.pick(&servers, &mut rng, 1.2), Some(0));
    }

    #[test]
    fn least_connections_picks_the_emptiest_and_rotates_ties() {
        let groups = format!("[[servers]]\ncount = 3\nworkers = 1\n{SVC}\n");
        let (mut b, mut servers) = setup("least_connections", &groups);
        let mut rng = RandomStream::new(1, Stream::Policy);
        let r = request();
        servers[0].admit(r, true);
        assert_eq!(b.pick(&servers, &mut rng, 0.0), Some(1));
        assert_eq!(b.pick(&servers, &mut rng, 0.0), Some(2));
        assert_eq!(b.pick(&servers, &mut rng, 0.0), Some(1));
    }

    #[test]
    fn power_of_two_never_draws_the_same_server_twice() {
        let groups = format!("[[servers]]\ncount = 2\nworkers = 1\n{SVC}\n");
        let (b, _) = setup("power_of_two", &groups);
        let mut rng = RandomStream::new(9, Stream::Policy);
        for _ in 0..1000 {
            let (x, y) = b.two_choices(&mut rng);
            assert_ne!(x, y);
        }
    }
}
