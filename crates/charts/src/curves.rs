//! Sweep curves: a metric against a swept parameter, one line per
//! configuration, one panel per metric (side by side, or stacked on a narrow
//! chart). The site fills them in as its workers report points; the CLI
//! draws them from `brownout sweep --line … --curves FILE`.
//!
//! Lines differ by colour, dash pattern and marker, so they read without
//! colour.

use std::fmt::Write;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::chart::Canvas;
use crate::frame::{self, builder};
use crate::legend::LegendEntry;
use crate::marks::path;
use crate::style::{Dash, LineLook, Look, Render};
use crate::{ChartError, ChartOptions, format};

/// One panel: a metric.
#[derive(Clone, Copy, Debug)]
pub struct CurvePanel<'a> {
    /// Its caption, with the unit: "Writes (calls)", "Completion time".
    pub caption: &'a str,
    /// Its column in the CSV: `writes`, `makespan_ms`.
    pub column: &'a str,
    /// Writes a value for ticks and summaries.
    pub text: fn(f64) -> String,
}

/// One configuration's line.
#[derive(Clone, Debug)]
pub struct CurveLine<'a> {
    /// Its name in the legend.
    pub label: &'a str,
    /// `values[panel][i]`: the value at the i-th x, `None` while pending.
    pub values: Vec<Vec<Option<f64>>>,
}

/// A model's prediction, drawn dashed in one panel.
#[derive(Clone, Debug)]
pub struct TheoryLine<'a> {
    /// Its name in the legend.
    pub label: &'a str,
    /// The panel it is drawn in.
    pub panel: usize,
    /// Its value at each x, `None` while pending.
    pub values: Vec<Option<f64>>,
    /// Its CSV column.
    pub column: &'a str,
}

/// A labelled vertical mark at an x (a rule of thumb, the measured best).
#[derive(Clone, Copy, Debug)]
pub struct XMark<'a> {
    /// Its label, drawn at the top of each panel.
    pub label: &'a str,
    /// Where.
    pub x: f64,
}

/// Sweep curves to draw.
#[derive(Clone, Copy, Debug)]
pub struct Curves<'a> {
    /// The chart's title; `short_title` where it does not fit.
    pub title: &'a str,
    /// A shorter title for a narrow chart.
    pub short_title: &'a str,
    /// The x axis's caption, with its unit.
    pub x_label: &'a str,
    /// The swept values.
    pub xs: &'a [f64],
    /// The metrics.
    pub panels: &'a [CurvePanel<'a>],
    /// The configurations.
    pub lines: &'a [CurveLine<'a>],
    /// A theory line, if any.
    pub theory: Option<&'a TheoryLine<'a>>,
    /// Vertical marks.
    pub marks: &'a [XMark<'a>],
    /// The x axis on a logarithmic scale.
    pub log_x: bool,
}

impl Curves<'_> {
    /// Where `x` is drawn along the axis.
    fn at(&self, x: f64) -> f64 {
        if self.log_x { x.log10() } else { x }
    }

    /// The theory line's look: dark, dashed, thin.
    fn theory_look(look: &Look) -> LineLook {
        LineLook {
            color: look.palette.text.mix(0.85),
            width: 1.5,
            dash: Dash::Dashed,
        }
    }

    /// How line `i` is drawn.
    fn line_look(look: &Look, i: usize) -> LineLook {
        LineLook {
            color: look.group_color(i).mix(1.0),
            width: if i >= 4 { 3.0 } else { 2.0 },
            dash: Dash::of_group(i),
        }
    }
}

/// Draws `curves` onto `area`, filling all of it.
pub fn draw_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: &Curves,
    opts: &ChartOptions,
) -> Result<(), ChartError> {
    crate::draw_recorded(area, opts, Render::DIRECT, &|canvas, look| {
        draw(canvas, curves, look)
    })
}

