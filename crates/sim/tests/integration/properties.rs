//! Property tests: invariants over random valid scenarios, and "an error,
//! never a panic" over random invalid ones.

use brownout_sim::dist::{Distribution, MixturePart};
use brownout_sim::scenario::{
    Arrival, Balancer, Fault, FaultKind, Metrics, RateChange, ServerGroup, Traffic,
};
use brownout_sim::{Format, Limits, Policy, Scenario, parse, simulate};
use proptest::prelude::*;

fn dist() -> impl Strategy<Value = Distribution> {
    let leaf = prop_oneof![
        (1.0..200.0f64).prop_map(|value| Distribution::Constant { value }),
        (1.0..200.0f64).prop_map(|mean| Distribution::Exponential { mean }),
        (1.0..50.0f64, 0.0..100.0f64)
            .prop_map(|(min, w)| Distribution::Uniform { min, max: min + w }),
        (1.0..100.0f64, 0.1..2.0f64).prop_map(|(mean, s)| Distribution::Lognormal {
            mean,
            p99: None,
            sigma: Some(s)
        }),
    ];
    prop_oneof![
        3 => leaf.clone(),
        1 => prop::collection::vec((0.1..10.0f64, leaf), 1..4).prop_map(|parts| Distribution::Mixture {
            parts: parts.into_iter().map(|(weight, dist)| MixturePart { weight, dist }).collect(),
        }),
    ]
}

