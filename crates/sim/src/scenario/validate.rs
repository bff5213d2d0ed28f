//! The one validating function: a [`Scenario`] becomes a [`ValidScenario`]
//! or an error naming the field. Everything after it can trust the values.

use super::{Client, Distribution, Fault, FaultKind, Scenario, ServerGroup};
use crate::dist::{MAX_MS, MIN_MS, Sampler};
use crate::error::ScenarioError;

/// Most requests a scenario may ask for (warm-up included); a bigger one is
/// refused rather than run for an hour.
pub const MAX_REQUESTS: f64 = 50_000_000.0;
const MAX_SECONDS: f64 = 1.0e7;
const MAX_RATE: f64 = 1.0e7;
const MAX_SERVERS: u64 = 10_000;
const MAX_WORKERS: u32 = 10_000;
const MAX_BUCKETS: f64 = 100_000.0;
/// Most entries in a list (groups, layers, faults…).
pub const MAX_LIST: usize = 1_000;
const MAX_SERIES_VALUES: f64 = 2_000_000.0;
const MAX_LAYERS: usize = 8;
const MAX_BALANCERS: u32 = 64;
const MAX_RETRIES: u32 = 100;
const MAX_CLIENTS: u32 = 1_000_000;

/// A scenario whose every value has been checked, with its distributions
/// compiled. Only [`Scenario::validate`] makes one.
#[derive(Clone, Debug)]
pub struct ValidScenario {
    scenario: Scenario,
    /// Work samplers per service (0 = the first, N = `layers[N - 1]`), per
    /// server group.
    pub(crate) samplers: Vec<Vec<Sampler>>,
    /// Network delay samplers of each service's client, by service.
    pub(crate) networks: Vec<Option<Sampler>>,
    /// Think time of closed traffic.
    pub(crate) think: Option<Sampler>,
    /// Network delay of each hop of a `[contention]` scenario.
    pub(crate) contention_network: Option<Sampler>,
    /// Each key's miss cost (`keys.cost_ms`).
    pub(crate) key_cost: Option<Sampler>,
    /// The work of a `[database]`'s queries.
    pub(crate) query: Option<super::QueryWork>,
    expected_requests: f64,
}

impl ValidScenario {
    /// The scenario as written.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Expected number of arrivals, warm-up included.
    pub fn expected_requests(&self) -> f64 {
        self.expected_requests
    }

    /// Total number of servers over all groups of the first service.
    pub fn server_count(&self) -> usize {
        self.scenario.servers.iter().map(|g| g.count as usize).sum()
    }
}

impl Scenario {
    /// The server groups of service `layer` (0 = the first, N = `layers[N - 1]`).
    pub fn groups(&self, layer: usize) -> &[ServerGroup] {
        match layer {
            0 => &self.servers,
            n => self.layers.get(n - 1).map_or(&[], |l| &l.servers),
        }
    }

    /// The client of service `layer`, if it has one.
    pub fn client_of(&self, layer: usize) -> Option<&Client> {
        match layer {
            0 => self.client.as_ref(),
            n => self.layers.get(n - 1).and_then(|l| l.client.as_ref()),
        }
    }

    /// The cache in front of service `layer`, if it has one.
    pub fn cache_of(&self, layer: usize) -> Option<&super::Cache> {
        match layer {
            0 => self.cache.as_ref(),
            n => self.layers.get(n - 1).and_then(|l| l.cache.as_ref()),
        }
    }

    /// The field path of the cache in front of service `layer`.
    pub fn cache_path(layer: usize) -> String {
        match layer {
            0 => "cache".to_string(),
            n => format!("layers[{}].cache", n - 1),
        }
    }

    /// The field path of service `layer`'s server groups.
    pub fn groups_path(layer: usize) -> String {
        match layer {
            0 => "servers".to_string(),
            n => format!("layers[{}].servers", n - 1),
        }
    }

    /// The field path of service `layer`'s client.
    pub fn client_path(layer: usize) -> String {
        match layer {
            0 => "client".to_string(),
            n => format!("layers[{}].client", n - 1),
        }
    }
}

