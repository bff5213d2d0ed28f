//! Colours for light and dark pages, fonts, line patterns and sizes, all
//! scaled for HiDPI screens.
//!
//! The colours are the Okabe–Ito palette (readable with every common
//! colour-vision deficiency), lightened for dark pages. Colour is never the
//! only carrier of meaning: side B is dashed or outlined, server groups also
//! differ by line pattern, and every line has a legend entry.

use plotters::prelude::*;
use plotters::style::{FontFamily, FontStyle, RGBAColor};

use crate::{ChartError, ChartOptions};

/// The font family of every label. Browsers and SVG viewers pick their own
/// sans-serif; PNG output registers a bundled font under this name.
pub(crate) const FONT: &str = "sans-serif";

/// Page colours: the site has a light and a dark theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Theme {
    /// Dark text on white.
    #[default]
    Light,
    /// Light text on a near-black page.
    Dark,
}

/// The colours of one theme.
pub(crate) struct Palette {
    pub(crate) background: RGBColor,
    pub(crate) text: RGBColor,
    pub(crate) muted: RGBColor,
    pub(crate) grid: RGBColor,
    pub(crate) axis: RGBColor,
    /// Side A, side B.
    pub(crate) sides: [RGBColor; 2],
    /// Arrivals and other reference lines.
    pub(crate) reference: RGBColor,
    /// Share of the text colour mixed into a side's colour for its
    /// secondary lines (p50 under p99): a deeper shade of the same hue, told
    /// apart from the main line by more than its width, and never paler
    /// than it against the page.
    pub(crate) secondary: f64,
    /// Server groups, in scenario order (cycled).
    pub(crate) groups: [RGBColor; 6],
}

const LIGHT: Palette = Palette {
    background: RGBColor(255, 255, 255),
    text: RGBColor(31, 35, 40),
    muted: RGBColor(87, 96, 106),
    grid: RGBColor(230, 232, 235),
    axis: RGBColor(140, 149, 159),
    sides: [RGBColor(0, 114, 178), RGBColor(213, 94, 0)],
    reference: RGBColor(110, 118, 129),
    secondary: 0.45,
    // Okabe–Ito, with its orange and sky blue darkened by 15% to reach 3:1
    // on white (they had 2.3:1).
    groups: [
        RGBColor(0, 114, 178),
        RGBColor(196, 135, 0),
        RGBColor(0, 158, 115),
        RGBColor(204, 121, 167),
        RGBColor(213, 94, 0),
        RGBColor(73, 153, 198),
    ],
};

const DARK: Palette = Palette {
    background: RGBColor(22, 24, 29),
    text: RGBColor(230, 237, 243),
    muted: RGBColor(157, 167, 179),
    grid: RGBColor(45, 51, 59),
    axis: RGBColor(110, 118, 129),
    sides: [RGBColor(86, 180, 233), RGBColor(240, 140, 60)],
    reference: RGBColor(139, 148, 158),
    secondary: 0.65,
    groups: [
        RGBColor(86, 180, 233),
        RGBColor(230, 159, 0),
        RGBColor(40, 190, 145),
        RGBColor(224, 141, 187),
        RGBColor(240, 228, 66),
        RGBColor(240, 120, 50),
    ],
};

/// How a line is stroked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dash {
    Solid,
    Dashed,
    Dotted,
    Long,
}

impl Dash {
    /// The pattern of server group `i` (cycled).
    pub(crate) fn of_group(i: usize) -> Dash {
        [Dash::Solid, Dash::Dashed, Dash::Long, Dash::Dotted][i % 4]
    }

    /// Dash and gap length in CSS pixels, for a line `width` wide.
    pub(crate) fn pattern(self, width: f64) -> Option<(f64, f64)> {
        match self {
            Dash::Solid => None,
            Dash::Dashed => Some((7.0, 4.0)),
            Dash::Dotted => Some((width.max(1.5), 3.0)),
            Dash::Long => Some((14.0, 4.0)),
        }
    }
}

/// A line's colour, width (CSS pixels) and pattern.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LineLook {
    pub(crate) color: RGBAColor,
    pub(crate) width: f64,
    pub(crate) dash: Dash,
}

/// How a backend reads sizes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Render {
    /// Font size factor: plotters' SVG backend divides font sizes by 1.24,
    /// the canvas does not.
    pub(crate) text: f64,
    /// Drawn this many times larger than the output (PNG antialiasing).
    pub(crate) supersample: f64,
}

impl Render {
    /// Sizes as given: the canvas.
    pub(crate) const DIRECT: Render = Render {
        text: 1.0,
        supersample: 1.0,
    };
}

/// Everything the charts need to know about how to draw, resolved from
/// [`ChartOptions`] and the size of the area.
pub(crate) struct Look {
    /// Device pixels per CSS pixel, supersampling included.
    pub(crate) scale: f64,
    /// Extra factor for font sizes.
    text: f64,
    pub(crate) palette: &'static Palette,
    pub(crate) cursor_s: Option<f64>,
    /// Width of the whole chart in CSS pixels.
    pub(crate) css_width: f64,
}

/// The smallest chart, in CSS pixels, that still reads.
const MIN_CSS: (f64, f64) = (200.0, 140.0);

