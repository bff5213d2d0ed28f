//! Knobs: scenario fields a reader can change, addressed by path
//! (`traffic.rate_rps`, `servers[2].speed`, `faults[0].enabled`).
//!
//! A knob is applied by writing the value into the scenario's JSON form and
//! reading it back through the one validating function, so a knob can never
//! produce a scenario that a file could not.

use brownout_sim::scenario::{FieldStep, field_steps};
use brownout_sim::{Scenario, ScenarioError, ValidScenario};

mod number;

pub use number::parse_f64;

use crate::error::ContentError;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A knob as a widget block names it: a path, or a path with overrides.
///
/// Read by hand (a string or a table) rather than as serde's untagged enum,
/// which buffers its input into a generic form whose code is a large part
/// of the site's wasm.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum KnobRef {
    /// Just the path, with the default label and range for it.
    Path(String),
    /// The path with some of its presentation overridden.
    Custom(KnobOverride),
}

/// Overrides of a knob's default presentation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnobOverride {
    /// The scenario path.
    pub path: String,
    /// Label shown next to the control.
    pub label: Option<String>,
    /// Lowest value of a range.
    pub min: Option<f64>,
    /// Highest value of a range.
    pub max: Option<f64>,
    /// Step of a range.
    pub step: Option<f64>,
    /// Unit shown after the value.
    pub unit: Option<String>,
}

impl<'de> Deserialize<'de> for KnobRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RefVisitor;
        impl<'de> serde::de::Visitor<'de> for RefVisitor {
            type Value = KnobRef;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a field path, or a table with path and any of label, min, max, step, unit",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KnobRef, E> {
                Ok(KnobRef::Path(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<KnobRef, A::Error> {
                let table = serde::de::value::MapAccessDeserializer::new(map);
                KnobOverride::deserialize(table).map(KnobRef::Custom)
            }
        }
        d.deserialize_any(RefVisitor)
    }
}

impl KnobOverride {
    /// Refuses what no control can show (they come from links too): a label
    /// over 80 characters, a range with min not below max, a step not above 0.
    fn check(&self) -> Result<(), ContentError> {
        let bad = |why: String| Err(ContentError::BadKnob(self.path.clone(), why));
        if self.label.as_ref().is_some_and(|l| l.chars().count() > 80) {
            return bad("its label is longer than 80 characters".to_string());
        }
        for (name, v) in [("min", self.min), ("max", self.max), ("step", self.step)] {
            if v.is_some_and(|v| !v.is_finite()) {
                return bad(format!("{name} must be a number"));
            }
        }
        if let (Some(lo), Some(hi)) = (self.min, self.max)
            && lo >= hi
        {
            return bad(format!("min ({lo}) must be below max ({hi})"));
        }
        if self.step.is_some_and(|s| s <= 0.0) {
            return bad("step must be above 0".to_string());
        }
        Ok(())
    }
}

impl KnobRef {
    /// The scenario path it controls.
    pub fn path(&self) -> &str {
        match self {
            KnobRef::Path(p) => p,
            KnobRef::Custom(o) => &o.path,
        }
    }
}

/// A control bound to one scenario field.
#[derive(Clone, Debug, PartialEq)]
pub struct Knob {
    /// The scenario path.
    pub path: String,
    /// Label shown next to the control.
    pub label: String,
    /// What kind of control.
    pub kind: KnobKind,
}

/// The kinds of control.
#[derive(Clone, Debug, PartialEq)]
pub enum KnobKind {
    /// A number in `min..=max` by `step`, shown with `unit`.
    Range {
        /// Lowest value.
        min: f64,
        /// Highest value.
        max: f64,
        /// Step between values.
        step: f64,
        /// Unit shown after the value.
        unit: String,
    },
    /// One of several named options: `(value, label)`.
    Select(Vec<(String, String)>),
    /// On or off.
    Toggle,
}

impl Knob {
    /// The knob for `r` on `scenario`, with its default presentation and
    /// the overrides applied; an error names a path no knob can control.
    pub fn describe(scenario: &Scenario, r: &KnobRef) -> Result<Knob, ContentError> {
        let path = r.path();
        let current = get(scenario, path).ok_or_else(|| ContentError::NoField(path.to_string()))?;
        let mut knob = default_knob(scenario, path, &current)?;
        if let KnobRef::Custom(o) = r {
            o.check()?;
            if let Some(l) = &o.label {
                knob.label.clone_from(l);
            }
            if let KnobKind::Range {
                min,
                max,
                step,
                unit,
            } = &mut knob.kind
            {
                *min = o.min.unwrap_or(*min);
                *max = o.max.unwrap_or(*max);
                *step = o.step.unwrap_or(*step);
                if let Some(u) = &o.unit {
                    unit.clone_from(u);
                }
            }
        }
        Ok(knob)
    }

