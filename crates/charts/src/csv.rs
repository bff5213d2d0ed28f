//! The one CSV writer: per-bucket tables of a run's time series (the
//! charts' CSV downloads and `brownout run --csv`) and per-server tables.
//!
//! ```text
//!  Series ──columns──> [Column { name, values }] ──per_bucket──> "t_s,p50_ms,…\n0,40,…\n"
//! ```
//! Numbers are written in Rust's shortest round-trip form; an empty bucket
//! (no latency measured) or a row past the end of a column is an empty cell.

use std::fmt::Write;

use brownout_sim::{RunResult, Series, ServerSummary};

/// One column of a per-bucket table.
pub(crate) struct Column<'a> {
    /// Header, unquoted.
    pub(crate) name: String,
    /// One value per bucket.
    pub(crate) values: Values<'a>,
}

/// The values of a column.
pub(crate) enum Values<'a> {
    /// A value in every bucket.
    Numbers(&'a [f64]),
    /// A value in buckets that have one (latency of an empty bucket).
    Gaps(&'a [Option<f64>]),
}

impl Values<'_> {
    fn get(&self, row: usize) -> Option<f64> {
        match self {
            Values::Numbers(v) => v.get(row).copied(),
            Values::Gaps(v) => v.get(row).copied().flatten(),
        }
    }
}

/// Arrivals, throughput, rejections and failures per second, each header
/// ending in `suffix`.
pub(crate) fn rate_columns<'a>(s: &'a Series, suffix: &str) -> Vec<Column<'a>> {
    [
        ("arrivals_rps", &s.arrivals_rps),
        ("throughput_rps", &s.throughput_rps),
        ("rejected_rps", &s.rejected_rps),
        ("failed_rps", &s.failed_rps),
    ]
    .into_iter()
    .map(|(name, v)| Column {
        name: format!("{name}{suffix}"),
        values: Values::Numbers(v),
    })
    .collect()
}

/// p50 and p99 of the requests completed in each bucket.
pub(crate) fn latency_columns<'a>(s: &'a Series, suffix: &str) -> Vec<Column<'a>> {
    [("p50_ms", &s.p50_ms), ("p99_ms", &s.p99_ms)]
        .into_iter()
        .map(|(name, v)| Column {
            name: format!("{name}{suffix}"),
            values: Values::Gaps(v),
        })
        .collect()
}

/// Logical requests per bucket: offered load, goodput, failures, the
/// edge client's attempts, retries, timeouts and throttled attempts, the
/// amplification, and the p50 and p99 of the logical requests that
/// succeeded.
pub(crate) fn logical_columns<'a>(s: &'a Series, suffix: &str) -> Vec<Column<'a>> {
    let mut columns: Vec<Column<'a>> = [
        ("offered_rps", &s.offered_rps),
        ("goodput_rps", &s.goodput_rps),
        ("logical_failed_rps", &s.logical_failed_rps),
        ("attempts_rps", &s.attempts_rps),
        ("retries_rps", &s.retries_rps),
        ("timeouts_rps", &s.timeouts_rps),
        ("throttled_rps", &s.throttled_rps),
    ]
    .into_iter()
    .map(|(name, v)| Column {
        name: format!("{name}{suffix}"),
        values: Values::Numbers(v),
    })
    .collect();
    columns.extend(
        [
            ("amplification", &s.amplification),
            ("logical_p50_ms", &s.logical_p50_ms),
            ("logical_p99_ms", &s.logical_p99_ms),
        ]
        .into_iter()
        .map(|(name, v)| Column {
            name: format!("{name}{suffix}"),
            values: Values::Gaps(v),
        }),
    );
    columns
}

/// Queue depth of each server, `queue_<name>_<index>`.
pub(crate) fn queue_columns<'a>(r: &'a RunResult, suffix: &str) -> Vec<Column<'a>> {
    r.summary
        .servers
        .iter()
        .zip(&r.series.queue)
        .map(|(s, q)| Column {
            name: format!("queue_{}_{}{suffix}", s.name, s.index),
            values: Values::Numbers(q),
        })
        .collect()
}

/// A table with a `t_s` column of bucket start times, then `columns`.
pub(crate) fn per_bucket(t_s: &[f64], columns: &[Column]) -> String {
    let mut out = String::from("t_s");
    for c in columns {
        out.push(',');
        out.push_str(&field(&c.name));
    }
    out.push('\n');
    for (row, t) in t_s.iter().enumerate() {
        let _ = write!(out, "{t}");
        for c in columns {
            out.push(',');
            if let Some(v) = c.values.get(row) {
                let _ = write!(out, "{v}");
            }
        }
        out.push('\n');
    }
    out
}

/// A table with one row per server: its group name and index, then one
/// value per entry of `values` (empty when missing).
pub(crate) fn per_server(
    servers: &[&ServerSummary],
    headers: &[String],
    value: impl Fn(usize, usize) -> Option<f64>,
) -> String {
    let mut out = String::from("group,index");
    for h in headers {
        out.push(',');
        out.push_str(&field(h));
    }
    out.push('\n');
    for (k, server) in servers.iter().enumerate() {
        let _ = write!(out, "{},{}", field(&server.name), server.index);
        for col in 0..headers.len() {
            out.push(',');
            if let Some(v) = value(k, col) {
                let _ = write!(out, "{v}");
            }
        }
        out.push('\n');
    }
    out
}

/// A run's whole time series as CSV, one row per bucket: arrivals,
/// throughput, rejections and failures per second, p50 and p99 of the
/// requests completed in the bucket, one queue-depth column per server,
/// then the logical-request columns. What `brownout run --csv` prints.
pub fn series_csv(r: &RunResult) -> String {
    let mut columns = rate_columns(&r.series, "");
    columns.extend(latency_columns(&r.series, ""));
    columns.extend(queue_columns(r, ""));
    columns.extend(logical_columns(&r.series, ""));
    per_bucket(&r.series.t_s, &columns)
}

/// One CSV field, quoted when it holds a comma, quote or line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("plain"), "plain");
    }

    #[test]
    fn missing_cells_are_empty_and_numbers_are_shortest() {
        let p = [Some(40.0), None, Some(0.5)];
        let cols = [Column {
            name: "p50_ms".into(),
            values: Values::Gaps(&p),
        }];
        assert_eq!(
            per_bucket(&[0.0, 1.0, 2.0, 3.0], &cols),
            "t_s,p50_ms\n0,40\n1,\n2,0.5\n3,\n"
        );
    }
}
