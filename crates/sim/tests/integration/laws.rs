//! Laws that hold on every sample path: Little's law over the window and
//! conservation of requests.

use crate::{rel, summary};

const FAULTY: &str = r#"
seed = 11
duration_s = 300
warmup_s = 30
[traffic]
rate_rps = 120
[[traffic.changes]]
at_s = 100
for_s = 20
rate_rps = 400
[balancer]
policy = "least_connections"
[[servers]]
name = "fast"
count = 3
workers = 2
queue_capacity = 20
service_ms = { dist = "lognormal", mean = 40, p99 = 300 }
[[servers]]
name = "legacy"
count = 2
workers = 1
speed = 0.5
service_ms = { dist = "exponential", mean = 40 }
[[faults]]
group = 0
server = 1
kind = "down"
at_s = 150
for_s = 30
[[faults]]
group = 1
kind = "slow"
factor = 4
at_s = 50
for_s = 100
"#;

#[test]
fn littles_law_holds_exactly_as_a_sample_path_identity() {
    // The area under N(t) in the window equals the request-seconds spent in
    // the window, summed over every request, to rounding error.
    let s = summary(FAULTY);
    let area = s.mean_in_system * s.duration_s;
    assert!(
        rel(area, s.request_seconds) < 1e-9,
        "{area} vs {}",
        s.request_seconds
    );
    assert!(
        s.failed > 0 && s.rejected > 0,
        "the scenario exercises faults and overflow"
    );
}

#[test]
fn littles_law_l_equals_lambda_w_within_one_percent_on_a_long_stable_run() {
    let s = summary(
        "duration_s = 200000\nwarmup_s = 1000\n[traffic]\nrate_rps = 15\n[[servers]]\ncount = 1\nworkers = 2\nservice_ms = { dist = \"exponential\", mean = 100 }\n[metrics]\nbucket_s = 100\n",
    );
    let lambda = s.arrivals as f64 / s.duration_s;
    let w = s.latency_ms.mean / 1e3;
    assert!(
        rel(s.mean_in_system, lambda * w) < 0.01,
        "L {} vs lambda W {}",
        s.mean_in_system,
        lambda * w
    );
}

#[test]
fn every_arrival_ends_completed_rejected_failed_or_in_flight() {
    let s = summary(FAULTY);
    assert_eq!(
        s.arrivals,
        s.completed + s.rejected + s.failed + s.in_flight
    );
    let by_server: u64 = s.servers.iter().map(|x| x.completed).sum();
    assert_eq!(by_server, s.completed);
}

#[test]
fn a_down_server_fails_its_work_and_gets_no_new_requests() {
    let text = "duration_s = 100\n[traffic]\nrate_rps = 50\n[[servers]]\ncount = 2\nworkers = 1\nservice_ms = { dist = \"constant\", value = 10 }\n[[faults]]\ngroup = 0\nserver = 0\nkind = \"down\"\nat_s = 0\n";
    let s = summary(text);
    assert_eq!(s.servers[0].completed, 0);
    assert_eq!(s.servers[0].utilization, 0.0);
    assert_eq!(s.servers[1].completed + s.in_flight, s.arrivals);
}

#[test]
fn with_every_server_down_every_request_fails() {
    let text = "duration_s = 10\n[traffic]\nrate_rps = 100\n[[servers]]\ncount = 2\nworkers = 1\nservice_ms = { dist = \"constant\", value = 10 }\n[[faults]]\ngroup = 0\nkind = \"down\"\nat_s = 0\n";
    let s = summary(text);
    assert_eq!(s.failed, s.arrivals);
    assert_eq!(s.completed, 0);
}

#[test]
fn a_slow_fault_multiplies_service_time_inside_its_window() {
    let text = "duration_s = 100\n[traffic]\nrate_rps = 1\narrival = \"constant\"\n[[servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"constant\", value = 10 }\n[[faults]]\ngroup = 0\nkind = \"slow\"\nfactor = 3\nat_s = 0\n";
    let s = summary(text);
    assert!(
        (s.latency_ms.max - 30.0).abs() < 1e-9,
        "max {}",
        s.latency_ms.max
    );
    assert!((s.latency_ms.mean - 30.0).abs() < 1e-9);
}

#[test]
fn speed_divides_the_work_of_a_request() {
    let text = "duration_s = 100\n[traffic]\nrate_rps = 1\narrival = \"constant\"\n[[servers]]\ncount = 1\nworkers = 1\nspeed = 0.5\nservice_ms = { dist = \"constant\", value = 10 }\n";
    assert!((summary(text).latency_ms.mean - 20.0).abs() < 1e-9);
}
