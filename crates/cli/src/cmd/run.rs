//! `brownout run`: simulate and print a summary, JSON or CSV.

use std::fmt::Write as _;

use brownout_charts::format::{ms, rate};
use brownout_charts::series_csv;
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
    if let Some(c) = &s.contention {
        contention(&mut out, s, c);
        return out;
    }
    let _ = writeln!(
        out,
        "requests   {} arrived, {} completed, {} rejected, {} failed, {} in flight at the end",
        s.arrivals, s.completed, s.rejected, s.failed, s.in_flight
    );
    let _ = writeln!(out, "throughput {}", rate(s.throughput_rps));
    if s.completed == 0 {
        let _ = writeln!(out, "latency    none: no request completed");
    } else {
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
    }
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
        if g.succeeded > 0 {
            let _ = writeln!(
                out,
                "logical latency of successes p50 {} | p90 {} | p99 {}",
                ms(g.latency_ms.p50),
                ms(g.latency_ms.p90),
                ms(g.latency_ms.p99)
            );
        }
    }
    if let Some(b) = &s.breaker {
        let _ = writeln!(
            out,
            "breakers   {} | opened {} times, {:.0} s open in all | {} calls short-circuited | {} half-open trials",
            b.breakers, b.opened, b.open_s, b.short_circuited, b.half_open_trials
        );
    }
    if let (Some(p), Some(d)) = (&s.pool, &s.database) {
        pool(&mut out, p, d);
    }
    if s.servers.is_empty() {
        return out;
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

/// The text report of a pool and its database.
fn pool(out: &mut String, p: &brownout_sim::PoolSummary, d: &brownout_sim::DatabaseSummary) {
    let _ = writeln!(
        out,
        "pool       {} connections, {:.1}% in use | wait for one {} | {} acquire timeouts | {:.1} waiters on average{}",
        p.size,
        p.utilization * 100.0,
        ms(p.mean_wait_ms),
        p.acquire_timeouts,
        p.mean_waiters,
        if p.leaked > 0 {
            format!(" | {} leaked", p.leaked)
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "database   {} cores, {} disks | {:.1} queries/s | {} per query | CPU {:.1}%, run queue {:.1} | disks {:.1}%, queue {:.2} | {:.1} active sessions",
        d.cores,
        d.disks,
        d.throughput_qps,
        ms(p.mean_db_ms),
        d.cpu_utilization * 100.0,
        d.mean_run_queue,
        d.disk_utilization * 100.0,
        d.mean_disk_queue,
        d.mean_active
    );
    let _ = writeln!(
        out,
        "theory     every connection busy (MVA): {:.1} queries/s, {} per query | rule of thumb: {} connections (cores × 2 + disks)",
        d.capacity_qps,
        ms(d.saturated_ms),
        d.rule_of_thumb
    );
}

/// The text report of clients contending for one record.
fn contention(out: &mut String, s: &brownout_sim::Summary, c: &brownout_sim::ContentionSummary) {
    let _ = writeln!(
        out,
        "contention {} clients, {} succeeded | {} reads, {} writes ({} conflicts) | {:.1} writes per client",
        c.clients,
        s.logical.succeeded,
        c.reads,
        c.writes,
        c.conflicts,
        c.writes as f64 / c.clients.max(1) as f64
    );
    let _ = match c.makespan_ms {
        Some(t) => writeln!(
            out,
            "makespan   {} (the last client's success) | client completion p50 {} | p99 {}",
            ms(t),
            ms(s.logical.latency_ms.p50),
            ms(s.logical.latency_ms.p99)
        ),
        None => writeln!(
            out,
            "makespan   none: {} clients had not succeeded when the run ended (raise duration_s)",
            s.logical.in_flight
        ),
    };
}
