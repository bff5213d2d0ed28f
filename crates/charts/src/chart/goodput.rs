//! The goodput chart: logical requests offered, those that succeeded, and
//! the attempts sent for them, per second. In a retry storm the attempts
//! line climbs far above the offered area while goodput falls to the floor.

use std::fmt::Write;

use super::rates::{self, Rate, RatesSpec};
use super::{Canvas, Chart};
use crate::style::{Dash, Look};
use crate::{ChartData, ChartError, format};

/// The goodput chart, as the registry knows it.
pub(crate) const CHART: Chart = Chart {
    name: "goodput",
    draw,
    csv: |d| rates::csv(d, &SPEC),
    summary,
};

const SPEC: RatesSpec = RatesSpec {
    titles: [
        "Goodput: offered requests, successes and attempts",
        "Offered, goodput, attempts",
    ],
    y_caption: "Per second",
    rates: &[
        Rate {
            label: "Offered",
            column: "offered_rps",
            values: |s| s.offered_rps.clone(),
            area: true,
            dash: Dash::Solid,
            width: 1.0,
        },
        Rate {
            label: "Goodput",
            column: "goodput_rps",
            values: |s| s.goodput_rps.clone(),
            area: false,
            dash: Dash::Solid,
            width: 2.5,
        },
        Rate {
            label: "Attempts sent",
            column: "attempts_rps",
            values: |s| s.attempts_rps.clone(),
            area: false,
            dash: Dash::Dotted,
            width: 1.5,
        },
    ],
    min_top: 0.0,
    hide_zero: false,
};

fn draw(root: &Canvas<'_>, data: &ChartData, look: &Look) -> Result<(), ChartError> {
    rates::draw(root, data, look, &SPEC)
}

fn summary(data: &ChartData) -> String {
    let mut out = String::new();
    for run in data.runs() {
        let s = &run.result.summary;
        let offered = if s.duration_s > 0.0 {
            s.logical.arrived as f64 / s.duration_s
        } else {
            0.0
        };
        let who = rates::who(data, run, "The system");
        let recovery = recovery_text(s.recovered_after_s, s.trigger_end_s);
        let _ = write!(
            out,
            "{who}: {} requests per second offered, {} succeeded per second, {} per request, {} within the SLO; {recovery}. ",
            format::amount(offered),
            format::amount(s.goodput_rps),
            format::noun(&format::amount(s.amplification), "attempt", "attempts"),
            format::pct(s.within_slo),
        );
    }
    out.trim_end().to_string()
}

/// What became of goodput: after the last trigger, or, in a run without
/// one, from the start (where 0 s means it always kept up).
fn recovery_text(recovered_after_s: Option<f64>, trigger_end_s: Option<f64>) -> String {
    match (recovered_after_s, trigger_end_s) {
        (Some(t), Some(_)) => format!(
            "it recovered {} s after the last trigger",
            format::amount(t)
        ),
        (None, Some(_)) => "it did not recover".to_string(),
        (Some(t), None) if t <= 0.0 => "it kept up with the offered load".to_string(),
        (Some(t), None) => format!(
            "it kept up with the offered load from {} s into the run",
            format::amount(t)
        ),
        (None, None) => "it never kept up with the offered load".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_is_told_from_the_trigger_or_from_the_start() {
        assert_eq!(
            recovery_text(Some(25.0), Some(60.0)),
            "it recovered 25 s after the last trigger"
        );
        assert_eq!(recovery_text(None, Some(60.0)), "it did not recover");
        assert_eq!(
            recovery_text(Some(0.0), None),
            "it kept up with the offered load"
        );
        assert_eq!(
            recovery_text(Some(6.0), None),
            "it kept up with the offered load from 6 s into the run"
        );
        assert_eq!(
            recovery_text(None, None),
            "it never kept up with the offered load"
        );
    }
}
