//! Why a chart could not be drawn.

use std::fmt;

use plotters::drawing::DrawingAreaErrorKind;

/// Why a chart could not be drawn or encoded.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ChartError {
    /// `ChartOptions::scale` is not a number from 0.25 to 8.
    InvalidScale(f64),
    /// The drawing area is too small for a readable chart; sizes in device
    /// pixels, with the minimum for the scale in use.
    TooSmall {
        /// Width given.
        width: u32,
        /// Height given.
        height: u32,
        /// Smallest width accepted at this scale.
        min_width: u32,
        /// Smallest height accepted at this scale.
        min_height: u32,
    },
    /// The drawing backend (canvas, SVG, bitmap) reported an error.
    Backend(String),
    /// The bundled font could not be loaded (PNG output only).
    Font,
    /// The PNG encoder failed.
    Encode(String),
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::InvalidScale(s) => {
                write!(f, "chart scale must be a number from 0.25 to 8, got {s}")
            }
            ChartError::TooSmall {
                width,
                height,
                min_width,
                min_height,
            } => write!(
                f,
                "a chart needs at least {min_width}×{min_height} pixels at this scale, got {width}×{height}"
            ),
            ChartError::Backend(e) => write!(f, "drawing the chart failed: {e}"),
            ChartError::Font => write!(f, "the bundled chart font could not be loaded"),
            ChartError::Encode(e) => write!(f, "encoding the chart as PNG failed: {e}"),
        }
    }
}

impl std::error::Error for ChartError {}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Backend(e.to_string())
    }
}
