//! The app shell: follows the URL hash and lays out the page for a route.

use gloo::events::EventListener;
use yew::prelude::*;

use crate::browser;
use crate::pages::{
    ArticlePage, EmbedPage, EmbedPlaygroundPage, HomePage, NotFoundPage, PlaygroundPage,
};
use crate::route::{Location, Route, href, parse_hash};

/// The whole site.
#[component]
pub fn App() -> Html {
    let location = use_state(|| parse_hash(&browser::hash()));
    {
        let location = location.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    location.set(parse_hash(&browser::hash()))
                })
            });
            move || drop(listener)
        });
    }
    let Location { route, query } = (*location).clone();
    match route {
        Route::Embed { slug, widget } => html! {
            <main class="embed"><EmbedPage {slug} {widget} {query} /></main>
        },
        Route::EmbedPlayground => {
            let key = browser::hash();
            html! { <main class="embed"><EmbedPlaygroundPage {key} {query} /></main> }
        }
        route => html! {
            <>
                <a class="skip-link" href="#main" onclick={Callback::from(|e: MouseEvent| {
                    e.prevent_default();
                    browser::focus("main");
                })}>{"Skip to content"}</a>
                <header class="site-header">
                    <a class="brand" href={href(&Route::Home, &[])}>{"Brownout"}</a>
                    <span class="tagline">{"Learn how distributed systems fail, by making them fail."}</span>
                    <nav class="site-nav" aria-label="Site">
                        <a href={href(&Route::Home, &[])}>{"Articles"}</a>
                        <a href={href(&Route::Playground, &[])}>{"Playground"}</a>
                    </nav>
                </header>
                <main id="main" tabindex="-1">{ page(route, query) }</main>
                <footer class="site-footer">
                    {"Every number on this site comes from a deterministic simulation you can rerun with the "}
                    <code>{"brownout"}</code>{" command-line tool."}
                </footer>
            </>
        },
    }
}

fn page(route: Route, query: Vec<(String, String)>) -> Html {
    match route {
        Route::Home => html! { <HomePage /> },
        Route::Article { slug, section } => {
            let key = slug.clone();
            html! { <ArticlePage {key} {slug} {section} {query} /> }
        }
        Route::NotFound(path) => html! { <NotFoundPage {path} /> },
        // A new address typed or pasted reopens the playground; the page's
        // own URL updates replace the hash without an event.
        Route::Playground => {
            let key = browser::hash();
            html! { <PlaygroundPage {key} {query} /> }
        }
        Route::Embed { .. } | Route::EmbedPlayground => Html::default(),
    }
}
