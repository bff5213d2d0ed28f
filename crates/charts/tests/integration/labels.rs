//! Compare mode's long side labels: legends and panels name the sides by
//! the words that tell them apart.

use brownout_charts::{ChartData, ChartKind, ChartOptions, Run, svg};

use crate::tiny_retrying;

const A: &str = "Calls before the breaker may open 100 calls";
const B: &str = "Calls before the breaker may open 5 calls";

/// Every text drawn in `out`.
fn texts(out: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(out).expect("well-formed");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().trim().to_string())
        .collect()
}

#[test]
fn long_labels_that_begin_alike_are_shortened_to_what_differs_in_legends_and_panels() {
    let (a, b) = (
        tiny_retrying("round_robin"),
        tiny_retrying("least_connections"),
    );
    let data = ChartData::compare(
        Run {
            result: &a,
            label: A,
        },
        Run {
            result: &b,
            label: B,
        },
    );
    let goodput = texts(
        &svg(
            ChartKind::Goodput,
            &data,
            &ChartOptions::default(),
            440,
            260,
        )
        .expect("draws"),
    );
    for want in [
        "100 calls goodput",
        "5 calls goodput",
        "100 calls attempts sent",
    ] {
        assert!(goodput.iter().any(|t| t == want), "{want:?} in {goodput:?}");
    }
    assert!(
        !goodput.iter().any(|t| t.starts_with("Calls before")),
        "{goodput:?}"
    );
    let latency = texts(
        &svg(
            ChartKind::Latency,
            &data,
            &ChartOptions::default(),
            440,
            260,
        )
        .expect("draws"),
    );
    assert!(latency.iter().any(|t| t == "100 calls p99"), "{latency:?}");
    // The utilization chart's side swatches, and the panels of the
    // charts drawn one panel per side, are named the short way too.
    let draw =
        |chart| texts(&svg(chart, &data, &ChartOptions::default(), 440, 260).expect("draws"));
    for chart in [ChartKind::Utilization, ChartKind::Queues] {
        let out = draw(chart);
        for want in ["100 calls", "5 calls"] {
            assert!(
                out.iter().any(|t| t == want),
                "{}: {want:?} in {out:?}",
                chart.name()
            );
        }
        assert!(
            !out.iter().any(|t| t.starts_with("Calls before")),
            "{out:?}"
        );
    }
}

#[test]
fn short_or_unlike_labels_stay_whole() {
    let (a, b) = (
        tiny_retrying("round_robin"),
        tiny_retrying("least_connections"),
    );
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
        let data = ChartData::compare(
            Run {
                result: &a,
                label: la,
            },
            Run {
                result: &b,
                label: lb,
            },
        );
        let out = texts(
            &svg(
                ChartKind::Goodput,
                &data,
                &ChartOptions::default(),
                1600,
                400,
            )
            .expect("draws"),
        );
        assert!(out.iter().any(|t| t == want), "{want:?} in {out:?}");
    }
}
