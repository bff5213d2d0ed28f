//! What each field of a scenario is, for people: its label, its unit, a
//! sensible range and step, or its choices. Knobs, the playground and
//! error messages read it; a widget block may override any of it.
//!
//! Paths are matched with their indices removed (`servers[].count`), and a
//! `layers[N].` prefix names the same field of a deeper service, so
//! `layers[1].client.retries` is "Retries (database)".

use super::path::{FieldStep, field_steps};
use super::{BackoffKind, Jitter, Policy, Scenario};

/// A bound of a numeric field's range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// This value.
    Fixed(f64),
    /// The field's current value times this (ranges that scale with the preset).
    Times(f64),
    /// The scenario's `duration_s`.
    Duration,
}

/// The control that suits a field.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldKind {
    /// A number with a unit, in a sensible range.
    Number {
        /// Unit shown after the value ("ms", "req/s", "×", "servers").
        unit: &'static str,
        /// Lowest sensible value.
        min: Bound,
        /// Highest sensible value.
        max: Bound,
        /// Step between values.
        step: f64,
    },
    /// On or off.
    Toggle,
    /// One of several values: `(value in files, label)`.
    Choice(Vec<(&'static str, &'static str)>),
}

/// A field's label and control.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldInfo {
    /// What the field is, in words ("Retries per request").
    pub label: String,
    /// How to set it.
    pub kind: FieldKind,
}

impl FieldInfo {
    /// The unit of a numeric field; for toggles and choices, "".
    pub fn unit(&self) -> &'static str {
        match self.kind {
            FieldKind::Number { unit, .. } => unit,
            _ => "",
        }
    }
}

/// Fields that are structure, not settings: no control suits them.
pub const STRUCTURAL: [&str; 7] = [
    "seed", "name", "dist", "group", "server", "layer", "retry_on",
];

const fn num(unit: &'static str, min: Bound, max: Bound, step: f64) -> FieldKind {
    FieldKind::Number {
        unit,
        min,
        max,
        step,
    }
}

use Bound::{Duration, Fixed, Times};

