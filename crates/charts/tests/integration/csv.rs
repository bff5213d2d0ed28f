//! CSV: the right header and one row per bucket or per server.

use brownout_charts::{ChartData, ChartKind, Run, csv};

use crate::{synthetic, tiny};

#[test]
fn latency_csv_has_one_row_per_bucket_and_empty_cells_for_empty_buckets() {
    let run = synthetic();
    let out = csv(ChartKind::Latency, &ChartData::single(&run, "Round robin"));
    assert_eq!(
        out,
        "t_s,p50_ms,p99_ms\n0,40,120\n1,,\n2,60,9000\n3,80,31000\n"
    );
}

#[test]
fn compare_columns_are_named_after_the_labels() {
    let (a, b) = (tiny("round_robin"), tiny("least_connections"));
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
    let out = csv(ChartKind::Latency, &data);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(
            "t_s,p50_ms_round_robin,p99_ms_round_robin,p50_ms_least_connections,p99_ms_least_connections"
        )
    );
    assert_eq!(lines.count(), a.series.t_s.len());
    let same = ChartData::compare(
        Run {
            result: &a,
            label: "",
        },
        Run {
            result: &b,
            label: "",
        },
    );
    assert!(
        csv(ChartKind::Latency, &same).starts_with("t_s,p50_ms_a,p99_ms_a,p50_ms_b,p99_ms_b\n")
    );
}

#[test]
fn throughput_csv_has_every_rate() {
    let run = synthetic();
    let out = csv(ChartKind::Throughput, &ChartData::single(&run, ""));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "t_s,arrivals_rps,throughput_rps,rejected_rps,failed_rps"
    );
    assert_eq!(lines[2], "1,100,0,0,5");
    assert_eq!(lines.len(), 5);
}

#[test]
fn queues_csv_has_a_column_per_server() {
    let run = tiny("round_robin");
    let out = csv(ChartKind::Queues, &ChartData::single(&run, ""));
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("t_s,queue_fast_0,queue_fast_1,queue_slow_0,queue_slow_1")
    );
    assert_eq!(lines.count(), run.series.t_s.len());
    assert_eq!(run.series.t_s.len(), 20);
}

#[test]
fn utilization_csv_has_a_row_per_server() {
    let (a, b) = (tiny("round_robin"), tiny("least_connections"));
    let data = ChartData::compare(
        Run {
            result: &a,
            label: "RR",
        },
        Run {
            result: &b,
            label: "LC",
        },
    );
    let out = csv(ChartKind::Utilization, &data);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "group,index,utilization_rr,utilization_lc");
    assert_eq!(lines.len(), 5);
    assert!(lines[4].starts_with("slow,1,"), "{}", lines[4]);
    let run = synthetic();
    assert_eq!(
        csv(ChartKind::Utilization, &ChartData::single(&run, "")),
        "group,index,utilization\nweb,0,0.5\nweb,1,0.9\n"
    );
}
