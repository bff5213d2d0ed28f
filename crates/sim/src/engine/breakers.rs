//! The circuit breakers' report at the end of a run: their totals, each
//! one's state changes (the timeline), and how many were in each state at
//! the end of every bucket.

use crate::BreakerState;
use crate::components::Node;
use crate::report::{BreakerSummary, BreakerTimeline, Series};

/// Closes every breaker's books at `stop` and reports them; `None` when no
/// client has breakers. `warm` is the end of the warm-up: times in the
/// timeline and the buckets of `series` count from it.
pub(crate) fn report(
    nodes: &mut [Node],
    stop: f64,
    warm: f64,
    series: &mut Series,
) -> Option<(BreakerSummary, BreakerTimeline)> {
    let mut summary = BreakerSummary::default();
    let mut rows = Vec::new();
    for node in nodes.iter_mut() {
        let Node::Client(c) = node else {
            continue;
        };
        for b in &mut c.breakers {
            b.finish(stop);
            summary.breakers += 1;
            summary.opened += b.stats.opened;
            summary.short_circuited += b.stats.short_circuited;
            summary.open_s += b.stats.open_s;
            summary.half_open_trials += b.stats.half_open_trials;
            rows.push(
                b.changes
                    .iter()
                    .filter(|(t, _)| *t <= stop)
                    .map(|&(t, s)| (t - warm, s))
                    .collect::<Vec<_>>(),
            );
        }
    }
    if summary.breakers == 0 {
        return None;
    }
    let n = series.t_s.len();
    let mut counts = [vec![0.0; n], vec![0.0; n], vec![0.0; n]];
    for row in &rows {
        // The state at each bucket's end: the last change at or before it.
        let mut next = 0;
        let mut state = BreakerState::Closed;
        for (k, start) in series.t_s.iter().enumerate() {
            let end = start + series.bucket_s;
            while let Some(&(_, s)) = row.get(next).filter(|(t, _)| *t <= end) {
                state = s;
                next += 1;
            }
            let i = match state {
                BreakerState::Closed => 0,
                BreakerState::Open => 1,
                BreakerState::HalfOpen => 2,
            };
            counts[i][k] += 1.0;
        }
    }
    let [closed, open, half_open] = counts;
    series.breakers_closed = closed;
    series.breakers_open = open;
    series.breakers_half_open = half_open;
    Some((summary, BreakerTimeline { rows }))
}
