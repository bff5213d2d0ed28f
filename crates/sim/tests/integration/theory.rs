//! The simulator against queueing theory. Each test states its tolerance;
//! sample sizes are chosen so the statistical error is well inside it
//! (millions of requests, warm-up excluded).

use brownout_sim::theory;

use crate::{rel, summary};

/// One server with `workers` workers, Poisson arrivals at `rate`, and the
/// given service distribution, for `duration` seconds after 1,000 s warm-up.
fn queue(seed: u64, rate: f64, workers: u32, service: &str, duration: f64) -> String {
    format!(
        "seed = {seed}\nduration_s = {duration}\nwarmup_s = 1000\n[traffic]\nrate_rps = {rate}\n\
         [[servers]]\ncount = 1\nworkers = {workers}\nservice_ms = {service}\n\
         [metrics]\nbucket_s = 1000\n"
    )
}

/// Erlang C from the core's theory module (tested there against a table).
fn erlang_c(c: u32, a: f64) -> f64 {
    brownout_sim::theory::erlang_c(c, a).expect("a stable load")
}

#[test]
fn erlang_c_formula_matches_a_textbook_value() {
    // 2 servers at a = 1 erlang: C = 1/3.
    assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
}

#[test]
fn mm1_mean_sojourn_and_p99_match_the_exponential_law_within_1_5_percent() {
    // lambda = 8/s, mu = 10/s: sojourn ~ Exp(mu - lambda = 2/s).
    // 4 million requests; mean within 1 %, p99 within 1.5 %.
    let s = summary(&queue(
        1,
        8.0,
        1,
        "{ dist = \"exponential\", mean = 100 }",
        500_000.0,
    ));
    assert!(s.completed > 3_900_000);
    let mean_ms = 1e3 / 2.0;
    let p99_ms = 1e3 * libm::log(100.0) / 2.0;
    assert!(
        rel(s.latency_ms.mean, mean_ms) < 0.01,
        "mean {} vs {mean_ms}",
        s.latency_ms.mean
    );
    assert!(
        rel(s.latency_ms.p99, p99_ms) < 0.015,
        "p99 {} vs {p99_ms}",
        s.latency_ms.p99
    );
    // Median of Exp(2/s) is ln 2 / 2.
    let p50_ms = 1e3 * libm::log(2.0) / 2.0;
    assert!(
        rel(s.latency_ms.p50, p50_ms) < 0.01,
        "p50 {} vs {p50_ms}",
        s.latency_ms.p50
    );
}

/// M/M/c probability of waiting and mean wait (Erlang C) within 2 % for the
/// given server count and utilisation, averaged over three seeds.
fn check_mmc(c: u32, rho: f64) {
    let mu = 10.0; // 100 ms mean service
    let lambda = rho * mu * f64::from(c);
    let duration = 3_000_000.0 / lambda; // 3 million requests per seed
    let (mut waited, mut wait_ms) = (0.0, 0.0);
    for seed in 1..=3 {
        let text = queue(
            seed,
            lambda,
            c,
            "{ dist = \"exponential\", mean = 100 }",
            duration,
        );
        let s = summary(&text);
        waited += s.waited_fraction / 3.0;
        wait_ms += s.mean_wait_ms / 3.0;
    }
    let p_wait = erlang_c(c, lambda / mu);
    let mean_wait_ms = 1e3 * p_wait / (f64::from(c) * mu - lambda);
    assert!(
        rel(waited, p_wait) < 0.02,
        "c={c} rho={rho}: P(wait) {waited} vs {p_wait}"
    );
    assert!(
        rel(wait_ms, mean_wait_ms) < 0.02,
        "c={c} rho={rho}: Wq {wait_ms} ms vs {mean_wait_ms} ms"
    );
}

#[test]
fn mm2_waiting_matches_erlang_c_at_50_and_80_percent_load() {
    check_mmc(2, 0.5);
    check_mmc(2, 0.8);
}

#[test]
fn mm10_waiting_matches_erlang_c_at_50_80_and_90_percent_load() {
    check_mmc(10, 0.5);
    check_mmc(10, 0.8);
    check_mmc(10, 0.9);
}

