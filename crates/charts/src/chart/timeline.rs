//! The timeline chart of clients contending for one record: every write a
//! mark, one row per client, over time. Without jitter the conflicts line
//! up in columns (the herd retrying in step); with jitter they scatter. In
//! compare mode each side gets its own panel on the same time scale. While
//! the widget plays, only the writes up to the cursor are drawn.

use std::fmt::Write;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Canvas, Chart};
use crate::frame::{self, builder};
use crate::legend::{LegendEntry, Swatch};
use crate::style::Look;
use crate::{ChartData, ChartError, Run, format};

const TITLE: &str = "Every write, one row per client";
const X_CAPTION: &str = "Simulated time (s)";

/// The timeline chart, as the registry knows it.
pub(crate) const CHART: Chart = Chart {
    name: "timeline",
    draw,
    csv: csv_of,
    summary,
};

fn draw(root: &Canvas<'_>, data: &ChartData, look: &Look) -> Result<(), ChartError> {
    let entries = vec![
        LegendEntry {
            label: "Conflict (retried)".into(),
            swatch: Swatch::Bar {
                color: look.side_color(0),
                filled: false,
            },
        },
        LegendEntry {
            label: "Success".into(),
            swatch: Swatch::Bar {
                color: look.palette.text,
                filled: true,
            },
        },
    ];
    let area = frame::frame(root, look, &[TITLE], &entries)?;
    let timelines: Vec<_> = data
        .runs()
        .filter_map(|r| r.result.timeline.as_ref())
        .collect();
    if timelines.is_empty() {
        return frame::no_data(&area, look, "No contending clients in this run");
    }
    let end = timelines
        .iter()
        .flat_map(|t| t.t_s.last().copied())
        .fold(0.0, f64::max);
    let end = if end > 0.0 { end * 1.03 } else { 1.0 };
    let rows = timelines
        .iter()
        .map(|t| t.clients)
        .max()
        .unwrap_or(1)
        .max(1);
    let area = frame::caption(&area, look, "Client")?;
    let stacked = frame::stacked(&area, data, look);
    for (i, (panel, run)) in frame::panels(area, data, look, stacked)?.iter().enumerate() {
        let x_caption = if stacked && i == 0 { "" } else { X_CAPTION };
        draw_panel(panel, run, (end, rows), x_caption, look)?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    run: &Run,
    (end, rows): (f64, u32),
    x_caption: &str,
    look: &Look,
) -> Result<(), ChartError> {
    let top = f64::from(rows);
    let y_label_px = frame::label_width(area, look, [format::num(top)])?;
    let mut chart = builder(area, look, y_label_px, !x_caption.is_empty())
        .build_cartesian_2d(0.0..end, 0.0..top)?;
    let counts = frame::label_counts(&chart, look, 6.0);
    frame::mesh(
        &mut chart,
        look,
        x_caption,
        counts,
        &|t| format::num(*t),
        &|v| format::num(v.floor()),
    )?;
    let Some(t) = &run.result.timeline else {
        return Ok(());
    };
    let until = look.cursor_s.unwrap_or(f64::INFINITY);
    // Marks shrink with the number of rows so a row stays readable.
    let (_, h) = chart.plotting_area().dim_in_pixel();
    let size = (f64::from(h) / top / 2.2).clamp(1.0, 4.0 * look.scale);
    let conflict = look.side_color(0).mix(0.55);
    let success = look.palette.text.filled();
    let shown = t.t_s.iter().take_while(|&&x| x <= until).count();
    let marks = (0..shown).map(|k| (t.t_s[k], f64::from(t.client[k]) + 0.5, t.ok[k]));
    for (x, y, ok) in marks {
        let style = if ok {
            success
        } else {
            conflict.stroke_width(1)
        };
        let r = if ok { size * 1.3 } else { size };
        chart
            .plotting_area()
            .draw(&Circle::new((x, y), r.round().max(1.0) as i32, style))?;
    }
    frame::cursor(&chart, look)
}

/// One row per write: side (in compare mode), client, time, success.
fn csv_of(data: &ChartData) -> String {
    let mut out = String::new();
    let sides = data.is_compare();
    out.push_str(if sides {
        "side,client,t_s,ok\n"
    } else {
        "client,t_s,ok\n"
    });
    for run in data.runs() {
        let Some(t) = &run.result.timeline else {
            continue;
        };
        for k in 0..t.t_s.len() {
            if sides {
                let _ = write!(out, "{},", quoted(run.label));
            }
            let _ = writeln!(out, "{},{},{}", t.client[k], t.t_s[k], t.ok[k]);
        }
    }
    out
}

/// A CSV field: quoted (quotes doubled) when it holds a comma or a quote.
fn quoted(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn summary(data: &ChartData) -> String {
    let mut parts = Vec::new();
    for run in data.runs() {
        let s = &run.result.summary;
        let who = if data.is_compare() {
            format!("{}: ", run.label)
        } else {
            String::new()
        };
        let Some(c) = &s.contention else {
            parts.push(format!("{who}no contending clients."));
            continue;
        };
        let last = match c.makespan_ms {
            Some(ms) => format!("the last client succeeded after {}", format::ms(ms)),
            None => format!(
                "{} clients had not succeeded when the run ended",
                format::count(s.logical.in_flight)
            ),
        };
        parts.push(format!(
            "{who}{} clients made {} writes, {} of them conflicts; {last}.",
            format::count(c.clients),
            format::count(c.writes),
            format::count(c.conflicts),
        ));
    }
    parts.join(" ")
}
