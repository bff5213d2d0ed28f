//! The utilization chart: one bar per server, 0–100 % of worker time busy,
//! grouped and coloured by server group with the group's name under it.
//!
//! Over the whole run by default; with a cursor, in the bucket containing
//! it, so the bars move with the play/scrub control. In compare mode each
//! server gets two bars, side A filled and side B outlined; when there are
//! too many servers for that, side A's bar with side B as a tick across it.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Canvas, Chart};
use crate::csv;
use crate::frame::{self, builder};
use crate::groups::{Group, group_of, groups};
use crate::legend::{LegendEntry, Swatch};
use crate::marks::{bar, path};
use crate::style::{Dash, LineLook, Look};
use crate::{ChartData, ChartError, Run, format};

const Y_CAPTION: &str = "Utilization (% of time busy)";
const X_CAPTION: &str = "Servers, by group";
/// Gap between groups, in bar slots.
const GROUP_GAP: f64 = 0.6;
/// Room above 100 % for value labels.
const Y_TOP: f64 = 112.0;

/// The utilization chart, as the registry knows it.
pub(crate) const CHART: Chart = Chart {
    name: "utilization",
    draw,
    csv: csv_of,
    summary,
};

/// Each run's utilization per server (0–1): the whole run, or the bucket
/// at the cursor.
fn values(run: &Run, cursor_s: Option<f64>) -> Vec<f64> {
    let s = &run.result.series;
    match cursor_s {
        Some(t) if s.bucket_s > 0.0 && !s.t_s.is_empty() => {
            let i = ((t / s.bucket_s).floor().max(0.0) as usize).min(s.t_s.len() - 1);
            s.utilization
                .iter()
                .map(|u| u.get(i).copied().unwrap_or(0.0))
                .collect()
        }
        _ => run
            .result
            .summary
            .servers
            .iter()
            .map(|s| s.utilization)
            .collect(),
    }
}

/// The left edge of each server's slot, leaving a gap where the group changes.
fn slots(run: &Run, groups: &[Group]) -> (Vec<f64>, f64) {
    let mut x = 0.0;
    let mut prev = None;
    let mut out = Vec::new();
    for s in &run.result.summary.servers {
        let g = group_of(groups, s);
        if prev.is_some_and(|p| p != g) {
            x += GROUP_GAP;
        }
        prev = Some(g);
        out.push(x);
        x += 1.0;
    }
    (out, x.max(1.0))
}

/// How side B is drawn in compare mode.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CompareStyle {
    /// Two bars per server, B outlined: when bars are wide enough to tell apart.
    Paired,
    /// A's bar with B as a tick across it: for many servers.
    Ticks,
}

/// The legend: groups, then in compare mode how each side is drawn.
fn legend(
    data: &ChartData,
    groups: &[Group],
    style: CompareStyle,
    look: &Look,
) -> Vec<LegendEntry> {
    let mut entries: Vec<LegendEntry> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| LegendEntry {
            label: format!("{} ({})", g.name, g.count),
            swatch: Swatch::Bar {
                color: look.group_color(i),
                filled: true,
            },
        })
        .collect();
    if let Some(b) = data.b {
        let muted = look.palette.muted;
        entries.push(LegendEntry {
            label: data.short_label(&data.a).to_string(),
            swatch: Swatch::Bar {
                color: muted,
                filled: true,
            },
        });
        let swatch = match style {
            CompareStyle::Paired => Swatch::Bar {
                color: muted,
                filled: false,
            },
            CompareStyle::Ticks => Swatch::Line(tick(look)),
        };
        entries.push(LegendEntry {
            label: data.short_label(&b).to_string(),
            swatch,
        });
    }
    entries
}

/// Side B's mark in [`CompareStyle::Ticks`].
fn tick(look: &Look) -> LineLook {
    LineLook {
        color: look.palette.text.mix(1.0),
        width: 2.5,
        dash: Dash::Solid,
    }
}

fn titles(look: &Look) -> Vec<String> {
    match look.cursor_s {
        Some(t) => vec![
            format!("Utilization per server at t = {} s", format::trim(t, 1)),
            format!("Utilization at t = {} s", format::trim(t, 1)),
        ],
        None => vec![
            "Utilization per server over the run".to_string(),
            "Utilization per server".to_string(),
        ],
    }
}

