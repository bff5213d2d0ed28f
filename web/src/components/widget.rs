//! A live widget: knobs, playback (player, numbers, flow animation), charts,
//! share. It owns the scenario state; the engine runs in `runs.rs`, memoised
//! on that state, and the playback clock lives in `playback.rs`, so an
//! animation frame never re-renders the knobs, charts or share panel.

use std::rc::Rc;

use brownout_content::knob::{KnobKind, fmt_num};
use brownout_content::widget::{Side, Widget, WidgetSpec, WidgetState, value_text};
use serde_json::Value;
use yew::prelude::*;

use super::{ChartView, Knobs, Notice, Playback, SharePanel};
use crate::browser;
use crate::route::{Route, href, parse_hash};
use crate::runs::{RunsRef, run};

/// Properties of [`WidgetView`].
#[derive(Properties, PartialEq, Clone)]
pub struct WidgetProps {
    /// The article's file stem.
    pub slug: String,
    /// Index of the widget in the article.
    pub index: usize,
    /// The widget block as JSON (converted from TOML at build time).
    pub spec: String,
    /// This widget's URL parameters (without the `wN.` prefix).
    pub query: Vec<(String, String)>,
    /// Shown alone in an iframe.
    #[prop_or_default]
    pub embed: bool,
    /// Knob paths to show (all when absent).
    #[prop_or_default]
    pub show: Option<Vec<String>>,
}

/// An edit of the widget state by a `(path, value)` from a control.
type StateChange = dyn Fn(&mut WidgetState, (String, Value));

/// A resolved widget compared by identity.
#[derive(Clone)]
struct WidgetRef(Rc<Widget>);

impl PartialEq for WidgetRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Resolves the block, then shows the live widget or says what is wrong.
#[component]
pub fn WidgetView(p: &WidgetProps) -> Html {
    let resolved = use_memo(p.spec.clone(), |s| {
        WidgetSpec::from_json(s)
            .and_then(|w| w.resolve())
            .map(Rc::new)
            .map_err(|e| e.to_string())
    });
    match &*resolved {
        Ok(w) => html! { <LiveWidget widget={WidgetRef(w.clone())} props={p.clone()} /> },
        Err(e) => {
            html! { <Notice kind="error" messages={vec![format!("This widget cannot be shown: {e}")]} /> }
        }
    }
}

#[derive(Properties, PartialEq)]
struct LiveProps {
    widget: WidgetRef,
    props: WidgetProps,
}

/// The label of a knob's value, for naming compare sides.
fn value_label(w: &Widget, v: &Value) -> String {
    match &w.compare {
        Some((k, _)) => match &k.kind {
            KnobKind::Select(options) => {
                let text = value_text(v);
                options
                    .iter()
                    .find(|o| o.0 == text)
                    .map_or(text, |o| o.1.clone())
            }
            KnobKind::Range { unit, .. } => {
                format!("{} {} {unit}", k.label, fmt_num(v.as_f64().unwrap_or(0.0)))
            }
            KnobKind::Toggle => format!(
                "{}: {}",
                k.label,
                if v.as_bool() == Some(true) {
                    "on"
                } else {
                    "off"
                }
            ),
        },
        None => String::new(),
    }
}

fn sync_url(w: &Widget, p: &WidgetProps, state: &WidgetState) {
    let mut location = parse_hash(&browser::hash());
    let own = w.state_to_query(state);
    if p.embed {
        location.query.retain(|(k, _)| k == "show" || k == "height");
        location.query.extend(own);
    } else {
        let prefix = format!("w{}.", p.index);
        location.query.retain(|(k, _)| !k.starts_with(&prefix));
        location
            .query
            .extend(own.into_iter().map(|(k, v)| (format!("{prefix}{k}"), v)));
    }
    browser::replace_hash(&href(&location.route, &location.query));
}

