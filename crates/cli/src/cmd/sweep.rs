//! `brownout sweep`: run a scenario over a grid of parameter values, on
//! every core, and print one row (or JSON object) per grid point.
//!
//! ```text
//! brownout sweep --preset retry-storm --param traffic.rate_rps=30..70:10 \
//!     --param 'traffic.changes[0].rate_rps=100..400:100' --metric recovered_after_s
//! ```

use std::io::IsTerminal;

use brownout_charts::ChartOptions;
use brownout_charts::map::{CellState, MapGrid, map_svg};
use brownout_sim::scenario::{FieldStep, field_steps, number_value as number};
use brownout_sim::{Limits, ValidScenario, simulate};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde_json::{Value, json};

use super::curves::{Line, apply, parse_line, write_curves};
use super::source::Source;

/// Most grid points one sweep runs.
const MAX_POINTS: usize = 10_000;

/// Arguments of `brownout sweep`.
#[derive(Debug, Args)]
pub(crate) struct SweepArgs {
    #[command(flatten)]
    source: Source,
    /// A parameter and its values, `PATH=FROM..TO:STEP` (both ends included).
    /// Several make the product grid.
    #[arg(long = "param", value_name = "PATH=FROM..TO:STEP", required = true)]
    params: Vec<String>,
    /// Summary paths to report (default: goodput_rps, within_slo,
    /// amplification, recovered_after_s). Repeatable.
    #[arg(long = "metric", value_name = "PATH")]
    metrics: Vec<String>,
    /// Print a JSON list, one object per grid point with its parameter
    /// values and its whole summary.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print CSV: the parameters, then the metrics.
    #[arg(long)]
    csv: bool,
    /// Also draw the recovered-or-stuck map of a two-parameter sweep as
    /// SVG to this file: the first parameter across, the second up.
    #[arg(long, value_name = "FILE.svg")]
    map: Option<std::path::PathBuf>,
    /// A configuration to run the whole grid under, `LABEL: PATH=VALUE[;
    /// PATH=VALUE]`; each becomes a line of `--curves` and a `line` column.
    /// Repeatable.
    #[arg(long = "line", value_name = "LABEL: PATH=VALUE")]
    lines: Vec<String>,
    /// Also draw the `--metric`s against the first parameter, one line per
    /// `--line`, each point the mean over the other parameters (e.g.
    /// seeds), to this .svg, .png or .csv file.
    #[arg(long, value_name = "FILE")]
    curves: Option<std::path::PathBuf>,
}

/// One swept parameter.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Param {
    pub(crate) path: String,
    pub(crate) values: Vec<f64>,
}

/// Reads `PATH=FROM..TO:STEP`, or a list `PATH=V1,V2,…` (increasing).
pub(crate) fn parse_param(arg: &str) -> Result<Param, String> {
    let usage = || {
        format!(
            "--param {arg}: expected PATH=FROM..TO:STEP or PATH=V1,V2,…, e.g. traffic.rate_rps=10..100:10 or pool.size=8,16,32"
        )
    };
    let (path, range) = arg.split_once('=').ok_or_else(usage)?;
    if !range.contains("..") {
        let values = range
            .split(',')
            .map(|v| v.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
            .collect::<Option<Vec<f64>>>()
            .ok_or_else(usage)?;
        if values.windows(2).any(|w| w[1] <= w[0]) {
            return Err(format!(
                "--param {arg}: list the values in increasing order"
            ));
        }
        if values.len() > MAX_POINTS {
            return Err(format!(
                "--param {arg}: {} values, more than {MAX_POINTS}",
                values.len()
            ));
        }
        return Ok(Param {
            path: path.trim().to_string(),
            values,
        });
    }
    let (span, step) = range.split_once(':').ok_or_else(usage)?;
    let (from, to) = span.split_once("..").ok_or_else(usage)?;
    let num = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    let (Some(from), Some(to), Some(step)) = (num(from), num(to), num(step)) else {
        return Err(usage());
    };
    if step <= 0.0 || to < from {
        return Err(format!(
            "--param {arg}: needs FROM <= TO and a STEP above 0"
        ));
    }
    let n = ((to - from) / step + 1e-9).floor() as usize + 1;
    if n > MAX_POINTS {
        return Err(format!("--param {arg}: {n} values, more than {MAX_POINTS}"));
    }
    // Computed from the index, not accumulated, so 0.1 steps stay exact-ish.
    let values = (0..n).map(|i| from + i as f64 * step).collect();
    Ok(Param {
        path: path.trim().to_string(),
        values,
    })
}

/// Every combination of the parameters' values, the last varying fastest.
pub(crate) fn grid(params: &[Param]) -> Vec<Vec<f64>> {
    params.iter().fold(vec![Vec::new()], |points, p| {
        points
            .iter()
            .flat_map(|point| {
                p.values.iter().map(move |&v| {
                    let mut next = point.clone();
                    next.push(v);
                    next
                })
            })
            .collect()
    })
}

/// The value at a dotted path of a JSON summary.
fn lookup<'v>(mut v: &'v Value, path: &str) -> Option<&'v Value> {
    for step in field_steps(path) {
        v = match step {
            FieldStep::Key(k) => v.get(k)?,
            FieldStep::Index(i) => v.get(i)?,
        };
    }
    Some(v)
}

