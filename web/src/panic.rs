//! Turns a panic into a visible error box instead of a dead page.

use wasm_bindgen::JsCast;

/// Installs the hook: the message goes to the console and into a box at
/// the top of the page (as text, never as HTML).
pub(crate) fn install() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&message.clone().into());
        show(&format!(
            "Something went wrong inside Brownout, and this page stopped working: {message}. Reloading the page usually helps; if it happens again, please report it with the link you were on."
        ));
    }));
}

fn show(text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    let Ok(div) = document.create_element("div") else {
        return;
    };
    div.set_class_name("panic-box");
    div.set_attribute("role", "alert").ok();
    div.set_text_content(Some(text));
    if let Ok(el) = div.dyn_into::<web_sys::HtmlElement>() {
        let _ = body.prepend_with_node_1(&el);
    }
}
