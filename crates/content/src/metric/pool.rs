//! A connection pool's and its database's totals (`pool.*` and
//! `database.*` in a run's summary, with `[pool]` and `[database]`): where
//! a query's time goes (waiting for a connection, inside the database), how
//! busy each part is, and the theory of a saturated pool.

use super::{Format, Metric, m};

/// The pool and database metrics, by path.
pub(super) const POOL_METRICS: &[Metric] = &[
    m(
        "pool.size",
        "pool_size",
        "Pool size",
        "connections",
        Format::Count,
    ),
    m(
        "pool.utilization",
        "pool_utilization",
        "Connections in use",
        "fraction",
        Format::Percent,
    ),
    m(
        "pool.mean_wait_ms",
        "pool_wait_ms",
        "Mean wait for a connection",
        "ms",
        Format::Latency,
    ),
    m(
        "pool.mean_db_ms",
        "db_ms",
        "Mean time in the database",
        "ms",
        Format::Latency,
    ),
    m(
        "pool.acquire_timeouts",
        "acquire_timeouts",
        "Acquire timeouts",
        "requests",
        Format::Count,
    ),
    m(
        "pool.mean_waiters",
        "pool_waiters",
        "Threads waiting for a connection",
        "threads",
        Format::Amount,
    ),
    m(
        "pool.leaked",
        "leaked",
        "Connections leaked",
        "connections",
        Format::Count,
    ),
    m(
        "database.throughput_qps",
        "db_throughput_qps",
        "Database throughput",
        "queries/s",
        Format::Rate,
    ),
    m(
        "database.cpu_utilization",
        "cpu_utilization",
        "Database CPU busy",
        "fraction",
        Format::Percent,
    ),
    m(
        "database.disk_utilization",
        "disk_utilization",
        "Database disks busy",
        "fraction",
        Format::Percent,
    ),
    m(
        "database.mean_run_queue",
        "run_queue",
        "Sessions waiting for a core",
        "sessions",
        Format::Amount,
    ),
    m(
        "database.mean_disk_queue",
        "disk_queue",
        "Queries waiting for a disk",
        "queries",
        Format::Amount,
    ),
    m(
        "database.mean_active",
        "active_sessions",
        "Active sessions in the database",
        "sessions",
        Format::Amount,
    ),
    m(
        "database.capacity_qps",
        "capacity_qps",
        "Throughput in theory, every connection busy (MVA)",
        "queries/s",
        Format::Rate,
    ),
    m(
        "database.saturated_ms",
        "saturated_ms",
        "Time in the database in theory, every connection busy (MVA)",
        "ms",
        Format::Latency,
    ),
    m(
        "database.rule_of_thumb",
        "rule_of_thumb",
        "Rule-of-thumb pool size (cores × 2 + disks)",
        "connections",
        Format::Count,
    ),
];