fn draw(root: &Canvas<'_>, curves: &Curves, look: &Look) -> Result<(), ChartError> {
    let entries: Vec<LegendEntry> = curves
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| LegendEntry::line(l.label, Curves::line_look(look, i)))
        .chain(
            curves
                .theory
                .map(|t| LegendEntry::line(t.label, Curves::theory_look(look))),
        )
        .collect();
    let area = frame::frame(root, look, &[curves.title, curves.short_title], &entries)?;
    let n = curves.panels.len().max(1);
    let (_, h) = area.dim_in_pixel();
    let stack = look.narrow() && f64::from(h) / look.scale >= 200.0 * n as f64;
    let parts = if stack {
        area.split_evenly((n, 1))
    } else {
        area.split_evenly((1, n))
    };
    let (Some(&x0), Some(&x1)) = (curves.xs.first(), curves.xs.last()) else {
        return frame::no_data(&area, look, "No values to sweep");
    };
    let (x0, x1) = (curves.at(x0), curves.at(x1));
    let span = if x1 > x0 { x0..x1 } else { x0 - 1.0..x0 + 1.0 };
    let log = curves.log_x;
    // On a log axis a tick's value, to two significant digits.
    let x_text = move |x: &f64| {
        if !log {
            return format::num(*x);
        }
        let v = 10f64.powf(*x);
        let unit = 10f64.powf(v.log10().floor() - 1.0).max(1.0);
        format::num((v / unit).round() * unit)
    };
    for (p, (panel, part)) in curves.panels.iter().zip(parts).enumerate() {
        let part = frame::caption(&part, look, panel.caption)?;
        let theory = curves.theory.filter(|t| t.panel == p);
        let top = curves
            .lines
            .iter()
            .filter_map(|l| l.values.get(p))
            .chain(theory.map(|t| &t.values))
            .flatten()
            .flatten()
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let top = if top > 0.0 { top * 1.08 } else { 1.0 };
        let y_label_px =
            frame::label_width(&part, look, [(panel.text)(top), (panel.text)(top / 3.0)])?;
        let mut chart =
            builder(&part, look, y_label_px, true).build_cartesian_2d(span.clone(), 0.0..top)?;
        let counts = frame::label_counts(&chart, look, 8.0);
        // Zero needs no unit: "0" under "50 s", not "0 ms".
        frame::mesh(&mut chart, look, curves.x_label, counts, &x_text, &|v| {
            if *v == 0.0 {
                "0".to_string()
            } else {
                (panel.text)(*v)
            }
        })?;
        // The marks inside this panel's span, left to right: each label a
        // row lower than the one to its left, each line up to its own
        // label, so no line crosses the label of a mark beside it.
        let mut marks: Vec<(&XMark, f64)> = curves
            .marks
            .iter()
            .map(|m| (m, curves.at(m.x)))
            .filter(|(_, x)| (span.start..=span.end).contains(x))
            .collect();
        marks.sort_by(|a, b| a.1.total_cmp(&b.1));
        let row = |k: usize| look.px(2.0 + 14.0 * k as f64);
        let plot_px = f64::from(chart.plotting_area().dim_in_pixel().1.max(1));
        for (k, &(_, x)) in marks.iter().enumerate() {
            let line = LineLook {
                color: look.palette.muted.mix(1.0),
                width: 1.0,
                dash: Dash::Dotted,
            };
            let end = top * (1.0 - f64::from(row(k)) / plot_px).max(0.0);
            path(chart.plotting_area(), vec![(x, 0.0), (x, end)], &line, look)?;
        }
        if let Some(t) = theory {
            let points: Vec<(f64, f64)> = curves
                .xs
                .iter()
                .zip(&t.values)
                .filter_map(|(&x, v)| v.filter(|v| v.is_finite()).map(|v| (curves.at(x), v)))
                .collect();
            if points.len() > 1 {
                path(
                    chart.plotting_area(),
                    points,
                    &Curves::theory_look(look),
                    look,
                )?;
            }
        }
        for (i, line) in curves.lines.iter().enumerate() {
            let style = Curves::line_look(look, i);
            let values = line.values.get(p).map(Vec::as_slice).unwrap_or_default();
            let mut run = Vec::new();
            let points = curves.xs.iter().zip(values);
            for (&x, v) in points.chain(std::iter::once((&f64::NAN, &None))) {
                match v {
                    Some(v) if v.is_finite() => run.push((curves.at(x), *v)),
                    _ => {
                        if run.len() > 1 {
                            path(
                                chart.plotting_area(),
                                std::mem::take(&mut run),
                                &style,
                                look,
                            )?;
                        }
                        run.clear();
                    }
                }
            }
            // A marker at every point, shaped by line, so lines read
            // without colour where they cross.
            let r = look.px(2.5);
            for (&x, v) in curves.xs.iter().zip(values) {
                let Some(v) = v.filter(|v| v.is_finite()) else {
                    continue;
                };
                let fill = style.color.filled();
                let at = chart.plotting_area().map_coordinate(&(curves.at(x), v));
                let flat = chart.plotting_area().strip_coord_spec();
                let base = chart.plotting_area().get_base_pixel();
                let c = (at.0 - base.0, at.1 - base.1);
                match i % 3 {
                    0 => flat.draw(&Circle::new(c, r, fill))?,
                    1 => flat.draw(&Rectangle::new(
                        [(c.0 - r, c.1 - r), (c.0 + r, c.1 + r)],
                        fill,
                    ))?,
                    _ => flat.draw(&Polygon::new(
                        vec![
                            (c.0, c.1 - r - 1),
                            (c.0 - r - 1, c.1 + r),
                            (c.0 + r + 1, c.1 + r),
                        ],
                        fill,
                    ))?,
                }
            }
        }
        // The marks' labels last, on a box of the background's colour that
        // lets the curves show through faintly, so no curve crosses the
        // text.
        for (k, &(m, x)) in marks.iter().enumerate() {
            let at = chart.plotting_area().map_coordinate(&(x, top));
            let base = chart.plotting_area().get_base_pixel();
            let flat = chart.plotting_area().strip_coord_spec();
            let font = look.font(11.0, &look.palette.muted);
            let corner = (at.0 - base.0 + look.px(3.0), at.1 - base.1 + row(k));
            let (w, h) = flat.estimate_text_size(m.label, &font)?;
            let pad = look.px(2.0);
            flat.draw(&Rectangle::new(
                [
                    (corner.0 - pad, corner.1 - pad),
                    (corner.0 + w as i32 + pad, corner.1 + h as i32 + pad),
                ],
                look.palette.background.mix(0.7).filled(),
            ))?;
            flat.draw_text(m.label, &font, corner)?;
        }
    }
    Ok(())
}

