//! A scenario is data: the whole system under test as one serde struct.
//!
//! Presets, share links and CLI files are all this struct. Untrusted text
//! becomes a [`ValidScenario`] through [`parse`] (or [`Scenario::validate`]),
//! which names the offending field, and the line for files; the engine only
//! accepts a `ValidScenario`.

use serde::{Deserialize, Serialize};

use crate::dist::Distribution;
use crate::error::ScenarioError;

mod breaker;
mod cache;
mod client;
mod contention;
mod expected;
mod fields;
#[cfg(feature = "toml")]
mod locate;
mod path;
mod pool;
mod routes;
mod set;
mod validate;

pub use breaker::{Breaker, OnOpen, Scope as BreakerScope, Window as BreakerWindow};
pub use cache::{Cache, CostOrder, Eviction, KeyShift, Keys, MAX_KEYS, Protection};
pub use client::{Backoff, BackoffKind, Budget, Client, Jitter, RetryOn, Throttle};
pub use contention::{Contention, MAX_CONTENDERS};
pub use fields::{Bound, FieldInfo, FieldKind, STRUCTURAL};
pub use path::{FieldStep, field_steps};
pub(crate) use pool::QueryWork;
pub use pool::{Database, MAX_BURSTS, MAX_DB_UNITS, MAX_POOL, Pool};
pub use routes::{breakers_per_member, cumulative_shares, group_bounds};
pub use set::{number_value, scenario_from_value};
pub use validate::{MAX_LIST, MAX_REQUESTS, ValidScenario};

/// The system under test: traffic → (client) → balancer → groups of
/// servers, whose servers may call further layers of services.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Seed of every random stream of the run.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Measured simulated time in seconds.
    pub duration_s: f64,
    /// Simulated seconds before measurement starts, excluded from all
    /// statistics. Scenario times (`at_s`) count from the end of warm-up.
    #[serde(default)]
    pub warmup_s: f64,
    /// The offered load (absent in a `[contention]` scenario).
    #[serde(default, skip_serializing_if = "Traffic::is_unset")]
    pub traffic: Traffic,
    /// How the traffic's callers send to the first service: timeouts,
    /// retries, backoff, budgets, throttling, network. Absent: each request
    /// is sent once and waited for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<Client>,
    /// How requests are spread over servers.
    #[serde(default)]
    pub balancer: Balancer,
    /// Groups of identical servers; repeat the table for a mixed fleet
    /// (none in a `[contention]` scenario).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<ServerGroup>,
    /// Clients contending for one record instead of traffic and servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contention: Option<Contention>,
    /// The keys requests name (with a cache, or to give misses a cost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<Keys>,
    /// A cache in front of the first service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<Cache>,
    /// A connection pool behind the last service's servers (or, without
    /// `[[servers]]`, in front of the database the traffic queries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<Pool>,
    /// The database behind `[pool]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<Database>,
    /// Services behind the first one: the servers of each layer call the
    /// next layer once per request they serve, after their own work.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<Layer>,
    /// Faults injected over time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<Fault>,
    /// How results are bucketed over time.
    #[serde(default)]
    pub metrics: Metrics,
}

fn enabled() -> bool {
    true
}

fn default_seed() -> u64 {
    1
}

/// A service behind the first one, called by the servers of the layer above.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// A label for reports ("backend"); defaults to `layer-N`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// How the servers of the layer above call this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<Client>,
    /// How this layer's requests are spread over its servers.
    #[serde(default)]
    pub balancer: Balancer,
    /// This layer's groups of servers.
    pub servers: Vec<ServerGroup>,
    /// A cache in front of this layer (requests keep the key the traffic
    /// gave them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<Cache>,
}

