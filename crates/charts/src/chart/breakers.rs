//! The breakers chart: every circuit breaker's state over time, one row per
//! breaker (per storage node in the 2015 model), open stretches filled and
//! half-open ones hatched, so a reader sees the breakers trip together,
//! probe, and close. In compare mode each side gets its own panel on the
//! same time scale. While the widget plays, states are drawn up to the
//! cursor.

use std::fmt::Write;

use brownout_sim::BreakerState;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Canvas, Chart};
use crate::frame::{self, builder};
use crate::legend::{LegendEntry, Swatch};
use crate::style::Look;
use crate::{ChartData, ChartError, Run, format};

const TITLE: &str = "Circuit breakers: open and half-open, one row per breaker";
const SHORT_TITLE: &str = "Breakers open and half-open";
const X_CAPTION: &str = "Simulated time (s)";

/// The breakers chart, as the registry knows it.
pub(crate) const CHART: Chart = Chart {
    name: "breakers",
    draw,
    csv: csv_of,
    summary,
};

fn draw(root: &Canvas<'_>, data: &ChartData, look: &Look) -> Result<(), ChartError> {
    let open = look.side_color(1);
    let entries = vec![
        LegendEntry {
            label: "Open (calls fail fast)".into(),
            swatch: Swatch::Bar {
                color: open,
                filled: true,
            },
        },
        LegendEntry {
            label: "Half-open (trial calls)".into(),
            swatch: Swatch::Bar {
                color: look.side_color(0),
                filled: false,
            },
        },
    ];
    let area = frame::frame(root, look, &[TITLE, SHORT_TITLE], &entries)?;
    let rows = data
        .runs()
        .filter_map(|r| r.result.breakers.as_ref().map(|b| b.rows.len()))
        .max()
        .unwrap_or(0);
    if rows == 0 {
        return frame::no_data(&area, look, "No circuit breakers in this run");
    }
    let end = frame::time_range(data).end;
    let area = frame::caption(&area, look, "Breaker")?;
    let stacked = frame::stacked(&area, data, look);
    for (i, (panel, run)) in frame::panels(area, data, look, stacked)?.iter().enumerate() {
        let x_caption = if stacked && i == 0 { "" } else { X_CAPTION };
        draw_panel(panel, run, (end, rows), x_caption, look)?;
    }
    Ok(())
}

/// The stretches of one row: `(from, to, state)` for every open or
/// half-open stay, up to `until`.
fn stretches(row: &[(f64, BreakerState)], end: f64, until: f64) -> Vec<(f64, f64, BreakerState)> {
    let mut out = Vec::new();
    for (k, &(t, state)) in row.iter().enumerate() {
        if state == BreakerState::Closed || t >= until {
            continue;
        }
        let to = row.get(k + 1).map_or(end, |n| n.0).min(until);
        if to > t {
            out.push((t, to, state));
        }
    }
    out
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    run: &Run,
    (end, rows): (f64, usize),
    x_caption: &str,
    look: &Look,
) -> Result<(), ChartError> {
    let top = rows as f64;
    let y_label_px = frame::label_width(area, look, [format::num(top)])?;
    let mut chart = builder(area, look, y_label_px, !x_caption.is_empty())
        .build_cartesian_2d(0.0..end, 0.0..top)?;
    // Whole rows only: no more y labels than rows.
    let (x_labels, y_labels) = frame::label_counts(&chart, look, 6.0);
    frame::mesh(
        &mut chart,
        look,
        x_caption,
        (x_labels, y_labels.min(rows + 1)),
        &|t| format::num(*t),
        &|v| format::num(v.round()),
    )?;
    let Some(b) = &run.result.breakers else {
        return Ok(());
    };
    let until = look.cursor_s.unwrap_or(f64::INFINITY);
    let open = look.side_color(1).filled();
    let half = look.side_color(0).mix(0.9).stroke_width(1);
    let plot = chart.plotting_area();
    for (i, row) in b.rows.iter().enumerate() {
        let (y0, y1) = (i as f64 + 0.1, i as f64 + 0.9);
        for (from, to, state) in stretches(row, end, until) {
            let style = if state == BreakerState::Open {
                open
            } else {
                half
            };
            plot.draw(&Rectangle::new([(from, y0), (to, y1)], style))?;
        }
    }
    frame::cursor(&chart, look)
}

/// One row per bucket: breakers closed, open and half-open at its end (a
/// column per side in compare mode).
fn csv_of(data: &ChartData) -> String {
    let mut out = "t_s".to_string();
    for sfx in data.column_suffixes() {
        let _ = write!(out, ",closed{sfx},open{sfx},half_open{sfx}");
    }
    out.push('\n');
    for (k, t) in data.bucket_starts().iter().enumerate() {
        let _ = write!(out, "{t}");
        for run in data.runs() {
            let s = &run.result.series;
            for v in [&s.breakers_closed, &s.breakers_open, &s.breakers_half_open] {
                match v.get(k) {
                    Some(x) => {
                        let _ = write!(out, ",{x}");
                    }
                    None => out.push(','),
                }
            }
        }
        out.push('\n');
    }
    out
}

fn summary(data: &ChartData) -> String {
    let mut parts = Vec::new();
    for run in data.runs() {
        let who = if data.is_compare() {
            format!("{}: ", run.label)
        } else {
            String::new()
        };
        let s = &run.result.summary;
        let Some(b) = &s.breaker else {
            parts.push(format!("{who}no circuit breakers."));
            continue;
        };
        let most = run
            .result
            .series
            .breakers_open
            .iter()
            .copied()
            .fold(0.0, f64::max);
        let noun = if b.breakers == 1 {
            "breaker"
        } else {
            "breakers"
        };
        parts.push(format!(
            "{who}{} {noun} opened {} times, at most {} open at once; {} calls short-circuited.",
            format::count(b.breakers),
            format::count(b.opened),
            format::count(most as u64),
            format::count(b.short_circuited),
        ));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_cut_into_its_open_and_half_open_stretches_up_to_the_cursor() {
        let row = [
            (10.0, BreakerState::Open),
            (40.0, BreakerState::HalfOpen),
            (41.0, BreakerState::Closed),
            (90.0, BreakerState::Open),
        ];
        assert_eq!(
            stretches(&row, 100.0, f64::INFINITY),
            vec![
                (10.0, 40.0, BreakerState::Open),
                (40.0, 41.0, BreakerState::HalfOpen),
                (90.0, 100.0, BreakerState::Open),
            ]
        );
        assert_eq!(
            stretches(&row, 100.0, 20.0),
            vec![(10.0, 20.0, BreakerState::Open)]
        );
    }
}