/// The curves as an SVG document `width`×`height` pixels.
pub fn curves_svg(
    curves: &Curves,
    opts: &ChartOptions,
    width: u32,
    height: u32,
) -> Result<String, ChartError> {
    crate::output::svg_with((width, height), opts, &|root, look| {
        draw(root, curves, look)
    })
}

/// The curves as a PNG image `width`×`height` pixels.
#[cfg(all(feature = "png", not(target_arch = "wasm32")))]
pub fn curves_png(
    curves: &Curves,
    opts: &ChartOptions,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, ChartError> {
    crate::output::png_with((width, height), opts, &|root, look| {
        draw(root, curves, look)
    })
}

/// The numbers behind the curves: one row per line and x, a column per
/// panel; an empty cell for a point not run yet.
pub fn curves_csv(curves: &Curves, x_name: &str) -> String {
    let mut out = format!("line,{x_name}");
    for p in curves.panels {
        out.push(',');
        out.push_str(p.column);
    }
    if let Some(t) = curves.theory {
        out.push(',');
        out.push_str(t.column);
    }
    out.push('\n');
    for (l, line) in curves.lines.iter().enumerate() {
        for (i, x) in curves.xs.iter().enumerate() {
            let label = line.label.replace(['"', ','], " ");
            let _ = write!(out, "{label},{x}");
            for p in 0..curves.panels.len() {
                out.push(',');
                if let Some(v) = line.values.get(p).and_then(|v| v.get(i)).copied().flatten() {
                    let _ = write!(out, "{v}");
                }
            }
            // The theory belongs to the first configuration.
            if let Some(t) = curves.theory {
                out.push(',');
                if let Some(v) = t.values.get(i).copied().flatten().filter(|_| l == 0) {
                    let _ = write!(out, "{v}");
                }
            }
            out.push('\n');
        }
    }
    out
}

/// An x as a reader wants it in a sentence: whole numbers in full
/// (`2,048`, not `2k`).
fn x_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        let n = format::count(x.abs() as u64);
        if x < 0.0 { format!("-{n}") } else { n }
    } else {
        format::num(x)
    }
}

/// The key numbers in a sentence per panel: each line's value at the last
/// x, for screen readers.
pub fn curves_summary(curves: &Curves) -> String {
    let Some(&last) = curves.xs.last() else {
        return String::new();
    };
    let mut out = String::new();
    for (p, panel) in curves.panels.iter().enumerate() {
        let at: Vec<String> = curves
            .lines
            .iter()
            .filter_map(|l| {
                let v = l.values.get(p)?.last().copied().flatten()?;
                Some(format!("{} {}", l.label, (panel.text)(v)))
            })
            .collect();
        if !at.is_empty() {
            let _ = write!(
                out,
                "{} at {}: {}. ",
                panel.caption,
                x_text(last),
                at.join(", ")
            );
        }
    }
    for m in curves.marks {
        let _ = write!(out, "{}: {}. ", m.label, x_text(m.x));
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests;