/// The offered load: open (arrivals at a rate, whatever happens) or closed
/// (a population of clients, each waiting for its previous request to end,
/// then thinking, then sending the next).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// Open traffic: mean arrival rate in requests per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_rps: Option<f64>,
    /// Closed traffic: the number of clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clients: Option<u32>,
    /// Closed traffic: each client's think time in milliseconds between
    /// the end of one request and the send of the next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub think_ms: Option<Distribution>,
    /// Poisson (exponential gaps) or constant (evenly spaced) arrivals.
    #[serde(default)]
    pub arrival: Arrival,
    /// Changes of the rate over time: steps and spikes, the outage triggers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<RateChange>,
    /// Closed traffic: how the clients begin, thinking (the default) or
    /// all sending at once (an application restarting).
    #[serde(default, skip_serializing_if = "Start::is_thinking")]
    pub start: Start,
}

/// How closed clients begin.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Start {
    /// Each thinks first, so sends are spread from the start.
    #[default]
    Thinking,
    /// All send their first request at time 0.
    AllAtOnce,
}

impl Start {
    pub(crate) fn is_thinking(&self) -> bool {
        *self == Start::Thinking
    }
}

impl Traffic {
    /// No traffic given at all (a `[contention]` scenario).
    pub fn is_unset(&self) -> bool {
        *self == Traffic::default()
    }
}

/// How arrivals are spaced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arrival {
    /// Exponentially distributed gaps: a Poisson process.
    #[default]
    Poisson,
    /// Gaps of exactly `1 / rate`.
    Constant,
}

/// The rate becomes `rate_rps` from `at_s` for `for_s` seconds (a spike), or
/// to the end of the run when `for_s` is absent (a step). When changes
/// overlap, the later one in the list wins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateChange {
    /// Whether the change happens (a widget can switch it off).
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// Start, in seconds after warm-up.
    pub at_s: f64,
    /// Length in seconds; absent means until the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_s: Option<f64>,
    /// Arrival rate in requests per second during the change.
    pub rate_rps: f64,
}

/// The load balancer in front of all servers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Balancer {
    /// The policy that picks a server for each request.
    pub policy: Policy,
    /// Peak EWMA: decay time constant of the latency average, in seconds.
    #[serde(default = "default_decay_s")]
    pub ewma_decay_s: f64,
    /// Peak EWMA: latency assumed for a server before its first response, in
    /// milliseconds.
    #[serde(default = "default_rtt_ms")]
    pub default_rtt_ms: f64,
    /// Independent balancers routing at once, each taking a random equal
    /// share of the arrivals; 1 by default.
    #[serde(default = "one_balancer", skip_serializing_if = "is_one_balancer")]
    pub balancers: u32,
    /// How often, in milliseconds, each balancer learns the servers' load
    /// (outstanding requests); between refreshes it routes on the load as
    /// it was at the last one. 0 (the default) is a live view.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub view_refresh_ms: f64,
}

impl Default for Balancer {
    fn default() -> Self {
        Balancer {
            policy: Policy::RoundRobin,
            ewma_decay_s: default_decay_s(),
            default_rtt_ms: default_rtt_ms(),
            balancers: one_balancer(),
            view_refresh_ms: 0.0,
        }
    }
}

fn one_balancer() -> u32 {
    1
}

fn is_one_balancer(n: &u32) -> bool {
    *n == 1
}

fn default_decay_s() -> f64 {
    10.0
}

fn default_rtt_ms() -> f64 {
    100.0
}

/// Load-balancing policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Each server in turn, skipping servers that are down.
    RoundRobin,
    /// Smooth weighted round robin, as nginx does it.
    WeightedRoundRobin,
    /// A uniformly random server.
    Random,
    /// The server with the fewest outstanding requests.
    LeastConnections,
    /// Two distinct random servers; the one with fewer outstanding wins.
    PowerOfTwo,
    /// Two distinct random servers; the lower peak-EWMA cost wins
    /// (latency EWMA × (outstanding + 1), as in Finagle and tower).
    PeakEwma,
}

