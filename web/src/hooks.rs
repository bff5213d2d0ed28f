//! State logic of components, testable without rendering: a widget's state,
//! actions and URL sync (`widget_model`, pure) and the hook that holds
//! them for a component (`use_widget`), and a sweep map's cells as its
//! workers send them (`use_sweep_map`).

mod use_sweep_map;
mod use_widget;
pub(crate) mod widget_model;

pub(crate) use use_sweep_map::use_sweep_map;
pub(crate) use use_widget::use_widget;