impl Scenario {
    /// Checks every field; the error names the first bad one.
    pub fn validate(&self) -> Result<ValidScenario, ScenarioError> {
        let s = self;
        seconds("duration_s", s.duration_s, false)?;
        seconds("warmup_s", s.warmup_s, true)?;
        if let Some(c) = &s.contention {
            let network = self.validate_contention(c)?;
            self.validate_metrics(0)?;
            if s.keys.is_some() || s.cache.is_some() {
                return Err(ScenarioError::new(
                    if s.cache.is_some() { "cache" } else { "keys" },
                    "a [contention] scenario has no requests with keys: remove [keys] and [cache]",
                ));
            }
            return Ok(ValidScenario {
                scenario: self.clone(),
                samplers: Vec::new(),
                networks: vec![None],
                think: None,
                contention_network: Some(network),
                key_cost: None,
                query: None,
                // Every client writes at least once; without jitter nearly
                // all of them collide every round (about N²/2 writes).
                expected_requests: f64::from(c.clients).powi(2),
            });
        }
        let think = self.validate_traffic()?;
        list("traffic.changes", s.traffic.changes.len())?;
        for (i, c) in s.traffic.changes.iter().enumerate() {
            let p = format!("traffic.changes[{i}]");
            start(&format!("{p}.at_s"), c.at_s, s.duration_s)?;
            if let Some(d) = c.for_s {
                seconds(&format!("{p}.for_s"), d, false)?;
            }
            rate(&format!("{p}.rate_rps"), c.rate_rps, true)?;
        }
        if s.layers.len() > MAX_LAYERS {
            return Err(ScenarioError::new(
                "layers",
                format!("at most {MAX_LAYERS} layers, got {}", s.layers.len()),
            ));
        }
        let query = super::pool::validate(s)?;
        let mut samplers = Vec::with_capacity(1 + s.layers.len());
        let mut networks = Vec::with_capacity(1 + s.layers.len());
        for layer in 0..=s.layers.len() {
            let balancer = match layer {
                0 => &s.balancer,
                n => &s.layers[n - 1].balancer,
            };
            let bp = match layer {
                0 => "balancer".to_string(),
                n => format!("layers[{}].balancer", n - 1),
            };
            seconds(&format!("{bp}.ewma_decay_s"), balancer.ewma_decay_s, false)?;
            millis(&format!("{bp}.default_rtt_ms"), balancer.default_rtt_ms)?;
            if !(1..=MAX_BALANCERS).contains(&balancer.balancers) {
                return Err(ScenarioError::new(
                    format!("{bp}.balancers"),
                    format!(
                        "must be between 1 and {MAX_BALANCERS}, got {}",
                        balancer.balancers
                    ),
                ));
            }
            let refresh = balancer.view_refresh_ms;
            if refresh != 0.0 {
                millis(&format!("{bp}.view_refresh_ms"), refresh).map_err(|e| {
                    ScenarioError::new(e.field, format!("{} (or 0 for a live view)", e.message))
                })?;
            }
            if layer > 0
                && let Some(name) = &s.layers[layer - 1].name
            {
                label(&format!("layers[{}].name", layer - 1), name)?;
            }
            // Queries straight to a pool need no application servers.
            let bare = layer == 0 && s.layers.is_empty() && s.pool.is_some();
            samplers.push(match s.groups(layer) {
                [] if bare => Vec::new(),
                groups => validate_groups(&Scenario::groups_path(layer), groups)?,
            });
            super::routes::validate(s, layer)?;
            networks.push(match s.client_of(layer) {
                Some(c) => validate_client(&Scenario::client_path(layer), c)?,
                None => None,
            });
        }
        let total: u64 = (0..=s.layers.len())
            .flat_map(|l| s.groups(l))
            .map(|g| u64::from(g.count))
            .sum();
        if total > MAX_SERVERS {
            return Err(ScenarioError::new(
                "servers",
                format!("at most {MAX_SERVERS} servers in all layers, got {total}"),
            ));
        }
        for layer in 0..=s.layers.len() {
            super::routes::validate_scope(s, layer)?;
        }
        let expected_requests = super::expected::expected_arrivals(s);
        if expected_requests > MAX_REQUESTS {
            return Err(ScenarioError::new(
                "duration_s",
                format!(
                    "this run would simulate about {expected_requests:.0} requests, more than the limit of {MAX_REQUESTS:.0}: shorten duration_s or warmup_s, or lower traffic.rate_rps"
                ),
            ));
        }
        list("faults", s.faults.len())?;
        for (i, f) in s.faults.iter().enumerate() {
            self.validate_fault(&format!("faults[{i}]"), f)?;
        }
        self.validate_metrics(total)?;
        let caches: Vec<(String, &super::Cache)> = (0..=s.layers.len())
            .filter_map(|l| s.cache_of(l).map(|c| (Scenario::cache_path(l), c)))
            .collect();
        let key_cost = super::cache::validate(s.keys.as_ref(), &caches, s.duration_s)?;
        Ok(ValidScenario {
            scenario: self.clone(),
            samplers,
            networks,
            think,
            contention_network: None,
            key_cost,
            query,
            expected_requests,
        })
    }

