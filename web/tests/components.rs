//! Components in a real browser (headless Chromium via wasm-bindgen-test):
//! knobs change the scenario and the numbers; bad links give messages.
#![cfg(target_arch = "wasm32")]

use brownout_web::App;
use brownout_web::components::WidgetView;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// A fresh element to render into.
fn root() -> Element {
    let div = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&div)
        .expect("append");
    div
}

fn set_hash(hash: &str) {
    web_sys::window()
        .expect("window")
        .location()
        .set_hash(hash)
        .expect("hash");
}

fn stat(root: &Element, key: &str) -> f64 {
    root.query_selector(&format!(".stat[data-stat={key}] dd"))
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("data-value"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

fn spec(text: &str) -> String {
    text.to_string()
}

#[wasm_bindgen_test]
async fn moving_a_knob_reruns_the_scenario_and_updates_the_numbers_and_the_url() {
    set_hash("#/articles/round-robin");
    let root = root();
    let props = brownout_web::components::WidgetProps {
        slug: "round-robin".into(),
        index: 0,
        spec: spec(
            r#"{"preset": "round-robin-2am", "knobs": ["balancer.policy"], "charts": ["latency"]}"#,
        ),
        query: vec![],
        embed: false,
        show: None,
        lazy: false,
        scenario: None,
    };
    yew::Renderer::<WidgetView>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let before = stat(&root, "p99");
    assert!(before > 100_000.0, "round robin's p99 is minutes: {before}");
    let select: web_sys::HtmlSelectElement = root
        .query_selector("select[data-path='balancer.policy']")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
        .expect("policy select");
    select.set_value("least_connections");
    select
        .dispatch_event(&web_sys::Event::new("change").expect("event"))
        .expect("dispatch");
    yew::scheduler::flush().await;
    let after = stat(&root, "p99");
    assert!(
        after < 1_000.0,
        "least connections' p99 is under a second: {after}"
    );
    let hash = web_sys::window()
        .expect("window")
        .location()
        .hash()
        .expect("hash");
    assert!(
        hash.contains("w0.balancer.policy=least_connections"),
        "{hash}"
    );
}

#[wasm_bindgen_test]
async fn a_range_knob_takes_the_typed_value() {
    set_hash("#/articles/round-robin");
    let root = root();
    let props = brownout_web::components::WidgetProps {
        slug: "round-robin".into(),
        index: 0,
        spec: spec(r#"{"preset": "mm1", "knobs": ["traffic.rate_rps"], "charts": []}"#),
        query: vec![],
        embed: false,
        show: None,
        lazy: false,
        scenario: None,
    };
    yew::Renderer::<WidgetView>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let before = stat(&root, "throughput");
    let input: HtmlInputElement = root
        .query_selector("input[data-path='traffic.rate_rps']")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
        .expect("rate slider");
    input.set_value("4");
    input
        .dispatch_event(&web_sys::InputEvent::new("input").expect("event"))
        .expect("dispatch");
    yew::scheduler::flush().await;
    let after = stat(&root, "throughput");
    assert!(
        (before - 8.0).abs() < 0.3 && (after - 4.0).abs() < 0.3,
        "{before} then {after}"
    );
}

#[wasm_bindgen_test]
async fn a_widget_block_with_stats_shows_exactly_those_rows_in_order() {
    set_hash("#/articles/round-robin");
    let root = root();
    let props = brownout_web::components::WidgetProps {
        slug: "round-robin".into(),
        index: 0,
        spec: spec(r#"{"preset": "mm1", "stats": ["latency_ms.p90", "completed"], "charts": []}"#),
        query: vec![],
        embed: false,
        show: None,
        lazy: false,
        scenario: None,
    };
    yew::Renderer::<WidgetView>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let rows = root.query_selector_all(".stat dt").expect("rows");
    let labels: Vec<String> = (0..rows.length())
        .filter_map(|i| rows.item(i).and_then(|n| n.text_content()))
        .collect();
    assert_eq!(labels, ["90th percentile latency", "Requests completed"]);
    assert!(stat(&root, "completed") > 0.0);
}

#[wasm_bindgen_test]
async fn a_bad_url_parameter_shows_a_specific_message_and_the_preset_runs() {
    set_hash("#/articles/round-robin?w0.traffic.rate_rps=lots&w0.colour=red");
    let root = root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let text = root.text_content().unwrap_or_default();
    assert!(
        text.contains("Arrival rate must be a number from"),
        "{}",
        &text[..text.len().min(400)]
    );
    assert!(text.contains("unknown parameter \"colour\""), "{text}");
    // An article's widgets run once scrolled near the viewport.
    root.scroll_into_view();
    sleep(300).await;
    yew::scheduler::flush().await;
    assert!(stat(&root, "p99") > 0.0, "the widget still runs the preset");
}

#[wasm_bindgen_test]
async fn an_unknown_article_names_the_articles_there_are() {
    set_hash("#/articles/no-such-article");
    let root = root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let text = root.text_content().unwrap_or_default();
    assert!(
        text.contains(
            "There is no article \u{201c}no-such-article\u{201d}. The articles are: round-robin, retries, backoff, breakers, pools, caches."
        ),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn html_in_a_url_is_shown_as_text_never_run() {
    set_hash("#/articles/round-robin?w0.traffic.rate_rps=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
    let root = root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    assert!(
        root.query_selector("img[src=x]").ok().flatten().is_none(),
        "no element was injected"
    );
    let text = root.text_content().unwrap_or_default();
    assert!(
        text.contains("<img src=x onerror=alert(1)>"),
        "the value is quoted as text"
    );
}

#[wasm_bindgen_test]
async fn a_widget_with_a_map_draws_a_button_per_cell_with_axis_values_and_progress() {
    set_hash("#/articles/retries");
    let root = root();
    let props = brownout_web::components::WidgetProps {
        slug: "retries".into(),
        index: 0,
        spec: spec(
            r#"{"preset": "retry-storm", "charts": ["goodput"],
                "knobs": [{"path": "traffic.rate_rps", "min": 30, "max": 70, "step": 1},
                          {"path": "traffic.changes[0].rate_rps", "min": 55, "max": 400, "step": 5}],
                "map": {"x": {"knob": "traffic.rate_rps", "from": 30, "to": 40, "step": 2},
                        "y": {"knob": "traffic.changes[0].rate_rps", "from": 60, "to": 100, "step": 10},
                        "duration_s": 100}}"#,
        ),
        query: vec![],
        embed: false,
        show: None,
        lazy: false,
        scenario: None,
    };
    yew::Renderer::<WidgetView>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let map = root
        .query_selector("figure.sweep-map")
        .ok()
        .flatten()
        .expect("a map under the widget");
    assert_eq!(map.get_attribute("data-total").as_deref(), Some("30"));
    let cells = map.query_selector_all("button.map-cell").expect("cells");
    assert_eq!(cells.length(), 30, "6 × 5 cells");
    let first: Element = cells
        .item(0)
        .and_then(|n| n.dyn_into().ok())
        .expect("a cell");
    // The top row is the largest spike; cells read their values and state.
    let label = first.get_attribute("aria-label").unwrap_or_default();
    assert!(
        label.starts_with("Arrival rate 30 req/s, rate during the change 100 req/s:"),
        "{label}"
    );
    let caption = map
        .query_selector("figcaption")
        .ok()
        .flatten()
        .expect("caption");
    assert!(
        caption
            .text_content()
            .unwrap_or_default()
            .contains("100-second run")
    );
    assert!(map.query_selector("progress").ok().flatten().is_some());
}

/// Waits `ms` milliseconds (the browser's timers, observers and frames run).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("timer");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer fires");
}

#[wasm_bindgen_test]
async fn a_lazy_widget_far_below_the_viewport_runs_only_once_scrolled_near() {
    set_hash("#/articles/round-robin");
    let spacer = document().create_element("div").expect("div");
    spacer
        .set_attribute("style", "height: 6000px")
        .expect("style");
    document()
        .body()
        .expect("body")
        .append_child(&spacer)
        .expect("append");
    let root = root();
    let props = brownout_web::components::WidgetProps {
        slug: "round-robin".into(),
        index: 0,
        spec: spec(r#"{"preset": "mm1", "charts": ["latency"]}"#),
        query: vec![],
        embed: false,
        show: None,
        lazy: true,
        scenario: None,
    };
    yew::Renderer::<WidgetView>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    sleep(100).await;
    yew::scheduler::flush().await;
    assert!(
        root.query_selector(".widget-pending")
            .ok()
            .flatten()
            .is_some(),
        "far below the viewport it waits"
    );
    assert!(stat(&root, "p50").is_nan(), "and has run nothing");
    root.scroll_into_view();
    sleep(300).await;
    yew::scheduler::flush().await;
    assert!(stat(&root, "p50") > 0.0, "scrolled near, it runs");
    assert!(
        root.query_selector(".widget-pending")
            .ok()
            .flatten()
            .is_none()
    );
    spacer.remove();
}

/// Renders `props` into a fresh root and lets Yew finish.
async fn render<C>(props: C::Properties) -> Element
where
    C: yew::BaseComponent,
{
    let root = root();
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

fn find<T: JsCast>(root: &Element, selector: &str) -> T {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
        .unwrap_or_else(|| panic!("no {selector}"))
}

#[wasm_bindgen_test]
async fn the_editor_numbers_lines_marks_the_bad_one_and_reports_every_edit() {
    use brownout_web::components::{Editor, EditorProps};
    use std::cell::RefCell;
    use std::rc::Rc;
    let edits = Rc::new(RefCell::new(Vec::<String>::new()));
    let sink = edits.clone();
    let root = render::<Editor>(EditorProps {
        id: "ed".into(),
        value: "a = 1\nb = -2\nc = 3".into(),
        error: Some((Some(2), "Line 2: b: must be positive".into())),
        oninput: yew::Callback::from(move |t: String| sink.borrow_mut().push(t)),
        readonly: false,
    })
    .await;
    let gutter: Vec<String> = (0..3)
        .map(|i| {
            root.query_selector_all(".editor-gutter span")
                .expect("spans")
                .item(i)
                .and_then(|n| n.text_content())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(gutter, ["1\n", "2\n", "3\n"]);
    let bad: Element = find(&root, ".editor-gutter span.bad");
    assert_eq!(bad.text_content().as_deref(), Some("2\n"));
    let status: Element = find(&root, ".editor-status.bad");
    assert!(
        status
            .text_content()
            .unwrap_or_default()
            .starts_with("Line 2: b: must be positive")
    );
    let area: web_sys::HtmlTextAreaElement = find(&root, "textarea#ed");
    assert_eq!(area.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        area.get_attribute("aria-describedby").as_deref(),
        Some("ed-error")
    );
    area.set_value("a = 1\nb = 2\nc = 3");
    area.dispatch_event(&web_sys::InputEvent::new("input").expect("event"))
        .expect("dispatch");
    yew::scheduler::flush().await;
    assert_eq!(*edits.borrow(), ["a = 1\nb = 2\nc = 3"]);
}

#[wasm_bindgen_test]
async fn the_knob_picker_adds_relabels_and_removes_knobs() {
    use brownout_content::knob::{KnobOverride, KnobRef};
    use brownout_web::components::{KnobSet, KnobSetProps};
    use std::cell::RefCell;
    use std::rc::Rc;
    let scenario = brownout_content::preset("mm1")
        .and_then(|p| p.scenario().ok())
        .expect("mm1");
    let fields = brownout_content::playground::knob_fields(scenario.scenario());
    let changes = Rc::new(RefCell::new(Vec::<Vec<KnobRef>>::new()));
    let sink = changes.clone();
    let rate = KnobRef::Path("traffic.rate_rps".into());
    let root = render::<KnobSet>(KnobSetProps {
        id: "ks".into(),
        knobs: vec![rate.clone()],
        fields,
        onchange: yew::Callback::from(move |k: Vec<KnobRef>| sink.borrow_mut().push(k)),
    })
    .await;
    let add: web_sys::HtmlSelectElement = find(&root, "select#ks-add");
    let options: Vec<String> = (0..add.length())
        .filter_map(|i| add.item(i))
        .filter_map(|o| o.get_attribute("value"))
        .collect();
    assert!(
        !options.contains(&"traffic.rate_rps".to_string()),
        "{options:?}"
    );
    assert!(
        options.contains(&"servers[0].workers".to_string()),
        "{options:?}"
    );
    add.set_value("servers[0].workers");
    add.dispatch_event(&web_sys::Event::new("change").expect("event"))
        .expect("dispatch");
    yew::scheduler::flush().await;
    let button: web_sys::HtmlElement = find(&root, ".knob-set-add button");
    button.click();
    let label: HtmlInputElement = find(&root, "#ks-0-label");
    label.set_value("Arrivals");
    label
        .dispatch_event(&web_sys::Event::new("change").expect("event"))
        .expect("dispatch");
    let remove: web_sys::HtmlElement = find(&root, ".knob-set-item button");
    remove.click();
    yew::scheduler::flush().await;
    let relabelled = KnobRef::Custom(KnobOverride {
        path: "traffic.rate_rps".into(),
        label: Some("Arrivals".into()),
        ..KnobOverride::default()
    });
    assert_eq!(
        *changes.borrow(),
        vec![
            vec![rate, KnobRef::Path("servers[0].workers".into())],
            vec![relabelled],
            vec![],
        ]
    );
}

#[wasm_bindgen_test]
async fn a_playground_scenario_runs_and_links_to_the_playground() {
    set_hash("#/playground");
    let scenario = brownout_content::preset("mm1")
        .and_then(|p| p.scenario().ok())
        .expect("mm1");
    let json = serde_json::to_string(scenario.scenario()).expect("json");
    let spec = serde_json::to_string(&brownout_content::playground::widget_spec(
        scenario.scenario(),
        vec![],
    ))
    .expect("spec");
    let root = render::<WidgetView>(brownout_web::components::WidgetProps {
        slug: "playground".into(),
        index: 0,
        spec,
        query: vec![("seed".into(), "4".into())],
        embed: false,
        show: None,
        lazy: false,
        scenario: Some((json, "FRAGMENT".into())),
    })
    .await;
    assert!(stat(&root, "throughput") > 7.0);
    let link: HtmlInputElement = find(&root, "input.share-link");
    assert!(
        link.value().ends_with("#/playground?s=FRAGMENT&w0.seed=4"),
        "{}",
        link.value()
    );
    let buttons = root.text_content().unwrap_or_default();
    assert!(buttons.contains("Reset knobs") && !buttons.contains("Open in playground"));
}
