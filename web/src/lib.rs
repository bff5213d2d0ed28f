//! Brownout's site: a Yew app of articles with live simulations.
//!
//! ```text
//!  hash URL ──> route ──> pages (home, article, embed)
//!  article Markdown ──> markdown.rs ──> Yew nodes, widget blocks ──> components::widget
//!  widget state ──> runs.rs (the engine, within a budget) ──> charts, flow, stats
//! ```
//! Components render; the engine and all logic that can be tested natively
//! live in brownout-sim, brownout-content and the pure modules here
//! (`route`, `params`, `links`, `hooks::widget_model`, `runs`, `markdown`);
//! `hooks::use_widget` holds a widget's state for its component.

mod browser;
pub mod components;
mod hooks;
mod links;
mod markdown;
mod pages;
mod panic;
mod params;
mod route;
mod runs;
mod sweep;
mod tools;

mod app;

pub use app::App;

/// Starts a sweep map's worker (the `brownout-sweep` binary).
#[cfg(target_arch = "wasm32")]
pub fn start_sweep_worker() {
    panic::install();
    sweep::worker_main();
}

/// Starts the playground's worker (the `brownout-tools` binary).
#[cfg(target_arch = "wasm32")]
pub fn start_tools_worker() {
    panic::install();
    tools::worker_main();
}

/// Starts the app in the page's body.
pub fn start() {
    panic::install();
    yew::Renderer::<App>::new().render();
}
