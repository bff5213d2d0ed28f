//! Load-balancing policies: which server gets the next request.
//!
//! Every policy skips servers that are down. Random choices come from the
//! run's [`Stream::Policy`](crate::rng::Stream) stream only, so changing the
//! policy never changes the traffic.

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
}

impl Balancer {
    pub(crate) fn new(spec: &BalancerSpec, groups: &[ServerGroup]) -> Self {
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
        }
    }

    /// Re-reads which servers are up.
    pub(crate) fn refresh(&mut self, servers: &[Server]) {
        self.up.clear();
        self.up
            .extend((0..servers.len()).filter(|&i| !servers[i].is_down()));
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
        if self.policy == Policy::RoundRobin {
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

    /// [`Balancer::pick`] for every policy.
    #[inline(never)]
    fn pick_any(&mut self, servers: &[Server], rng: &mut RandomStream, now: f64) -> Option<usize> {
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
                if servers[b].outstanding() < servers[a].outstanding() {
                    b
                } else {
                    a
                }
            }
            Policy::PeakEwma => {
                let (a, b) = self.two_choices(rng);
                let cost = |i: usize| {
                    let s = &servers[i];
                    s.decayed_ewma(now, 0.0, self.decay) * (s.outstanding() + 1) as f64
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
            if best.is_none_or(|b| servers[i].outstanding() < servers[b].outstanding()) {
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
        (Balancer::new(&sc.balancer, &sc.servers), servers)
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
    fn least_connections_picks_the_emptiest_and_rotates_ties() {
        let groups = format!("[[servers]]\ncount = 3\nworkers = 1\n{SVC}\n");
        let (mut b, mut servers) = setup("least_connections", &groups);
        let mut rng = RandomStream::new(1, Stream::Policy);
        let r = crate::server::Request {
            arrive: 0.0,
            work: 0.0,
            seed: 0,
            reply_to: crate::components::ReplyTo::NOBODY,
        };
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
