//! The key numbers of a run, as text.

use yew::prelude::*;

use crate::runs::RunsRef;

/// Properties of [`Stats`].
#[derive(Properties, PartialEq)]
pub struct StatsProps {
    /// Heading of the column (the configuration's name).
    pub label: String,
    /// The runs, shared with the rest of the widget.
    pub runs: RunsRef,
    /// Which side's totals: 0 for A, 1 for B.
    pub side: usize,
}

/// Milliseconds as people read them.
pub(crate) fn ms(v: f64) -> String {
    if v >= 10_000.0 {
        format!("{:.0} s", v / 1000.0)
    } else if v >= 1000.0 {
        format!("{:.1} s", v / 1000.0)
    } else if v >= 10.0 {
        format!("{v:.0} ms")
    } else {
        format!("{v:.1} ms")
    }
}

/// p50, p99, throughput, failures and the worst queue.
#[component]
pub fn Stats(props: &StatsProps) -> Html {
    let Some(run) = props
        .runs
        .0
        .as_ref()
        .as_ref()
        .ok()
        .and_then(|r| r.side(props.side))
    else {
        return Html::default();
    };
    let s = &run.summary;
    let worst = s
        .servers
        .iter()
        .max_by(|a, b| a.mean_queue.total_cmp(&b.mean_queue));
    // `data-value` holds the exact number, for tests and scripts.
    let rows = [
        (
            "p50",
            "Median latency",
            ms(s.latency_ms.p50),
            s.latency_ms.p50,
        ),
        (
            "p99",
            "99th percentile latency",
            ms(s.latency_ms.p99),
            s.latency_ms.p99,
        ),
        (
            "throughput",
            "Throughput",
            format!("{:.1} req/s", s.throughput_rps),
            s.throughput_rps,
        ),
        (
            "failed",
            "Failed or rejected",
            (s.failed + s.rejected).to_string(),
            (s.failed + s.rejected) as f64,
        ),
        (
            "queue",
            "Longest mean queue",
            worst.map_or_else(String::new, |w| {
                let digits = if w.mean_queue >= 100.0 { 0 } else { 1 };
                format!("{:.*} ({} {})", digits, w.mean_queue, w.name, w.index)
            }),
            worst.map_or(0.0, |w| w.mean_queue),
        ),
    ];
    html! {
        <div class="stats-block">
            <p class="stats-label">{ &props.label }</p>
            <dl class="stats" aria-label={format!("Results: {}", props.label)}>
                { for rows.into_iter().map(|(key, name, text, value)| html! {
                    <div class="stat" data-stat={key}><dt>{name}</dt><dd data-value={value.to_string()}>{text}</dd></div>
                }) }
            </dl>
        </div>
    }
}
