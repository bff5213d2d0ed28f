//! The circuit breakers' totals (`breaker.*` in a run's summary, when its
//! clients have breakers).

use super::{Format, Metric, m};

/// The breaker metrics, by path.
pub(super) const BREAKER_METRICS: &[Metric] = &[
    m(
        "breaker.opened",
        "opened",
        "Times a breaker opened",
        "times",
        Format::Count,
    ),
    m(
        "breaker.short_circuited",
        "short_circuited",
        "Calls short-circuited by open breakers",
        "calls",
        Format::Count,
    ),
    m(
        "breaker.open_s",
        "open_s",
        "Time open, summed over breakers",
        "s",
        Format::Seconds,
    ),
    m(
        "breaker.half_open_trials",
        "half_open_trials",
        "Half-open trial calls",
        "calls",
        Format::Count,
    ),
];

#[cfg(test)]
mod tests {
    use super::super::{preset_summary, stat_rows};
    use super::*;

    #[test]
    fn a_run_with_breakers_shows_their_totals_and_one_without_shows_zeros() {
        let paths: Vec<String> = BREAKER_METRICS.iter().map(|c| c.path.to_string()).collect();
        let rows = stat_rows(&preset_summary("dynamo-2015-breakers"), &paths);
        assert_eq!(rows.len(), BREAKER_METRICS.len(), "{rows:?}");
        assert!(rows[0].value >= 300.0 && rows[1].value > 0.0, "{rows:?}");
        let none = stat_rows(&preset_summary("dynamo-2015"), &paths);
        assert_eq!(none.len(), BREAKER_METRICS.len());
        assert!(none.iter().all(|r| r.value == 0.0), "{none:?}");
    }
}
