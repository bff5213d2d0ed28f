//! The latency chart: p50 and p99 per time bucket on a log scale, because a
//! brownout takes p99 from tens of milliseconds to tens of seconds and a
//! linear axis would flatten everything before it.
//!
//! p99 is the thick line, p50 the thin deeper-shaded one below it; in compare mode
//! side A is solid and side B dashed. Empty buckets are gaps.

use plotters::prelude::*;

use super::{Canvas, Chart};
use crate::csv;
use crate::frame::{self, builder, segments};
use crate::legend::LegendEntry;
use crate::marks::draw_segments;
use crate::style::{LineLook, Look};
use crate::{ChartData, ChartError, Run, format};
use brownout_sim::Series;

const TITLES: [&str; 2] = [
    "Latency: median (p50) and 99th percentile (p99)",
    "Latency: p50 and p99",
];
const X_CAPTION: &str = "Simulated time (s)";

/// The latency chart, as the registry knows it.
pub(crate) const CHART: Chart = Chart {
    name: "latency",
    draw,
    csv: csv_of,
    summary,
};

/// The two lines of side `i`: p99 then p50.
fn lines(look: &Look, i: usize) -> [LineLook; 2] {
    let c = look.side_color(i);
    let dash = Look::side_dash(i);
    [
        LineLook {
            color: c.mix(1.0),
            width: 2.5,
            dash,
        },
        // A deeper shade, 1.5 px: a line one device pixel wide on a
        // whole-pixel centre is smeared over two rows at half strength.
        LineLook {
            color: look.secondary_color(i).mix(1.0),
            width: 1.5,
            dash,
        },
    ]
}

/// Picks a per-bucket series out of a run's.
pub(super) type SeriesOf = fn(&Series) -> &[Option<f64>];

