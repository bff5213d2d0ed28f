//! State logic of components, testable without rendering: a widget's state,
//! actions and URL sync (`widget_model`, pure) and the hook that holds
//! them for a component (`use_widget`), the playground's (`playground_model`,
//! `use_playground`), and a sweep's cells (a map's or
//! curves') as its workers send them (`use_sweep`).

pub(crate) mod playground_model;
mod use_playground;
mod use_sweep;
mod use_visible;
mod use_widget;
pub(crate) mod widget_model;

pub(crate) use use_playground::{Ask, DEFAULT_PRESET, use_playground};
pub(crate) use use_sweep::use_sweep;
pub(crate) use use_visible::use_visible;
pub(crate) use use_widget::use_widget;
