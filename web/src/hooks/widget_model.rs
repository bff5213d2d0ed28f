//! A widget's state, what a reader does to it, and what a widget shows for
//! it: pure functions over `brownout_content`'s `Widget`, tested natively.
//!
//! ```text
//!  WidgetState ──apply(Action)──> WidgetState ──state_to_query──> synced_query ──> URL hash
//!                                      └──> side_labels, controls, links ──> the component
//! ```

use brownout_content::knob::{Knob, KnobKind, amount};
use brownout_content::widget::{Side, Widget, WidgetState, value_text};
use brownout_sim::scenario::number_value;
use serde_json::Value;

use crate::links::{self, Place};
use crate::params::EMBED_KEYS;

/// What a reader does to a widget.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Action {
    /// Moves the knob at a path to a value.
    SetKnob(String, Value),
    /// Moves several knobs at once (a sweep map's cell).
    SetKnobs(Vec<(String, Value)>),
    /// Sets compare mode's side-B value.
    SetCompare(Value),
    /// Turns compare mode on (with the widget's B value) or off.
    ToggleCompare,
    /// Reruns the same settings with another seed.
    NewSeed(u64),
    /// Back to the preset.
    Reset,
}

/// `state` after `action`.
pub(crate) fn apply(widget: &Widget, state: &WidgetState, action: Action) -> WidgetState {
    let mut next = state.clone();
    match action {
        Action::SetKnob(path, v) => {
            next.values.insert(path, v);
        }
        Action::SetKnobs(pairs) => next.values.extend(pairs),
        Action::SetCompare(v) => next.compare = Some(v),
        Action::ToggleCompare => {
            next.compare = match next.compare {
                Some(_) => None,
                None => widget.compare.as_ref().map(|c| c.1.clone()),
            }
        }
        Action::NewSeed(seed) => next.seed = seed,
        Action::Reset => next = widget.initial_state(),
    }
    next
}

/// A seed for "New seed" from the browser's (or the OS's) random source,
/// below a billion so it reads easily; `current + 1` if there is none.
pub(crate) fn fresh_seed(current: u64) -> u64 {
    getrandom::u64().map_or(current.wrapping_add(1), |r| r % 1_000_000_000)
}

/// The label of the compare knob's value `v`, naming a side.
fn value_label(widget: &Widget, v: &Value) -> String {
    let Some((k, _)) = &widget.compare else {
        return String::new();
    };
    match &k.kind {
        KnobKind::Select(options) => {
            let text = value_text(v);
            options
                .iter()
                .find(|o| o.0 == text)
                .map_or(text, |o| o.1.clone())
        }
        KnobKind::Range { unit, .. } => {
            format!("{} {}", k.label, amount(v.as_f64().unwrap_or(0.0), unit))
        }
        KnobKind::Toggle => {
            let on = if v.as_bool() == Some(true) {
                "on"
            } else {
                "off"
            };
            format!("{} {on}", k.label)
        }
    }
}

/// Names of side A and side B (empty without compare mode).
pub(crate) fn side_labels(widget: &Widget, state: &WidgetState) -> (String, String) {
    let a = widget.compare.as_ref().map_or_else(String::new, |(k, _)| {
        value_label(widget, &widget.value(state, &k.path))
    });
    let b = state
        .compare
        .as_ref()
        .map_or_else(String::new, |v| value_label(widget, v));
    (a, b)
}

/// The knobs shown (those in `show`, or all) with their values in `state`.
pub(crate) fn controls(
    widget: &Widget,
    state: &WidgetState,
    show: Option<&[String]>,
) -> (Vec<Knob>, Vec<Value>) {
    widget
        .knobs
        .iter()
        .filter(|k| show.is_none_or(|s| s.contains(&k.path)))
        .map(|k| (k.clone(), widget.value(state, &k.path)))
        .unzip()
}

/// Compare mode's side-B control: the compare knob, labelled as side B.
pub(crate) fn compare_control(widget: &Widget) -> Option<Knob> {
    widget.compare.as_ref().map(|(k, _)| Knob {
        label: format!("{} (side B)", k.label),
        ..k.clone()
    })
}

