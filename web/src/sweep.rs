//! Sweeps (maps and curves) run in Web Workers, so hundreds of runs never
//! freeze the page.
//!
//! ```text
//!  page (Pool)                                   worker (brownout-sweep bin)
//!    spawn N workers ─────────────────────────>   wasm starts, posts Ready
//!    on Ready: Job(job), then Cell(k) ────────>   runs cell k (Job::run)
//!    on Done: the next k, until none is left <─   Done { k, cell }
//!    drop(Pool): terminate every worker (a knob moved: a new Pool starts)
//! ```
//! Each worker takes one cell at a time, so a slow (stuck) cell never leaves
//! the other workers idle. The messages are JSON text; what they say and the
//! queue of cells are plain data, tested natively.

// The workers run only in the browser; natively the protocol is tested alone.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use brownout_content::curves::{CurveJob, Point};
use brownout_content::map::{Cell, MapJob};
use serde::{Deserialize, Serialize};

/// A sweep to run in the workers, cell by cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum Job {
    /// A map: each cell one run, recovered or stuck.
    Map(MapJob),
    /// Curves: each cell one point, a mean over seeds.
    Curves(CurveJob),
}

/// What one cell of a job came to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum Outcome {
    /// A map's cell.
    Cell(Cell),
    /// A curve's point.
    Point(Point),
}

impl Job {
    /// Number of cells.
    pub(crate) fn len(&self) -> usize {
        match self {
            Job::Map(j) => j.len(),
            Job::Curves(j) => j.len(),
        }
    }

    /// Runs cell `k`.
    pub(crate) fn run(&self, k: usize) -> Result<Outcome, String> {
        match self {
            Job::Map(j) => j.run_cell(k).map(Outcome::Cell),
            Job::Curves(j) => j.run_point(k).map(Outcome::Point),
        }
        .map_err(|e| e.to_string())
    }
}

/// From the page to a worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum ToWorker {
    /// The sweep to run cells of.
    Job(Box<Job>),
    /// Run this cell.
    Cell(usize),
}

/// From a worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum FromWorker {
    /// The worker has started and takes messages.
    Ready,
    /// Cell `k` ran.
    Done {
        /// The cell's index.
        k: usize,
        /// What it came to, or why it could not run.
        cell: Result<Outcome, String>,
    },
}

/// A message to a worker as JSON text, written through a `serde_json::Value`:
/// the page turns scenarios into values anyway (knobs), so this adds no
/// second serializer of the scenario to its wasm. The keys come out sorted,
/// which the worker does not mind, and floats keep their bits.
pub(crate) fn message_text(m: &ToWorker) -> Option<String> {
    serde_json::to_value(m).ok().map(|v| v.to_string())
}

/// A worker's answer to one message; `None` for a message it cannot read.
pub(crate) fn answer(job: &mut Option<Job>, message: &str) -> Option<FromWorker> {
    match serde_json::from_str(message).ok()? {
        ToWorker::Job(j) => {
            *job = Some(*j);
            None
        }
        ToWorker::Cell(k) => {
            let cell = match job {
                Some(j) => j.run(k),
                None => Err("no sweep was given".to_string()),
            };
            Some(FromWorker::Done { k, cell })
        }
    }
}

/// The cells still to hand out, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Queue {
    next: usize,
    len: usize,
}

impl Queue {
    /// Cells `0..len`.
    pub(crate) fn new(len: usize) -> Queue {
        Queue { next: 0, len }
    }

    /// The next cell to run, if any is left.
    pub(crate) fn take(&mut self) -> Option<usize> {
        (self.next < self.len).then(|| {
            self.next += 1;
            self.next - 1
        })
    }
}

/// How many workers a map uses: the machine's cores, at most four, at
/// least one.
pub(crate) fn pool_size(hardware_concurrency: f64) -> usize {
    if hardware_concurrency.is_finite() {
        (hardware_concurrency as usize).clamp(1, 4)
    } else {
        1
    }
}

#[cfg(target_arch = "wasm32")]
pub(crate) use browser_pool::Pool;

#[cfg(target_arch = "wasm32")]
pub(crate) use browser_pool::worker_main;

