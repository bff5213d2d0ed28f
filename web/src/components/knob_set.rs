//! The playground's knob picker: which fields of the scenario become knobs,
//! with their label and, for numbers, their range.

use brownout_content::knob::{Knob, KnobKind, KnobOverride, KnobRef, fmt_num, parse_f64};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Properties of [`KnobSet`].
#[derive(Properties, PartialEq)]
pub struct KnobSetProps {
    /// Id prefix, unique on the page.
    pub id: String,
    /// The knobs chosen, in order.
    pub knobs: Vec<KnobRef>,
    /// Every field that can be a knob, with its default presentation.
    pub fields: Vec<Knob>,
    /// Called with the new knob set.
    pub onchange: Callback<Vec<KnobRef>>,
}

/// The overrides of `r`, as a table (a bare path has none).
fn overrides(r: &KnobRef) -> KnobOverride {
    match r {
        KnobRef::Path(p) => KnobOverride {
            path: p.clone(),
            ..KnobOverride::default()
        },
        KnobRef::Custom(o) => o.clone(),
    }
}

/// `o` as the simplest knob reference that says it.
fn simplest(o: KnobOverride) -> KnobRef {
    let bare = KnobOverride {
        path: o.path.clone(),
        ..KnobOverride::default()
    };
    if o == bare {
        KnobRef::Path(o.path)
    } else {
        KnobRef::Custom(o)
    }
}

/// One field of a knob's override being edited.
#[derive(Clone, Copy)]
enum Part {
    Label,
    Min,
    Max,
    Step,
}

/// The chosen knobs, each editable and removable, and a list to add more.
#[component]
pub fn KnobSet(p: &KnobSetProps) -> Html {
    let chosen: Vec<&str> = p.knobs.iter().map(KnobRef::path).collect();
    let free: Vec<&Knob> = p
        .fields
        .iter()
        .filter(|k| !chosen.contains(&k.path.as_str()))
        .collect();
    let pick = use_state(String::new);
    let add = {
        let (knobs, onchange, pick) = (p.knobs.clone(), p.onchange.clone(), pick.clone());
        let first = free.first().map(|k| k.path.clone()).unwrap_or_default();
        Callback::from(move |_: MouseEvent| {
            let path = if pick.is_empty() || knobs.iter().any(|k| k.path() == *pick) {
                first.clone()
            } else {
                (*pick).clone()
            };
            if !path.is_empty() {
                let mut next = knobs.clone();
                next.push(KnobRef::Path(path));
                onchange.emit(next);
                pick.set(String::new());
            }
        })
    };
    let on_pick = {
        let pick = pick.clone();
        Callback::from(move |e: Event| {
            pick.set(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let edit = |i: usize, part: Part| {
        let (knobs, onchange) = (p.knobs.clone(), p.onchange.clone());
        Callback::from(move |e: Event| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            let text = text.trim();
            let mut o = overrides(&knobs[i]);
            let number = parse_f64(text).filter(|v| v.is_finite());
            match part {
                Part::Label => {
                    o.label = (!text.is_empty()).then(|| text.chars().take(80).collect())
                }
                Part::Min => o.min = number,
                Part::Max => o.max = number,
                Part::Step => o.step = number.filter(|v| *v > 0.0),
            }
            let mut next = knobs.clone();
            next[i] = simplest(o);
            onchange.emit(next);
        })
    };
    let remove = |i: usize| {
        let (knobs, onchange) = (p.knobs.clone(), p.onchange.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = knobs.clone();
            next.remove(i);
            onchange.emit(next);
        })
    };
    html! {
        <fieldset class="knob-set">
            <legend>{"Knobs"}</legend>
            if p.knobs.is_empty() {
                <p class="muted">{"No knobs yet: pick fields of the scenario to turn into sliders and menus."}</p>
            }
            <ol class="knob-set-list">
                { for p.knobs.iter().enumerate().map(|(i, r)| {
                    let o = overrides(r);
                    let field = p.fields.iter().find(|k| k.path == o.path);
                    let id = format!("{}-{i}", p.id);
                    let label = field.map_or_else(String::new, |k| k.label.clone());
                    let range = field.and_then(|k| match &k.kind {
                        KnobKind::Range { min, max, step, .. } => Some((*min, *max, *step)),
                        _ => None,
                    });
                    let num = |v: Option<f64>| v.map(fmt_num).unwrap_or_default();
                    html! {
                        <li class="knob-set-item">
                            <code>{ &o.path }</code>
                            if field.is_none() {
                                <span class="bad">{" not a field of this scenario"}</span>
                            }
                            // Each label stays on the line of its input.
                            <span class="knob-set-pair knob-set-name">
                                <label for={format!("{id}-label")}>{"Label"}</label>
                                <input id={format!("{id}-label")} type="text" placeholder={label} maxlength="80"
                                    value={o.label.clone().unwrap_or_default()} onchange={edit(i, Part::Label)} />
                            </span>
                            if let Some((min, max, step)) = range {
                                <span class="knob-set-pair">
                                    <label for={format!("{id}-min")}>{"Min"}</label>
                                    <input id={format!("{id}-min")} type="number" step="any" placeholder={fmt_num(min)}
                                        value={num(o.min)} onchange={edit(i, Part::Min)} />
                                </span>
                                <span class="knob-set-pair">
                                    <label for={format!("{id}-max")}>{"Max"}</label>
                                    <input id={format!("{id}-max")} type="number" step="any" placeholder={fmt_num(max)}
                                        value={num(o.max)} onchange={edit(i, Part::Max)} />
                                </span>
                                <span class="knob-set-pair">
                                    <label for={format!("{id}-step")}>{"Step"}</label>
                                    <input id={format!("{id}-step")} type="number" step="any" min="0" placeholder={fmt_num(step)}
                                        value={num(o.step)} onchange={edit(i, Part::Step)} />
                                </span>
                            }
                            <button type="button" onclick={remove(i)} aria-label={format!("Remove the knob {}", o.path)}>{"Remove"}</button>
                        </li>
                    }
                }) }
            </ol>
            if !free.is_empty() {
                <div class="knob-set-add">
                    <label for={format!("{}-add", p.id)}>{"Add a knob for"}</label>
                    <select id={format!("{}-add", p.id)} onchange={on_pick}>
                        { for free.iter().map(|k| html! {
                            <option value={k.path.clone()} selected={*pick == k.path}>{ format!("{} ({})", k.label, k.path) }</option>
                        }) }
                    </select>
                    <button type="button" onclick={add}>{"Add knob"}</button>
                </div>
            }
        </fieldset>
    }
}
