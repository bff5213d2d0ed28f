//! Brownout's charts: the drawing code shared by the site (a `<canvas>`
//! through `plotters-canvas`) and the CLI (SVG, and PNG with the `png`
//! feature).
//!
//! ```text
//!  RunResult (+ a second one in compare mode)
//!        │  ChartData { a, b }         ChartOptions { scale, theme, cursor_s }
//!        ▼                                  │
//!  draw(area, ChartKind, ..) ◄──────────────┘   any plotters DrawingBackend
//!    │  (ChartKind: the registry in chart.rs, one file per chart)
//!    ├─ svg(..)  -> String                      (canvas, SVG, bitmap)
//!    └─ png(..)  -> Vec<u8>   (feature "png")
//!  csv(ChartKind, ..)          -> the numbers behind the chart
//!  summary_text(ChartKind, ..) -> the key numbers in a sentence, for screen readers
//! ```
//!
//! Every chart has a title, a legend, axis captions with units, and in
//! compare mode tells the two configurations apart by line pattern or fill
//! and by label, never by colour alone. The crate draws; it never simulates.

#[cfg(all(feature = "png", not(target_arch = "wasm32")))]
mod bitmap;
mod chart;
mod csv;
pub mod curves;
mod error;
pub mod format;
mod frame;
mod groups;
mod legend;
pub mod map;
mod marks;
mod output;
mod record;
mod style;

use std::cell::RefCell;

use brownout_sim::RunResult;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea};

pub use chart::ChartKind;
pub use csv::series_csv;
pub use error::ChartError;
#[cfg(all(feature = "png", not(target_arch = "wasm32")))]
pub use output::png;
pub use output::svg;
pub use style::Theme;

/// One configuration's run and the name a reader knows it by.
#[derive(Clone, Copy, Debug)]
pub struct Run<'a> {
    /// The run's results.
    pub result: &'a RunResult,
    /// Shown in legends, panel captions, CSV headers and summaries, e.g.
    /// "Round robin". May be empty when there is nothing to compare.
    pub label: &'a str,
}

/// What a chart shows: one run, or two runs of the same traffic under two
/// configurations (compare mode).
#[derive(Clone, Copy, Debug)]
pub struct ChartData<'a> {
    /// The reader's configuration.
    pub a: Run<'a>,
    /// Compare mode's second configuration.
    pub b: Option<Run<'a>>,
}

impl<'a> ChartData<'a> {
    /// A single run.
    pub fn single(result: &'a RunResult, label: &'a str) -> Self {
        ChartData {
            a: Run { result, label },
            b: None,
        }
    }

    /// Two runs of the same traffic, side A and side B.
    pub fn compare(a: Run<'a>, b: Run<'a>) -> Self {
        ChartData { a, b: Some(b) }
    }

    /// The runs in order (A, then B if present).
    pub(crate) fn runs(&self) -> impl Iterator<Item = &Run<'a>> {
        std::iter::once(&self.a).chain(self.b.as_ref())
    }

    /// Whether this is compare mode.
    pub(crate) fn is_compare(&self) -> bool {
        self.b.is_some()
    }

    /// Bucket start times of the run with the most buckets: the rows of a
    /// per-bucket CSV.
    pub(crate) fn bucket_starts(&self) -> &'a [f64] {
        let b = self
            .b
            .map(|b| b.result.series.t_s.as_slice())
            .unwrap_or_default();
        let a = self.a.result.series.t_s.as_slice();
        if b.len() > a.len() { b } else { a }
    }

    /// What to append to CSV column names for each run: nothing for a
    /// single run; in compare mode the labels as slugs (`_round_robin`), or
    /// `_a` and `_b` when the labels do not tell the runs apart.
    pub(crate) fn column_suffixes(&self) -> Vec<String> {
        let Some(b) = self.b else {
            return vec![String::new()];
        };
        let (sa, sb) = (format::slug(self.a.label), format::slug(b.label));
        if sa.is_empty() || sb.is_empty() || sa == sb {
            vec!["_a".to_string(), "_b".to_string()]
        } else {
            vec![format!("_{sa}"), format!("_{sb}")]
        }
    }

    /// What names `run` in a legend or over its panel: its label, or, when
    /// both labels are long and begin with the same words ("Calls before
    /// the breaker may open 100 calls", "... 5 calls"), the words that tell
    /// them apart ("100 calls"): whole, such labels filled a chart's legend
    /// and ran across the neighbouring panel. A part of one word ("on",
    /// "off") would not say what it is about, so such labels stay whole, as
    /// do text summaries.
    pub(crate) fn short_label(&self, run: &Run<'a>) -> &'a str {
        /// Shorter labels stay whole.
        const LONG: usize = 24;
        let Some(b) = self.b else {
            return run.label;
        };
        let (x, y) = (self.a.label, b.label);
        if x.chars().count().min(y.chars().count()) <= LONG {
            return run.label;
        }
        let shared = x
            .split_whitespace()
            .zip(y.split_whitespace())
            .take_while(|(wx, wy)| wx == wy)
            .count();
        let (rx, ry) = (after_words(x, shared), after_words(y, shared));
        let words = |r: &str| r.split_whitespace().count();
        if shared < 2 || words(rx) < 2 || words(ry) < 2 {
            run.label
        } else {
            after_words(run.label, shared)
        }
    }

    /// A legend entry: `text` ("Completed"), prefixed with the run's label in
    /// compare mode ("Round robin completed"; see [`ChartData::short_label`]).
    pub(crate) fn labelled(&self, run: &Run<'a>, text: &str) -> String {
        let label = self.short_label(run);
        if self.is_compare() && !label.is_empty() {
            // ASCII only, as in `format::sentence`: legend texts are ours.
            let mut chars = text.chars();
            let rest: String = chars
                .next()
                .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
                .unwrap_or_default();
            format!("{label} {rest}")
        } else {
            text.to_string()
        }
    }
}

