//! The retries chart: timeouts, retries and attempts rejected by the
//! client's own throttle, per second. A storm shows as timeouts and retries
//! that stay up after the trigger is gone.

use std::fmt::Write;

use super::rates::{self, Rate, RatesSpec};
use super::{Canvas, Chart};
use crate::style::{Dash, Look};
use crate::{ChartData, ChartError, format};

/// The retries chart, as the registry knows it.
pub(crate) const CHART: Chart = Chart {
    name: "retries",
    draw,
    csv: |d| rates::csv(d, &SPEC),
    summary,
};

const SPEC: RatesSpec = RatesSpec {
    titles: [
        "Timeouts, retries and throttled attempts",
        "Timeouts and retries",
    ],
    y_caption: "Per second",
    rates: &[
        Rate {
            label: "Timeouts",
            column: "timeouts_rps",
            values: |s| s.timeouts_rps.clone(),
            area: false,
            dash: Dash::Solid,
            width: 2.5,
        },
        Rate {
            label: "Retries",
            column: "retries_rps",
            values: |s| s.retries_rps.clone(),
            area: false,
            dash: Dash::Dotted,
            width: 1.5,
        },
        Rate {
            label: "Throttled",
            column: "throttled_rps",
            values: |s| s.throttled_rps.clone(),
            area: false,
            dash: Dash::Long,
            width: 1.0,
        },
    ],
    min_top: 1.0,
    hide_zero: true,
};

fn draw(root: &Canvas<'_>, data: &ChartData, look: &Look) -> Result<(), ChartError> {
    rates::draw(root, data, look, &SPEC)
}

fn summary(data: &ChartData) -> String {
    let mut out = String::new();
    for run in data.runs() {
        let s = &run.result.summary;
        let who = rates::who(data, run, "The clients");
        let _ = write!(
            out,
            "{who}: {} attempts timed out, {} retries were sent and {} attempts were rejected by the throttle. ",
            format::count(s.timeouts),
            format::count(s.retries),
            format::count(s.throttled),
        );
    }
    out.trim_end().to_string()
}
