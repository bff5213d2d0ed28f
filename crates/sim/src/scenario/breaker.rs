//! A circuit breaker in a client, with the semantics of widely used
//! libraries such as resilience4j: closed, open, half-open.
//!
//! ```text
//!            failure or slow-call rate ≥ threshold,
//!            once the window holds min_calls calls
//!  CLOSED ─────────────────────────────────────────> OPEN ──open_ms──> HALF-OPEN
//!    ^                                                 ^                  │
//!    │      the half_open_calls trial calls:           │  rates ≥ threshold
//!    └──────────── rates below thresholds ─────────────┴──────────────────┘
//! ```

use serde::{Deserialize, Serialize};

use super::validate::{millis, seconds};
use crate::error::ScenarioError;

fn enabled() -> bool {
    true
}

/// A circuit breaker: `[client] breaker = { … }` (and per layer).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Breaker {
    /// Whether the breaker applies (a widget can switch it off).
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// What the window holds: the last `window_size` calls (`count`), or
    /// the calls of the last `window_size` seconds (`time`).
    #[serde(default)]
    pub window: Window,
    /// Calls (`count`) or seconds (`time`) in the window; default 100.
    #[serde(default = "default_window_size")]
    pub window_size: f64,
    /// Percentage of failed calls in the window (timeouts, rejections and
    /// failures) at or above which the breaker opens; default 50.
    #[serde(default = "default_rate")]
    pub failure_rate: f64,
    /// A call that took at least this long (milliseconds, from the send to
    /// its outcome) is slow; absent means slowness is not counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slow_call_ms: Option<f64>,
    /// Percentage of slow calls in the window at or above which the
    /// breaker opens (when `slow_call_ms` is set); default 100.
    #[serde(default = "default_slow_rate")]
    pub slow_call_rate: f64,
    /// Calls the window must hold before the breaker may open; default
    /// 100. (With a count window smaller than this, a full window is
    /// enough.)
    #[serde(default = "default_min_calls")]
    pub min_calls: u32,
    /// Milliseconds spent open before letting trial calls through; default
    /// 60,000.
    #[serde(default = "default_open_ms")]
    pub open_ms: f64,
    /// Trial calls let through when half-open; default 10. When all have
    /// ended, the breaker closes, or reopens if their failure or slow-call
    /// rate reaches the threshold. Further calls meanwhile fail fast.
    #[serde(default = "default_half_open_calls")]
    pub half_open_calls: u32,
    /// What a call refused by an open breaker gets; default `fail_fast`.
    #[serde(default)]
    pub on_open: OnOpen,
    /// One breaker per what; default `client`.
    #[serde(default)]
    pub scope: Scope,
}

impl Default for Breaker {
    fn default() -> Self {
        Breaker {
            enabled: true,
            window: Window::Count,
            window_size: default_window_size(),
            failure_rate: default_rate(),
            slow_call_ms: None,
            slow_call_rate: default_slow_rate(),
            min_calls: default_min_calls(),
            open_ms: default_open_ms(),
            half_open_calls: default_half_open_calls(),
            on_open: OnOpen::FailFast,
            scope: Scope::Client,
        }
    }
}

fn default_window_size() -> f64 {
    100.0
}

fn default_rate() -> f64 {
    50.0
}

fn default_slow_rate() -> f64 {
    100.0
}

fn default_min_calls() -> u32 {
    100
}

fn default_open_ms() -> f64 {
    60_000.0
}

fn default_half_open_calls() -> u32 {
    10
}

/// What a breaker's window holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    /// The last `window_size` calls.
    #[default]
    Count,
    /// The calls that ended in the last `window_size` seconds.
    Time,
}

/// What a call refused by an open breaker gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnOpen {
    /// It fails at once, without reaching the dependency, and is not
    /// retried.
    #[default]
    FailFast,
    /// A fallback answers it at once (a cached or default answer): it
    /// counts as succeeded.
    Fallback,
}

/// How many breakers a client keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// One per client: with closed traffic, one per member of the
    /// population; with open traffic (or a layer's servers), one for the
    /// client component.
    #[default]
    Client,
    /// One per dependency: per server group of the service it calls when
    /// the groups have shares (`[[servers]] share`), else one, as `client`.
    Dependency,
    /// One per server instance of the service it calls. The client then
    /// picks the instance itself, uniformly at random for each attempt
    /// (client-side balancing); a call whose instance's breaker is open
    /// is refused even when other instances are healthy.
    Server,
}

/// Most calls in a count window, trial calls and `min_calls`.
const MAX_BREAKER_CALLS: f64 = 100_000.0;

impl Breaker {
    /// Checks every field; `p` is the table's path (`client.breaker`).
    pub(super) fn validate(&self, p: &str) -> Result<(), ScenarioError> {
        let b = self;
        let bad = |field: &str, why: String| Err(ScenarioError::new(format!("{p}.{field}"), why));
        match b.window {
            Window::Count => {
                let n = b.window_size;
                if !(n.is_finite() && n.fract() == 0.0 && (1.0..=MAX_BREAKER_CALLS).contains(&n)) {
                    return bad(
                        "window_size",
                        format!("a count window holds 1 to 100000 whole calls, got {n}"),
                    );
                }
            }
            Window::Time => seconds(&format!("{p}.window_size"), b.window_size, false)?,
        }
        for (field, v) in [
            ("failure_rate", b.failure_rate),
            ("slow_call_rate", b.slow_call_rate),
        ] {
            if !(v.is_finite() && v > 0.0 && v <= 100.0) {
                return bad(
                    field,
                    format!("must be a percentage above 0 and at most 100, got {v}"),
                );
            }
        }
        if let Some(ms) = b.slow_call_ms {
            millis(&format!("{p}.slow_call_ms"), ms)?;
        }
        millis(&format!("{p}.open_ms"), b.open_ms)?;
        for (field, v) in [
            ("min_calls", b.min_calls),
            ("half_open_calls", b.half_open_calls),
        ] {
            if !(1.0..=MAX_BREAKER_CALLS).contains(&f64::from(v)) {
                return bad(field, format!("must be from 1 to 100000 calls, got {v}"));
            }
        }
        Ok(())
    }
}
