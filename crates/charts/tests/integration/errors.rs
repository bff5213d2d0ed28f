//! Bad options are errors that say what would be accepted, never panics.

use brownout_charts::{ChartData, ChartError, ChartKind, ChartOptions, svg};

use crate::synthetic;

#[test]
fn a_scale_out_of_range_is_refused() {
    let run = synthetic();
    for scale in [0.0, -1.0, f64::NAN, 9.0] {
        let opts = ChartOptions {
            scale,
            ..ChartOptions::default()
        };
        let e = svg(
            ChartKind::Latency,
            &ChartData::single(&run, ""),
            &opts,
            800,
            400,
        )
        .expect_err("refused");
        assert!(matches!(e, ChartError::InvalidScale(_)), "{e}");
        assert!(e.to_string().contains("from 0.25 to 8"), "{e}");
    }
}

#[test]
fn a_tiny_area_is_refused_with_the_minimum_size() {
    let run = synthetic();
    let opts = ChartOptions {
        scale: 2.0,
        ..ChartOptions::default()
    };
    let e = svg(
        ChartKind::Queues,
        &ChartData::single(&run, ""),
        &opts,
        300,
        200,
    )
    .expect_err("refused");
    assert_eq!(
        e,
        ChartError::TooSmall {
            width: 300,
            height: 200,
            min_width: 400,
            min_height: 280
        }
    );
    assert_eq!(
        e.to_string(),
        "a chart needs at least 400×280 pixels at this scale, got 300×200"
    );
}

#[test]
fn a_run_without_data_draws_a_message() {
    let mut run = synthetic();
    run.series.p50_ms = vec![None; 4];
    run.series.p99_ms = vec![None; 4];
    let out = svg(
        ChartKind::Latency,
        &ChartData::single(&run, ""),
        &ChartOptions::default(),
        800,
        400,
    )
    .expect("draws");
    assert!(out.contains("No request completed in this run"));
    run.series = Default::default();
    run.summary.servers.clear();
    for chart in ChartKind::ALL {
        svg(
            chart,
            &ChartData::single(&run, ""),
            &ChartOptions::default(),
            800,
            400,
        )
        .expect("draws an empty chart");
    }
}

#[test]
fn the_smallest_chart_with_a_long_legend_still_draws() {
    use brownout_charts::Run;
    let mut run = synthetic();
    let template = run.summary.servers[0].clone();
    run.summary.servers = (0..12)
        .map(|i| brownout_sim::ServerSummary {
            group: i,
            name: format!("group number {i}"),
            ..template.clone()
        })
        .collect();
    run.series.queue = vec![vec![1.0; 4]; 12];
    run.series.utilization = vec![vec![0.5; 4]; 12];
    let data = ChartData::compare(
        Run {
            result: &run,
            label: "A long label",
        },
        Run {
            result: &run,
            label: "Another long label",
        },
    );
    for chart in ChartKind::ALL {
        for (w, h) in [(200, 140), (201, 400), (2000, 140)] {
            svg(chart, &data, &ChartOptions::default(), w, h).expect("draws, however cramped");
        }
    }
}
