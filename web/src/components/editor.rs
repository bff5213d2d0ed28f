//! A scenario editor: a plain textarea (accessible, native undo, works on
//! phones) beside line numbers, with the scenario's error under it and its
//! line marked in the gutter.

use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

/// Properties of [`Editor`].
#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// Id of the textarea, unique on the page.
    pub id: String,
    /// The text.
    pub value: String,
    /// What is wrong with the text, and on which line (from 1).
    #[prop_or_default]
    pub error: Option<(Option<usize>, String)>,
    /// Called with the whole text on every edit.
    pub oninput: Callback<String>,
    /// Takes no typing (while a scenario is being opened into it).
    #[prop_or_default]
    pub readonly: bool,
}

/// Line numbers, the text, and its error.
#[component]
pub fn Editor(p: &EditorProps) -> Html {
    let gutter = use_node_ref();
    let area = use_node_ref();
    let lines = p.value.split('\n').count();
    let bad = p.error.as_ref().and_then(|(l, _)| *l);
    let error_id = format!("{}-error", p.id);
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            let t: Element = e.target_unchecked_into();
            if let Some(g) = gutter.cast::<Element>() {
                g.set_scroll_top(t.scroll_top());
            }
        })
    };
    let oninput = p
        .oninput
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    // Selects the bad line, so the reader lands on it.
    let show_line = {
        let (area, text) = (area.clone(), p.value.clone());
        Callback::from(move |_: MouseEvent| {
            let (Some(t), Some(line)) = (area.cast::<HtmlTextAreaElement>(), bad) else {
                return;
            };
            let (start, end) = line_span(&text, line);
            let _ = t.focus();
            let _ = t.set_selection_range(start, end);
            // About one line of text per 1.3em: bring the line into view.
            let per_line = f64::from(t.scroll_height()) / lines.max(1) as f64;
            t.set_scroll_top(((line.saturating_sub(3)) as f64 * per_line) as i32);
        })
    };
    html! {
        <div class="editor">
            <div class={classes!("editor-body", p.error.is_some().then_some("invalid"))}>
                <pre class="editor-gutter" ref={gutter} aria-hidden="true">
                    { for (1..=lines).map(|n| html! {
                        <span class={classes!((Some(n) == bad).then_some("bad"))}>{ format!("{n}\n") }</span>
                    }) }
                </pre>
                <textarea ref={area} id={p.id.clone()} class="editor-text" spellcheck="false"
                    autocomplete="off" autocapitalize="off" wrap="off"
                    aria-invalid={p.error.is_some().to_string()} aria-describedby={error_id.clone()}
                    readonly={p.readonly}
                    value={p.value.clone()} {oninput} {onscroll} />
            </div>
            <p id={error_id} class={classes!("editor-status", p.error.is_some().then_some("bad"))} role="status">
                if let Some((_, message)) = &p.error {
                    <span class="editor-message">{ message }</span>
                    if bad.is_some() {
                        { " " }<button type="button" class="link-button" onclick={show_line}>{"Show the line"}</button>
                    }
                } else {
                    {"Valid: the widget runs this scenario."}
                }
            </p>
        </div>
    }
}

/// UTF-16 offsets of line `line` (from 1) of `text`, for a selection range.
fn line_span(text: &str, line: usize) -> (u32, u32) {
    let mut start = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.encode_utf16().count() as u32;
        if i + 1 == line {
            return (start, start + len);
        }
        start += len + 1;
    }
    (start, start)
}

#[cfg(test)]
mod tests {
    use super::line_span;

    #[test]
    fn a_line_is_found_in_utf16_units() {
        let text = "a = 1\n# é ✓\nb = 2";
        assert_eq!(line_span(text, 1), (0, 5));
        assert_eq!(line_span(text, 2), (6, 11));
        assert_eq!(line_span(text, 3), (12, 17));
        assert_eq!(line_span(text, 9), (18, 18));
    }
}
