//! The controls of a widget: labelled native ranges, selects and checkboxes.

use brownout_content::knob::{Knob, KnobKind, amount, number, parse_f64};
use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Properties of [`Knobs`].
#[derive(Properties, PartialEq)]
pub(crate) struct KnobsProps {
    /// Id prefix, unique on the page.
    pub(crate) id: String,
    /// The knobs to show.
    pub(crate) knobs: Vec<Knob>,
    /// The current value of each knob, in the same order.
    pub(crate) values: Vec<Value>,
    /// Called with `(path, value)` when a control moves.
    pub(crate) onchange: Callback<(String, Value)>,
}

/// One labelled control per knob.
#[component]
pub(crate) fn Knobs(props: &KnobsProps) -> Html {
    html! {
        <div class="knobs">
            { for props.knobs.iter().zip(&props.values).enumerate().map(|(i, (k, v))| {
                control(&format!("{}-k{i}", props.id), k, v, &props.onchange)
            }) }
        </div>
    }
}

fn control(id: &str, knob: &Knob, value: &Value, onchange: &Callback<(String, Value)>) -> Html {
    let path = knob.path.clone();
    match &knob.kind {
        KnobKind::Range {
            min,
            max,
            step,
            unit,
        } => {
            let v = value.as_f64().unwrap_or(*min);
            let cb = onchange.clone();
            let oninput = Callback::from(move |e: InputEvent| {
                crate::browser::mark("brownout-input");
                let input: HtmlInputElement = e.target_unchecked_into();
                if let Some(x) = parse_f64(&input.value()) {
                    cb.emit((path.clone(), number(x)));
                }
            });
            let shown = amount(v, unit);
            html! {
                <div class="knob knob-range">
                    <label for={id.to_string()}>{ &knob.label }</label>
                    <input type="range" id={id.to_string()} min={min.to_string()} max={max.to_string()}
                        step={step.to_string()} value={v.to_string()} {oninput}
                        aria-valuetext={shown.clone()} data-path={knob.path.clone()} />
                    <output for={id.to_string()} aria-hidden="true">{ shown }</output>
                </div>
            }
        }
        KnobKind::Select(options) => {
            let current = value.as_str().unwrap_or_default().to_string();
            let cb = onchange.clone();
            let onchange = Callback::from(move |e: Event| {
                crate::browser::mark("brownout-input");
                let select: HtmlSelectElement = e.target_unchecked_into();
                cb.emit((path.clone(), Value::String(select.value())));
            });
            html! {
                <div class="knob knob-select">
                    <label for={id.to_string()}>{ &knob.label }</label>
                    <select id={id.to_string()} {onchange} data-path={knob.path.clone()}>
                        { for options.iter().map(|(v, label)| html! {
                            <option value={v.clone()} selected={*v == current}>{ label }</option>
                        }) }
                    </select>
                </div>
            }
        }
        KnobKind::Toggle => {
            let checked = value.as_bool().unwrap_or(false);
            let cb = onchange.clone();
            let onchange = Callback::from(move |e: Event| {
                crate::browser::mark("brownout-input");
                let input: HtmlInputElement = e.target_unchecked_into();
                cb.emit((path.clone(), Value::Bool(input.checked())));
            });
            html! {
                <div class="knob knob-toggle">
                    <input type="checkbox" id={id.to_string()} {checked} {onchange} data-path={knob.path.clone()} />
                    <label for={id.to_string()}>{ &knob.label }</label>
                </div>
            }
        }
    }
}
