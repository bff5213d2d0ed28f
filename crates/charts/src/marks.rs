//! The marks charts are made of, in any coordinate system: lines (solid or
//! dashed along time), series with gaps, and bars. The legend draws its
//! swatches with the same marks, so a swatch looks like what it names.

use plotters::prelude::*;

use crate::ChartError;
use crate::style::{LineLook, Look};

/// Draws a line through `points` in any coordinate system, dashed if the
/// look says so.
pub(crate) fn path<DB, CT>(
    area: &DrawingArea<DB, CT>,
    points: Vec<CT::From>,
    line: &LineLook,
    look: &Look,
) -> Result<(), ChartError>
where
    DB: DrawingBackend,
    CT: CoordTranslate,
{
    let style = look.stroke(line);
    let Some((on, off)) = line.dash.pattern(line.width) else {
        area.draw(&PathElement::new(points, style))?;
        return Ok(());
    };
    let base = area.get_base_pixel();
    let pixels: Vec<(f64, f64)> = points
        .iter()
        .map(|p| {
            let (x, y) = area.map_coordinate(p);
            (f64::from(x - base.0), f64::from(y - base.1))
        })
        .collect();
    let flat = area.strip_coord_spec();
    for dash in dashes(&pixels, on * look.scale, off * look.scale) {
        let dash: Vec<(i32, i32)> = dash
            .iter()
            .map(|(x, y)| (x.round() as i32, y.round() as i32))
            .collect();
        flat.draw(&PathElement::new(dash, style))?;
    }
    Ok(())
}

/// Cuts a polyline (pixels) into dashes `on` pixels long with `off`-pixel
/// gaps, measured along x: on a noisy time series a dash pattern measured
/// along the zigzag breaks into fragments, one measured along time stays
/// regular and reads as "dashed".
pub(crate) fn dashes(points: &[(f64, f64)], on: f64, off: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let Some(&first) = points.first() else {
        return out;
    };
    let (on, off) = (on.max(1.0), off.max(1.0));
    let mut current = vec![first];
    let mut drawing = true;
    let mut left = on;
    for w in points.windows(2) {
        let (mut a, b) = (w[0], w[1]);
        loop {
            let dx = (b.0 - a.0).abs();
            if dx <= left || dx == 0.0 {
                left -= dx;
                if drawing {
                    current.push(b);
                }
                break;
            }
            let t = left / dx;
            let cut = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            if drawing {
                current.push(cut);
                out.push(std::mem::take(&mut current));
            } else {
                current = vec![cut];
            }
            drawing = !drawing;
            left = if drawing { on } else { off };
            a = cut;
        }
    }
    if drawing && current.len() > 1 {
        out.push(current);
    }
    out
}

/// Draws each segment as a line; a lone point (a bucket between two empty
/// ones) as a dot so it does not vanish.
pub(crate) fn draw_segments<DB, CT>(
    area: &DrawingArea<DB, CT>,
    segments: Vec<Vec<CT::From>>,
    line: &LineLook,
    look: &Look,
) -> Result<(), ChartError>
where
    DB: DrawingBackend,
    CT: CoordTranslate,
    CT::From: Clone,
{
    for seg in segments {
        if let [only] = seg.as_slice() {
            let dot = ShapeStyle {
                color: line.color,
                filled: true,
                stroke_width: 1,
            };
            area.draw(&Circle::new(
                only.clone(),
                look.px(line.width.max(1.5)),
                dot,
            ))?;
        } else {
            path(area, seg, line, look)?;
        }
    }
    Ok(())
}

/// Draws a bar between two corners: filled (side A) or outlined with a
/// faint fill (side B). Also the legend's swatch.
pub(crate) fn bar<DB, CT>(
    area: &DrawingArea<DB, CT>,
    corners: [CT::From; 2],
    color: RGBColor,
    filled: bool,
    look: &Look,
) -> Result<(), ChartError>
where
    DB: DrawingBackend,
    CT: CoordTranslate,
    CT::From: Clone,
{
    if filled {
        area.draw(&Rectangle::new(corners, color.filled()))?;
    } else {
        area.draw(&Rectangle::new(corners.clone(), color.mix(0.18).filled()))?;
        area.draw(&Rectangle::new(corners, color.stroke_width(look.upx(1.25))))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_are_measured_along_x() {
        // A zigzag 10 px wide: 4 px on, 2 px off, whatever the zigzag's height.
        let zigzag = [
            (0.0, 0.0),
            (2.0, 50.0),
            (4.0, 0.0),
            (6.0, 50.0),
            (8.0, 0.0),
            (10.0, 50.0),
        ];
        let d = dashes(&zigzag, 4.0, 2.0);
        let spans: Vec<(f64, f64)> = d.iter().map(|p| (p[0].0, p[p.len() - 1].0)).collect();
        assert_eq!(spans, vec![(0.0, 4.0), (6.0, 10.0)]);
    }
}
