//! Integration tests of brownout-charts, one binary: SVG structure, CSV,
//! summaries, errors, and PNG with the `png` feature.

mod csv;
mod errors;
mod labels;
#[cfg(feature = "png")]
mod png;
mod summary;
mod svg;

use brownout_sim::{
    Format, LatencySummary, Limits, RunResult, Series, ServerSummary, Summary, parse, simulate,
};

/// A 20-second run of four servers (two fast, two slow) under `policy`.
pub(crate) fn tiny(policy: &str) -> RunResult {
    tiny_with(policy, "")
}

/// The tiny scenario with clients that time out after 400 ms and retry
/// twice, so the charts of logical requests have something to show.
pub(crate) fn tiny_retrying(policy: &str) -> RunResult {
    tiny_with(policy, "[client]\ntimeout_ms = 400\nretries = 2\n")
}

/// The tiny scenario with `client` inserted at the end of its `[traffic]`
/// table (a `[client]` table, or more traffic).
pub(crate) fn tiny_with(policy: &str, client: &str) -> RunResult {
    let text = format!(
        r#"seed = 7
duration_s = 20
warmup_s = 2
[traffic]
rate_rps = 30
{client}[balancer]
policy = "{policy}"
[[servers]]
name = "fast"
count = 2
workers = 1
speed = 2.0
service_ms = {{ dist = "exponential", mean = 50 }}
[[servers]]
name = "slow"
count = 2
workers = 1
speed = 0.5
service_ms = {{ dist = "exponential", mean = 50 }}
"#
    );
    simulate(
        &parse(&text, Format::Toml).expect("the tiny scenario is valid"),
        Limits::default(),
    )
}

/// A hand-made run with round numbers: four one-second buckets (the second
/// empty), two "web" servers.
pub(crate) fn synthetic() -> RunResult {
    let server = |index, utilization, mean_queue, max_queue| ServerSummary {
        group: 0,
        name: "web".into(),
        index,
        utilization,
        completed: 180,
        mean_queue,
        max_queue,
        ..ServerSummary::default()
    };
    RunResult {
        summary: Summary {
            seed: 1,
            duration_s: 4.0,
            arrivals: 400,
            completed: 360,
            rejected: 10,
            failed: 5,
            in_flight: 25,
            throughput_rps: 90.0,
            latency_ms: LatencySummary {
                mean: 900.0,
                p50: 55.0,
                p90: 9000.0,
                p99: 25_000.0,
                p999: 30_000.0,
                max: 31_000.0,
            },
            mean_wait_ms: 800.0,
            waited_fraction: 0.5,
            mean_in_system: 10.0,
            request_seconds: 40.0,
            servers: vec![server(0, 0.5, 0.2, 3), server(1, 0.9, 12.5, 40)],
            events: 1000,
            cut_at_s: None,
            ..Summary::default()
        },
        series: Series {
            bucket_s: 1.0,
            t_s: vec![0.0, 1.0, 2.0, 3.0],
            arrivals_rps: vec![100.0; 4],
            throughput_rps: vec![95.0, 0.0, 90.0, 85.0],
            rejected_rps: vec![0.0, 0.0, 4.0, 6.0],
            failed_rps: vec![0.0, 5.0, 0.0, 0.0],
            p50_ms: vec![Some(40.0), None, Some(60.0), Some(80.0)],
            p99_ms: vec![Some(120.0), None, Some(9000.0), Some(31_000.0)],
            queue: vec![vec![0.0, 0.5, 0.1, 0.2], vec![1.0, 8.0, 16.0, 25.0]],
            utilization: vec![vec![0.4, 0.5, 0.6, 0.5], vec![0.8, 0.9, 1.0, 0.9]],
            ..Series::default()
        },
        timeline: None,
        breakers: None,
    }
}
