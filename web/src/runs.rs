//! Runs the simulations a widget shows: side A, and side B in compare mode,
//! within an event budget so that no knob value can freeze the tab.
//!
//! ```text
//!  Widget + WidgetState ──Job::new──> Job { a, b, limits }   (plain data: scenarios)
//!        Runner::start(job, done) ──> run_job(job) ──> done(Runs)
//!        InlineRunner: now, on this thread      a Web Worker runner: later, posting the job
//! ```
//! A [`Job`] holds only serialisable scenarios, so a runner in a Web Worker
//! (for sweeps) can take it as a message; [`InlineRunner`] is the only
//! runner today and calls `done` before it returns.

use brownout_content::widget::{Side, Widget, WidgetState};
use brownout_sim::{Limits, RunResult, ValidScenario, simulate};

/// Most events one side may simulate per interaction (about 100 ms of work
/// in the browser); beyond it the run stops and says so.
pub(crate) const EVENT_BUDGET: u64 = 1_500_000;

/// The results a widget draws.
#[derive(Debug, PartialEq)]
pub(crate) struct Runs {
    /// The reader's configuration.
    pub(crate) a: RunResult,
    /// Compare mode's second configuration.
    pub(crate) b: Option<RunResult>,
    /// Notices for the reader (a run cut short).
    pub(crate) notices: Vec<String>,
}

/// The simulations of one interaction: the scenario of each side and the
/// budget.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    /// Side A's scenario.
    pub(crate) a: ValidScenario,
    /// Side B's, in compare mode.
    pub(crate) b: Option<ValidScenario>,
    /// The event budget of each side.
    pub(crate) limits: Limits,
}

impl Job {
    /// The job for `state` of `widget`; an error says why the scenario
    /// cannot run.
    pub(crate) fn new(widget: &Widget, state: &WidgetState) -> Result<Job, String> {
        let a = widget.scenario(state, Side::A).map_err(|e| e.to_string())?;
        let b = match state.compare {
            Some(_) => Some(widget.scenario(state, Side::B).map_err(|e| e.to_string())?),
            None => None,
        };
        Ok(Job {
            a,
            b,
            limits: Limits {
                max_events: EVENT_BUDGET,
            },
        })
    }
}

/// Simulates both sides of `job`.
pub(crate) fn run_job(job: &Job) -> Runs {
    let a = simulate(&job.a, job.limits);
    let b = job.b.as_ref().map(|b| simulate(b, job.limits));
    let mut notices = Vec::new();
    for r in std::iter::once(&a).chain(b.as_ref()) {
        if let Some(t) = r.summary.cut_at_s {
            notices.push(format!(
                "This run was cut short at {t:.0} s of simulated time: these settings need more than {} events, the most one interaction may take. Lower the arrival rate or the duration to see the whole run.",
                job.limits.max_events
            ));
            break;
        }
    }
    Runs { a, b, notices }
}

/// Somewhere to run jobs.
pub(crate) trait Runner {
    /// Runs `job` and calls `done` with its results: before returning
    /// ([`InlineRunner`]) or later (a runner in a Web Worker).
    fn start(&self, job: Job, done: Box<dyn FnOnce(Runs)>);
}

/// Runs jobs at once, on the calling thread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct InlineRunner;

impl Runner for InlineRunner {
    fn start(&self, job: Job, done: Box<dyn FnOnce(Runs)>) {
        done(run_job(&job));
    }
}

/// Runs both sides of `state` now; an error says why the scenario cannot
/// run.
#[cfg(test)]
fn run(widget: &Widget, state: &WidgetState) -> Result<Runs, String> {
    Job::new(widget, state).map(|job| run_job(&job))
}

/// Shared runs, compared by identity: props holding it do not compare
/// whole time series on every render.
#[derive(Clone, Debug)]
pub(crate) struct RunsRef(pub std::rc::Rc<Result<Runs, String>>);

impl PartialEq for RunsRef {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Runs {
    /// Side `i` of the runs: 0 is A, 1 is B in compare mode.
    pub(crate) fn side(&self, i: usize) -> Option<&RunResult> {
        match i {
            0 => Some(&self.a),
            1 => self.b.as_ref(),
            _ => None,
        }
    }
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

    #[test]
    fn the_inline_runner_delivers_the_same_runs_before_it_returns() {
        let w = WidgetSpec::from_json(r#"{"preset": "mm1"}"#)
            .expect("parses")
            .resolve()
            .expect("resolves");
        let state = w.initial_state();
        let got = std::rc::Rc::new(std::cell::RefCell::new(None));
        let sink = got.clone();
        let job = Job::new(&w, &state).expect("valid");
        InlineRunner.start(job, Box::new(move |r| *sink.borrow_mut() = Some(r)));
        assert_eq!(
            got.borrow_mut().take(),
            Some(run(&w, &state).expect("runs"))
        );
    }
}
