//! A live widget: knobs, playback (player, numbers, flow animation), charts,
//! share. It renders what `hooks::use_widget` holds (state, runs, URL sync)
//! and what `hooks::widget_model` derives from it; the playback clock lives
//! in `playback.rs`, so an animation frame never re-renders the knobs,
//! charts or share panel.

use std::rc::Rc;

use brownout_content::widget::{Widget, WidgetSpec};
use serde_json::Value;
use yew::prelude::*;

use super::{ChartView, Knobs, Notice, Playback, SharePanel, SweepCurvesView, SweepMapView};
use crate::browser;
use crate::hooks::widget_model::{
    Action, compare_control, controls, current_cell, pick_cell, side_labels, widget_links,
};
use crate::hooks::{use_visible, use_widget};
use crate::links::Place;

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
    /// Run only once scrolled near the viewport (an article's widgets).
    #[prop_or_default]
    pub lazy: bool,
    /// A playground scenario instead of the block's preset: the scenario as
    /// JSON and its encoded link value (`s=`).
    #[prop_or_default]
    pub scenario: Option<(String, String)>,
}

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
    let resolved = use_memo((p.spec.clone(), p.scenario.clone()), |(s, scenario)| {
        let spec = WidgetSpec::from_json(s).map_err(|e| e.to_string())?;
        match scenario {
            None => spec.resolve().map_err(|e| e.to_string()),
            Some((json, _)) => brownout_sim::parse(json, brownout_sim::Format::Json)
                .map_err(|e| e.to_string())
                .and_then(|base| {
                    spec.resolve_on(brownout_content::playground::NAME, base)
                        .map_err(|e| e.to_string())
                }),
        }
        .map(Rc::new)
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

#[component]
fn LiveWidget(lp: &LiveProps) -> Html {
    let w = lp.widget.0.clone();
    let p = &lp.props;
    let place = Place {
        slug: p.slug.clone(),
        index: p.index,
        embed: p.embed,
        scenario: p.scenario.as_ref().map(|(_, s)| s.clone()),
    };
    let section = use_node_ref();
    let visible = use_visible(section.clone(), p.lazy);
    let h = use_widget(w.clone(), place.clone(), p.query.clone(), visible);
    // Where the charts mark time: set when the player stops mid-run.
    let chart_cursor = use_state(|| None::<f64>);
    let on_cursor = {
        let chart_cursor = chart_cursor.clone();
        Callback::from(move |t: Option<f64>| chart_cursor.set(t))
    };
    let act = |f: fn(Value) -> Action| h.dispatch.reform(move |(_, v): (String, Value)| f(v));
    let on_knob = h.dispatch.reform(|(path, v)| Action::SetKnob(path, v));
    let on_compare_value = act(Action::SetCompare);
    let new_seed = h.new_seed.reform(|_: MouseEvent| ());
    let reset = h.dispatch.reform(|_: MouseEvent| Action::Reset);
    let toggle_compare = h.dispatch.reform(|_: Event| Action::ToggleCompare);

    // Both stable across renders, so the map redraws only when its cells,
    // its job or its current cell change.
    let on_pick = {
        let (w, dispatch) = (w.clone(), h.dispatch.clone());
        (*use_memo((), move |_| {
            Callback::from(move |(x, y): (f64, f64)| {
                if let Some(action) = pick_cell(&w, x, y) {
                    dispatch.emit(action);
                }
            })
        }))
        .clone()
    };
    let map = {
        let w = w.clone();
        (*use_memo(h.state.clone(), move |s| {
            w.map.as_ref().map(|m| {
                let job = w.map_job(s).map(|j| j.map_err(|e| e.to_string()));
                (m.clone(), job.unwrap_or_else(|| Err("no map".to_string())))
            })
        }))
        .clone()
    };
    let curves = {
        let w = w.clone();
        (*use_memo(h.state.clone(), move |s| {
            w.curves.as_ref().map(|c| {
                let job = w.curve_job(s).map(|j| j.map_err(|e| e.to_string()));
                (
                    c.clone(),
                    job.unwrap_or_else(|| Err("no curves".to_string())),
                )
            })
        }))
        .clone()
    };

    let id = format!("w{}", p.index);
    let (shown, values) = controls(&w, &h.state, p.show.as_deref());
    let labels = side_labels(&w, &h.state);
    let links = widget_links(&w, &place, &h.state, &browser::base_url());
    let runs = h.runs.clone();
    let body = match runs.0.as_ref() {
        Err(_) if !visible => html! {
            <p class="widget-pending">{"The simulation runs when you scroll here."}</p>
        },
        Err(e) => html! { <Notice kind="error" messages={vec![e.clone()]} /> },
        Ok(r) => {
            html! {
                <>
                    <Notice kind="info" messages={r.notices.clone()} />
                    <Playback id={id.clone()} runs={runs.clone()} labels={labels.clone()}
                        step={w.base.scenario().metrics.bucket_s} stats={w.spec.stats.clone()} oncursor={on_cursor} />
                    <div class="charts">
                        { for w.charts.iter().map(|&kind| html! {
                            <ChartView {kind} runs={runs.clone()} labels={labels.clone()}
                                cursor={*chart_cursor} file_stem={links.file_stem.clone()} />
                        }) }
                    </div>
                </>
            }
        }
    };
    let current = current_cell(&w, &h.state);
    html! {
        <section ref={section} class="widget" id={format!("widget-{}", p.index)} aria-label={format!("Simulation {}: {}", p.index + 1, w.name)}>
            <Notice kind="warning" messages={(*h.notes).clone()} />
            <div class="widget-controls">
                <Knobs id={id.clone()} knobs={shown} {values} onchange={on_knob} />
                if let Some(k) = compare_control(&w) {
                    <div class="compare">
                        <div class="knob-toggle">
                            <input type="checkbox" id={format!("{id}-compare")} checked={h.state.compare.is_some()} onchange={toggle_compare} />
                            <label for={format!("{id}-compare")}>{"Compare side by side"}</label>
                        </div>
                        if let Some(b) = &h.state.compare {
                            <Knobs id={format!("{id}-b")} knobs={vec![k]} values={vec![b.clone()]} onchange={on_compare_value} />
                        }
                    </div>
                }
                <div class="widget-buttons">
                    <button type="button" onclick={new_seed}>{"New seed"}</button>
                    <button type="button" onclick={reset}>{ if p.scenario.is_some() { "Reset knobs" } else { "Reset to preset" } }</button>
                    <span class="seed">{ format!("seed {}", h.state.seed) }</span>
                </div>
            </div>
            { body }
            if let Some((map, job)) = map.filter(|_| visible) {
                <SweepMapView id={id.clone()} {map} {job} {current} onpick={on_pick} />
            }
            if let Some((curves, job)) = curves.filter(|_| visible) {
                <SweepCurvesView id={id.clone()} {curves} {job} file_stem={links.file_stem.clone()} />
            }
            if !p.embed {
                <SharePanel id={id.clone()} link={links.share} embed_src={links.embed_src}
                    knobs={w.knobs.iter().map(|k| (k.path.clone(), k.label.clone())).collect::<Vec<_>>()}
                    toml={links.toml} file_stem={links.file_stem} title={format!("Brownout: {}", w.name)}
                    cli={links.cli} playground={links.playground} />
            }
        </section>
    }
}
