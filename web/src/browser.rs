//! Thin wrappers over the browser APIs the site uses. Every call degrades
//! quietly (no panic) when an API is missing.

use wasm_bindgen::{JsCast, JsValue};

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The URL hash, with its `#`.
pub(crate) fn hash() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Replaces the hash without a navigation or a history entry.
pub(crate) fn replace_hash(hash: &str) {
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(hash));
    }
}

/// The page's URL up to (not including) the hash: where share links point.
pub(crate) fn base_url() -> String {
    let Some(location) = window().map(|w| w.location()) else {
        return String::new();
    };
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    format!("{origin}{path}")
}

/// Whether the reader asked for less motion.
pub(crate) fn prefers_reduced_motion() -> bool {
    media_matches("(prefers-reduced-motion: reduce)")
}

/// Whether the page is in dark mode.
pub(crate) fn prefers_dark() -> bool {
    media_matches("(prefers-color-scheme: dark)")
}

/// Whether the window is narrower than a column of 720 px (a phone, a
/// small embed).
pub(crate) fn narrow_window() -> bool {
    media_matches("(max-width: 719px)")
}

fn media_matches(query: &str) -> bool {
    window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Device pixels per CSS pixel (1 when unknown).
pub(crate) fn device_pixel_ratio() -> f64 {
    window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 4.0)
}

/// Copies `text` to the clipboard; `done(true)` once copied.
pub(crate) fn copy(text: &str, done: impl FnOnce(bool) + 'static) {
    let Some(clipboard) = window().map(|w| w.navigator().clipboard()) else {
        done(false);
        return;
    };
    let promise = clipboard.write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
    });
}

/// Offers `bytes` as a file download named `name`.
pub(crate) fn download(name: &str, mime: &str, bytes: &[u8]) {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    download_url(
        name,
        &web_sys::Url::create_object_url_with_blob(&blob).unwrap_or_default(),
        true,
    );
}

/// Offers the resource at `url` (an object or data URL) as a download.
pub(crate) fn download_url(name: &str, url: &str, revoke: bool) {
    let Some(document) = window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(anchor) = document.create_element("a") else {
        return;
    };
    let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>() else {
        return;
    };
    anchor.set_href(url);
    anchor.set_download(name);
    anchor.click();
    if revoke {
        let _ = web_sys::Url::revoke_object_url(url);
    }
}

/// Milliseconds since the page started (0 when unknown).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn now_ms() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Marks a point in the performance timeline.
pub(crate) fn mark(name: &str) {
    if let Some(p) = window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Measures from mark `start` to now, when `start` was marked.
pub(crate) fn measure(name: &str, start: &str) {
    if let Some(p) = window().and_then(|w| w.performance())
        && p.get_entries_by_name_with_entry_type(start, "mark")
            .length()
            > 0
    {
        let _ = p.measure_with_start_mark(name, start);
        p.clear_marks_with_mark_name(start);
    }
}

/// Scrolls the element with `id` into view.
pub(crate) fn scroll_to(id: &str) {
    if let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.scroll_into_view();
    }
}

/// Sets the document title.
pub(crate) fn set_title(title: &str) {
    if let Some(d) = window().and_then(|w| w.document()) {
        d.set_title(title);
    }
}

/// Moves keyboard focus to the element with `id` (it needs a tabindex).
pub(crate) fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
        el.scroll_into_view();
    }
}
