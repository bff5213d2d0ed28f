//! The playground page's state, as plain data: the text being edited, the
//! knob set, the last answer of the tools worker, and the last valid
//! scenario, which the live widget keeps running while the text is invalid.
//!
//! ```text
//!  typing ──Typed──> text ──(debounced) Check──> worker ──Answer──> error | Live (version + 1)
//!  preset, link, file, widget ──Check/Preset/Link──> worker ──Answer──> text, knobs, Live
//! ```
//! Only the answer to the latest request counts; a new `Live` remounts the
//! widget, keeping from the URL the state its origin allows (`keep`).

use brownout_content::knob::KnobRef;

use crate::tools::{FromTools, TextError};

/// Why a request was sent, which decides what its answer replaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The reader typed: the text stays as typed, the seed is kept, knob
    /// values are dropped (the text is now the truth).
    Typed,
    /// The knob set changed: seed and values of remaining knobs are kept.
    Knobs,
    /// A link was opened: its text and knobs replace the editor's, and its
    /// seed and knob values are kept.
    Link,
    /// A preset, a file or a widget was opened: its text and knobs replace
    /// the editor's; the state starts afresh.
    Opened,
    /// The default preset runs in the widget in place of a link that could
    /// not be opened; the editor keeps what it has (the link's text, to fix).
    Fallback,
}

/// The scenario the widget runs.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Live {
    /// Counts scenarios shown: the widget's key.
    pub(crate) version: u32,
    /// The valid scenario as JSON.
    pub(crate) json: String,
    /// The widget block it is shown with, as JSON (made once per answer,
    /// not on every keystroke that re-renders the page).
    pub(crate) spec: String,
    /// Its link value (`s=`); empty when it is too large to share.
    pub(crate) fragment: String,
    /// The knob set it runs with.
    pub(crate) knobs: Vec<KnobRef>,
    /// The widget's state to start from (unprefixed query pairs).
    pub(crate) query: Vec<(String, String)>,
    /// The default preset standing in for a link's invalid scenario: the
    /// URL keeps the link (its text is in the editor, to fix).
    pub(crate) fallback: bool,
}

impl Live {
    /// The scenario shown after `previous`, with its widget block.
    fn after(
        previous: Option<&Live>,
        json: String,
        fragment: String,
        knobs: Vec<KnobRef>,
        (query, fallback): (Vec<(String, String)>, bool),
    ) -> Live {
        let spec = brownout_sim::parse(&json, brownout_sim::Format::Json)
            .ok()
            .and_then(|s| {
                let block = brownout_content::playground::widget_spec(s.scenario(), knobs.clone());
                serde_json::to_string(&block).ok()
            })
            .unwrap_or_default();
        Live {
            version: previous.map_or(1, |l| l.version + 1),
            json,
            spec,
            fragment,
            knobs,
            query,
            fallback,
        }
    }
}

/// The page's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Model {
    /// The latest request and why it was sent.
    pub(crate) waiting: Option<(u32, Origin)>,
    /// The text in the editor.
    pub(crate) text: String,
    /// The knob set being edited.
    pub(crate) knobs: Vec<KnobRef>,
    /// What is wrong with the text, as last checked.
    pub(crate) error: Option<TextError>,
    /// Why the scenario cannot be shared by link, if it cannot.
    pub(crate) share_error: Option<String>,
    /// The last valid scenario.
    pub(crate) live: Option<Live>,
    /// Messages for the reader (a link that could not be opened).
    pub(crate) notes: Vec<String>,
}

impl Model {
    /// Whether a preset, file, widget or link is being opened: its answer
    /// will replace the text, so the editor takes no typing meanwhile.
    pub(crate) fn opening(&self) -> bool {
        matches!(self.waiting, Some((_, Origin::Link | Origin::Opened)))
    }
}

/// What happens to the page.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Action {
    /// A request was sent.
    Sent(u32, Origin),
    /// The editor's text changed.
    Typed(String),
    /// The knob set changed.
    SetKnobs(Vec<KnobRef>),
    /// The worker answered; `query` is the URL's query at that moment.
    // Sent only by the worker, which runs only in the browser.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    Answer(FromTools, Vec<(String, String)>),
    /// A message for the reader.
    Note(String),
}

/// The widget state of a playground URL that `origin` keeps for `knobs`.
pub(crate) fn kept_state(
    query: &[(String, String)],
    origin: Origin,
    knobs: &[KnobRef],
) -> Vec<(String, String)> {
    query
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("w0.")?.to_string(), v.clone())))
        .filter(|(k, _)| match origin {
            Origin::Opened | Origin::Fallback => false,
            Origin::Typed => k == "seed",
            Origin::Knobs | Origin::Link => {
                k == "seed" || knobs.iter().any(|r| r.path() == k.as_str())
            }
        })
        .collect()
}

