//! Reusable pieces of pages. Components render; they do not simulate.
//! Only the widget, the editor and the knob picker are public, for the
//! browser tests.

mod chart;
mod editor;
mod flow;
mod knob_set;
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
pub use editor::{Editor, EditorProps};
pub(crate) use flow::Flow;
pub use knob_set::{KnobSet, KnobSetProps};
pub(crate) use knobs::Knobs;
pub(crate) use notice::Notice;
pub(crate) use playback::Playback;
pub(crate) use share::SharePanel;
pub(crate) use stats::Stats;
pub(crate) use sweep_curves::SweepCurvesView;
pub(crate) use sweep_map::SweepMapView;
pub use widget::{WidgetProps, WidgetView};
