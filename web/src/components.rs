//! Reusable pieces of pages. Components render; they do not simulate.

mod chart;
mod flow;
mod knobs;
mod notice;
mod playback;
mod player;
mod share;
mod stats;
mod widget;

pub use chart::ChartView;
pub use flow::Flow;
pub use knobs::Knobs;
pub use notice::Notice;
pub use playback::Playback;
pub use player::Player;
pub use share::SharePanel;
pub use stats::Stats;
pub use widget::{WidgetProps, WidgetView};