/// The URL query with this widget's parameters replaced by `state`'s: on
/// an article page its `wN.` keys, on an embed all but the frame options.
pub(crate) fn synced_query(
    widget: &Widget,
    place: &Place,
    mut query: Vec<(String, String)>,
    state: &WidgetState,
) -> Vec<(String, String)> {
    let own = widget.state_to_query(state);
    if place.embed {
        query.retain(|(k, _)| EMBED_KEYS.contains(&k.as_str()));
        query.extend(own);
    } else {
        let prefix = place.prefix();
        query.retain(|(k, _)| !k.starts_with(&prefix));
        query.extend(own.into_iter().map(|(k, v)| (format!("{prefix}{k}"), v)));
    }
    query
}

/// What the share panel offers for `state`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Links {
    /// The article at this widget, with its state.
    pub(crate) share: String,
    /// The embed route with its state.
    pub(crate) embed_src: String,
    /// Side A's scenario as TOML for the CLI (empty if it cannot run).
    pub(crate) toml: String,
    /// The shell command that reruns side A.
    pub(crate) cli: String,
    /// The playground opened on this widget (none in the playground).
    pub(crate) playground: Option<String>,
    /// Base of download file names.
    pub(crate) file_stem: String,
}

/// The links for `state`; `base` is the page URL before the hash.
pub(crate) fn widget_links(
    widget: &Widget,
    place: &Place,
    state: &WidgetState,
    base: &str,
) -> Links {
    let own = widget.state_to_query(state);
    let toml = widget
        .scenario(state, Side::A)
        .map(|s| links::scenario_toml(&widget.name, s.scenario()))
        .unwrap_or_default();
    let share = links::share_link(base, place, &own);
    Links {
        cli: links::cli_run(&widget.name, &own, &share, place),
        playground: place
            .scenario
            .is_none()
            .then(|| links::playground_link(place, &own)),
        share,
        embed_src: links::embed_src(base, place, &own),
        toml,
        file_stem: links::file_stem(&widget.name),
    }
}

/// The action that loads a sweep map's cell `(x, y)` into the widget: the
/// map's two knobs at the cell's values, read as a share link reads them.
pub(crate) fn pick_cell(widget: &Widget, x: f64, y: f64) -> Option<Action> {
    let map = widget.map.as_ref()?;
    let mut pairs = Vec::new();
    for (axis, v) in [(&map.x, x), (&map.y, y)] {
        let knob = widget.knobs.iter().find(|k| k.path == axis.path)?;
        let text = value_text(&number_value(v));
        pairs.push((axis.path.clone(), knob.parse_value(&text).ok()?));
    }
    Some(Action::SetKnobs(pairs))
}

/// The map cell `(i, j)` that `state` stands on, when its two knobs are at
/// values of the grid.
pub(crate) fn current_cell(widget: &Widget, state: &WidgetState) -> Option<(usize, usize)> {
    let map = widget.map.as_ref()?;
    let at = |axis: &brownout_content::map::Axis| {
        let v = widget.value(state, &axis.path).as_f64()?;
        axis.values.iter().position(|a| (a - v).abs() < 1e-9)
    };
    Some((at(&map.x)?, at(&map.y)?))
}

#[cfg(test)]
mod tests {
    use brownout_content::widget::WidgetSpec;

    use super::*;

