//! The throughput chart: completions per second against arrivals per
//! second. When completions fall below arrivals, queues are growing.
//!
//! Arrivals are a shaded area (one in compare mode when both sides saw the
//! same traffic): where a completions line runs along its top edge the
//! system keeps up, where it runs below, work is piling up. Completions are
//! thick lines in the side's colour and pattern; rejected plus failed
//! requests appear as a thinner "dropped" line only when there were any.

use std::fmt::Write;

use plotters::prelude::*;

use super::{Canvas, Chart};
use crate::csv;
use crate::frame::{self, builder, points};
use crate::legend::{LegendEntry, Swatch};
use crate::marks::path;
use crate::style::{Dash, LineLook, Look};
use crate::{ChartData, ChartError, Run, format};

const TITLES: [&str; 2] = [
    "Throughput: completed vs arriving requests",
    "Completed vs arriving requests",
];
const Y_CAPTION: &str = "Requests per second";
const X_CAPTION: &str = "Simulated time (s)";

/// The throughput chart, as the registry knows it.
pub(crate) const CHART: Chart = Chart {
    name: "throughput",
    draw,
    csv: csv_of,
    summary,
};

/// One line to draw: its legend label, look and values.
struct Line<'a> {
    label: String,
    look: LineLook,
    run: &'a Run<'a>,
    values: Vec<f64>,
    arrivals: bool,
}

fn lines<'a>(data: &'a ChartData, look: &Look) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let same_traffic = data
        .b
        .is_none_or(|b| b.result.series.arrivals_rps == data.a.result.series.arrivals_rps);
    for (i, run) in data.runs().enumerate() {
        let s = &run.result.series;
        if i == 0 || !same_traffic {
            let label = if same_traffic {
                "Arrivals".to_string()
            } else {
                data.labelled(run, "Arrivals")
            };
            let outline = look.offered_outline(i);
            let l = outline.unwrap_or(LineLook {
                color: look.area_color(),
                width: 1.0,
                dash: Look::side_dash(i),
            });
            out.push(Line {
                label,
                look: l,
                run,
                values: s.arrivals_rps.clone(),
                arrivals: outline.is_none(),
            });
        }
    }
    for (i, run) in data.runs().enumerate() {
        let s = &run.result.series;
        let color = look.side_color(i);
        let l = LineLook {
            color: color.mix(1.0),
            width: 2.5,
            dash: Look::side_dash(i),
        };
        out.push(Line {
            label: data.labelled(run, "Completed"),
            look: l,
            run,
            values: s.throughput_rps.clone(),
            arrivals: false,
        });
        let dropped: Vec<f64> = s
            .rejected_rps
            .iter()
            .zip(&s.failed_rps)
            .map(|(r, f)| r + f)
            .collect();
        if dropped.iter().any(|d| *d > 0.0) {
            let dash = if i == 0 { Dash::Dotted } else { Dash::Long };
            let l = LineLook {
                color: color.mix(0.8),
                width: 1.5,
                dash,
            };
            out.push(Line {
                label: data.labelled(run, "Dropped"),
                look: l,
                run,
                values: dropped,
                arrivals: false,
            });
        }
    }
    out
}

fn draw(root: &Canvas<'_>, data: &ChartData, look: &Look) -> Result<(), ChartError> {
    let lines = lines(data, look);
    let entries: Vec<LegendEntry> = lines
        .iter()
        .map(|l| LegendEntry {
            label: l.label.clone(),
            swatch: if l.arrivals {
                Swatch::Area(l.look.color)
            } else {
                Swatch::Line(l.look)
            },
        })
        .collect();
    let area = frame::frame(root, look, &TITLES, &entries)?;
    let s = &data.a.result.series;
    // Plot width is about the chart width less the y labels.
    let k = frame::buckets_per_point(
        look,
        root.dim_in_pixel().0.saturating_sub(look.upx(60.0)),
        s.t_s.len(),
    );
    let area = frame::caption(
        &area,
        look,
        &frame::averaged_caption(Y_CAPTION, k, s.bucket_s),
    )?;
    if s.t_s.is_empty() {
        return frame::no_data(&area, look, "No time series in this run");
    }
    let top = lines
        .iter()
        .flat_map(|l| l.values.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let top = if top > 0.0 { top * 1.08 } else { 1.0 };
    let y_label_px = frame::label_width(&area, look, [format::num(top), format::num(top / 3.0)])?;
    let mut chart = builder(&area, look, y_label_px, true)
        .build_cartesian_2d(frame::time_range(data), 0.0..top)?;
    let (w, h) = chart.plotting_area().dim_in_pixel();
    let counts = (
        frame::x_label_count(look, w),
        (f64::from(h) / look.scale / 30.0).clamp(2.0, 8.0) as usize,
    );
    frame::mesh(
        &mut chart,
        look,
        X_CAPTION,
        counts,
        &|t| format::num(*t),
        &|v| format::num(*v),
    )?;
    for line in &lines {
        let s = &line.run.result.series;
        let pts = points(&s.t_s, s.bucket_s, &line.values, k);
        if line.arrivals {
            let (Some(first), Some(last)) = (pts.first(), pts.last()) else {
                continue;
            };
            let outline: Vec<(f64, f64)> = std::iter::once((first.0, 0.0))
                .chain(pts.iter().copied())
                .chain([(last.0, 0.0)])
                .collect();
            chart
                .plotting_area()
                .draw(&Polygon::new(outline, line.look.color.filled()))?;
        } else {
            path(chart.plotting_area(), pts, &line.look, look)?;
        }
    }
    frame::cursor(&chart, look)
}

fn csv_of(data: &ChartData) -> String {
    let suffixes = data.column_suffixes();
    let columns: Vec<_> = data
        .runs()
        .zip(&suffixes)
        .flat_map(|(run, sfx)| csv::rate_columns(&run.result.series, sfx))
        .collect();
    csv::per_bucket(data.bucket_starts(), &columns)
}

fn summary(data: &ChartData) -> String {
    let a = &data.a.result.summary;
    let arrivals = if a.duration_s > 0.0 {
        a.arrivals as f64 / a.duration_s
    } else {
        0.0
    };
    let mut out = format!(
        "Requests arrive at {} per second on average.",
        format::amount(arrivals)
    );
    for run in data.runs() {
        let s = &run.result.summary;
        let who = if data.is_compare() {
            run.label.to_string()
        } else {
            "The system".to_string()
        };
        let share = if s.arrivals > 0 {
            s.completed as f64 / s.arrivals as f64
        } else {
            0.0
        };
        let _ = write!(
            out,
            " {who} completes {} per second ({} of arrivals), drops {} requests and leaves {} in flight at the end.",
            format::amount(s.throughput_rps),
            format::pct(share),
            format::count(s.rejected + s.failed),
            format::count(s.in_flight),
        );
    }
    out
}
