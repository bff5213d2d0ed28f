//! A connection pool and the database behind it. `[pool]` and `[database]`
//! sit behind the `[[servers]]` (the application, whose servers each make
//! one query per request after their own work), or stand alone: the
//! traffic's requests are the application threads' queries, sent straight
//! to the pool.
//!
//! ```toml
//! [pool]
//! size = 96                  # connections
//! acquire_timeout_ms = 2000  # a waiter gives up after this long (absent: waits forever)
//! leak = 0.0                 # share of checkouts never returned
//! [database]
//! cores = 8
//! disks = 4
//! cpu_ms = { dist = "exponential", mean = 2 }    # a query's CPU work on one core
//! io_ms = { dist = "exponential", mean = 0.5 }   # then its disk work on one disk
//! bursts = 1                 # the work in this many rounds of CPU then disk
//! sigma = 0.0005             # USL contention: serialised share of the work
//! kappa = 0.00000015         # USL coherency: cost of each pair of sessions
//! ```

use serde::{Deserialize, Serialize};

use super::validate::millis;
use super::{Scenario, ScenarioError, Start};
use crate::dist::{Distribution, Sampler};

/// Most connections in a pool.
pub const MAX_POOL: u32 = 10_000;

/// Most cores, and most disks, of a database.
pub const MAX_DB_UNITS: u32 = 1_024;

/// A pool of database connections, waiters served first come, first served.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    /// Connections; a query holds one from acquire until it ends.
    pub size: u32,
    /// How long a waiter waits for a connection before it gives up (its
    /// request is rejected); absent, it waits as long as it takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquire_timeout_ms: Option<f64>,
    /// The share of checkouts never returned (a slow leak), 0 to 1.
    #[serde(default)]
    pub leak: f64,
}

/// A database: a query runs its CPU work, time-sliced over `cores`, then
/// its disk work on one of `disks`, first come, first served.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    /// CPU cores; more active queries than cores share them equally.
    pub cores: u32,
    /// Disks (effective spindles); 0 when queries do no disk work.
    #[serde(default)]
    pub disks: u32,
    /// A query's CPU work in milliseconds on one uncontended core.
    pub cpu_ms: Distribution,
    /// A query's disk work in milliseconds on one disk, after its CPU work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io_ms: Option<Distribution>,
    /// The query's work in this many equal rounds of CPU then disk (a
    /// query reading as it computes), 1 to 100; the totals stay `cpu_ms`
    /// and `io_ms`.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub bursts: u32,
    /// The Universal Scalability Law's contention term σ: with N active
    /// sessions (queries holding a connection), CPU work stretches by
    /// 1 + σ(N − 1) + κN(N − 1). σ is the share of the work serialised on
    /// something all sessions share (a lock, a latch, a hot block).
    #[serde(default)]
    pub sigma: f64,
    /// The USL's coherency term κ: the cost of every pair of sessions
    /// keeping each other's view consistent (cache lines, latches handed
    /// back and forth); it makes throughput fall, not just level off.
    #[serde(default)]
    pub kappa: f64,
}

fn one() -> u32 {
    1
}

fn is_one(v: &u32) -> bool {
    *v == 1
}

/// Most CPU and disk rounds of a query.
pub const MAX_BURSTS: u32 = 100;

impl Database {
    /// How much a query's CPU work stretches with `n` active sessions.
    pub fn inflation(&self, n: u32) -> f64 {
        crate::theory::pool::stretch(n, self.sigma, self.kappa)
    }
}

/// The compiled work of a database's queries.
#[derive(Clone, Debug)]
pub(crate) struct QueryWork {
    pub(crate) cpu: Sampler,
    pub(crate) io: Option<Sampler>,
}

/// Checks `[pool]` and `[database]` (both or neither) and what may sit
/// beside them, returning the query samplers.
pub(super) fn validate(s: &Scenario) -> Result<Option<QueryWork>, ScenarioError> {
    if s.traffic.start == Start::AllAtOnce && s.traffic.clients.is_none() {
        return Err(ScenarioError::new(
            "traffic.start",
            "only closed traffic (traffic.clients) starts all at once",
        ));
    }
    if s.servers.is_empty() && s.pool.is_some() {
        let stray = [
            ("cache", s.cache.is_some()),
            ("keys", s.keys.is_some()),
            ("faults", !s.faults.is_empty()),
        ];
        if let Some((field, _)) = stray.iter().find(|(_, set)| *set) {
            return Err(ScenarioError::new(
                *field,
                "queries sent straight to a [pool] have no cache, keys or server faults: add [[servers]] in front, or remove it",
            ));
        }
    }
    let (pool, db) = match (s.pool.as_ref(), s.database.as_ref()) {
        (None, None) => return Ok(None),
        (Some(_), None) => {
            return Err(ScenarioError::new(
                "database",
                "a [pool] needs a [database] behind it: add [database] with cores and cpu_ms",
            ));
        }
        (None, Some(_)) => {
            return Err(ScenarioError::new(
                "pool",
                "a [database] is reached through a [pool]: add [pool] with a size",
            ));
        }
        (Some(p), Some(d)) => (p, d),
    };
    if !(1..=MAX_POOL).contains(&pool.size) {
        return Err(ScenarioError::new(
            "pool.size",
            format!("must be between 1 and {MAX_POOL}, got {}", pool.size),
        ));
    }
    if let Some(t) = pool.acquire_timeout_ms {
        millis("pool.acquire_timeout_ms", t)?;
    }
    if !(pool.leak.is_finite() && (0.0..1.0).contains(&pool.leak)) {
        return Err(ScenarioError::new(
            "pool.leak",
            format!(
                "must be a share from 0 up to (not including) 1, got {}",
                pool.leak
            ),
        ));
    }
    if !(1..=MAX_DB_UNITS).contains(&db.cores) {
        return Err(ScenarioError::new(
            "database.cores",
            format!("must be between 1 and {MAX_DB_UNITS}, got {}", db.cores),
        ));
    }
    if db.disks > MAX_DB_UNITS {
        return Err(ScenarioError::new(
            "database.disks",
            format!("must be between 0 and {MAX_DB_UNITS}, got {}", db.disks),
        ));
    }
    for (field, v) in [("database.sigma", db.sigma), ("database.kappa", db.kappa)] {
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
            return Err(ScenarioError::new(
                field,
                format!("must be between 0 and 1, got {v}"),
            ));
        }
    }
    if !(1..=MAX_BURSTS).contains(&db.bursts) {
        return Err(ScenarioError::new(
            "database.bursts",
            format!("must be between 1 and {MAX_BURSTS}, got {}", db.bursts),
        ));
    }
    let cpu = db.cpu_ms.compile("database.cpu_ms")?;
    let io = match &db.io_ms {
        Some(_) if db.disks == 0 => {
            return Err(ScenarioError::new(
                "database.disks",
                "queries with io_ms need at least one disk",
            ));
        }
        Some(d) => Some(d.compile("database.io_ms")?),
        None => None,
    };
    Ok(Some(QueryWork { cpu, io }))
}
