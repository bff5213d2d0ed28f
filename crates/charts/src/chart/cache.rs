//! The cache chart: per time bucket, the share of requests the cache
//! answered (the hit ratio) beside the share of the backend work asked for
//! that still reached the backend. The first can sit near 100% while the
//! second climbs: the requests a cache avoids are not the work it avoids.

use std::fmt::Write;

use super::rates::{self, Rate, RatesSpec};
use super::{Canvas, Chart};
use crate::style::{Dash, Look};
use crate::{ChartData, ChartError, format};
use brownout_sim::Series;

/// The cache chart, as the registry knows it.
pub(crate) const CHART: Chart = Chart {
    name: "cache",
    draw,
    csv: |d| rates::csv(d, &SPEC),
    summary,
};

/// A per-bucket fraction as a percentage (0 for a bucket without requests).
fn percent(values: &[Option<f64>]) -> Vec<f64> {
    values.iter().map(|v| v.unwrap_or(0.0) * 100.0).collect()
}

const SPEC: RatesSpec = RatesSpec {
    titles: [
        "Cache: requests answered vs backend work not avoided",
        "Hits vs work missed",
    ],
    y_caption: "% of requests (hits) or of work (missed)",
    rates: &[
        Rate {
            label: "Hit ratio",
            column: "hit_ratio_pct",
            values: |s: &Series| percent(&s.cache_hit_ratio),
            area: false,
            dash: Dash::Solid,
            width: 2.5,
        },
        Rate {
            label: "Backend work not avoided",
            column: "work_missed_pct",
            values: |s: &Series| percent(&s.cache_cost_miss_ratio),
            area: false,
            dash: Dash::Dashed,
            width: 2.0,
        },
    ],
    min_top: 100.0,
    hide_zero: false,
};

fn draw(root: &Canvas<'_>, data: &ChartData, look: &Look) -> Result<(), ChartError> {
    rates::draw(root, data, look, &SPEC)
}

fn summary(data: &ChartData) -> String {
    let mut out = String::new();
    for run in data.runs() {
        let who = rates::who(data, run, "The cache");
        match &run.result.summary.cache {
            Some(c) => {
                let _ = write!(
                    out,
                    "{who} answered {:.1}% of requests, yet {:.1}% of the backend work asked for still reached the backend ({} recomputations). ",
                    c.hit_ratio * 100.0,
                    c.cost_miss_ratio * 100.0,
                    format::count(c.recomputations),
                );
                let top: Vec<String> = c
                    .top_keys
                    .iter()
                    .take(3)
                    .map(|k| {
                        format!(
                            "key {} ({} of {} recomputed, {} s of work)",
                            format::count(u64::from(k.key)),
                            format::count(k.recomputations),
                            format::noun(&format::count(k.requests), "request", "requests"),
                            format::amount(k.work_s),
                        )
                    })
                    .collect();
                if !top.is_empty() {
                    let _ = write!(
                        out,
                        "The keys that cost the backend most: {}. ",
                        top.join("; ")
                    );
                }
            }
            None => {
                let _ = write!(out, "{who}: this scenario has no cache. ");
            }
        }
    }
    out.trim_end().to_string()
}