fn group() -> impl Strategy<Value = ServerGroup> {
    (
        1u32..5,
        1u32..4,
        0.2..3.0f64,
        prop::option::of(0u32..10),
        dist(),
    )
        .prop_map(
            |(count, workers, speed, queue_capacity, service_ms)| ServerGroup {
                name: None,
                count,
                workers,
                speed,
                weight: None,
                share: None,
                queue_capacity,
                service_ms,
                slowdown_per_active: 0.0,
            },
        )
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        any::<u64>(),
        1.0..40.0f64,
        0.0..10.0f64,
        1.0..150.0f64,
        any::<bool>(),
        prop::sample::select(Policy::ALL.to_vec()),
        prop::collection::vec(group(), 1..4),
        prop::collection::vec(
            (0.0..1.0f64, prop::option::of(0.1..10.0f64), 0.0..300.0f64),
            0..3,
        ),
        prop::collection::vec(
            (
                0usize..3,
                any::<bool>(),
                0.0..1.0f64,
                prop::option::of(0.1..10.0f64),
            ),
            0..3,
        ),
    )
        .prop_map(
            |(seed, duration_s, warmup_s, rate, constant, policy, servers, changes, faults)| {
                let changes = changes
                    .into_iter()
                    .map(|(at, for_s, rate_rps)| RateChange {
                        enabled: true,
                        at_s: at * duration_s,
                        for_s,
                        rate_rps,
                    })
                    .collect();
                let faults = faults
                    .into_iter()
                    .map(|(g, down, at, for_s)| Fault {
                        enabled: true,
                        layer: 0,
                        group: g % servers.len(),
                        server: None,
                        kind: if down {
                            FaultKind::Down
                        } else {
                            FaultKind::Slow
                        },
                        factor: (!down).then_some(3.0),
                        probability: None,
                        at_s: at * duration_s,
                        for_s,
                    })
                    .collect();
                Scenario {
                    seed,
                    duration_s,
                    warmup_s,
                    traffic: Traffic {
                        rate_rps: Some(rate),
                        clients: None,
                        think_ms: None,
                        arrival: if constant {
                            Arrival::Constant
                        } else {
                            Arrival::Poisson
                        },
                        changes,
                        start: Default::default(),
                    },
                    balancer: Balancer {
                        policy,
                        ..Balancer::default()
                    },
                    client: None,
                    servers,
                    contention: None,
                    keys: None,
                    cache: None,
                    pool: None,
                    database: None,
                    layers: Vec::new(),
                    faults,
                    metrics: Metrics::default(),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_valid_scenario_conserves_requests_and_satisfies_little(s in scenario()) {
        let v = s.validate().expect("generated scenarios are valid");
        let r = simulate(&v, Limits::default()).summary;
        prop_assert_eq!(r.arrivals, r.completed + r.rejected + r.failed + r.in_flight);
        let area = r.mean_in_system * r.duration_s;
        prop_assert!((area - r.request_seconds).abs() <= 1e-9 * (1.0 + area), "{} vs {}", area, r.request_seconds);
        prop_assert!(r.servers.iter().all(|x| (0.0..=1.0 + 1e-12).contains(&x.utilization)));
    }

    #[test]
    fn the_same_seed_gives_identical_json(s in scenario()) {
        let v = s.validate().expect("valid");
        let a = serde_json::to_string(&simulate(&v, Limits::default())).expect("json");
        let b = serde_json::to_string(&simulate(&v, Limits::default())).expect("json");
        prop_assert_eq!(a, b);
    }

    #[test]
    fn the_event_budget_bounds_the_work(s in scenario(), budget in 1u64..500) {
        let v = s.validate().expect("valid");
        let r = simulate(&v, Limits { max_events: budget }).summary;
        prop_assert!(r.events <= budget);
        prop_assert_eq!(r.arrivals, r.completed + r.rejected + r.failed + r.in_flight);
    }

    #[test]
    fn any_text_gives_a_scenario_or_an_error_never_a_panic(text in "\\PC{0,300}") {
        let _ = parse(&text, Format::Toml);
        let _ = parse(&text, Format::Json);
    }

    #[test]
    fn corrupted_fields_give_an_error_that_names_a_field(
        s in scenario(),
        which in 0usize..8,
        bad in prop_oneof![Just(f64::NAN), Just(-1.0), Just(0.0), Just(f64::INFINITY), Just(1e30)],
    ) {
        let mut s = s;
        match which {
            0 => s.duration_s = bad,
            1 => s.traffic.rate_rps = Some(bad),
            2 => s.servers[0].speed = bad,
            3 => s.servers[0].service_ms = Distribution::Exponential { mean: bad },
            4 => s.metrics.bucket_s = bad,
            5 => s.balancer.ewma_decay_s = bad,
            6 => s.servers[0].service_ms = Distribution::Uniform { min: 5.0, max: bad },
            _ => s.warmup_s = if bad == 0.0 { -1.0 } else { bad },
        }
        let e = s.validate().expect_err("a corrupted field is refused");
        prop_assert!(!e.field.is_empty());
        // The same holds through the text format.
        if let Err(e) = parse(&s.to_toml(), Format::Toml) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn mutated_scenario_text_never_panics(s in scenario(), cut in 0usize..2000, junk in "[ -~]{0,8}") {
        let text = s.to_toml();
        let at = text.char_indices().map(|(i, _)| i).nth(cut % text.len().max(1)).unwrap_or(0);
        let mutated = format!("{}{}{}", &text[..at], junk, &text[at..]);
        if let Ok(v) = parse(&mutated, Format::Toml)
            && v.expected_requests() < 50_000.0 {
                let _ = simulate(&v, Limits { max_events: 200_000 });
            }
    }
}

/// A scenario text with a random client, trigger and failure rate.
fn client_scenario() -> impl Strategy<Value = String> {
    (
        any::<u64>(),
        (5.0..80.0f64, 50.0..400.0f64),
        (prop::option::of(20.0..500.0f64), 0u32..4),
        (0usize..3, 0usize..4),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        (0.0..0.9f64, 0.0..0.2f64),
    )
        .prop_map(
            |(seed, (rate, spike), (timeout, retries), (kind, jitter), (budget, throttle, net), (p, slow))| {
                let kind = ["none", "constant", "exponential"][kind];
                let jitter = ["none", "full", "equal", "decorrelated"][jitter];
                let mut client = format!(
                    "[client]\nretries = {retries}\nbackoff = {{ kind = \"{kind}\", base_ms = 20, cap_ms = 500, jitter = \"{jitter}\" }}\n"
                );
                if let Some(t) = timeout {
                    client += &format!("timeout_ms = {t}\n");
                }
                if budget {
                    client += "budget = { ratio = 0.2, capacity = 5 }\n";
                }
                if throttle {
                    client += "throttle = { k = 2, window_s = 5 }\n";
                }
                if net {
                    client += "network_ms = { dist = \"exponential\", mean = 3 }\n";
                }
                format!(
                    "seed = {seed}\nduration_s = 30\nwarmup_s = 2\n[traffic]\nrate_rps = {rate}\n\
                     [[traffic.changes]]\nat_s = 5\nfor_s = 2\nrate_rps = {spike}\n{client}\
                     [[servers]]\ncount = 2\nworkers = 2\nqueue_capacity = 20\nslowdown_per_active = {slow}\n\
                     service_ms = {{ dist = \"exponential\", mean = 15 }}\n\
                     [[layers]]\nclient = {{ retries = 1, timeout_ms = 100 }}\n\
                     [[layers.servers]]\ncount = 1\nworkers = 4\nservice_ms = {{ dist = \"exponential\", mean = 5 }}\n\
                     [[faults]]\nlayer = 1\ngroup = 0\nkind = \"errors\"\nprobability = {p}\nat_s = 10\nfor_s = 10\n"
                )
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_logical_request_ends_exactly_once(text in client_scenario()) {
        let s = parse(&text, Format::Toml).expect("valid");
        let r = simulate(&s, Limits::default()).summary;
        let l = &r.logical;
        prop_assert_eq!(l.arrived, l.succeeded + l.failed + l.in_flight, "{}", text);
        // Each logical request's first attempt and each retry decided is
        // either sent, rejected by the throttle, or still waiting out its
        // backoff at the end.
        prop_assert!(r.attempts + r.throttled <= l.arrived + r.retries);
        prop_assert!(r.attempts + r.throttled + l.in_flight >= l.arrived + r.retries);
        prop_assert!(r.timeouts <= r.attempts);
        prop_assert!((0.0..=1.0).contains(&r.within_slo));
    }
}