/// Label and kind of a field of one service (path after any `layers[N].`).
fn service_field(path: &str) -> Option<(&'static str, FieldKind)> {
    Some(match path {
        "balancer.policy" => (
            "Balancer policy",
            FieldKind::Choice(Policy::ALL.iter().map(|p| (p.name(), p.label())).collect()),
        ),
        "balancer.ewma_decay_s" => ("Peak EWMA decay", num("s", Fixed(0.1), Fixed(60.0), 0.1)),
        "balancer.default_rtt_ms" => (
            "Latency assumed before the first response",
            num("ms", Fixed(1.0), Fixed(2000.0), 1.0),
        ),
        "balancer.balancers" => (
            "Number of balancers",
            num("balancers", Fixed(1.0), Fixed(16.0), 1.0),
        ),
        "balancer.view_refresh_ms" => (
            "Refresh of each balancer's view of the load",
            num("ms", Fixed(0.0), Fixed(5000.0), 50.0),
        ),
        "servers[].count" => (
            "Number of {group} servers",
            num("servers", Fixed(1.0), Fixed(50.0), 1.0),
        ),
        "servers[].workers" => (
            "Workers per {group} server",
            num("workers", Fixed(1.0), Fixed(64.0), 1.0),
        ),
        "servers[].speed" => (
            "Speed of {group} servers",
            num("×", Fixed(0.1), Fixed(3.0), 0.05),
        ),
        "servers[].weight" => (
            "Weight of {group} servers",
            num("×", Fixed(0.1), Fixed(10.0), 0.1),
        ),
        "servers[].queue_capacity" => (
            "Queue capacity",
            num("requests", Fixed(0.0), Fixed(1000.0), 1.0),
        ),
        "servers[].share" => (
            "Share of requests for {group}",
            num("×", Fixed(0.1), Fixed(10.0), 0.1),
        ),
        "servers[].slowdown_per_active" => (
            "Slowdown per other request in service ({group})",
            num("×", Fixed(0.0), Fixed(0.5), 0.01),
        ),
        "client.timeout_ms" => (
            "Timeout per attempt",
            num("ms", Fixed(10.0), Fixed(10_000.0), 10.0),
        ),
        "client.retries" => (
            "Retries per request",
            num("retries", Fixed(0.0), Fixed(10.0), 1.0),
        ),
        "client.backoff.kind" => (
            "Backoff",
            FieldKind::Choice(
                [
                    BackoffKind::None,
                    BackoffKind::Constant,
                    BackoffKind::Exponential,
                ]
                .iter()
                .map(|k| (k.name(), k.label()))
                .collect(),
            ),
        ),
        "client.backoff.base_ms" => ("Backoff base", num("ms", Fixed(1.0), Fixed(2000.0), 1.0)),
        "client.backoff.cap_ms" => ("Backoff cap", num("ms", Fixed(10.0), Fixed(60_000.0), 10.0)),
        "client.backoff.jitter" => (
            "Jitter",
            FieldKind::Choice(
                [
                    Jitter::None,
                    Jitter::Full,
                    Jitter::Equal,
                    Jitter::Decorrelated,
                ]
                .iter()
                .map(|j| (j.name(), j.label()))
                .collect(),
            ),
        ),
        "client.budget.enabled" => ("Retry budget", FieldKind::Toggle),
        "client.budget.ratio" => (
            "Retry budget per request",
            num("tokens", Fixed(0.01), Fixed(1.0), 0.01),
        ),
        "client.budget.capacity" => (
            "Retry budget capacity",
            num("tokens", Fixed(1.0), Fixed(100.0), 1.0),
        ),
        "client.throttle.enabled" => ("Adaptive throttling", FieldKind::Toggle),
        "client.throttle.k" => (
            "Throttle multiplier K",
            num("×", Fixed(1.0), Fixed(5.0), 0.1),
        ),
        "client.throttle.window_s" => ("Throttle window", num("s", Fixed(1.0), Fixed(600.0), 1.0)),
        "client.breaker.enabled" => ("Circuit breaker", FieldKind::Toggle),
        "client.breaker.window" => (
            "Breaker window",
            FieldKind::Choice(vec![
                ("count", "The last N calls"),
                ("time", "The last N seconds"),
            ]),
        ),
        "client.breaker.window_size" => (
            "Breaker window size",
            num("calls or s", Fixed(1.0), Fixed(1000.0), 1.0),
        ),
        "client.breaker.failure_rate" => (
            "Failure rate that opens the breaker",
            num("%", Fixed(1.0), Fixed(100.0), 1.0),
        ),
        "client.breaker.slow_call_ms" => (
            "A slow call takes at least",
            num("ms", Fixed(10.0), Fixed(10_000.0), 10.0),
        ),
        "client.breaker.slow_call_rate" => (
            "Slow-call rate that opens the breaker",
            num("%", Fixed(1.0), Fixed(100.0), 1.0),
        ),
        "client.breaker.min_calls" => (
            "Calls before the breaker may open",
            num("calls", Fixed(1.0), Fixed(1000.0), 1.0),
        ),
        "client.breaker.open_ms" => (
            "Time the breaker stays open",
            num("ms", Fixed(100.0), Fixed(300_000.0), 100.0),
        ),
        "client.breaker.half_open_calls" => (
            "Trial calls when half-open",
            num("calls", Fixed(1.0), Fixed(100.0), 1.0),
        ),
        "client.breaker.on_open" => (
            "When the breaker is open",
            FieldKind::Choice(vec![
                ("fail_fast", "Fail fast"),
                ("fallback", "Answer with a fallback"),
            ]),
        ),
        "client.breaker.scope" => (
            "One breaker per",
            FieldKind::Choice(vec![
                ("client", "Client (one for everything)"),
                ("dependency", "Dependency"),
                ("server", "Server instance"),
            ]),
        ),
        "keys.count" => (
            "Number of keys",
            num("keys", Fixed(10.0), Times(10.0), 10.0),
        ),
        "keys.zipf" => (
            "Popularity skew (Zipf exponent)",
            num("exponent", Fixed(0.0), Fixed(2.0), 0.05),
        ),
        "keys.cost_order" => (
            "Which keys are costly",
            FieldKind::Choice(vec![
                ("random", "Any, at random"),
                ("rarest", "The rarest"),
                ("hottest", "The most popular"),
            ]),
        ),
        "keys.shifts[].at_s" => ("Popularity shifts at", num("s", Fixed(0.0), Duration, 1.0)),
        "keys.shifts[].offset" => (
            "Popularity moves by",
            num("keys", Fixed(0.0), Times(2.0), 1.0),
        ),
        "cache.capacity" => (
            "Cache capacity",
            num("entries", Fixed(1.0), Times(10.0), 1.0),
        ),
        "cache.eviction" => (
            "Eviction",
            FieldKind::Choice(vec![
                ("lru", "Least recently used"),
                ("lfu", "Least frequently used"),
                ("fifo", "Oldest first"),
                ("random", "At random"),
            ]),
        ),
        "cache.ttl_s" => ("Time to live", num("s", Fixed(0.1), Times(10.0), 0.1)),
        "cache.ttl_refresh" => ("A hit restarts the time to live", FieldKind::Toggle),
        "cache.ttl_jitter" => ("TTL jitter", num("×", Fixed(0.0), Fixed(0.9), 0.05)),
        "cache.protection" => (
            "Protection of expiring keys",
            FieldKind::Choice(vec![
                ("none", "None: every miss recomputes"),
                ("coalesce", "Coalesce misses"),
                ("stale_while_revalidate", "Serve stale while revalidating"),
                ("early_recompute", "Recompute early (XFetch)"),
            ]),
        ),
        "cache.beta" => (
            "Early recomputation beta",
            num("×", Fixed(0.1), Fixed(10.0), 0.1),
        ),
        "cache.hit_ms" => (
            "Time to answer a hit",
            num("ms", Fixed(0.0), Fixed(50.0), 0.1),
        ),
        _ => return None,
    })
}

