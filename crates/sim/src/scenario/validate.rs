//! The one validating function: a [`Scenario`] becomes a [`ValidScenario`]
//! or an error naming the field. Everything after it can trust the values.

use super::{Fault, FaultKind, Scenario};
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
const MAX_LIST: usize = 1_000;
const MAX_SERIES_VALUES: f64 = 2_000_000.0;

/// A scenario whose every value has been checked, with its distributions
/// compiled. Only [`Scenario::validate`] makes one.
#[derive(Clone, Debug)]
pub struct ValidScenario {
    scenario: Scenario,
    pub(crate) samplers: Vec<Sampler>,
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

    /// Total number of servers over all groups.
    pub fn server_count(&self) -> usize {
        self.scenario.servers.iter().map(|g| g.count as usize).sum()
    }
}

impl Scenario {
    /// Checks every field; the error names the first bad one.
    pub fn validate(&self) -> Result<ValidScenario, ScenarioError> {
        let s = self;
        seconds("duration_s", s.duration_s, false)?;
        seconds("warmup_s", s.warmup_s, true)?;
        rate("traffic.rate_rps", s.traffic.rate_rps, false)?;
        list("traffic.changes", s.traffic.changes.len())?;
        for (i, c) in s.traffic.changes.iter().enumerate() {
            let p = format!("traffic.changes[{i}]");
            start(&format!("{p}.at_s"), c.at_s, s.duration_s)?;
            if let Some(d) = c.for_s {
                seconds(&format!("{p}.for_s"), d, false)?;
            }
            rate(&format!("{p}.rate_rps"), c.rate_rps, true)?;
        }
        let expected_requests = expected_arrivals(s);
        if expected_requests > MAX_REQUESTS {
            return Err(ScenarioError::new(
                "duration_s",
                format!(
                    "this run would simulate about {expected_requests:.0} requests, more than the limit of {MAX_REQUESTS:.0}: shorten duration_s or warmup_s, or lower traffic.rate_rps"
                ),
            ));
        }
        seconds("balancer.ewma_decay_s", s.balancer.ewma_decay_s, false)?;
        millis("balancer.default_rtt_ms", s.balancer.default_rtt_ms)?;
        let samplers = self.validate_servers()?;
        list("faults", s.faults.len())?;
        for (i, f) in s.faults.iter().enumerate() {
            self.validate_fault(&format!("faults[{i}]"), f)?;
        }
        let b = s.metrics.bucket_s;
        if !(b.is_finite() && b >= 0.001 && b <= s.duration_s && s.duration_s / b <= MAX_BUCKETS) {
            return Err(ScenarioError::new(
                "metrics.bucket_s",
                format!(
                    "must be between 0.001 s and duration_s, giving at most {MAX_BUCKETS} buckets; got {b}"
                ),
            ));
        }
        let values =
            s.duration_s / b * self.servers.iter().map(|g| f64::from(g.count)).sum::<f64>();
        if values > MAX_SERIES_VALUES {
            return Err(ScenarioError::new(
                "metrics.bucket_s",
                format!(
                    "{b} s buckets over {} servers make {values:.0} per-server values, more than {MAX_SERIES_VALUES:.0}: use wider buckets",
                    self.servers.iter().map(|g| g.count).sum::<u32>()
                ),
            ));
        }
        Ok(ValidScenario {
            scenario: self.clone(),
            samplers,
            expected_requests,
        })
    }

    fn validate_servers(&self) -> Result<Vec<Sampler>, ScenarioError> {
        if self.servers.is_empty() {
            return Err(ScenarioError::new(
                "servers",
                "needs at least one [[servers]] group",
            ));
        }
        list("servers", self.servers.len())?;
        let total: u64 = self.servers.iter().map(|g| u64::from(g.count)).sum();
        if total > MAX_SERVERS {
            return Err(ScenarioError::new(
                "servers",
                format!("at most {MAX_SERVERS} servers in all, got {total}"),
            ));
        }
        let mut samplers = Vec::with_capacity(self.servers.len());
        for (i, g) in self.servers.iter().enumerate() {
            let p = format!("servers[{i}]");
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
            if let Some(name) = &g.name
                && (name.is_empty() || name.chars().count() > 40)
            {
                return Err(ScenarioError::new(
                    format!("{p}.name"),
                    "must have 1 to 40 characters",
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

    fn validate_fault(&self, p: &str, f: &Fault) -> Result<(), ScenarioError> {
        let Some(group) = self.servers.get(f.group) else {
            return Err(ScenarioError::new(
                format!("{p}.group"),
                format!(
                    "no [[servers]] group {}; groups are numbered 0 to {}",
                    f.group,
                    self.servers.len() - 1
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
            (FaultKind::Down, Some(_)) => {
                return Err(ScenarioError::new(
                    format!("{p}.factor"),
                    "only a slow fault takes a factor",
                ));
            }
            (FaultKind::Down, None) => {}
        }
        start(&format!("{p}.at_s"), f.at_s, self.duration_s)?;
        if let Some(d) = f.for_s {
            seconds(&format!("{p}.for_s"), d, false)?;
        }
        Ok(())
    }
}

/// Expected arrivals: the integral of the rate schedule over the whole run.
fn expected_arrivals(s: &Scenario) -> f64 {
    let schedule = crate::arrivals::RateSchedule::new(s);
    schedule.integral(s.warmup_s + s.duration_s)
}

fn seconds(field: &str, v: f64, zero_ok: bool) -> Result<(), ScenarioError> {
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

fn millis(field: &str, v: f64) -> Result<(), ScenarioError> {
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
