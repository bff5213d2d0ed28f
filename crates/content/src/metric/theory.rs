//! Queueing theory's values for a run (`theory.*` in its summary, present
//! when a formula describes the scenario), shown beside the simulated ones.
//! A value with no formula for the scenario reads "no formula".

use super::{Format, Metric, m};

/// The theory metrics, by path.
pub(super) const THEORY_METRICS: &[Metric] = &[
    m(
        "theory.utilization",
        "theory_utilization",
        "Fleet utilization ρ (theory)",
        "fraction",
        Format::Percent,
    ),
    m(
        "theory.round_robin_max_utilization",
        "theory_rr_max_utilization",
        "Slowest server's ρ under round robin (theory)",
        "fraction",
        Format::Percent,
    ),
    m(
        "theory.round_robin_limit_rps",
        "theory_rr_limit",
        "Round robin overloads a server above (theory)",
        "req/s",
        Format::Rate,
    ),
    m(
        "theory.policy_ms",
        "theory_policy",
        "Mean latency, theory for this policy",
        "ms",
        Format::Latency,
    ),
    m(
        "theory.random_ms",
        "theory_random",
        "Mean latency, random (M/M/1 per server)",
        "ms",
        Format::Latency,
    ),
    m(
        "theory.round_robin_ms",
        "theory_round_robin",
        "Mean latency, round robin (Eₙ/M/1)",
        "ms",
        Format::Latency,
    ),
    m(
        "theory.two_choices_ms",
        "theory_two_choices",
        "Mean latency, two choices (supermarket model)",
        "ms",
        Format::Latency,
    ),
    m(
        "theory.shared_queue_ms",
        "theory_shared_queue",
        "Mean latency, one shared queue (Erlang C bound)",
        "ms",
        Format::Latency,
    ),
    m(
        "theory.proportional_ms",
        "theory_proportional",
        "Mean latency, split by speed (theory)",
        "ms",
        Format::Latency,
    ),
    m(
        "theory.square_root_ms",
        "theory_square_root",
        "Mean latency, square-root split (theory)",
        "ms",
        Format::Latency,
    ),
    m(
        "theory.random_queue5_share",
        "theory_random_queue5",
        "Servers with 5+ requests, one choice (theory)",
        "fraction",
        Format::Percent,
    ),
    m(
        "theory.two_choices_queue5_share",
        "theory_two_choices_queue5",
        "Servers with 5+ requests, two choices (theory)",
        "fraction",
        Format::Percent,
    ),
    m(
        "theory.work_scv",
        "theory_scv",
        "Variability of work c² (theory)",
        "ratio",
        Format::Amount,
    ),
    m(
        "theory.pk_factor",
        "theory_pk_factor",
        "Wait vs exponential work, (1 + c²)/2",
        "ratio",
        Format::Factor,
    ),
    m(
        "theory.groups[].round_robin_utilization",
        "theory_group_rr_utilization",
        "ρ under round robin (theory)",
        "fraction",
        Format::Percent,
    ),
    m(
        "theory.groups[].proportional_ms",
        "theory_group_proportional",
        "Mean latency at equal ρ (theory)",
        "ms",
        Format::Latency,
    ),
];

#[cfg(test)]
mod tests {
    use super::super::{metric, read, stat_rows};
    use super::*;

    fn summary(preset: &str, policy: &str) -> serde_json::Value {
        let mut s = crate::preset(preset)
            .expect("preset")
            .scenario()
            .expect("valid")
            .scenario()
            .clone();
        s.balancer.policy = serde_json::from_value(policy.into()).expect("policy");
        let valid = s.validate().expect("valid");
        let run = brownout_sim::simulate(&valid, brownout_sim::Limits::default());
        serde_json::to_value(&run.summary).expect("JSON")
    }

    #[test]
    fn every_theory_metric_reads_from_a_run_a_formula_describes() {
        let s = summary("round-robin-two-choices", "power_of_two");
        for t in THEORY_METRICS {
            let path = t.path.replace("groups[]", "groups[0]");
            assert_eq!(metric(&path), Some(t), "{path}");
            let r = read(&s, &path).unwrap_or_else(|| panic!("{path}"));
            assert!(r.value.is_finite(), "{path}: {}", r.value);
        }
        let rows = stat_rows(&s, &["theory.two_choices_ms".to_string()]);
        assert_eq!(rows[0].text, "261 ms");
    }

    #[test]
    fn a_policy_without_a_formula_reads_no_formula_and_a_run_without_theory_has_no_row() {
        let s = summary("round-robin-two-choices", "least_connections");
        let rows = stat_rows(&s, &["theory.policy_ms".to_string()]);
        assert_eq!(rows[0].text, "no formula");
        let s = summary("retry-storm", "round_robin");
        assert!(s.get("theory").is_none());
        assert!(stat_rows(&s, &["theory.policy_ms".to_string()]).is_empty());
    }

    #[test]
    fn a_group_row_names_its_group() {
        let s = summary("round-robin-2am", "round_robin");
        let rows = stat_rows(
            &s,
            &["theory.groups[2].round_robin_utilization".to_string()],
        );
        assert_eq!(rows[0].shown(), "140% (legacy)");
    }
}
