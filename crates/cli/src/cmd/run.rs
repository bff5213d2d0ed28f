//! `brownout run`: simulate and print a summary, JSON or CSV.

use std::fmt::Write as _;

use brownout_sim::{Limits, RunResult, simulate};
use clap::Args;

use super::source::Source;

/// Arguments of `brownout run`.
#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    source: Source,
    /// Print the summary as one JSON object.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print the time series (one row per bucket) as CSV.
    #[arg(long)]
    csv: bool,
}

/// Runs the scenario and formats the result.
pub(crate) fn run(args: &RunArgs) -> Result<String, String> {
    let scenario = args.source.load()?;
    let result = simulate(&scenario, Limits::default());
    if args.json {
        let mut json = serde_json::to_string_pretty(&result.summary).map_err(|e| e.to_string())?;
        json.push('\n');
        Ok(json)
    } else if args.csv {
        Ok(series_csv(&result))
    } else {
        Ok(readable(&result))
    }
}

/// The time series as CSV: one row per bucket, one queue column per server.
pub(crate) fn series_csv(r: &RunResult) -> String {
    let s = &r.series;
    let mut out =
        String::from("t_s,arrivals_rps,throughput_rps,rejected_rps,failed_rps,p50_ms,p99_ms");
    for server in &r.summary.servers {
        let _ = write!(out, ",queue_{}_{}", server.name, server.index);
    }
    out.push_str(
        ",offered_rps,goodput_rps,logical_failed_rps,attempts_rps,retries_rps,timeouts_rps,\
         throttled_rps,logical_p50_ms,logical_p99_ms",
    );
    out.push('\n');
    let opt = |v: Option<f64>| v.map_or_else(String::new, |x| x.to_string());
    for i in 0..s.t_s.len() {
        let _ = write!(
            out,
            "{},{},{},{},{},{},{}",
            s.t_s[i],
            s.arrivals_rps[i],
            s.throughput_rps[i],
            s.rejected_rps[i],
            s.failed_rps[i],
            opt(s.p50_ms[i]),
            opt(s.p99_ms[i])
        );
        for q in &s.queue {
            let _ = write!(out, ",{}", q[i]);
        }
        let _ = write!(
            out,
            ",{},{},{},{},{},{},{},{},{}",
            s.offered_rps[i],
            s.goodput_rps[i],
            s.logical_failed_rps[i],
            s.attempts_rps[i],
            s.retries_rps[i],
            s.timeouts_rps[i],
            s.throttled_rps[i],
            opt(s.logical_p50_ms[i]),
            opt(s.logical_p99_ms[i])
        );
        out.push('\n');
    }
    out
}

fn readable(r: &RunResult) -> String {
    let s = &r.summary;
    let l = &s.latency_ms;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "seed {}, {} s measured, {} events",
        s.seed, s.duration_s, s.events
    );
    if let Some(t) = s.cut_at_s {
        let _ = writeln!(out, "CUT SHORT at {t:.1} s: the event budget ran out");
    }
    let _ = writeln!(
        out,
        "requests   {} arrived, {} completed, {} rejected, {} failed, {} in flight at the end",
        s.arrivals, s.completed, s.rejected, s.failed, s.in_flight
    );
    let _ = writeln!(out, "throughput {:.1} req/s", s.throughput_rps);
    let _ = writeln!(
        out,
        "latency    mean {} | p50 {} | p90 {} | p99 {} | p99.9 {} | max {}",
        ms(l.mean),
        ms(l.p50),
        ms(l.p90),
        ms(l.p99),
        ms(l.p999),
        ms(l.max)
    );
    if s.attempts != s.arrivals
        || s.logical.arrived != s.arrivals
        || s.timeouts + s.throttled > 0
        || s.services.len() > 1
    {
        let g = &s.logical;
        let _ = writeln!(
            out,
            "logical    {} arrived, {} succeeded, {} failed, {} in flight | goodput {:.1} req/s | {:.1}% within SLO",
            g.arrived,
            g.succeeded,
            g.failed,
            g.in_flight,
            s.goodput_rps,
            s.within_slo * 100.0
        );
        let _ = writeln!(
            out,
            "attempts   {} ({} retries, {} timeouts, {} throttled) | amplification {:.2}× | {}",
            s.attempts,
            s.retries,
            s.timeouts,
            s.throttled,
            s.amplification,
            match s.recovered_after_s {
                Some(t) => format!("recovered {t:.0} s after the trigger"),
                None => "did not recover".to_string(),
            }
        );
        let _ = writeln!(
            out,
            "logical latency p50 {} | p90 {} | p99 {}",
            ms(g.latency_ms.p50),
            ms(g.latency_ms.p90),
            ms(g.latency_ms.p99)
        );
    }
    let _ = writeln!(
        out,
        "\n{:<12} {:>5} {:>8} {:>10} {:>11} {:>9}",
        "server", "index", "busy", "completed", "mean queue", "max queue"
    );
    for x in &s.servers {
        let _ = writeln!(
            out,
            "{:<12} {:>5} {:>7.1}% {:>10} {:>11.2} {:>9}",
            x.name,
            x.index,
            x.utilization * 100.0,
            x.completed,
            x.mean_queue,
            x.max_queue
        );
    }
    out
}

/// Milliseconds as a person reads them: 12.3 ms, 4.56 s.
fn ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.2} s", v / 1000.0)
    } else {
        format!("{v:.1} ms")
    }
}