#[component]
fn LiveWidget(lp: &LiveProps) -> Html {
    let w = lp.widget.0.clone();
    let p = &lp.props;
    let init = {
        let (w, query) = (w.clone(), p.query.clone());
        use_memo((), move |_| w.state_from_query(&query))
    };
    let state = use_state(|| init.0.clone());
    let runs = {
        let w = w.clone();
        use_memo((*state).clone(), move |s| RunsRef(Rc::new(run(&w, s))))
    };
    {
        let (w, p) = (w.clone(), p.clone());
        use_effect_with((*state).clone(), move |s| sync_url(&w, &p, s));
    }
    use_effect_with((*runs).clone(), |_| {
        browser::measure("brownout-redraw", "brownout-input")
    });
    // Where the charts mark time: set when the player stops mid-run.
    let chart_cursor = use_state(|| None::<f64>);
    let on_cursor = {
        let chart_cursor = chart_cursor.clone();
        Callback::from(move |t: Option<f64>| chart_cursor.set(t))
    };
    let set_state = |f: Box<StateChange>| {
        let state = state.clone();
        Callback::from(move |change: (String, Value)| {
            let mut next = (*state).clone();
            f(&mut next, change);
            state.set(next);
        })
    };
    let on_knob = set_state(Box::new(|s, (path, v)| {
        s.values.insert(path, v);
    }));
    let on_compare_value = set_state(Box::new(|s, (_, v)| s.compare = Some(v)));
    let new_seed = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*state).clone();
            next.seed = (js_sys::Math::random() * 1e9) as u64;
            state.set(next);
        })
    };
    let reset = {
        let (state, w) = (state.clone(), w.clone());
        Callback::from(move |_: MouseEvent| state.set(w.initial_state()))
    };
    let toggle_compare = {
        let (state, w) = (state.clone(), w.clone());
        Callback::from(move |_: Event| {
            let mut next = (*state).clone();
            next.compare = match next.compare {
                Some(_) => None,
                None => w.compare.as_ref().map(|c| c.1.clone()),
            };
            state.set(next);
        })
    };

    let id = format!("w{}", p.index);
    let shown: Vec<_> = w
        .knobs
        .iter()
        .filter(|k| p.show.as_ref().is_none_or(|s| s.contains(&k.path)))
        .cloned()
        .collect();
    let values: Vec<Value> = shown.iter().map(|k| w.value(&state, &k.path)).collect();
    let a_label = w.compare.as_ref().map_or_else(String::new, |(k, _)| {
        value_label(&w, &w.value(&state, &k.path))
    });
    let b_label = state
        .compare
        .as_ref()
        .map_or_else(String::new, |v| value_label(&w, v));
    let file_stem = format!("brownout-{}", w.preset.name);
    let location = |route: Route, query: Vec<(String, String)>| {
        format!("{}{}", browser::base_url(), href(&route, &query))
    };
    let own = w.state_to_query(&state);
    let prefixed = own
        .iter()
        .map(|(k, v)| (format!("w{}.{k}", p.index), v.clone()))
        .collect();
    let link = location(
        Route::Article {
            slug: p.slug.clone(),
            section: Some(format!("widget-{}", p.index)),
        },
        prefixed,
    );
    let embed_src = location(
        Route::Embed {
            slug: p.slug.clone(),
            widget: p.index,
        },
        own,
    );
    let toml = w.scenario(&state, Side::A).map(|s| {
        format!(
            "# Exported from Brownout ({}); reproduce with: brownout run {file_stem}.toml\n{}",
            w.preset.name,
            s.scenario().to_toml()
        )
    });
    let body = match runs.0.as_ref() {
        Err(e) => html! { <Notice kind="error" messages={vec![e.clone()]} /> },
        Ok(r) => {
            html! {
                <>
                    <Notice kind="info" messages={r.notices.clone()} />
                    <Playback id={id.clone()} runs={(*runs).clone()} labels={(a_label.clone(), b_label.clone())}
                        step={w.base.scenario().metrics.bucket_s} stats={w.spec.stats.clone()} oncursor={on_cursor} />
                    <div class="charts">
                        { for w.charts.iter().map(|&kind| html! {
                            <ChartView {kind} runs={(*runs).clone()} labels={(a_label.clone(), b_label.clone())}
                                cursor={*chart_cursor} file_stem={file_stem.clone()} />
                        }) }
                    </div>
                </>
            }
        }
    };
    html! {
        <section class="widget" id={format!("widget-{}", p.index)} aria-label={format!("Simulation {}: {}", p.index + 1, w.preset.name)}>
            <Notice kind="warning" messages={init.1.iter().map(ToString::to_string).collect::<Vec<_>>()} />
            <div class="widget-controls">
                <Knobs id={id.clone()} knobs={shown} {values} onchange={on_knob} />
                if let Some((k, _)) = &w.compare {
                    <div class="compare">
                        <div class="knob-toggle">
                            <input type="checkbox" id={format!("{id}-compare")} checked={state.compare.is_some()} onchange={toggle_compare} />
                            <label for={format!("{id}-compare")}>{"Compare side by side"}</label>
                        </div>
                        if let Some(b) = &state.compare {
                            <Knobs id={format!("{id}-b")} knobs={vec![brownout_content::knob::Knob { label: format!("{} (side B)", k.label), ..k.clone() }]}
                                values={vec![b.clone()]} onchange={on_compare_value} />
                        }
                    </div>
                }
                <div class="widget-buttons">
                    <button type="button" onclick={new_seed}>{"New seed"}</button>
                    <button type="button" onclick={reset}>{"Reset to preset"}</button>
                    <span class="seed">{ format!("seed {}", state.seed) }</span>
                </div>
            </div>
            { body }
            if !p.embed {
                <SharePanel id={id.clone()} {link} {embed_src}
                    knobs={w.knobs.iter().map(|k| (k.path.clone(), k.label.clone())).collect::<Vec<_>>()}
                    toml={toml.unwrap_or_default()} {file_stem} title={format!("Brownout: {}", w.preset.name)} />
            }
        </section>
    }
}