/// The text and knob set of widget `index` of article `slug` with `state`
/// (its link parameters, unprefixed), for "Open in playground": the
/// scenario it runs, knob values and seed applied, as TOML.
pub(crate) fn widget_source(
    slug: &str,
    index: usize,
    state: &[(String, String)],
) -> Result<(String, Vec<KnobRef>), String> {
    use brownout_content::widget::{Side, WidgetSpec};
    let articles = brownout_content::articles().map_err(|e| e.to_string())?;
    let clip = |s: &str| s.chars().take(40).collect::<String>();
    let article = articles.iter().find(|a| a.slug == slug).ok_or_else(|| {
        format!(
            "There is no article \u{201c}{}\u{201d} to open.",
            clip(slug)
        )
    })?;
    let json = article.widget_json.get(index).ok_or_else(|| {
        format!(
            "\u{201c}{}\u{201d} has no widget {index}.",
            article.meta.title
        )
    })?;
    let spec = WidgetSpec::from_json(json).map_err(|e| e.to_string())?;
    let widget = spec.resolve().map_err(|e| e.to_string())?;
    let (state, errors) = widget.state_from_query(state);
    if let Some(e) = errors.first() {
        return Err(format!("The widget's settings were not all kept: {e}"));
    }
    let scenario = widget
        .scenario(&state, Side::A)
        .map_err(|e| e.to_string())?;
    let text = format!(
        "# From \u{201c}{}\u{201d}, simulation {} (preset {}), as it was set.\n{}",
        article.meta.title,
        index + 1,
        widget.name,
        scenario.scenario().to_toml()
    );
    Ok((text, spec.knobs))
}

/// An embed URL's widget state (unprefixed, beside `s`, `show` and
/// `height`) as the playground page's (`w0.` pairs).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn embed_state(query: Vec<(String, String)>) -> Vec<(String, String)> {
    crate::params::state_pairs(&query)
        .into_iter()
        .map(|(k, v)| (format!("w0.{k}"), v))
        .collect()
}

