//! A widget's sweep map: two of its knobs swept over a grid, each cell a
//! whole run that either recovered from its trigger or stayed stuck.
//!
//! ```text
//!  map = { x = { knob, from, to, step }, y = { … }, duration_s }   (widget block)
//!        │ resolve: both knobs are the widget's, every value one its slider can show
//!        ▼
//!  SweepMap ──job(widget, state)──> MapJob { scenario, x, xs, y, ys }   (plain data)
//!        MapJob::run_cell(k) ──> Cell { recovered_after_s, within_slo, … }
//! ```
//! A [`MapJob`] is serialisable so the site can post it to Web Workers.
//! The CLI's `brownout sweep` over the same two paths, with the same
//! settings (`--set duration_s=…` for a shortened map), gives the same
//! cells, except that it has no event budget where the site cuts a cell at
//! [`CELL_EVENT_BUDGET`] events.

use brownout_sim::scenario::number_value;
use brownout_sim::{Limits, RECOVERY_WINDOW_S, Scenario, ScenarioError, simulate};
use serde::{Deserialize, Serialize};

use crate::error::ContentError;
use crate::knob::{Knob, KnobKind};

/// Most cells along one axis.
pub const MAX_CELLS_PER_AXIS: usize = 40;

/// Most events one cell may simulate; a cell over it is shown as cut short.
pub const CELL_EVENT_BUDGET: u64 = 1_500_000;

/// A sweep map as written in a widget block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapSpec {
    /// The horizontal axis.
    pub x: AxisSpec,
    /// The vertical axis.
    pub y: AxisSpec,
    /// Simulated seconds of each cell's run, when shorter than the preset's
    /// (a map runs hundreds of them).
    #[serde(default)]
    pub duration_s: Option<f64>,
}

/// One axis as written: a knob of the widget and the values it takes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxisSpec {
    /// Path of one of the widget's number knobs.
    pub knob: String,
    /// First value.
    #[serde(default)]
    pub from: f64,
    /// Last value (included).
    #[serde(default)]
    pub to: f64,
    /// Between values; a multiple of the knob's step.
    #[serde(default)]
    pub step: f64,
    /// Instead of `from`, `to` and `step`: the values, increasing (sweep
    /// curves over sizes that span decades: `[4, 8, 16, …, 2048]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<f64>,
    /// Draw the axis on a logarithmic scale (sweep curves only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub log: bool,
}

/// A resolved axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The scenario path.
    pub path: String,
    /// The knob's label.
    pub label: String,
    /// The knob's unit.
    pub unit: String,
    /// The values, in order.
    pub values: Vec<f64>,
    /// Drawn on a logarithmic scale.
    pub log: bool,
}

/// A resolved sweep map.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepMap {
    /// Across.
    pub x: Axis,
    /// Up.
    pub y: Axis,
    /// Simulated seconds of each run.
    pub duration_s: Option<f64>,
}

impl AxisSpec {
    pub(crate) fn resolve(&self, knobs: &[Knob]) -> Result<Axis, ContentError> {
        let bad = |why: String| ContentError::Map(format!("axis {}: {why}", self.knob));
        let knob = knobs
            .iter()
            .find(|k| k.path == self.knob)
            .ok_or_else(|| bad("is not one of the widget's knobs".to_string()))?;
        let KnobKind::Range {
            min,
            max,
            step,
            unit,
        } = &knob.kind
        else {
            return Err(bad("is not a number knob".to_string()));
        };
        if !self.values.is_empty() {
            return self.listed(knob, (*min, *max, *step), unit);
        }
        let finite = [self.from, self.to, self.step]
            .iter()
            .all(|v| v.is_finite());
        if !finite || self.step <= 0.0 || self.to < self.from {
            return Err(bad("needs from <= to and a step above 0".to_string()));
        }
        if self.log && self.from <= 0.0 {
            return Err(bad("a logarithmic axis needs values above 0".to_string()));
        }
        if self.from < *min || self.to > *max {
            return Err(bad(format!(
                "{}..{} leaves the knob's range {min}..{max}",
                self.from, self.to
            )));
        }
        // Counted in floating point first, so a tiny step cannot overflow.
        let span = (self.to - self.from) / self.step;
        if span + 1.0 > MAX_CELLS_PER_AXIS as f64 + 1e-6 {
            return Err(bad(format!(
                "{} cells, more than {MAX_CELLS_PER_AXIS}",
                span.floor() + 1.0
            )));
        }
        if (span - span.round()).abs() > 1e-6 {
            return Err(bad(format!(
                "{} is not {} plus a whole number of steps of {}",
                self.to, self.from, self.step
            )));
        }
        let n = span.round() as usize + 1;
        // Every value must be one the knob's slider can show; each is then
        // snapped onto the knob's grid, so 0.1 + 2 × 0.1 is exactly 0.3.
        let on_step = |v: f64| {
            let k = (v - min) / step;
            (k - k.round()).abs() < 1e-6
        };
        let snap = |v: f64| (min + ((v - min) / step).round() * step).clamp(*min, *max);
        let mut values = Vec::with_capacity(n);
        for i in 0..n {
            let v = self.from + i as f64 * self.step;
            if !on_step(v) {
                return Err(bad(format!(
                    "{v} is not on the knob's steps of {step} from {min}"
                )));
            }
            values.push(snap(v));
        }
        Ok(Axis {
            path: knob.path.clone(),
            label: knob.label.clone(),
            unit: unit.clone(),
            values,
            log: self.log,
        })
    }