/// The label of a distribution parameter (`mean`, `p99`, …) of the
/// distribution called `what`.
fn distribution_field(what: &str, param: &str) -> Option<(String, FieldKind)> {
    let ms = |max: f64| num("ms", Fixed(1.0), Times(max), 1.0);
    Some(match param {
        "value" => (what.to_string(), ms(4.0)),
        "mean" => (format!("Mean {}", lower_first(what)), ms(4.0)),
        "min" => (format!("Shortest {}", lower_first(what)), ms(4.0)),
        "max" => (format!("Longest {}", lower_first(what)), ms(4.0)),
        "p99" => (format!("p99 {}", lower_first(what)), ms(4.0)),
        "sigma" => (
            format!("Spread (σ) of {}", lower_first(what)),
            num("σ", Fixed(0.1), Fixed(4.0), 0.05),
        ),
        "sd" => (format!("Spread (sd) of {}", lower_first(what)), ms(4.0)),
        "weight" => (
            format!("Weight of this part of {}", lower_first(what)),
            num("×", Fixed(0.1), Fixed(100.0), 0.1),
        ),
        _ => return None,
    })
}

/// `s` with its first letter in lower case. ASCII only: labels are ASCII
/// letters (a test of brownout-content checks every label), and Unicode's
/// case tables would add about 9 KB (gzip) to the site's wasm.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_ascii_lowercase().to_string() + c.as_str()
    })
}

/// The path with indices removed (`servers[2].count` → `servers[].count`).
fn pattern(path: &str) -> String {
    let mut out = String::new();
    for step in field_steps(path) {
        match step {
            FieldStep::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            FieldStep::Index(_) => out.push_str("[]"),
        }
    }
    out
}

