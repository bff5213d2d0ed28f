//! Widgets: a preset plus the knobs and charts an article shows, and the
//! state a reader gives it (knob values, seed, compare), which a share link
//! carries in its query string.

use std::collections::BTreeMap;

use brownout_sim::{ScenarioError, ValidScenario};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::knob::{self, Knob, KnobRef};
use crate::preset::{Preset, preset, preset_names};

/// A ```` ```widget ```` block as written in an article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WidgetSpec {
    /// Name of the preset scenario.
    pub preset: String,
    /// The knobs shown, in order.
    #[serde(default)]
    pub knobs: Vec<KnobRef>,
    /// The charts shown, in order.
    #[serde(default = "default_charts")]
    pub charts: Vec<ChartKind>,
    /// Compare mode: the knob that differs between the two sides, and its
    /// value on side B.
    #[serde(default)]
    pub compare: Option<CompareSpec>,
    /// Start with compare mode on.
    #[serde(default)]
    pub compare_on: bool,
}

fn default_charts() -> Vec<ChartKind> {
    vec![ChartKind::Latency, ChartKind::Queues]
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

/// The charts a widget can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// p50 and p99 latency over time.
    Latency,
    /// Throughput (and arrivals) over time.
    Throughput,
    /// Queue depth per server over time.
    Queues,
    /// Utilisation per server.
    Utilization,
}

impl ChartKind {
    /// Every chart kind.
    pub const ALL: [ChartKind; 4] = [
        ChartKind::Latency,
        ChartKind::Throughput,
        ChartKind::Queues,
        ChartKind::Utilization,
    ];

    /// The name used in widget blocks and file names.
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Latency => "latency",
            ChartKind::Throughput => "throughput",
            ChartKind::Queues => "queues",
            ChartKind::Utilization => "utilization",
        }
    }

    /// The chart called `name`.
    pub fn from_name(name: &str) -> Option<ChartKind> {
        ChartKind::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl WidgetSpec {
    /// Parses the TOML body of a widget block.
    #[cfg(feature = "toml")]
    pub fn parse(text: &str) -> Result<WidgetSpec, String> {
        toml::from_str(text).map_err(|e| format!("widget block: {}", e.message().trim()))
    }

    /// Reads a widget block converted to JSON at build time.
    pub fn from_json(json: &str) -> Result<WidgetSpec, String> {
        serde_json::from_str(json).map_err(|e| format!("widget block: {e}"))
    }

    /// Resolves the preset and knobs; the error says which is missing.
    pub fn resolve(&self) -> Result<Widget, String> {
        let preset = preset(&self.preset).ok_or_else(|| {
            format!(
                "no preset \"{}\"; presets are: {}",
                self.preset,
                preset_names()
            )
        })?;
        let base = preset
            .scenario()
            .map_err(|e| format!("preset {}: {e}", preset.name))?;
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
                    .map_err(|e| format!("compare value: {e}"))?;
                Some((k, c.value.clone()))
            }
            None => None,
        };
        Ok(Widget {
            spec: self.clone(),
            preset,
            base,
            knobs,
            compare,
        })
    }
}

/// A widget ready to run: its preset, resolved knobs and compare knob.
#[derive(Clone, Debug)]
pub struct Widget {
    /// The block as written.
    pub spec: WidgetSpec,
    /// The preset.
    pub preset: Preset,
    /// The preset's scenario.
    pub base: ValidScenario,
    /// The knobs, in order.
    pub knobs: Vec<Knob>,
    /// The compare knob and its default B value.
    pub compare: Option<(Knob, Value)>,
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

    /// Reads a share link's query parameters. Bad parameters are skipped,
    /// each with a message saying what would be accepted.
    pub fn state_from_query(&self, pairs: &[(String, String)]) -> (WidgetState, Vec<String>) {
        let mut state = self.initial_state();
        let mut errors = Vec::new();
        for (key, raw) in pairs {
            match key.as_str() {
                "seed" => match raw.parse::<u64>() {
                    Ok(seed) => state.seed = seed,
                    Err(_) => errors.push(format!(
                        "seed must be a whole number from 0 to {}, got \"{}\"",
                        u64::MAX,
                        raw.chars().take(40).collect::<String>()
                    )),
                },
                "compare" => match &self.compare {
                    Some(_) if raw == "off" => state.compare = None,
                    Some((k, _)) => match k.parse_value(raw) {
                        Ok(v) => state.compare = Some(v),
                        Err(e) => errors.push(format!("compare: {e}")),
                    },
                    None => errors.push("this widget has no compare mode".to_string()),
                },
                "show" | "height" | "embed" => {}
                path => match self.knobs.iter().find(|k| k.path == path) {
                    Some(k) => match k.parse_value(raw) {
                        Ok(v) => {
                            state.values.insert(path.to_string(), v);
                        }
                        Err(e) => errors.push(e),
                    },
                    None => errors.push(format!(
                        "unknown parameter \"{}\"; this widget takes: {}",
                        path.chars().take(40).collect::<String>(),
                        self.parameter_names()
                    )),
                },
            }
        }
        // Values that pass their knob's range may still combine badly.
        if let Err(e) = self.scenario(&state, Side::A) {
            errors.push(format!("{e}; showing the preset instead"));
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
                .contains("this widget takes: traffic.rate_rps, balancer.policy, seed, compare")
        );
    }

    #[test]
    fn an_unknown_preset_lists_the_known_ones() {
        let e = WidgetSpec::parse("preset = \"nope\"")
            .expect("parses")
            .resolve()
            .expect_err("unknown");
        assert!(e.contains("mm1"), "{e}");
    }
}