    /// An axis of listed values: each in the knob's range and on its steps,
    /// increasing, without `from`, `to` or `step` beside them.
    fn listed(
        &self,
        knob: &Knob,
        (min, max, step): (f64, f64, f64),
        unit: &str,
    ) -> Result<Axis, ContentError> {
        let bad = |why: String| ContentError::Map(format!("axis {}: {why}", self.knob));
        if [self.from, self.to, self.step].iter().any(|v| *v != 0.0) {
            return Err(bad(
                "give values, or from, to and step, not both".to_string()
            ));
        }
        if self.values.len() > MAX_CELLS_PER_AXIS {
            return Err(bad(format!(
                "{} values, more than {MAX_CELLS_PER_AXIS}",
                self.values.len()
            )));
        }
        for (i, &v) in self.values.iter().enumerate() {
            let k = (v - min) / step;
            if !(v.is_finite() && (min..=max).contains(&v) && (k - k.round()).abs() < 1e-6) {
                return Err(bad(format!(
                    "{v} is not one of the knob's values ({min} to {max} in steps of {step})"
                )));
            }
            if i > 0 && v <= self.values[i - 1] {
                return Err(bad("list the values in increasing order".to_string()));
            }
        }
        if self.log && min <= 0.0 && self.values[0] <= 0.0 {
            return Err(bad("a logarithmic axis needs values above 0".to_string()));
        }
        Ok(Axis {
            path: knob.path.clone(),
            label: knob.label.clone(),
            unit: unit.to_string(),
            values: self.values.clone(),
            log: self.log,
        })
    }
}

impl MapSpec {
    /// Resolves both axes against the widget's knobs.
    pub fn resolve(&self, knobs: &[Knob]) -> Result<SweepMap, ContentError> {
        let x = self.x.resolve(knobs)?;
        let y = self.y.resolve(knobs)?;
        if x.log || y.log {
            return Err(ContentError::Map(
                "a map's axes are linear: remove log".to_string(),
            ));
        }
        if x.path == y.path {
            return Err(ContentError::Map(format!(
                "both axes sweep {}; choose two knobs",
                x.path
            )));
        }
        Ok(SweepMap {
            x,
            y,
            duration_s: self.duration_s,
        })
    }
}

impl SweepMap {
    /// The job for the scenario a widget runs: `scenario` with this map's
    /// duration. The axes' own values in `scenario` do not matter (each cell
    /// sets them), so they are set to the first cell's: moving only the
    /// map's knobs leaves the job unchanged.
    pub fn job(&self, scenario: &Scenario) -> Result<MapJob, ScenarioError> {
        let mut s = scenario.clone();
        if let Some(d) = self.duration_s {
            s.duration_s = d;
        }
        let corner = |i: usize, j: usize| {
            s.with_value(&self.x.path, number_value(self.x.values[i]))?
                .scenario()
                .with_value(&self.y.path, number_value(self.y.values[j]))
        };
        let first = corner(0, 0)?;
        if self.duration_s.is_some() {
            // A run that ends before a trigger plus the recovery window
            // would show every cell stuck: refuse it. An axis that moves a
            // spike or a fault (its start or length) may move the trigger,
            // so then the far corner is checked too; otherwise (the usual
            // case, on every knob move) no second scenario is built.
            let moves = |p: &str| p.ends_with(".at_s") || p.ends_with(".for_s");
            let mut trigger = first.scenario().trigger_end_s();
            if moves(&self.x.path) || moves(&self.y.path) {
                let last = (
                    self.x.values.len().saturating_sub(1),
                    self.y.values.len().saturating_sub(1),
                );
                trigger = trigger.max(corner(last.0, last.1)?.scenario().trigger_end_s());
            }
            let need = trigger + RECOVERY_WINDOW_S;
            if s.duration_s < need {
                return Err(ScenarioError::new(
                    "map.duration_s",
                    format!(
                        "{} s ends before a cell can recover: the last trigger ends at {trigger} s \
                         and recovery is judged over {RECOVERY_WINDOW_S} s after it; make it at \
                         least {need} s",
                        s.duration_s
                    ),
                ));
            }
        }
        let s = first;
        Ok(MapJob {
            scenario: s.scenario().clone(),
            x: self.x.path.clone(),
            xs: self.x.values.clone(),
            y: self.y.path.clone(),
            ys: self.y.values.clone(),
            max_events: CELL_EVENT_BUDGET,
        })
    }
}

