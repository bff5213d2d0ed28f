//! Widgets: a preset plus the knobs, stat rows and charts an article shows,
//! and the state a reader gives it (knob values, seed, compare), which a
//! share link carries in its query string.

use std::collections::BTreeMap;

use brownout_charts::ChartKind;
use brownout_sim::{ScenarioError, ValidScenario};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::curves::{CurveJob, CurvesSpec, SweepCurves};
use crate::error::ContentError;
use crate::knob::{self, Knob, KnobRef};
use crate::map::{MapJob, MapSpec, SweepMap};
use crate::metric::{DEFAULT_STATS, metric, metric_paths};
use crate::preset::{preset, preset_names};

/// A ```` ```widget ```` block as written in an article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WidgetSpec {
    /// Name of the preset scenario.
    pub preset: String,
    /// The knobs shown, in order.
    #[serde(default)]
    pub knobs: Vec<KnobRef>,
    /// The stat rows shown, in order: metric paths into the run summary
    /// (see [`crate::metric`]).
    #[serde(default = "default_stats")]
    pub stats: Vec<String>,
    /// The charts shown, in order, by name (see [`ChartKind::name`]).
    #[serde(default = "default_charts")]
    pub charts: Vec<String>,
    /// Compare mode: the knob that differs between the two sides, and its
    /// value on side B.
    #[serde(default)]
    pub compare: Option<CompareSpec>,
    /// Start with compare mode on.
    #[serde(default)]
    pub compare_on: bool,
    /// A sweep map under the widget: two of its knobs over a grid.
    #[serde(default)]
    pub map: Option<MapSpec>,
    /// Sweep curves under the widget: one knob along x, a line per
    /// configuration, each point a mean over seeds.
    #[serde(default)]
    pub curves: Option<CurvesSpec>,
}

fn default_stats() -> Vec<String> {
    DEFAULT_STATS.map(String::from).to_vec()
}

fn default_charts() -> Vec<String> {
    vec!["latency".to_string(), "queues".to_string()]
}

/// Compare mode's second configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareSpec {
    /// Path of the knob that differs.
    pub knob: String,
    /// Its default value on side B.
    pub value: Value,
}

impl WidgetSpec {
    /// Parses the TOML body of a widget block.
    #[cfg(feature = "toml")]
    pub fn parse(text: &str) -> Result<WidgetSpec, ContentError> {
        toml::from_str(text).map_err(|e| ContentError::WidgetBlock(e.message().trim().to_string()))
    }

    /// Reads a widget block converted to JSON at build time.
    pub fn from_json(json: &str) -> Result<WidgetSpec, ContentError> {
        serde_json::from_str(json).map_err(|e| ContentError::WidgetBlock(e.to_string()))
    }

    /// Resolves the preset, knobs, stat rows and charts; the error says
    /// which is missing.
    pub fn resolve(&self) -> Result<Widget, ContentError> {
        let preset = preset(&self.preset).ok_or_else(|| ContentError::UnknownPreset {
            name: self.preset.clone(),
            known: preset_names(),
        })?;
        let base = preset.scenario().map_err(|error| ContentError::Preset {
            name: preset.name.to_string(),
            error,
        })?;
        self.resolve_on(preset.name, base)
    }