    /// Reads a value typed by a person (a URL parameter); the error says
    /// what would be accepted.
    pub fn parse_value(&self, text: &str) -> Result<Value, ContentError> {
        let refuse = |expected: String| ContentError::BadValue {
            label: self.label.clone(),
            expected,
            got: clip(text),
        };
        match &self.kind {
            KnobKind::Range { min, max, unit, .. } => match parse_f64(text.trim()) {
                Some(v) if v.is_finite() && v >= *min && v <= *max => Ok(number(v)),
                _ => Err(refuse(format!(
                    "a number from {} to {} {unit}",
                    fmt_num(*min),
                    fmt_num(*max)
                ))),
            },
            KnobKind::Select(options) => options
                .iter()
                .find(|(v, _)| v == text)
                .map(|(v, _)| Value::String(v.clone()))
                .ok_or_else(|| {
                    let names: Vec<&str> = options.iter().map(|(v, _)| v.as_str()).collect();
                    refuse(format!("one of {}", names.join(", ")))
                }),
            KnobKind::Toggle => match text {
                "true" | "1" | "on" => Ok(Value::Bool(true)),
                "false" | "0" | "off" => Ok(Value::Bool(false)),
                _ => Err(refuse("true or false".to_string())),
            },
        }
    }
}

/// At most 40 characters of untrusted text, for messages.
pub(crate) fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

/// A JSON number that is an integer when the value is whole, so that
/// integer fields (counts, workers) accept it.
pub fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Value::from(v as i64)
    } else {
        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

/// A number without trailing zeros (at most 4 decimals).
pub fn fmt_num(v: f64) -> String {
    brownout_charts::format::trim(v, 4)
}

/// A knob's value with its unit, for people: "140 req/s", "4 workers",
/// "1 worker" (a count of exactly one takes its unit in the singular) and
/// "5% of attempts" (a share of something, as a percentage).
pub fn amount(v: f64, unit: &str) -> String {
    // A share "of attempts" reads as a percentage: "5% of attempts".
    if unit.starts_with("of ") {
        return format!("{}% {unit}", fmt_num(v * 100.0));
    }
    let unit = if v == 1.0 { singular(unit) } else { unit };
    // Whole thousands grouped as elsewhere on the site: "10,000 entries".
    let n = if v.fract() == 0.0 && (1000.0..9.0e15).contains(&v) {
        brownout_charts::format::count(v as u64)
    } else {
        fmt_num(v)
    };
    if unit.is_empty() {
        n
    } else {
        format!("{n} {unit}")
    }
}

/// The singular of the scenario fields' plural units (the counts); any
/// other unit as it is.
fn singular(unit: &str) -> &str {
    match unit {
        "balancers" => "balancer",
        "calls" => "call",
        "clients" => "client",
        "connections" => "connection",
        "cores" => "core",
        "disks" => "disk",
        "entries" => "entry",
        "keys" => "key",
        "requests" => "request",
        "retries" => "retry",
        "rounds" => "round",
        "servers" => "server",
        "tokens" => "token",
        "workers" => "worker",
        other => other,
    }
}

fn default_knob(s: &Scenario, path: &str, current: &Value) -> Result<Knob, ContentError> {
    use brownout_sim::scenario::{Bound, FieldKind};
    let info = s
        .field_info(path)
        .ok_or_else(|| ContentError::NotAKnob(path.to_string()))?;
    let now = current.as_f64().unwrap_or(1.0);
    let resolve = |b: Bound| match b {
        Bound::Fixed(v) => v,
        Bound::Times(k) => (now * k).ceil().max(1.0),
        Bound::Duration => s.duration_s,
    };
    let kind = match info.kind {
        FieldKind::Number {
            unit,
            min,
            max,
            step,
        } => KnobKind::Range {
            min: resolve(min),
            max: resolve(max),
            step,
            unit: unit.to_string(),
        },
        FieldKind::Toggle => KnobKind::Toggle,
        FieldKind::Choice(options) => KnobKind::Select(
            options
                .into_iter()
                .map(|(v, l)| (v.to_string(), l.to_string()))
                .collect(),
        ),
    };
    // Faults and traffic changes say what they do and when.
    let label = match field_steps(path).as_slice() {
        [
            FieldStep::Key("faults" | "traffic"),
            ..,
            FieldStep::Key("enabled"),
        ] => toggle_label(s, path),
        _ => info.label,
    };
    Ok(Knob {
        path: path.to_string(),
        label,
        kind,
    })
}

fn toggle_label(s: &Scenario, path: &str) -> String {
    use brownout_sim::scenario::FaultKind;
    match field_steps(path).as_slice() {
        [FieldStep::Key("faults"), FieldStep::Index(i), ..] => {
            s.faults.get(*i).map_or_else(String::new, |f| {
                let name = s
                    .groups(f.layer)
                    .get(f.group)
                    .and_then(|g| g.name.clone())
                    .unwrap_or_else(|| format!("group {}", f.group));
                let target = match f.server {
                    Some(k) => format!("{name} server {k}"),
                    None => format!("every {name} server"),
                };
                let when = match f.for_s {
                    Some(d) => format!("from {} s to {} s", fmt_num(f.at_s), fmt_num(f.at_s + d)),
                    None => format!("from {} s", fmt_num(f.at_s)),
                };
                match f.kind {
                    FaultKind::Slow => format!("Slow down {target} {when}"),
                    FaultKind::Down => format!("Take {target} down {when}"),
                    FaultKind::Errors => format!(
                        "Fail {}% of attempts on {target} {when}",
                        fmt_num(f.probability.unwrap_or(0.0) * 100.0)
                    ),
                }
            })
        }
        [FieldStep::Key("traffic"), ..] => "Traffic change".to_string(),
        _ => path.to_string(),
    }
}

/// The value at a field path in a JSON value (a scenario or a run summary).
/// The value at a field path of a JSON value (a run summary's
/// `recovered_after_s`, null included); `None` when the path is absent.
pub fn lookup_value<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    lookup(v, path)
}

