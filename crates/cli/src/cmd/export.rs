//! `brownout export`: the site's charts as SVG or PNG files, and their data
//! as CSV, drawn natively by the same code (brownout-charts).

use std::path::PathBuf;

use brownout_charts::{ChartData, ChartKind, ChartOptions, Run, Theme};
use brownout_content::knob;
use brownout_sim::{Limits, simulate};
use clap::Args;

use super::source::Source;

/// Arguments of `brownout export`.
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    source: Source,
    /// The chart (every kind the site draws; listed from the charts crate).
    #[arg(long, help = format!("The chart: {}", ChartKind::names()))]
    chart: String,
    /// Write the chart as SVG to this file.
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Write the chart as PNG to this file.
    #[arg(long)]
    png: Option<PathBuf>,
    /// Write the chart's data as CSV to this file.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Compare mode: the same traffic with one field changed, e.g.
    /// `balancer.policy=least_connections`.
    #[arg(long, value_name = "PATH=VALUE")]
    compare: Option<String>,
    /// Width in pixels.
    #[arg(long, default_value_t = 960, value_parser = clap::value_parser!(u32).range(200..=8000))]
    width: u32,
    /// Height in pixels.
    #[arg(long, default_value_t = 480, value_parser = clap::value_parser!(u32).range(150..=8000))]
    height: u32,
    /// Dark colours.
    #[arg(long)]
    dark: bool,
}

/// Runs the scenario (and its compare side) and writes the files.
pub(crate) fn run(args: &ExportArgs) -> Result<String, String> {
    let chart = ChartKind::from_name(&args.chart).ok_or_else(|| {
        format!(
            "no chart \"{}\"; charts are: {}",
            args.chart,
            ChartKind::names()
        )
    })?;
    if args.svg.is_none() && args.png.is_none() && args.csv.is_none() {
        return Err("say where to write: --svg FILE, --png FILE and/or --csv FILE".to_string());
    }
    let scenario = args.source.load()?;
    let a = simulate(&scenario, Limits::default());
    let compare = match &args.compare {
        None => None,
        Some(spec) => {
            let (path, value) = spec
                .split_once('=')
                .ok_or_else(|| format!("--compare takes PATH=VALUE, got \"{spec}\""))?;
            let parsed: serde_json::Value =
                serde_json::from_str(value).unwrap_or_else(|_| value.into());
            let b = knob::set(scenario.scenario(), path, &parsed)
                .map_err(|e| format!("--compare: {e}"))?;
            let a_value =
                knob::get(scenario.scenario(), path).map_or_else(String::new, |v| v.to_string());
            Some((
                simulate(&b, Limits::default()),
                a_value.trim_matches('"').to_string(),
                value.to_string(),
            ))
        }
    };
    let data = match &compare {
        None => ChartData::single(&a, ""),
        Some((b, la, lb)) => ChartData::compare(
            Run {
                result: &a,
                label: la,
            },
            Run {
                result: b,
                label: lb,
            },
        ),
    };
    let opts = ChartOptions {
        theme: if args.dark { Theme::Dark } else { Theme::Light },
        ..ChartOptions::default()
    };
    let mut written = String::new();
    if let Some(path) = &args.svg {
        let svg = brownout_charts::svg(chart, &data, &opts, args.width, args.height)
            .map_err(|e| format!("drawing the {} chart as SVG: {e}", chart.name()))?;
        write(path, svg.as_bytes(), &mut written)?;
    }
    if let Some(path) = &args.png {
        let png = brownout_charts::png(chart, &data, &opts, args.width, args.height)
            .map_err(|e| format!("drawing the {} chart as PNG: {e}", chart.name()))?;
        write(path, &png, &mut written)?;
    }
    if let Some(path) = &args.csv {
        write(
            path,
            brownout_charts::csv(chart, &data).as_bytes(),
            &mut written,
        )?;
    }
    Ok(written)
}

fn write(path: &PathBuf, bytes: &[u8], log: &mut String) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    log.push_str(&format!(
        "wrote {} ({} bytes)\n",
        path.display(),
        bytes.len()
    ));
    Ok(())
}
