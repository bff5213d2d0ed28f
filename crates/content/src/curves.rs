//! A widget's sweep curves: one knob swept along x, a few configurations
//! (the lines), each point the mean of a metric over several seeds.
//!
//! ```text
//!  curves = { x = { knob, from, to, step }, seeds, metrics, lines = [{ label, set }] }
//!        │ resolve: x is one of the widget's knobs, every line applies, every
//!        │ metric is known
//!        ▼
//!  SweepCurves ──job(scenario)──> CurveJob { scenario, x, xs, lines, seeds, metrics }
//!        CurveJob::run_point(k) ──> Point { means, cut }   (line k / xs, x k % xs)
//! ```
//! A [`CurveJob`] is plain data, posted to Web Workers like a map's job.
//! `brownout sweep` with the line's settings (`--set`), `--param` over x and
//! `--param seed=S..S+n-1:1` gives the same runs, so the same means.

use brownout_sim::scenario::number_value;
use brownout_sim::{Limits, Scenario, ScenarioError, simulate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ContentError;
use crate::knob::{self, Knob};
use crate::map::{Axis, AxisSpec, CELL_EVENT_BUDGET};
use crate::metric::{Metric, metric, metric_paths, read};

/// Most seeds a point averages over.
pub const MAX_SEEDS: u32 = 100;

/// Most lines.
pub const MAX_LINES: usize = 8;

/// Most runs a job makes in all (points × seeds).
pub const MAX_RUNS: usize = 10_000;

/// Sweep curves as written in a widget block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurvesSpec {
    /// The swept knob and its values.
    pub x: AxisSpec,
    /// Seeds per point: the widget's seed and the ones after it.
    pub seeds: u32,
    /// Metric paths; the chart draws one panel for each.
    pub metrics: Vec<String>,
    /// The configurations, one line each.
    pub lines: Vec<LineSpec>,
    /// A line of theory drawn beside the first configuration's, read from
    /// each of its runs (a model's prediction for that x).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theory: Option<TheorySpec>,
    /// Vertical marks: at an x a metric of the runs gives (a rule of
    /// thumb), labelled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<MarkSpec>,
    /// A mark at the x where the first configuration does best on one of
    /// the panels' metrics (the measured best).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best: Option<BestSpec>,
}

/// The measured best: its label, the panel's metric it is judged on, and
/// whether lowest (a latency) or highest (a throughput) is best.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BestSpec {
    /// Its label.
    pub label: String,
    /// The panel's metric path (one of `metrics`).
    pub panel: String,
    /// Lowest is best; by default highest is.
    #[serde(default)]
    pub lowest: bool,
}

/// A theory line: its label, the metric that gives it, and the panel (by
/// metric path) it is drawn in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TheorySpec {
    /// Its name in the legend.
    pub label: String,
    /// The metric path of the prediction.
    pub metric: String,
    /// The panel's metric path (one of `metrics`).
    pub panel: String,
}

/// A vertical mark at the x a metric gives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkSpec {
    /// Its label.
    pub label: String,
    /// The metric path whose value (in the first run of the first
    /// configuration) is the x.
    pub metric: String,
}

/// One line: a label and the fields it sets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineSpec {
    /// Its name in the legend.
    pub label: String,
    /// Field path → value, applied to the widget's scenario.
    pub set: std::collections::BTreeMap<String, Value>,
}

/// Resolved sweep curves.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepCurves {
    /// The swept knob.
    pub x: Axis,
    /// Seeds per point.
    pub seeds: u32,
    /// The metrics, one panel each.
    pub metrics: Vec<&'static Metric>,
    /// The lines as written.
    pub lines: Vec<LineSpec>,
    /// The theory line: label, metric, and the index of its panel.
    pub theory: Option<(String, &'static Metric, usize)>,
    /// Marks: label and the metric giving their x.
    pub marks: Vec<(String, &'static Metric)>,
    /// The measured best, if marked: label, panel, lowest is best.
    pub best: Option<(String, usize, bool)>,
}

impl SweepCurves {
    /// Every metric a point reads: the panels', then the theory's, then
    /// each mark's.
    pub fn read_metrics(&self) -> Vec<&'static Metric> {
        let theory = self.theory.iter().map(|t| t.1);
        let marks = self.marks.iter().map(|m| m.1);
        self.metrics
            .iter()
            .copied()
            .chain(theory)
            .chain(marks)
            .collect()
    }
}

