//! The client side of a call: per-attempt timeouts, retries, backoff with
//! jitter, retry budgets, adaptive throttling and the network between a
//! caller and a service. One `[client]` table for the edge, and one per
//! layer for the servers that call the next layer.

use serde::{Deserialize, Serialize};

use super::Breaker;
use crate::components::backoff::BackoffPolicy;
use crate::dist::Distribution;
use crate::rng::Uniform;

fn enabled() -> bool {
    true
}

/// How a caller sends requests to a service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    /// Per-attempt timeout in milliseconds, counted from the send; absent
    /// means wait forever. A timed-out attempt is abandoned by the client,
    /// but its work still runs on the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<f64>,
    /// Most retries of one logical request: `retries = 3` is at most 4
    /// attempts.
    #[serde(default)]
    pub retries: u32,
    /// Which outcomes are retried (default: all three).
    #[serde(default = "RetryOn::all")]
    pub retry_on: Vec<RetryOn>,
    /// The wait before each retry.
    #[serde(default)]
    pub backoff: Backoff,
    /// A retry budget (token bucket); absent means retries are unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Budget>,
    /// Adaptive client-side throttling; absent means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttle: Option<Throttle>,
    /// A circuit breaker; absent means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breaker: Option<Breaker>,
    /// One-way network delay per hop in milliseconds (request and reply
    /// each draw one); absent means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_ms: Option<Distribution>,
}

/// An outcome of an attempt that a client may retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryOn {
    /// No answer within `timeout_ms`.
    Timeout,
    /// A full queue refused the attempt.
    Rejected,
    /// The attempt failed: a server went down, none was up, or it answered
    /// with an error.
    Failed,
}

impl RetryOn {
    /// Every retryable outcome: the default of `retry_on`.
    pub fn all() -> Vec<RetryOn> {
        vec![RetryOn::Timeout, RetryOn::Rejected, RetryOn::Failed]
    }
}

/// The wait before a retry, as defined in Marc Brooker's "Exponential
/// Backoff And Jitter" (AWS Architecture Blog, 2015).
///
/// With `expo(n) = min(cap, base · 2ⁿ)` for retry `n` (the first retry is
/// `n = 0`): `none` jitter waits `expo(n)`; `full` waits `U(0, expo(n))`;
/// `equal` waits `expo(n)/2 + U(0, expo(n)/2)`; `decorrelated` waits
/// `min(cap, U(base, 3 · previous wait))`, the first previous wait being
/// `base`. A `constant` kind uses `base` for `expo(n)`; kind `none` retries
/// at once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backoff {
    /// How the wait grows with the retry number.
    #[serde(default)]
    pub kind: BackoffKind,
    /// The base wait in milliseconds.
    #[serde(default = "default_base_ms")]
    pub base_ms: f64,
    /// The longest wait in milliseconds.
    #[serde(default = "default_cap_ms")]
    pub cap_ms: f64,
    /// How the wait is randomised.
    #[serde(default)]
    pub jitter: Jitter,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            kind: BackoffKind::None,
            base_ms: default_base_ms(),
            cap_ms: default_cap_ms(),
            jitter: Jitter::None,
        }
    }
}

impl Backoff {
    /// The wait before retry `n` (the first retry is 0) in seconds, as
    /// defined above; `previous_s` is the previous wait (decorrelated
    /// jitter; pass `base_ms / 1000` before the first retry).
    pub fn wait_s(&self, n: u32, previous_s: f64, rng: &mut impl Uniform) -> f64 {
        BackoffPolicy::new(self).wait(n, previous_s, rng)
    }
}

fn default_base_ms() -> f64 {
    100.0
}

fn default_cap_ms() -> f64 {
    10_000.0
}

/// How a backoff wait grows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackoffKind {
    /// Retry at once.
    #[default]
    None,
    /// Wait `base_ms` before every retry.
    Constant,
    /// Wait `min(cap, base · 2ⁿ)` before retry `n`.
    Exponential,
}

impl BackoffKind {
    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            BackoffKind::None => "none",
            BackoffKind::Constant => "constant",
            BackoffKind::Exponential => "exponential",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            BackoffKind::None => "None: retry at once",
            BackoffKind::Constant => "Constant",
            BackoffKind::Exponential => "Exponential",
        }
    }
}

/// How a backoff wait is randomised.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Jitter {
    /// The wait as computed.
    #[default]
    None,
    /// Uniform between 0 and the wait.
    Full,
    /// Half the wait plus uniform up to the other half.
    Equal,
    /// Uniform between base and three times the previous wait, capped.
    Decorrelated,
}

impl Jitter {
    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Jitter::None => "none",
            Jitter::Full => "full",
            Jitter::Equal => "equal",
            Jitter::Decorrelated => "decorrelated",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Jitter::None => "No jitter",
            Jitter::Full => "Full jitter",
            Jitter::Equal => "Equal jitter",
            Jitter::Decorrelated => "Decorrelated jitter",
        }
    }
}

/// A retry budget: a token bucket per client. Each first attempt earns
/// `ratio` tokens (up to `capacity`; the bucket starts full); a retry is
/// sent only if a whole token is there, and spends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Whether the budget applies (a widget can switch it off).
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// Tokens earned per first attempt: 0.1 allows retries on about 10% of
    /// requests.
    pub ratio: f64,
    /// Most tokens held.
    #[serde(default = "default_capacity")]
    pub capacity: f64,
}

fn default_capacity() -> f64 {
    10.0
}

/// Adaptive client throttling (Google SRE book, "Handling Overload"): the
/// client rejects an attempt locally with probability
/// `max(0, (requests − k · accepts) / (requests + 1))`, counted over the
/// last `window_s` seconds. A locally rejected attempt ends its logical
/// request as failed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Throttle {
    /// Whether throttling applies (a widget can switch it off).
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// Accepts multiplier: 2 lets twice as many requests through as the
    /// backend accepts.
    #[serde(default = "default_k")]
    pub k: f64,
    /// Length of the sliding window in seconds.
    #[serde(default = "default_window_s")]
    pub window_s: f64,
}

fn default_k() -> f64 {
    2.0
}

fn default_window_s() -> f64 {
    60.0
}
