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
    serde_json::from_value(json).map_err(|e| ScenarioError::new(path, e.to_string()))
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