fn draw(root: &Canvas<'_>, data: &ChartData, look: &Look) -> Result<(), ChartError> {
    let groups = groups(data);
    // Slots follow the run with more servers; compare runs share the layout.
    let layout_run = match data.b {
        Some(b) if b.result.summary.servers.len() > data.a.result.summary.servers.len() => b,
        _ => data.a,
    };
    let (left, width) = slots(&layout_run, &groups);
    // Paired bars need about 8 CSS pixels each to read (the plot is the
    // chart less ~70 px of margins and labels).
    let slot_css = (look.css_width - 70.0) / (width + 0.6);
    let style = if slot_css * 0.4 >= 8.0 {
        CompareStyle::Paired
    } else {
        CompareStyle::Ticks
    };
    let titles = titles(look);
    let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
    let area = frame::frame(root, look, &titles, &legend(data, &groups, style, look))?;
    let area = frame::caption(&area, look, Y_CAPTION)?;
    if left.is_empty() {
        return frame::no_data(&area, look, "No servers in this run");
    }
    let y_label_px = frame::label_width(&area, look, ["100%".to_string()])?;
    let mut chart =
        builder(&area, look, y_label_px, true).build_cartesian_2d(-0.3..width + 0.3, 0.0..Y_TOP)?;
    let y_fmt = |v: &f64| {
        if *v <= 100.0 {
            format!("{v:.0}%")
        } else {
            String::new()
        }
    };
    frame::mesh(
        &mut chart,
        look,
        X_CAPTION,
        (0, 6),
        &|_| String::new(),
        &y_fmt,
    )?;

    let plot = chart.plotting_area();
    let slot_px = f64::from(plot.dim_in_pixel().0) / (width + 0.6);
    let paired = data.is_compare() && style == CompareStyle::Paired;
    let bar_w = if paired { 0.4 } else { 0.8 };
    let value_font = look.tick_font().pos(Pos::new(HPos::Center, VPos::Bottom));
    let label_fits = !(data.is_compare() && style == CompareStyle::Ticks)
        && slot_px * bar_w
            >= f64::from(frame::label_width(root, look, ["100%".to_string()])?) + 2.0;
    let base = root.get_base_pixel();
    for (side, run) in data.runs().enumerate() {
        for (k, u) in values(run, look.cursor_s).iter().enumerate() {
            let (Some(x), Some(server)) = (left.get(k), run.result.summary.servers.get(k)) else {
                continue;
            };
            let x0 = x + 0.1 + if paired { bar_w * side as f64 } else { 0.0 };
            let pct = (u * 100.0).clamp(0.0, 100.0);
            if side == 1 && !paired {
                path(plot, vec![(x0, pct), (x0 + bar_w, pct)], &tick(look), look)?;
                continue;
            }
            let color = look.group_color(group_of(&groups, server));
            bar(plot, [(x0, 0.0), (x0 + bar_w, pct)], color, side == 0, look)?;
            if label_fits {
                let (px, py) = chart.backend_coord(&(x0 + bar_w / 2.0, pct));
                let at = (px - base.0, py - base.1 - look.px(2.0));
                root.draw_text(&format!("{pct:.0}%"), &value_font, at)?;
            }
        }
    }
    // Group names under their bars, where they fit.
    let name_font = look.label_font().pos(Pos::new(HPos::Center, VPos::Top));
    for (i, g) in groups.iter().enumerate() {
        let xs: Vec<f64> = left
            .iter()
            .zip(&layout_run.result.summary.servers)
            .filter(|(_, s)| group_of(&groups, s) == i)
            .map(|(x, _)| *x)
            .collect();
        let (Some(first), Some(last)) = (xs.first(), xs.last()) else {
            continue;
        };
        let span_px = (last + 1.0 - first) * slot_px;
        let (tw, _) = root.estimate_text_size(&g.name, &name_font)?;
        if f64::from(tw) <= span_px + slot_px * GROUP_GAP {
            let (px, py) = chart.backend_coord(&((first + last + 1.0) / 2.0, 0.0));
            root.draw_text(
                &g.name,
                &name_font,
                (px - base.0, py - base.1 + look.px(5.0)),
            )?;
        }
    }
    Ok(())
}

fn csv_of(data: &ChartData) -> String {
    let headers: Vec<String> = data
        .column_suffixes()
        .iter()
        .map(|sfx| format!("utilization{sfx}"))
        .collect();
    let rows = data
        .runs()
        .map(|r| r.result.summary.servers.len())
        .max()
        .unwrap_or(0);
    let servers: Vec<_> = (0..rows)
        .filter_map(|k| data.runs().find_map(|r| r.result.summary.servers.get(k)))
        .collect();
    let runs: Vec<_> = data.runs().collect();
    csv::per_server(&servers, &headers, |k, side| {
        runs.get(side)
            .and_then(|r| r.result.summary.servers.get(k))
            .map(|s| s.utilization)
    })
}

fn summary(data: &ChartData) -> String {
    let groups = groups(data);
    let parts: Vec<String> = data
        .runs()
        .map(|run| {
            let prefix = if data.is_compare() {
                format!("{}: ", run.label)
            } else {
                String::new()
            };
            let servers = &run.result.summary.servers;
            let mut by_group = Vec::new();
            for (i, g) in groups.iter().enumerate() {
                let us: Vec<f64> = servers
                    .iter()
                    .filter(|s| group_of(&groups, s) == i)
                    .map(|s| s.utilization)
                    .collect();
                if us.is_empty() {
                    continue;
                }
                let mean = us.iter().sum::<f64>() / us.len() as f64;
                let (lo, hi) = us
                    .iter()
                    .fold((f64::MAX, f64::MIN), |(lo, hi), u| (lo.min(*u), hi.max(*u)));
                let range = if format::pct(lo) == format::pct(hi) {
                    String::new()
                } else {
                    format!(" ({} to {})", format::pct(lo), format::pct(hi))
                };
                by_group.push(format!("{} {}{range}", g.name, format::pct(mean)));
            }
            format!(
                "{prefix}utilization by server group: {}.",
                by_group.join(", ")
            )
        })
        .collect();
    format::sentence(&parts.join(" "))
}
