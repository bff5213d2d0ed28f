//! A page for any URL the site does not know.

use yew::prelude::*;

use crate::route::{Route, href};

/// Properties of [`NotFoundPage`].
#[derive(Properties, PartialEq)]
pub(crate) struct NotFoundProps {
    /// The path that was asked for.
    pub(crate) path: String,
}

/// Says which page was not found and where to go instead.
#[component]
pub(crate) fn NotFoundPage(props: &NotFoundProps) -> Html {
    let path: String = props.path.chars().take(80).collect();
    html! {
        <section class="not-found" role="alert">
            <h1>{"Page not found"}</h1>
            <p>{format!("There is no page at \u{201c}{path}\u{201d}.")}</p>
            <p><a href={href(&Route::Home, &[])}>{"See all articles"}</a></p>
        </section>
    }
}