#[cfg(target_arch = "wasm32")]
mod browser_pool {
    use std::cell::RefCell;
    use std::rc::Rc;

    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker};

    use super::{FromWorker, Job, Outcome, Queue, ToWorker, answer, message_text, pool_size};

    /// What a cell says when its worker failed while running it.
    const WORKER_STOPPED: &str = "its worker stopped while running it";

    /// The loader Trunk writes for the worker binary (`data-loader-shim`).
    const WORKER_URL: &str = "./brownout-sweep_loader.js";

    /// The worker side: answers every message in order.
    pub(crate) fn worker_main() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let job = RefCell::new(None::<Job>);
        let reply = scope.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            if let Some(out) = answer(&mut job.borrow_mut(), &text)
                && let Ok(json) = serde_json::to_string(&out)
            {
                let _ = reply.post_message(&JsValue::from_str(&json));
            }
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        if let Ok(ready) = serde_json::to_string(&FromWorker::Ready) {
            let _ = scope.post_message(&JsValue::from_str(&ready));
        }
    }

    type Handler = Closure<dyn FnMut(MessageEvent)>;
    type OnError = Closure<dyn FnMut(web_sys::Event)>;

    /// Workers running one sweep; dropping it stops them.
    pub(crate) struct Pool {
        workers: Vec<Worker>,
        _handlers: Vec<(Handler, OnError)>,
    }

    impl Pool {
        /// Starts workers on `job`; `on_cell(k, cell)` for each cell as it
        /// comes in, `on_error(message)` if the workers cannot start.
        pub(crate) fn start(
            job: Job,
            on_cell: Rc<dyn Fn(usize, Result<Outcome, String>)>,
            on_error: Rc<dyn Fn(String)>,
        ) -> Pool {
            let n = web_sys::window()
                .map_or(1.0, |w| w.navigator().hardware_concurrency())
                .max(1.0);
            let queue = Rc::new(RefCell::new(Queue::new(job.len())));
            let job_text = message_text(&ToWorker::Job(Box::new(job))).unwrap_or_default();
            let mut workers = Vec::new();
            let mut handlers = Vec::new();
            for _ in 0..pool_size(n) {
                let worker = match Worker::new(WORKER_URL) {
                    Ok(w) => w,
                    // Fewer workers still fill the map; none cannot.
                    Err(e) => {
                        if workers.is_empty() {
                            on_error(format!("the sweep's worker could not start: {e:?}"));
                        }
                        break;
                    }
                };
                // The cell this worker is running, so a worker that fails
                // mid-cell gives that cell an answer instead of leaving it
                // pending.
                let running = Rc::new(std::cell::Cell::new(None::<usize>));
                let send = {
                    let (worker, running) = (worker.clone(), running.clone());
                    move |m: &ToWorker| {
                        if let ToWorker::Cell(k) = m {
                            running.set(Some(*k));
                        }
                        if let Some(t) = message_text(m) {
                            let _ = worker.post_message(&JsValue::from_str(&t));
                        }
                    }
                };
                let (queue, on_cell, job_text) = (queue.clone(), on_cell.clone(), job_text.clone());
                let (on_cell_failed, running_done) = (on_cell.clone(), running.clone());
                let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                    let text = e.data().as_string().unwrap_or_default();
                    match serde_json::from_str::<FromWorker>(&text) {
                        Ok(FromWorker::Ready) => {
                            if let Some(w) = e.target().and_then(|t| t.dyn_into::<Worker>().ok()) {
                                let _ = w.post_message(&JsValue::from_str(&job_text));
                            }
                        }
                        Ok(FromWorker::Done { k, cell }) => {
                            running_done.set(None);
                            on_cell(k, cell);
                        }
                        Err(_) => return,
                    }
                    if let Some(k) = queue.borrow_mut().take() {
                        send(&ToWorker::Cell(k));
                    }
                });
                let on_error = on_error.clone();
                let failed = worker.clone();
                let on_fail = OnError::new(move |_| {
                    // Its wasm may be broken now: stop it; the other workers
                    // go on with the rest of the cells.
                    failed.terminate();
                    if let Some(k) = running.take() {
                        on_cell_failed(k, Err(WORKER_STOPPED.to_string()));
                    }
                    on_error(
                        "a worker of the sweep failed; the other workers go on, reload the page \
                         to run its cells again"
                            .to_string(),
                    );
                });
                worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                worker.set_onerror(Some(on_fail.as_ref().unchecked_ref()));
                workers.push(worker);
                handlers.push((on_message, on_fail));
            }
            Pool {
                workers,
                _handlers: handlers,
            }
        }
    }

    impl Drop for Pool {
        fn drop(&mut self) {
            for w in &self.workers {
                w.set_onmessage(None);
                w.set_onerror(None);
                w.terminate();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brownout_content::widget::WidgetSpec;

    fn map_job() -> MapJob {
        let spec = r#"{"preset": "retry-storm",
            "knobs": [{"path": "traffic.rate_rps", "min": 30, "max": 70, "step": 2},
                      {"path": "traffic.changes[0].rate_rps", "min": 55, "max": 400, "step": 5}],
            "map": {"x": {"knob": "traffic.rate_rps", "from": 30, "to": 32, "step": 2},
                    "y": {"knob": "traffic.changes[0].rate_rps", "from": 60, "to": 200, "step": 140},
                    "duration_s": 200}}"#;
        let w = WidgetSpec::from_json(spec)
            .expect("parses")
            .resolve()
            .expect("resolves");
        w.map_job(&w.initial_state()).expect("map").expect("valid")
    }

    #[test]
    fn a_worker_takes_the_job_then_answers_each_cell_as_the_engine_does() {
        let job = map_job();
        let mut held = None;
        let text = message_text(&ToWorker::Job(Box::new(Job::Map(job.clone())))).expect("json");
        assert_eq!(answer(&mut held, &text), None);
        assert_eq!(held.as_ref(), Some(&Job::Map(job.clone())));
        let ask = message_text(&ToWorker::Cell(3)).expect("json");
        let Some(FromWorker::Done {
            k: 3,
            cell: Ok(Outcome::Cell(cell)),
        }) = answer(&mut held, &ask)
        else {
            panic!("an answer for cell 3");
        };
        assert_eq!(cell, job.run_cell(3).expect("runs"));
        // 32 req/s with a spike to 200: the storm holds.
        assert!(!cell.recovered(), "{cell:?}");
        assert!(
            job.run_cell(0).expect("runs").recovered(),
            "30 with 60 recovers"
        );
    }

    #[test]
    fn a_message_through_a_value_reads_back_as_the_same_job_to_the_bit() {
        let mut job = map_job();
        job.xs = vec![0.1 + 0.2, 1.0 / 3.0, 5e-324, -0.0, 1.7976931348623157e308];
        let text = message_text(&ToWorker::Job(Box::new(Job::Map(job.clone())))).expect("json");
        let direct =
            serde_json::to_string(&ToWorker::Job(Box::new(Job::Map(job.clone())))).expect("json");
        let back: ToWorker = serde_json::from_str(&text).expect("reads");
        assert_eq!(
            back,
            serde_json::from_str::<ToWorker>(&direct).expect("reads")
        );
        let ToWorker::Job(back) = back else {
            panic!("a job");
        };
        let Job::Map(back) = *back else {
            panic!("a map's job");
        };
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back.xs), bits(&job.xs));
        assert_eq!(back, job);
    }

    #[test]
    fn a_worker_runs_a_curves_point_as_the_content_crate_does() {
        let spec = r#"{"preset": "backoff-occ",
            "knobs": [{"path": "contention.clients", "min": 10, "max": 200, "step": 10}],
            "curves": {"x": {"knob": "contention.clients", "from": 10, "to": 20, "step": 10},
                "seeds": 2, "metrics": ["contention.writes"],
                "lines": [{"label": "Full", "set": {"client.backoff.jitter": "full"}},
                          {"label": "None", "set": {"client.backoff.jitter": "none"}}]}}"#;
        let w = WidgetSpec::from_json(spec)
            .expect("parses")
            .resolve()
            .expect("resolves");
        let job = w
            .curve_job(&w.initial_state())
            .expect("curves")
            .expect("valid");
        let mut held = None;
        let text = message_text(&ToWorker::Job(Box::new(Job::Curves(job.clone())))).expect("json");
        assert_eq!(answer(&mut held, &text), None);
        let ask = message_text(&ToWorker::Cell(3)).expect("json");
        assert_eq!(
            answer(&mut held, &ask),
            Some(FromWorker::Done {
                k: 3,
                cell: Ok(Outcome::Point(job.run_point(3).expect("runs")))
            })
        );
    }

    #[test]
    fn a_worker_without_a_job_or_with_garbage_says_so_or_nothing() {
        let mut held = None;
        let ask = message_text(&ToWorker::Cell(0)).expect("json");
        assert!(matches!(
            answer(&mut held, &ask),
            Some(FromWorker::Done { cell: Err(_), .. })
        ));
        assert_eq!(answer(&mut held, "<script>"), None);
    }

    #[test]
    fn the_queue_hands_out_every_cell_once_in_order() {
        let mut q = Queue::new(3);
        assert_eq!(
            [q.take(), q.take(), q.take(), q.take()],
            [Some(0), Some(1), Some(2), None]
        );
        assert_eq!(pool_size(2.0), 2);
        assert_eq!(pool_size(16.0), 4);
        assert_eq!(pool_size(f64::NAN), 1);
    }
}