/// Everything a worker needs to run a map's cells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapJob {
    /// The scenario every cell starts from.
    pub scenario: Scenario,
    /// Path of the horizontal axis.
    pub x: String,
    /// Its values.
    pub xs: Vec<f64>,
    /// Path of the vertical axis.
    pub y: String,
    /// Its values.
    pub ys: Vec<f64>,
    /// The event budget of each cell.
    pub max_events: u64,
}

/// What one cell's run came to.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Seconds from the end of the trigger until goodput held within 10% of
    /// the offered load; `None` when it never did.
    pub recovered_after_s: Option<f64>,
    /// Share of logical requests that succeeded within the SLO.
    pub within_slo: f64,
    /// Logical requests that succeeded, per second.
    pub goodput_rps: f64,
    /// The run hit its event budget.
    pub cut: bool,
}

impl Cell {
    /// Recovered (and not cut short).
    pub fn recovered(&self) -> bool {
        !self.cut && self.recovered_after_s.is_some()
    }
}

impl MapJob {
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.xs.len() * self.ys.len()
    }

    /// True when there are no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The axis values of cell `k`: cells run along x, row by row up y.
    pub fn point(&self, k: usize) -> Option<(f64, f64)> {
        let n = self.xs.len();
        let (i, j) = (k % n.max(1), k / n.max(1));
        Some((*self.xs.get(i)?, *self.ys.get(j)?))
    }

    /// Runs cell `k`.
    pub fn run_cell(&self, k: usize) -> Result<Cell, ScenarioError> {
        let (x, y) = self
            .point(k)
            .ok_or_else(|| ScenarioError::new("map", format!("no cell {k}")))?;
        let s = self
            .scenario
            .with_value(&self.x, number_value(x))?
            .scenario()
            .with_value(&self.y, number_value(y))?;
        let r = simulate(
            &s,
            Limits {
                max_events: self.max_events,
            },
        );
        // Finite numbers only: a cell travels as JSON, which has no NaN.
        let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
        Ok(Cell {
            recovered_after_s: r.summary.recovered_after_s.filter(|v| v.is_finite()),
            within_slo: finite(r.summary.within_slo),
            goodput_rps: finite(r.summary.goodput_rps),
            cut: r.summary.cut_at_s.is_some(),
        })
    }
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;
    use crate::widget::WidgetSpec;

    const BLOCK: &str = r#"preset = "retry-storm"
