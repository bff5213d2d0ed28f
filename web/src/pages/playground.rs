//! `#/playground`: any scenario, edited as TOML beside its live widget, with
//! knobs picked from its fields; shared, embedded, imported and exported.
//!
//! ```text
//!  ?s=…            ──> the link's scenario, knobs, seed and knob values
//!  ?article=&widget= ─> that widget's scenario as set, with its knobs
//!  ?preset=NAME    ──> the preset's file            (nothing: the default preset)
//! ```
//! The URL keeps `s=` (and the widget's `w0.` state) in step, so a reload
//! or a copied address gives the same scenario.

use brownout_content::link::MAX_TEXT;
use brownout_content::playground::knob_fields;
use brownout_sim::{Format, parse};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::browser;
use crate::components::{Editor, KnobSet, Notice, WidgetView};
use crate::hooks::playground_model::{Live, Origin, widget_source};
use crate::hooks::{Ask, DEFAULT_PRESET, use_playground};
use crate::route::{Route, href};

/// Properties of [`PlaygroundPage`].
#[derive(Properties, PartialEq)]
pub(crate) struct PlaygroundProps {
    /// The URL's query.
    pub(crate) query: Vec<(String, String)>,
}

/// What the playground opens first, from its URL's query; a note when
/// part of it cannot be used.
fn first_ask(query: &[(String, String)]) -> ((Ask, Origin), Option<String>) {
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let default = (Ask::Preset(DEFAULT_PRESET.to_string()), Origin::Opened);
    match param("s") {
        Some(s) if !s.is_empty() => return ((Ask::Link(s), Origin::Link), None),
        Some(_) => {
            let note =
                "This link carries no scenario (its s= is empty): the default preset is shown.";
            return (default, Some(note.to_string()));
        }
        None => {}
    }
    if let (Some(slug), Some(index)) = (param("article"), param("widget")) {
        let state: Vec<(String, String)> = query
            .iter()
            .filter(|(k, _)| k != "article" && k != "widget")
            .cloned()
            .collect();
        let opened = index
            .parse::<usize>()
            .map_err(|_| {
                format!(
                    "widget must be a number, got \u{201c}{}\u{201d}",
                    index.chars().take(20).collect::<String>()
                )
            })
            .and_then(|i| widget_source(&slug, i, &state));
        return match opened {
            Ok((text, knobs)) => ((Ask::Check(text, knobs), Origin::Opened), None),
            Err(e) => (default, Some(e)),
        };
    }
    match param("preset") {
        Some(name) => ((Ask::Preset(name), Origin::Opened), None),
        None => (default, None),
    }
}

/// The live widget of a valid scenario (`embed`: alone in a frame).
pub(crate) fn live_widget(live: &Live, embed: bool, show: Option<Vec<String>>) -> Html {
    html! {
        <WidgetView key={live.version} slug="playground" index={0} spec={live.spec.clone()} {embed} {show}
            query={live.query.clone()} scenario={Some((live.json.clone(), live.fragment.clone()))} />
    }
}