impl CurvesSpec {
    /// Resolves the axis against the widget's knobs and checks every line
    /// and metric against `scenario` (the widget's preset).
    pub fn resolve(
        &self,
        knobs: &[Knob],
        scenario: &Scenario,
    ) -> Result<SweepCurves, ContentError> {
        let bad = ContentError::Curves;
        let x = self.x.resolve(knobs).map_err(|e| match e {
            ContentError::Map(m) => ContentError::Curves(m),
            other => other,
        })?;
        if !(1..=MAX_SEEDS).contains(&self.seeds) {
            return Err(bad(format!(
                "seeds = {} is not from 1 to {MAX_SEEDS}",
                self.seeds
            )));
        }
        if self.lines.is_empty() || self.lines.len() > MAX_LINES {
            return Err(bad(format!(
                "{} lines; give from 1 to {MAX_LINES}",
                self.lines.len()
            )));
        }
        if self.metrics.is_empty() || self.metrics.len() > 3 {
            return Err(bad("give one to three metrics".to_string()));
        }
        let known = |p: &str| {
            metric(p).ok_or_else(|| {
                bad(format!(
                    "no metric \"{p}\"; metrics are: {}",
                    metric_paths()
                ))
            })
        };
        let metrics = self
            .metrics
            .iter()
            .map(|p| known(p))
            .collect::<Result<Vec<_>, _>>()?;
        let theory = match &self.theory {
            Some(t) => {
                let panel = self
                    .metrics
                    .iter()
                    .position(|p| *p == t.panel)
                    .ok_or_else(|| {
                        bad(format!(
                            "the theory's panel \"{}\" is not one of the metrics",
                            t.panel
                        ))
                    })?;
                Some((t.label.clone(), known(&t.metric)?, panel))
            }
            None => None,
        };
        let panel_of = |path: &str, what: &str| {
            self.metrics.iter().position(|p| p == path).ok_or_else(|| {
                bad(format!(
                    "the {what}'s panel \"{path}\" is not one of the metrics"
                ))
            })
        };
        let best = match &self.best {
            Some(b) => Some((b.label.clone(), panel_of(&b.panel, "best")?, b.lowest)),
            None => None,
        };
        if self.marks.len() > 3 {
            return Err(bad("give at most three marks".to_string()));
        }
        let marks = self
            .marks
            .iter()
            .map(|m| Ok((m.label.clone(), known(&m.metric)?)))
            .collect::<Result<Vec<_>, ContentError>>()?;
        let runs = x.values.len() * self.lines.len() * self.seeds as usize;
        if runs > MAX_RUNS {
            return Err(bad(format!("{runs} runs, more than {MAX_RUNS}")));
        }
        for line in &self.lines {
            if line.label.trim().is_empty() {
                return Err(bad("a line has no label".to_string()));
            }
            if line.set.contains_key(&x.path) {
                return Err(bad(format!(
                    "line \"{}\" sets the swept knob {}",
                    line.label, x.path
                )));
            }
            apply(scenario, &line.set).map_err(|e| bad(format!("line \"{}\": {e}", line.label)))?;
        }
        Ok(SweepCurves {
            x,
            seeds: self.seeds,
            metrics,
            lines: self.lines.clone(),
            theory,
            marks,
            best,
        })
    }
}

/// `scenario` with every field of `set` changed.
fn apply(
    scenario: &Scenario,
    set: &std::collections::BTreeMap<String, Value>,
) -> Result<Scenario, ScenarioError> {
    let mut s = scenario.clone();
    for (path, v) in set {
        s = knob::set(&s, path, v)?.scenario().clone();
    }
    Ok(s)
}

impl SweepCurves {
    /// The job for the scenario a widget runs. The swept field is set to
    /// its first value and the first line's fields to that line's values:
    /// every point sets them itself, so moving those knobs leaves the job
    /// unchanged. (A field only a later line sets keeps the reader's value
    /// in the other lines' runs: write every line in full.)
    pub fn job(&self, scenario: &Scenario) -> Result<CurveJob, ScenarioError> {
        let s = apply(scenario, &self.lines[0].set)?
            .with_value(&self.x.path, number_value(self.x.values[0]))?
            .scenario()
            .clone();
        Ok(CurveJob {
            scenario: s,
            x: self.x.path.clone(),
            xs: self.x.values.clone(),
            lines: self
                .lines
                .iter()
                .map(|l| l.set.clone().into_iter().collect())
                .collect(),
            seeds: self.seeds,
            metrics: self
                .read_metrics()
                .iter()
                .map(|m| m.path.to_string())
                .collect(),
            max_events: CELL_EVENT_BUDGET,
        })
    }
}

/// Everything a worker needs to run a curve's points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurveJob {
    /// The scenario every point starts from; its seed is the first seed.
    pub scenario: Scenario,
    /// Path of the swept field.
    pub x: String,
    /// Its values.
    pub xs: Vec<f64>,
    /// Each line's fields.
    pub lines: Vec<Vec<(String, Value)>>,
    /// Seeds per point: the scenario's and the ones after it.
    pub seeds: u32,
    /// Metric paths, each averaged over the seeds.
    pub metrics: Vec<String>,
    /// The event budget of each run.
    pub max_events: u64,
}