    fn widget() -> Widget {
        WidgetSpec::from_json(
            r#"{"preset": "round-robin-2am", "knobs": ["balancer.policy", "traffic.rate_rps"],
                "compare": {"knob": "balancer.policy", "value": "least_connections"}}"#,
        )
        .and_then(|s| s.resolve())
        .expect("resolves")
    }

    fn place(embed: bool) -> Place {
        Place {
            slug: "round-robin".into(),
            index: 0,
            embed,
            scenario: None,
        }
    }

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_knob_a_seed_and_compare_mode_change_the_state_and_reset_undoes_them() {
        let w = widget();
        let s0 = w.initial_state();
        let s = apply(
            &w,
            &s0,
            Action::SetKnob("traffic.rate_rps".into(), 120.into()),
        );
        let s = apply(&w, &s, Action::NewSeed(9));
        let s = apply(&w, &s, Action::ToggleCompare);
        assert_eq!(s.values.get("traffic.rate_rps"), Some(&Value::from(120)));
        assert_eq!(s.seed, 9);
        assert_eq!(s.compare, Some(Value::from("least_connections")));
        let s = apply(&w, &s, Action::SetCompare("random".into()));
        assert_eq!(side_labels(&w, &s), ("Round robin".into(), "Random".into()));
        assert_eq!(apply(&w, &s, Action::ToggleCompare).compare, None);
        assert_eq!(apply(&w, &s, Action::Reset), s0);
    }

    #[test]
    fn an_article_url_keeps_other_widgets_parameters_and_replaces_its_own() {
        let w = widget();
        let s = apply(&w, &w.initial_state(), Action::NewSeed(5));
        let query = q(&[
            ("w1.seed", "3"),
            ("w0.seed", "4"),
            ("w0.traffic.rate_rps", "99"),
        ]);
        assert_eq!(
            synced_query(&w, &place(false), query, &s),
            q(&[("w1.seed", "3"), ("w0.seed", "5")])
        );
    }

    #[test]
    fn an_embed_url_keeps_show_and_height_before_the_state() {
        let w = widget();
        let s = apply(
            &w,
            &w.initial_state(),
            Action::SetKnob("traffic.rate_rps".into(), 135.into()),
        );
        let query = q(&[
            ("show", "traffic.rate_rps"),
            ("seed", "4"),
            ("height", "600"),
        ]);
        assert_eq!(
            synced_query(&w, &place(true), query, &s),
            q(&[
                ("show", "traffic.rate_rps"),
                ("height", "600"),
                ("traffic.rate_rps", "135")
            ])
        );
    }

    #[test]
    fn only_the_knobs_asked_for_are_shown_with_their_values() {
        let w = widget();
        let show = ["traffic.rate_rps".to_string()];
        let (knobs, values) = controls(&w, &w.initial_state(), Some(&show));
        assert_eq!(
            knobs.iter().map(|k| k.path.as_str()).collect::<Vec<_>>(),
            ["traffic.rate_rps"]
        );
        assert_eq!(values, [Value::from(140.0)]);
        assert_eq!(
            compare_control(&w).map(|k| k.label),
            Some("Balancer policy (side B)".into())
        );
    }

    #[test]
    fn the_links_carry_the_state_and_the_toml_reproduces_side_a() {
        let w = widget();
        let s = apply(&w, &w.initial_state(), Action::NewSeed(7));
        let l = widget_links(&w, &place(false), &s, "https://b.example/");
        assert_eq!(
            l.share,
            "https://b.example/#/articles/round-robin/widget-0?w0.seed=7"
        );
        assert_eq!(
            l.embed_src,
            "https://b.example/#/embed/round-robin/0?seed=7"
        );
        assert_eq!(l.file_stem, "brownout-round-robin-2am");
        assert!(l.toml.contains("seed = 7"), "{}", l.toml);
    }

    #[test]
    fn a_fresh_seed_is_below_a_billion() {
        assert!(fresh_seed(3) < 1_000_000_000);
    }

    #[test]
    fn a_map_cell_sets_both_knobs_and_is_then_the_current_cell() {
        let w = WidgetSpec::from_json(
            r#"{"preset": "retry-storm",
                "knobs": [{"path": "traffic.rate_rps", "min": 30, "max": 70, "step": 2},
                          {"path": "traffic.changes[0].rate_rps", "min": 55, "max": 400, "step": 5}],
                "map": {"x": {"knob": "traffic.rate_rps", "from": 30, "to": 68, "step": 2},
                        "y": {"knob": "traffic.changes[0].rate_rps", "from": 60, "to": 250, "step": 10}}}"#,
        )
        .and_then(|s| s.resolve())
        .expect("resolves");
        let state = w.initial_state();
        // The preset's 55 req/s is not on the grid of 30, 32, …
        assert_eq!(current_cell(&w, &state), None);
        let action = pick_cell(&w, 44.0, 120.0).expect("an action");
        let next = apply(&w, &state, action);
        assert_eq!(current_cell(&w, &next), Some((7, 6)));
        let q = w.state_to_query(&next);
        assert!(
            q.contains(&("traffic.rate_rps".to_string(), "44".to_string())),
            "{q:?}"
        );
        assert!(
            pick_cell(&widget(), 1.0, 2.0).is_none(),
            "no map, no action"
        );
    }
}
