//! The chart registry: every chart kind, each declared in one file of
//! `chart/` (its name, drawing, CSV and text summary) and listed by one line
//! below. Adding a chart is a new file and a new line; nothing else in the
//! crate names chart kinds.
//!
//! ```text
//!  ChartKind::Latency ──chart()──> &latency::CHART { name, draw, csv, summary }
//!  "latency" ──ChartKind::from_name──┘
//! ```

mod amplification;
mod breakers;
mod cache;
mod goodput;
mod latency;
mod pool;
mod queues;
mod rates;
mod retries;
mod throughput;
mod timeline;
mod utilization;

use plotters::coord::Shift;
use plotters::prelude::DrawingArea;

use crate::record::Recorder;
use crate::style::Look;
use crate::{ChartData, ChartError};

/// The area a chart draws on: a recording of the drawing, replayed onto
/// the real backend (see `record.rs`), so chart code is compiled once.
pub(crate) type Canvas<'a> = DrawingArea<Recorder<'a>, Shift>;

/// What a chart kind declares, in one place.
pub(crate) struct Chart {
    /// The name used in widget blocks, on the command line and in file names.
    pub(crate) name: &'static str,
    /// Draws the chart, filling the area.
    pub(crate) draw: fn(&Canvas<'_>, &ChartData, &Look) -> Result<(), ChartError>,
    /// The numbers behind the chart as CSV with a header row.
    pub(crate) csv: fn(&ChartData) -> String,
    /// The key numbers in a sentence or two, for screen readers.
    pub(crate) summary: fn(&ChartData) -> String,
}

/// Declares [`ChartKind`] from `Variant => module` lines, each module
/// holding a `CHART`.
macro_rules! registry {
    ($($(#[doc = $doc:literal])* $kind:ident => $module:ident,)*) => {
        /// The charts there are. Widget blocks and the CLI name them by
        /// [`ChartKind::name`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ChartKind {
            $($(#[doc = $doc])* $kind,)*
        }

        impl ChartKind {
            /// Every chart kind, in registry order.
            pub const ALL: [ChartKind; [$(stringify!($kind)),*].len()] = [$(ChartKind::$kind),*];

            /// The chart's declaration.
            pub(crate) fn chart(self) -> &'static Chart {
                match self {
                    $(ChartKind::$kind => &$module::CHART,)*
                }
            }
        }
    };
}

registry! {
    /// p50 and p99 latency over time.
    Latency => latency,
    /// Throughput (and arrivals) over time.
    Throughput => throughput,
    /// Queue depth per server over time.
    Queues => queues,
    /// Utilisation per server.
    Utilization => utilization,
    /// Offered load, goodput and attempts of logical requests over time.
    Goodput => goodput,
    /// Timeouts, retries and throttled attempts over time.
    Retries => retries,
    /// Attempts per logical request over time.
    Amplification => amplification,
    /// Every write of clients contending for one record, one row per client.
    Timeline => timeline,
    /// Every circuit breaker's state over time, one row per breaker.
    Breakers => breakers,
    /// A cache's hit ratio beside the backend work it did not avoid.
    Cache => cache,
    /// A pool's wait for a connection beside the time in its database.
    Pool => pool,
}

impl ChartKind {
    /// The name used in widget blocks, on the command line and in file
    /// names: `latency`.
    pub fn name(self) -> &'static str {
        self.chart().name
    }

    /// The chart called `name`.
    pub fn from_name(name: &str) -> Option<ChartKind> {
        ChartKind::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The names of every chart, comma-separated, for error messages.
    pub fn names() -> String {
        ChartKind::ALL.map(ChartKind::name).join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_is_found_by_its_own_name_and_names_are_unique() {
        for kind in ChartKind::ALL {
            assert_eq!(ChartKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(
            ChartKind::names(),
            "latency, throughput, queues, utilization, goodput, retries, amplification, timeline, breakers, cache, pool"
        );
        assert_eq!(ChartKind::from_name("pie"), None);
    }
}
