//! The client side against its definitions: retry arithmetic, layered
//! amplification, the jitter distributions, the throttle's formula, the
//! retry budget, timeouts whose work still runs, closed traffic.

use brownout_sim::rng::{RandomStream, Stream};
use brownout_sim::scenario::{Backoff, BackoffKind, Jitter};

use crate::{rel, summary};

/// Open traffic into one lightly loaded service whose every attempt fails
/// with probability `p`, and a client that retries `n` times at once.
fn failing(p: f64, n: u32, seed: u64) -> String {
    format!(
        "seed = {seed}\nduration_s = 200\n[traffic]\nrate_rps = 1000\n\
         [client]\nretries = {n}\n\
         [[servers]]\ncount = 10\nworkers = 10\nservice_ms = {{ dist = \"constant\", value = 1 }}\n\
         [[faults]]\ngroup = 0\nkind = \"errors\"\nprobability = {p}\nat_s = 0\n"
    )
}

#[test]
fn independent_failures_give_the_geometric_sum_of_attempts_and_success_one_minus_p_to_the_n_plus_1()
{
    for (p, n) in [(0.3, 3), (0.5, 2), (0.8, 5)] {
        let s = summary(&failing(p, n, 3));
        let logical = s.logical.arrived as f64;
        assert!(logical >= 1e5, "{logical} logical requests");
        let attempts: f64 = (0..=n).map(|k| f64::powi(p, k as i32)).sum();
        let success = 1.0 - f64::powi(p, n as i32 + 1);
        let done = (s.logical.succeeded + s.logical.failed) as f64;
        assert!(
            rel(s.amplification, attempts) < 0.01,
            "p {p}, {n} retries: {} attempts per request, theory {attempts}",
            s.amplification
        );
        assert!(
            rel(s.logical.succeeded as f64 / done, success) < 0.01,
            "p {p}, {n} retries: success {}, theory {success}",
            s.logical.succeeded as f64 / done
        );
        assert_eq!(s.retries, s.attempts - s.logical.arrived);
    }
}

#[test]
fn three_layers_of_three_retries_send_exactly_sixty_four_attempts_to_the_bottom_when_it_always_fails()
 {
    let layer = |name: &str| {
        format!(
            "[[layers]]\nname = \"{name}\"\nclient = {{ retries = 3 }}\n\
             [[layers.servers]]\ncount = 2\nworkers = 4\nservice_ms = {{ dist = \"constant\", value = 1 }}\n"
        )
    };
    let text = format!(
        "duration_s = 100\n[traffic]\nrate_rps = 1\narrival = \"constant\"\n[client]\nretries = 3\n\
         [[servers]]\ncount = 2\nworkers = 4\nservice_ms = {{ dist = \"constant\", value = 1 }}\n\
         {}{}\
         [[faults]]\nlayer = 2\ngroup = 0\nkind = \"errors\"\nprobability = 1\nat_s = 0\n",
        layer("backend"),
        layer("database")
    );
    let s = summary(&text);
    let logical = s.logical.arrived;
    assert_eq!(logical, 99);
    assert_eq!((s.logical.failed, s.logical.in_flight), (99, 0));
    let arrivals: Vec<u64> = s.services.iter().map(|x| x.arrivals).collect();
    assert_eq!(arrivals, vec![4 * logical, 16 * logical, 64 * logical]);
    assert_eq!(s.amplification, 4.0);
}

/// Kolmogorov–Smirnov distance of `xs` from the uniform on `[lo, hi]`.
fn ks_uniform(mut xs: Vec<f64>, lo: f64, hi: f64) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len() as f64;
    xs.iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = ((x - lo) / (hi - lo)).clamp(0.0, 1.0);
            (f - i as f64 / n).abs().max((f - (i + 1) as f64 / n).abs())
        })
        .fold(0.0, f64::max)
}

