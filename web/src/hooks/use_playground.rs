//! The hook behind the playground and its embeds: the page's [`Model`]
//! (`playground_model`), the tools worker that checks and encodes, and the
//! pause after typing before a check (so a check runs once per burst of
//! keystrokes, not per key).

// The worker runs only in the browser; natively the model is tested alone.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code, unused_variables))]

use std::rc::Rc;

use brownout_content::knob::KnobRef;
use yew::prelude::*;

use super::playground_model::{Action, Model, Origin, apply};
use crate::tools::ToTools;

/// How long typing must pause before the text is checked.
pub(crate) const SETTLE_MS: u32 = 200;

/// The preset the playground opens when asked for nothing (or for
/// something it cannot open).
pub(crate) const DEFAULT_PRESET: &str = "round-robin-2am";

/// What to open or check.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ask {
    /// A preset's file.
    Preset(String),
    /// A link's `s=` value.
    Link(String),
    /// A text and knob set.
    Check(String, Vec<KnobRef>),
}

impl Ask {
    fn request(self, id: u32) -> ToTools {
        match self {
            Ask::Preset(name) => ToTools::Preset { id, name },
            Ask::Link(fragment) => ToTools::Link { id, fragment },
            Ask::Check(toml, knobs) => ToTools::Check { id, toml, knobs },
        }
    }
}

#[derive(Default)]
struct State(Model);

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(State(apply(&self.0, action)))
    }
}

/// What [`use_playground`] gives the page.
pub(crate) struct PlaygroundHandle {
    /// The page's state.
    pub(crate) model: Model,
    /// Opens or checks something now.
    pub(crate) ask: Callback<(Ask, Origin)>,
    /// The editor's text changed: shown at once, checked after a pause.
    pub(crate) typed: Callback<String>,
    /// The knob set changed: checked at once.
    pub(crate) set_knobs: Callback<Vec<KnobRef>>,
    /// Adds a message for the reader.
    pub(crate) note: Callback<String>,
}

/// The playground's state, started by asking `first`; `embed`: on the
/// embed route, whose widget state is unprefixed in the URL.
#[hook]
pub(crate) fn use_playground(first: (Ask, Origin), embed: bool) -> PlaygroundHandle {
    let state = use_reducer(State::default);
    let dispatch = state.dispatcher();
    #[cfg(target_arch = "wasm32")]
    let tools = use_mut_ref(|| None::<crate::tools::Tools>);
    let next_id = use_mut_ref(|| 0u32);
    // The text and knobs of the latest render, for the delayed check.
    let latest = use_mut_ref(|| (String::new(), Vec::<KnobRef>::new()));
    *latest.borrow_mut() = (state.0.text.clone(), state.0.knobs.clone());
    let timer = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);

    let ask = {
        let (dispatch, timer) = (dispatch.clone(), timer.clone());
        #[cfg(target_arch = "wasm32")]
        let tools = tools.clone();
        (*use_memo((), move |_| {
            Callback::from(move |(ask, origin): (Ask, Origin)| {
                let id = {
                    let mut n = next_id.borrow_mut();
                    *n += 1;
                    *n
                };
                dispatch.dispatch(Action::Sent(id, origin));
                // Anything else asked for replaces a check still waiting for
                // the typing to pause, which would bring the old text back.
                if origin != Origin::Typed {
                    timer.borrow_mut().take();
                }
                // A typed edit's rerun is timed from its check (the web
                // benchmark's `brownout-redraw`), after the typing pause.
                if origin == Origin::Typed {
                    crate::browser::mark("brownout-input");
                }
                #[cfg(target_arch = "wasm32")]
                if let Some(t) = tools.borrow().as_ref() {
                    t.send(&ask.clone().request(id));
                }
                let _ = ask;
            })
        }))
        .clone()
    };

    {
        let (dispatch, ask) = (dispatch.clone(), ask.clone());
        #[cfg(target_arch = "wasm32")]
        let tools = tools.clone();
        use_effect_with((), move |_| {
            #[cfg(target_arch = "wasm32")]
            {
                use crate::tools::{FromTools, Tools};
                let fallback = ask.clone();
                // The first answer: a link that cannot be opened, or whose
                // scenario is invalid, falls back on the default preset.
                let first_answer = std::cell::Cell::new(true);
                let on_answer = Rc::new(move |a: FromTools| {
                    let fall_back = match &a {
                        FromTools::Refused { id, .. } => *id != 0,
                        FromTools::Checked { scenario, .. } => {
                            first_answer.get() && scenario.is_err()
                        }
                        FromTools::Ready => false,
                    };
                    first_answer.set(false);
                    let mut query = crate::route::parse_hash(&crate::browser::hash()).query;
                    if embed {
                        query = super::playground_model::embed_state(query);
                    }
                    let refused = matches!(a, FromTools::Refused { .. });
                    dispatch.dispatch(Action::Answer(a, query));
                    if fall_back {
                        let origin = if refused {
                            Origin::Opened
                        } else {
                            Origin::Fallback
                        };
                        fallback.emit((Ask::Preset(DEFAULT_PRESET.to_string()), origin));
                    }
                });
                *tools.borrow_mut() = Some(Tools::start(on_answer));
            }
            ask.emit(first);
            #[cfg(target_arch = "wasm32")]
            let stop = move || drop(tools.borrow_mut().take());
            #[cfg(not(target_arch = "wasm32"))]
            let stop = || ();
            stop
        });
    }

    // Both stable across renders, so the editor's and the knob picker's
    // props compare equal and an answer from the worker does not re-render
    // (and reset) a field being typed in.
    let typed = {
        let (dispatch, ask, latest, timer) = (dispatch.clone(), ask.clone(), latest.clone(), timer);
        (*use_memo((), move |_| {
            Callback::from(move |text: String| {
                crate::browser::mark("brownout-input");
                dispatch.dispatch(Action::Typed(text.clone()));
                let (ask, latest) = (ask.clone(), latest.clone());
                let t = gloo::timers::callback::Timeout::new(SETTLE_MS, move || {
                    let knobs = latest.borrow().1.clone();
                    ask.emit((Ask::Check(text, knobs), Origin::Typed));
                });
                // Replacing the timer cancels the one before.
                *timer.borrow_mut() = Some(t);
            })
        }))
        .clone()
    };
    let set_knobs = {
        let (dispatch, ask, latest) = (dispatch.clone(), ask.clone(), latest);
        (*use_memo((), move |_| {
            Callback::from(move |knobs: Vec<KnobRef>| {
                dispatch.dispatch(Action::SetKnobs(knobs.clone()));
                let text = latest.borrow().0.clone();
                ask.emit((Ask::Check(text, knobs), Origin::Knobs));
            })
        }))
        .clone()
    };
    let note = Callback::from(move |n: String| dispatch.dispatch(Action::Note(n)));
    PlaygroundHandle {
        model: state.0.clone(),
        ask,
        typed,
        set_knobs,
        note,
    }
}