/// What is left of `label` after its first `n` words.
fn after_words(label: &str, n: usize) -> &str {
    let mut rest = label.trim_start();
    for _ in 0..n {
        rest = rest
            .split_once(char::is_whitespace)
            .map_or("", |(_, r)| r)
            .trim_start();
    }
    rest
}

/// How to draw: pixel scale, colours and the play/scrub cursor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartOptions {
    /// Device pixels per CSS pixel: fonts, lines and margins are multiplied
    /// by it. The site sets the canvas width to its CSS width times
    /// `devicePixelRatio` and passes that ratio here. From 0.25 to 8.
    pub scale: f64,
    /// Light or dark page colours.
    pub theme: Theme,
    /// Simulated time in seconds (after warm-up) to mark with a vertical
    /// line on the time charts. The utilization chart shows the bucket
    /// containing it instead of the whole-run average.
    pub cursor_s: Option<f64>,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            scale: 1.0,
            theme: Theme::Light,
            cursor_s: None,
        }
    }
}

/// Draws `chart` for `data` onto `area`, filling all of it.
///
/// Font sizes are CSS pixels times `opts.scale`, as the browser canvas
/// (`plotters-canvas`) reads them. The caller presents the area
/// (`area.present()`) when done; [`svg`] and `png` do that for you.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: ChartKind,
    data: &ChartData,
    opts: &ChartOptions,
) -> Result<(), ChartError> {
    draw_with(area, chart, data, opts, style::Render::DIRECT)
}

/// [`draw`] for a backend that needs sizes adjusted (see [`style::Render`]).
pub(crate) fn draw_with<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: ChartKind,
    data: &ChartData,
    opts: &ChartOptions,
    render: style::Render,
) -> Result<(), ChartError> {
    draw_recorded(area, opts, render, &|canvas, look| {
        (chart.chart().draw)(canvas, data, look)
    })
}

/// Lays a chart out by `draw` on a recorder, then replays it onto `area`:
/// plotters' layout code is compiled once, for the recorder, whatever the
/// backends (canvas, SVG, bitmap), which keeps the site's wasm small.
pub(crate) fn draw_recorded<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    opts: &ChartOptions,
    render: style::Render,
    draw: &output::Draw<'_>,
) -> Result<(), ChartError> {
    let measure = |text: &str, style: &plotters::style::TextStyle| {
        let key = text_key::<DB>(text, style);
        if let Some(size) = TEXT_SIZES.with(|c| c.borrow().get(&key).copied()) {
            return Ok(size);
        }
        let size = area
            .estimate_text_size(text, style)
            .map_err(|e| e.to_string())?;
        // A page not laid out yet (a hidden embed) measures 0 × 0: ask again
        // next time rather than keep it.
        if size != (0, 0) || text.is_empty() {
            TEXT_SIZES.with(|c| {
                let mut c = c.borrow_mut();
                if c.len() >= TEXT_SIZES_KEPT {
                    c.clear();
                }
                c.insert(key, size);
            });
        }
        Ok(size)
    };
    let ops = RefCell::new(Vec::new());
    record(area.dim_in_pixel(), &ops, &measure, opts, render, draw)?;
    record::replay(&ops.into_inner(), area)
}

/// Most text sizes kept; past it the cache starts again.
const TEXT_SIZES_KEPT: usize = 4096;

/// A text size as a backend measured it: the backend, the text and the
/// font (family, style, size, rotation).
type TextKey = (&'static str, String, String, u64, u8);

thread_local! {
    /// Text sizes already measured. On a canvas each measurement lays out
    /// the whole page (plotters-canvas times a DOM `<span>`), and a redraw
    /// asks for the same tick labels and legends again and again.
    static TEXT_SIZES: RefCell<std::collections::HashMap<TextKey, (u32, u32)>> =
        RefCell::new(std::collections::HashMap::new());
}

fn text_key<DB: DrawingBackend>(text: &str, style: &plotters::style::TextStyle) -> TextKey {
    use plotters::style::FontTransform;
    let f = &style.font;
    let turn = match f.get_transform() {
        FontTransform::None => 0,
        FontTransform::Rotate90 => 1,
        FontTransform::Rotate180 => 2,
        FontTransform::Rotate270 => 3,
    };
    let family = format!("{}/{}", f.get_name(), f.get_style().as_str());
    (
        std::any::type_name::<DB>(),
        text.to_string(),
        family,
        f.get_size().to_bits(),
        turn,
    )
}

/// Lays the chart out and records what it draws; compiled once, whatever
/// the backends (see [`record`]).
fn record(
    size: (u32, u32),
    ops: &RefCell<Vec<record::Op>>,
    measure: &record::Measure<'_>,
    opts: &ChartOptions,
    render: style::Render,
    draw: &output::Draw<'_>,
) -> Result<(), ChartError> {
    let look = style::Look::new(opts, render, size)?;
    let area = record::Recorder::new(size, ops, measure).into_drawing_area();
    draw(&area, &look)
}

/// The numbers behind `chart` as CSV with a header row: one row per time
/// bucket, or per server for the utilization chart. Compare mode adds a
/// column per side, named after the run labels.
pub fn csv(chart: ChartKind, data: &ChartData) -> String {
    (chart.chart().csv)(data)
}

/// The key numbers of `chart` in a sentence or two of plain text, for
/// screen readers (the canvas's `aria-label` or a caption).
pub fn summary_text(chart: ChartKind, data: &ChartData) -> String {
    (chart.chart().summary)(data)
}
