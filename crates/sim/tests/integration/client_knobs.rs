//! The client's and servers' smaller knobs against their definitions:
//! `retry_on`, `network_ms`, `slowdown_per_active`, `metrics.slo_ms`, and
//! the per-bucket amplification of the series.

use brownout_sim::{Format, Limits, RunResult, parse, simulate};

use crate::{rel, summary};

fn run(text: &str) -> RunResult {
    let s = parse(text, Format::Toml).unwrap_or_else(|e| panic!("{e}\n{text}"));
    simulate(&s, Limits::default())
}

/// Light open traffic, a client retrying twice on the outcomes `retry_on`
/// names, and servers where `server` describes every attempt's fate.
fn retrying(retry_on: &str, client: &str, server: &str) -> String {
    format!(
        "duration_s = 50\n[traffic]\nrate_rps = 20\n\
         [client]\nretries = 2\nretry_on = [{retry_on}]\n{client}\n\
         [[servers]]\ncount = 2\nworkers = 50\n{server}\n"
    )
}

const ALWAYS_FAILS: &str = "service_ms = { dist = \"constant\", value = 1 }\n\
     [[faults]]\ngroup = 0\nkind = \"errors\"\nprobability = 1\nat_s = 0";
const ALWAYS_SLOW: &str = "service_ms = { dist = \"constant\", value = 100 }";

#[test]
fn retry_on_retries_only_the_outcomes_it_names() {
    let cases = [
        // (retry_on, client, server, attempts per logical request)
        ("\"failed\"", "", ALWAYS_FAILS, 3),
        ("\"timeout\", \"rejected\"", "", ALWAYS_FAILS, 1),
        ("\"timeout\"", "timeout_ms = 50", ALWAYS_SLOW, 3),
        (
            "\"failed\", \"rejected\"",
            "timeout_ms = 50",
            ALWAYS_SLOW,
            1,
        ),
    ];
    for (retry_on, client, server, per_request) in cases {
        let s = summary(&retrying(retry_on, client, server));
        let ended = s.logical.arrived - s.logical.in_flight;
        assert!(ended > 900, "{retry_on}: {ended} ended");
        assert_eq!(s.logical.failed, ended, "{retry_on}: every request fails");
        let sent_by_ended = s.attempts - s.logical.in_flight * per_request;
        assert!(
            s.attempts >= ended * per_request && sent_by_ended <= ended * per_request,
            "retry_on [{retry_on}]: {} attempts for {ended} ended requests, want {per_request} each",
            s.attempts
        );
        if per_request == 1 {
            assert_eq!(s.retries, 0, "retry_on [{retry_on}]");
        }
    }
}

#[test]
fn network_delay_is_paid_once_each_way() {
    let text = "duration_s = 100\n[traffic]\nrate_rps = 5\narrival = \"constant\"\n\
         [client]\nnetwork_ms = { dist = \"constant\", value = 25 }\n\
         [[servers]]\ncount = 1\nworkers = 4\nservice_ms = { dist = \"constant\", value = 10 }\n";
    let s = summary(text);
    assert!(s.logical.succeeded > 400);
    // 25 ms out, 10 ms of work, 25 ms back.
    let l = &s.logical.latency_ms;
    assert!(rel(l.mean, 60.0) < 1e-3, "mean {} ms", l.mean);
    assert!(rel(l.max, 60.0) < 1e-3, "max {} ms", l.max);
    // The service sees only its 10 ms.
    assert!(rel(s.latency_ms.mean, 10.0) < 1e-3, "{}", s.latency_ms.mean);
}

#[test]
fn slowdown_per_active_multiplies_work_by_one_plus_x_per_other_request_in_service() {
    // Four closed clients who never think: once the first requests are
    // done, each request starts beside exactly three others.
    for (x, clients) in [(0.5, 4u32), (0.1, 10)] {
        let text = format!(
            "duration_s = 100\nwarmup_s = 5\n\
             [traffic]\nclients = {clients}\nthink_ms = {{ dist = \"constant\", value = 0 }}\n\
             [[servers]]\ncount = 1\nworkers = 16\nslowdown_per_active = {x}\n\
             service_ms = {{ dist = \"constant\", value = 100 }}\n"
        );
        let s = summary(&text);
        let want = 100.0 * (1.0 + x * f64::from(clients - 1));
        let l = &s.latency_ms;
        assert!(s.completed > 300, "{} completed", s.completed);
        assert!(
            rel(l.p50, want) < 2e-3,
            "x {x}: p50 {} ms, want {want}",
            l.p50
        );
        assert!(
            rel(l.max, want) < 2e-3,
            "x {x}: max {} ms, want {want}",
            l.max
        );
    }
}

#[test]
fn within_slo_is_the_share_of_requests_that_succeed_within_slo_ms() {
    // No queueing (more workers than ever busy), exponential work of mean
    // 100 ms: the share done within s ms is 1 − e^(−s/100).
    for slo in [50.0_f64, 100.0, 250.0] {
        let text = format!(
            "seed = 4\nduration_s = 500\nmetrics = {{ slo_ms = {slo} }}\n\
             [traffic]\nrate_rps = 300\n[client]\n\
             [[servers]]\ncount = 1\nworkers = 200\n\
             service_ms = {{ dist = \"exponential\", mean = 100 }}\n"
        );
        let s = summary(&text);
        assert!(s.logical.succeeded >= 100_000);
        let want = 1.0 - (-slo / 100.0).exp();
        assert!(
            (s.within_slo - want).abs() < 0.005,
            "slo {slo} ms: {} within, theory {want}",
            s.within_slo
        );
    }
}

#[test]
fn each_bucket_s_amplification_is_its_attempts_per_arriving_request() {
    let text = "seed = 2\nduration_s = 100\n[traffic]\nrate_rps = 1000\n\
         [client]\nretries = 3\n\
         [[servers]]\ncount = 10\nworkers = 10\nservice_ms = { dist = \"constant\", value = 1 }\n\
         [[faults]]\ngroup = 0\nkind = \"errors\"\nprobability = 0.5\nat_s = 0\n";
    let r = run(text);
    let s = &r.series;
    assert_eq!(s.amplification.len(), s.t_s.len());
    for (k, a) in s.amplification.iter().enumerate() {
        let a = a.expect("every bucket has arrivals");
        assert_eq!(a, s.attempts_rps[k] / s.offered_rps[k], "bucket {k}");
        // 1 + 1/2 + 1/4 + 1/8 attempts per request, give or take a
        // bucket's noise.
        assert!(rel(a, 1.875) < 0.05, "bucket {k}: {a}");
    }
    let quiet = run(
        "duration_s = 10\n[traffic]\nrate_rps = 0.01\narrival = \"constant\"\n\
         [[servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"constant\", value = 1 }\n",
    );
    assert!(quiet.series.amplification.iter().all(Option::is_none));
}