pub(crate) fn lookup<'v>(mut v: &'v Value, path: &str) -> Option<&'v Value> {
    for step in field_steps(path) {
        v = match step {
            FieldStep::Key(k) => v.get(k)?,
            FieldStep::Index(i) => v.get(i)?,
        };
    }
    Some(v)
}

fn walk<'v>(mut v: &'v mut Value, path: &str) -> Option<&'v mut Value> {
    for step in field_steps(path) {
        v = match step {
            FieldStep::Key(k) => v.get_mut(k)?,
            FieldStep::Index(i) => v.get_mut(i)?,
        };
    }
    Some(v)
}

/// The value at `path`, with defaults filled in (e.g. `enabled`).
pub fn get(s: &Scenario, path: &str) -> Option<Value> {
    lookup(&serde_json::to_value(s).ok()?, path).cloned()
}

/// The scenario with `value` written at `path`, validated.
pub fn set(s: &Scenario, path: &str, value: &Value) -> Result<ValidScenario, ScenarioError> {
    let bad = |m: String| ScenarioError::new(path, m);
    let mut json = serde_json::to_value(s).map_err(|e| bad(e.to_string()))?;
    let slot = walk(&mut json, path).ok_or_else(|| bad("no such field in this scenario".into()))?;
    *slot = value.clone();
    let changed = brownout_sim::scenario::scenario_from_value(&json).map_err(bad)?;
    changed.validate()
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;

    #[test]
    fn a_knob_is_a_path_or_a_table_and_nothing_else() {
        let path: KnobRef = serde_json::from_str("\"traffic.rate_rps\"").expect("a path");
        assert_eq!(path, KnobRef::Path("traffic.rate_rps".into()));
        let table: KnobRef =
            serde_json::from_str(r#"{"path": "servers[0].count", "max": 5}"#).expect("a table");
        assert_eq!(table.path(), "servers[0].count");
        let KnobRef::Custom(o) = table else {
            panic!("overrides")
        };
        assert_eq!(o.max, Some(5.0));
        let e =
            serde_json::from_str::<KnobRef>(r#"{"path": "x", "colour": 1}"#).expect_err("unknown");
        assert!(e.to_string().contains("unknown field `colour`"), "{e}");
        let e = serde_json::from_str::<KnobRef>("3").expect_err("a number");
        assert!(e.to_string().contains("a field path, or a table"), "{e}");
    }

    use brownout_sim::Policy;

    fn scenario() -> Scenario {
        let text = "duration_s = 60\n[traffic]\nrate_rps = 70\n[[servers]]\nname = \"legacy\"\ncount = 3\nworkers = 1\nspeed = 0.5\nservice_ms = { dist = \"exponential\", mean = 100 }\n[[faults]]\ngroup = 0\nkind = \"slow\"\nfactor = 3\nat_s = 20\n";
        brownout_sim::parse(text, brownout_sim::Format::Toml)
            .expect("valid")
            .scenario()
            .clone()
    }

    #[test]
    fn setting_a_knob_changes_exactly_that_field() {
        let s = scenario();
        let v = set(&s, "servers[0].speed", &number(0.8)).expect("valid");
        assert_eq!(v.scenario().servers[0].speed, 0.8);
        let v = set(&s, "balancer.policy", &Value::from("least_connections")).expect("valid");
        assert_eq!(v.scenario().balancer.policy, Policy::LeastConnections);
        let v = set(&s, "servers[0].count", &number(5.0)).expect("integer from a whole f64");
        assert_eq!(v.scenario().servers[0].count, 5);
    }

    #[test]
    fn a_knob_value_out_of_the_scenario_range_names_the_field() {
        let e = set(&scenario(), "servers[0].workers", &number(0.0)).expect_err("zero workers");
        assert_eq!(e.field, "servers[0].workers");
    }

    #[test]
    fn one_of_a_count_is_singular_and_other_units_stay() {
        assert_eq!(amount(1.0, "workers"), "1 worker");
        assert_eq!(amount(2.0, "workers"), "2 workers");
        assert_eq!(amount(0.0, "retries"), "0 retries");
        assert_eq!(amount(1.0, "retries"), "1 retry");
        assert_eq!(amount(1.0, "entries"), "1 entry");
        assert_eq!(amount(1.5, "entries"), "1.5 entries");
        assert_eq!(amount(1.0, "s"), "1 s");
        assert_eq!(amount(1.0, "req/s"), "1 req/s");
        assert_eq!(amount(3.0, ""), "3");
        assert_eq!(amount(10_000.0, "entries"), "10,000 entries");
        assert_eq!(amount(0.05, "of attempts"), "5% of attempts");
        assert_eq!(amount(1.0, "of attempts"), "100% of attempts");
        assert_eq!(amount(0.0005, "of checkouts"), "0.05% of checkouts");
        assert_eq!(amount(1234.5, "ms"), "1234.5 ms");
    }

    #[test]
    fn default_knobs_have_labels_ranges_and_units() {
        let s = scenario();
        let k = Knob::describe(&s, &KnobRef::Path("servers[0].speed".into())).expect("knob");
        assert_eq!(k.label, "Speed of legacy servers");
        let k = Knob::describe(&s, &KnobRef::Path("traffic.rate_rps".into())).expect("knob");
        assert_eq!(
            k.kind,
            KnobKind::Range {
                min: 1.0,
                max: 140.0,
                step: 1.0,
                unit: "req/s".into()
            }
        );
        let k = Knob::describe(&s, &KnobRef::Path("faults[0].enabled".into())).expect("knob");
        assert_eq!(k.label, "Slow down every legacy server from 20 s");
    }

    #[test]
    fn typed_values_outside_the_range_say_what_is_accepted() {
        let s = scenario();
        let k = Knob::describe(&s, &KnobRef::Path("traffic.rate_rps".into())).expect("knob");
        assert_eq!(k.parse_value("80"), Ok(number(80.0)));
        let e = k.parse_value("9999").expect_err("too high").to_string();
        assert_eq!(
            e,
            "Arrival rate must be a number from 1 to 140 req/s, got \"9999\""
        );
        let k = Knob::describe(&s, &KnobRef::Path("balancer.policy".into())).expect("knob");
        assert!(
            k.parse_value("<script>")
                .expect_err("unknown")
                .to_string()
                .contains("round_robin")
        );
    }

    #[test]
    fn a_path_that_is_not_a_knob_is_refused() {
        assert!(Knob::describe(&scenario(), &KnobRef::Path("seed".into())).is_err());
        assert!(Knob::describe(&scenario(), &KnobRef::Path("servers[9].speed".into())).is_err());
    }
}