    /// The `[metrics]` table, for a run with `servers` servers.
    fn validate_metrics(&self, servers: u64) -> Result<(), ScenarioError> {
        let s = self;
        let total = servers;
        let b = s.metrics.bucket_s;
        if !(b.is_finite() && b >= 0.001 && b <= s.duration_s && s.duration_s / b <= MAX_BUCKETS) {
            return Err(ScenarioError::new(
                "metrics.bucket_s",
                format!(
                    "must be between 0.001 s and duration_s, giving at most {MAX_BUCKETS} buckets; got {b}"
                ),
            ));
        }
        let values = s.duration_s / b * total as f64;
        if values > MAX_SERIES_VALUES {
            return Err(ScenarioError::new(
                "metrics.bucket_s",
                format!(
                    "{b} s buckets over {total} servers make {values:.0} per-server values, more than {MAX_SERIES_VALUES:.0}: use wider buckets"
                ),
            ));
        }
        millis("metrics.slo_ms", s.metrics.slo_ms)
    }

    /// Open traffic (`rate_rps`) or closed (`clients` and `think_ms`), not
    /// both; returns the think-time sampler of closed traffic.
    fn validate_traffic(&self) -> Result<Option<Sampler>, ScenarioError> {
        let t = &self.traffic;
        match (t.rate_rps, t.clients) {
            (Some(r), None) => {
                rate("traffic.rate_rps", r, false)?;
                if t.think_ms.is_some() {
                    return Err(ScenarioError::new(
                        "traffic.think_ms",
                        "only closed traffic (traffic.clients) has a think time",
                    ));
                }
                Ok(None)
            }
            (None, Some(n)) => {
                if !(1..=MAX_CLIENTS).contains(&n) {
                    return Err(ScenarioError::new(
                        "traffic.clients",
                        format!("must be between 1 and {MAX_CLIENTS}, got {n}"),
                    ));
                }
                if !t.changes.is_empty() {
                    return Err(ScenarioError::new(
                        "traffic.changes",
                        "rate changes apply to open traffic (rate_rps); closed traffic has none",
                    ));
                }
                let Some(think) = &t.think_ms else {
                    return Err(ScenarioError::new(
                        "traffic.think_ms",
                        "closed traffic needs a think time, e.g. think_ms = { dist = \"exponential\", mean = 1000 }",
                    ));
                };
                Ok(Some(match think {
                    Distribution::Constant { value } if *value == 0.0 => Sampler::Constant(0.0),
                    d => d.compile("traffic.think_ms")?,
                }))
            }
            (Some(_), Some(_)) => Err(ScenarioError::new(
                "traffic.clients",
                "give either rate_rps (open traffic) or clients (closed traffic), not both",
            )),
            (None, None) => Err(ScenarioError::new(
                "traffic.rate_rps",
                "give rate_rps (open traffic, requests per second) or clients and think_ms (closed traffic)",
            )),
        }
    }
}

