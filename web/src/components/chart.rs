//! One chart on a canvas, sharp on HiDPI screens, with a text summary and
//! PNG / SVG / CSV downloads. It redraws only when its data, cursor, size
//! or theme change, never per animation frame.

use brownout_charts::ChartKind;
use brownout_charts::{ChartData, ChartOptions, Run, Theme};
use gloo::events::EventListener;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::browser;
use crate::runs::RunsRef;

/// Properties of [`ChartView`].
#[derive(Properties, PartialEq)]
pub(crate) struct ChartProps {
    /// Which chart.
    pub(crate) kind: ChartKind,
    /// The runs to draw (both sides in compare mode).
    pub(crate) runs: RunsRef,
    /// Names of side A and side B.
    pub(crate) labels: (String, String),
    /// Time marker, when the player is paused mid-run.
    pub(crate) cursor: Option<f64>,
    /// Base of download file names.
    pub(crate) file_stem: String,
}

const CSS_HEIGHT: f64 = 260.0;

fn data<'a>(runs: &'a crate::runs::Runs, labels: &'a (String, String)) -> ChartData<'a> {
    let a = Run {
        result: &runs.a,
        label: &labels.0,
    };
    match &runs.b {
        Some(b) => ChartData::compare(
            a,
            Run {
                result: b,
                label: &labels.1,
            },
        ),
        None => ChartData::single(&runs.a, &labels.0),
    }
}

fn draw(
    canvas: &HtmlCanvasElement,
    kind: ChartKind,
    runs: &RunsRef,
    labels: &(String, String),
    cursor: Option<f64>,
) -> Result<(), String> {
    let Ok(runs) = runs.0.as_ref() else {
        return Ok(());
    };
    on_canvas(
        canvas,
        |_| CSS_HEIGHT,
        cursor,
        |area, opts| brownout_charts::draw(area, kind, &data(runs, labels), opts),
    )
}

/// Sizes `canvas` for the screen (its CSS width, `css_height(css width)`
/// CSS pixels high, times the device pixel ratio), draws on it with the
/// page's theme, and presents it.
pub(crate) fn on_canvas(
    canvas: &HtmlCanvasElement,
    css_height: impl FnOnce(f64) -> f64,
    cursor: Option<f64>,
    draw: impl FnOnce(
        &plotters::drawing::DrawingArea<CanvasBackend, plotters::coord::Shift>,
        &ChartOptions,
    ) -> Result<(), brownout_charts::ChartError>,
) -> Result<(), String> {
    let ratio = browser::device_pixel_ratio();
    let css_width = f64::from(canvas.client_width().max(280));
    let height = css_height(css_width);
    let (width, height) = (
        (css_width * ratio).round() as u32,
        (height * ratio).round() as u32,
    );
    // Setting a canvas's size, even to the one it has, invalidates the
    // page's layout, and the next chart's `client_width` then lays the
    // page out again: each chart draws over its whole background anyway.
    if (canvas.width(), canvas.height()) != (width, height) {
        canvas.set_width(width);
        canvas.set_height(height);
    }
    let backend =
        CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2D canvas context")?;
    let area = backend.into_drawing_area();
    let opts = ChartOptions {
        scale: ratio,
        theme: page_theme(),
        cursor_s: cursor,
    };
    let drawn = draw(&area, &opts).and_then(|()| area.present().map_err(Into::into));
    if let Err(e) = drawn {
        // Blank, not the last chart looking current (setting the size
        // clears a canvas).
        canvas.set_width(width);
        return Err(e.to_string());
    }
    Ok(())
}

/// A number that changes when the page is resized or switches light /
/// dark: a canvas that depends on it redraws then.
#[hook]
pub(crate) fn use_redraw_signal() -> u32 {
    let resized = use_state(|| 0u32);
    {
        let resized = resized.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let bump = {
                let resized = resized.clone();
                move |_: &web_sys::Event| resized.set(*resized + 1)
            };
            let on_resize = window
                .as_ref()
                .map(|w| EventListener::new(w, "resize", bump.clone()));
            let on_theme = window
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .map(|m| EventListener::new(&m, "change", bump));
            move || drop((on_resize, on_theme))
        });
    }
    *resized
}

/// The theme the page shows.
pub(crate) fn page_theme() -> Theme {
    if browser::prefers_dark() {
        Theme::Dark
    } else {
        Theme::Light
    }
}

/// A button's callback that downloads `canvas` as `{stem}.png`.
pub(crate) fn png_download(canvas: NodeRef, stem: String) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| {
        if let Some(url) = canvas
            .cast::<HtmlCanvasElement>()
            .and_then(|c| c.to_data_url().ok())
        {
            browser::download_url(&format!("{stem}.png"), &url, false);
        }
    })
}

/// A chart with its caption and download buttons.
#[component]
pub(crate) fn ChartView(p: &ChartProps) -> Html {
    let canvas = use_node_ref();
    let resized = use_redraw_signal();
    {
        let canvas = canvas.clone();
        let deps = (p.runs.clone(), p.cursor, resized, p.kind, p.labels.clone());
        use_effect_with(deps, move |(runs, cursor, _, kind, labels)| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>()
                && let Err(e) = draw(&c, *kind, runs, labels, *cursor)
            {
                gloo::console::error!(format!("chart {}: {e}", kind.name()));
            }
        });
    }
    let Ok(runs) = p.runs.0.as_ref() else {
        return Html::default();
    };
    let name = p.kind.name();
    let summary = brownout_charts::summary_text(p.kind, &data(runs, &p.labels));
    let stem = format!("{}-{name}", p.file_stem);
    let png = png_download(canvas.clone(), stem.clone());
    let svg = {
        let (runs, labels, kind, stem) = (p.runs.clone(), p.labels.clone(), p.kind, stem.clone());
        Callback::from(move |_: MouseEvent| {
            if let Ok(r) = runs.0.as_ref() {
                let opts = ChartOptions::default();
                match brownout_charts::svg(kind, &data(r, &labels), &opts, 960, 480) {
                    Ok(text) => {
                        browser::download(&format!("{stem}.svg"), "image/svg+xml", text.as_bytes())
                    }
                    Err(e) => gloo::console::error!(e.to_string()),
                }
            }
        })
    };
    let csv = {
        let (runs, labels, kind) = (p.runs.clone(), p.labels.clone(), p.kind);
        Callback::from(move |_: MouseEvent| {
            if let Ok(r) = runs.0.as_ref() {
                let text = brownout_charts::csv(kind, &data(r, &labels));
                browser::download(&format!("{stem}.csv"), "text/csv", text.as_bytes());
            }
        })
    };
    html! {
        <figure class="chart" data-chart={name}>
            <canvas ref={canvas} role="img" aria-label={summary.clone()} style={format!("height: {CSS_HEIGHT}px")} />
            <figcaption>
                <span class="chart-summary">{ summary }</span>
                <span class="chart-downloads">
                    <button type="button" onclick={png} aria-label={format!("Download the {name} chart as PNG")}>{"PNG"}</button>
                    <button type="button" onclick={svg} aria-label={format!("Download the {name} chart as SVG")}>{"SVG"}</button>
                    <button type="button" onclick={csv} aria-label={format!("Download the {name} chart's data as CSV")}>{"CSV"}</button>
                </span>
            </figcaption>
        </figure>
    }
}
