//! Whether an element has come near the viewport: an article's widgets run
//! their simulations only once the reader scrolls close to them, so a page
//! of heavy widgets opens as fast as one with a single widget.

use yew::prelude::*;

/// How far outside the viewport an element counts as near (CSS margin).
#[cfg(target_arch = "wasm32")]
const NEAR: &str = "600px 0px";

/// True once `node` has been within [`NEAR`] of the viewport, and from the
/// start when `lazy` is false or the browser cannot tell.
#[hook]
pub(crate) fn use_visible(node: NodeRef, lazy: bool) -> bool {
    let visible = use_state(|| !lazy);
    {
        let visible = visible.clone();
        use_effect_with(lazy, move |&lazy| {
            let watch = if lazy && !*visible {
                observe(&node, visible)
            } else {
                None
            };
            move || drop(watch)
        });
    }
    *visible
}

/// Watches `node` until it comes near, then sets `visible`; dropping the
/// result stops watching. Sets `visible` at once when it cannot watch.
#[cfg(target_arch = "wasm32")]
fn observe(node: &NodeRef, visible: UseStateHandle<bool>) -> Option<Box<dyn std::any::Any>> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    use web_sys::{IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

    /// Stops observing when dropped (the closure lives as long as it).
    struct Watch {
        observer: IntersectionObserver,
        _on_change: Closure<dyn FnMut(js_sys::Array, IntersectionObserver)>,
    }
    impl Drop for Watch {
        fn drop(&mut self) {
            self.observer.disconnect();
        }
    }

    let Some(element) = node.cast::<web_sys::Element>() else {
        visible.set(true);
        return None;
    };
    let seen = visible.clone();
    let on_change = Closure::<dyn FnMut(js_sys::Array, IntersectionObserver)>::new(
        move |entries: js_sys::Array, observer: IntersectionObserver| {
            let near = entries.iter().any(|e| {
                e.dyn_into::<IntersectionObserverEntry>()
                    .is_ok_and(|e| e.is_intersecting())
            });
            if near {
                observer.disconnect();
                seen.set(true);
            }
        },
    );
    let init = IntersectionObserverInit::new();
    init.set_root_margin(NEAR);
    match IntersectionObserver::new_with_options(on_change.as_ref().unchecked_ref(), &init) {
        Ok(observer) => {
            observer.observe(&element);
            Some(Box::new(Watch {
                observer,
                _on_change: on_change,
            }))
        }
        Err(_) => {
            visible.set(true);
            None
        }
    }
}

/// Natively there is no viewport: everything is visible.
#[cfg(not(target_arch = "wasm32"))]
fn observe(_node: &NodeRef, visible: UseStateHandle<bool>) -> Option<Box<dyn std::any::Any>> {
    visible.set(true);
    None
}
