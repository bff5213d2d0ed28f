//! The legend: a row of swatches and labels under the title, wrapping on
//! narrow screens. Drawn outside the plot so it never hides a line.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBAColor;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::ChartError;
use crate::marks::{bar, path};
use crate::style::{LineLook, Look};

/// What a legend entry's sample looks like.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Swatch {
    /// A short stretch of line.
    Line(LineLook),
    /// A bar, filled (side A) or outlined (side B).
    Bar { color: RGBColor, filled: bool },
    /// A shaded area.
    Area(RGBAColor),
}

/// One legend entry.
#[derive(Clone, Debug)]
pub(crate) struct LegendEntry {
    pub(crate) label: String,
    pub(crate) swatch: Swatch,
}

impl LegendEntry {
    pub(crate) fn line(label: impl Into<String>, line: LineLook) -> Self {
        LegendEntry {
            label: label.into(),
            swatch: Swatch::Line(line),
        }
    }
}

/// Swatch width, gap after it, gap between entries, row height (CSS px).
const SWATCH: f64 = 22.0;
const GAP: f64 = 6.0;
const SPACING: f64 = 16.0;
pub(crate) const ROW: f64 = 18.0;

/// Places `entries` left to right from `(x0, y0)` within `width` device
/// pixels; returns each entry's top-left corner and the height used.
pub(crate) fn layout<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    look: &Look,
    (x0, y0): (i32, i32),
    width: i32,
) -> Result<(Vec<(i32, i32)>, i32), ChartError> {
    let font = look.label_font();
    let (mut x, mut y) = (x0, y0);
    let mut at = Vec::with_capacity(entries.len());
    for e in entries {
        let (w, _) = area.estimate_text_size(&e.label, &font)?;
        let entry_w = look.px(SWATCH + GAP) + i32::try_from(w).unwrap_or(i32::MAX / 4);
        if x > x0 && x + entry_w > x0 + width {
            x = x0;
            y += look.px(ROW);
        }
        at.push((x, y));
        x += entry_w + look.px(SPACING);
    }
    let height = if entries.is_empty() {
        0
    } else {
        y - y0 + look.px(ROW)
    };
    Ok((at, height))
}

/// Draws `entries` at the corners [`layout`] gave.
pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    at: &[(i32, i32)],
    look: &Look,
) -> Result<(), ChartError> {
    let font = look.label_font();
    let mid = look.px(ROW / 2.0);
    for (e, &(x, y)) in entries.iter().zip(at) {
        let (sx0, sx1, cy) = (x, x + look.px(SWATCH), y + mid);
        match e.swatch {
            Swatch::Line(line) => path(area, vec![(sx0, cy), (sx1, cy)], &line, look)?,
            Swatch::Bar { color, filled } => {
                let h = look.px(5.0);
                let corners = [(sx0 + look.px(3.0), cy - h), (sx1 - look.px(3.0), cy + h)];
                bar(area, corners, color, filled, look)?;
            }
            Swatch::Area(color) => {
                let h = look.px(5.0);
                area.draw(&Rectangle::new(
                    [(sx0, cy - h), (sx1, cy + h)],
                    color.filled(),
                ))?;
            }
        }
        let text = font.pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(&e.label, &text, (sx1 + look.px(GAP), cy))?;
    }
    Ok(())
}
