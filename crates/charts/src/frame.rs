//! What every chart shares: background, title, legend, axis caption, a
//! styled mesh, the cursor line, and series with gaps where buckets are empty.
//!
//! ```text
//!  ┌────────────────────────────────────────┐
//!  │ Title                                  │
//!  │ ── p99   ── p50   - - p99 (B) ...      │  legend, wraps
//!  │ Latency (log scale)                    │  y caption, with unit
//!  │  10 s ┤        ╱‾‾                      │
//!  │ 100 ms┤ ──────╯     ┆ cursor           │  plot
//!  │       └────────────────────            │
//!  │          Simulated time (s)            │  x caption, with unit
//!  └────────────────────────────────────────┘
//! ```

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::legend::{self, LegendEntry};
use crate::marks::path;
use crate::style::{LineLook, Look};
use crate::{ChartData, ChartError, format};

/// Outer padding, title height, caption height (CSS px).
const PAD: f64 = 10.0;
const TITLE: f64 = 22.0;
const CAPTION: f64 = 20.0;
/// Height of the x axis: tick labels and caption (CSS px).
const X_AXIS: f64 = 40.0;

/// Fills the background and draws the title and legend; returns the area
/// left for the plot. `titles` go from longest to shortest: the first that
/// fits the width is used (on a narrow chart, the last).
pub(crate) fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    look: &Look,
    titles: &[&str],
    entries: &[LegendEntry],
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    root.fill(&look.palette.background)?;
    let (w, _) = root.dim_in_pixel();
    let pad = look.px(PAD);
    let width = i32::try_from(w).unwrap_or(i32::MAX) - 2 * pad;
    let font = look.title_font();
    let mut title = titles.last().copied().unwrap_or_default();
    // A phone gets the shortest title outright: a canvas measures text
    // before web fonts settle and can let a longer one overflow.
    let titles = if look.narrow() {
        &titles[titles.len().saturating_sub(1)..]
    } else {
        titles
    };
    for t in titles {
        if i64::from(root.estimate_text_size(t, &font)?.0) <= i64::from(width) {
            title = t;
            break;
        }
    }
    root.draw_text(title, &font, (pad, pad))?;
    let top = pad + look.px(TITLE);
    let (at, height) = legend::layout(root, entries, look, (pad, top), width)?;
    legend::draw(root, entries, &at, look)?;
    let used = top + height + look.px(4.0);
    Ok(root.split_vertically(used).1)
}

/// Draws the y axis caption (with its unit) at the top left of `area`;
/// returns the area below it.
pub(crate) fn caption<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    look: &Look,
    text: &str,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    area.draw_text(text, &look.tick_font(), (look.px(PAD), look.px(2.0)))?;
    Ok(area.split_vertically(look.px(CAPTION)).1)
}

/// Names a compare panel (the run's label) at the top left of `area`;
/// returns the area below it.
pub(crate) fn panel_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    look: &Look,
    label: &str,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    area.draw_text(label, &look.label_font(), (look.px(PAD), look.px(2.0)))?;
    Ok(area.split_vertically(look.px(CAPTION)).1)
}

/// Whether compare mode's two panels are stacked: on a narrow chart tall
/// enough for two plots one above the other (else side by side).
pub(crate) fn stacked<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    look: &Look,
) -> bool {
    let (_, h) = area.dim_in_pixel();
    data.is_compare() && look.narrow() && f64::from(h) / look.scale >= 320.0
}

/// A plot area and the run it shows.
pub(crate) type Panel<'a, DB> = (DrawingArea<DB, Shift>, &'a crate::Run<'a>);

/// The plot areas: the whole area, or one per side in compare mode, each
/// labelled with its side (side by side, or stacked).
pub(crate) fn panels<'a, DB: DrawingBackend>(
    area: DrawingArea<DB, Shift>,
    data: &'a ChartData,
    look: &Look,
    stacked: bool,
) -> Result<Vec<Panel<'a, DB>>, ChartError> {
    let parts = match (data.is_compare(), stacked) {
        (false, _) => vec![area],
        (true, false) => area.split_evenly((1, 2)),
        (true, true) => area.split_evenly((2, 1)),
    };
    parts
        .into_iter()
        .zip(data.runs())
        .map(|(panel, run)| {
            let panel = if data.is_compare() {
                panel_label(&panel, look, data.short_label(run))?
            } else {
                panel
            };
            Ok((panel, run))
        })
        .collect()
}