/// The scenario at one grid point.
fn at_point(
    base: &ValidScenario,
    params: &[Param],
    point: &[f64],
) -> Result<ValidScenario, String> {
    let mut s = base.clone();
    for (p, &v) in params.iter().zip(point) {
        s = s
            .scenario()
            .with_value(&p.path, number(v))
            .map_err(|e| format!("--param {}={v}: {e}", p.path))?;
    }
    Ok(s)
}

/// Runs the sweep and formats it.
pub(crate) fn run(args: &SweepArgs) -> Result<String, String> {
    let base = args.source.load()?;
    let params: Vec<Param> = args
        .params
        .iter()
        .map(|p| parse_param(p))
        .collect::<Result<_, _>>()?;
    if args.map.is_some() && params.len() != 2 {
        return Err(format!(
            "--map draws two parameters, one across and one up; got {}",
            params.len()
        ));
    }
    let named: Vec<Line> = args
        .lines
        .iter()
        .map(|l| parse_line(l))
        .collect::<Result<_, _>>()?;
    let lines = if named.is_empty() {
        vec![Line {
            label: String::new(),
            sets: Vec::new(),
        }]
    } else {
        named.clone()
    };
    let points = grid(&params);
    let total = points.len() * lines.len();
    if total > MAX_POINTS {
        return Err(format!(
            "the grid has {total} points, more than {MAX_POINTS}"
        ));
    }
    // Every point is checked before any runs, so a bad value fails fast.
    let mut scenarios: Vec<ValidScenario> = Vec::with_capacity(total);
    for line in &lines {
        let base = apply(&base, line)?;
        for p in &points {
            scenarios.push(at_point(&base, &params, p)?);
        }
    }
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} points, {eta} left") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let summaries: Vec<Value> = scenarios
        .par_iter()
        .map(|s| {
            let r = simulate(s, Limits::default());
            bar.inc(1);
            serde_json::to_value(&r.summary).unwrap_or(Value::Null)
        })
        .collect();
    bar.finish_and_clear();
    if let Some(path) = &args.map {
        write_map(path, &params, &summaries[..points.len()])?;
    }
    if let Some(path) = &args.curves {
        write_curves(path, &lines, &params, &args.metrics, &summaries)?;
    }
    // Each row's line label (none without --line) and parameter values.
    let rows = || {
        lines
            .iter()
            .flat_map(|l| points.iter().map(move |p| (l.label.as_str(), p)))
    };
    if args.json {
        let list: Vec<Value> = rows()
            .zip(summaries)
            .map(|((line, point), summary)| {
                let values: serde_json::Map<String, Value> = params
                    .iter()
                    .zip(point)
                    .map(|(p, &v)| (p.path.clone(), number(v)))
                    .collect();
                if named.is_empty() {
                    json!({ "params": values, "summary": summary })
                } else {
                    json!({ "line": line, "params": values, "summary": summary })
                }
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&list).map_err(|e| e.to_string())?;
        text.push('\n');
        return Ok(text);
    }
    let metrics: Vec<String> = if args.metrics.is_empty() {
        [
            "goodput_rps",
            "within_slo",
            "amplification",
            "recovered_after_s",
        ]
        .map(String::from)
        .to_vec()
    } else {
        args.metrics.clone()
    };
    for m in &metrics {
        if summaries.first().is_some_and(|s| lookup(s, m).is_none()) {
            return Err(format!("--metric {m}: no such value in the run summary"));
        }
    }
    let cell = |v: Option<&Value>| match v {
        Some(Value::Null) | None => String::new(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => other.to_string(),
    };
    let sep = if args.csv { "," } else { "\t" };
    let line_column = (!named.is_empty()).then_some("line");
    let mut out = line_column
        .into_iter()
        .chain(params.iter().map(|p| p.path.as_str()))
        .chain(metrics.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(sep);
    out.push('\n');
    for ((line, point), summary) in rows().zip(&summaries) {
        let label = line_column.map(|_| line.replace([',', '\t'], " "));
        let row: Vec<String> = label
            .into_iter()
            .chain(point.iter().map(|&v| number(v).to_string()))
            .chain(metrics.iter().map(|m| cell(lookup(summary, m))))
            .collect();
        out.push_str(&row.join(sep));
        out.push('\n');
    }
    Ok(out)
}

/// Draws the map of a two-parameter sweep: cell (i, j) is the point with
/// the first parameter's i-th value and the second's j-th.
fn write_map(path: &std::path::Path, params: &[Param], summaries: &[Value]) -> Result<(), String> {
    let (xs, ys) = (&params[0].values, &params[1].values);
    let state = |s: &Value| {
        if s.get("cut_at_s").is_some_and(|v| !v.is_null()) {
            CellState::Cut
        } else {
            match s.get("recovered_after_s").and_then(Value::as_f64) {
                Some(after) => CellState::Recovered(after),
                None => CellState::Stuck,
            }
        }
    };
    let mut cells = vec![CellState::Pending; xs.len() * ys.len()];
    for (k, s) in summaries.iter().enumerate() {
        let (i, j) = (k / ys.len(), k % ys.len());
        cells[j * xs.len() + i] = state(s);
    }
    let grid = MapGrid {
        x_label: &params[0].path,
        xs,
        y_label: &params[1].path,
        ys,
        cells: &cells,
    };
    let svg = map_svg(&grid, &ChartOptions::default(), 960, 720)
        .map_err(|e| format!("drawing the map: {e}"))?;
    std::fs::write(path, svg).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_includes_both_ends() {
        let p = parse_param("traffic.rate_rps=30..70:10").expect("valid");
        assert_eq!(p.path, "traffic.rate_rps");
        assert_eq!(p.values, vec![30.0, 40.0, 50.0, 60.0, 70.0]);
        let p = parse_param("x=0..1:0.25").expect("valid");
        assert_eq!(p.values, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    }

    #[test]
    fn bad_ranges_say_what_is_expected() {
        for bad in [
            "x", "x=1..2", "x=a..2:1", "x=2..1:1", "x=0..1:0", "x=4,2", "x=1,b",
        ] {
            let e = parse_param(bad).expect_err("refused");
            assert!(e.contains("--param"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_list_gives_its_values() {
        let p = parse_param("pool.size=4, 8,16").expect("valid");
        assert_eq!(p.path, "pool.size");
        assert_eq!(p.values, vec![4.0, 8.0, 16.0]);
    }

    #[test]
    fn several_parameters_make_the_product_grid() {
        let a = parse_param("a=1..2:1").expect("valid");
        let b = parse_param("b=10..30:10").expect("valid");
        let g = grid(&[a, b]);
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], vec![1.0, 10.0]);
        assert_eq!(g[5], vec![2.0, 30.0]);
    }
}
