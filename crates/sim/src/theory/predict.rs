//! What the formulas of [`crate::theory`] predict for a whole scenario, so
//! a run's summary (and a widget's stat rows) can put the theory value
//! beside the simulated one.
//!
//! ```text
//!  scenario ── open Poisson traffic at a fixed rate, one service,
//!              no client, no faults, one worker per server,
//!              the same work law on every server ──> Prediction
//!           ── anything else ──────────────────────> none (no formula)
//! ```
//! Servers may differ in speed. Values a formula cannot give (an unstable
//! queue, a law the formula does not cover) are `None`.

use serde::{Deserialize, Serialize};

use super::{
    mg1_wait_s, mm1_sojourn_s, mmc_wait_s, round_robin_sojourn_s, supermarket_sojourn,
    supermarket_tail,
};
use crate::dist::Sampler;
use crate::scenario::{Arrival, Policy, ValidScenario};

/// Queueing theory's values for a scenario. Times are mean times in
/// system (wait plus service) in milliseconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// Offered load over the fleet's capacity, ρ = λ E[S] / Σ speed.
    pub utilization: f64,
    /// Squared coefficient of variation of the work (variance over mean
    /// squared): 1 for exponential work, 0 for constant.
    pub work_scv: f64,
    /// Pollaczek–Khinchine's factor `(1 + c²) / 2`: the queueing wait
    /// relative to exponential work of the same mean at the same load.
    pub pk_factor: f64,
    /// The arrival rate above which plain round robin overloads the
    /// slowest server (it gets `1/n` of the traffic whatever its speed).
    pub round_robin_limit_rps: f64,
    /// The slowest server's utilisation under plain round robin; at 1 or
    /// more its queue grows without bound.
    pub round_robin_max_utilization: f64,
    /// The scenario's own policy, where a formula exists: random (M/G/1
    /// per server), round robin (E_n/M/1), two choices (the supermarket
    /// model, infinitely many servers), one multi-worker server (M/M/c).
    pub policy_ms: Option<f64>,
    /// One random server per request: each server an M/G/1 queue.
    pub random_ms: Option<f64>,
    /// Plain round robin with exponential work: each server E_n/M/1.
    pub round_robin_ms: Option<f64>,
    /// Two random choices on identical servers with exponential work (the
    /// supermarket model; a finite fleet does a little worse).
    pub two_choices_ms: Option<f64>,
    /// One shared queue feeding every server (M/M/c): no balancer that
    /// routes on arrival does better on identical servers.
    pub shared_queue_ms: Option<f64>,
    /// Traffic split at random in proportion to speed, so every server has
    /// the same utilisation (M/G/1 per server).
    pub proportional_ms: Option<f64>,
    /// The best static random split with exponential work (the square-root
    /// rule: each server's spare capacity proportional to √μ).
    pub square_root_ms: Option<f64>,
    /// The share of servers holding 5 or more requests with one random
    /// choice (`ρ⁵`), identical servers with exponential work.
    pub random_queue5_share: Option<f64>,
    /// The same share with two random choices (the supermarket model,
    /// `ρ^(2⁵ − 1)`): the doubly exponential tail.
    pub two_choices_queue5_share: Option<f64>,
    /// Per server group, in scenario order.
    pub groups: Vec<GroupPrediction>,
}

/// The theory of one server group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupPrediction {
    /// The group's name.
    pub name: String,
    /// Utilisation of each of its servers under plain round robin.
    pub round_robin_utilization: f64,
    /// Mean time in system of one of its servers when traffic is split in
    /// proportion to speed (every server at the fleet's utilisation).
    pub proportional_ms: Option<f64>,
}

