//! A widget's sweep curves: a metric against one knob, a line per
//! configuration, each point a mean over seeds, filled in on a canvas as
//! the workers report points, with PNG / SVG / CSV downloads.

use brownout_charts::ChartOptions;
use brownout_charts::curves::{
    CurveLine, CurvePanel, Curves, TheoryLine, XMark, curves_csv, curves_summary, curves_svg,
};
use brownout_charts::format;
use brownout_content::curves::{CurveJob, SweepCurves};
use brownout_content::metric::{Format, Metric};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::chart::{on_canvas, png_download, use_redraw_signal};
use crate::browser;
use crate::hooks::use_sweep;
use crate::sweep::{Job, Outcome};

/// Properties of [`SweepCurvesView`].
#[derive(Properties, PartialEq)]
pub(crate) struct SweepCurvesProps {
    /// The widget's id, for element ids.
    pub(crate) id: String,
    /// The curves' axis, lines and metrics.
    pub(crate) curves: SweepCurves,
    /// The job for the widget's state, or why there is none.
    pub(crate) job: Result<CurveJob, String>,
    /// Base of download file names.
    pub(crate) file_stem: String,
}

/// A panel's caption: the metric's label, with its unit where the label
/// and ticks do not carry it (a rate, an amount).
fn caption(m: &Metric) -> String {
    match m.format {
        Format::Rate | Format::Amount => format::caption(m.label, m.unit),
        _ => m.label.to_string(),
    }
}

/// How a panel writes its values.
fn text_of(m: &Metric) -> fn(f64) -> String {
    m.format.axis()
}

/// The points so far as lines: `values[panel][i]` of line `l` is point
/// `l * xs + i`.
fn lines<'a>(curves: &'a SweepCurves, points: &[Option<Vec<Option<f64>>>]) -> Vec<CurveLine<'a>> {
    let nx = curves.x.values.len();
    curves
        .lines
        .iter()
        .enumerate()
        .map(|(l, line)| CurveLine {
            label: &line.label,
            values: (0..curves.metrics.len())
                .map(|p| {
                    (0..nx)
                        .map(|i| {
                            points
                                .get(l * nx + i)
                                .and_then(Option::as_ref)
                                .and_then(|m| m.get(p).copied().flatten())
                        })
                        .collect()
                })
                .collect(),
        })
        .collect()
}

/// The canvas's height in CSS pixels: panels side by side, or stacked on a
/// phone.
fn css_height(css_width: f64, panels: usize) -> f64 {
    if css_width < 560.0 {
        110.0 + 210.0 * panels as f64
    } else {
        320.0
    }
}

/// "one run per point", "the mean of 20 runs per point".
fn per_point(seeds: u32) -> String {
    match seeds {
        1 => "one run per point".to_string(),
        n => format!("the mean of {n} runs per point"),
    }
}

