//! Brownout's simulation core: a deterministic discrete-event simulation of
//! traffic, load balancers and servers.
//!
//! ```text
//!  scenario text ──parse──> ValidScenario ──simulate──> RunResult
//!  (TOML / JSON)            (checked, compiled)         (summary + time series)
//! ```
//!
//! The crate is pure: no clock, no I/O, no global state. A scenario and a
//! seed give bit-identical results on every platform, native or wasm32,
//! because every random number comes from an explicit PCG stream and every
//! transcendental function from `libm`.

pub mod arrivals;
mod balancer;
mod components;
pub mod dist;
mod engine;
pub mod error;
pub mod metrics;
pub mod report;
pub mod rng;
pub mod scenario;
mod server;
pub mod theory;

pub use components::breaker::BreakerState;
pub use engine::{Limits, simulate};
pub use error::ScenarioError;
pub use report::{
    BreakerSummary, BreakerTimeline, CacheSummary, ContentionSummary, DatabaseSummary, KeyCost,
    LatencySummary, LogicalSummary, PoolSummary, RECOVERY_WINDOW_S, RunResult, Series,
    ServerSummary, ServiceSummary, Summary,
};
pub use scenario::{Format, Policy, Scenario, ValidScenario, parse};

/// Parses, validates and runs a scenario with default limits.
pub fn run_text(text: &str) -> Result<RunResult, ScenarioError> {
    let scenario = parse(text, Format::sniff(text))?;
    Ok(simulate(&scenario, Limits::default()))
}
