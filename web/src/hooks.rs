//! State logic of components, testable without rendering: a widget's state,
//! actions and URL sync (`widget_model`, pure) and the hook that holds
//! them for a component (`use_widget`).

mod use_widget;
pub(crate) mod widget_model;

pub(crate) use use_widget::use_widget;
