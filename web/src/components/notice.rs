//! A box of messages for the reader: errors, warnings, notes. Text only.

use yew::prelude::*;

/// Properties of [`Notice`].
#[derive(Properties, PartialEq)]
pub(crate) struct NoticeProps {
    /// `error`, `warning` or `info`.
    pub(crate) kind: AttrValue,
    /// One paragraph each.
    pub(crate) messages: Vec<String>,
}

/// Shows messages, announced to screen readers; never only by colour: each
/// box starts with a word saying what it is.
#[component]
pub(crate) fn Notice(props: &NoticeProps) -> Html {
    if props.messages.is_empty() {
        return Html::default();
    }
    let title = match props.kind.as_str() {
        "error" => "Error",
        "warning" => "Note",
        _ => "Info",
    };
    html! {
        <div class={classes!("notice", format!("notice-{}", props.kind))} role={if props.kind == "error" { "alert" } else { "status" }}>
            <strong>{title}{": "}</strong>
            { for props.messages.iter().map(|m| html! { <p>{m}</p> }) }
        </div>
    }
}
