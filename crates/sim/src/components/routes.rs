//! A service's server groups as dependencies of their own (`[[servers]]
//! share`): each logical request belongs to one group, fixed by its seed,
//! and a balancer per group spreads it over that group's servers.
//!
//! ```text
//!  request ──(seed → group by share)──┬──> group 0's balancer ──> its servers
//!                                     └──> group 1's balancer ──> its servers
//! ```
//!
//! The client that calls the service reads the same group from the same
//! seed, so it can keep one circuit breaker per dependency.

use std::rc::Rc;

use super::derive_seed;
use crate::balancer::Balancer;
use crate::rng::RandomStream;
use crate::scenario::{Balancer as BalancerSpec, ServerGroup};
use crate::server::Server;

/// The "layer" under which a request's group is derived from its seed: far
/// from real layer numbers, so it draws nothing else's numbers.
const ROUTE_SALT: usize = 1 << 20;

/// The group of a request with `seed`, given the groups' cumulative shares
/// (the last is 1).
#[inline]
pub(crate) fn dependency(seed: u64, cumulative: &[f64]) -> usize {
    let u = crate::rng::unit_from_bits(derive_seed(seed, ROUTE_SALT));
    cumulative
        .iter()
        .position(|&c| u < c)
        .unwrap_or(cumulative.len().saturating_sub(1))
}

/// One balancer per group, each over its group's servers.
#[derive(Debug)]
pub(crate) struct Routes {
    cumulative: Rc<[f64]>,
    /// The first server of each group, and one past the last server.
    bounds: Vec<usize>,
    balancers: Vec<Balancer>,
}

impl Routes {
    /// The routes of `groups` with shares `cumulative`; group `g`'s
    /// balancers draw which of several takes a request from `assign(g)`.
    pub(crate) fn new(
        spec: &BalancerSpec,
        groups: &[ServerGroup],
        cumulative: Rc<[f64]>,
        assign: impl Fn(usize) -> RandomStream,
    ) -> Self {
        let bounds = crate::scenario::group_bounds(groups)
            .into_iter()
            .map(|b| b as usize)
            .collect();
        let balancers = (0..groups.len())
            .map(|g| Balancer::new(spec, &groups[g..=g], assign(g)))
            .collect();
        Routes {
            cumulative,
            bounds,
            balancers,
        }
    }

    /// The server for a request with `seed`, or `None` when every server
    /// of its group is down.
    pub(crate) fn pick(
        &mut self,
        seed: u64,
        servers: &[Server],
        rng: &mut RandomStream,
        now: f64,
    ) -> Option<usize> {
        let g = dependency(seed, &self.cumulative);
        let (lo, hi) = (self.bounds[g], self.bounds[g + 1]);
        self.balancers[g]
            .pick(&servers[lo..hi], rng, now)
            .map(|i| lo + i)
    }

    /// Re-reads which servers are up.
    pub(crate) fn refresh(&mut self, servers: &[Server]) {
        for (g, b) in self.balancers.iter_mut().enumerate() {
            b.refresh(&servers[self.bounds[g]..self.bounds[g + 1]]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_split_by_share_within_half_a_percent() {
        let cumulative = [0.2, 0.5, 1.0];
        let mut counts = [0u32; 3];
        let n = 200_000u64;
        for seed in 0..n {
            counts[dependency(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15), &cumulative)] += 1;
        }
        for (count, share) in counts.iter().zip([0.2, 0.3, 0.5]) {
            let got = f64::from(*count) / n as f64;
            assert!((got - share).abs() < 0.005, "{got} vs {share}");
        }
    }

    #[test]
    fn one_group_takes_everything() {
        assert!((0..1000).all(|seed| dependency(seed, &[1.0]) == 0));
    }
}
