//! Brownout's content: preset scenarios (`content/scenarios/*.toml`) and
//! articles (`content/articles/*.md`), embedded at compile time, with the
//! widget and knob model the articles use.
//!
//! ```text
//!  content/articles/x.md ──> Article { front matter, body with ```widget blocks }
//!  content/scenarios/y.toml ──> Preset ──> brownout_sim::ValidScenario
//!  widget block + URL params ──> WidgetState ──> the scenario to run
//!  run summary + metric path ──> metric::read ──> stat rows, facts
//! ```
//! Pure: no I/O at run time, so the CLI, the site and tests see the same files.

pub mod article;
pub mod curves;
pub mod doc;
mod error;
pub mod knob;
pub mod link;
pub mod map;
pub mod metric;
pub mod playground;
pub mod preset;
pub mod widget;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use article::{Article, articles};
pub use error::ContentError;
pub use preset::{Preset, preset, presets};