/// A panel's caption, metric path and value writer.
type PanelParts = (String, &'static str, fn(f64) -> String);

/// The curves' texts and numbers, owned, so the canvas effect and the
/// download buttons can hold them.
#[derive(Clone, Debug, Default, PartialEq)]
struct Drawn {
    title: String,
    short_title: String,
    x_label: String,
    x_path: String,
    xs: Vec<f64>,
    panels: Vec<PanelParts>,
    lines: Vec<(String, Vec<Vec<Option<f64>>>)>,
    /// Label, panel, CSV column and values of the theory line.
    theory: Option<(String, usize, &'static str, Vec<Option<f64>>)>,
    marks: Vec<(String, f64)>,
    log_x: bool,
}

/// The theory line and the marks, from the extra metrics each point read
/// (after the panels': the theory's, then each mark's), for the first
/// configuration; the best is where it does best on the best's panel.
fn extras(c: &SweepCurves, points: &[Option<Vec<Option<f64>>>]) -> Drawn {
    let nx = c.x.values.len();
    let first: Vec<Option<&Vec<Option<f64>>>> = (0..nx)
        .map(|i| points.get(i).and_then(Option::as_ref))
        .collect();
    let column = |k: usize| -> Vec<Option<f64>> {
        first
            .iter()
            .map(|m| m.and_then(|m| m.get(k).copied().flatten()))
            .collect()
    };
    let panels = c.metrics.len();
    let theory = c
        .theory
        .as_ref()
        .map(|(label, m, panel)| (label.clone(), *panel, m.path, column(panels)));
    let skip = panels + usize::from(c.theory.is_some());
    let mut marks: Vec<(String, f64)> = c
        .marks
        .iter()
        .enumerate()
        .filter_map(|(k, (label, _))| {
            let x = column(skip + k).into_iter().flatten().next()?;
            Some((label.clone(), x))
        })
        .collect();
    if let Some((label, panel, lowest)) = &c.best {
        let score = |v: f64| if *lowest { -v } else { v };
        let best =
            c.x.values
                .iter()
                .zip(column(*panel))
                .filter_map(|(&x, v)| v.filter(|v| v.is_finite()).map(|v| (x, score(v))))
                .fold(None, |acc: Option<(f64, f64)>, (x, v)| match acc {
                    // The first of equals: the smallest x that does as well.
                    Some((_, b)) if b >= v => acc,
                    _ => Some((x, v)),
                });
        if let Some((x, _)) = best {
            marks.push((label.clone(), x));
        }
    }
    Drawn {
        theory,
        marks,
        log_x: c.x.log,
        ..Drawn::default()
    }
}

impl Drawn {
    /// Calls `f` with the curves to draw.
    fn with<R>(&self, f: impl FnOnce(&Curves) -> R) -> R {
        let panels: Vec<CurvePanel> = self
            .panels
            .iter()
            .map(|(caption, column, text)| CurvePanel {
                caption,
                column,
                text: *text,
            })
            .collect();
        let lines: Vec<CurveLine> = self
            .lines
            .iter()
            .map(|(label, values)| CurveLine {
                label,
                values: values.clone(),
            })
            .collect();
        let theory = self
            .theory
            .as_ref()
            .map(|(label, panel, column, values)| TheoryLine {
                label,
                panel: *panel,
                values: values.clone(),
                column,
            });
        let marks: Vec<XMark> = self
            .marks
            .iter()
            .map(|(label, x)| XMark { label, x: *x })
            .collect();
        f(&Curves {
            title: &self.title,
            short_title: &self.short_title,
            x_label: &self.x_label,
            xs: &self.xs,
            panels: &panels,
            lines: &lines,
            theory: theory.as_ref(),
            marks: &marks,
            log_x: self.log_x,
        })
    }
}

/// The curves under a widget.
#[component]
pub(crate) fn SweepCurvesView(p: &SweepCurvesProps) -> Html {
    let progress = use_sweep(p.job.as_ref().ok().cloned().map(Job::Curves));
    let canvas = use_node_ref();
    let redraw = use_redraw_signal();
    let total = p.job.as_ref().map_or(0, CurveJob::len);
    let seeds = p.curves.seeds;
    let (mut cut, mut errors) = (0, 0);
    let points: Vec<Option<Vec<Option<f64>>>> = progress
        .cells
        .iter()
        .map(|c| match c {
            Some(Ok(Outcome::Point(pt))) => {
                cut += pt.cut;
                Some(pt.means.clone())
            }
            Some(_) => {
                errors += 1;
                None
            }
            None => None,
        })
        .collect();
    let c = &p.curves;
    let drawn = std::rc::Rc::new(Drawn {
        title: format!(
            "{} against {}, {}",
            match c.lines.len() {
                1 => "One configuration".to_string(),
                n => format!("{n} configurations"),
            },
            c.x.label.to_ascii_lowercase(),
            per_point(seeds)
        ),
        short_title: {
            let mut s = per_point(seeds);
            s[..1].make_ascii_uppercase();
            s
        },
        x_label: format::caption(&c.x.label, &c.x.unit),
        x_path: c.x.path.clone(),
        xs: c.x.values.clone(),
        panels: c
            .metrics
            .iter()
            .map(|m| (caption(m), m.path, text_of(m)))
            .collect(),
        lines: lines(c, &points)
            .into_iter()
            .map(|l| (l.label.to_string(), l.values))
            .collect(),
        ..extras(c, &points)
    });
    {
        let canvas = canvas.clone();
        use_effect_with(((*drawn).clone(), redraw), move |(drawn, _)| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>()
                && let Err(e) = drawn.with(|curves| draw(&c, curves))
            {
                gloo::console::error!(format!("sweep curves: {e}"));
            }
        });
    }
    let done = progress.done;
    let status = match (&p.job, &progress.error) {
        (Err(e), _) => format!("The curves cannot run: {e}"),
        (_, Some(e)) => format!("The curves stopped: {e}"),
        _ if done < total => format!("{done} of {total} points run…"),
        _ => {
            let mut s = format!(
                "{total} points, {} runs",
                format::count(total as u64 * u64::from(seeds))
            );
            if let Some(ms) = progress.elapsed_ms {
                s.push_str(&format!(" in {}", format::ms(ms).replace(' ', "\u{a0}")));
            }
            if cut > 0 {
                s.push_str(&format!(
                    "; {cut} runs cut short by the event budget, left out"
                ));
            }
            if errors > 0 {
                s.push_str(&format!("; {errors} points could not run"));
            }
            s.push('.');
            s
        }
    };
    let summary = drawn.with(curves_summary);
    let stem = format!("{}-curves", p.file_stem);
    let png = png_download(canvas.clone(), stem.clone());
    let svg = {
        let (drawn, stem) = (drawn.clone(), stem.clone());
        Callback::from(move |_: MouseEvent| {
            match drawn.with(|c| curves_svg(c, &ChartOptions::default(), 960, 480)) {
                Ok(text) => {
                    browser::download(&format!("{stem}.svg"), "image/svg+xml", text.as_bytes())
                }
                Err(e) => gloo::console::error!(e.to_string()),
            }
        })
    };
    let csv = {
        let drawn = drawn.clone();
        Callback::from(move |_: MouseEvent| {
            let text = drawn.with(|c| curves_csv(c, &drawn.x_path));
            browser::download(&format!("{stem}.csv"), "text/csv", text.as_bytes());
        })
    };
    let from_seed = p.job.as_ref().map_or(0, |j| j.scenario.seed);
    html! {
        <figure class="sweep-curves" id={format!("{}-curves", p.id)}
            data-done={done.to_string()} data-total={total.to_string()}
            data-elapsed-ms={progress.elapsed_ms.map(|v| format!("{v:.0}")).unwrap_or_default()}>
            <p class="map-status" role="status" aria-live="polite">{ status }</p>
            <progress max={total.to_string()} value={done.to_string()} aria-label="Points run" />
            <canvas ref={canvas} role="img" aria-label={if summary.is_empty() { drawn.title.clone() } else { summary.clone() }} />
            <figcaption>
                <span class="chart-summary">{ format!(
                    "{}. {summary}",
                    match seeds {
                        1 => format!("{}, seed {from_seed}", drawn.title),
                        n => format!(
                            "{}, seeds {from_seed} to {}",
                            drawn.title,
                            from_seed + u64::from(n) - 1
                        ),
                    }) }</span>
                <span class="chart-downloads">
                    <button type="button" onclick={png} aria-label="Download the sweep curves as PNG">{"PNG"}</button>
                    <button type="button" onclick={svg} aria-label="Download the sweep curves as SVG">{"SVG"}</button>
                    <button type="button" onclick={csv} aria-label="Download the sweep curves' data as CSV">{"CSV"}</button>
                </span>
            </figcaption>
        </figure>
    }
}

fn draw(canvas: &HtmlCanvasElement, curves: &Curves) -> Result<(), String> {
    let panels = curves.panels.len();
    let size = |css_width: f64| {
        let h = css_height(css_width, panels);
        let _ = canvas.set_attribute("style", &format!("height: {h}px"));
        h
    };
    on_canvas(canvas, size, None, |area, opts| {
        brownout_charts::curves::draw_curves(area, curves, opts)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use brownout_content::map::Axis;
    use brownout_content::metric::metric;

    #[test]
    fn points_fill_their_line_and_x_and_pending_ones_stay_empty() {
        let curves = SweepCurves {
            x: Axis {
                path: "contention.clients".into(),
                label: "Clients".into(),
                unit: "clients".into(),
                values: vec![10.0, 20.0],
                log: false,
            },
            seeds: 2,
            metrics: vec![metric("contention.writes").expect("known")],
            lines: vec![
                serde_json::from_str(r#"{"label": "A", "set": {}}"#).expect("line"),
                serde_json::from_str(r#"{"label": "B", "set": {}}"#).expect("line"),
            ],
            theory: Some(("T".into(), metric("contention.reads").expect("known"), 0)),
            marks: vec![("M".into(), metric("contention.conflicts").expect("known"))],
            best: Some(("Best".into(), 0, false)),
        };
        let points = vec![Some(vec![Some(1.0)]), None, None, Some(vec![Some(4.0)])];
        let l = lines(&curves, &points);
        assert_eq!(l[0].values, vec![vec![Some(1.0), None]]);
        assert_eq!(l[1].values, vec![vec![None, Some(4.0)]]);
        assert_eq!(
            caption(metric("contention.makespan_ms").expect("known")),
            "Until the last client succeeded"
        );
        assert_eq!(
            caption(metric("contention.writes").expect("known")),
            "Writes (calls), failed or not"
        );
        assert!(css_height(360.0, 2) > css_height(900.0, 2));
        // Each point read the panel's metric, the theory's, then the mark's.
        let points = vec![
            Some(vec![Some(1.0), Some(9.0), Some(15.0)]),
            Some(vec![Some(3.0), Some(8.0), Some(16.0)]),
        ];
        let d = extras(&curves, &points);
        assert_eq!(
            d.theory,
            Some((
                "T".into(),
                0,
                "contention.reads",
                vec![Some(9.0), Some(8.0)]
            ))
        );
        assert_eq!(d.marks, vec![("M".into(), 15.0), ("Best".into(), 20.0)]);
    }
}
