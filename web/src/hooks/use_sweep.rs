//! The hook behind a sweep (a map or curves): runs its job in Web Workers
//! (`crate::sweep`) and collects the cells as they arrive. A new job (a knob
//! moved, a new seed) drops the running workers and, after a short pause so
//! that a dragged slider does not start a pool per pixel, starts new ones.

// The workers run only in the browser; natively the protocol is tested alone.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use std::rc::Rc;

use yew::prelude::*;

use crate::sweep::{Job, Outcome};

/// How long a job must stay unchanged before its workers start.
#[cfg(target_arch = "wasm32")]
const SETTLE_MS: u32 = 150;

/// Cells that come in are drawn together at most this often, so the page
/// does not redraw the grid hundreds of times while the workers need the
/// cores.
#[cfg(target_arch = "wasm32")]
const DRAW_EVERY_MS: u32 = 100;

/// The cells of one job so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SweepProgress {
    /// One slot per cell, filled as cells come in.
    pub(crate) cells: Vec<Option<Result<Outcome, String>>>,
    /// Cells filled.
    pub(crate) done: usize,
    /// Why the workers could not run, if they could not.
    pub(crate) error: Option<String>,
    /// Milliseconds from the workers' start to the last cell.
    pub(crate) elapsed_ms: Option<f64>,
}

/// What changes a map's progress.
pub(crate) enum SweepEvent {
    /// A new job of this many cells.
    Reset(usize),
    /// Cells `k` came in, each `at_ms` after the job started.
    Cells(Vec<(usize, Result<Outcome, String>, f64)>),
    /// The workers failed.
    Failed(String),
}

impl Reducible for SweepProgress {
    type Action = SweepEvent;

    fn reduce(self: Rc<Self>, event: SweepEvent) -> Rc<Self> {
        let mut next = (*self).clone();
        match event {
            SweepEvent::Reset(n) => {
                next = SweepProgress {
                    cells: vec![None; n],
                    ..SweepProgress::default()
                }
            }
            SweepEvent::Cells(cells) => {
                for (k, cell, at_ms) in cells {
                    if let Some(slot) = next.cells.get_mut(k)
                        && slot.is_none()
                    {
                        *slot = Some(cell);
                        next.done += 1;
                        if next.done == next.cells.len() {
                            next.elapsed_ms = Some(at_ms);
                        }
                    }
                }
            }
            SweepEvent::Failed(e) => next.error = Some(e),
        }
        Rc::new(next)
    }
}

/// Runs `job` (when there is one) and returns its progress.
#[hook]
pub(crate) fn use_sweep(job: Option<Job>) -> Rc<SweepProgress> {
    let progress = use_reducer(SweepProgress::default);
    {
        let dispatch = progress.dispatcher();
        use_effect_with(job, move |job| {
            let n = job.as_ref().map_or(0, Job::len);
            dispatch.dispatch(SweepEvent::Reset(n));
            let running = start(job.clone(), dispatch);
            move || drop(running)
        });
    }
    Rc::new((*progress).clone())
}

/// Starts the workers after the job has settled; dropping the result
/// cancels the timer or stops the workers.
#[cfg(target_arch = "wasm32")]
fn start(
    job: Option<Job>,
    dispatch: UseReducerDispatcher<SweepProgress>,
) -> Box<dyn std::any::Any> {
    use std::cell::RefCell;

    use crate::sweep::Pool;

    let Some(job) = job else {
        return Box::new(());
    };
    let pool = Rc::new(RefCell::new(None::<Pool>));
    let slot = pool.clone();
    let timer = gloo::timers::callback::Timeout::new(SETTLE_MS, move || {
        let t0 = crate::browser::now_ms();
        let d = dispatch.clone();
        let buffer = Rc::new(RefCell::new(Vec::new()));
        // The pending draw, owned by the pool's handlers: stopping the
        // workers (a new job) cancels it, so it never lands in the next map.
        let draw = RefCell::new(None::<gloo::timers::callback::Timeout>);
        let on_cell = Rc::new(move |k: usize, cell: Result<Outcome, String>| {
            let first = buffer.borrow().is_empty();
            buffer
                .borrow_mut()
                .push((k, cell, crate::browser::now_ms() - t0));
            if !first {
                return; // a draw is already scheduled
            }
            let (buffer, d) = (buffer.clone(), d.clone());
            let timer = gloo::timers::callback::Timeout::new(DRAW_EVERY_MS, move || {
                let cells = std::mem::take(&mut *buffer.borrow_mut());
                d.dispatch(SweepEvent::Cells(cells));
            });
            *draw.borrow_mut() = Some(timer);
        });
        let on_error = Rc::new(move |e: String| dispatch.dispatch(SweepEvent::Failed(e)));
        *slot.borrow_mut() = Some(Pool::start(job, on_cell, on_error));
    });
    Box::new((timer, pool))
}

/// Natively there are no workers: the map stays pending.
#[cfg(not(target_arch = "wasm32"))]
fn start(
    _job: Option<Job>,
    _dispatch: UseReducerDispatcher<SweepProgress>,
) -> Box<dyn std::any::Any> {
    Box::new(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell() -> Result<Outcome, String> {
        Ok(Outcome::Cell(brownout_content::map::Cell {
            recovered_after_s: Some(20.0),
            within_slo: 0.9,
            goodput_rps: 50.0,
            cut: false,
        }))
    }

    #[test]
    fn progress_counts_each_cell_once_and_times_the_last() {
        let p = Rc::new(SweepProgress::default()).reduce(SweepEvent::Reset(2));
        let p = p.reduce(SweepEvent::Cells(vec![
            (1, cell(), 10.0),
            (1, cell(), 11.0),
        ]));
        assert_eq!((p.done, p.elapsed_ms), (1, None));
        let p = p.reduce(SweepEvent::Cells(vec![(0, cell(), 12.0)]));
        assert_eq!((p.done, p.elapsed_ms), (2, Some(12.0)));
        let p = p.reduce(SweepEvent::Cells(vec![(7, cell(), 13.0)]));
        assert_eq!(p.done, 2, "a cell out of range is ignored");
        let p = p.reduce(SweepEvent::Reset(3));
        assert_eq!((p.done, p.cells.len()), (0, 3));
    }
}