impl Scenario {
    /// What the field at `path` is: label, unit, range or choices; `None`
    /// for a path no control suits (structure, or no such field).
    pub fn field_info(&self, path: &str) -> Option<FieldInfo> {
        let steps = field_steps(path);
        let (layer, rest) = match steps.as_slice() {
            [FieldStep::Key("layers"), FieldStep::Index(i), ..] => {
                let prefix = format!("layers[{i}].");
                (*i + 1, path.strip_prefix(&prefix)?.to_string())
            }
            _ => (0, path.to_string()),
        };
        let pat = pattern(&rest);
        let group = match field_steps(&rest).as_slice() {
            [FieldStep::Key("servers"), FieldStep::Index(g), ..] => self
                .groups(layer)
                .get(*g)
                .map(|s| s.name.clone().unwrap_or_else(|| format!("group {g}"))),
            _ => None,
        };
        let suffix = match layer {
            0 => String::new(),
            n => format!(
                " ({})",
                self.layers[n - 1]
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("layer {n}"))
            ),
        };
        let named = |label: &str| {
            let mut l = label.replace("{group}", group.as_deref().unwrap_or("the"));
            l.push_str(&suffix);
            l
        };
        if let Some((label, kind)) = service_field(&pat) {
            return Some(FieldInfo {
                label: named(label),
                kind,
            });
        }
        // Distributions: work, think time, network delay (mixture parts too).
        for (field, what) in [
            ("service_ms", "Service time ({group})"),
            ("think_ms", "Think time"),
            ("network_ms", "Network delay each way"),
            ("cost_ms", "Miss cost per key"),
            ("cpu_ms", "CPU work per query"),
            ("io_ms", "Disk work per query"),
        ] {
            if let Some(at) = pat.find(field) {
                let param = pat.rsplit('.').next().unwrap_or_default();
                let tail = &pat[at + field.len()..];
                if tail == format!(".{param}") || tail.starts_with(".parts[]") {
                    let (label, kind) = distribution_field(&named(what), param)?;
                    return Some(FieldInfo { label, kind });
                }
            }
        }
        if layer > 0 {
            return None;
        }
        let (label, kind) = match pat.as_str() {
            "duration_s" => ("Simulated time", num("s", Fixed(10.0), Times(4.0), 10.0)),
            "warmup_s" => ("Warm-up", num("s", Fixed(0.0), Times(4.0), 1.0)),
            "traffic.rate_rps" => ("Arrival rate", num("req/s", Fixed(1.0), Times(2.0), 1.0)),
            "traffic.arrival" => (
                "Arrivals",
                FieldKind::Choice(vec![("poisson", "Poisson"), ("constant", "Evenly spaced")]),
            ),
            "traffic.clients" => ("Clients", num("clients", Fixed(1.0), Times(4.0), 1.0)),
            "traffic.start" => (
                "Clients begin by",
                FieldKind::Choice(vec![
                    ("thinking", "Thinking"),
                    ("all_at_once", "All sending at once"),
                ]),
            ),
            "pool.size" => ("Pool size", num("connections", Fixed(1.0), Times(4.0), 1.0)),
            "pool.acquire_timeout_ms" => (
                "Acquire timeout",
                num("ms", Fixed(1.0), Fixed(30_000.0), 1.0),
            ),
            "pool.leak" => (
                "Checkouts never returned",
                num("of checkouts", Fixed(0.0), Fixed(0.01), 0.0001),
            ),
            "database.cores" => (
                "Database cores",
                num("cores", Fixed(1.0), Fixed(128.0), 1.0),
            ),
            "database.disks" => ("Database disks", num("disks", Fixed(0.0), Fixed(64.0), 1.0)),
            "database.bursts" => (
                "CPU and disk rounds per query",
                num("rounds", Fixed(1.0), Fixed(20.0), 1.0),
            ),
            "database.sigma" => (
                "Contention (USL sigma)",
                num("share", Fixed(0.0), Fixed(0.1), 0.0001),
            ),
            "database.kappa" => (
                "Coherency (USL kappa)",
                num("per pair", Fixed(0.0), Fixed(0.001), 0.000_000_01),
            ),
            "contention.clients" => (
                "Clients contending",
                num("clients", Fixed(1.0), Fixed(200.0), 1.0),
            ),
            "traffic.changes[].enabled" => ("Traffic change", FieldKind::Toggle),
            "traffic.changes[].rate_rps" => (
                "Rate during the change",
                num("req/s", Fixed(0.0), Times(2.0), 1.0),
            ),
            "traffic.changes[].at_s" | "faults[].at_s" => {
                ("Starts at", num("s", Fixed(0.0), Duration, 1.0))
            }
            "traffic.changes[].for_s" | "faults[].for_s" => {
                ("Lasts", num("s", Fixed(1.0), Duration, 1.0))
            }
            "faults[].enabled" => ("Fault", FieldKind::Toggle),
            "faults[].kind" => (
                "Fault kind",
                FieldKind::Choice(vec![
                    ("slow", "Slow"),
                    ("down", "Down"),
                    ("errors", "Errors"),
                ]),
            ),
            "faults[].factor" => ("Slowdown factor", num("×", Fixed(1.0), Fixed(20.0), 0.5)),
            "faults[].probability" => (
                "Share of attempts that fail",
                num("of attempts", Fixed(0.0), Fixed(1.0), 0.01),
            ),
            "metrics.bucket_s" => ("Time-series bucket", num("s", Fixed(0.1), Fixed(60.0), 0.1)),
            "metrics.slo_ms" => (
                "Latency objective (SLO)",
                num("ms", Fixed(10.0), Fixed(10_000.0), 10.0),
            ),
            _ => return None,
        };
        Some(FieldInfo {
            label: label.to_string(),
            kind,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Format, parse};

    const TEXT: &str = "duration_s = 60\n[traffic]\nrate_rps = 5\n[client]\nretries = 3\n[[servers]]\nname = \"legacy\"\ncount = 1\nworkers = 1\nservice_ms = { dist = \"exponential\", mean = 10 }\n[[layers]]\nname = \"database\"\nclient = { retries = 2 }\n[[layers.servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"mixture\", parts = [ { weight = 1, dist = \"constant\", value = 5 } ] }\n";

    fn scenario() -> Scenario {
        parse(TEXT, Format::Toml).expect("valid").scenario().clone()
    }

    #[test]
    fn fields_are_labelled_with_their_group_and_layer() {
        let s = scenario();
        let info = |p: &str| s.field_info(p).map(|i| (i.label.clone(), i.unit()));
        assert_eq!(
            info("servers[0].count"),
            Some(("Number of legacy servers".into(), "servers"))
        );
        assert_eq!(
            info("client.retries"),
            Some(("Retries per request".into(), "retries"))
        );
        assert_eq!(
            info("layers[0].client.retries"),
            Some(("Retries per request (database)".into(), "retries"))
        );
        assert_eq!(
            info("servers[0].service_ms.mean"),
            Some(("Mean service time (legacy)".into(), "ms"))
        );
        assert_eq!(
            info("client.network_ms.mean"),
            Some(("Mean network delay each way".into(), "ms"))
        );
        assert_eq!(
            info("layers[0].servers[0].service_ms.parts[0].value"),
            Some(("Service time (group 0) (database)".into(), "ms"))
        );
        assert_eq!(info("seed"), None);
        assert_eq!(info("layers[0].duration_s"), None);
    }

    #[test]
    fn choices_list_every_value_the_format_accepts() {
        let s = scenario();
        let Some(FieldInfo {
            kind: FieldKind::Choice(c),
            ..
        }) = s.field_info("client.backoff.jitter")
        else {
            panic!("jitter is a choice")
        };
        let values: Vec<&str> = c.iter().map(|x| x.0).collect();
        assert_eq!(values, ["none", "full", "equal", "decorrelated"]);
    }
}