/// Writes `message` in the middle of `area`, for a run with nothing to show.
pub(crate) fn no_data<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    look: &Look,
    message: &str,
) -> Result<(), ChartError> {
    let (w, h) = area.dim_in_pixel();
    let font = look
        .label_font()
        .color(&look.palette.muted)
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(message, &font, ((w / 2) as i32, (h / 3) as i32))?;
    Ok(())
}

/// A chart builder on `area` with room for y tick labels `y_label_px`
/// device pixels wide, and for an x caption unless `x_caption` is false.
pub(crate) fn builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    look: &Look,
    y_label_px: u32,
    x_caption: bool,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.margin_left(look.px(PAD / 2.0))
        .margin_right(look.px(PAD * 1.6))
        .margin_top(look.px(6.0))
        .margin_bottom(look.px(2.0))
        .x_label_area_size(look.px(if x_caption { X_AXIS } else { X_AXIS / 2.0 }))
        .y_label_area_size(y_label_px + look.upx(8.0));
    b
}

/// Width in device pixels of the widest of `labels` in the tick font.
pub(crate) fn label_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    look: &Look,
    labels: impl IntoIterator<Item = String>,
) -> Result<u32, ChartError> {
    let font = look.tick_font();
    let mut widest = 0;
    for l in labels {
        widest = widest.max(area.estimate_text_size(&l, &font)?.0);
    }
    Ok(widest)
}

/// Draws grid, axes and tick labels: horizontal grid lines only, muted
/// colours, `x_desc` under the x axis.
pub(crate) fn mesh<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    look: &Look,
    x_desc: &str,
    (x_labels, y_labels): (usize, usize),
    x_fmt: &dyn Fn(&X::ValueType) -> String,
    y_fmt: &dyn Fn(&Y::ValueType) -> String,
) -> Result<(), ChartError>
where
    DB: DrawingBackend,
    X: Ranged + ValueFormatter<X::ValueType>,
    Y: Ranged + ValueFormatter<Y::ValueType>,
{
    let p = look.palette;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(p.grid.stroke_width(look.upx(1.0)))
        .light_line_style(TRANSPARENT)
        .max_light_lines(0)
        .axis_style(p.axis.stroke_width(look.upx(1.0)))
        .set_all_tick_mark_size(look.px(4.0))
        .label_style(look.tick_font())
        .axis_desc_style(look.tick_font())
        .x_desc(x_desc)
        .x_labels(x_labels)
        .y_labels(y_labels)
        .x_label_formatter(x_fmt)
        .y_label_formatter(y_fmt)
        .draw()?;
    Ok(())
}

/// How many x tick labels fit in a plot `width` device pixels wide.
/// How many tick labels a plot of `chart`'s size gets: along x by
/// [`x_label_count`], along y one per 30 CSS pixels, from 2 to `max_y`.
pub(crate) fn label_counts<DB, X, Y>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    look: &Look,
    max_y: f64,
) -> (usize, usize)
where
    DB: DrawingBackend,
    X: Ranged,
    Y: Ranged,
{
    let (w, h) = chart.plotting_area().dim_in_pixel();
    (
        x_label_count(look, w),
        (f64::from(h) / look.scale / 30.0).clamp(2.0, max_y) as usize,
    )
}

pub(crate) fn x_label_count(look: &Look, width: u32) -> usize {
    ((f64::from(width) / look.scale / 70.0).floor() as usize).clamp(2, 12)
}

/// The time axis: from 0 to the end of the last bucket of either run, in
/// seconds.
pub(crate) fn time_range(data: &ChartData) -> Range<f64> {
    let end = data
        .runs()
        .filter_map(|r| {
            let s = &r.result.series;
            s.t_s.last().map(|t| t + s.bucket_s)
        })
        .fold(0.0, f64::max);
    0.0..if end > 0.0 { end } else { 1.0 }
}

