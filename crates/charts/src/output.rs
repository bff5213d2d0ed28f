//! Charts as files for the CLI and slides: SVG text, and PNG bytes with the
//! `png` feature.

use plotters::prelude::*;

use crate::chart::Canvas;
use crate::style::{Look, Render};
use crate::{ChartData, ChartError, ChartKind, ChartOptions, draw_recorded};

/// A chart's layout, drawn on the recorder (see [`draw_recorded`]).
pub(crate) type Draw<'a> = dyn Fn(&Canvas<'_>, &Look) -> Result<(), ChartError> + 'a;

/// Draws `chart` as an SVG document `width`×`height` pixels.
///
/// Text is left to the SVG viewer's sans-serif font; sizes match the canvas.
pub fn svg(
    chart: ChartKind,
    data: &ChartData,
    opts: &ChartOptions,
    width: u32,
    height: u32,
) -> Result<String, ChartError> {
    svg_with((width, height), opts, &|c, look| {
        (chart.chart().draw)(c, data, look)
    })
}

/// An SVG document `size` pixels drawn by `draw`.
pub(crate) fn svg_with(
    size: (u32, u32),
    opts: &ChartOptions,
    draw: &Draw<'_>,
) -> Result<String, ChartError> {
    // plotters' SVG backend writes font sizes divided by 1.24.
    let render = Render {
        text: 1.24,
        supersample: 1.0,
    };
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw_recorded(&root, opts, render, draw)?;
        root.present()?;
    }
    Ok(out)
}

/// Draws `chart` as a PNG image `width`×`height` pixels (8-bit RGB), with
/// the bundled DejaVu Sans font, antialiased by drawing at twice the size.
#[cfg(all(feature = "png", not(target_arch = "wasm32")))]
pub fn png(
    chart: ChartKind,
    data: &ChartData,
    opts: &ChartOptions,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, ChartError> {
    png_with((width, height), opts, &|c, look| {
        (chart.chart().draw)(c, data, look)
    })
}

/// A PNG image `size` pixels drawn by `draw`: drawn at
/// [`crate::bitmap::SUPERSAMPLE`] times the size with the bundled font,
/// then scaled down and encoded (8-bit RGB).
#[cfg(all(feature = "png", not(target_arch = "wasm32")))]
pub(crate) fn png_with(
    (width, height): (u32, u32),
    opts: &ChartOptions,
    draw: &Draw<'_>,
) -> Result<Vec<u8>, ChartError> {
    use crate::bitmap::{SUPERSAMPLE, TextBitmap, downsample, font};

    let render = Render {
        text: 1.0,
        supersample: f64::from(SUPERSAMPLE),
    };
    let (bw, bh) = (
        width.saturating_mul(SUPERSAMPLE),
        height.saturating_mul(SUPERSAMPLE),
    );
    let mut big = vec![0u8; (bw as usize).saturating_mul(bh as usize).saturating_mul(3)];
    {
        let inner = BitMapBackend::with_buffer(&mut big, (bw, bh));
        let root = TextBitmap {
            inner,
            font: font()?,
        }
        .into_drawing_area();
        draw_recorded(&root, opts, render, draw)?;
        root.present()?;
    }
    let pixels = downsample(&big, bw, bh);
    let mut bytes = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(::png::ColorType::Rgb);
    encoder.set_depth(::png::BitDepth::Eight);
    encoder.set_compression(::png::Compression::Best);
    let encode = |e: ::png::EncodingError| ChartError::Encode(e.to_string());
    let mut writer = encoder.write_header().map_err(encode)?;
    writer.write_image_data(&pixels).map_err(encode)?;
    writer.finish().map_err(encode)?;
    Ok(bytes)
}