impl Policy {
    /// Every policy, in the order the site lists them.
    pub const ALL: [Policy; 6] = [
        Policy::RoundRobin,
        Policy::WeightedRoundRobin,
        Policy::Random,
        Policy::LeastConnections,
        Policy::PowerOfTwo,
        Policy::PeakEwma,
    ];

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Policy::RoundRobin => "Round robin",
            Policy::WeightedRoundRobin => "Weighted round robin",
            Policy::Random => "Random",
            Policy::LeastConnections => "Least connections",
            Policy::PowerOfTwo => "Power of two choices",
            Policy::PeakEwma => "Peak EWMA",
        }
    }

    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Policy::RoundRobin => "round_robin",
            Policy::WeightedRoundRobin => "weighted_round_robin",
            Policy::Random => "random",
            Policy::LeastConnections => "least_connections",
            Policy::PowerOfTwo => "power_of_two",
            Policy::PeakEwma => "peak_ewma",
        }
    }
}

/// A group of identical servers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerGroup {
    /// A label for reports ("legacy"); defaults to `group-N`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Number of servers in the group.
    pub count: u32,
    /// Requests each server serves at once.
    pub workers: u32,
    /// Speed factor: a request's work is divided by it (0.5 takes twice as long).
    #[serde(default = "default_speed")]
    pub speed: f64,
    /// Weight for weighted round robin; defaults to speed × workers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Most requests waiting per server; beyond it arrivals are rejected.
    /// Absent means unbounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_capacity: Option<u32>,
    /// Work of a request at speed 1, in milliseconds.
    pub service_ms: Distribution,
    /// The relative share of the service's requests meant for this group.
    /// With shares, each group is a dependency of its own behind one front
    /// door: a logical request goes to one group by share (all its
    /// attempts to the same one), and the balancer spreads it over that
    /// group's servers only. Set on every group of a service or on none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Concurrency slowdown: a request's service time is its work ×
    /// (1 + x · the number of other requests in service on the server when
    /// it starts), so overload slows everyone down. 0 (the default) is none.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub slowdown_per_active: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

fn is_zero_usize(x: &usize) -> bool {
    *x == 0
}

fn default_speed() -> f64 {
    1.0
}

/// A fault on one server or a whole group over a window of time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Whether the fault happens (a widget can switch it off).
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// The service it hits: 0 (the default) is the first one, `N` is
    /// `layers[N - 1]`.
    #[serde(default, skip_serializing_if = "is_zero_usize")]
    pub layer: usize,
    /// Index of the `[[servers]]` group of that service, from 0.
    pub group: usize,
    /// Index of the server within the group; absent means every server of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<u32>,
    /// What goes wrong.
    pub kind: FaultKind,
    /// For `slow`: service takes this many times longer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    /// For `errors`: the probability that an attempt fails, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// Start, in seconds after warm-up.
    pub at_s: f64,
    /// Length in seconds; absent means until the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_s: Option<f64>,
}

/// Kinds of fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Requests that start service take `factor` times longer.
    Slow,
    /// The server is down: in-flight and queued requests fail, and the
    /// balancer routes nothing to it.
    Down,
    /// Each attempt served fails independently with `probability` (the
    /// server does the work, then answers with an error).
    Errors,
}

/// Time-series settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    /// Width of a time-series bucket in simulated seconds.
    #[serde(default = "default_bucket_s")]
    pub bucket_s: f64,
    /// The latency objective in milliseconds: `within_slo` is the share of
    /// logical requests that succeeded within it.
    #[serde(default = "default_slo_ms")]
    pub slo_ms: f64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            bucket_s: default_bucket_s(),
            slo_ms: default_slo_ms(),
        }
    }
}

fn default_slo_ms() -> f64 {
    1000.0
}

fn default_bucket_s() -> f64 {
    1.0
}

/// The text format of a scenario file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// TOML (the documented format).
    Toml,
    /// JSON with the same fields.
    Json,
}

impl Format {
    /// Guesses the format of `text`: JSON when it opens with `{`.
    pub fn sniff(text: &str) -> Format {
        if text.trim_start().starts_with('{') {
            Format::Json
        } else {
            Format::Toml
        }
    }
}

/// Parses and validates a scenario; errors name the field and the line.
///
/// TOML needs the `toml` feature (on by default); without it only JSON is
/// read and TOML text gets an error saying so.
pub fn parse(text: &str, format: Format) -> Result<ValidScenario, ScenarioError> {
    let scenario: Scenario = match format {
        Format::Toml => from_toml(text)?,
        Format::Json => from_json(text)?,
    };
    scenario.validate().map_err(|mut e| {
        e.line = line_of(text, format, &e.field);
        e
    })
}

