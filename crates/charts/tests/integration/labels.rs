//! Compare mode's long side labels: legends and panels name the sides by
//! the words that tell them apart.

use brownout_charts::{ChartData, ChartKind, ChartOptions, Run, svg};
use brownout_sim::RunResult;

use crate::tiny_retrying;

const A: &str = "Calls before the breaker may open 100 calls";
const B: &str = "Calls before the breaker may open 5 calls";

/// Every text `chart` draws, `width` pixels wide, for two runs labelled
/// `labels`.
fn drawn(
    runs: &(RunResult, RunResult),
    labels: (&str, &str),
    chart: ChartKind,
    width: u32,
) -> Vec<String> {
    let run = |result, label| Run { result, label };
    let data = ChartData::compare(run(&runs.0, labels.0), run(&runs.1, labels.1));
    let out = svg(chart, &data, &ChartOptions::default(), width, 300).expect("draws");
    let doc = roxmltree::Document::parse(&out).expect("well-formed");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().trim().to_string())
        .collect()
}

fn runs() -> (RunResult, RunResult) {
    (
        tiny_retrying("round_robin"),
        tiny_retrying("least_connections"),
    )
}

#[test]
fn long_labels_that_begin_alike_are_shortened_to_what_differs_in_legends_and_panels() {
    let runs = runs();
    let has = |chart, want: &[&str]| {
        let out = drawn(&runs, (A, B), chart, 440);
        for w in want {
            assert!(
                out.iter().any(|t| t == w),
                "{}: {w:?} in {out:?}",
                chart.name()
            );
        }
        assert!(
            !out.iter().any(|t| t.starts_with("Calls before")),
            "{out:?}"
        );
    };
    has(
        ChartKind::Goodput,
        &[
            "100 calls goodput",
            "5 calls goodput",
            "100 calls attempts sent",
        ],
    );
    has(ChartKind::Latency, &["100 calls p99"]);
    // The utilization chart's side swatches, and the panels of the charts
    // drawn one panel per side, are named the short way too.
    has(ChartKind::Utilization, &["100 calls", "5 calls"]);
    has(ChartKind::Queues, &["100 calls", "5 calls"]);
}

#[test]
fn short_or_unlike_labels_stay_whole() {
    let runs = runs();
    for (la, lb, want) in [
        // Short.
        ("Retries 3", "Retries 0", "Retries 3 goodput"),
        // Long, but they differ from the first word.
        (
            "Round robin across every server",
            "Least connections across every server",
            "Round robin across every server goodput",
        ),
        // Long, alike in one word only.
        (
            "Breakers per node, 10 calls",
            "Breakers shared by the fleet, 10 calls",
            "Breakers per node, 10 calls goodput",
        ),
        // Identical.
        (A, A, "Calls before the breaker may open 100 calls goodput"),
        // What differs is one word, which alone would not say what it is.
        (
            "A hit restarts the time to live on",
            "A hit restarts the time to live off",
            "A hit restarts the time to live on goodput",
        ),
        // One is the other and more.
        (
            "Calls before the breaker may open",
            B,
            "Calls before the breaker may open goodput",
        ),
    ] {
        let out = drawn(&runs, (la, lb), ChartKind::Goodput, 1600);
        assert!(out.iter().any(|t| t == want), "{want:?} in {out:?}");
    }
}
