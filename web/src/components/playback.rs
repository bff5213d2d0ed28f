//! The simulated clock of a widget: the transport controls, and per side the
//! key numbers and the flow diagram at the player's time. It owns the clock,
//! so an animation frame re-renders this and nothing else of the widget;
//! the charts hear of the time only when the player stops mid-run.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::chart::use_redraw_signal;
use super::player::{Player, SPEEDS};
use super::{Flow, Stats};
use crate::browser;
use crate::runs::RunsRef;

/// Properties of [`Playback`].
#[derive(Properties, PartialEq)]
pub(crate) struct PlaybackProps {
    /// Id prefix, unique on the page.
    pub(crate) id: String,
    /// The runs shown.
    pub(crate) runs: RunsRef,
    /// Names of side A and side B.
    pub(crate) labels: (String, String),
    /// Bucket width in seconds: one step.
    pub(crate) step: f64,
    /// Metric paths of the stat rows.
    pub(crate) stats: Vec<String>,
    /// The time to mark on the charts: `Some` when paused mid-run, `None`
    /// while playing or at the end.
    pub(crate) oncursor: Callback<Option<f64>>,
}

/// The player's clock: last frame time, position, and the pending frame
/// (dropping it cancels the loop).
struct Clock {
    last: f64,
    pos: f64,
    frame: Option<gloo::render::AnimationFrame>,
}

/// Player, numbers and flow diagrams.
#[component]
pub(crate) fn Playback(p: &PlaybackProps) -> Html {
    let Ok(runs) = p.runs.0.as_ref() else {
        return Html::default();
    };
    // The series may end before duration_s (contending clients all done).
    let series_end = std::iter::once(&runs.a)
        .chain(runs.b.as_ref())
        .map(|r| r.series.t_s.last().map_or(0.0, |t| t + r.series.bucket_s))
        .fold(0.0, f64::max);
    let duration = match runs.a.summary.duration_s {
        d if series_end > 0.0 => d.min(series_end),
        d => d,
    };
    // Servers or a pool to draw.
    let has_flow = !runs.a.summary.servers.is_empty() || runs.a.summary.pool.is_some();
    let (cursor, playing, speed) = (
        use_state(|| duration),
        use_state(|| false),
        use_state(|| SPEEDS[1]),
    );
    // Rendered again when the window is resized: the flow's layout follows.
    use_redraw_signal();
    let clock = use_mut_ref(|| Clock {
        last: 0.0,
        pos: duration,
        frame: None,
    });
    {
        let (clock, cursor, playing_h) = (clock.clone(), cursor.clone(), playing.clone());
        use_effect_with(
            (*playing, *speed, duration),
            move |&(on, speed, duration)| {
                if on {
                    clock.borrow_mut().last = 0.0;
                    tick(clock.clone(), cursor, playing_h, speed, duration);
                }
                move || clock.borrow_mut().frame = None
            },
        );
    }
    let seek = {
        let (clock, cursor, playing, oncursor) = (
            clock.clone(),
            cursor.clone(),
            playing.clone(),
            p.oncursor.clone(),
        );
        Callback::from(move |t: f64| {
            clock.borrow_mut().pos = t;
            cursor.set(t);
            playing.set(false);
            oncursor.emit((t < duration).then_some(t));
        })
    };
    let toggle = {
        let (clock, cursor, playing, oncursor) = (
            clock.clone(),
            cursor.clone(),
            playing.clone(),
            p.oncursor.clone(),
        );
        Callback::from(move |()| {
            let pos = clock.borrow().pos;
            if *playing {
                oncursor.emit((pos < duration).then_some(pos));
            } else {
                if pos >= duration {
                    clock.borrow_mut().pos = 0.0;
                    cursor.set(0.0);
                }
                oncursor.emit(None);
            }
            playing.set(!*playing);
        })
    };
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |s: f64| speed.set(s))
    };
    let now = cursor.min(duration);
    let reduced = browser::prefers_reduced_motion() || !*playing;
    let sides = if runs.b.is_some() { 2 } else { 1 };
    // Side by side, or on a phone, the flow's column is too narrow for the
    // wide layout.
    let compact = sides == 2 || browser::narrow_window();
    let label = |i: usize| {
        let l = if i == 0 { &p.labels.0 } else { &p.labels.1 };
        if l.is_empty() {
            "This run".to_string()
        } else {
            l.clone()
        }
    };
    html! {
        <>
            <Player id={p.id.clone()} cursor={now} {duration} step={p.step} playing={*playing}
                speed={*speed} ontoggle={toggle} onseek={seek} onspeed={on_speed} />
            <div class={classes!("sides", (sides == 2).then_some("compare"))}>
                { for (0..sides).map(|side| html! {
                    <div class="side">
                        <Stats label={label(side)} runs={p.runs.clone()} {side} stats={p.stats.clone()} />
                        if has_flow {
                            <div class="flow-wrap">
                                <Flow runs={p.runs.clone()} {side} cursor={now} reduced_motion={reduced} {compact} />
                            </div>
                        }
                    </div>
                }) }
            </div>
        </>
    }
}

fn tick(
    clock: Rc<RefCell<Clock>>,
    cursor: UseStateHandle<f64>,
    playing: UseStateHandle<bool>,
    speed: f64,
    duration: f64,
) {
    let next = clock.clone();
    let frame = gloo::render::request_animation_frame(move |ts| {
        let t = {
            let mut c = next.borrow_mut();
            let dt = if c.last > 0.0 {
                (ts - c.last) / 1000.0
            } else {
                0.0
            };
            c.last = ts;
            c.pos = (c.pos + dt * speed).min(duration);
            c.pos
        };
        cursor.set(t);
        if t >= duration {
            playing.set(false);
        } else {
            tick(next, cursor, playing, speed, duration);
        }
    });
    clock.borrow_mut().frame = Some(frame);
}
