//! One field of a scenario changed by its path: `brownout run --set`,
//! sweeps and knobs. The result goes through the one validating function,
//! so a bad value gets the error a file would.

use serde_json::Value;

use super::path::{FieldStep, field_steps};
use super::{Scenario, ValidScenario};
use crate::error::ScenarioError;

/// A number as a JSON value for [`Scenario::with_value`]: an integer when it
/// is whole, so integer fields (`servers[0].count`) accept `3.0`.
pub fn number_value(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        Value::from(v as i64)
    } else {
        Value::from(v)
    }
}

/// `serde_json::from_value::<Scenario>(value.clone())`: the same scenario,
/// or the same error message, but read from the value's JSON text. The site
/// then ships one deserializer of the scenario, the one from text (which it
/// needs for its presets), instead of also one from values: about 4 KB of
/// gzip. A value's text is valid JSON and reads back to the same numbers
/// (serde_json's `float_roundtrip`), so only data errors can arise, and they
/// say what the value's would, less the position text errors end with.
/// One exception: an enum given a map of several keys, which values call
/// "a map, expected map with a single key" and text "unknown variant" (of
/// the first key). Knobs and map axes set numbers, strings and booleans, so
/// the site never meets it.
pub fn scenario_from_value(value: &Value) -> Result<Scenario, String> {
    serde_json::from_str(&value.to_string()).map_err(|e| {
        let message = e.to_string();
        let at = format!(" at line {} column {}", e.line(), e.column());
        match message.strip_suffix(&at) {
            Some(m) if e.line() > 0 => m.to_string(),
            _ => message,
        }
    })
}

impl Scenario {
    /// This scenario with `value` at `path` (`client.retries`,
    /// `servers[0].count`), validated. Missing tables on the way are created
    /// (`client.budget.ratio` on a scenario without a budget); array indices
    /// must exist.
    pub fn with_value(&self, path: &str, value: Value) -> Result<ValidScenario, ScenarioError> {
        let bad = |m: &str| ScenarioError::new(path, m);
        let steps = field_steps(path);
        if steps.is_empty() {
            return Err(bad("is not a field path"));
        }
        let mut json = serde_json::to_value(self).map_err(|e| bad(&e.to_string()))?;
        let mut slot = &mut json;
        for step in steps {
            slot = match step {
                FieldStep::Key(k) => {
                    let Value::Object(map) = slot else {
                        return Err(bad("has no such field (a value is not a table)"));
                    };
                    map.entry(k)
                        .or_insert_with(|| Value::Object(Default::default()))
                }
                FieldStep::Index(i) => {
                    let Value::Array(items) = slot else {
                        return Err(bad("has no such field (a value is not a list)"));
                    };
                    let n = items.len();
                    items.get_mut(i).ok_or_else(|| {
                        ScenarioError::new(
                            path,
                            format!("index {i} is out of range (the list has {n} entries)"),
                        )
                    })?
                }
            };
        }
        *slot = value;
        deserialize(json, path)?.validate()
    }
}

/// The changed scenario; an error names the field it is in (with the
/// `toml` feature) or the path that was set.
#[cfg(feature = "toml")]
fn deserialize(json: Value, path: &str) -> Result<Scenario, ScenarioError> {
    serde_path_to_error::deserialize(json).map_err(|e| {
        let at = super::field_of(e.path());
        let field = if at.is_empty() { path.to_string() } else { at };
        ScenarioError::new(field, e.into_inner().to_string())
    })
}

/// The changed scenario; an error names the path that was set.
#[cfg(not(feature = "toml"))]
fn deserialize(json: Value, path: &str) -> Result<Scenario, ScenarioError> {
    scenario_from_value(&json).map_err(|m| ScenarioError::new(path, m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Format, parse};

    const TEXT: &str = "duration_s = 10\n[traffic]\nrate_rps = 5\n[[servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"constant\", value = 1 }\n";

    fn base() -> Scenario {
        parse(TEXT, Format::Toml).expect("valid").scenario().clone()
    }

    #[test]
    fn a_value_lands_at_its_path_creating_missing_tables() {
        let s = base()
            .with_value("client.budget.ratio", 0.2.into())
            .expect("valid");
        let budget = s.scenario().client.as_ref().and_then(|c| c.budget.as_ref());
        assert_eq!(budget.map(|b| (b.ratio, b.capacity)), Some((0.2, 10.0)));
        let s = base()
            .with_value("servers[0].count", 3.into())
            .expect("valid");
        assert_eq!(s.scenario().servers[0].count, 3);
    }

    #[test]
    fn a_scenario_from_a_value_is_what_serde_json_reads_from_the_value() {
        let good = serde_json::to_value(base()).expect("json");
        let mut cases = vec![good.clone()];
        // Not an enum given a map of several keys (see above).
        let edits: [(&str, Value); 11] = [
            ("/servers/0/count", 2.5.into()),
            ("/servers/0/count", (-1).into()),
            ("/servers/0/count", "3".into()),
            ("/servers/0/workers", Value::Null),
            ("/traffic/rate_rps", true.into()),
            ("/traffic/rate_rps", 0.1.into()),
            ("/traffic/nonsense", 1.into()),
            ("/balancer/policy", "fastest".into()),
            ("/servers/0/service_ms/dist", "weird".into()),
            ("/servers/0/service_ms/value", "x".into()),
            (
                "/servers/0/service_ms",
                serde_json::json!({"dist": "mixture", "parts": [{"weight": 1, "dist": "constant"}]}),
            ),
        ];
        for (pointer, v) in edits {
            let mut c = good.clone();
            let (parent, key) = pointer.rsplit_once('/').expect("pointer");
            if let Some(Value::Object(m)) = c.pointer_mut(parent) {
                m.insert(key.to_string(), v);
            }
            cases.push(c);
        }
        let mut removed = good.clone();
        if let Some(Value::Object(m)) = removed.pointer_mut("/traffic") {
            m.remove("rate_rps");
        }
        cases.extend([removed, Value::Null, 3.into(), serde_json::json!([1, 2])]);
        for c in cases {
            let want = serde_json::from_value::<Scenario>(c.clone()).map_err(|e| e.to_string());
            assert_eq!(scenario_from_value(&c), want, "{c}");
        }
        let mut two_keys = good;
        if let Some(Value::Object(m)) = two_keys.pointer_mut("/balancer") {
            m.insert("policy".into(), serde_json::json!({"a": 1, "b": 2}));
        }
        assert!(scenario_from_value(&two_keys).is_err());
        assert!(serde_json::from_value::<Scenario>(two_keys).is_err());
    }

    #[test]
    fn bad_values_and_paths_name_the_field() {
        let e = base()
            .with_value("servers[0].workers", 0.into())
            .expect_err("zero");
        assert_eq!(e.field, "servers[0].workers");
        let e = base()
            .with_value("balancer.policy", "fastest".into())
            .expect_err("enum");
        assert_eq!(e.field, "balancer.policy");
        assert!(e.message.contains("unknown variant"), "{}", e.message);
        let e = base()
            .with_value("servers[3].count", 1.into())
            .expect_err("index");
        assert_eq!(e.field, "servers[3].count");
        let e = base()
            .with_value("traffic.rate", 1.into())
            .expect_err("unknown");
        assert!(e.message.contains("unknown field"), "{e}");
    }
}