#[test]
fn each_jitter_kind_draws_its_waits_from_the_uniform_it_defines() {
    let backoff = |jitter| Backoff {
        kind: BackoffKind::Exponential,
        base_ms: 10.0,
        cap_ms: 1000.0,
        jitter,
    };
    let n = 100_000;
    // 1.95 / sqrt(n): the KS critical value at a 0.1% level.
    let critical = 1.95 / (n as f64).sqrt();
    let mut rng = RandomStream::new(9, Stream::Policy);
    let mut draw = |b: &Backoff, retry: u32, previous: f64| -> Vec<f64> {
        (0..n)
            .map(|_| b.wait_s(retry, previous, &mut rng))
            .collect()
    };
    // expo(3) = min(1 s, 10 ms · 2³) = 80 ms.
    let full = draw(&backoff(Jitter::Full), 3, 0.0);
    assert!(ks_uniform(full, 0.0, 0.08) < critical);
    let equal = draw(&backoff(Jitter::Equal), 3, 0.0);
    assert!(ks_uniform(equal, 0.04, 0.08) < critical);
    // U(base, 3 · previous) with previous = 50 ms: U(10 ms, 150 ms).
    let decorrelated = draw(&backoff(Jitter::Decorrelated), 3, 0.05);
    assert!(ks_uniform(decorrelated, 0.01, 0.15) < critical);
    // Capped: previous 500 ms would allow 1.5 s; nothing exceeds the cap.
    let capped = draw(&backoff(Jitter::Decorrelated), 0, 0.5);
    assert!(capped.iter().all(|&w| (0.01..=1.0).contains(&w)));
    let at_cap = capped.iter().filter(|&&w| w == 1.0).count() as f64 / n as f64;
    // P(U(0.01, 1.5) > 1) = 0.5 / 1.49.
    assert!((at_cap - 0.5 / 1.49).abs() < 0.01, "{at_cap}");
    // Without jitter the wait is expo(n) exactly.
    let plain = draw(&backoff(Jitter::None), 4, 0.0);
    assert!(plain.iter().all(|&w| w == 0.16));
}

#[test]
fn against_a_backend_that_accepts_nothing_the_throttle_lets_through_the_harmonic_number_of_requests()
 {
    // With accepts = 0, request i of the window is rejected with
    // probability i / (i + 1): the expected number sent among n is H(n).
    let seeds = 40;
    let mut sent = 0.0;
    let mut h = 0.0;
    for seed in 1..=seeds {
        let text = format!(
            "seed = {seed}\nduration_s = 200\n[traffic]\nrate_rps = 10\narrival = \"constant\"\n\
             [client]\nthrottle = {{ k = 2, window_s = 1000 }}\n\
             [[servers]]\ncount = 1\nworkers = 1\nservice_ms = {{ dist = \"constant\", value = 1 }}\n\
             [[faults]]\ngroup = 0\nkind = \"errors\"\nprobability = 1\nat_s = 0\n"
        );
        let s = summary(&text);
        let n = s.logical.arrived;
        assert!((1999..=2000).contains(&n), "{n}"); // every 0.1 s for 200 s
        h = (1..=n).map(|i| 1.0 / i as f64).sum();
        assert_eq!(s.throttled + s.attempts, n);
        sent += s.attempts as f64;
    }
    let mean = sent / seeds as f64;
    // The count sent has variance below H(n) ≈ 8.2 per seed.
    assert!((mean - h).abs() < 1.5, "{mean} sent on average, H(n) = {h}");
}

#[test]
fn the_throttle_rejects_nothing_while_the_backend_accepts_more_than_one_in_k() {
    let text = "duration_s = 300\n[traffic]\nrate_rps = 200\n\
        [client]\nthrottle = { k = 2, window_s = 60 }\n\
        [[servers]]\ncount = 4\nworkers = 4\nservice_ms = { dist = \"constant\", value = 1 }\n\
        [[faults]]\ngroup = 0\nkind = \"errors\"\nprobability = 0.3\nat_s = 0\n";
    let s = summary(text);
    // (requests − 2 · 0.7 · requests) < 0: the probability stays at 0
    // except while the first few requests fill the window.
    assert!(s.logical.arrived > 50_000);
    assert!(s.throttled < 20, "{} throttled", s.throttled);
}

#[test]
fn a_retry_budget_admits_exactly_the_retries_its_tokens_pay_for() {
    // One request at a time (constant arrivals far apart), every attempt
    // fails, 5 retries allowed, budget 0.5 tokens per request, capacity 2,
    // starting full: request 1 earns to 2 (capped) and spends both; then
    // every second request has a whole token for one retry.
    let text = "duration_s = 100\n[traffic]\nrate_rps = 1\narrival = \"constant\"\n\
        [client]\nretries = 5\nbudget = { ratio = 0.5, capacity = 2 }\n\
        [[servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"constant\", value = 1 }\n\
        [[faults]]\ngroup = 0\nkind = \"errors\"\nprobability = 1\nat_s = 0\n";
    let s = summary(text);
    let n = s.logical.arrived;
    assert_eq!(n, 99);
    assert_eq!(s.retries, 2 + (n - 1) / 2);
}

