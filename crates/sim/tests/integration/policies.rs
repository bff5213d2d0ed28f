//! The balancer policies on the mixed fleet of article 1: round robin melts
//! the slow servers, policies that look at live state do not.

use brownout_sim::{Format, Limits, Policy, parse, simulate};

/// 3 fast (speed 1.5), 4 normal, 3 legacy (speed 0.5) single-worker servers;
/// capacity 3 x 1.5 + 4 + 3 x 0.5 = 10 requests per 100 ms, so 70 rps is
/// 70 % of the fleet but 140 % of a legacy box's share under round robin.
fn fleet(policy: Policy) -> String {
    format!(
        r#"seed = 2
duration_s = 600
warmup_s = 60
[traffic]
rate_rps = 70
[balancer]
policy = "{}"
[[servers]]
name = "fast"
count = 3
workers = 1
speed = 1.5
service_ms = {{ dist = "exponential", mean = 100 }}
[[servers]]
name = "normal"
count = 4
workers = 1
service_ms = {{ dist = "exponential", mean = 100 }}
[[servers]]
name = "legacy"
count = 3
workers = 1
speed = 0.5
service_ms = {{ dist = "exponential", mean = 100 }}
"#,
        policy.name()
    )
}

fn run(policy: Policy) -> brownout_sim::RunResult {
    let s = parse(&fleet(policy), Format::Toml).expect("valid fleet");
    simulate(&s, Limits::default())
}

#[test]
fn round_robin_overloads_legacy_servers_at_70_percent_load() {
    let r = run(Policy::RoundRobin).summary;
    let legacy = &r.servers[7];
    let fast = &r.servers[0];
    assert_eq!(legacy.name, "legacy");
    assert!(
        legacy.utilization > 0.99,
        "legacy busy {}",
        legacy.utilization
    );
    assert!(
        legacy.mean_queue > 100.0,
        "legacy queue {}",
        legacy.mean_queue
    );
    assert!(fast.utilization < 0.5, "fast busy {}", fast.utilization);
}

#[test]
fn weights_and_live_state_policies_cut_p99_tenfold_but_only_live_state_gets_under_a_second() {
    let rr = run(Policy::RoundRobin).summary.latency_ms.p99;
    assert!(rr > 10_000.0, "round robin p99 {rr} ms");
    // Weights and power of two fix the meltdown, but a legacy box still
    // serves some requests at half speed: p99 stays above a second.
    for p in [Policy::WeightedRoundRobin, Policy::PowerOfTwo] {
        let p99 = run(p).summary.latency_ms.p99;
        assert!(
            p99 < rr / 10.0 && p99 > 1_000.0,
            "{} p99 {p99} ms",
            p.name()
        );
    }
    for p in [Policy::LeastConnections, Policy::PeakEwma] {
        let p99 = run(p).summary.latency_ms.p99;
        assert!(p99 < 1_000.0, "{} p99 {p99} ms", p.name());
    }
}

#[test]
fn changing_the_policy_leaves_the_traffic_identical() {
    let base = run(Policy::RoundRobin);
    for p in Policy::ALL {
        let r = run(p);
        assert_eq!(r.summary.arrivals, base.summary.arrivals, "{}", p.name());
        assert_eq!(
            r.series.arrivals_rps,
            base.series.arrivals_rps,
            "{}",
            p.name()
        );
    }
}

#[test]
fn weighted_round_robin_sends_work_in_proportion_to_speed() {
    let r = run(Policy::WeightedRoundRobin).summary;
    let total: u64 = r.servers.iter().map(|s| s.completed).sum();
    let fast_share = r.servers[0].completed as f64 / total as f64;
    let legacy_share = r.servers[9].completed as f64 / total as f64;
    // Weights 1.5 : 1 : 0.5 over a total weight of 10.
    assert!((fast_share - 0.15).abs() < 0.003, "fast share {fast_share}");
    assert!(
        (legacy_share - 0.05).abs() < 0.003,
        "legacy share {legacy_share}"
    );
}

/// Ten single-worker servers at 85 % load behind `balancers` balancers whose
/// view of the load is `refresh_ms` old.
fn stale(policy: Policy, seed: u64, balancers: u32, refresh_ms: f64) -> brownout_sim::Summary {
    let text = format!(
        "seed = {seed}\nduration_s = 600\nwarmup_s = 60\n[traffic]\nrate_rps = 85\n\
         [balancer]\npolicy = \"{}\"\nbalancers = {balancers}\nview_refresh_ms = {refresh_ms}\n\
         [[servers]]\ncount = 10\nworkers = 1\n\
         service_ms = {{ dist = \"exponential\", mean = 100 }}\n",
        policy.name()
    );
    let s = parse(&text, Format::Toml).expect("valid");
    simulate(&s, Limits::default()).summary
}

#[test]
fn least_connections_on_a_stale_view_herds_while_two_choices_stay_robust() {
    for seed in 1..=3 {
        let lc = |refresh| {
            stale(Policy::LeastConnections, seed, 1, refresh)
                .latency_ms
                .p99
        };
        let p2c = |refresh| stale(Policy::PowerOfTwo, seed, 1, refresh).latency_ms.p99;
        // Live: looking at every server wins.
        assert!(
            lc(0.0) < p2c(0.0),
            "seed {seed}: {} vs {}",
            lc(0.0),
            p2c(0.0)
        );
        // Half a second old: every request of a period goes to the server
        // that looked emptiest, and its queue explodes; two random choices
        // rarely agree on a box.
        let (herd, robust) = (lc(500.0), p2c(500.0));
        assert!(herd > 2.5 * robust, "seed {seed}: {herd} vs {robust}");
        assert!(robust < 1.6 * p2c(0.0), "seed {seed}: {robust}");
    }
}

#[test]
fn staggered_balancers_herd_less_than_one_on_the_same_stale_view() {
    let one = stale(Policy::LeastConnections, 1, 1, 500.0).latency_ms.p99;
    let eight = stale(Policy::LeastConnections, 1, 8, 500.0).latency_ms.p99;
    assert!(eight < 0.5 * one, "{eight} vs {one}");
}

#[test]
fn one_balancer_with_a_live_view_is_the_balancer_without_these_settings() {
    let plain = parse(&fleet(Policy::LeastConnections), Format::Toml).expect("valid");
    let text = fleet(Policy::LeastConnections).replace(
        "[balancer]\n",
        "[balancer]\nbalancers = 1\nview_refresh_ms = 0\n",
    );
    let explicit = parse(&text, Format::Toml).expect("valid");
    let (a, b) = (
        simulate(&plain, Limits::default()).summary,
        simulate(&explicit, Limits::default()).summary,
    );
    assert_eq!(
        serde_json::to_string(&a).expect("json"),
        serde_json::to_string(&b).expect("json")
    );
}
