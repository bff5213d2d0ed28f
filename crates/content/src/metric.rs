//! Metrics: numbers of a run's summary by path (`latency_ms.p99`,
//! `servers[7].mean_queue`), the same paths article `[[facts]]` use, with
//! the label, unit and format a widget's stat rows show them with.
//!
//! ```text
//!  widget block: stats = ["latency_ms.p50", "throughput_rps"]
//!        │ metric(path) ──> METRICS { path, key, label, unit, format }
//!        ▼
//!  read(summary JSON, path) ──> Reading { value, detail } ──> StatRow { label, text, which }
//! ```
//! A few metrics are derived from several fields (`failed_or_rejected`,
//! `max_mean_queue`); facts can use them too.

use brownout_charts::format;
use serde_json::Value;

use crate::knob::lookup;

mod breaker;
mod cache;
mod contention;
mod pool;
mod theory;
use breaker::BREAKER_METRICS;
use cache::CACHE_METRICS;
use contention::CONTENTION_METRICS;
use pool::POOL_METRICS;
use theory::THEORY_METRICS;

/// How a metric's value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Milliseconds in the unit that reads best: `73 ms`, `1.5 s`, `31 s`.
    Latency,
    /// Requests per second with one decimal: `127.9 req/s`.
    Rate,
    /// A whole count with thousands separators: `7,731`.
    Count,
    /// A mean amount, two significant decimals at most: `0.42`, `1,362`.
    Amount,
    /// A fraction from 0 to 1 as a percentage: `93%`.
    Percent,
    /// A fraction as a percentage with one decimal: `98.7%` (hit ratios,
    /// where 98% and 99% differ).
    FinePercent,
    /// A multiple: `3.7×`.
    Factor,
    /// Seconds until recovery; infinite when the run never recovered.
    Recovery,
    /// A duration in seconds, in the unit that reads best: `45 s`, `12 min`.
    Seconds,
}

impl Format {
    /// `value` written in this format.
    pub fn text(self, value: f64) -> String {
        match self {
            Format::Latency => format::ms(value),
            Format::Rate => format::rate(value),
            Format::Count => format::count(value.round().max(0.0) as u64),
            Format::Amount => format::amount(value),
            Format::Percent => format::pct(value),
            Format::FinePercent => format!("{:.1}%", value * 100.0),
            Format::Factor => format!("{}×", format::amount(value)),
            Format::Recovery if value.is_finite() => format!("after {} s", format::amount(value)),
            Format::Recovery => "did not recover".to_string(),
            Format::Seconds => format::seconds(value),
        }
    }

    /// How an axis or a curves panel writes values of this format.
    pub fn axis(self) -> fn(f64) -> String {
        match self {
            Format::Latency => format::ms,
            Format::Seconds => format::seconds,
            Format::Percent => format::pct,
            _ => format::amount,
        }
    }
}

/// A metric a widget can show and a fact can state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metric {
    /// Path into the summary; `servers[]` stands for any server index.
    pub path: &'static str,
    /// Short name for scripts and tests (the row's `data-stat`).
    pub key: &'static str,
    /// Label shown beside the number.
    pub label: &'static str,
    /// Unit of the value as the summary holds it.
    pub unit: &'static str,
    /// How the value is written.
    pub format: Format,
}

const fn m(
    path: &'static str,
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    format: Format,
) -> Metric {
    Metric {
        path,
        key,
        label,
        unit,
        format,
    }
}

/// Every metric, by path.
pub const METRICS: &[Metric] = &[
    m(
        "latency_ms.mean",
        "mean",
        "Mean latency",
        "ms",
        Format::Latency,
    ),
    m(
        "latency_ms.p50",
        "p50",
        "Median latency",
        "ms",
        Format::Latency,
    ),
    m(
        "latency_ms.p90",
        "p90",
        "90th percentile latency",
        "ms",
        Format::Latency,
    ),
    m(
        "latency_ms.p99",
        "p99",
        "99th percentile latency",
        "ms",
        Format::Latency,
    ),
    m(
        "latency_ms.p999",
        "p999",
        "99.9th percentile latency",
        "ms",
        Format::Latency,
    ),
    m(
        "latency_ms.max",
        "max",
        "Slowest request",
        "ms",
        Format::Latency,
    ),
    m(
        "throughput_rps",
        "throughput",
        "Throughput",
        "req/s",
        Format::Rate,
    ),
    m(
        "arrivals",
        "arrivals",
        "Requests arrived",
        "requests",
        Format::Count,
    ),
    m(
        "completed",
        "completed",
        "Requests completed",
        "requests",
        Format::Count,
    ),
    m(
        "rejected",
        "rejected",
        "Rejected (queue full)",
        "requests",
        Format::Count,
    ),
    m("failed", "failed_only", "Failed", "requests", Format::Count),
    m(
        "failed_or_rejected",
        "failed",
        "Failed or rejected",
        "requests",
        Format::Count,
    ),
    m(
        "in_flight",
        "in_flight",
        "Still in flight at the end",
        "requests",
        Format::Count,
    ),
    m(
        "mean_wait_ms",
        "wait",
        "Mean wait in a queue",
        "ms",
        Format::Latency,
    ),
    m(
        "waited_fraction",
        "waited",
        "Requests that waited",
        "",
        Format::Percent,
    ),
    m(
        "mean_in_system",
        "in_system",
        "Mean requests in the system",
        "requests",
        Format::Amount,
    ),
    m(
        "max_mean_queue",
        "queue",
        "Longest mean queue",
        "requests",
        Format::Amount,
    ),
    m(
        "servers[].utilization",
        "utilization",
        "Time busy",
        "",
        Format::Percent,
    ),
    m(
        "servers[].mean_queue",
        "server_queue",
        "Mean queue",
        "requests",
        Format::Amount,
    ),
    m(
        "servers[].max_queue",
        "server_max_queue",
        "Longest queue",
        "requests",
        Format::Count,
    ),
    m(
        "servers[].completed",
        "server_completed",
        "Completed",
        "requests",
        Format::Count,
    ),
];

