//! PNG output: a bitmap backend that draws text itself with a bundled font,
//! rendered at twice the size and scaled down so lines and text are smooth.
//!
//! plotters' own bitmap text (its `ab_glyph` feature) drops each glyph's side
//! bearing, which spaces letters unevenly, and needs a process-wide font
//! registry; laying glyphs out here avoids both.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
    text_anchor::{HPos, VPos},
};

use crate::ChartError;

/// DejaVu Sans (see `fonts/LICENSE-DejaVu`): wide coverage, free to bundle.
static DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// How many device pixels each output pixel is drawn with, per side.
pub(crate) const SUPERSAMPLE: u32 = 2;

/// The bundled font.
pub(crate) fn font() -> Result<FontRef<'static>, ChartError> {
    FontRef::try_from_slice(DEJAVU_SANS).map_err(|_| ChartError::Font)
}

/// A bitmap backend whose text is laid out and rasterised with `font`.
pub(crate) struct TextBitmap<'a> {
    pub(crate) inner: BitMapBackend<'a>,
    pub(crate) font: FontRef<'static>,
}

type BitmapError<'a> = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

impl TextBitmap<'_> {
    /// The pixel scale for a CSS font size `size` (em) in pixels.
    fn scale(&self, size: f64) -> PxScale {
        let upem = self.font.units_per_em().unwrap_or(2048.0);
        PxScale::from(size as f32 * self.font.height_unscaled() / upem)
    }

    /// Width and height (ascent + descent) of `text` in pixels.
    fn measure(&self, text: &str, scale: PxScale) -> (f32, f32) {
        let sf = self.font.as_scaled(scale);
        let mut caret = 0.0;
        let mut prev = None;
        for c in text.chars() {
            let id = sf.glyph_id(c);
            if let Some(p) = prev {
                caret += sf.kern(p, id);
            }
            caret += sf.h_advance(id);
            prev = Some(id);
        }
        (caret, sf.ascent() - sf.descent())
    }
}

impl<'a> DrawingBackend for TextBitmap<'a> {
    type ErrorType = BitmapError<'a>;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        p: BackendCoord,
        c: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(p, c)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(a, b, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let (w, h) = self.measure(text, self.scale(style.size()));
        Ok((w.ceil() as u32, h.ceil() as u32))
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let scale = self.scale(style.size());
        let (w, h) = self.measure(text, scale);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -w / 2.0,
            HPos::Right => -w,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -h / 2.0,
            VPos::Bottom => -h,
        };
        let trans = style.transform();
        let font = self.font.clone();
        let sf = font.as_scaled(scale);
        let mut caret = dx;
        let mut prev = None;
        for c in text.chars() {
            let id = sf.glyph_id(c);
            if let Some(p) = prev {
                caret += sf.kern(p, id);
            }
            prev = Some(id);
            let glyph = id.with_scale_and_position(scale, point(caret, dy + sf.ascent()));
            caret += sf.h_advance(id);
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let mut pixels = Vec::new();
            outline.draw(|x, y, coverage| {
                if coverage > 0.0 {
                    let (ox, oy) = (
                        bounds.min.x as i32 + x as i32,
                        bounds.min.y as i32 + y as i32,
                    );
                    pixels.push((trans.transform(ox, oy), coverage));
                }
            });
            for ((x, y), coverage) in pixels {
                let c = BackendColor {
                    alpha: color.alpha * f64::from(coverage.min(1.0)),
                    rgb: color.rgb,
                };
                self.inner.draw_pixel((pos.0 + x, pos.1 + y), c)?;
            }
        }
        Ok(())
    }
}

/// Averages each `SUPERSAMPLE`×`SUPERSAMPLE` block of an RGB image `width`
/// pixels wide (at the large size) into one pixel.
pub(crate) fn downsample(big: &[u8], width: u32, height: u32) -> Vec<u8> {
    let k = SUPERSAMPLE as usize;
    let (bw, w, h) = (width as usize, width as usize / k, height as usize / k);
    let mut out = vec![0u8; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            for ch in 0..3 {
                let mut sum = 0u32;
                for sy in 0..k {
                    for sx in 0..k {
                        sum += u32::from(
                            big.get(((y * k + sy) * bw + x * k + sx) * 3 + ch)
                                .copied()
                                .unwrap_or(0),
                        );
                    }
                }
                if let Some(px) = out.get_mut((y * w + x) * 3 + ch) {
                    *px = (sum / (k * k) as u32) as u8;
                }
            }
        }
    }
    out
}
