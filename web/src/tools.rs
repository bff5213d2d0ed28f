//! The playground's tools run in a Web Worker of their own (the
//! `brownout-tools` binary, built with the `tools` feature): the TOML parser
//! with its field-path errors, and the link codec. Only the playground and
//! its embeds load it, so an article's reader never downloads them.
//!
//! ```text
//!  page                                          worker (brownout-tools)
//!    Worker::new ──────────────────────────────>  wasm starts, posts Ready
//!    Preset { name } | Link { fragment } | Check { toml, knobs } ──> answer()
//!    <── Checked { toml, knobs, scenario: JSON or the error with its line, fragment }
//!    <── Refused { message } (a link that cannot be read)
//! ```
//! Every request carries an id; the page reads only the answer to its
//! latest request. Messages are JSON text; `answer` is tested natively.

// The worker runs only in the browser; natively the protocol is tested alone.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use brownout_content::knob::Knob;
use brownout_content::knob::KnobRef;
use brownout_content::link::{Shared, decode, encode};
use brownout_sim::{Format, ScenarioError, parse};
use serde::{Deserialize, Serialize};

/// From the page to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum ToTools {
    /// Open a preset's file (comments kept).
    Preset {
        /// Request id.
        id: u32,
        /// Preset name.
        name: String,
    },
    /// Open a link's `s=` value.
    Link {
        /// Request id.
        id: u32,
        /// The encoded scenario.
        fragment: String,
    },
    /// Check a scenario text with its knobs, and encode them for a link.
    Check {
        /// Request id.
        id: u32,
        /// The scenario as typed.
        toml: String,
        /// The knob set.
        knobs: Vec<KnobRef>,
    },
}

/// Where a scenario text is wrong: the CLI's error, line and field path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TextError {
    /// 1-based line, when known.
    pub(crate) line: Option<usize>,
    /// Field path, empty for a syntax error.
    pub(crate) field: String,
    /// What is wrong.
    pub(crate) message: String,
}

impl From<ScenarioError> for TextError {
    fn from(e: ScenarioError) -> TextError {
        TextError {
            line: e.line,
            field: e.field,
            message: e.message,
        }
    }
}

impl std::fmt::Display for TextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(l) = self.line {
            write!(f, "Line {l}: ")?;
        }
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// From the worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum FromTools {
    /// The worker has started and takes messages.
    Ready,
    /// A text checked: the scenario as JSON (for the page's engine), or
    /// where it is wrong; and the link's `s=` value, or why there is none.
    Checked {
        /// The request answered.
        id: u32,
        /// The text checked (a preset's or a link's, as opened).
        toml: String,
        /// Its knob set.
        knobs: Vec<KnobRef>,
        /// The valid scenario as JSON, or the error.
        scenario: Result<String, TextError>,
        /// The encoded link value, or why it cannot be shared.
        fragment: Result<String, String>,
    },
    /// A link or preset that cannot be opened, and why.
    Refused {
        /// The request answered.
        id: u32,
        /// What is wrong with it.
        message: String,
    },
}

/// Checks `toml` with `knobs` and encodes them.
fn check(id: u32, toml: String, knobs: Vec<KnobRef>) -> FromTools {
    let whole = |field: &str, message: String| TextError {
        line: None,
        field: field.to_string(),
        message,
    };
    let scenario = parse(&toml, Format::Toml)
        .map_err(TextError::from)
        .and_then(|s| {
            // The knobs must fit the scenario too (a knob on a server the
            // text no longer has, or a bad range from a link). Each knob
            // alone: resolving the whole widget would pull the chart
            // registry, and with it every chart's drawing code, into this
            // worker.
            for k in &knobs {
                Knob::describe(s.scenario(), k).map_err(|e| whole("knobs", e.to_string()))?;
            }
            serde_json::to_string(s.scenario()).map_err(|e| whole("", e.to_string()))
        });
    let shared = Shared::new(toml, knobs);
    let fragment = encode(&shared).map_err(|e| e.to_string());
    FromTools::Checked {
        id,
        toml: shared.toml,
        knobs: shared.knobs,
        scenario,
        fragment,
    }
}