/// `model` after `action`.
pub(crate) fn apply(model: &Model, action: Action) -> Model {
    let mut m = model.clone();
    match action {
        Action::Sent(id, origin) => m.waiting = Some((id, origin)),
        Action::Typed(text) => m.text = text,
        Action::SetKnobs(knobs) => m.knobs = knobs,
        Action::Note(n) => m.notes.push(n),
        Action::Answer(FromTools::Ready, _) => {}
        Action::Answer(FromTools::Refused { id, message }, _) => {
            if m.waiting.is_some_and(|(w, _)| w == id) || id == 0 {
                m.notes.push(message);
                m.waiting = None;
            }
        }
        Action::Answer(
            FromTools::Checked {
                id,
                toml,
                knobs,
                scenario,
                fragment,
            },
            query,
        ) => {
            let Some((_, origin)) = m.waiting.filter(|(w, _)| *w == id) else {
                return m;
            };
            m.waiting = None;
            if matches!(origin, Origin::Link | Origin::Opened) {
                m.text = toml;
                m.knobs.clone_from(&knobs);
            }
            if origin == Origin::Fallback {
                if let Ok(json) = scenario {
                    m.live = Some(Live::after(
                        m.live.as_ref(),
                        json,
                        fragment.unwrap_or_default(),
                        knobs,
                        (Vec::new(), true),
                    ));
                }
                return m;
            }
            m.share_error = fragment.as_ref().err().cloned();
            match scenario {
                Err(e) if origin == Origin::Link => {
                    m.notes.push(format!(
                        "This link's scenario is not valid ({e}); the widget shows the default \
                         preset until the text is fixed."
                    ));
                    m.error = Some(e);
                }
                Err(e) => m.error = Some(e),
                Ok(json) => {
                    m.error = None;
                    let query = kept_state(&query, origin, &knobs);
                    m.live = Some(Live::after(
                        m.live.as_ref(),
                        json,
                        fragment.unwrap_or_default(),
                        knobs,
                        (query, false),
                    ));
                }
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn checked(id: u32, toml: &str, ok: bool) -> FromTools {
        FromTools::Checked {
            id,
            toml: toml.into(),
            knobs: vec![KnobRef::Path("traffic.rate_rps".into())],
            scenario: if ok {
                Ok("{}".into())
            } else {
                Err(TextError {
                    line: Some(2),
                    field: "traffic.rate_rps".into(),
                    message: "must be positive".into(),
                })
            },
            fragment: Ok("abc".into()),
        }
    }

    #[test]
    fn typing_keeps_the_text_and_the_seed_and_an_error_keeps_the_last_valid_run() {
        let url = q(&[("s", "old"), ("w0.seed", "5"), ("w0.traffic.rate_rps", "9")]);
        let mut m = apply(&Model::default(), Action::Typed("typed".into()));
        m = apply(&m, Action::Sent(1, Origin::Typed));
        m = apply(&m, Action::Typed("typed more".into()));
        m = apply(&m, Action::Answer(checked(1, "typed", true), url.clone()));
        assert_eq!(m.text, "typed more", "keystrokes after the request stay");
        assert_eq!(m.waiting, None);
        let live = m.live.clone().expect("live");
        assert_eq!((live.version, live.query), (1, q(&[("seed", "5")])));
        m = apply(&m, Action::Sent(2, Origin::Typed));
        m = apply(&m, Action::Answer(checked(2, "bad", false), url));
        assert_eq!(m.error.as_ref().and_then(|e| e.line), Some(2));
        assert_eq!(
            m.live.as_ref().map(|l| l.version),
            Some(1),
            "last valid run stays"
        );
    }

    #[test]
    fn only_the_latest_request_counts() {
        let mut m = apply(&Model::default(), Action::Sent(1, Origin::Typed));
        m = apply(&m, Action::Sent(2, Origin::Typed));
        m = apply(&m, Action::Answer(checked(1, "old", true), vec![]));
        assert_eq!(m.live, None);
        m = apply(&m, Action::Answer(checked(2, "new", true), vec![]));
        assert!(m.live.is_some());
    }

    #[test]
    fn an_opened_link_replaces_text_and_knobs_and_keeps_its_state() {
        let url = q(&[
            ("s", "x"),
            ("w0.seed", "3"),
            ("w0.traffic.rate_rps", "9"),
            ("w0.gone", "1"),
        ]);
        let mut m = apply(&Model::default(), Action::Sent(7, Origin::Link));
        m = apply(
            &m,
            Action::Answer(checked(7, "from link", true), url.clone()),
        );
        assert_eq!(m.text, "from link");
        assert_eq!(m.knobs, vec![KnobRef::Path("traffic.rate_rps".into())]);
        assert_eq!(
            m.live.map(|l| l.query),
            Some(q(&[("seed", "3"), ("traffic.rate_rps", "9")]))
        );
        assert!(kept_state(&url, Origin::Opened, &[]).is_empty());
    }

    #[test]
    fn a_widget_opens_with_its_settings_and_knobs() {
        let state = q(&[("seed", "9"), ("traffic.rate_rps", "77")]);
        let (text, knobs) = widget_source("round-robin", 0, &state).expect("opens");
        assert!(text.starts_with("# From "), "{text}");
        let s = brownout_sim::parse(&text, brownout_sim::Format::Toml).expect("valid TOML");
        assert_eq!(s.scenario().seed, 9);
        assert_eq!(s.scenario().traffic.rate_rps, Some(77.0));
        assert!(!knobs.is_empty());
        assert!(widget_source("nope", 0, &[]).is_err());
        assert!(widget_source("round-robin", 99, &[]).is_err());
    }

    #[test]
    fn an_invalid_link_scenario_stays_in_the_editor_while_the_default_runs() {
        let mut m = apply(&Model::default(), Action::Sent(1, Origin::Link));
        m = apply(&m, Action::Answer(checked(1, "bad text", false), vec![]));
        assert_eq!(m.text, "bad text");
        assert!(
            m.notes[0].starts_with("This link's scenario is not valid (Line 2: "),
            "{:?}",
            m.notes
        );
        assert_eq!(m.live, None);
        m = apply(&m, Action::Sent(2, Origin::Fallback));
        m = apply(&m, Action::Answer(checked(2, "default", true), vec![]));
        assert_eq!(m.text, "bad text", "the text to fix stays");
        assert!(
            m.live.as_ref().is_some_and(|l| l.fallback),
            "the URL keeps the link"
        );
        assert!(m.error.is_some());
        assert!(m.live.is_some());
    }

    #[test]
    fn an_embed_keeps_its_unprefixed_state() {
        let url = q(&[
            ("s", "x"),
            ("seed", "3"),
            ("height", "600"),
            ("traffic.rate_rps", "9"),
        ]);
        let knobs = [KnobRef::Path("traffic.rate_rps".into())];
        assert_eq!(
            kept_state(&embed_state(url), Origin::Link, &knobs),
            q(&[("seed", "3"), ("traffic.rate_rps", "9")])
        );
    }

    #[test]
    fn a_refused_link_leaves_a_note() {
        let m = apply(&Model::default(), Action::Sent(1, Origin::Link));
        let m = apply(
            &m,
            Action::Answer(
                FromTools::Refused {
                    id: 1,
                    message: "bad link".into(),
                },
                vec![],
            ),
        );
        assert_eq!(m.notes, vec!["bad link".to_string()]);
    }
}
