//! A widget's sweep map: a grid of buttons, one per pair of the two axes'
//! values, each coloured (and marked) recovered or stuck as its run comes in
//! from the workers. Clicking a cell loads it into the widget.

use brownout_charts::format;
use brownout_content::map::{Axis, Cell, MapJob, SweepMap};
use yew::prelude::*;

use crate::hooks::use_sweep;
use crate::sweep::{Job, Outcome};

/// Properties of [`SweepMapView`].
#[derive(Properties, PartialEq)]
pub(crate) struct SweepMapProps {
    /// The widget's id, for element ids.
    pub(crate) id: String,
    /// The map's axes.
    pub(crate) map: SweepMap,
    /// The job for the widget's state, or why there is none.
    pub(crate) job: Result<MapJob, String>,
    /// The cell the widget stands on.
    pub(crate) current: Option<(usize, usize)>,
    /// A cell was clicked: its x and y values.
    pub(crate) onpick: Callback<(f64, f64)>,
}

fn value(axis: &Axis, v: f64) -> String {
    let n = format::num(v);
    if axis.unit.is_empty() {
        n
    } else {
        format!("{n} {}", axis.unit)
    }
}

/// An axis's caption: its label, and its unit in brackets when it has one.
fn caption(axis: &Axis) -> String {
    format::caption(&axis.label, &axis.unit)
}

/// The class of a cell: what it came to.
fn class(cell: Option<&Result<Cell, String>>) -> &'static str {
    match cell {
        None => "pending",
        Some(Err(_)) => "error",
        Some(Ok(c)) if c.cut => "cut",
        Some(Ok(c)) if c.recovered_after_s.is_some() => "recovered",
        Some(Ok(_)) => "stuck",
    }
}

/// The class and the sentence of a cell.
fn describe(cell: Option<&Result<Cell, String>>) -> (&'static str, String) {
    let sentence = match cell {
        None => "not run yet".to_string(),
        Some(Err(e)) => format!("could not run: {e}"),
        Some(Ok(c)) if c.cut => "cut short by the event budget".to_string(),
        Some(Ok(c)) => match c.recovered_after_s {
            Some(s) => format!(
                "recovered {} after the trigger, {} within the SLO",
                format::ms(s * 1000.0),
                format::pct(c.within_slo)
            ),
            None => format!("stuck, {} within the SLO", format::pct(c.within_slo)),
        },
    };
    (class(cell), sentence)
}

