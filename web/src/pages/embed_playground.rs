//! `#/embed/playground?s=…`: a playground scenario alone, for iframes, with
//! the frame options of any embed (`show`, `height`). A link that cannot be
//! read says why and shows the default preset instead.

use yew::prelude::*;

use crate::components::Notice;
use crate::hooks::playground_model::Origin;
use crate::hooks::{Ask, DEFAULT_PRESET, use_playground};
use crate::pages::playground::live_widget;
use crate::params::{EmbedOptions, embed_options};
use crate::route::{Route, href};

/// Properties of [`EmbedPlaygroundPage`].
#[derive(Properties, PartialEq)]
pub(crate) struct EmbedPlaygroundProps {
    /// The URL's query: `s`, the widget's state, `show`, `height`.
    pub(crate) query: Vec<(String, String)>,
}

/// One playground widget, sized to its frame.
#[component]
pub(crate) fn EmbedPlaygroundPage(p: &EmbedPlaygroundProps) -> Html {
    let s = p
        .query
        .iter()
        .find(|(k, _)| k == "s")
        .map(|(_, v)| v.clone());
    let first = match &s {
        Some(s) => (Ask::Link(s.clone()), Origin::Link),
        None => (Ask::Preset(DEFAULT_PRESET.to_string()), Origin::Opened),
    };
    let h = use_playground(first, true);
    let m = &h.model;
    let mut notes = m.notes.clone();
    if s.is_none() {
        notes.push("This embed link carries no scenario (s=); showing the default preset.".into());
    }
    let Some(live) = &m.live else {
        return html! {
            <div class="embed-frame">
                <Notice kind="warning" messages={notes} />
                <p class="widget-pending">{"Opening the scenario\u{2026}"}</p>
            </div>
        };
    };
    let knobs: Vec<String> = live.knobs.iter().map(|k| k.path().to_string()).collect();
    let (EmbedOptions { show, height }, frame_notes) = embed_options(&p.query, &knobs);
    notes.extend(frame_notes);
    let style = height.map(|h| format!("height: {h}px; overflow: auto"));
    let back = href(
        &Route::Playground,
        &[("s".to_string(), live.fragment.clone())],
    );
    html! {
        <div class="embed-frame" {style}>
            <h1 class="visually-hidden">{"A Brownout playground scenario"}</h1>
            <Notice kind="warning" messages={notes} />
            { live_widget(live, true, show) }
            <p class="embed-credit">
                <a href={back} target="_top">{"Open this scenario in the Brownout playground \u{2197}"}</a>
            </p>
        </div>
    }
}