/// The worker's answer to a request.
pub(crate) fn answer(request: ToTools) -> FromTools {
    match request {
        ToTools::Preset { id, name } => match brownout_content::preset(&name) {
            Some(p) => check(id, p.text().to_string(), Vec::new()),
            None => FromTools::Refused {
                id,
                message: format!(
                    "There is no preset \u{201c}{}\u{201d}; the presets are: {}.",
                    name.chars().take(40).collect::<String>(),
                    brownout_content::preset::preset_names()
                ),
            },
        },
        ToTools::Link { id, fragment } => match decode(&fragment) {
            Ok(s) => check(id, s.toml, s.knobs),
            Err(e) => FromTools::Refused {
                id,
                message: format!("This link cannot be opened: {e}."),
            },
        },
        ToTools::Check { id, toml, knobs } => check(id, toml, knobs),
    }
}

/// A worker's answer to a message as JSON text; `None` for a message it
/// cannot read.
pub(crate) fn answer_text(message: &str) -> Option<String> {
    let request: ToTools = serde_json::from_str(message).ok()?;
    serde_json::to_string(&answer(request)).ok()
}

#[cfg(target_arch = "wasm32")]
pub(crate) use web::{Tools, worker_main};

#[cfg(target_arch = "wasm32")]
mod web {
    use std::cell::RefCell;
    use std::rc::Rc;

    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker};

    use super::{FromTools, ToTools, answer_text};

    /// The loader Trunk writes for the worker binary (`data-loader-shim`).
    const WORKER_URL: &str = "./brownout-tools_loader.js";

    /// The worker side: answers every message in order.
    pub(crate) fn worker_main() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let reply = scope.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Some(out) = e.data().as_string().as_deref().and_then(answer_text) {
                let _ = reply.post_message(&JsValue::from_str(&out));
            }
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        if let Ok(ready) = serde_json::to_string(&FromTools::Ready) {
            let _ = scope.post_message(&JsValue::from_str(&ready));
        }
    }

    type Handler = Closure<dyn FnMut(MessageEvent)>;
    type OnError = Closure<dyn FnMut(web_sys::Event)>;

    /// The page's handle on the worker; dropping it stops the worker.
    pub(crate) struct Tools {
        worker: Option<Worker>,
        /// Set once the worker said Ready; before, the latest request waits.
        ready: Rc<RefCell<(bool, Option<String>)>>,
        _handlers: Option<(Handler, OnError)>,
    }

    impl Tools {
        /// Starts the worker; `on_answer` gets every answer but Ready.
        pub(crate) fn start(on_answer: Rc<dyn Fn(FromTools)>) -> Tools {
            let ready = Rc::new(RefCell::new((false, None::<String>)));
            let Ok(worker) = Worker::new(WORKER_URL) else {
                on_answer(FromTools::Refused {
                    id: 0,
                    message: "The playground's checker could not start in this browser."
                        .to_string(),
                });
                return Tools {
                    worker: None,
                    ready,
                    _handlers: None,
                };
            };
            let (flag, w, answered) = (ready.clone(), worker.clone(), on_answer.clone());
            let on_message = Handler::new(move |e: MessageEvent| {
                let text = e.data().as_string().unwrap_or_default();
                match serde_json::from_str::<FromTools>(&text) {
                    Ok(FromTools::Ready) => {
                        let waiting = {
                            let mut r = flag.borrow_mut();
                            r.0 = true;
                            r.1.take()
                        };
                        if let Some(m) = waiting {
                            let _ = w.post_message(&JsValue::from_str(&m));
                        }
                    }
                    Ok(answer) => answered(answer),
                    Err(_) => {}
                }
            });
            let failed = on_answer.clone();
            let on_fail = OnError::new(move |_| {
                failed(FromTools::Refused {
                    id: 0,
                    message: "The playground's checker stopped; reload the page to start it again."
                        .to_string(),
                });
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_fail.as_ref().unchecked_ref()));
            Tools {
                worker: Some(worker),
                ready,
                _handlers: Some((on_message, on_fail)),
            }
        }

        /// Sends a request (held until the worker is ready; a newer one
        /// replaces it).
        pub(crate) fn send(&self, request: &ToTools) {
            let (Some(worker), Ok(text)) = (&self.worker, serde_json::to_string(request)) else {
                return;
            };
            let mut r = self.ready.borrow_mut();
            if r.0 {
                let _ = worker.post_message(&JsValue::from_str(&text));
            } else {
                r.1 = Some(text);
            }
        }
    }

    impl Drop for Tools {
        fn drop(&mut self) {
            if let Some(w) = &self.worker {
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

    fn checked(a: FromTools) -> (String, Result<String, TextError>, Result<String, String>) {
        match a {
            FromTools::Checked {
                toml,
                scenario,
                fragment,
                ..
            } => (toml, scenario, fragment),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_preset_opens_with_its_comments_and_runs_as_the_cli_reads_it() {
        let text = brownout_content::preset("round-robin-2am")
            .expect("preset")
            .text();
        let (toml, scenario, fragment) = checked(answer(ToTools::Preset {
            id: 1,
            name: "round-robin-2am".into(),
        }));
        assert_eq!(toml, text);
        // The JSON the page runs is, field for field and bit for bit, the
        // scenario the CLI reads from the same text.
        let json = scenario.expect("valid");
        let page = parse(&json, Format::Json).expect("valid JSON");
        let cli = parse(text, Format::Toml).expect("valid TOML");
        assert_eq!(page.scenario(), cli.scenario());
        let shared = decode(&fragment.expect("encodes")).expect("decodes");
        assert_eq!(shared.toml, text);
    }

    #[test]
    fn a_bad_text_gives_the_line_and_field() {
        let text = "duration_s = 10\n[traffic]\nrate_rps = -1\n[[servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"constant\", value = 10 }\n";
        let (_, scenario, fragment) = checked(answer(ToTools::Check {
            id: 2,
            toml: text.into(),
            knobs: vec![],
        }));
        let e = scenario.expect_err("invalid");
        assert_eq!((e.line, e.field.as_str()), (Some(3), "traffic.rate_rps"));
        assert!(
            e.to_string().starts_with("Line 3: traffic.rate_rps: "),
            "{e}"
        );
        assert!(fragment.is_ok(), "an invalid text can still be shared");
        let syntax = checked(answer(ToTools::Check {
            id: 3,
            toml: "duration_s = = 1".into(),
            knobs: vec![],
        }))
        .1
        .expect_err("syntax");
        assert_eq!(syntax.line, Some(1));
    }

    #[test]
    fn a_knob_that_no_longer_fits_the_text_is_an_error_of_the_knobs() {
        let text = brownout_content::preset("mm1").expect("preset").text();
        let (_, scenario, _) = checked(answer(ToTools::Check {
            id: 9,
            toml: text.into(),
            knobs: vec![KnobRef::Path("servers[3].speed".into())],
        }));
        let e = scenario.expect_err("no such server");
        assert_eq!((e.line, e.field.as_str()), (None, "knobs"));
    }

    #[test]
    fn a_bad_link_or_preset_is_refused_with_the_reason() {
        for (request, want) in [
            (
                ToTools::Link {
                    id: 4,
                    fragment: "!!".into(),
                },
                "base64",
            ),
            (
                ToTools::Preset {
                    id: 5,
                    name: "nope".into(),
                },
                "no preset",
            ),
        ] {
            match answer(request) {
                FromTools::Refused { message, .. } => {
                    assert!(message.contains(want), "{message}")
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(answer_text("not json"), None);
    }
}
