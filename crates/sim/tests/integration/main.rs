//! Integration tests of the simulation core, one binary so they build once.
#![cfg(not(target_arch = "wasm32"))]

mod breakers;
mod caches;
mod client_knobs;
mod clients;
mod contention;
mod determinism;
mod laws;
mod policies;
mod pools;
mod properties;
mod scenario_errors;
mod scopes;
mod theory;

use brownout_sim::{Format, Limits, Summary, parse, simulate};

/// Runs TOML scenario text and returns the summary.
pub(crate) fn summary(text: &str) -> Summary {
    let s = parse(text, Format::Toml).unwrap_or_else(|e| panic!("{e}\n{text}"));
    simulate(&s, Limits::default()).summary
}

/// Relative difference of `got` from `want`.
pub(crate) fn rel(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs()
}
