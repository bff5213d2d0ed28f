//! Summaries state the key numbers in words.

use brownout_charts::{ChartData, ChartKind, Run, summary_text};

use crate::synthetic;

#[test]
fn latency_summary_states_the_trend_and_the_whole_run_percentiles() {
    let run = synthetic();
    assert_eq!(
        summary_text(ChartKind::Latency, &ChartData::single(&run, "")),
        "p99 latency rises from 120 ms to 31 s; p50 rises from 40 ms to 80 ms. \
         Over the whole run p50 is 55 ms and p99 25 s."
    );
}

#[test]
fn throughput_summary_states_rates_drops_and_backlog() {
    let run = synthetic();
    assert_eq!(
        summary_text(ChartKind::Throughput, &ChartData::single(&run, "")),
        "Requests arrive at 100 per second on average. The system completes 90 per second \
         (90% of arrivals), drops 15 requests and leaves 25 in flight at the end."
    );
}

#[test]
fn queues_summary_names_the_longest_queue() {
    let run = synthetic();
    assert_eq!(
        summary_text(ChartKind::Queues, &ChartData::single(&run, "")),
        "The longest queue is at web 1 with up to 40 requests waiting (mean 12.5). Mean queue by group: web 6.35."
    );
}

#[test]
fn utilization_summary_gives_each_group_its_mean_and_range() {
    let run = synthetic();
    assert_eq!(
        summary_text(ChartKind::Utilization, &ChartData::single(&run, "")),
        "Utilization by server group: web 70% (50% to 90%)."
    );
}

#[test]
fn compare_summaries_name_each_side() {
    let (a, mut b) = (synthetic(), synthetic());
    b.summary.latency_ms.p99 = 300.0;
    let data = ChartData::compare(
        Run {
            result: &a,
            label: "Round robin",
        },
        Run {
            result: &b,
            label: "Least connections",
        },
    );
    let text = summary_text(ChartKind::Latency, &data);
    assert!(text.starts_with("Round robin: p99 latency rises"), "{text}");
    assert!(
        text.contains("Least connections: p99 latency rises"),
        "{text}"
    );
    assert!(text.ends_with("p50 is 55 ms and p99 300 ms."), "{text}");
}