#[test]
fn md1_mean_wait_matches_pollaczek_khinchine_within_1_5_percent() {
    // Constant 100 ms service at rho = 0.8: Wq = rho * s / (2 (1 - rho)) = 200 ms.
    let s = summary(&queue(
        3,
        8.0,
        1,
        "{ dist = \"constant\", value = 100 }",
        500_000.0,
    ));
    assert!(
        rel(s.mean_wait_ms, 200.0) < 0.015,
        "Wq {} ms",
        s.mean_wait_ms
    );
    // Sojourn = wait + exactly 100 ms of service (the two means cover
    // slightly different requests: those completed, those started).
    assert!((s.latency_ms.mean - s.mean_wait_ms - 100.0).abs() < 0.1);
}

#[test]
fn utilisation_equals_offered_load_within_half_a_percent() {
    let s = summary(&queue(
        4,
        7.0,
        1,
        "{ dist = \"exponential\", mean = 100 }",
        400_000.0,
    ));
    assert!(
        rel(s.servers[0].utilization, 0.7) < 0.005,
        "{}",
        s.servers[0].utilization
    );
    // Lq of M/M/1 = rho^2 / (1 - rho).
    let lq = 0.49 / 0.3;
    assert!(
        rel(s.servers[0].mean_queue, lq) < 0.02,
        "Lq {}",
        s.servers[0].mean_queue
    );
}

/// Ten identical single-worker servers, exponential 100 ms work, Poisson
/// arrivals at 80 % load, 3 million requests, behind `policy`.
fn ten_servers(policy: &str) -> brownout_sim::Summary {
    summary(&format!(
        "seed = 5\nduration_s = 37500\nwarmup_s = 1000\n[traffic]\nrate_rps = 80\n\
         [balancer]\npolicy = \"{policy}\"\n\
         [[servers]]\ncount = 10\nworkers = 1\n\
         service_ms = {{ dist = \"exponential\", mean = 100 }}\n[metrics]\nbucket_s = 1000\n"
    ))
}

#[test]
fn round_robin_servers_are_e10_m_1_queues_and_random_ones_m_m_1_within_2_percent() {
    // Round robin hands each server every 10th arrival (Erlang-10 gaps);
    // random picks split the Poisson stream into ten Poisson streams.
    let rr = ten_servers("round_robin");
    let want = 1e3 * theory::round_robin_sojourn_s(10, 80.0, 10.0).expect("stable");
    assert!(
        rel(rr.latency_ms.mean, want) < 0.02,
        "round robin {} ms vs E10/M/1 {want} ms",
        rr.latency_ms.mean
    );
    let random = ten_servers("random");
    let want = 1e3 * theory::mm1_sojourn_s(8.0, 10.0).expect("stable");
    assert!(
        rel(random.latency_ms.mean, want) < 0.02,
        "random {} ms vs M/M/1 {want} ms",
        random.latency_ms.mean
    );
    assert!(rr.latency_ms.mean < 0.7 * random.latency_ms.mean);
}

/// The run summary's own `theory` (what a widget shows beside the
/// simulated number) agrees with the simulation for each policy that has a
/// formula, on ten servers at 80% load; least connections, which has none,
/// lies between the shared-queue bound and two choices.
#[test]
fn the_summarys_theory_values_agree_with_the_simulated_means() {
    let mean_and_theory = |policy| {
        let s = ten_servers(policy);
        (s.latency_ms.mean, s.theory.expect("a formula applies"))
    };
    for policy in ["random", "round_robin"] {
        let (got, t) = mean_and_theory(policy);
        let want = t.policy_ms.expect("a formula for this policy");
        assert!(rel(got, want) < 0.02, "{policy}: {got} vs {want}");
    }
    // The supermarket model is the limit of infinitely many servers; ten
    // do a little worse, never better.
    let (got, t) = mean_and_theory("power_of_two");
    let want = t.policy_ms.expect("the supermarket model");
    assert!(
        got > want && got < 1.1 * want,
        "two choices: {got} vs {want}"
    );
    let (got, t) = mean_and_theory("least_connections");
    assert_eq!(t.policy_ms, None);
    let bound = t.shared_queue_ms.expect("M/M/10");
    assert!(
        bound < got && got < want,
        "least connections {got}: {bound}..{want}"
    );
}