/// What one point came to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The mean of each metric over the seeds; `None` when no run gave it.
    pub means: Vec<Option<f64>>,
    /// Runs cut short by the event budget.
    pub cut: u32,
}

impl CurveJob {
    /// Number of points: lines × x values.
    pub fn len(&self) -> usize {
        self.xs.len() * self.lines.len()
    }

    /// True when there are no points.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The line and x index of point `k`: a line's points are consecutive.
    pub fn point(&self, k: usize) -> Option<(usize, usize)> {
        let n = self.xs.len().max(1);
        let (line, i) = (k / n, k % n);
        (line < self.lines.len() && i < self.xs.len()).then_some((line, i))
    }

    /// Runs point `k` over every seed.
    pub fn run_point(&self, k: usize) -> Result<Point, ScenarioError> {
        let (line, i) = self
            .point(k)
            .ok_or_else(|| ScenarioError::new("curves", format!("no point {k}")))?;
        let mut s = self.scenario.clone();
        for (path, v) in &self.lines[line] {
            s = knob::set(&s, path, v)?.scenario().clone();
        }
        let s = s.with_value(&self.x, number_value(self.xs[i]))?;
        let mut sums = vec![(0.0, 0u32); self.metrics.len()];
        let mut cut = 0;
        for n in 0..u64::from(self.seeds) {
            let mut run = s.scenario().clone();
            run.seed = self.scenario.seed.wrapping_add(n);
            let r = simulate(
                &run.validate()?,
                Limits {
                    max_events: self.max_events,
                },
            );
            if r.summary.cut_at_s.is_some() {
                cut += 1;
                continue;
            }
            let summary = serde_json::to_value(&r.summary)
                .map_err(|e| ScenarioError::new("curves", e.to_string()))?;
            for (m, (sum, count)) in self.metrics.iter().zip(&mut sums) {
                if let Some(v) = read(&summary, m).map(|r| r.value).filter(|v| v.is_finite()) {
                    *sum += v;
                    *count += 1;
                }
            }
        }
        Ok(Point {
            means: sums
                .iter()
                .map(|&(sum, count)| (count > 0).then(|| sum / f64::from(count)))
                .collect(),
            cut,
        })
    }
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;
    use crate::widget::{Widget, WidgetSpec};

    fn widget(curves: &str) -> Result<Widget, ContentError> {
        WidgetSpec::parse(&format!(
            "preset = \"backoff-occ\"\nknobs = [\"client.backoff.jitter\", {{ path = \"contention.clients\", min = 10, max = 200, step = 10 }}]\ncurves = {curves}\n"
        ))
        .expect("parses")
        .resolve()
    }

    const LINES: &str = "lines = [{ label = \"Exponential\", set = { \"client.backoff.jitter\" = \"none\" } }, { label = \"Full jitter\", set = { \"client.backoff.jitter\" = \"full\" } }]";

    fn good() -> Widget {
        widget(&format!("{{ x = {{ knob = \"contention.clients\", from = 10, to = 30, step = 10 }}, seeds = 3, metrics = [\"contention.writes\", \"contention.makespan_ms\"], {LINES} }}")).expect("resolves")
    }

    #[test]
    fn a_point_is_the_mean_over_consecutive_seeds_of_its_line_at_its_x() {
        let w = good();
        let job = w
            .curve_job(&w.initial_state())
            .expect("curves")
            .expect("valid");
        assert_eq!(job.len(), 6);
        assert_eq!(
            job.point(4),
            Some((1, 1)),
            "line 1 (full jitter), 20 clients"
        );
        let point = job.run_point(4).expect("runs");
        let mut sum = [0.0, 0.0];
        for seed in 0..3 {
            let mut s = w.base.scenario().clone();
            s.seed = w.base.scenario().seed + seed;
            s.contention.as_mut().expect("a contention table").clients = 20;
            let s = knob::set(&s, "client.backoff.jitter", &Value::from("full")).expect("sets");
            let r = simulate(&s, Limits::default());
            sum[0] += r.summary.contention.as_ref().expect("totals").writes as f64;
            sum[1] += r
                .summary
                .contention
                .as_ref()
                .expect("totals")
                .makespan_ms
                .expect("all succeed");
        }
        assert_eq!(point.means, vec![Some(sum[0] / 3.0), Some(sum[1] / 3.0)]);
        assert_eq!(point.cut, 0);
        assert!(job.run_point(6).is_err(), "no seventh point");
    }

