//! A drawing backend that records what a chart draws, then replays it onto
//! the real backend.
//!
//! ```text
//!  chart code ──draws──> Recorder ──ops──> replay ──> canvas | SVG | bitmap
//!                           │ text sizes
//!                           └──────── asks the real backend
//! ```
//!
//! Chart layout and plotters' mesh code are generic over the backend; drawn
//! straight onto both the canvas and SVG backends they would be compiled
//! twice into the site's wasm. Recording compiles them once; only the small
//! replay is generic.

use std::cell::RefCell;
use std::fmt;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::Pos;
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, RGBAColor};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

use crate::ChartError;

/// How wide and what colour a stroke or fill is.
#[derive(Clone, Copy)]
pub(crate) struct Stroke {
    color: BackendColor,
    width: u32,
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

impl Stroke {
    fn of<S: BackendStyle>(s: &S) -> Stroke {
        Stroke {
            color: s.color(),
            width: s.stroke_width(),
        }
    }

    fn shape(self, filled: bool) -> ShapeStyle {
        ShapeStyle {
            color: rgba(self.color),
            filled,
            stroke_width: self.width,
        }
    }
}

fn rgba(c: BackendColor) -> RGBAColor {
    RGBAColor(c.rgb.0, c.rgb.1, c.rgb.2, c.alpha)
}

/// A text's font and placement, owned.
#[derive(Clone)]
pub(crate) struct Font {
    family: String,
    size: f64,
    style: FontStyle,
    transform: FontTransform,
    color: BackendColor,
    anchor: Pos,
}

impl Font {
    fn of<T: BackendTextStyle>(t: &T) -> Font {
        Font {
            family: t.family().as_str().to_string(),
            size: t.size(),
            style: t.style(),
            transform: t.transform(),
            color: t.color(),
            anchor: t.anchor(),
        }
    }

    fn text_style(&self) -> TextStyle<'_> {
        let font = FontDesc::new(FontFamily::Name(&self.family), self.size, self.style)
            .transform(self.transform.clone());
        TextStyle {
            font,
            color: self.color,
            pos: self.anchor,
        }
    }
}

/// One drawing call.
pub(crate) enum Op {
    Pixel(BackendCoord, BackendColor),
    Line(BackendCoord, BackendCoord, Stroke),
    Rect([BackendCoord; 2], Stroke, bool),
    Path(Vec<BackendCoord>, Stroke),
    Circle(BackendCoord, u32, Stroke, bool),
    Polygon(Vec<BackendCoord>, Stroke),
    Text(String, Font, BackendCoord),
}

/// Measures text as the real backend will draw it.
pub(crate) type Measure<'a> = dyn Fn(&str, &TextStyle) -> Result<(u32, u32), String> + 'a;

/// The recording backend.
pub(crate) struct Recorder<'a> {
    size: (u32, u32),
    ops: &'a RefCell<Vec<Op>>,
    measure: &'a Measure<'a>,
}

impl<'a> Recorder<'a> {
    pub(crate) fn new(
        size: (u32, u32),
        ops: &'a RefCell<Vec<Op>>,
        measure: &'a Measure<'a>,
    ) -> Self {
        Recorder { size, ops, measure }
    }

    fn push(&mut self, op: Op) -> Result<(), DrawingErrorKind<RecordError>> {
        self.ops.borrow_mut().push(op);
        Ok(())
    }
}

/// Measuring text failed on the real backend.
#[derive(Debug)]
pub(crate) struct RecordError(String);

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RecordError {}

type Done = Result<(), DrawingErrorKind<RecordError>>;

impl DrawingBackend for Recorder<'_> {
    type ErrorType = RecordError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }
    fn ensure_prepared(&mut self) -> Done {
        Ok(())
    }
    fn present(&mut self) -> Done {
        Ok(())
    }
    fn draw_pixel(&mut self, at: BackendCoord, color: BackendColor) -> Done {
        self.push(Op::Pixel(at, color))
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, s: &S) -> Done {
        self.push(Op::Line(from, to, Stroke::of(s)))
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Done {
        self.push(Op::Rect([a, b], Stroke::of(s), fill))
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Done {
        self.push(Op::Path(path.into_iter().collect(), Stroke::of(s)))
    }
    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, s: &S, fill: bool) -> Done {
        self.push(Op::Circle(c, r, Stroke::of(s), fill))
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Done {
        self.push(Op::Polygon(vert.into_iter().collect(), Stroke::of(s)))
    }
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, at: BackendCoord) -> Done {
        self.push(Op::Text(text.to_string(), Font::of(style), at))
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<RecordError>> {
        let font = Font::of(style);
        (self.measure)(text, &font.text_style())
            .map_err(|e| DrawingErrorKind::DrawingError(RecordError(e)))
    }
}

/// Draws the recorded `ops` onto `area`, in order.
pub(crate) fn replay<DB: DrawingBackend>(
    ops: &[Op],
    area: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    for op in ops {
        match op {
            Op::Pixel(at, color) => area.draw_pixel(*at, &rgba(*color))?,
            Op::Line(from, to, s) => {
                area.draw(&PathElement::new(vec![*from, *to], s.shape(false)))?
            }
            Op::Rect(corners, s, fill) => area.draw(&Rectangle::new(*corners, s.shape(*fill)))?,
            Op::Path(points, s) => area.draw(&PathElement::new(points.clone(), s.shape(false)))?,
            Op::Circle(c, r, s, fill) => area.draw(&Circle::new(*c, *r, s.shape(*fill)))?,
            Op::Polygon(points, s) => area.draw(&Polygon::new(points.clone(), s.shape(true)))?,
            Op::Text(text, font, at) => area.draw_text(text, &font.text_style(), *at)?,
        }
    }
    Ok(())
}
