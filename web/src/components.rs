//! Reusable pieces of pages. Components render; they do not simulate.
//! Only the widget is public, for the browser tests.

mod chart;
mod flow;
mod knobs;
mod notice;
mod playback;
mod player;
mod share;
mod stats;
mod sweep_curves;
mod sweep_map;
mod widget;

pub(crate) use chart::ChartView;
pub(crate) use flow::Flow;
pub(crate) use knobs::Knobs;
pub(crate) use notice::Notice;
pub(crate) use playback::Playback;
pub(crate) use share::SharePanel;
pub(crate) use stats::Stats;
pub(crate) use sweep_curves::SweepCurvesView;
pub(crate) use sweep_map::SweepMapView;
pub use widget::{WidgetProps, WidgetView};
