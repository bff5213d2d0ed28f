//! The sweep map: a grid of runs over two parameters, each cell recovered
//! or stuck. The site draws its maps as buttons; this draws one as an SVG
//! for the CLI (`brownout sweep --map FILE.svg`), and `map_csv` gives its
//! cells one row each.
//!
//! Stuck cells carry a cross as well as a colour, so the map reads without
//! colour.

use plotters::prelude::*;

use crate::format;
use crate::style::{Look, Render};
use crate::{ChartError, ChartOptions};

/// What one cell came to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CellState {
    /// Not run yet.
    Pending,
    /// Goodput came back within 10% of the offered load, this many seconds
    /// after the trigger ended.
    Recovered(f64),
    /// It never came back.
    Stuck,
    /// The run hit its event budget.
    Cut,
}

impl CellState {
    /// A word for the cell: `recovered`, `stuck`, `cut short`, `pending`.
    pub fn word(self) -> &'static str {
        match self {
            CellState::Pending => "pending",
            CellState::Recovered(_) => "recovered",
            CellState::Stuck => "stuck",
            CellState::Cut => "cut short",
        }
    }
}

/// A map to draw: two axes and a cell per pair, along x then up y.
#[derive(Clone, Copy, Debug)]
pub struct MapGrid<'a> {
    /// The horizontal axis's caption (the CLI passes the parameter path).
    pub x_label: &'a str,
    /// Its values.
    pub xs: &'a [f64],
    /// The vertical axis's caption.
    pub y_label: &'a str,
    /// Its values.
    pub ys: &'a [f64],
    /// `xs.len() * ys.len()` cells: index `j * xs.len() + i`.
    pub cells: &'a [CellState],
}

impl MapGrid<'_> {
    fn cell(&self, i: usize, j: usize) -> CellState {
        self.cells
            .get(j * self.xs.len() + i)
            .copied()
            .unwrap_or(CellState::Pending)
    }

    /// Cells recovered and stuck (cut short counts as neither).
    pub fn counts(&self) -> (usize, usize) {
        let n = |f: fn(&CellState) -> bool| self.cells.iter().filter(|c| f(c)).count();
        (
            n(|c| matches!(c, CellState::Recovered(_))),
            n(|c| matches!(c, CellState::Stuck)),
        )
    }
}

/// The map as an SVG document `width`×`height` pixels.
pub fn map_svg(
    grid: &MapGrid,
    opts: &ChartOptions,
    width: u32,
    height: u32,
) -> Result<String, ChartError> {
    let look = Look::new(
        opts,
        Render {
            text: 1.24,
            supersample: 1.0,
        },
        (width, height),
    )?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw_map(&root, grid, &look)?;
        root.present()?;
    }
    Ok(out)
}

