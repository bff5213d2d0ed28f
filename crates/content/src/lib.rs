//! Brownout's content: preset scenarios (`content/scenarios/*.toml`) and
//! articles (`content/articles/*.md`), embedded at compile time, with the
//! widget and knob model the articles use.
//!
//! ```text
//!  content/articles/x.md ──> Article { front matter, body with ```widget blocks }
//!  content/scenarios/y.toml ──> Preset ──> brownout_sim::ValidScenario
//!  widget block + URL params ──> WidgetState ──> the scenario to run
//! ```
//! Pure: no I/O at run time, so the CLI, the site and tests see the same files.

pub mod article;
pub mod doc;
pub mod knob;
pub mod preset;
pub mod widget;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use article::{Article, articles};
pub use preset::{Preset, preset, presets};
