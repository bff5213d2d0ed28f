//! The totals of clients contending for one record (`contention.*` in a
//! `[contention]` run's summary).

use super::{Format, Metric, m};

/// The contention metrics, by path.
pub(super) const CONTENTION_METRICS: &[Metric] = &[
    m(
        "contention.writes",
        "writes",
        "Writes (calls), failed or not",
        "writes",
        Format::Count,
    ),
    m("contention.reads", "reads", "Reads", "reads", Format::Count),
    m(
        "contention.conflicts",
        "conflicts",
        "Conflicting writes",
        "writes",
        Format::Count,
    ),
    m(
        "contention.makespan_ms",
        "makespan",
        "Until the last client succeeded",
        "ms",
        Format::Latency,
    ),
];

#[cfg(test)]
mod tests {
    use super::super::{metric, preset_summary, stat_rows};
    use super::*;

    #[test]
    fn a_contention_run_shows_its_writes_and_makespan() {
        let summary = preset_summary("backoff-occ");
        let paths: Vec<String> = CONTENTION_METRICS
            .iter()
            .map(|c| c.path.to_string())
            .collect();
        let rows = stat_rows(&summary, &paths);
        assert_eq!(rows.len(), CONTENTION_METRICS.len(), "{rows:?}");
        assert!(paths.iter().all(|p| metric(p).is_some()));
        let writes = rows[0].value;
        assert!(writes >= 100.0 && rows[3].value > 40.0, "{rows:?}");
    }
}
