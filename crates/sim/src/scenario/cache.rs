//! Keys and caches: `[keys]` gives requests a key (Zipf popularity that can
//! shift, and a miss cost per key), `[cache]` sits in front of the first
//! service and answers the keys it holds.
//!
//! ```toml
//! [keys]
//! count = 100000          # keys 0..count, key 0 the most popular
//! zipf = 0.9              # popularity of the key of rank r ∝ 1 / (r + 1)^zipf
//! cost_ms = { dist = "mixture", parts = [ … ] }   # drawn once per key: a miss's work
//! [[keys.shifts]]
//! at_s = 120              # from then on, rank r names key (r + offset) mod count
//! offset = 50000
//! [cache]
//! capacity = 5000
//! eviction = "lru"        # lru | lfu | fifo | random
//! ttl_s = 60
//! protection = "none"     # none | coalesce | stale_while_revalidate | early_recompute
//! ```

use serde::{Deserialize, Serialize};

use super::ScenarioError;
use super::validate::{millis, seconds};
use crate::dist::{Distribution, Sampler};

/// Most keys of a key space.
pub const MAX_KEYS: u32 = 1_000_000;

/// The keys requests name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keys {
    /// Number of keys, `0..count`.
    pub count: u32,
    /// Zipf exponent: the key of popularity rank `r` (from 0) is asked for
    /// with probability ∝ `1 / (r + 1)^zipf`; 0 is uniform.
    #[serde(default = "default_zipf")]
    pub zipf: f64,
    /// Each key's miss cost in milliseconds of backend work, drawn once per
    /// key; absent, a miss costs the backend's own `service_ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_ms: Option<Distribution>,
    /// Which keys get which costs: at random, or the costliest to the
    /// rarest (long-tail queries are the expensive ones; after a shift the
    /// newly hot keys are the formerly rare, costly ones).
    #[serde(default)]
    pub cost_order: CostOrder,
    /// Popularity shifts (a flash sale making cold keys hot).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shifts: Vec<KeyShift>,
}

/// How the costs drawn for the keys are handed out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostOrder {
    /// Key by key, independent of popularity.
    #[default]
    Random,
    /// Sorted: the most popular key (at time 0) the cheapest, the rarest
    /// the costliest.
    Rarest,
    /// Sorted the other way: the most popular key the costliest (a home
    /// page built from many queries).
    Hottest,
}

fn default_zipf() -> f64 {
    1.0
}

/// From `at_s` on, popularity rank `r` names key `(r + offset) mod count`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyShift {
    /// Seconds after warm-up.
    pub at_s: f64,
    /// How far the ranks move.
    pub offset: u32,
}

/// Which entry a full cache gives up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Eviction {
    /// The least recently used.
    #[default]
    Lru,
    /// The least frequently requested (perfect LFU: counts of every key ever
    /// asked for; a key asked for less than the least cached is not cached).
    Lfu,
    /// The oldest inserted.
    Fifo,
    /// One at random.
    Random,
}

/// What happens when a cached key expires while it is in demand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protection {
    /// Every miss recomputes (a stampede on a hot key).
    #[default]
    None,
    /// Misses of a key being recomputed wait for that one recomputation
    /// (single flight).
    Coalesce,
    /// An expired entry is still served while one recomputation refreshes it.
    StaleWhileRevalidate,
    /// Probabilistic early recomputation (XFetch, Vattani et al., VLDB
    /// 2015): a hit at time t recomputes when t − D·beta·ln(U) ≥ expiry, D
    /// the last recomputation's duration, U uniform on (0, 1].
    EarlyRecompute,
}

/// A cache in front of the first service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cache {
    /// Entries it holds.
    pub capacity: u32,
    /// Which entry a full cache gives up.
    #[serde(default)]
    pub eviction: Eviction,
    /// Seconds an entry lives; absent, entries live until evicted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_s: Option<f64>,
    /// A hit restarts its entry's TTL (otherwise it counts from insertion).
    #[serde(default)]
    pub ttl_refresh: bool,
    /// Each TTL is drawn uniformly from `ttl_s × (1 − ttl_jitter)` to
    /// `ttl_s`, so entries inserted together do not expire together.
    #[serde(default)]
    pub ttl_jitter: f64,
    /// Protection of expiring keys.
    #[serde(default)]
    pub protection: Protection,
    /// XFetch's `beta` (early recomputation only): above 1 recomputes
    /// earlier, below 1 later.
    #[serde(default = "default_beta")]
    pub beta: f64,
    /// Milliseconds to answer a hit.
    #[serde(default)]
    pub hit_ms: f64,
}

