//! The playground's model: the widget it shows for any scenario (every chart
//! and number that scenario can fill), the fields an author may turn into
//! knobs, and a playground link read back into the scenario it runs.
//!
//! ```text
//!  scenario + knob set ──> widget_spec ──> WidgetSpec::resolve_on ──> the live widget
//!  scenario ──> knob_fields ──> the "add a knob" list
//!  link (s= + state) ──> link::decode ──> parse ──> widget state ──> scenario_of_link (CLI)
//! ```

use brownout_charts::ChartKind;
use brownout_sim::Scenario;
use serde_json::Value;

use crate::knob::{Knob, KnobRef};
use crate::metric::DEFAULT_STATS;
use crate::widget::WidgetSpec;

/// The name a playground scenario goes by (titles, file names).
pub const NAME: &str = "playground";

/// Whether any client of the scenario (front or layer) has retries, and
/// whether any has a breaker.
fn clients(s: &Scenario) -> (bool, bool) {
    let all: Vec<_> = (s.client.iter())
        .chain(s.layers.iter().filter_map(|l| l.client.as_ref()))
        .collect();
    (!all.is_empty(), all.iter().any(|c| c.breaker.is_some()))
}

/// The widget the playground shows for `scenario` with `knobs`: the default
/// numbers and charts, plus the client's and the breakers' when it has them.
pub fn widget_spec(scenario: &Scenario, knobs: Vec<KnobRef>) -> WidgetSpec {
    let (client, breaker) = clients(scenario);
    let mut stats: Vec<String> = DEFAULT_STATS.map(String::from).to_vec();
    let mut charts = vec!["latency", "throughput", "queues", "utilization"];
    if client {
        stats.extend(["goodput_rps", "amplification"].map(String::from));
        charts.extend(["goodput", "retries", "amplification"]);
    }
    if breaker {
        stats.extend(["breaker.opened", "breaker.short_circuited"].map(String::from));
        charts.push("breakers");
    }
    if scenario.cache.is_some() {
        stats.extend(
            [
                "cache.hit_ratio",
                "cache.cost_miss_ratio",
                "logical.latency_ms.p99",
            ]
            .map(String::from),
        );
        charts.push("cache");
    }
    if scenario.pool.is_some() {
        stats.extend(
            [
                "database.throughput_qps",
                "pool.mean_wait_ms",
                "pool.mean_db_ms",
            ]
            .map(String::from),
        );
        charts.push("pool");
    }
    charts.retain(|c| ChartKind::from_name(c).is_some());
    WidgetSpec {
        preset: NAME.to_string(),
        knobs,
        stats,
        charts: charts.into_iter().map(String::from).collect(),
        compare: None,
        compare_on: false,
        map: None,
        curves: None,
    }
}

/// Every field of `scenario` a knob can control (numbers, choices and
/// switches), with its default presentation, in document order.
pub fn knob_fields(scenario: &Scenario) -> Vec<Knob> {
    let Ok(value) = serde_json::to_value(scenario) else {
        return Vec::new();
    };
    leaves(&value)
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .filter_map(|(p, _)| Knob::describe(scenario, &KnobRef::Path(p)).ok())
        .collect()
}