/// A scenario from JSON text; the error names the field path.
#[cfg(feature = "toml")]
fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = field_of(e.path());
        let inner = e.into_inner();
        ScenarioError {
            field,
            message: inner.to_string(),
            line: Some(inner.line()),
        }
    })
}

/// A scenario from JSON text, without field paths in errors (the site's
/// embedded presets, checked when they were converted).
/// Goes through a `serde_json::Value` and [`scenario_from_value`], as
/// `Scenario::with_value` does, so the site's wasm holds one copy of the
/// scenario's deserializer, not two.
#[cfg(not(feature = "toml"))]
fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
    let syntax = |e: serde_json::Error| ScenarioError {
        field: String::new(),
        message: e.to_string(),
        line: Some(e.line()),
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(syntax)?;
    scenario_from_value(&value).map_err(|message| ScenarioError {
        field: String::new(),
        message,
        line: None,
    })
}

/// A serde path (`servers[0].service_ms`) as a field path; empty for the
/// document itself.
#[cfg(feature = "toml")]
pub(crate) fn field_of(path: &serde_path_to_error::Path) -> String {
    let p = path.to_string();
    if p == "." { String::new() } else { p }
}

#[cfg(feature = "toml")]
fn from_toml(text: &str) -> Result<Scenario, ScenarioError> {
    let syntax = |e: toml::de::Error| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        ScenarioError {
            field: String::new(),
            message: e.message().trim().to_string(),
            line,
        }
    };
    let de = toml::Deserializer::parse(text).map_err(syntax)?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = field_of(e.path());
        let mut err = syntax(e.into_inner());
        err.field = field;
        err
    })
}

#[cfg(not(feature = "toml"))]
fn from_toml(_: &str) -> Result<Scenario, ScenarioError> {
    Err(ScenarioError::new(
        "",
        "this build reads JSON scenarios only (the `toml` feature is off)",
    ))
}

fn line_of(text: &str, format: Format, field: &str) -> Option<usize> {
    match format {
        #[cfg(feature = "toml")]
        Format::Toml => locate::toml_line(text, field),
        _ => {
            let _ = (text, field);
            None
        }
    }
}

impl Scenario {
    /// When the last trigger ends, seconds after warm-up: the latest end of
    /// an enabled rate change or fault that has a length; 0 when none has.
    pub fn trigger_end_s(&self) -> f64 {
        crate::engine::trigger_end(self)
    }

    /// The scenario as TOML text that [`parse`] reads back identically.
    pub fn to_toml(&self) -> String {
        // Serialising plain data with finite numbers cannot fail.
        toml::to_string(self).unwrap_or_else(|e| format!("# cannot write scenario: {e}\n"))
    }
}

#[cfg(all(test, feature = "toml"))]
mod toml_tests {
    use super::*;

    #[test]
    fn toml_keeps_the_structs_order_and_reads_back_identically() {
        let text = "seed = 3\nduration_s = 60\n[traffic]\nrate_rps = 90\n[balancer]\npolicy = \"random\"\n[[servers]]\nname = \"a\"\ncount = 2\nworkers = 1\nservice_ms = { dist = \"lognormal\", mean = 100, p99 = 400 }\n[client]\ntimeout_ms = 500\nretries = 2\n";
        let s = parse(text, Format::Toml).expect("valid");
        let out = s.scenario().to_toml();
        let at = |key: &str| out.find(key).unwrap_or_else(|| panic!("{key} in\n{out}"));
        assert!(at("seed") < at("duration_s"), "{out}");
        assert!(at("[traffic]") < at("[balancer]") && at("[balancer]") < at("[[servers]]"));
        assert!(!out.contains("null"), "{out}");
        let back = parse(&out, Format::Toml).expect("reads back");
        assert_eq!(back.scenario(), s.scenario());
    }
}