/// The playground page.
#[component]
pub(crate) fn PlaygroundPage(p: &PlaygroundProps) -> Html {
    let first = use_memo((), {
        let query = p.query.clone();
        move |_| first_ask(&query)
    });
    let h = use_playground(first.0.clone(), false);
    {
        let (note, first_note) = (h.note.clone(), first.1.clone());
        use_effect_with((), move |_| {
            browser::set_title("Playground · Brownout");
            if let Some(n) = first_note {
                note.emit(n);
            }
        });
    }
    let m = &h.model;
    // The URL follows the scenario shown (the widget adds its own state).
    use_effect_with(m.live.clone(), |live| {
        // Not for the default preset standing in for a broken link, nor for
        // a scenario too large to share (the URL keeps what it had).
        if let Some(l) = live
            .as_ref()
            .filter(|l| !l.fallback && !l.fragment.is_empty())
        {
            let mut query = vec![("s".to_string(), l.fragment.clone())];
            query.extend(l.query.iter().map(|(k, v)| (format!("w0.{k}"), v.clone())));
            browser::replace_hash(&href(&Route::Playground, &query));
        }
    });
    let fields = use_memo(m.live.as_ref().map(|l| l.json.clone()), |json| {
        json.as_deref()
            .and_then(|j| parse(j, Format::Json).ok())
            .map(|s| knob_fields(s.scenario()))
            .unwrap_or_default()
    });
    let pick_preset = {
        let ask = h.ask.clone();
        Callback::from(move |e: Event| {
            let name = e.target_unchecked_into::<HtmlSelectElement>().value();
            if !name.is_empty() {
                ask.emit((Ask::Preset(name), Origin::Opened));
            }
        })
    };
    let open_file = {
        let (ask, note) = (h.ask.clone(), h.note.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            if file.size() > MAX_TEXT as f64 {
                note.emit(format!(
                    "\u{201c}{}\u{201d} is {:.0} KiB; the playground opens scenarios of at most {} KiB.",
                    file.name().chars().take(60).collect::<String>(),
                    file.size() / 1024.0,
                    MAX_TEXT / 1024
                ));
                return;
            }
            let (ask, note) = (ask.clone(), note.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(t) => match t.as_string() {
                        Some(text) => ask.emit((Ask::Check(text, Vec::new()), Origin::Opened)),
                        None => note.emit("The file is not text.".to_string()),
                    },
                    Err(_) => note.emit("The file could not be read.".to_string()),
                }
            });
        })
    };
    let download = {
        let text = m.text.clone();
        Callback::from(move |_: MouseEvent| {
            browser::download(
                "brownout-playground.toml",
                "application/toml",
                text.as_bytes(),
            )
        })
    };
    let error = m.error.as_ref().map(|e| (e.line, e.to_string()));
    let presets: Vec<&str> = brownout_content::presets().map(|p| p.name).collect();
    html! {
        <section class="playground">
            <h1>{"Playground"}</h1>
            <p class="lede">
                {"Write or paste any scenario, choose which of its fields become knobs, and share or embed exactly what you see. Every scenario here runs the same engine, with the same numbers, as the "}
                <code>{"brownout"}</code>{" command-line tool."}
            </p>
            <Notice kind="warning" messages={m.notes.clone()} />
            <div class="playground-tools">
                <label for="pg-preset">{"Start from a preset"}</label>
                <select id="pg-preset" onchange={pick_preset}>
                    <option value="" selected=true>{"Choose a preset\u{2026}"}</option>
                    { for presets.iter().map(|n| html! { <option value={n.to_string()}>{ n }</option> }) }
                </select>
                <label class="button-like" for="pg-file">{"Open a .toml file"}</label>
                <input id="pg-file" class="visually-hidden" type="file" accept=".toml,text/plain,application/toml" onchange={open_file} />
                <button type="button" onclick={download}>{"Download .toml"}</button>
            </div>
            <div class="playground-grid">
                <div class="playground-source">
                    <label class="editor-label" for="pg-text">{"Scenario (TOML)"}</label>
                    <Editor id="pg-text" value={m.text.clone()} {error} oninput={h.typed.clone()} readonly={m.opening()} />
                    <KnobSet id="pg-knobs" knobs={m.knobs.clone()} fields={(*fields).clone()} onchange={h.set_knobs.clone()} />
                    <p class="muted">
                        {"The scenario format is described in the project's README; "}
                        <code>{"brownout run --url '\u{2026}'"}</code>
                        {" reruns a playground link from the command line."}
                    </p>
                </div>
                <div class="playground-live">
                    if m.error.is_some() && m.live.is_some() {
                        <p class="muted stale-note">{"The text has an error; the widget shows the last valid scenario."}</p>
                    }
                    if let Some(e) = &m.share_error {
                        <Notice kind="warning" messages={vec![format!("This scenario cannot be shared by link: {e}.")]} />
                    }
                    if let Some(live) = &m.live {
                        { live_widget(live, false, None) }
                    } else {
                        <p class="widget-pending">{"Checking the scenario\u{2026}"}</p>
                    }
                </div>
            </div>
        </section>
    }
}
