//! Play / pause / step / speed and a time scrubber over the simulated run.

use brownout_content::knob::parse_f64;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Simulated seconds per real second that the speed menu offers.
pub(crate) const SPEEDS: [f64; 4] = [10.0, 30.0, 60.0, 120.0];

/// Properties of [`Player`].
#[derive(Properties, PartialEq)]
pub(crate) struct PlayerProps {
    /// Id prefix, unique on the page.
    pub(crate) id: String,
    /// Simulated seconds shown now.
    pub(crate) cursor: f64,
    /// Length of the run in seconds.
    pub(crate) duration: f64,
    /// Bucket width: one step.
    pub(crate) step: f64,
    /// Whether time is moving.
    pub(crate) playing: bool,
    /// Simulated seconds per real second.
    pub(crate) speed: f64,
    /// Play or pause.
    pub(crate) ontoggle: Callback<()>,
    /// Jump to a time.
    pub(crate) onseek: Callback<f64>,
    /// Change the speed.
    pub(crate) onspeed: Callback<f64>,
}

/// The transport controls.
#[component]
pub(crate) fn Player(p: &PlayerProps) -> Html {
    let toggle = p.ontoggle.reform(|_: MouseEvent| ());
    let (cursor, step, duration) = (p.cursor, p.step, p.duration);
    let step_back = p
        .onseek
        .reform(move |_: MouseEvent| (cursor - step).max(0.0));
    let step_fwd = p
        .onseek
        .reform(move |_: MouseEvent| (cursor + step).min(duration));
    let seek = p.onseek.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        parse_f64(&input.value()).unwrap_or(0.0)
    });
    let speed = p.onspeed.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        parse_f64(&input.value()).unwrap_or(SPEEDS[1])
    });
    let id = format!("{}-time", p.id);
    html! {
        <div class="player">
            <button type="button" onclick={toggle} aria-pressed={p.playing.to_string()}>
                { if p.playing { "\u{23f8} Pause" } else { "\u{25b6} Play" } }
            </button>
            <button type="button" onclick={step_back} aria-label={format!("Step back {step} s")}>{format!("\u{2212}{step} s")}</button>
            <button type="button" onclick={step_fwd} aria-label={format!("Step forward {step} s")}>{format!("+{step} s")}</button>
            <label for={id.clone()} class="visually-hidden">{"Simulated time"}</label>
            <input type="range" id={id.clone()} class="scrubber" min="0" max={duration.to_string()}
                step={step.to_string()} value={cursor.to_string()} oninput={seek}
                aria-valuetext={format!("{cursor:.0} of {duration:.0} seconds")} />
            <output for={id}>{ format!("{cursor:.0} s / {duration:.0} s") }</output>
            <label class="speed">{"Speed "}
                <select onchange={speed}>
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={*s == p.speed}>{ format!("{s:.0}\u{d7}") }</option>
                    }) }
                </select>
            </label>
        </div>
    }
}