fn draw_map<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    grid: &MapGrid,
    look: &Look,
) -> Result<(), ChartError> {
    let p = look.palette;
    root.fill(&p.background)?;
    let (nx, ny) = (grid.xs.len(), grid.ys.len());
    let (recovered, stuck) = grid.counts();
    let title = format!("Recovered or stuck: {recovered} recovered, {stuck} stuck");
    let mut chart = ChartBuilder::on(root)
        .caption(title, look.font(15.0, &p.text))
        .margin(look.px(12.0))
        .x_label_area_size(look.px(44.0))
        .y_label_area_size(look.px(56.0))
        .build_cartesian_2d((0..nx).into_segmented(), (0..ny).into_segmented())?;
    // Every other value when there are many, so the labels do not collide.
    let tick = |values: &[f64], v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) if values.len() <= 10 || i % 2 == 0 => {
            values.get(*i).map(|x| format::num(*x)).unwrap_or_default()
        }
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(grid.x_label)
        .y_desc(grid.y_label)
        .x_labels(nx + 1)
        .y_labels(ny + 1)
        .x_label_formatter(&|v| tick(grid.xs, v))
        .y_label_formatter(&|v| tick(grid.ys, v))
        .label_style(look.font(11.0, &p.muted))
        .axis_desc_style(look.font(12.0, &p.text))
        .axis_style(p.axis)
        .draw()?;
    let [good, bad] = p.sides;
    let plot = chart.plotting_area();
    let cell_px = {
        let (w, h) = plot.dim_in_pixel();
        (w / nx.max(1) as u32).min(h / ny.max(1) as u32)
    };
    for j in 0..ny {
        for i in 0..nx {
            let state = grid.cell(i, j);
            let fill = match state {
                CellState::Recovered(_) => good.mix(0.75),
                CellState::Stuck => bad.mix(0.85),
                CellState::Cut => p.axis.mix(0.6),
                CellState::Pending => p.grid.mix(1.0),
            };
            let corner = |a: usize, b: usize| (SegmentValue::Exact(a), SegmentValue::Exact(b));
            let (x0, y0) = plot.map_coordinate(&corner(i, j));
            let (x1, y1) = plot.map_coordinate(&corner(i + 1, j + 1));
            let gap = look.px(1.0);
            let inner = [(x0 + gap, y1 + gap), (x1 - gap, y0 - gap)];
            root.draw(&Rectangle::new(inner, fill.filled()))?;
            if state == CellState::Stuck && cell_px >= 8 {
                let (cx, cy) = ((x0 + x1) / 2, (y0 + y1) / 2);
                let r = (cell_px as i32 / 4).max(2);
                let stroke = p.background.stroke_width(look.upx(1.0));
                root.draw(&PathElement::new(
                    vec![(cx - r, cy - r), (cx + r, cy + r)],
                    stroke,
                ))?;
                root.draw(&PathElement::new(
                    vec![(cx - r, cy + r), (cx + r, cy - r)],
                    stroke,
                ))?;
            }
        }
    }
    Ok(())
}

/// The map's numbers: one row per cell.
pub fn map_csv(grid: &MapGrid, x_name: &str, y_name: &str) -> String {
    let mut out = format!("{x_name},{y_name},outcome,recovered_after_s\n");
    for (j, y) in grid.ys.iter().enumerate() {
        for (i, x) in grid.xs.iter().enumerate() {
            let c = grid.cell(i, j);
            let after = match c {
                CellState::Recovered(s) => s.to_string(),
                _ => String::new(),
            };
            out.push_str(&format!("{x},{y},{},{after}\n", c.word()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(cells: &[CellState]) -> MapGrid<'_> {
        MapGrid {
            x_label: "Base load (req/s)",
            xs: &[30.0, 40.0],
            y_label: "Spike (req/s)",
            ys: &[100.0, 200.0],
            cells,
        }
    }

    #[test]
    fn the_svg_counts_and_crosses_the_stuck_cells() {
        let cells = [
            CellState::Recovered(20.0),
            CellState::Recovered(25.0),
            CellState::Stuck,
            CellState::Cut,
        ];
        let svg = map_svg(&grid(&cells), &ChartOptions::default(), 640, 480).expect("draws");
        assert!(svg.contains("2 recovered, 1 stuck"), "title");
        assert!(svg.contains("Base load (req/s)") && svg.contains("Spike (req/s)"));
        assert_eq!(grid(&cells).counts(), (2, 1));
    }

    #[test]
    fn the_csv_has_a_row_per_cell_along_x_first() {
        let cells = [
            CellState::Recovered(20.0),
            CellState::Stuck,
            CellState::Stuck,
            CellState::Pending,
        ];
        let csv = map_csv(&grid(&cells), "traffic.rate_rps", "spike");
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows[0], "traffic.rate_rps,spike,outcome,recovered_after_s");
        assert_eq!(rows[1], "30,100,recovered,20");
        assert_eq!(rows[2], "40,100,stuck,");
        assert_eq!(rows.len(), 5);
    }
}