    /// Resolves the knobs, stat rows and charts on `base`, a scenario
    /// called `name` (a preset, or one written in the playground).
    pub fn resolve_on(&self, name: &str, base: ValidScenario) -> Result<Widget, ContentError> {
        if let Some(path) = self.stats.iter().find(|p| metric(p).is_none()) {
            return Err(ContentError::UnknownMetric {
                path: path.clone(),
                known: metric_paths(),
            });
        }
        let charts = self
            .charts
            .iter()
            .map(|name| {
                ChartKind::from_name(name).ok_or_else(|| ContentError::UnknownChart {
                    name: name.clone(),
                    known: ChartKind::names(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut knobs = Vec::with_capacity(self.knobs.len());
        for r in &self.knobs {
            knobs.push(Knob::describe(base.scenario(), r)?);
        }
        let compare = match &self.compare {
            Some(c) => {
                let k = knobs
                    .iter()
                    .find(|k| k.path == c.knob)
                    .cloned()
                    .map_or_else(
                        || Knob::describe(base.scenario(), &KnobRef::Path(c.knob.clone())),
                        Ok,
                    )?;
                knob::set(base.scenario(), &c.knob, &c.value)
                    .map_err(ContentError::CompareValue)?;
                Some((k, c.value.clone()))
            }
            None => None,
        };
        let map = self.map.as_ref().map(|m| m.resolve(&knobs)).transpose()?;
        if let Some(m) = &map {
            m.job(base.scenario())
                .map_err(|e| ContentError::Map(e.to_string()))?;
        }
        let curves = self
            .curves
            .as_ref()
            .map(|c| c.resolve(&knobs, base.scenario()))
            .transpose()?;
        if let Some(c) = &curves {
            c.job(base.scenario())
                .map_err(|e| ContentError::Curves(e.to_string()))?;
        }
        Ok(Widget {
            spec: self.clone(),
            name: name.to_string(),
            base,
            knobs,
            charts,
            compare,
            map,
            curves,
        })
    }
}

/// A widget ready to run: its preset, resolved knobs and compare knob.
#[derive(Clone, Debug)]
pub struct Widget {
    /// The block as written.
    pub spec: WidgetSpec,
    /// Name of its scenario (the preset's, or `playground`), for titles and
    /// file names.
    pub name: String,
    /// The scenario the knobs start from.
    pub base: ValidScenario,
    /// The knobs, in order.
    pub knobs: Vec<Knob>,
    /// The charts, in order.
    pub charts: Vec<ChartKind>,
    /// The compare knob and its default B value.
    pub compare: Option<(Knob, Value)>,
    /// The sweep map, when the block has one.
    pub map: Option<SweepMap>,
    /// The sweep curves, when the block has them.
    pub curves: Option<SweepCurves>,
}

/// Which configuration of a compare pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The reader's configuration.
    A,
    /// The same with the compare knob set to its B value.
    B,
}

/// What a reader changed: knob values, seed, compare mode.
#[derive(Clone, Debug, PartialEq)]
pub struct WidgetState {
    /// Knob values that differ from the preset, by path.
    pub values: BTreeMap<String, Value>,
    /// Seed of the run.
    pub seed: u64,
    /// Compare mode's B value, when compare mode is on.
    pub compare: Option<Value>,
}

impl Widget {
    /// The preset's state.
    pub fn initial_state(&self) -> WidgetState {
        WidgetState {
            values: BTreeMap::new(),
            seed: self.base.scenario().seed,
            compare: self
                .compare
                .as_ref()
                .filter(|_| self.spec.compare_on)
                .map(|c| c.1.clone()),
        }
    }

    /// The current value of a knob in `state`.
    pub fn value(&self, state: &WidgetState, path: &str) -> Value {
        state
            .values
            .get(path)
            .cloned()
            .or_else(|| knob::get(self.base.scenario(), path))
            .unwrap_or(Value::Null)
    }

    /// The scenario one side of the widget runs.
    pub fn scenario(
        &self,
        state: &WidgetState,
        side: Side,
    ) -> Result<ValidScenario, ScenarioError> {
        let mut s = self.base.scenario().clone();
        s.seed = state.seed;
        for (path, v) in &state.values {
            s = knob::set(&s, path, v)?.scenario().clone();
        }
        if let (Side::B, Some((k, _)), Some(b)) = (side, &self.compare, &state.compare) {
            s = knob::set(&s, &k.path, b)?.scenario().clone();
        }
        s.validate()
    }

    /// The sweep map's job for `state` (side A, the reader's configuration);
    /// `None` without a map.
    pub fn map_job(&self, state: &WidgetState) -> Option<Result<MapJob, ScenarioError>> {
        let map = self.map.as_ref()?;
        Some(
            self.scenario(state, Side::A)
                .and_then(|s| map.job(s.scenario())),
        )
    }

    /// The sweep curves' job for `state` (side A); `None` without curves.
    pub fn curve_job(&self, state: &WidgetState) -> Option<Result<CurveJob, ScenarioError>> {
        let curves = self.curves.as_ref()?;
        Some(
            self.scenario(state, Side::A)
                .and_then(|s| curves.job(s.scenario())),
        )
    }

    /// Reads a share link's query parameters. Bad parameters are skipped,
    /// each with a message saying what would be accepted.
    pub fn state_from_query(&self, pairs: &[(String, String)]) -> (WidgetState, Vec<ContentError>) {
        let mut state = self.initial_state();
        let mut errors = Vec::new();
        for (key, raw) in pairs {
            match key.as_str() {
                "seed" => match raw.parse::<u64>() {
                    Ok(seed) => state.seed = seed,
                    Err(_) => errors.push(ContentError::BadValue {
                        label: "seed".to_string(),
                        expected: format!("a whole number from 0 to {}", u64::MAX),
                        got: knob::clip(raw),
                    }),
                },
                "compare" => match &self.compare {
                    Some(_) if raw == "off" => state.compare = None,
                    Some((k, _)) => match k.parse_value(raw) {
                        Ok(v) => state.compare = Some(v),
                        Err(e) => errors.push(ContentError::BadCompare(Box::new(e))),
                    },
                    None => errors.push(ContentError::NoCompare),
                },
                path => match self.knobs.iter().find(|k| k.path == path) {
                    Some(k) => match k.parse_value(raw) {
                        Ok(v) => {
                            state.values.insert(path.to_string(), v);
                        }
                        Err(e) => errors.push(e),
                    },
                    None => errors.push(ContentError::UnknownParameter {
                        key: knob::clip(path),
                        known: self.parameter_names(),
                    }),
                },
            }
        }
        // Values that pass their knob's range may still combine badly.
        if let Err(e) = self.scenario(&state, Side::A) {
            errors.push(ContentError::Combination(e));
            state.values.clear();
        }
        (state, errors)
    }

    /// The query parameters that reproduce `state` (only what differs from
    /// the preset).
    pub fn state_to_query(&self, state: &WidgetState) -> Vec<(String, String)> {
        let mut q: Vec<(String, String)> = Vec::new();
        for k in &self.knobs {
            if let Some(v) = state.values.get(&k.path)
                && Some(v) != knob::get(self.base.scenario(), &k.path).as_ref()
            {
                q.push((k.path.clone(), value_text(v)));
            }
        }
        if state.seed != self.base.scenario().seed {
            q.push(("seed".into(), state.seed.to_string()));
        }
        // Compare mode only when it differs from the widget's default.
        if state.compare != self.initial_state().compare {
            let text = state
                .compare
                .as_ref()
                .map_or_else(|| "off".to_string(), value_text);
            q.push(("compare".into(), text));
        }
        q
    }

    fn parameter_names(&self) -> String {
        let mut names: Vec<&str> = self.knobs.iter().map(|k| k.path.as_str()).collect();
        names.push("seed");
        if self.compare.is_some() {
            names.push("compare");
        }
        names.join(", ")
    }
}

/// A knob value as text for a URL: strings bare, numbers shortest.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;

    fn widget() -> Widget {
        let text = "preset = \"mm1\"\nknobs = [\"traffic.rate_rps\", \"balancer.policy\"]\ncompare = { knob = \"balancer.policy\", value = \"least_connections\" }\n";
        WidgetSpec::parse(text)
            .expect("parses")
            .resolve()
            .expect("resolves")
    }

    fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
        q.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn compare_off_and_default_compare_round_trip() {
        let text = "preset = \"mm1\"\nknobs = [\"balancer.policy\"]\ncompare_on = true\ncompare = { knob = \"balancer.policy\", value = \"least_connections\" }\n";
        let w = WidgetSpec::parse(text)
            .expect("parses")
            .resolve()
            .expect("resolves");
        assert!(
            w.state_to_query(&w.initial_state()).is_empty(),
            "the default writes nothing"
        );
        let mut off = w.initial_state();
        off.compare = None;
        let q = w.state_to_query(&off);
        assert_eq!(q, vec![("compare".to_string(), "off".to_string())]);
        assert_eq!(w.state_from_query(&q).0, off);
    }

    #[test]
    fn a_state_survives_a_round_trip_through_the_query_string() {
        let w = widget();
        let (state, errors) = w.state_from_query(&pairs(&[
            ("traffic.rate_rps", "6"),
            ("seed", "99"),
            ("compare", "random"),
        ]));
        assert!(errors.is_empty(), "{errors:?}");
        let q = w.state_to_query(&state);
        assert_eq!(w.state_from_query(&q).0, state);
        assert_eq!(
            w.scenario(&state, Side::A).expect("valid").scenario().seed,
            99
        );
        let b = w.scenario(&state, Side::B).expect("valid");
        assert_eq!(b.scenario().balancer.policy.name(), "random");
    }

    #[test]
    fn bad_parameters_are_reported_and_skipped() {
        let w = widget();
        let (state, errors) = w.state_from_query(&pairs(&[
            ("traffic.rate_rps", "1e9"),
            ("colour", "red"),
            ("seed", "-3"),
            ("balancer.policy", "<b>x</b>"),
        ]));
        assert_eq!(state, w.initial_state());
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(
            errors[1]
                .to_string()
                .contains("this widget takes: traffic.rate_rps, balancer.policy, seed, compare")
        );
    }

    #[test]
    fn an_unknown_preset_lists_the_known_ones() {
        let e = WidgetSpec::parse("preset = \"nope\"")
            .expect("parses")
            .resolve()
            .expect_err("unknown");
        assert!(e.to_string().contains("mm1"), "{e}");
    }
}
