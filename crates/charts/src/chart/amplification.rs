//! The amplification chart: attempts sent per logical request, per time
//! bucket. 1× is no retry at all; a storm sits near retries + 1.

use std::fmt::Write;

use super::rates::{self, Rate, RatesSpec};
use super::{Canvas, Chart};
use crate::style::{Dash, Look};
use crate::{ChartData, ChartError, format};
use brownout_sim::Series;

/// The amplification chart, as the registry knows it.
pub(crate) const CHART: Chart = Chart {
    name: "amplification",
    draw,
    csv: |d| rates::csv(d, &SPEC),
    summary,
};

/// Attempts per offered request in each bucket (0 where nothing was offered).
fn per_bucket(s: &Series) -> Vec<f64> {
    s.amplification.iter().map(|a| a.unwrap_or(0.0)).collect()
}

const SPEC: RatesSpec = RatesSpec {
    titles: [
        "Amplification: attempts per request",
        "Attempts per request",
    ],
    y_caption: "Attempts per request (×)",
    rates: &[Rate {
        label: "Attempts per request",
        column: "amplification",
        values: per_bucket,
        area: false,
        dash: Dash::Solid,
        width: 2.5,
    }],
    min_top: 1.0,
    hide_zero: false,
};

fn draw(root: &Canvas<'_>, data: &ChartData, look: &Look) -> Result<(), ChartError> {
    rates::draw(root, data, look, &SPEC)
}

fn summary(data: &ChartData) -> String {
    let mut out = String::new();
    for run in data.runs() {
        let s = &run.result.summary;
        let who = rates::who(data, run, "The clients");
        let bottom = s.services.last().map_or(0, |x| x.arrivals);
        let _ = write!(
            out,
            "{who} sent {} per request on average; the last service received {} for {}. ",
            format::noun(&format::amount(s.amplification), "attempt", "attempts"),
            format::noun(&format::count(bottom), "attempt", "attempts"),
            format::noun(&format::count(s.logical.arrived), "request", "requests"),
        );
    }
    out.trim_end().to_string()
}