impl Look {
    /// Checks the options against an area `size` (device pixels).
    pub(crate) fn new(
        opts: &ChartOptions,
        render: Render,
        size: (u32, u32),
    ) -> Result<Look, ChartError> {
        if !(0.25..=8.0).contains(&opts.scale) {
            return Err(ChartError::InvalidScale(opts.scale));
        }
        let scale = opts.scale * render.supersample;
        let min_width = (MIN_CSS.0 * scale).ceil() as u32;
        let min_height = (MIN_CSS.1 * scale).ceil() as u32;
        if size.0 < min_width || size.1 < min_height {
            let out = |v: u32| (f64::from(v) / render.supersample).round() as u32;
            return Err(ChartError::TooSmall {
                width: out(size.0),
                height: out(size.1),
                min_width: out(min_width),
                min_height: out(min_height),
            });
        }
        let palette = match opts.theme {
            Theme::Light => &LIGHT,
            Theme::Dark => &DARK,
        };
        let cursor_s = opts.cursor_s.filter(|t| t.is_finite());
        Ok(Look {
            scale,
            text: render.text,
            palette,
            cursor_s,
            css_width: f64::from(size.0) / scale,
        })
    }

    /// `css` CSS pixels in device pixels, at least 1.
    pub(crate) fn px(&self, css: f64) -> i32 {
        (css * self.scale).round().max(1.0) as i32
    }

    /// `css` CSS pixels in device pixels, for sizes.
    pub(crate) fn upx(&self, css: f64) -> u32 {
        self.px(css).unsigned_abs()
    }

    /// A text style `size` CSS pixels high in `color`.
    pub(crate) fn font(&self, size: f64, color: &RGBColor) -> TextStyle<'static> {
        (
            FontFamily::Name(FONT),
            size * self.scale * self.text,
            FontStyle::Normal,
        )
            .into_font()
            .color(color)
    }

    /// The chart title.
    pub(crate) fn title_font(&self) -> TextStyle<'static> {
        self.font(15.0, &self.palette.text)
    }

    /// Legend entries and panel captions.
    pub(crate) fn label_font(&self) -> TextStyle<'static> {
        self.font(12.0, &self.palette.text)
    }

    /// Tick labels and axis captions.
    pub(crate) fn tick_font(&self) -> TextStyle<'static> {
        self.font(11.0, &self.palette.muted)
    }

    /// The colour of side `i` (0 = A, 1 = B).
    pub(crate) fn side_color(&self, i: usize) -> RGBColor {
        self.palette.sides[i.min(1)]
    }

    /// How side `i` shows what it was offered (arrivals) when the two sides
    /// were offered different traffic: side A as the usual shaded area,
    /// side B as a dashed outline, so the two never blend into a third
    /// colour and their legend swatches tell apart. `None`: an area.
    pub(crate) fn offered_outline(&self, i: usize) -> Option<LineLook> {
        (i > 0).then(|| LineLook {
            color: self.palette.reference.mix(1.0),
            width: 1.5,
            dash: Dash::Dashed,
        })
    }

    /// The colour of side `i`'s secondary lines: its colour with
    /// [`Palette::secondary`] of the text colour mixed in.
    pub(crate) fn secondary_color(&self, i: usize) -> RGBColor {
        let (c, t, k) = (
            self.side_color(i),
            self.palette.text,
            self.palette.secondary,
        );
        let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * k).round() as u8;
        RGBColor(mix(c.0, t.0), mix(c.1, t.1), mix(c.2, t.2))
    }

    /// The fill of an area of arrivals.
    pub(crate) fn area_color(&self) -> RGBAColor {
        self.palette.reference.mix(0.22)
    }

    /// The colour of server group `i`.
    pub(crate) fn group_color(&self, i: usize) -> RGBColor {
        self.palette.groups[i % self.palette.groups.len()]
    }

    /// The stroke of side `i`: A solid, B dashed.
    pub(crate) fn side_dash(i: usize) -> Dash {
        if i == 0 { Dash::Solid } else { Dash::Dashed }
    }

    /// Whether the chart is narrow (a phone held upright).
    pub(crate) fn narrow(&self) -> bool {
        self.css_width < 560.0
    }

    /// A shape style for `line`.
    pub(crate) fn stroke(&self, line: &LineLook) -> ShapeStyle {
        ShapeStyle {
            color: line.color,
            filled: false,
            stroke_width: self.upx(line.width),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG's relative luminance of an sRGB colour.
    fn luminance(rgb: [f64; 3]) -> f64 {
        let lin = |v: f64| {
            let v = v / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2])
    }

    /// WCAG's contrast ratio between two colours.
    fn contrast(a: RGBColor, b: RGBColor) -> f64 {
        let rgb = |c: RGBColor| [c.0, c.1, c.2].map(f64::from);
        let (a, b) = (luminance(rgb(a)), luminance(rgb(b)));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    #[test]
    fn every_group_colour_has_three_to_one_contrast() {
        for palette in [&LIGHT, &DARK] {
            for group in palette.groups {
                let ratio = contrast(group, palette.background);
                assert!(ratio >= 3.0, "{group:?}: {ratio:.2}:1");
            }
        }
    }

    #[test]
    fn both_sides_lines_keep_three_to_one_contrast_even_when_secondary() {
        // p50 under p99 was drawn at 55% opacity: 2.3:1 (blue) and 2.1:1
        // (orange) on white, hard to see on a phone.
        for theme in [Theme::Light, Theme::Dark] {
            let opts = ChartOptions {
                theme,
                ..ChartOptions::default()
            };
            let look = Look::new(&opts, Render::DIRECT, (800, 400)).expect("a look");
            let bg = look.palette.background;
            for side in 0..2 {
                for c in [look.side_color(side), look.secondary_color(side)] {
                    let ratio = contrast(c, bg);
                    assert!(ratio >= 3.0, "{c:?}: {ratio:.2}:1");
                }
                // The shade differs from the main line by a visible step.
                let (main, second) = (look.side_color(side), look.secondary_color(side));
                let step = contrast(main, second);
                assert!(step >= 1.5, "{main:?} vs {second:?}: {step:.2}:1");
            }
        }
    }
}