/// The map under a widget.
#[component]
pub(crate) fn SweepMapView(p: &SweepMapProps) -> Html {
    let progress = use_sweep(p.job.as_ref().ok().cloned().map(Job::Map));
    // The map's cells; a curve's point cannot come from a map's job.
    let cells: Vec<Option<Result<Cell, String>>> = progress
        .cells
        .iter()
        .map(|c| {
            c.as_ref().map(|r| match r {
                Ok(Outcome::Cell(c)) => Ok(*c),
                Ok(Outcome::Point(_)) => Err("not a map's cell".to_string()),
                Err(e) => Err(e.clone()),
            })
        })
        .collect();
    let (x, y) = (&p.map.x, &p.map.y);
    let (nx, ny) = (x.values.len(), y.values.len());
    let total = nx * ny;
    // Counted by class alone: no sentence is built for a count.
    let count = |wanted: &str| cells.iter().filter(|c| class(c.as_ref()) == wanted).count();
    let status = match (&p.job, &progress.error) {
        (Err(e), _) => format!("The map cannot run: {e}"),
        (_, Some(e)) => format!("The map stopped: {e}"),
        _ if progress.done < total => format!("{} of {total} cells run…", progress.done),
        _ => {
            let (cut, errors) = (count("cut"), count("error"));
            let mut s = format!(
                "{total} runs: {} recovered, {} stuck",
                count("recovered"),
                count("stuck")
            );
            if cut > 0 {
                s.push_str(&format!(", {cut} cut short"));
            }
            if errors > 0 {
                s.push_str(&format!(", {errors} could not run"));
            }
            if let Some(ms) = progress.elapsed_ms {
                s.push_str(&format!(" ({}).", format::ms(ms).replace(' ', "\u{a0}")));
            }
            s
        }
    };
    // ASCII lower case: axis labels are knob labels, whose letters are ASCII
    // (brownout-content tests them), and Unicode's case tables would add
    // about 9 KB (gzip) to the wasm.
    let cell = |i: usize, j: usize| {
        let (vx, vy) = (x.values[i], y.values[j]);
        let k = j * nx + i;
        let (class, sentence) = describe(cells.get(k).and_then(Option::as_ref));
        let label = format!(
            "{} {}, {} {}: {sentence}",
            x.label,
            value(x, vx),
            y.label.to_ascii_lowercase(),
            value(y, vy)
        );
        let current = p.current == Some((i, j));
        let onclick = p.onpick.reform(move |_: MouseEvent| (vx, vy));
        html! {
            <button type="button" class={classes!("map-cell", class, current.then_some("current"))}
                aria-label={label.clone()} title={label} aria-pressed={current.to_string()} {onclick}>
                { if class == "stuck" { "×" } else { "" } }
            </button>
        }
    };
    let every = if nx > 10 { 2 } else { 1 };
    html! {
        <figure class="sweep-map" id={format!("{}-map", p.id)}
            data-done={progress.done.to_string()} data-total={total.to_string()}
            data-elapsed-ms={progress.elapsed_ms.map(|v| format!("{v:.0}")).unwrap_or_default()}>
            <figcaption>
                { format!("Recovered or stuck, one {}run per cell: {} across, {} up. Click a cell to load it into the widget.",
                    p.map.duration_s.map(|d| format!("{}-second ", format::num(d))).unwrap_or_default(),
                    x.label.to_ascii_lowercase(), y.label.to_ascii_lowercase()) }
            </figcaption>
            <p class="map-status" role="status" aria-live="polite">{ status }</p>
            <progress max={total.to_string()} value={progress.done.to_string()} aria-label="Cells run" />
            <p class="map-axis">{ format!("↑ {}", caption(y)) }</p>
            <div class="map-grid" style={format!("grid-template-columns: auto repeat({nx}, minmax(0, 1fr))")}>
                { for (0..ny).rev().map(|j| html! {
                    <>
                        <span class="map-y">{ format::num(y.values[j]) }</span>
                        { for (0..nx).map(|i| cell(i, j)) }
                    </>
                }) }
                <span class="map-corner" />
                { for (0..nx).map(|i| html! {
                    <span class="map-x">{ if i % every == 0 { format::num(x.values[i]) } else { String::new() } }</span>
                }) }
            </div>
            <p class="map-axis">{ format!("{} →", caption(x)) }</p>
            <ul class="map-legend">
                <li><span class="swatch recovered" />{"recovered"}</li>
                <li><span class="swatch stuck">{"×"}</span>{"stuck"}</li>
                <li><span class="swatch cut" />{"cut short"}</li>
                <li><span class="swatch pending" />{"not run yet"}</li>
            </ul>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(recovered_after_s: Option<f64>, cut: bool) -> Option<Result<Cell, String>> {
        Some(Ok(Cell {
            recovered_after_s,
            within_slo: 0.5,
            goodput_rps: 10.0,
            cut,
        }))
    }

    #[test]
    fn each_outcome_has_its_own_class_and_words() {
        assert_eq!(describe(None).0, "pending");
        assert_eq!(describe(cell(Some(20.0), false).as_ref()).0, "recovered");
        assert!(
            describe(cell(Some(20.0), false).as_ref())
                .1
                .starts_with("recovered 20 s after")
        );
        assert_eq!(describe(cell(None, false).as_ref()).0, "stuck");
        assert_eq!(describe(cell(Some(20.0), true).as_ref()).0, "cut");
        let error = Some(Err("bad value".to_string()));
        assert_eq!(
            describe(error.as_ref()),
            ("error", "could not run: bad value".to_string())
        );
    }

    #[test]
    fn a_unitless_axis_has_no_empty_brackets() {
        let axis = |unit: &str| Axis {
            path: "client.retries".into(),
            label: "Retries".into(),
            unit: unit.into(),
            values: vec![0.0, 1.0],
            log: false,
        };
        assert_eq!(caption(&axis("")), "Retries");
        // A unit the label already names is not repeated; another is.
        assert_eq!(caption(&axis("retries")), "Retries");
        assert_eq!(caption(&axis("per request")), "Retries (per request)");
    }
}
