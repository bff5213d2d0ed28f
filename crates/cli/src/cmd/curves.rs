//! `brownout sweep --line … --curves FILE`: the sweep's configurations as
//! lines, and the curves chart of a metric against the first parameter,
//! averaged over the other parameters (usually `seed`), as the site's sweep
//! curves draw it.
//!
//! ```text
//! brownout sweep --preset backoff-occ --param contention.clients=10..190:10 \
//!     --param seed=1..20:1 --line 'No jitter: client.backoff.jitter=none' \
//!     --line 'Full jitter: client.backoff.jitter=full' \
//!     --metric contention.writes --metric contention.makespan_ms --curves calls.svg
//! ```

use std::path::Path;

use brownout_charts::ChartOptions;
use brownout_charts::curves::{CurveLine, CurvePanel, Curves, curves_csv, curves_png, curves_svg};
use brownout_charts::format;
use brownout_content::metric::{Format, metric, read};
use brownout_sim::ValidScenario;
use serde_json::Value;

use super::source::parse_set;
use super::sweep::Param;

/// One configuration of a sweep: a label and the fields it sets.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Line {
    pub(crate) label: String,
    pub(crate) sets: Vec<(String, Value)>,
}

/// Reads `LABEL: PATH=VALUE; PATH=VALUE`.
pub(crate) fn parse_line(arg: &str) -> Result<Line, String> {
    let usage = || {
        format!(
            "--line {arg}: expected LABEL: PATH=VALUE[; PATH=VALUE], e.g. 'Full jitter: client.backoff.jitter=full'"
        )
    };
    let (label, sets) = arg.split_once(':').ok_or_else(usage)?;
    let label = label.trim();
    if label.is_empty() || sets.trim().is_empty() {
        return Err(usage());
    }
    let sets = sets
        .split(';')
        .map(|s| parse_set(s).map_err(|e| format!("--line {label}: {e}")))
        .collect::<Result<_, _>>()?;
    Ok(Line {
        label: label.to_string(),
        sets,
    })
}

/// `base` with the line's fields set.
pub(crate) fn apply(base: &ValidScenario, line: &Line) -> Result<ValidScenario, String> {
    let mut s = base.clone();
    for (path, v) in &line.sets {
        s = s
            .scenario()
            .with_value(path, v.clone())
            .map_err(|e| format!("--line {}: {e}", line.label))?;
    }
    Ok(s)
}

/// How a panel's values are written: as its metric is, where it is one.
fn text_of(path: &str) -> fn(f64) -> String {
    metric(path).map_or(format::amount, |m| m.format.axis())
}

/// Draws the curves: `summaries` holds, line after line, one summary per
/// grid point (the first parameter varying slowest).
pub(crate) fn write_curves(
    path: &Path,
    lines: &[Line],
    params: &[Param],
    metrics: &[String],
    summaries: &[Value],
) -> Result<(), String> {
    if params.is_empty() || metrics.is_empty() || metrics.len() > 3 {
        return Err("--curves needs a --param for x and one to three --metric".to_string());
    }
    let xs = &params[0].values;
    let per_line = summaries.len() / lines.len().max(1);
    let per_x = per_line / xs.len().max(1);
    let mean = |chunk: &[Value], m: &str| {
        let v: Vec<f64> = chunk
            .iter()
            .filter_map(|s| read(s, m).map(|r| r.value))
            .filter(|v| v.is_finite())
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let curve_lines: Vec<CurveLine> = lines
        .iter()
        .zip(summaries.chunks(per_line.max(1)))
        .map(|(line, runs)| CurveLine {
            label: &line.label,
            values: metrics
                .iter()
                .map(|m| runs.chunks(per_x.max(1)).map(|c| mean(c, m)).collect())
                .collect(),
        })
        .collect();
    let captions: Vec<String> = metrics
        .iter()
        .map(|m| match metric(m) {
            // As the site captions them: times and counts carry their unit.
            Some(def) if matches!(def.format, Format::Rate | Format::Amount) => {
                format::caption(def.label, def.unit)
            }
            Some(def) => def.label.to_string(),
            None => m.clone(),
        })
        .collect();
    let panels: Vec<CurvePanel> = metrics
        .iter()
        .zip(&captions)
        .map(|(m, caption)| CurvePanel {
            caption,
            column: m,
            text: text_of(m),
        })
        .collect();
    let title = if per_x > 1 {
        format!("Mean over {per_x} runs per point")
    } else {
        "One run per point".to_string()
    };
    let curves = Curves {
        title: &title,
        short_title: &title,
        x_label: &params[0].path,
        xs,
        panels: &panels,
        lines: &curve_lines,
        theory: None,
        marks: &[],
        log_x: false,
    };
    let opts = ChartOptions::default();
    let draw = |e: brownout_charts::ChartError| format!("drawing the curves: {e}");
    let bytes = match path.extension().and_then(|e| e.to_str()) {
        Some("svg") => curves_svg(&curves, &opts, 960, 480)
            .map_err(draw)?
            .into_bytes(),
        Some("png") => curves_png(&curves, &opts, 960, 480).map_err(draw)?,
        Some("csv") => curves_csv(&curves, &params[0].path).into_bytes(),
        _ => {
            return Err(format!(
                "--curves {}: name a .svg, .png or .csv file",
                path.display()
            ));
        }
    };
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_has_a_label_and_one_or_more_fields() {
        let l = parse_line("Full jitter: client.backoff.jitter=full; client.backoff.base_ms=5")
            .expect("valid");
        assert_eq!(l.label, "Full jitter");
        assert_eq!(
            l.sets,
            vec![
                ("client.backoff.jitter".to_string(), Value::from("full")),
                ("client.backoff.base_ms".to_string(), Value::from(5)),
            ]
        );
        for bad in ["no colon", ": x=1", "Label:", "Label: novalue"] {
            assert!(parse_line(bad).expect_err(bad).contains("--line"), "{bad}");
        }
    }
}
