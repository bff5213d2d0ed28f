//! Runs the simulations a widget shows: side A, and side B in compare mode,
//! within an event budget so that no knob value can freeze the tab.

use brownout_content::widget::{Side, Widget, WidgetState};
use brownout_sim::{Limits, RunResult, simulate};

/// Most events one side may simulate per interaction (about 100 ms of work
/// in the browser); beyond it the run stops and says so.
pub const EVENT_BUDGET: u64 = 1_500_000;

/// The results a widget draws.
#[derive(Debug, PartialEq)]
pub struct Runs {
    /// The reader's configuration.
    pub a: RunResult,
    /// Compare mode's second configuration.
    pub b: Option<RunResult>,
    /// Notices for the reader (a run cut short).
    pub notices: Vec<String>,
}

/// Runs both sides of `state`; an error says why the scenario cannot run.
pub fn run(widget: &Widget, state: &WidgetState) -> Result<Runs, String> {
    let limits = Limits {
        max_events: EVENT_BUDGET,
    };
    let a = simulate(
        &widget.scenario(state, Side::A).map_err(|e| e.to_string())?,
        limits,
    );
    let b = match state.compare {
        Some(_) => Some(simulate(
            &widget.scenario(state, Side::B).map_err(|e| e.to_string())?,
            limits,
        )),
        None => None,
    };
    let mut notices = Vec::new();
    for r in std::iter::once(&a).chain(b.as_ref()) {
        if let Some(t) = r.summary.cut_at_s {
            notices.push(format!(
                "This run was cut short at {t:.0} s of simulated time: these settings need more than {EVENT_BUDGET} events, the most one interaction may take. Lower the arrival rate or the duration to see the whole run."
            ));
            break;
        }
    }
    Ok(Runs { a, b, notices })
}

#[cfg(test)]
mod tests {
    use super::*;
    use brownout_content::widget::WidgetSpec;

    #[test]
    fn compare_mode_runs_the_same_traffic_through_both_sides() {
        let spec = r#"{"preset": "round-robin-2am", "knobs": ["balancer.policy"], "compare_on": true,
            "compare": {"knob": "balancer.policy", "value": "least_connections"}}"#;
        let w = WidgetSpec::from_json(spec)
            .expect("parses")
            .resolve()
            .expect("resolves");
        let runs = run(&w, &w.initial_state()).expect("runs");
        let b = runs.b.expect("compare side");
        assert_eq!(runs.a.series.arrivals_rps, b.series.arrivals_rps);
        assert!(b.summary.latency_ms.p99 < runs.a.summary.latency_ms.p99 / 10.0);
    }

    #[test]
    fn a_run_over_the_budget_is_cut_short_with_a_notice() {
        let spec = r#"{"preset": "round-robin-2am", "knobs": [{"path": "traffic.rate_rps", "max": 100000}]}"#;
        let w = WidgetSpec::from_json(spec)
            .expect("parses")
            .resolve()
            .expect("resolves");
        let (state, errors) = w.state_from_query(&[("traffic.rate_rps".into(), "5000".into())]);
        assert!(errors.is_empty(), "{errors:?}");
        let runs = run(&w, &state).expect("runs");
        assert_eq!(runs.a.summary.events, EVENT_BUDGET);
        assert!(runs.notices[0].contains("cut short"));
    }
}

/// Shared runs, compared by identity: props holding it do not compare
/// whole time series on every render.
#[derive(Clone, Debug)]
pub struct RunsRef(pub std::rc::Rc<Result<Runs, String>>);

impl PartialEq for RunsRef {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Runs {
    /// Side `i` of the runs: 0 is A, 1 is B in compare mode.
    pub fn side(&self, i: usize) -> Option<&RunResult> {
        match i {
            0 => Some(&self.a),
            1 => self.b.as_ref(),
            _ => None,
        }
    }
}