/// Every leaf (a scalar or null) of a scenario's JSON form, with its field
/// path (`servers[0].service_ms.mean`), in document order.
pub fn leaves(value: &Value) -> Vec<(String, &Value)> {
    fn walk<'a>(v: &'a Value, path: String, out: &mut Vec<(String, &'a Value)>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(child, p, out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, format!("{path}[{i}]"), out);
                }
            }
            _ => out.push((path, v)),
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// The scenario a playground or embed link runs, with the link's knob
/// values and seed applied: what the CLI's `--url` reruns. Errors say which
/// step failed (the link, the scenario, a knob value).
#[cfg(feature = "toml")]
pub fn scenario_of_link(
    link: &str,
) -> Result<(crate::link::Shared, brownout_sim::ValidScenario), String> {
    use crate::link::{decode, fragment_of, state_of};
    use crate::widget::Side;
    let shared = fragment_of(link)
        .and_then(|f| decode(&f))
        .map_err(|e| e.to_string())?;
    let base = brownout_sim::parse(&shared.toml, brownout_sim::Format::Toml)
        .map_err(|e| format!("the link's scenario: {e}"))?;
    let spec = widget_spec(base.scenario(), shared.knobs.clone());
    let widget = spec
        .resolve_on(NAME, base)
        .map_err(|e| format!("the link's knobs: {e}"))?;
    let (state, errors) = widget.state_from_query(&state_of(link));
    if let Some(e) = errors.first() {
        return Err(format!("the link's settings: {e}"));
    }
    let run = widget
        .scenario(&state, Side::A)
        .map_err(|e| e.to_string())?;
    Ok((shared, run))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::{Shared, encode};

    fn scenario(name: &str) -> Scenario {
        crate::preset(name)
            .and_then(|p| p.scenario().ok())
            .map(|s| s.scenario().clone())
            .expect("preset")
    }

    #[test]
    fn the_widget_shows_what_the_scenario_can_fill() {
        let plain = widget_spec(&scenario("round-robin-2am"), vec![]);
        assert_eq!(
            plain.charts,
            ["latency", "throughput", "queues", "utilization"]
        );
        assert!(!plain.stats.iter().any(|s| s.starts_with("breaker")));
        let breakers = widget_spec(&scenario("dynamo-2015-breakers"), vec![]);
        assert!(breakers.charts.contains(&"breakers".to_string()));
        assert!(breakers.charts.contains(&"retries".to_string()));
        assert!(breakers.stats.contains(&"breaker.opened".to_string()));
        for p in crate::presets() {
            let s = p.scenario().expect("valid");
            widget_spec(s.scenario(), vec![])
                .resolve_on(NAME, s.clone())
                .unwrap_or_else(|e| panic!("{}: {e}", p.name));
        }
    }

    #[test]
    fn every_numeric_choice_and_switch_field_is_offered_as_a_knob() {
        let fields = knob_fields(&scenario("round-robin-2am"));
        let paths: Vec<&str> = fields.iter().map(|k| k.path.as_str()).collect();
        for p in ["traffic.rate_rps", "balancer.policy", "servers[0].speed"] {
            assert!(paths.contains(&p), "{p} missing from {paths:?}");
        }
        assert!(!paths.contains(&"seed"), "{paths:?}");
        // Every field offered resolves as a knob of the playground widget.
        let s = crate::preset("retry-storm")
            .expect("preset")
            .scenario()
            .expect("valid");
        let all: Vec<KnobRef> = knob_fields(s.scenario())
            .into_iter()
            .map(|k| KnobRef::Path(k.path))
            .collect();
        assert!(all.len() > 10, "{}", all.len());
        widget_spec(s.scenario(), all)
            .resolve_on(NAME, s.clone())
            .expect("resolves");
    }

    #[test]
    fn a_knob_range_or_label_no_control_can_show_is_refused() {
        use crate::knob::KnobOverride;
        let s = crate::preset("mm1")
            .expect("preset")
            .scenario()
            .expect("valid");
        let knob = |o: KnobOverride| widget_spec(s.scenario(), vec![KnobRef::Custom(o)]);
        let base = KnobOverride {
            path: "traffic.rate_rps".into(),
            ..KnobOverride::default()
        };
        for (o, why) in [
            (
                KnobOverride {
                    min: Some(5.0),
                    max: Some(5.0),
                    ..base.clone()
                },
                "min (5) must be below max (5)",
            ),
            (
                KnobOverride {
                    step: Some(0.0),
                    ..base.clone()
                },
                "step must be above 0",
            ),
            (
                KnobOverride {
                    label: Some("x".repeat(81)),
                    ..base.clone()
                },
                "longer than 80",
            ),
        ] {
            let e = knob(o)
                .resolve_on(NAME, s.clone())
                .expect_err("refused")
                .to_string();
            assert!(e.contains(why) && e.contains("traffic.rate_rps"), "{e}");
        }
    }

    #[cfg(feature = "toml")]
    #[test]
    fn a_link_reruns_with_its_seed_and_knob_values() {
        let text = crate::preset("mm1").expect("preset").text().to_string();
        let s = encode(&Shared::new(
            text,
            vec![KnobRef::Path("traffic.rate_rps".into())],
        ))
        .expect("encodes");
        let link = format!("https://x.example/#/playground?s={s}&w0.seed=7&w0.traffic.rate_rps=5");
        let (_, run) = scenario_of_link(&link).expect("runs");
        assert_eq!(run.scenario().seed, 7);
        assert_eq!(run.scenario().traffic.rate_rps, Some(5.0));
        let embed = format!("https://x.example/#/embed/playground?s={s}&seed=7&height=500");
        assert_eq!(scenario_of_link(&embed).expect("runs").1.scenario().seed, 7);
        let bad = scenario_of_link(&format!("{link}&w0.nope=1")).expect_err("unknown key");
        assert!(bad.contains("nope"), "{bad}");
        let broken = scenario_of_link("https://x.example/#/playground?s=%%%").expect_err("bad");
        assert!(broken.contains("base64"), "{broken}");
    }
}
