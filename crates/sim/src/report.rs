//! The results of a run, as the CLI prints them and the site charts them.

use serde::{Deserialize, Serialize};

/// Everything a run produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// Totals over the measured window.
    pub summary: Summary,
    /// Values per time bucket.
    pub series: Series,
    /// Every write of a `[contention]` run, in time order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Timeline>,
    /// Every circuit breaker's state changes, when clients have breakers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakers: Option<BreakerTimeline>,
}

/// The state changes of every circuit breaker: one row per breaker (the
/// edge client's first: per member of a closed population, times the
/// dependencies or servers its scope names), each a
/// list of `(seconds after warm-up, new state)` in time order. Every
/// breaker starts closed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BreakerTimeline {
    /// One row per breaker.
    pub rows: Vec<Vec<(f64, crate::BreakerState)>>,
}

/// The totals of every circuit breaker of a run (summed over breakers and
/// over the whole run, warm-up included).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BreakerSummary {
    /// Breakers in the run.
    pub breakers: u64,
    /// Times a breaker opened.
    pub opened: u64,
    /// Calls failed fast (or given the fallback) without reaching the
    /// dependency.
    pub short_circuited: u64,
    /// Seconds spent open, summed over breakers.
    pub open_s: f64,
    /// Trial calls let through while half-open.
    pub half_open_trials: u64,
}

/// A connection pool's totals over the measured window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PoolSummary {
    /// Connections.
    pub size: u32,
    /// Time-average share of the connections checked out, 0 to 1.
    pub utilization: f64,
    /// Time-average connections checked out.
    pub mean_in_use: f64,
    /// Mean wait for a connection of queries that got one in the window, ms.
    pub mean_wait_ms: f64,
    /// Mean time a query held its connection (its time in the database),
    /// over the queries that ended in the window, ms.
    pub mean_db_ms: f64,
    /// Queries that got a connection in the window.
    pub acquired: u64,
    /// Waiters that gave up (`acquire_timeout_ms`) in the window.
    pub acquire_timeouts: u64,
    /// Time-average number of waiters.
    pub mean_waiters: f64,
    /// Most waiters at once in the window.
    pub max_waiters: u64,
    /// Connections never returned (`leak`), over the whole run.
    pub leaked: u64,
}

/// A database's totals over the measured window, with the theory of a
/// saturated pool of the run's size.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DatabaseSummary {
    /// CPU cores.
    pub cores: u32,
    /// Disks.
    pub disks: u32,
    /// Queries that ended.
    pub queries: u64,
    /// Queries ended per second.
    pub throughput_qps: f64,
    /// Time-average share of the cores busy, 0 to 1.
    pub cpu_utilization: f64,
    /// Time-average share of the disks busy, 0 to 1.
    pub disk_utilization: f64,
    /// Time-average queries runnable but without a core (beyond `cores`).
    pub mean_run_queue: f64,
    /// Time-average queries waiting for a disk.
    pub mean_disk_queue: f64,
    /// Time-average queries in the database (active sessions).
    pub mean_active: f64,
    /// Theory (exact MVA, contention included): the throughput when every
    /// connection of the pool always holds a query.
    pub capacity_qps: f64,
    /// Theory: a query's time in the database in that saturated state, ms.
    pub saturated_ms: f64,
    /// HikariCP's rule of thumb for the pool: cores × 2 + disks.
    pub rule_of_thumb: u32,
}

/// A cache's totals over the measured window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CacheSummary {
    /// Requests that reached the cache.
    pub requests: u64,
    /// Requests answered from the cache (stale answers included).
    pub hits: u64,
    /// `hits / requests`, 0 to 1: the requests the cache avoided.
    pub hit_ratio: f64,
    /// The share of backend work not avoided, 0 to 1: the recomputations'
    /// key costs over the key costs of every request. A cache can avoid 99%
    /// of requests and 10% of the work.
    pub cost_miss_ratio: f64,
    /// Requests sent to the backend to fill an entry (one per miss, or one
    /// per key in flight with coalescing; refreshes behind included).
    pub recomputations: u64,
    /// Entries found expired.
    pub expirations: u64,
    /// Recomputations started by misses of expired entries, per expiry
    /// (1 with coalescing; 1 + λD in a stampede).
    pub recomputations_per_expiry: f64,
    /// Entries evicted to make room.
    pub evictions: u64,
    /// Requests answered with an expired entry (stale-while-revalidate).
    pub stale_served: u64,
    /// Misses that waited for a recomputation already running.
    pub coalesced: u64,
    /// The hit ratio theory predicts (Che for LRU, the characteristic-time
    /// fixed point for FIFO and random, the static optimum for LFU), for a
    /// cache without expiry over keys whose popularity does not shift;
    /// `null` otherwise.
    pub theory_hit_ratio: Option<f64>,
    /// The keys that cost the backend most, most first (at most ten).
    pub top_keys: Vec<KeyCost>,
}