#[test]
fn a_timed_out_attempt_is_abandoned_but_its_work_still_runs_on_the_server() {
    // Every request takes 300 ms of work; the client gives up after 100 ms
    // and retries twice: three attempts per request, all served in full.
    let text = "duration_s = 100\n[traffic]\nrate_rps = 1\narrival = \"constant\"\n\
        [client]\ntimeout_ms = 100\nretries = 2\n\
        [[servers]]\ncount = 1\nworkers = 8\nservice_ms = { dist = \"constant\", value = 300 }\n";
    let s = summary(text);
    assert_eq!(s.logical.arrived, 99);
    assert_eq!((s.logical.succeeded, s.logical.failed), (0, 99));
    assert_eq!((s.attempts, s.timeouts), (297, 297));
    // The server did all 297 attempts' work anyway.
    assert_eq!(s.completed, 297);
    assert!((s.servers[0].utilization - 297.0 * 0.3 / (100.0 * 8.0)).abs() < 1e-3);
}

#[test]
fn a_closed_client_waits_for_its_request_then_thinks_before_the_next() {
    // 10 clients, 100 ms of work on 10 workers (never queued), 900 ms of
    // think: each client completes one request per second.
    let text = "duration_s = 1000\nwarmup_s = 10\n[traffic]\nclients = 10\n\
        think_ms = { dist = \"constant\", value = 900 }\n\
        [[servers]]\ncount = 1\nworkers = 10\nservice_ms = { dist = \"constant\", value = 100 }\n";
    let s = summary(text);
    assert!((s.goodput_rps - 10.0).abs() < 0.02, "{}", s.goodput_rps);
    assert!((s.logical.latency_ms.max - 100.0).abs() < 1e-6);
    // Exponential think times: throughput N / (think + response) (the
    // response-time law of closed systems) holds on average.
    let text = text.replace(
        "think_ms = { dist = \"constant\", value = 900 }",
        "think_ms = { dist = \"exponential\", mean = 400 }",
    );
    let s = summary(&text);
    assert!(rel(s.goodput_rps, 10.0 / 0.5) < 0.01, "{}", s.goodput_rps);
}

/// Article 2's preset.
const STORM: &str = include_str!("../../../../content/scenarios/retry-storm.toml");

fn storm(seed: u64, set: &[(&str, &str)]) -> brownout_sim::Summary {
    let mut text = STORM.replacen("seed = 1", &format!("seed = {seed}"), 1);
    for (from, to) in set {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    summary(&text)
}

#[test]
fn a_five_second_spike_with_three_retries_leaves_a_storm_that_outlives_it_on_every_seed() {
    for seed in 1..=5 {
        let s = storm(seed, &[]);
        assert_eq!(s.recovered_after_s, None, "seed {seed} recovered");
        assert!(s.amplification > 3.5, "seed {seed}: {}", s.amplification);
        assert!(
            s.goodput_rps < 0.15 * 55.0,
            "seed {seed}: goodput {}",
            s.goodput_rps
        );
        // Without the spike the same system is healthy.
        let calm = storm(
            seed,
            &[("for_s = 5\nrate_rps = 250", "for_s = 5\nrate_rps = 55")],
        );
        assert_eq!(calm.recovered_after_s, Some(0.0), "seed {seed}");
    }
}

#[test]
fn a_retry_budget_or_adaptive_throttling_ends_the_storm_but_backoff_alone_does_not() {
    for seed in 1..=5 {
        let budget = storm(
            seed,
            &[("budget = { enabled = false", "budget = { enabled = true")],
        );
        let t = budget.recovered_after_s.expect("the budget recovers");
        assert!(t <= 60.0, "seed {seed}: budget recovered after {t} s");
        let throttle = storm(
            seed,
            &[(
                "throttle = { enabled = false",
                "throttle = { enabled = true",
            )],
        );
        let t = throttle.recovered_after_s.expect("the throttle recovers");
        assert!(t <= 180.0, "seed {seed}: throttle recovered after {t} s");
        // New requests keep arriving whatever the clients wait: backoff
        // spreads the retries but sends just as many.
        let backoff = storm(seed, &[("kind = \"none\"", "kind = \"exponential\"")]);
        assert_eq!(
            backoff.recovered_after_s, None,
            "seed {seed}: backoff alone recovered"
        );
    }
}
