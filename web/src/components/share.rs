//! Share (a link that reproduces the state), embed (an `<iframe>` snippet
//! with options) and export (the scenario TOML for the CLI).

use std::collections::BTreeSet;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::browser;
use crate::links::iframe_snippet;
use crate::params::HEIGHTS;

/// Properties of [`SharePanel`].
#[derive(Properties, PartialEq)]
pub(crate) struct ShareProps {
    /// Id prefix, unique on the page.
    pub(crate) id: String,
    /// Full URL of the article with this widget's state.
    pub(crate) link: String,
    /// Full URL of the embed route with this widget's state.
    pub(crate) embed_src: String,
    /// `(path, label)` of the widget's knobs.
    pub(crate) knobs: Vec<(String, String)>,
    /// The scenario being run, as TOML.
    pub(crate) toml: String,
    /// Base of download file names.
    pub(crate) file_stem: String,
    /// Title for the iframe.
    pub(crate) title: String,
    /// The shell command that reruns it.
    pub(crate) cli: String,
    /// The playground opened on this widget (none in the playground).
    pub(crate) playground: Option<String>,
}

/// Share, embed and export buttons.
#[component]
pub(crate) fn SharePanel(p: &ShareProps) -> Html {
    let status = use_state(String::new);
    let open = use_state(|| false);
    let shown = use_state(|| p.knobs.iter().map(|k| k.0.clone()).collect::<BTreeSet<_>>());
    let height = use_state(|| 720u32);
    let copy = |text: String, what: &'static str| {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let status = status.clone();
            browser::copy(&text, move |ok| {
                status.set(if ok {
                    format!("{what} copied.")
                } else {
                    format!("Could not copy; select the {what} below and copy it.")
                })
            });
        })
    };
    let ordered: Vec<String> = p
        .knobs
        .iter()
        .filter(|k| shown.contains(&k.0))
        .map(|k| k.0.clone())
        .collect();
    let snippet = iframe_snippet(&p.embed_src, &ordered, p.knobs.len(), *height, &p.title);
    let export = {
        let (toml, stem) = (p.toml.clone(), p.file_stem.clone());
        Callback::from(move |_: MouseEvent| {
            browser::download(&format!("{stem}.toml"), "application/toml", toml.as_bytes())
        })
    };
    let toggle_open = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let set_height = {
        let height = height.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(h) = input.value().parse::<u32>() {
                height.set(h.clamp(*HEIGHTS.start(), *HEIGHTS.end()));
            }
        })
    };
    html! {
        <div class="share">
            <div class="share-buttons">
                <button type="button" onclick={copy(p.link.clone(), "Link")}>{"Copy link"}</button>
                <button type="button" onclick={toggle_open} aria-expanded={open.to_string()}>{"Embed"}</button>
                <button type="button" onclick={export}>{"Export scenario"}</button>
                <button type="button" onclick={copy(p.cli.clone(), "CLI command")}>{"Copy CLI command"}</button>
                if let Some(href) = p.playground.clone() {
                    <a class="button-link" {href}>{"Open in playground"}</a>
                }
                <span class="share-status" role="status">{ (*status).clone() }</span>
            </div>
            <input class="share-link" type="text" readonly=true value={p.link.clone()} aria-label="Link to this widget's state" />
            if *open {
                <fieldset class="embed-options">
                    <legend>{"Embed this widget"}</legend>
                    <p>{"Knobs to show:"}</p>
                    { for p.knobs.iter().enumerate().map(|(i, (path, label))| {
                        let id = format!("{}-show{i}", p.id);
                        let checked = shown.contains(path);
                        let (shown, path) = (shown.clone(), path.clone());
                        let onchange = Callback::from(move |_: Event| {
                            let mut next = (*shown).clone();
                            if !next.remove(&path) { next.insert(path.clone()); }
                            shown.set(next);
                        });
                        html! { <div class="knob-toggle"><input type="checkbox" id={id.clone()} {checked} {onchange} /><label for={id}>{label}</label></div> }
                    }) }
                    <label for={format!("{}-height", p.id)}>{"Height in pixels "}</label>
                    <input type="number" id={format!("{}-height", p.id)} min="200" max="4000" step="10" value={height.to_string()} oninput={set_height} />
                    <textarea class="embed-snippet" readonly=true rows="4" aria-label="Embed code" value={snippet.clone()} />
                    <button type="button" onclick={copy(snippet, "Embed code")}>{"Copy embed code"}</button>
                </fieldset>
            }
        </div>
    }
}