/// One key's demand on the backend over the measured window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyCost {
    /// The key.
    pub key: u32,
    /// Requests for it.
    pub requests: u64,
    /// Recomputations of it.
    pub recomputations: u64,
    /// Backend work its recomputations cost, seconds.
    pub work_s: f64,
}

/// The writes of clients contending for one record, one entry per write in
/// time order, as three parallel columns (the timeline chart's marks).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// The number of clients (the chart's rows).
    pub clients: u32,
    /// Which client wrote, from 0.
    pub client: Vec<u32>,
    /// When the write reached the record, seconds after warm-up.
    pub t_s: Vec<f64>,
    /// Whether it succeeded (false: a conflict).
    pub ok: Vec<bool>,
}

/// Totals over the measured window (requests that arrived after warm-up).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The seed the run used.
    pub seed: u64,
    /// Measured simulated seconds.
    pub duration_s: f64,
    /// Requests that arrived in the window.
    pub arrivals: u64,
    /// Requests served to completion.
    pub completed: u64,
    /// Requests refused because a queue was full.
    pub rejected: u64,
    /// Requests lost to a server going down, or with no server up.
    pub failed: u64,
    /// Requests still queued or in service when the run ended.
    pub in_flight: u64,
    /// Completed requests per second.
    pub throughput_rps: f64,
    /// Latency of completed requests, arrival to completion.
    pub latency_ms: LatencySummary,
    /// Mean time in milliseconds that measured requests waited in a queue
    /// before service (zero waits included).
    pub mean_wait_ms: f64,
    /// Fraction of measured requests that had to wait before service.
    pub waited_fraction: f64,
    /// Time-average number of requests in the system over the window (L in
    /// Little's law), warm-up arrivals included.
    pub mean_in_system: f64,
    /// Request-seconds spent in the system inside the window, summed over
    /// every request (the other side of Little's law).
    pub request_seconds: f64,
    /// Per-server statistics, in scenario order (the first service's
    /// servers, then each layer's).
    pub servers: Vec<ServerSummary>,
    /// Logical requests: what the callers asked for, however many attempts
    /// each took. Without a `[client]` table each is one attempt.
    pub logical: LogicalSummary,
    /// Attempts sent by the edge client (first attempts and retries).
    pub attempts: u64,
    /// Retries sent by the edge client.
    pub retries: u64,
    /// Attempts of the edge client that timed out.
    pub timeouts: u64,
    /// Attempts the edge client's throttle rejected locally.
    pub throttled: u64,
    /// Attempts per logical request.
    pub amplification: f64,
    /// Logical requests that succeeded, per second.
    pub goodput_rps: f64,
    /// Share of logical requests (those still in flight at the end
    /// included) that succeeded within `metrics.slo_ms`, 0 to 1.
    pub within_slo: f64,
    /// Seconds from the end of the last trigger (a rate spike or a fault
    /// with a length) until goodput stayed within 10% of the offered load
    /// (over every window of [`RECOVERY_WINDOW_S`] to the end of the run);
    /// `null` when it never did. See the README for the exact rule.
    pub recovered_after_s: Option<f64>,
    /// When the last trigger ends, seconds after warm-up; `null` when the
    /// run has none (recovery is then counted from the start).
    #[serde(default)]
    pub trigger_end_s: Option<f64>,
    /// Each service's totals: the first, then each layer.
    pub services: Vec<ServiceSummary>,
    /// A `[contention]` run's totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contention: Option<ContentionSummary>,
    /// The cache's totals, when the scenario has a `[cache]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<CacheSummary>,
    /// The connection pool's totals, with a `[pool]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<PoolSummary>,
    /// The database's totals, with a `[database]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<DatabaseSummary>,
    /// The circuit breakers' totals, when clients have breakers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breaker: Option<BreakerSummary>,
    /// What queueing theory predicts for this scenario, when a formula
    /// describes it (see [`crate::theory::Prediction`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theory: Option<crate::theory::Prediction>,
    /// Simulation events processed (arrivals, completions, faults).
    pub events: u64,
    /// Set when the run hit its event budget and stopped early; the numbers
    /// then cover the run up to `cut_at_s`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut_at_s: Option<f64>,
}

/// Logical requests over the measured window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LogicalSummary {
    /// Logical requests that arrived in the window.
    pub arrived: u64,
    /// Those that ended in success.
    pub succeeded: u64,
    /// Those that ended in failure (retries exhausted, not retryable, or
    /// rejected locally by the throttle).
    pub failed: u64,
    /// Those still in progress when the run ended.
    pub in_flight: u64,
    /// Latency of the succeeded ones, first send to success.
    pub latency_ms: LatencySummary,
}

/// One service's totals over the measured window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceSummary {
    /// 0 for the first service, N for `layers[N - 1]`.
    pub layer: usize,
    /// Its name (`layer-N` by default; the first service is `service`).
    pub name: String,
    /// Attempts that reached its balancer.
    pub arrivals: u64,
    /// Attempts it served (its own work and, in a layer above another, the
    /// successful call to it).
    pub completed: u64,
    /// Attempts refused by a full queue.
    pub rejected: u64,
    /// Attempts that failed there.
    pub failed: u64,
}