    #[test]
    fn the_job_ignores_the_knobs_the_points_set_but_not_the_seed() {
        let w = good();
        let mut state = w.initial_state();
        let job = w.curve_job(&state).expect("curves").expect("valid");
        state
            .values
            .insert("client.backoff.jitter".into(), Value::from("equal"));
        state
            .values
            .insert("contention.clients".into(), Value::from(150));
        assert_eq!(w.curve_job(&state).expect("curves").expect("valid"), job);
        state.seed += 1;
        assert_ne!(w.curve_job(&state).expect("curves").expect("valid"), job);
    }

    #[test]
    fn listed_values_a_theory_line_and_marks_are_read_by_every_point() {
        let w = widget(&format!(
            "{{ x = {{ knob = \"contention.clients\", values = [10, 20, 40, 80], log = true }}, seeds = 1, metrics = [\"contention.writes\"], {LINES}, theory = {{ label = \"Reads\", metric = \"contention.reads\", panel = \"contention.writes\" }}, marks = [{{ label = \"Conflicts\", metric = \"contention.conflicts\" }}], best = {{ label = \"Most writes\", panel = \"contention.writes\" }} }}"
        ))
        .expect("resolves");
        let c = w.curves.as_ref().expect("curves");
        assert_eq!(c.x.values, vec![10.0, 20.0, 40.0, 80.0]);
        assert!(c.x.log);
        assert_eq!(c.best, Some(("Most writes".to_string(), 0, false)));
        let job = w
            .curve_job(&w.initial_state())
            .expect("curves")
            .expect("valid");
        assert_eq!(
            job.metrics,
            [
                "contention.writes",
                "contention.reads",
                "contention.conflicts"
            ]
        );
        let point = job.run_point(0).expect("runs");
        assert_eq!(point.means.len(), 3);
        assert!(point.means.iter().all(Option::is_some));
    }

    #[test]
    fn bad_curves_say_what_is_wrong() {
        let x = "x = { knob = \"contention.clients\", from = 10, to = 30, step = 10 }";
        let cases = [
            (format!("{{ {x}, seeds = 0, metrics = [\"contention.writes\"], {LINES} }}"), "seeds = 0"),
            (format!("{{ {x}, seeds = 5, metrics = [\"contention.nope\"], {LINES} }}"), "no metric \"contention.nope\""),
            (format!("{{ {x}, seeds = 5, metrics = [\"contention.writes\"], lines = [] }}"), "0 lines"),
            (format!("{{ {x}, seeds = 5, metrics = [\"contention.writes\"], lines = [{{ label = \"Odd\", set = {{ \"client.backoff.jitter\" = \"sideways\" }} }}] }}"), "line \"Odd\""),
            (format!("{{ {x}, seeds = 5, metrics = [\"contention.writes\"], lines = [{{ label = \"X\", set = {{ \"contention.clients\" = 5 }} }}] }}"), "sets the swept knob"),
            (format!("{{ x = {{ knob = \"contention.clients\", from = 10, to = 200, step = 10 }}, seeds = 100, metrics = [\"contention.writes\"], lines = [{}] }}", ["{ label = \"L\", set = {} }"; 6].join(", ")), "12000 runs, more than 10000"),
            ("{ x = { knob = \"client.retries\", from = 0, to = 3, step = 1 }, seeds = 5, metrics = [\"contention.writes\"], lines = [] }".to_string(), "curves: axis client.retries"),
            (format!("{{ x = {{ knob = \"contention.clients\", values = [10, 30, 20] }}, seeds = 1, metrics = [\"contention.writes\"], {LINES} }}"), "increasing order"),
            (format!("{{ x = {{ knob = \"contention.clients\", values = [10, 15] }}, seeds = 1, metrics = [\"contention.writes\"], {LINES} }}"), "15 is not one of the knob's values"),
            (format!("{{ x = {{ knob = \"contention.clients\", from = 10, values = [10, 20] }}, seeds = 1, metrics = [\"contention.writes\"], {LINES} }}"), "not both"),
            (format!("{{ {x}, seeds = 1, metrics = [\"contention.writes\"], {LINES}, theory = {{ label = \"T\", metric = \"contention.reads\", panel = \"latency_ms.p99\" }} }}"), "the theory's panel \"latency_ms.p99\""),
            (format!("{{ {x}, seeds = 1, metrics = [\"contention.writes\"], {LINES}, best = {{ label = \"B\", panel = \"contention.reads\" }} }}"), "the best's panel"),
            (format!("{{ {x}, seeds = 1, metrics = [\"contention.writes\"], {LINES}, marks = [{{ label = \"M\", metric = \"nope\" }}] }}"), "no metric \"nope\""),
        ];
        for (curves, why) in cases {
            let e = widget(&curves).expect_err(&curves).to_string();
            assert!(e.contains(why), "{curves}: {e}");
        }
    }
}
