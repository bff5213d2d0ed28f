//! Tests of the curves: drawing (SVG), CSV and summary.

use super::*;

fn curves<'a>(panels: &'a [CurvePanel<'a>], lines: &'a [CurveLine<'a>]) -> Curves<'a> {
    Curves {
        title: "Calls and completion time",
        short_title: "Calls and time",
        x_label: "Clients contending",
        xs: &[10.0, 20.0, 30.0],
        panels,
        lines,
        theory: None,
        marks: &[],
        log_x: false,
    }
}

const PANELS: [CurvePanel; 2] = [
    CurvePanel {
        caption: "Writes (calls)",
        column: "writes",
        text: format::amount,
    },
    CurvePanel {
        caption: "Completion time",
        column: "makespan_ms",
        text: format::ms,
    },
];

fn lines() -> Vec<CurveLine<'static>> {
    vec![
        CurveLine {
            label: "No jitter",
            values: vec![
                vec![Some(30.0), Some(90.0), Some(200.0)],
                vec![Some(100.0), Some(400.0), Some(1600.0)],
            ],
        },
        CurveLine {
            label: "Full jitter",
            values: vec![vec![Some(20.0), None, None], vec![Some(90.0), None, None]],
        },
    ]
}

#[test]
fn the_svg_has_its_title_legend_and_both_panels() {
    let lines = lines();
    for (width, title) in [(960, "Calls and completion time"), (360, "Calls and time")] {
        let svg = curves_svg(
            &curves(&PANELS, &lines),
            &ChartOptions::default(),
            width,
            640,
        )
        .expect("draws");
        assert!(svg.contains(title), "{width}: the title");
        assert_eq!(svg.contains("Calls and completion time"), width == 960);
        for text in [
            "No jitter",
            "Full jitter",
            "Writes (calls)",
            "Completion time",
            "Clients contending",
        ] {
            assert!(svg.contains(text), "{width}: {text}");
        }
        // The time panel's zero tick reads "0", not "0 ms" under seconds.
        let texts: Vec<&str> = svg.lines().map(str::trim).collect();
        assert!(texts.contains(&"1 s"), "{width}: the time panel's ticks");
        assert!(
            !texts.contains(&"0 ms"),
            "{width}: a zero tick without a unit"
        );
    }
}

#[test]
fn a_theory_line_marks_and_a_log_axis_are_drawn_and_listed() {
    let lines = lines();
    let theory = TheoryLine {
        label: "Theory (MVA)",
        panel: 0,
        values: vec![Some(40.0), Some(80.0), Some(120.0)],
        column: "capacity",
    };
    let marks = [XMark {
        label: "Rule of thumb",
        x: 20.0,
    }];
    let c = Curves {
        theory: Some(&theory),
        marks: &marks,
        log_x: true,
        ..curves(&PANELS, &lines)
    };
    let svg = curves_svg(&c, &ChartOptions::default(), 960, 640).expect("draws");
    for text in ["Theory (MVA)", "Rule of thumb"] {
        assert!(svg.contains(text), "{text}");
    }
    // The mark's label is drawn over the curves, on a box of its own.
    let label = svg.rfind("Rule of thumb").expect("the mark's label");
    let last_curve = svg.rfind("<polyline").expect("curves");
    assert!(label > last_curve, "the label after every curve");
    assert!(svg[last_curve..label].contains("<rect"), "on a box");
    let csv = curves_csv(&c, "clients");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "line,clients,writes,makespan_ms,capacity");
    assert_eq!(rows[1], "No jitter,10,30,100,40");
    assert_eq!(
        rows[4], "Full jitter,10,20,90,",
        "theory goes with the first line"
    );
    assert!(curves_summary(&c).ends_with("Rule of thumb: 20."));
}

#[test]
fn a_marks_line_stops_below_the_label_of_a_close_mark_to_its_left() {
    let lines = lines();
    // Listed right to left: the order must not matter.
    let marks = [
        XMark {
            label: "Rule of thumb",
            x: 20.0,
        },
        XMark {
            label: "Measured best",
            x: 17.0,
        },
    ];
    let c = Curves {
        marks: &marks,
        log_x: true,
        ..curves(&PANELS, &lines)
    };
    let svg = curves_svg(&c, &ChartOptions::default(), 900, 300).expect("draws");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    let num = |n: roxmltree::Node, a: &str| n.attribute(a).and_then(|v| v.parse::<f64>().ok());
    let elements: Vec<roxmltree::Node> = doc.descendants().filter(|n| n.is_element()).collect();
    // Each mark's label box: the rect drawn right before its text.
    let is_label = |n: roxmltree::Node| {
        let text = n.text().unwrap_or_default().trim();
        n.has_tag_name("text") && marks.iter().any(|m| m.label == text)
    };
    let boxes: Vec<[f64; 4]> = elements
        .windows(2)
        .filter(|w| w[0].has_tag_name("rect") && is_label(w[1]))
        .filter_map(|w| {
            let at = |a| num(w[0], a);
            Some([at("x")?, at("y")?, at("width")?, at("height")?])
        })
        .collect();
    assert_eq!(boxes.len(), 4, "two labels in each of two panels");
    // Vertical lines longer than a tick: polylines of two points at one
    // x, as (x, top).
    let verticals: Vec<(f64, f64)> = elements
        .iter()
        .filter_map(|n| {
            let points = n
                .attribute("points")
                .filter(|_| n.has_tag_name("polyline"))?;
            let p: Vec<f64> = points
                .split([' ', ','])
                .filter_map(|v| v.parse().ok())
                .collect();
            (p.len() == 4 && p[0] == p[2] && (p[1] - p[3]).abs() > 20.0)
                .then(|| (p[0], p[1].min(p[3])))
        })
        .collect();
    for b in &boxes {
        // Its own line, just left of it, ends at the label...
        let own = verticals.iter().find(|v| (b[0] - v.0).abs() <= 3.0);
        let (_, top) = own.unwrap_or_else(|| panic!("a line beside {b:?}: {verticals:?}"));
        assert!(
            (top - b[1]).abs() <= 4.0,
            "its line ends at {top}, the label at {}",
            b[1]
        );
        // ...and no line runs through it.
        for &(x, top) in &verticals {
            let through = b[0] < x && x < b[0] + b[2] && top < b[1] + b[3];
            assert!(
                !through,
                "the line at x {x} (top {top}) crosses the label {b:?}"
            );
        }
    }
}

#[test]
fn the_csv_has_a_row_per_line_and_x_with_pending_points_empty() {
    let lines = lines();
    let csv = curves_csv(&curves(&PANELS, &lines), "contention.clients");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "line,contention.clients,writes,makespan_ms");
    assert_eq!(rows[1], "No jitter,10,30,100");
    assert_eq!(rows[5], "Full jitter,20,,");
    assert_eq!(rows.len(), 7);
}

#[test]
fn the_summary_gives_each_lines_value_at_the_last_x() {
    let lines = lines();
    let s = curves_summary(&curves(&PANELS, &lines));
    assert_eq!(
        s,
        "Writes (calls) at 30: No jitter 200. Completion time at 30: No jitter 1.6 s."
    );
}