/// Metrics of logical requests, clients and services (article 2 on).
pub const CLIENT_METRICS: &[Metric] = &[
    m("goodput_rps", "goodput", "Goodput", "req/s", Format::Rate),
    m(
        "within_slo",
        "within_slo",
        "Within the SLO",
        "fraction",
        Format::Percent,
    ),
    m(
        "amplification",
        "amplification",
        "Attempts per request",
        "×",
        Format::Factor,
    ),
    m(
        "attempts",
        "attempts",
        "Attempts",
        "attempts",
        Format::Count,
    ),
    m("retries", "retries", "Retries", "attempts", Format::Count),
    m(
        "timeouts",
        "timeouts",
        "Timeouts",
        "attempts",
        Format::Count,
    ),
    m(
        "throttled",
        "throttled",
        "Rejected by the throttle",
        "attempts",
        Format::Count,
    ),
    m(
        "recovered_after_s",
        "recovered",
        "Recovered",
        "s",
        Format::Recovery,
    ),
    m(
        "logical.arrived",
        "logical_arrived",
        "Requests",
        "requests",
        Format::Count,
    ),
    m(
        "logical.succeeded",
        "logical_succeeded",
        "Succeeded",
        "requests",
        Format::Count,
    ),
    m(
        "logical.failed",
        "logical_failed",
        "Failed",
        "requests",
        Format::Count,
    ),
    m(
        "logical.in_flight",
        "logical_in_flight",
        "Unfinished at the end",
        "requests",
        Format::Count,
    ),
    m(
        "logical.latency_ms.p50",
        "logical_p50",
        "Median latency of successes",
        "ms",
        Format::Latency,
    ),
    m(
        "logical.latency_ms.p90",
        "logical_p90",
        "90th percentile of successes",
        "ms",
        Format::Latency,
    ),
    m(
        "logical.latency_ms.p99",
        "logical_p99",
        "99th percentile of successes",
        "ms",
        Format::Latency,
    ),
    m(
        "services[].arrivals",
        "service_arrivals",
        "Attempts reaching",
        "attempts",
        Format::Count,
    ),
    m(
        "services[].completed",
        "service_completed",
        "Served",
        "attempts",
        Format::Count,
    ),
    m(
        "services[].failed",
        "service_failed",
        "Failed",
        "attempts",
        Format::Count,
    ),
];

/// The stat rows of a widget block without `stats`.
pub const DEFAULT_STATS: [&str; 5] = [
    "latency_ms.p50",
    "latency_ms.p99",
    "throughput_rps",
    "failed_or_rejected",
    "max_mean_queue",
];

/// `path` with its server or service index replaced by `[]`, the list
/// (`servers` or `services`) and the index.
fn pattern(path: &str) -> (String, Option<(&'static str, usize)>) {
    for list in ["servers", "services", "theory.groups"] {
        let Some(rest) = path.strip_prefix(list).and_then(|r| r.strip_prefix('[')) else {
            continue;
        };
        if let Some((digits, tail)) = rest.split_once(']')
            && let Ok(i) = digits.parse::<usize>()
        {
            return (format!("{list}[]{tail}"), Some((list, i)));
        }
    }
    (path.to_string(), None)
}

/// Summary blocks present only when the run has that mechanism.
const OPTIONAL_BLOCKS: [&str; 4] = ["breaker", "cache", "pool", "database"];

/// The metric at `path`.
pub fn metric(path: &str) -> Option<&'static Metric> {
    let (pattern, _) = pattern(path);
    METRICS
        .iter()
        .chain(CLIENT_METRICS)
        .chain(THEORY_METRICS)
        .chain(CONTENTION_METRICS)
        .chain(BREAKER_METRICS)
        .chain(CACHE_METRICS)
        .chain(POOL_METRICS)
        .find(|m| m.path == pattern)
}