knobs = [{ path = "traffic.rate_rps", min = 30, max = 70, step = 2 }, { path = "traffic.changes[0].rate_rps", min = 55, max = 400, step = 5 }]
"#;

    fn spec(map: &str) -> Result<crate::widget::Widget, ContentError> {
        WidgetSpec::parse(&format!("{BLOCK}map = {map}\n"))
            .expect("parses")
            .resolve()
    }

    #[test]
    fn axes_take_the_knobs_values_in_order() {
        let w = spec("{ x = { knob = \"traffic.rate_rps\", from = 30, to = 68, step = 2 }, y = { knob = \"traffic.changes[0].rate_rps\", from = 60, to = 250, step = 10 }, duration_s = 200 }").expect("resolves");
        let map = w.map.expect("map");
        assert_eq!(map.x.values.len(), 20);
        assert_eq!(map.y.values.len(), 20);
        assert_eq!(map.y.values[19], 250.0);
        let job = map.job(w.base.scenario()).expect("valid");
        assert_eq!(job.len(), 400);
        assert_eq!(job.point(21), Some((32.0, 70.0)));
        assert_eq!(job.scenario.duration_s, 200.0);
    }

    #[test]
    fn a_map_too_short_to_see_recovery_is_refused_with_the_length_it_needs() {
        // The storm's spike ends at 65 s; recovery is judged over 10 s more.
        let e = spec("{ x = { knob = \"traffic.rate_rps\", from = 30, to = 68, step = 2 }, y = { knob = \"traffic.changes[0].rate_rps\", from = 60, to = 250, step = 10 }, duration_s = 70 }").expect_err("too short");
        let text = e.to_string();
        assert!(text.contains("map.duration_s"), "{text}");
        assert!(text.contains("at least 75 s"), "{text}");
        assert!(spec("{ x = { knob = \"traffic.rate_rps\", from = 30, to = 68, step = 2 }, y = { knob = \"traffic.changes[0].rate_rps\", from = 60, to = 250, step = 10 }, duration_s = 75 }").is_ok());
    }

    #[test]
    fn an_axis_that_moves_the_spike_is_checked_at_its_far_end() {
        // The spike lasts 5 s: starting at 190 s it ends at 195 s, and a
        // 200-second map cannot show recovery after it.
        let block = |to: u32| {
            format!(
                "preset = \"retry-storm\"\nknobs = [{{ path = \"traffic.rate_rps\", min = 30, max = 70, step = 2 }}, {{ path = \"traffic.changes[0].at_s\", min = 10, max = 190, step = 10 }}]\nmap = {{ x = {{ knob = \"traffic.rate_rps\", from = 30, to = 34, step = 2 }}, y = {{ knob = \"traffic.changes[0].at_s\", from = 60, to = {to}, step = 10 }}, duration_s = 200 }}\n"
            )
        };
        let resolve = |to| WidgetSpec::parse(&block(to)).expect("parses").resolve();
        assert!(resolve(180).is_ok());
        let e = resolve(190).expect_err("the far corner's spike ends too late");
        assert!(e.to_string().contains("at least 205 s"), "{e}");
    }

    #[test]
    fn a_bad_axis_says_which_and_why() {
        let cases = [
            (
                "{ knob = \"client.retries\", from = 0, to = 3, step = 1 }",
                "not one of the widget's knobs",
            ),
            (
                "{ knob = \"traffic.rate_rps\", from = 20, to = 68, step = 2 }",
                "leaves the knob's range",
            ),
            (
                "{ knob = \"traffic.rate_rps\", from = 30, to = 66, step = 3 }",
                "not on the knob's steps",
            ),
            (
                "{ knob = \"traffic.rate_rps\", from = 30, to = 69, step = 2 }",
                "whole number of steps",
            ),
            (
                "{ knob = \"traffic.rate_rps\", from = 30, to = 70, step = 1e-300 }",
                "more than 40",
            ),
            (
                "{ knob = \"traffic.rate_rps\", from = 30, to = 70, step = 0 }",
                "a step above 0",
            ),
        ];
        for (axis, why) in cases {
            let e = spec(&format!("{{ x = {axis}, y = {{ knob = \"traffic.changes[0].rate_rps\", from = 60, to = 70, step = 5 }} }}"))
                .expect_err(axis);
            assert!(e.to_string().contains(why), "{axis}: {e}");
        }
    }

    #[test]
    fn the_job_does_not_depend_on_the_axes_own_values() {
        let w = spec("{ x = { knob = \"traffic.rate_rps\", from = 30, to = 40, step = 2 }, y = { knob = \"traffic.changes[0].rate_rps\", from = 60, to = 80, step = 10 } }").expect("resolves");
        let map = w.map.clone().expect("map");
        let mut moved = w.base.scenario().clone();
        moved.traffic.rate_rps = Some(64.0);
        assert_eq!(
            map.job(w.base.scenario()).expect("valid"),
            map.job(&moved).expect("valid")
        );
    }

    #[test]
    fn cells_run_along_x_then_up_y_on_a_grid_that_is_not_square() {
        let w = spec("{ x = { knob = \"traffic.rate_rps\", from = 30, to = 34, step = 2 }, y = { knob = \"traffic.changes[0].rate_rps\", from = 60, to = 65, step = 5 } }").expect("resolves");
        let job = w.map.expect("map").job(w.base.scenario()).expect("valid");
        assert_eq!((job.xs.len(), job.ys.len(), job.len()), (3, 2, 6));
        let points: Vec<_> = (0..6).map(|k| job.point(k).expect("a cell")).collect();
        assert_eq!(
            points,
            [
                (30.0, 60.0),
                (32.0, 60.0),
                (34.0, 60.0),
                (30.0, 65.0),
                (32.0, 65.0),
                (34.0, 65.0)
            ]
        );
        assert_eq!(job.point(6), None);
    }
}