/// Checks a client table; returns its network delay sampler.
fn validate_client(p: &str, c: &Client) -> Result<Option<Sampler>, ScenarioError> {
    if let Some(t) = c.timeout_ms {
        millis(&format!("{p}.timeout_ms"), t)?;
    }
    if c.retries > MAX_RETRIES {
        return Err(ScenarioError::new(
            format!("{p}.retries"),
            format!("must be at most {MAX_RETRIES}, got {}", c.retries),
        ));
    }
    if c.retry_on.len() > 3 {
        return Err(ScenarioError::new(
            format!("{p}.retry_on"),
            "lists each of timeout, rejected, failed at most once",
        ));
    }
    let b = &c.backoff;
    millis(&format!("{p}.backoff.base_ms"), b.base_ms)?;
    millis(&format!("{p}.backoff.cap_ms"), b.cap_ms)?;
    if b.cap_ms < b.base_ms {
        return Err(ScenarioError::new(
            format!("{p}.backoff.cap_ms"),
            format!("must be at least base_ms ({}), got {}", b.base_ms, b.cap_ms),
        ));
    }
    if let Some(budget) = &c.budget {
        if !(budget.ratio.is_finite() && budget.ratio > 0.0 && budget.ratio <= 100.0) {
            return Err(ScenarioError::new(
                format!("{p}.budget.ratio"),
                format!(
                    "must be above 0 and at most 100 tokens per request, got {}",
                    budget.ratio
                ),
            ));
        }
        if !(budget.capacity.is_finite() && (1.0..=1e9).contains(&budget.capacity)) {
            return Err(ScenarioError::new(
                format!("{p}.budget.capacity"),
                format!("must be between 1 and 1e9 tokens, got {}", budget.capacity),
            ));
        }
    }
    if let Some(t) = &c.throttle {
        if !(t.k.is_finite() && (1.0..=100.0).contains(&t.k)) {
            return Err(ScenarioError::new(
                format!("{p}.throttle.k"),
                format!("must be between 1 and 100, got {}", t.k),
            ));
        }
        seconds(&format!("{p}.throttle.window_s"), t.window_s, false)?;
    }
    if let Some(b) = &c.breaker {
        b.validate(&format!("{p}.breaker"))?;
    }
    c.network_ms
        .as_ref()
        .map(|d| d.compile(&format!("{p}.network_ms")))
        .transpose()
}

fn label(field: &str, name: &str) -> Result<(), ScenarioError> {
    if name.is_empty() || name.chars().count() > 40 {
        return Err(ScenarioError::new(field, "must have 1 to 40 characters"));
    }
    Ok(())
}

/// Checks one service's server groups (`path` is `servers` or
/// `layers[N].servers`); returns their work samplers.
fn validate_groups(path: &str, groups: &[ServerGroup]) -> Result<Vec<Sampler>, ScenarioError> {
    {
        if groups.is_empty() {
            return Err(ScenarioError::new(
                path,
                "needs at least one [[servers]] group",
            ));
        }
        list(path, groups.len())?;
        let mut samplers = Vec::with_capacity(groups.len());
        for (i, g) in groups.iter().enumerate() {
            let p = format!("{path}[{i}]");
            if g.count == 0 {
                return Err(ScenarioError::new(
                    format!("{p}.count"),
                    "must be at least 1, got 0",
                ));
            }
            if !(1..=MAX_WORKERS).contains(&g.workers) {
                return Err(ScenarioError::new(
                    format!("{p}.workers"),
                    format!("must be between 1 and {MAX_WORKERS}, got {}", g.workers),
                ));
            }
            factor(&format!("{p}.speed"), g.speed)?;
            if let Some(w) = g.weight {
                factor(&format!("{p}.weight"), w)?;
            }
            if let Some(name) = &g.name {
                label(&format!("{p}.name"), name)?;
            }
            let x = g.slowdown_per_active;
            if !(x.is_finite() && (0.0..=100.0).contains(&x)) {
                return Err(ScenarioError::new(
                    format!("{p}.slowdown_per_active"),
                    format!("must be between 0 and 100, got {x}"),
                ));
            }
            if let Some(c) = g.queue_capacity
                && c > 10_000_000
            {
                return Err(ScenarioError::new(
                    format!("{p}.queue_capacity"),
                    format!("must be at most 10000000 (or absent for unbounded), got {c}"),
                ));
            }
            samplers.push(g.service_ms.compile(&format!("{p}.service_ms"))?);
        }
        Ok(samplers)
    }
}

