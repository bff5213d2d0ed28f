//! The queues chart: requests waiting at each server over time, one line per
//! server, coloured and patterned by server group, the legend naming the
//! groups. In compare mode each side gets its own panel (side by side, or
//! stacked on a narrow screen) on the same y scale, so a growing queue on
//! one side is not hidden in a tangle of 200 lines.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Canvas, Chart};
use crate::csv;
use crate::frame::{self, builder, points};
use crate::groups::{Group, group_of, groups};
use crate::legend::LegendEntry;
use crate::marks::path;
use crate::style::{Dash, LineLook, Look};
use crate::{ChartData, ChartError, Run, format};

const TITLE: &str = "Queue length per server";
const Y_CAPTION: &str = "Requests waiting";
const X_CAPTION: &str = "Simulated time (s)";

/// The queues chart, as the registry knows it.
pub(crate) const CHART: Chart = Chart {
    name: "queues",
    draw,
    csv: csv_of,
    summary,
};

fn line_look(look: &Look, group: usize, servers: usize) -> LineLook {
    let (width, alpha) = if servers > 30 { (1.0, 0.7) } else { (1.5, 0.9) };
    LineLook {
        color: look.group_color(group).mix(alpha),
        width,
        dash: Dash::of_group(group),
    }
}

fn draw(root: &Canvas<'_>, data: &ChartData, look: &Look) -> Result<(), ChartError> {
    let groups = groups(data);
    let entries: Vec<LegendEntry> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut l = line_look(look, i, 1);
            l.width = 2.0;
            LegendEntry::line(format!("{} ({})", g.name, g.count), l)
        })
        .collect();
    let area = frame::frame(root, look, &[TITLE], &entries)?;
    if data.a.result.series.t_s.is_empty() {
        return frame::no_data(&area, look, "No time series in this run");
    }
    let top = data
        .runs()
        .flat_map(|r| r.result.series.queue.iter().flatten().copied())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let top = if top > 0.0 { top * 1.08 } else { 1.0 };
    // Side by side unless the chart is narrow and tall enough for two
    // stacked plots.
    let (w, _) = area.dim_in_pixel();
    let stacked = frame::stacked(&area, data, look);
    let panel_width = if data.is_compare() && !stacked {
        w / 2
    } else {
        w
    };
    let s = &data.a.result.series;
    let k = frame::buckets_per_point(
        look,
        panel_width.saturating_sub(look.upx(60.0)),
        s.t_s.len(),
    );
    let area = frame::caption(
        &area,
        look,
        &frame::averaged_caption(Y_CAPTION, k, s.bucket_s),
    )?;
    for (i, (panel, run)) in frame::panels(area, data, look, stacked)?.iter().enumerate() {
        // Stacked panels share one time caption, under the lower one.
        let x_caption = if stacked && i == 0 { "" } else { X_CAPTION };
        draw_panel(panel, data, run, &groups, (top, k), x_caption, look)?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    run: &Run,
    groups: &[Group],
    (top, k): (f64, usize),
    x_caption: &str,
    look: &Look,
) -> Result<(), ChartError> {
    let y_label_px = frame::label_width(area, look, [format::num(top), format::num(top / 3.0)])?;
    let mut chart = builder(area, look, y_label_px, !x_caption.is_empty())
        .build_cartesian_2d(frame::time_range(data), 0.0..top)?;
    let counts = frame::label_counts(&chart, look, 8.0);
    frame::mesh(
        &mut chart,
        look,
        x_caption,
        counts,
        &|t| format::num(*t),
        &|v| format::num(*v),
    )?;
    let s = &run.result.series;
    let servers = &run.result.summary.servers;
    for (queue, server) in s.queue.iter().zip(servers) {
        let l = line_look(look, group_of(groups, server), servers.len());
        path(
            chart.plotting_area(),
            points(&s.t_s, s.bucket_s, queue, k),
            &l,
            look,
        )?;
    }
    frame::cursor(&chart, look)
}

fn csv_of(data: &ChartData) -> String {
    let suffixes = data.column_suffixes();
    let columns: Vec<_> = data
        .runs()
        .zip(&suffixes)
        .flat_map(|(run, sfx)| csv::queue_columns(run.result, sfx))
        .collect();
    csv::per_bucket(data.bucket_starts(), &columns)
}

fn summary(data: &ChartData) -> String {
    let groups = groups(data);
    let parts: Vec<String> = data
        .runs()
        .map(|run| describe(data, run, &groups))
        .collect();
    format::sentence(&parts.join(" "))
}

fn describe(data: &ChartData, run: &Run, groups: &[Group]) -> String {
    let prefix = if data.is_compare() {
        format!("{}: ", run.label)
    } else {
        String::new()
    };
    let servers = &run.result.summary.servers;
    let Some(worst) = servers.iter().max_by(|a, b| a.max_queue.cmp(&b.max_queue)) else {
        return format!("{prefix}no servers.");
    };
    let mut means = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let qs: Vec<f64> = servers
            .iter()
            .filter(|s| group_of(groups, s) == i)
            .map(|s| s.mean_queue)
            .collect();
        if !qs.is_empty() {
            means.push(format!(
                "{} {}",
                g.name,
                format::amount(qs.iter().sum::<f64>() / qs.len() as f64)
            ));
        }
    }
    format!(
        "{prefix}the longest queue is at {} {} with up to {} requests waiting (mean {}). Mean queue by group: {}.",
        worst.name,
        worst.index,
        format::count(worst.max_queue),
        format::amount(worst.mean_queue),
        means.join(", "),
    )
}
