//! The hook behind a live widget: its state (from the link, then the
//! reader's actions), its runs (memoised on the state, through a
//! [`Runner`]) and the URL kept in step. The component only renders what
//! this returns.

use std::cell::RefCell;
use std::rc::Rc;

use brownout_content::widget::{Widget, WidgetState};
use yew::prelude::*;

use super::widget_model::{Action, apply, fresh_seed, synced_query};
use crate::browser;
use crate::links::Place;
use crate::params::state_pairs;
use crate::route::{href, parse_hash};
use crate::runs::{InlineRunner, Job, Runner, Runs, RunsRef};

/// What [`use_widget`] gives the component.
pub(crate) struct WidgetHandle {
    /// The current state.
    pub(crate) state: WidgetState,
    /// Why link parameters were ignored, for a note.
    pub(crate) notes: Rc<Vec<String>>,
    /// The runs of the current state.
    pub(crate) runs: RunsRef,
    /// Applies an action to the state.
    pub(crate) dispatch: Callback<Action>,
    /// Draws a new seed and applies it.
    pub(crate) new_seed: Callback<()>,
}

/// Runs `job` on `runner`; with [`InlineRunner`] the results are there when
/// this returns (a worker runner will need the hook to hold them in state).
fn start(runner: &impl Runner, job: Result<Job, String>) -> Result<Runs, String> {
    let job = job?;
    let slot = Rc::new(RefCell::new(None));
    let sink = slot.clone();
    runner.start(job, Box::new(move |r| *sink.borrow_mut() = Some(r)));
    let runs = slot.borrow_mut().take();
    runs.ok_or_else(|| "the simulation did not finish".to_string())
}

/// A widget's state with the widget, so actions apply in a reducer.
struct Model {
    widget: Rc<Widget>,
    state: WidgetState,
}

impl Reducible for Model {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Model {
            widget: self.widget.clone(),
            state: apply(&self.widget, &self.state, action),
        })
    }
}

/// What a widget's runs are before it has come near the viewport.
pub(crate) const NOT_RUN: &str = "not run yet";

/// State, runs and URL sync of `widget` standing at `place`, started from
/// its link parameters `query` (unprefixed; embed options are skipped).
/// Nothing runs until `visible` (the runs are [`NOT_RUN`]).
#[hook]
pub(crate) fn use_widget(
    widget: Rc<Widget>,
    place: Place,
    query: Vec<(String, String)>,
    visible: bool,
) -> WidgetHandle {
    let init = {
        let w = widget.clone();
        use_memo((), move |_| {
            let (state, errors) = w.state_from_query(&state_pairs(&query));
            (
                state,
                errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            )
        })
    };
    let model = {
        let (w, first) = (widget.clone(), init.0.clone());
        use_reducer(move || Model {
            widget: w,
            state: first,
        })
    };
    let state = &model.state;
    let runs = {
        let w = widget.clone();
        use_memo((state.clone(), visible), move |(s, visible)| {
            RunsRef(Rc::new(if *visible {
                start(&InlineRunner, Job::new(&w, s))
            } else {
                Err(NOT_RUN.to_string())
            }))
        })
    };
    {
        let w = widget.clone();
        use_effect_with(state.clone(), move |s| {
            let location = parse_hash(&browser::hash());
            let query = synced_query(&w, &place, location.query, s);
            browser::replace_hash(&href(&location.route, &query));
        });
    }
    use_effect_with((*runs).clone(), |_| {
        browser::measure("brownout-redraw", "brownout-input")
    });
    // Stable across renders (the reducer applies each action to the state
    // of its time), so props holding it compare equal.
    let dispatch = {
        let d = model.dispatcher();
        (*use_memo((), move |_| Callback::from(move |a: Action| d.dispatch(a)))).clone()
    };
    let new_seed = {
        let (dispatch, seed) = (dispatch.clone(), state.seed);
        Callback::from(move |()| dispatch.emit(Action::NewSeed(fresh_seed(seed))))
    };
    WidgetHandle {
        state: state.clone(),
        notes: Rc::new(init.1.clone()),
        runs: (*runs).clone(),
        dispatch,
        new_seed,
    }
}