/// The prediction for `valid`, or `None` when no formula describes it.
pub fn predict(valid: &ValidScenario) -> Option<Prediction> {
    let sc = valid.scenario();
    let t = &sc.traffic;
    let lambda = t.rate_rps?;
    let steady = t.clients.is_none()
        && t.arrival == Arrival::Poisson
        && t.changes.iter().all(|c| !c.enabled)
        && sc.layers.is_empty()
        && sc.pool.is_none()
        && sc.client.is_none()
        && sc.faults.iter().all(|f| !f.enabled)
        // Shares route by group, which no formula here describes.
        && sc.servers.iter().all(|g| g.share.is_none());
    let groups = &sc.servers;
    let plain = groups
        .iter()
        .all(|g| g.queue_capacity.is_none() && g.slowdown_per_active == 0.0);
    let samplers = valid.samplers.first()?;
    let (mean, second) = samplers.first()?.moments();
    let same_law = samplers.iter().all(|s| s.moments() == (mean, second));
    if !(steady && plain && same_law && lambda > 0.0 && mean > 0.0) {
        return None;
    }
    let exponential = samplers
        .iter()
        .all(|s| matches!(s, Sampler::Exponential(_)));
    let scv = (second / (mean * mean) - 1.0).max(0.0);
    let workers: u32 = groups.iter().map(|g| g.count * g.workers).sum();
    let n: u32 = groups.iter().map(|g| g.count).sum();
    if n == 1 && workers > 1 {
        return Some(one_pool(
            lambda,
            groups[0].speed / mean,
            workers,
            scv,
            exponential,
        ));
    }
    if workers != n {
        return None;
    }
    // Service rate of every server, per second.
    let mu: Vec<f64> = groups
        .iter()
        .flat_map(|g| std::iter::repeat_n(g.speed / mean, g.count as usize))
        .collect();
    let capacity: f64 = mu.iter().sum();
    let slowest = mu.iter().copied().fold(f64::INFINITY, f64::min);
    let nf = f64::from(n);
    let share = lambda / nf;
    let identical = mu.iter().all(|&m| m == mu[0]);
    let balancer = &sc.balancer;
    let one_live_view = balancer.balancers == 1 && balancer.view_refresh_ms == 0.0;
    // M/G/1 time in system of a server of rate `m` fed `l` per second.
    let mg1 = |l: f64, m: f64| Some(mg1_wait_s(l, 1.0 / m, scv)? + 1.0 / m);
    let mean_of = |each: &mut dyn Iterator<Item = Option<f64>>| {
        each.sum::<Option<f64>>().map(|s| 1e3 * s / nf)
    };
    let random_ms = mean_of(&mut mu.iter().map(|&m| mg1(share, m)));
    let round_robin_ms = exponential
        .then(|| mean_of(&mut mu.iter().map(|&m| round_robin_sojourn_s(n, lambda, m))))
        .flatten();
    let proportional_ms = mu
        .iter()
        .map(|&m| Some(m / capacity * mg1(lambda * m / capacity, m)?))
        .sum::<Option<f64>>()
        .map(|s| 1e3 * s);
    let homogeneous = identical && exponential;
    let rho = lambda / capacity;
    let (two_choices_ms, shared_queue_ms) = if homogeneous {
        let m = mu[0];
        (
            supermarket_sojourn(2, rho).map(|t| 1e3 * t / m),
            mmc_wait_s(n, lambda, m).map(|w| 1e3 * (w + 1.0 / m)),
        )
    } else {
        (None, None)
    };
    let tail = |d| homogeneous.then(|| supermarket_tail(d, rho, 5)).flatten();
    let equal_weights = groups.iter().all(|g| g.weight.is_none()) && identical;
    let policy_ms = match balancer.policy {
        Policy::Random => random_ms,
        Policy::RoundRobin if balancer.balancers == 1 => round_robin_ms,
        Policy::WeightedRoundRobin if balancer.balancers == 1 && equal_weights => round_robin_ms,
        Policy::PowerOfTwo if one_live_view => two_choices_ms,
        _ => None,
    };
    let utilization = lambda / capacity;
    Some(Prediction {
        utilization,
        work_scv: scv,
        pk_factor: (1.0 + scv) / 2.0,
        round_robin_limit_rps: nf * slowest,
        round_robin_max_utilization: share / slowest,
        policy_ms,
        random_ms,
        round_robin_ms,
        two_choices_ms,
        shared_queue_ms,
        proportional_ms,
        square_root_ms: exponential.then(|| square_root_ms(lambda, &mu)).flatten(),
        random_queue5_share: tail(1),
        two_choices_queue5_share: tail(2),
        groups: groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let m = g.speed / mean;
                GroupPrediction {
                    name: g.name.clone().unwrap_or_else(|| format!("group-{i}")),
                    round_robin_utilization: share / m,
                    proportional_ms: mg1(utilization * m, m).map(|s| 1e3 * s),
                }
            })
            .collect(),
    })
}

