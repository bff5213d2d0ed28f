//! The pool chart: per time bucket, how long queries waited for a
//! connection beside how long they then spent in the database. A pool too
//! big moves the queue from the first (cheap waiting) into the second
//! (sessions fighting over cores and latches).

use std::fmt::Write;

use super::latency::LogSpec;
use super::rates::{self, Rate, RatesSpec};
use super::{Canvas, Chart};
use crate::style::{Dash, Look};
use crate::{ChartData, ChartError, format};
use brownout_sim::Series;

/// The pool chart, as the registry knows it.
pub(crate) const CHART: Chart = Chart {
    name: "pool",
    draw,
    csv: |d| rates::csv(d, &SPEC),
    summary,
};

/// Per-bucket milliseconds (0 for a bucket where no query started or ended).
fn millis(values: &[Option<f64>]) -> Vec<f64> {
    values.iter().map(|v| v.unwrap_or(0.0)).collect()
}

const SPEC: RatesSpec = RatesSpec {
    titles: [
        "Where a query's time goes: waiting for a connection vs in the database",
        "Pool wait vs database time",
    ],
    y_caption: "Mean per query (ms)",
    rates: &[
        Rate {
            label: "Time in the database",
            column: "db_ms",
            values: |s: &Series| millis(&s.db_ms),
            area: false,
            dash: Dash::Solid,
            width: 2.5,
        },
        Rate {
            label: "Wait for a connection",
            column: "pool_wait_ms",
            values: |s: &Series| millis(&s.pool_wait_ms),
            area: false,
            dash: Dash::Dashed,
            width: 2.0,
        },
    ],
    min_top: 1.0,
    hide_zero: false,
};

const LOG: LogSpec = LogSpec {
    titles: SPEC.titles,
    caption: "Mean per query",
    labels: ["time in the database", "wait for a connection"],
    series: [|s| &s.db_ms, |s| &s.pool_wait_ms],
    empty: "No query waited or ended in this run",
};

/// On a log scale, like latency: a pool too big takes the time in the
/// database from milliseconds to seconds.
fn draw(root: &Canvas<'_>, data: &ChartData, look: &Look) -> Result<(), ChartError> {
    super::latency::draw_log(root, data, look, &LOG)
}

fn summary(data: &ChartData) -> String {
    let mut out = String::new();
    for run in data.runs() {
        let who = rates::who(data, run, "The pool");
        let s = &run.result.summary;
        match (&s.pool, &s.database) {
            (Some(p), Some(d)) => {
                let _ = write!(
                    out,
                    "{who}: {} connections, {:.0}% in use; a query waited {} for one, then spent {} in the database, which ran {} queries a second with {} active sessions ({} in theory with every connection busy). ",
                    format::count(u64::from(p.size)),
                    p.utilization * 100.0,
                    format::ms(p.mean_wait_ms),
                    format::ms(p.mean_db_ms),
                    format::amount(d.throughput_qps),
                    format::amount(d.mean_active),
                    format::amount(d.capacity_qps),
                );
            }
            _ => {
                let _ = write!(out, "{who}: this scenario has no connection pool. ");
            }
        }
    }
    out.trim_end().to_string()
}