/// Every metric path, comma-separated, for error messages.
pub fn metric_paths() -> String {
    METRICS
        .iter()
        .chain(CLIENT_METRICS)
        .chain(THEORY_METRICS)
        .chain(CONTENTION_METRICS)
        .chain(BREAKER_METRICS)
        .chain(CACHE_METRICS)
        .chain(POOL_METRICS)
        .map(|m| m.path)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A metric's value in one run, and which server it belongs to, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// The number, in the metric's unit.
    pub value: f64,
    /// The server it was measured at, e.g. `legacy 0`.
    pub server: Option<String>,
}

/// The number at `path` in a run summary's JSON form: a field, or a
/// derived metric of [`METRICS`]; NaN for a theory value with no formula.
pub fn read(summary: &Value, path: &str) -> Option<Reading> {
    let plain = |value| Reading {
        value,
        server: None,
    };
    let server_name = |s: &Value| {
        Some(format!(
            "{} {}",
            s.get("name")?.as_str()?,
            s.get("index")?.as_u64()?
        ))
    };
    match path {
        "failed_or_rejected" => {
            let n = |k: &str| summary.get(k).and_then(Value::as_f64);
            Some(plain(n("failed")? + n("rejected")?))
        }
        "max_mean_queue" => {
            let servers = summary.get("servers")?.as_array()?;
            let worst = servers.iter().max_by(|a, b| {
                let q = |s: &Value| s.get("mean_queue").and_then(Value::as_f64).unwrap_or(0.0);
                q(a).total_cmp(&q(b))
            });
            Some(match worst {
                Some(s) => Reading {
                    value: s.get("mean_queue")?.as_f64()?,
                    server: server_name(s),
                },
                None => plain(0.0),
            })
        }
        // `null` means the run never recovered.
        "recovered_after_s" => Some(plain(
            summary
                .get("recovered_after_s")?
                .as_f64()
                .unwrap_or(f64::INFINITY),
        )),
        // A mechanism the run does not have (no breakers, no cache): its
        // counts are zero.
        _ if OPTIONAL_BLOCKS.iter().any(|b| {
            path.strip_prefix(b)
                .is_some_and(|rest| rest.starts_with('.'))
                && summary.get(b).is_none()
        }) =>
        {
            metric(path).map(|_| plain(0.0))
        }
        // A theory value no formula describes for this scenario
        // (`theory.*`, `cache.theory_hit_ratio`).
        _ if path.contains("theory") && lookup(summary, path).is_some_and(Value::is_null) => {
            Some(plain(f64::NAN))
        }
        _ => {
            let value = lookup(summary, path)?.as_f64()?;
            let server = match pattern(path) {
                (_, Some(("servers", i))) => summary.get("servers")?.get(i).and_then(server_name),
                (_, Some((list, i))) => {
                    let name = lookup(summary, list)?.get(i)?.get("name")?.as_str()?;
                    Some(name.to_string())
                }
                _ => None,
            };
            Some(Reading { value, server })
        }
    }
}

/// One stat row as a widget shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct StatRow {
    /// Short name for scripts and tests.
    pub key: &'static str,
    /// Label.
    pub label: &'static str,
    /// The value as text.
    pub text: String,
    /// What the value is of, when the label alone does not say: a server
    /// ("legacy 0"), a group ("legacy"), "behind the cache".
    pub which: Option<String>,
    /// The exact value.
    pub value: f64,
}

impl StatRow {
    /// The value and what it is of, as one line: "1,362 (legacy 0)".
    pub fn shown(&self) -> String {
        match &self.which {
            Some(w) => format!("{} ({w})", self.text),
            None => self.text.clone(),
        }
    }
}

/// The rows for `paths` (checked by [`metric`]) in a run summary's JSON
/// form; a metric the run lacks (a server index past the end) is skipped.
pub fn stat_rows(summary: &Value, paths: &[String]) -> Vec<StatRow> {
    let behind_cache = summary.get("cache").is_some_and(|c| !c.is_null());
    paths
        .iter()
        .filter_map(|path| {
            let m = metric(path)?;
            let r = read(summary, path)?;
            let (text, which) = if r.value.is_nan() {
                ("no formula".to_string(), None)
            } else {
                // Behind a cache the first service sees only the misses:
                // its latencies are not the requests' (`logical.` are).
                let cached = (behind_cache && path.starts_with("latency_ms."))
                    .then(|| "behind the cache".to_string());
                (m.format.text(r.value), r.server.or(cached))
            };
            Some(StatRow {
                key: m.key,
                label: m.label,
                text,
                which,
                value: r.value,
            })
        })
        .collect()
}

/// The summary, as JSON, of preset `name` as it ships.
#[cfg(test)]
fn preset_summary(name: &str) -> Value {
    let preset = crate::preset(name).expect("a shipped preset");
    let run = brownout_sim::simulate(
        &preset.scenario().expect("valid"),
        brownout_sim::Limits::default(),
    );
    serde_json::to_value(&run.summary).expect("JSON")
}

#[cfg(test)]
mod tests;