/// One server with `c` workers sharing its queue.
fn one_pool(lambda: f64, mu: f64, c: u32, scv: f64, exponential: bool) -> Prediction {
    let shared = exponential
        .then(|| mmc_wait_s(c, lambda, mu).map(|w| 1e3 * (w + 1.0 / mu)))
        .flatten();
    let utilization = lambda / (f64::from(c) * mu);
    Prediction {
        utilization,
        work_scv: scv,
        pk_factor: (1.0 + scv) / 2.0,
        round_robin_limit_rps: f64::from(c) * mu,
        round_robin_max_utilization: utilization,
        policy_ms: shared,
        shared_queue_ms: shared,
        ..Prediction::default()
    }
}

/// Mean time in system, ms, of the best static random split of `lambda`
/// over M/M/1 servers of rates `mu`: server i gets `μᵢ − √μᵢ · s`, where
/// the slack `s` makes the shares add up; servers too slow to earn a
/// positive share get none.
fn square_root_ms(lambda: f64, mu: &[f64]) -> Option<f64> {
    let mut fastest = mu.to_vec();
    fastest.sort_by(|a, b| b.total_cmp(a));
    for k in (1..=fastest.len()).rev() {
        let used = &fastest[..k];
        let spare = used.iter().sum::<f64>() - lambda;
        if spare <= 0.0 {
            return None;
        }
        let slack = spare / used.iter().map(|m| m.sqrt()).sum::<f64>();
        if used[k - 1] - used[k - 1].sqrt() * slack < 0.0 {
            continue;
        }
        let in_system: f64 = used
            .iter()
            .map(|&m| {
                let l = m - m.sqrt() * slack;
                l * mm1_sojourn_s(l, m).unwrap_or(0.0)
            })
            .sum();
        return Some(1e3 * in_system / lambda);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prediction(toml: &str) -> Option<Prediction> {
        let toml = format!("duration_s = 60\n{toml}");
        let valid = crate::parse(&toml, crate::Format::Toml).expect("valid");
        predict(&valid)
    }

    fn close(got: Option<f64>, want: f64, tol: f64) {
        let got = got.expect("a value");
        assert!((got - want).abs() <= tol * want.abs(), "{got} vs {want}");
    }

    const TWO_AM: &str = r#"
        [traffic]
        rate_rps = 140
        [[servers]]
        name = "fast"
        count = 3
        workers = 1
        speed = 1.5
        service_ms = { dist = "exponential", mean = 50 }
        [[servers]]
        name = "normal"
        count = 4
        workers = 1
        service_ms = { dist = "exponential", mean = 50 }
        [[servers]]
        name = "legacy"
        count = 3
        workers = 1
        speed = 0.5
        service_ms = { dist = "exponential", mean = 50 }
    "#;

    #[test]
    fn the_2am_fleet_is_70_percent_busy_but_round_robin_gives_legacy_140_percent() {
        let p = prediction(TWO_AM).expect("a formula applies");
        close(Some(p.utilization), 0.7, 1e-12);
        close(Some(p.round_robin_max_utilization), 1.4, 1e-12);
        close(Some(p.round_robin_limit_rps), 100.0, 1e-12);
        assert_eq!(
            (p.round_robin_ms, p.random_ms, p.policy_ms),
            (None, None, None)
        );
        close(Some(p.groups[2].round_robin_utilization), 1.4, 1e-12);
        close(
            Some(p.groups[0].round_robin_utilization),
            14.0 / 30.0,
            1e-12,
        );
    }

    #[test]
    fn equal_utilisation_gives_the_slow_box_three_times_the_time_in_system() {
        // Split by speed, every box is 70% busy: 1 / (μ (1 − 0.7)).
        let p = prediction(TWO_AM).expect("a formula applies");
        close(p.groups[0].proportional_ms, 1e3 / 9.0, 1e-12);
        close(p.groups[2].proportional_ms, 1e3 / 3.0, 1e-12);
        // Little: 10 servers × 0.7/0.3 in system over 140 req/s.
        close(p.proportional_ms, 1e3 * 70.0 / 3.0 / 140.0, 1e-12);
        // The square-root rule does better, by sending legacy less.
        let best = p.square_root_ms.expect("stable");
        assert!(best < p.proportional_ms.expect("stable") - 5.0, "{best}");
        close(Some(best), 157.0, 0.01);
    }

    #[test]
    fn twenty_identical_servers_at_90_percent_match_the_textbook_values() {
        let p = prediction(
            r#"
            [traffic]
            rate_rps = 180
            [balancer]
            policy = "power_of_two"
            [[servers]]
            count = 20
            workers = 1
            service_ms = { dist = "exponential", mean = 100 }
            "#,
        )
        .expect("a formula applies");
        close(p.random_ms, 1000.0, 1e-12);
        close(p.two_choices_ms, 261.405_7, 1e-6);
        assert_eq!(p.policy_ms, p.two_choices_ms);
        let shared = p.shared_queue_ms.expect("stable");
        let rr = p.round_robin_ms.expect("stable");
        assert!(
            100.0 < shared && shared < rr && rr < 1000.0,
            "{shared} {rr}"
        );
        assert_eq!(p.groups[0].name, "group-0");
        close(p.random_queue5_share, 0.59049, 1e-12);
        close(p.two_choices_queue5_share, libm::pow(0.9, 31.0), 1e-12);
    }

    #[test]
    fn a_mix_of_cheap_and_costly_work_multiplies_the_wait_by_its_pk_factor() {
        // 9 of 10 requests cost 20 ms, 1 costs 320 ms, each exponential:
        // E[S²] = 0.9·2·20² + 0.1·2·320² = 21,200 ms², E[S] = 50 ms.
        let p = prediction(
            r#"
            [traffic]
            rate_rps = 14
            [balancer]
            policy = "random"
            [[servers]]
            count = 1
            workers = 1
            service_ms = { dist = "mixture", parts = [ { weight = 9, dist = "exponential", mean = 20 }, { weight = 1, dist = "exponential", mean = 320 } ] }
            "#,
        )
        .expect("a formula applies");
        close(Some(p.work_scv), 21_200.0 / 2_500.0 - 1.0, 1e-12);
        close(Some(p.pk_factor), 4.24, 1e-12);
        // One server at ρ = 0.7: W = 0.7 · 50 · 4.24 / 0.3 ms.
        close(p.policy_ms, 50.0 + 0.7 * 50.0 * 4.24 / 0.3, 1e-12);
        assert_eq!((p.round_robin_ms, p.two_choices_ms), (None, None));
    }

    #[test]
    fn one_server_with_ten_workers_is_m_m_10() {
        let p = prediction(
            r#"
            [traffic]
            rate_rps = 90
            [[servers]]
            count = 1
            workers = 10
            service_ms = { dist = "exponential", mean = 100 }
            "#,
        )
        .expect("a formula applies");
        let want = 1e3 * (mmc_wait_s(10, 90.0, 10.0).expect("stable") + 0.1);
        close(p.policy_ms, want, 1e-12);
    }

    #[test]
    fn faults_spikes_clients_and_stale_views_have_no_formula_for_their_policy() {
        let base = "[traffic]\nrate_rps = 5\n[[servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"exponential\", mean = 100 }\n";
        for extra in [
            "[[faults]]\ngroup = 0\nkind = \"down\"\nat_s = 1\n",
            "[client]\ntimeout_ms = 100\n",
        ] {
            assert_eq!(prediction(&format!("{base}{extra}")), None, "{extra}");
        }
        let spike = "[traffic]\nrate_rps = 5\nchanges = [{ at_s = 1, rate_rps = 9 }]\n[[servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"exponential\", mean = 100 }\n";
        assert_eq!(prediction(spike), None);
        let stale = "[traffic]\nrate_rps = 50\n[balancer]\npolicy = \"power_of_two\"\nbalancers = 4\n[[servers]]\ncount = 10\nworkers = 1\nservice_ms = { dist = \"exponential\", mean = 100 }\n";
        let p = prediction(stale).expect("a formula applies");
        assert!(p.policy_ms.is_none() && p.two_choices_ms.is_some());
    }
}
