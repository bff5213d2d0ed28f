//! A chart of per-second rates over time, shared by the charts of logical
//! requests (goodput, retries, amplification): an optional shaded area
//! (what was offered) and lines, each a series of the run, per side in
//! compare mode.

use plotters::prelude::*;

use super::Canvas;
use crate::csv::{Column, Values};
use crate::frame::{self, builder, points};
use crate::legend::{LegendEntry, Swatch};
use crate::marks::path;
use crate::style::{Dash, LineLook, Look};
use crate::{ChartData, ChartError, format};
use brownout_sim::Series;

/// One series of a rates chart.
pub(super) struct Rate {
    /// Legend label and CSV column name.
    pub(super) label: &'static str,
    pub(super) column: &'static str,
    /// The values per bucket.
    pub(super) values: fn(&Series) -> Vec<f64>,
    /// Drawn as the shaded reference area instead of a line.
    pub(super) area: bool,
    /// Line pattern for side A (side B uses the long dash).
    pub(super) dash: Dash,
    /// Line width in CSS pixels.
    pub(super) width: f64,
}

/// What a rates chart shows.
pub(super) struct RatesSpec {
    /// The full title, then a short one for narrow charts.
    pub(super) titles: [&'static str; 2],
    pub(super) y_caption: &'static str,
    pub(super) rates: &'static [Rate],
    /// A fixed lower top of the y axis (amplification starts at 1×).
    pub(super) min_top: f64,
    /// Leave out a line at zero on every side when another line has
    /// something to show (where zero is the quiet case, not the news).
    pub(super) hide_zero: bool,
}

pub(super) fn draw(
    root: &Canvas<'_>,
    data: &ChartData,
    look: &Look,
    spec: &RatesSpec,
) -> Result<(), ChartError> {
    struct Drawn<'a> {
        label: String,
        look: LineLook,
        area: bool,
        series: &'a Series,
        values: Vec<f64>,
    }
    // Every rate of every side, computed once per redraw.
    let mut values: Vec<Vec<Vec<f64>>> = data
        .runs()
        .map(|run| {
            spec.rates
                .iter()
                .map(|r| (r.values)(&run.result.series))
                .collect()
        })
        .collect();
    // One shaded area when both sides were offered the same traffic.
    let shared: Vec<bool> = (0..spec.rates.len())
        .map(|k| values.iter().all(|side| side[k] == values[0][k]))
        .collect();
    // With `hide_zero`, a line at zero on every side is left out (its
    // legend entry too) when another has something to show: drawn, it
    // covered the axis and the other lines' starts ("0 attempts timed out"
    // stays in the summary).
    let nonzero: Vec<bool> = (0..spec.rates.len())
        .map(|k| values.iter().any(|side| side[k].iter().any(|v| *v != 0.0)))
        .collect();
    let any_line = spec.hide_zero && spec.rates.iter().zip(&nonzero).any(|(r, &n)| !r.area && n);
    let mut drawn = Vec::new();
    for ((i, run), side) in data.runs().enumerate().zip(&mut values) {
        for (k, r) in spec.rates.iter().enumerate() {
            if any_line && !r.area && !nonzero[k] {
                continue;
            }
            let one_area = r.area && shared[k];
            if one_area && i > 0 {
                continue;
            }
            let color = if r.area {
                look.area_color()
            } else {
                look.side_color(i).mix(1.0)
            };
            let dash = if i == 0 { r.dash } else { Dash::Long };
            let outline = r.area.then(|| look.offered_outline(i)).flatten();
            drawn.push(Drawn {
                label: if one_area {
                    r.label.to_string()
                } else {
                    data.labelled(run, r.label)
                },
                look: outline.unwrap_or(LineLook {
                    color,
                    width: r.width,
                    dash,
                }),
                area: r.area && outline.is_none(),
                series: &run.result.series,
                values: std::mem::take(&mut side[k]),
            });
        }
    }
    let entries: Vec<LegendEntry> = drawn
        .iter()
        .map(|d| LegendEntry {
            label: d.label.clone(),
            swatch: if d.area {
                Swatch::Area(d.look.color)
            } else {
                Swatch::Line(d.look)
            },
        })
        .collect();
    let area = frame::frame(root, look, &spec.titles, &entries)?;
    let s = &data.a.result.series;
    let k = frame::buckets_per_point(
        look,
        root.dim_in_pixel().0.saturating_sub(look.upx(60.0)),
        s.t_s.len(),
    );
    let area = frame::caption(
        &area,
        look,
        &frame::averaged_caption(spec.y_caption, k, s.bucket_s),
    )?;
    if s.t_s.is_empty() {
        return frame::no_data(&area, look, "No time series in this run");
    }
    let top = drawn
        .iter()
        .flat_map(|d| d.values.iter().copied())
        .filter(|v| v.is_finite())
        .fold(spec.min_top, f64::max);
    let top = if top > 0.0 { top * 1.08 } else { 1.0 };
    let y_label_px = frame::label_width(&area, look, [format::num(top), format::num(top / 3.0)])?;
    let mut chart = builder(&area, look, y_label_px, true)
        .build_cartesian_2d(frame::time_range(data), 0.0..top)?;
    let counts = frame::label_counts(&chart, look, 8.0);
    frame::mesh(
        &mut chart,
        look,
        "Simulated time (s)",
        counts,
        &|t| format::num(*t),
        &|v| format::num(*v),
    )?;
    for d in &drawn {
        let pts = points(&d.series.t_s, d.series.bucket_s, &d.values, k);
        if d.area {
            let (Some(first), Some(last)) = (pts.first(), pts.last()) else {
                continue;
            };
            let outline: Vec<(f64, f64)> = std::iter::once((first.0, 0.0))
                .chain(pts.iter().copied())
                .chain([(last.0, 0.0)])
                .collect();
            chart
                .plotting_area()
                .draw(&Polygon::new(outline, d.look.color.filled()))?;
        } else {
            path(chart.plotting_area(), pts, &d.look, look)?;
        }
    }
    frame::cursor(&chart, look)
}

/// The chart's series as CSV, one column per rate and side.
pub(super) fn csv(data: &ChartData, spec: &RatesSpec) -> String {
    let suffixes = data.column_suffixes();
    let owned: Vec<(String, Vec<f64>)> = data
        .runs()
        .zip(&suffixes)
        .flat_map(|(run, sfx)| {
            spec.rates
                .iter()
                .map(move |r| (format!("{}{sfx}", r.column), (r.values)(&run.result.series)))
        })
        .collect();
    let columns: Vec<Column> = owned
        .iter()
        .map(|(name, v)| Column {
            name: name.clone(),
            values: Values::Numbers(v),
        })
        .collect();
    crate::csv::per_bucket(data.bucket_starts(), &columns)
}

/// Who a sentence of a chart's text summary is about: the side's label in
/// compare mode, else `single` ("The system", "The clients").
pub(super) fn who(data: &ChartData, run: &crate::Run, single: &str) -> String {
    if data.is_compare() {
        run.label.to_string()
    } else {
        single.to_string()
    }
}