impl Scenario {
    fn validate_fault(&self, p: &str, f: &Fault) -> Result<(), ScenarioError> {
        if f.layer > self.layers.len() {
            return Err(ScenarioError::new(
                format!("{p}.layer"),
                format!(
                    "no layer {}; 0 is the first service and 1 to {} are [[layers]]",
                    f.layer,
                    self.layers.len()
                ),
            ));
        }
        let groups = self.groups(f.layer);
        let Some(group) = groups.get(f.group) else {
            return Err(ScenarioError::new(
                format!("{p}.group"),
                format!(
                    "no group {} in {}; groups are numbered 0 to {}",
                    f.group,
                    Scenario::groups_path(f.layer),
                    groups.len().saturating_sub(1)
                ),
            ));
        };
        if let Some(s) = f.server
            && s >= group.count
        {
            return Err(ScenarioError::new(
                format!("{p}.server"),
                format!(
                    "group {} has servers 0 to {}, got {s}",
                    f.group,
                    group.count - 1
                ),
            ));
        }
        match (f.kind, f.factor) {
            (FaultKind::Slow, Some(x)) => factor(&format!("{p}.factor"), x)?,
            (FaultKind::Slow, None) => {
                return Err(ScenarioError::new(
                    format!("{p}.factor"),
                    "a slow fault needs a factor (e.g. factor = 3 for three times slower)",
                ));
            }
            (_, Some(_)) => {
                return Err(ScenarioError::new(
                    format!("{p}.factor"),
                    "only a slow fault takes a factor",
                ));
            }
            (_, None) => {}
        }
        match (f.kind, f.probability) {
            (FaultKind::Errors, Some(q)) if (0.0..=1.0).contains(&q) => {}
            (FaultKind::Errors, Some(q)) => {
                return Err(ScenarioError::new(
                    format!("{p}.probability"),
                    format!("must be between 0 and 1, got {q}"),
                ));
            }
            (FaultKind::Errors, None) => {
                return Err(ScenarioError::new(
                    format!("{p}.probability"),
                    "an errors fault needs a probability (e.g. probability = 0.5)",
                ));
            }
            (_, Some(_)) => {
                return Err(ScenarioError::new(
                    format!("{p}.probability"),
                    "only an errors fault takes a probability",
                ));
            }
            (_, None) => {}
        }
        start(&format!("{p}.at_s"), f.at_s, self.duration_s)?;
        if let Some(d) = f.for_s {
            seconds(&format!("{p}.for_s"), d, false)?;
        }
        Ok(())
    }
}

pub(super) fn seconds(field: &str, v: f64, zero_ok: bool) -> Result<(), ScenarioError> {
    let ok = v.is_finite() && (v > 0.0 || (zero_ok && v == 0.0)) && v <= MAX_SECONDS;
    if ok {
        return Ok(());
    }
    let lower = if zero_ok { "0 or more" } else { "above 0" };
    Err(ScenarioError::new(
        field,
        format!("must be {lower} and at most {MAX_SECONDS} seconds, got {v}"),
    ))
}

fn start(field: &str, v: f64, duration: f64) -> Result<(), ScenarioError> {
    if v.is_finite() && v >= 0.0 && v < duration {
        Ok(())
    } else {
        Err(ScenarioError::new(
            field,
            format!(
                "must lie in the measured run, from 0 to below duration_s ({duration}) seconds, got {v}"
            ),
        ))
    }
}

fn rate(field: &str, v: f64, zero_ok: bool) -> Result<(), ScenarioError> {
    if v.is_finite() && (v > 0.0 || (zero_ok && v == 0.0)) && v <= MAX_RATE {
        Ok(())
    } else {
        let lower = if zero_ok { "0 or more" } else { "above 0" };
        Err(ScenarioError::new(
            field,
            format!("must be {lower} and at most {MAX_RATE} requests per second, got {v}"),
        ))
    }
}

pub(super) fn millis(field: &str, v: f64) -> Result<(), ScenarioError> {
    if v.is_finite() && (MIN_MS..=MAX_MS).contains(&v) {
        Ok(())
    } else {
        Err(ScenarioError::new(
            field,
            format!("must be between {MIN_MS} and {MAX_MS} milliseconds, got {v}"),
        ))
    }
}

fn factor(field: &str, v: f64) -> Result<(), ScenarioError> {
    if v.is_finite() && (0.001..=1000.0).contains(&v) {
        Ok(())
    } else {
        Err(ScenarioError::new(
            field,
            format!("must be between 0.001 and 1000, got {v}"),
        ))
    }
}

fn list(field: &str, n: usize) -> Result<(), ScenarioError> {
    if n <= MAX_LIST {
        Ok(())
    } else {
        Err(ScenarioError::new(
            field,
            format!("at most {MAX_LIST} entries, got {n}"),
        ))
    }
}