/// Two per-bucket series of milliseconds drawn on a log scale, a thick
/// one and a thin deeper-shaded one, per side: the latency chart's p99 and p50,
/// the pool chart's time in the database and wait for a connection.
pub(super) struct LogSpec {
    pub(super) titles: [&'static str; 2],
    /// The y caption before " per N s bucket (log scale)".
    pub(super) caption: &'static str,
    /// Legend suffixes of the thick and the thin line.
    pub(super) labels: [&'static str; 2],
    /// The thick and the thin series.
    pub(super) series: [SeriesOf; 2],
    /// What to say when neither has a value.
    pub(super) empty: &'static str,
}

const SPEC: LogSpec = LogSpec {
    titles: TITLES,
    caption: "Latency",
    labels: ["p99", "p50"],
    series: [|s| &s.p99_ms, |s| &s.p50_ms],
    empty: "No request completed in this run",
};

fn draw(root: &Canvas<'_>, data: &ChartData, look: &Look) -> Result<(), ChartError> {
    draw_log(root, data, look, &SPEC)
}

pub(super) fn draw_log(
    root: &Canvas<'_>,
    data: &ChartData,
    look: &Look,
    spec: &LogSpec,
) -> Result<(), ChartError> {
    let mut entries = Vec::new();
    for (i, run) in data.runs().enumerate() {
        let [thick, thin] = lines(look, i);
        entries.push(LegendEntry::line(data.labelled(run, spec.labels[0]), thick));
        entries.push(LegendEntry::line(data.labelled(run, spec.labels[1]), thin));
    }
    let area = frame::frame(root, look, &spec.titles, &entries)?;
    let bucket = format::trim(data.a.result.series.bucket_s, 2);
    let area = frame::caption(
        &area,
        look,
        &format!("{} per {bucket} s bucket (log scale)", spec.caption),
    )?;
    let Some((lo, hi)) = value_range(data, spec) else {
        return frame::no_data(&area, look, spec.empty);
    };
    let plot_css_height = f64::from(area.dim_in_pixel().1) / look.scale - 40.0;
    let ticks = log_ticks(lo, hi, (plot_css_height / 32.0).max(2.0) as usize);
    let y_label_px = frame::label_width(&area, look, ticks.iter().map(|v| format::ms(*v)))?;
    let mut chart = builder(&area, look, y_label_px, true).build_cartesian_2d(
        frame::time_range(data),
        (lo..hi).log_scale().with_key_points(ticks),
    )?;
    let x_labels = frame::x_label_count(look, chart.plotting_area().dim_in_pixel().0);
    frame::mesh(
        &mut chart,
        look,
        X_CAPTION,
        (x_labels, 12),
        &|t| format::num(*t),
        &|v| format::ms(*v),
    )?;
    let plot = chart.plotting_area();
    for (i, run) in data.runs().enumerate() {
        let s = &run.result.series;
        let [thick, thin] = lines(look, i);
        let [a, b] = spec.series;
        draw_segments(plot, segments(&s.t_s, s.bucket_s, b(s)), &thin, look)?;
        draw_segments(plot, segments(&s.t_s, s.bucket_s, a(s)), &thick, look)?;
    }
    frame::cursor(&chart, look)
}

/// The y range covering both series of both runs, with a margin, or
/// `None` when no bucket has a value.
fn value_range(data: &ChartData, spec: &LogSpec) -> Option<(f64, f64)> {
    let [a, b] = spec.series;
    let values = data.runs().flat_map(|r| {
        let s = &r.result.series;
        a(s).iter().chain(b(s)).flatten().copied()
    });
    let (lo, hi) = values
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((f64::INFINITY, 0.0_f64), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if hi <= 0.0 {
        return None;
    }
    // At least a factor of 10 tall, so a flat run does not look jagged.
    let mid = (lo * hi).sqrt();
    let (lo, hi) = (lo.min(mid / 3.2), hi.max(mid * 3.2));
    Some((lo / 1.25, hi * 1.25))
}

/// Tick values for a log axis from `lo` to `hi`: 1-2-5 per decade when
/// that fits in `max` labels, else decades, else every other decade.
fn log_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    let candidates = |mantissas: &[f64], step: usize| -> Vec<f64> {
        (first..=last)
            .step_by(step)
            .flat_map(|e| mantissas.iter().map(move |m| m * 10f64.powi(e)))
            .filter(|v| *v >= lo && *v <= hi)
            .collect()
    };
    for (mantissas, step) in [
        (&[1.0, 2.0, 5.0][..], 1),
        (&[1.0][..], 1),
        (&[1.0][..], 2),
        (&[1.0][..], 3),
    ] {
        let ticks = candidates(mantissas, step);
        if ticks.len() <= max.max(2) {
            return ticks;
        }
    }
    candidates(&[1.0], 4)
}

fn csv_of(data: &ChartData) -> String {
    let suffixes = data.column_suffixes();
    let columns: Vec<_> = data
        .runs()
        .zip(&suffixes)
        .flat_map(|(run, sfx)| csv::latency_columns(&run.result.series, sfx))
        .collect();
    csv::per_bucket(data.bucket_starts(), &columns)
}

fn summary(data: &ChartData) -> String {
    let parts: Vec<String> = data.runs().map(|run| describe(data, run)).collect();
    parts.join(" ")
}

fn describe(data: &ChartData, run: &Run) -> String {
    let prefix = if data.is_compare() {
        format!("{}: ", run.label)
    } else {
        String::new()
    };
    let s = &run.result.series;
    let l = &run.result.summary.latency_ms;
    if run.result.summary.completed == 0 {
        return format!("{prefix}no request completed, so there is no latency to show.");
    }
    let mut text = format!(
        "{prefix}p99 latency {}; p50 {}. Over the whole run p50 is {} and p99 {}.",
        trend(&s.t_s, &s.p99_ms),
        trend(&s.t_s, &s.p50_ms),
        format::ms(l.p50),
        format::ms(l.p99),
    );
    text.push_str(&unfinished_warning(&run.result.summary));
    text
}

/// Share of requests that did not succeed, at or above which the summary
/// warns that the percentiles cover only the survivors.
const UNFINISHED_WARNING: f64 = 0.1;

/// A warning when many (logical) requests did not succeed: the chart's
/// percentiles are of attempts the servers completed, which cannot show the
/// requests that failed or never finished.
fn unfinished_warning(s: &brownout_sim::Summary) -> String {
    let n = s.logical.arrived;
    if n == 0 {
        return String::new();
    }
    let lost = 1.0 - s.logical.succeeded as f64 / n as f64;
    if lost < UNFINISHED_WARNING {
        return String::new();
    }
    format!(
        " {} of requests did not succeed (they failed or never finished); these percentiles are of the work the servers completed, abandoned attempts included, and cannot show them.",
        format::pct(lost)
    )
}

/// How a latency series moves over the bucket starts `t_s`: "rises from
/// 120 ms to 31 s (peak 33 s)"; a peak well above both ends is named with
/// its time, since "falls from 4 ms to 2 ms" would hide a minute at 30 s.
fn trend(t_s: &[f64], values: &[Option<f64>]) -> String {
    let present: Vec<(f64, f64)> = t_s
        .iter()
        .zip(values)
        .filter_map(|(&t, v)| v.filter(|v| v.is_finite()).map(|v| (t, v)))
        .collect();
    let (Some(&(_, first)), Some(&(_, last))) = (present.first(), present.last()) else {
        return "has no values".to_string();
    };
    let (peak_t, peak) = present
        .iter()
        .copied()
        .fold((0.0, f64::MIN), |a, b| if b.1 > a.1 { b } else { a });
    let low = present.iter().map(|p| p.1).fold(f64::MAX, f64::min);
    let (first_ms, last_ms) = (format::ms(first), format::ms(last));
    if peak > 3.0 * first.max(last) {
        return format!(
            "starts at {first_ms}, peaks at {} at {} s and ends at {last_ms}",
            format::ms(peak),
            format::num(peak_t)
        );
    }
    let peak_note = if peak > last * 1.2 {
        format!(" (peak {})", format::ms(peak))
    } else {
        String::new()
    };
    if last > first * 1.5 {
        format!("rises from {first_ms} to {last_ms}{peak_note}")
    } else if last < first / 1.5 {
        format!("falls from {first_ms} to {last_ms}{peak_note}")
    } else {
        format!("ranges from {} to {}", format::ms(low), format::ms(peak))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_range_gets_one_tick_per_decade() {
        assert_eq!(log_ticks(20.0, 40_000.0, 6), vec![100.0, 1000.0, 10_000.0]);
        assert_eq!(log_ticks(30.0, 400.0, 8), vec![50.0, 100.0, 200.0]);
    }

    #[test]
    fn a_trend_names_its_endpoints_and_peak() {
        let t = [0.0, 1.0, 2.0, 3.0];
        let v = [Some(100.0), None, Some(50_000.0), Some(31_000.0)];
        assert_eq!(trend(&t, &v), "rises from 100 ms to 31 s (peak 50 s)");
        assert_eq!(
            trend(&t, &[Some(40.0), Some(45.0)]),
            "ranges from 40 ms to 45 ms"
        );
    }

    #[test]
    fn a_peak_far_above_both_ends_is_named_with_its_time() {
        // The flash sale's p99: milliseconds, ten seconds for two minutes,
        // milliseconds again. "Falls from 3.7 ms to 1.5 ms" hid it.
        let t = [0.0, 60.0, 120.0, 180.0, 240.0];
        let v = [Some(3.7), Some(9_000.0), Some(30_000.0), None, Some(1.5)];
        assert_eq!(
            trend(&t, &v),
            "starts at 3.7 ms, peaks at 30 s at 120 s and ends at 1.5 ms"
        );
    }

    #[test]
    fn a_run_that_lost_many_requests_warns_that_percentiles_hide_them() {
        let mut s = brownout_sim::Summary::default();
        assert_eq!(unfinished_warning(&s), "", "nothing arrived");
        s.logical.arrived = 1000;
        s.logical.succeeded = 950;
        assert_eq!(unfinished_warning(&s), "", "5% lost: no warning");
        s.logical.succeeded = 100;
        assert!(unfinished_warning(&s).contains("90% of requests did not succeed"));
    }
}