/// The points of one series at bucket midpoints, split where a bucket is
/// empty (`None`): an empty bucket is a gap, not a zero.
pub(crate) fn segments(t_s: &[f64], bucket_s: f64, values: &[Option<f64>]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (t, v) in t_s.iter().zip(values) {
        match v {
            Some(v) if v.is_finite() => current.push((t + bucket_s / 2.0, *v)),
            _ => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// How many buckets to average into one drawn point so points are at least
/// 3 CSS pixels apart: one-second buckets of a Poisson stream are too noisy
/// to read at one pixel each.
pub(crate) fn buckets_per_point(look: &Look, plot_width_px: u32, buckets: usize) -> usize {
    let points = (f64::from(plot_width_px) / look.scale / 3.0).max(1.0);
    (buckets as f64 / points).ceil().max(1.0) as usize
}

/// The y caption, saying when points are averages of several buckets.
pub(crate) fn averaged_caption(caption: &str, k: usize, bucket_s: f64) -> String {
    if k > 1 {
        format!(
            "{caption} ({} s averages)",
            format::trim(k as f64 * bucket_s, 1)
        )
    } else {
        caption.to_string()
    }
}

/// The points of a series without gaps, each the mean of `k` buckets (a
/// mean of rates or of time-averages is exact), at the middle of its span.
pub(crate) fn points(t_s: &[f64], bucket_s: f64, values: &[f64], k: usize) -> Vec<(f64, f64)> {
    t_s.chunks(k.max(1))
        .zip(values.chunks(k.max(1)))
        .filter_map(|(ts, vs)| {
            let t0 = ts.first()?;
            let n = vs.len().min(ts.len());
            let mean = vs.iter().take(n).sum::<f64>() / n as f64;
            Some((t0 + n as f64 * bucket_s / 2.0, mean))
        })
        .collect()
}

/// Draws the play/scrub cursor: a vertical line at `look.cursor_s` across
/// a linear-time plot, labelled with the time.
pub(crate) fn cursor<DB, Y>(
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, Y>>,
    look: &Look,
) -> Result<(), ChartError>
where
    DB: DrawingBackend,
    Y: Ranged,
    Y::ValueType: Clone,
{
    let Some(t) = look.cursor_s else {
        return Ok(());
    };
    let (x, y) = (chart.x_range(), chart.y_range());
    if t < x.start || t > x.end {
        return Ok(());
    }
    let line = LineLook {
        color: look.palette.text.mix(0.55),
        width: 1.5,
        dash: crate::style::Dash::Solid,
    };
    let area = chart.plotting_area();
    path(area, vec![(t, y.start), (t, y.end.clone())], &line, look)?;
    let right_half = t > (x.start + x.end) / 2.0;
    let h = if right_half { HPos::Right } else { HPos::Left };
    let label = format!("t = {} s", crate::format::trim(t, 1));
    let font = look
        .tick_font()
        .color(&look.palette.text)
        .pos(Pos::new(h, VPos::Top));
    let (px, py) = chart.backend_coord(&(t, y.end));
    let base = area.get_base_pixel();
    let dx = if right_half {
        -look.px(4.0)
    } else {
        look.px(4.0)
    };
    area.strip_coord_spec().draw_text(
        &label,
        &font,
        (px - base.0 + dx, py - base.1 + look.px(2.0)),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_bucket_splits_a_series() {
        let segs = segments(
            &[0.0, 1.0, 2.0, 3.0],
            1.0,
            &[Some(1.0), None, Some(3.0), Some(4.0)],
        );
        assert_eq!(segs, vec![vec![(0.5, 1.0)], vec![(2.5, 3.0), (3.5, 4.0)]]);
    }

    #[test]
    fn averaged_points_cover_their_buckets() {
        let pts = points(
            &[0.0, 1.0, 2.0, 3.0, 4.0],
            1.0,
            &[1.0, 3.0, 5.0, 7.0, 9.0],
            2,
        );
        assert_eq!(pts, vec![(1.0, 2.0), (3.0, 6.0), (4.5, 9.0)]);
    }
}
