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
