//! Renders every chart for the 2 AM outage (round robin, compared with least
//! connections) as PNG and SVG, light and dark, wide and phone-sized:
//!
//! ```text
//! cargo run -p brownout-charts --features png --example preview -- /tmp/charts-preview
//! ```

use std::path::PathBuf;

use brownout_charts::{ChartData, ChartKind, ChartOptions, Run, Theme, png, svg};
use brownout_sim::{Format, Limits, parse, simulate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "/tmp/charts-preview".into()),
    );
    std::fs::create_dir_all(&out)?;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../content/scenarios/round-robin-2am.toml"
    );
    let text = std::fs::read_to_string(path)?;
    let lc_text = text.replace("policy = \"round_robin\"", "policy = \"least_connections\"");
    let a = simulate(&parse(&text, Format::Toml)?, Limits::default());
    let b = simulate(&parse(&lc_text, Format::Toml)?, Limits::default());
    let single = ChartData::single(&a, "Round robin");
    let compare = ChartData::compare(
        Run {
            result: &a,
            label: "Round robin",
        },
        Run {
            result: &b,
            label: "Least connections",
        },
    );
    // A hundred servers: the same mix, ten times over, at ten times the rate.
    let fleet_text = text
        .replace("rate_rps = 140", "rate_rps = 1400")
        .replace("count = 3", "count = 30")
        .replace("count = 4", "count = 40");
    let fleet = simulate(&parse(&fleet_text, Format::Toml)?, Limits::default());
    let fleet_lc = simulate(
        &parse(
            &fleet_text.replace("policy = \"round_robin\"", "policy = \"least_connections\""),
            Format::Toml,
        )?,
        Limits::default(),
    );
    let fleet_data = ChartData::compare(
        Run {
            result: &fleet,
            label: "Round robin",
        },
        Run {
            result: &fleet_lc,
            label: "Least connections",
        },
    );
    for chart in [ChartKind::Queues, ChartKind::Utilization] {
        for (size, (w, h), scale) in [("800", (800, 400), 1.0), ("375", (375, 300), 1.0)] {
            let opts = ChartOptions {
                scale,
                ..ChartOptions::default()
            };
            let name = format!("{}-fleet100-{size}", chart.name());
            std::fs::write(
                out.join(format!("{name}.png")),
                png(chart, &fleet_data, &opts, w, h)?,
            )?;
        }
    }
    for chart in ChartKind::ALL {
        for (mode, data) in [("single", &single), ("compare", &compare)] {
            for (size, (w, h), scale) in [
                ("800", (800, 400), 1.0),
                ("375", (375, 300), 1.0),
                ("site-wide", (720, 260), 1.0),
                ("site-phone", (750, 520), 2.0),
                ("hidpi", (750, 600), 2.0),
            ] {
                for (theme_name, theme) in [("light", Theme::Light), ("dark", Theme::Dark)] {
                    if theme == Theme::Dark && size != "800" {
                        continue;
                    }
                    let opts = ChartOptions {
                        scale,
                        theme,
                        cursor_s: None,
                    };
                    let name = format!("{}-{mode}-{size}-{theme_name}", chart.name());
                    std::fs::write(
                        out.join(format!("{name}.png")),
                        png(chart, data, &opts, w, h)?,
                    )?;
                    std::fs::write(
                        out.join(format!("{name}.svg")),
                        svg(chart, data, &opts, w, h)?,
                    )?;
                }
            }
        }
        let opts = ChartOptions {
            cursor_s: Some(240.0),
            ..ChartOptions::default()
        };
        let name = format!("{}-compare-800-cursor", chart.name());
        std::fs::write(
            out.join(format!("{name}.png")),
            png(chart, &compare, &opts, 800, 400)?,
        )?;
        println!("{}", brownout_charts::summary_text(chart, &compare));
    }
    Ok(())
}
