//! A cache's totals (`cache.*` in a run's summary, when the scenario has a
//! `[cache]`): the hit ratio beside the share of backend work it did not
//! avoid, and what theory predicts.

use super::{Format, Metric, m};

/// The cache metrics, by path.
pub(super) const CACHE_METRICS: &[Metric] = &[
    m(
        "cache.hit_ratio",
        "hit_ratio",
        "Cache hit ratio",
        "fraction",
        Format::FinePercent,
    ),
    m(
        "cache.cost_miss_ratio",
        "cost_miss_ratio",
        "Backend work not avoided",
        "fraction",
        Format::FinePercent,
    ),
    m(
        "cache.theory_hit_ratio",
        "theory_hit_ratio",
        "Hit ratio in theory",
        "fraction",
        Format::FinePercent,
    ),
    m(
        "cache.recomputations",
        "recomputations",
        "Recomputations (requests to the backend)",
        "requests",
        Format::Count,
    ),
    m(
        "cache.recomputations_per_expiry",
        "recomputations_per_expiry",
        "Recomputations per expiry",
        "requests",
        Format::Amount,
    ),
    m(
        "cache.expirations",
        "expirations",
        "Entries found expired",
        "entries",
        Format::Count,
    ),
    m(
        "cache.evictions",
        "evictions",
        "Entries evicted",
        "entries",
        Format::Count,
    ),
];