fn default_beta() -> f64 {
    1.0
}

/// Checks `[keys]` and every cache (`(path, cache)`, e.g.
/// `layers[0].cache`); returns the miss-cost sampler.
pub(super) fn validate(
    keys: Option<&Keys>,
    caches: &[(String, &Cache)],
    duration_s: f64,
) -> Result<Option<Sampler>, ScenarioError> {
    let bad = |field: &str, why: String| Err(ScenarioError::new(field, why));
    let Some(k) = keys else {
        return match caches.first() {
            Some((path, _)) => bad(
                path,
                "a cache needs a [keys] table: the keys requests ask for".to_string(),
            ),
            None => Ok(None),
        };
    };
    if !(1..=MAX_KEYS).contains(&k.count) {
        return bad(
            "keys.count",
            format!("must be between 1 and {MAX_KEYS}, got {}", k.count),
        );
    }
    if !(k.zipf.is_finite() && (0.0..=3.0).contains(&k.zipf)) {
        return bad(
            "keys.zipf",
            format!("must be between 0 (uniform) and 3, got {}", k.zipf),
        );
    }
    if k.shifts.len() > 100 {
        return bad(
            "keys.shifts",
            format!("at most 100 entries, got {}", k.shifts.len()),
        );
    }
    for (i, s) in k.shifts.iter().enumerate() {
        let p = format!("keys.shifts[{i}]");
        if !(s.at_s.is_finite() && s.at_s >= 0.0 && s.at_s < duration_s) {
            return bad(
                &format!("{p}.at_s"),
                format!(
                    "must lie in the measured run, from 0 to below duration_s ({duration_s}) seconds, got {}",
                    s.at_s
                ),
            );
        }
        if s.offset >= k.count {
            return bad(
                &format!("{p}.offset"),
                format!("must be below keys.count ({}), got {}", k.count, s.offset),
            );
        }
        if i > 0 && s.at_s <= k.shifts[i - 1].at_s {
            return bad(
                &format!("{p}.at_s"),
                "shifts must be in increasing order of at_s".to_string(),
            );
        }
    }
    let cost = k
        .cost_ms
        .as_ref()
        .map(|d| d.compile("keys.cost_ms"))
        .transpose()?;
    for (p, c) in caches {
        let field = |name: &str| format!("{p}.{name}");
        if !(1..=k.count).contains(&c.capacity) {
            return bad(
                &field("capacity"),
                format!(
                    "must be between 1 and keys.count ({}) entries, got {}",
                    k.count, c.capacity
                ),
            );
        }
        if let Some(t) = c.ttl_s {
            seconds(&field("ttl_s"), t, false)?;
        }
        if !(c.ttl_jitter.is_finite() && (0.0..1.0).contains(&c.ttl_jitter)) {
            return bad(
                &field("ttl_jitter"),
                format!("must be from 0 to below 1, got {}", c.ttl_jitter),
            );
        }
        if !(c.beta.is_finite() && c.beta > 0.0 && c.beta <= 100.0) {
            return bad(
                &field("beta"),
                format!("must be above 0 and at most 100, got {}", c.beta),
            );
        }
        if c.hit_ms != 0.0 {
            millis(&field("hit_ms"), c.hit_ms)
                .map_err(|e| ScenarioError::new(e.field, format!("{} (or 0)", e.message)))?;
        }
        let needs_ttl = matches!(
            c.protection,
            Protection::StaleWhileRevalidate | Protection::EarlyRecompute
        );
        if needs_ttl && c.ttl_s.is_none() {
            return bad(
                &field("protection"),
                "stale_while_revalidate and early_recompute need entries that expire: set cache.ttl_s"
                    .to_string(),
            );
        }
    }
    Ok(cost)
}