/// Latency statistics in milliseconds (0 when nothing completed).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LatencySummary {
    /// Exact mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
    /// Exact maximum.
    pub max: f64,
}

/// One server's statistics over the window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerSummary {
    /// Index of its `[[servers]]` group, from 0.
    pub group: usize,
    /// The group's name.
    pub name: String,
    /// Index within the group, from 0.
    pub index: u32,
    /// The service it belongs to: 0 for the first, N for `layers[N - 1]`.
    pub layer: usize,
    /// Fraction of worker time busy, 0 to 1.
    pub utilization: f64,
    /// Requests it completed.
    pub completed: u64,
    /// Time-average number of requests waiting (not in service).
    pub mean_queue: f64,
    /// Most requests ever waiting at once.
    pub max_queue: u64,
}

/// Values per fixed bucket of simulated time over the window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Bucket width in seconds.
    pub bucket_s: f64,
    /// Start of each bucket, seconds after warm-up.
    pub t_s: Vec<f64>,
    /// Arrivals per second.
    pub arrivals_rps: Vec<f64>,
    /// Completions per second (throughput).
    pub throughput_rps: Vec<f64>,
    /// Rejections per second.
    pub rejected_rps: Vec<f64>,
    /// Failures per second.
    pub failed_rps: Vec<f64>,
    /// Median latency of requests completed in the bucket, ms.
    pub p50_ms: Vec<Option<f64>>,
    /// 99th percentile latency of requests completed in the bucket, ms.
    pub p99_ms: Vec<Option<f64>>,
    /// Per server (outer, scenario order): time-average queue depth per bucket.
    pub queue: Vec<Vec<f64>>,
    /// Per server: fraction of worker time busy per bucket.
    pub utilization: Vec<Vec<f64>>,
    /// Logical requests arriving per second (the offered load).
    pub offered_rps: Vec<f64>,
    /// Logical requests succeeding per second.
    pub goodput_rps: Vec<f64>,
    /// Logical requests failing per second.
    pub logical_failed_rps: Vec<f64>,
    /// Attempts sent per second by the edge client.
    pub attempts_rps: Vec<f64>,
    /// Retries sent per second.
    pub retries_rps: Vec<f64>,
    /// Attempts timing out per second.
    pub timeouts_rps: Vec<f64>,
    /// Attempts rejected locally by the throttle per second.
    pub throttled_rps: Vec<f64>,
    /// Amplification per bucket: attempts sent per logical request arriving
    /// in it (null for a bucket where none arrived).
    #[serde(default)]
    pub amplification: Vec<Option<f64>>,
    /// Median latency of logical requests that succeeded in the bucket, ms.
    pub logical_p50_ms: Vec<Option<f64>>,
    /// 99th percentile latency of logical requests that succeeded in the
    /// bucket, ms.
    pub logical_p99_ms: Vec<Option<f64>>,
    /// Circuit breakers closed at the end of each bucket (empty without
    /// breakers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakers_closed: Vec<f64>,
    /// Circuit breakers open at the end of each bucket.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakers_open: Vec<f64>,
    /// Circuit breakers half-open at the end of each bucket.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakers_half_open: Vec<f64>,
    /// With a cache: the share of requests it answered, per bucket (null
    /// for a bucket without requests).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cache_hit_ratio: Vec<Option<f64>>,
    /// With a cache: the share of the work asked for that reached the
    /// backend, per bucket.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cache_cost_miss_ratio: Vec<Option<f64>>,
    /// With a pool: the mean wait for a connection of queries that got one
    /// in the bucket, ms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pool_wait_ms: Vec<Option<f64>>,
    /// With a pool: the mean time in the database of queries that ended
    /// in the bucket, ms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub db_ms: Vec<Option<f64>>,
    /// With a pool: the time-average connections in use per bucket.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pool_in_use: Vec<f64>,
    /// With a pool: the time-average threads waiting for a connection per
    /// bucket.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pool_waiters: Vec<f64>,
    /// With a database: the time-average sessions in it per bucket.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub db_sessions: Vec<f64>,
}

/// Length in seconds of the windows over which recovery is judged: a run
/// must go on at least this long after its last trigger to recover.
pub const RECOVERY_WINDOW_S: f64 = 10.0;

/// The totals of clients contending for one record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContentionSummary {
    /// Contending clients.
    pub clients: u64,
    /// Reads that reached the record.
    pub reads: u64,
    /// Conditional writes that reached the record, failed or successful
    /// (the post's "calls").
    pub writes: u64,
    /// Writes that found the version changed since their read.
    pub conflicts: u64,
    /// When the last client learned of its success, milliseconds from the
    /// start; `null` when some client had not succeeded by the end of the
    /// run.
    pub makespan_ms: Option<f64>,
}
