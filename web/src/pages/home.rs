//! The home page: every article with its summary.

use yew::prelude::*;

use crate::browser;
use crate::components::Notice;
use crate::route::{Route, href};

/// Lists the articles.
#[component]
pub(crate) fn HomePage() -> Html {
    use_effect_with((), |_| {
        browser::set_title("Brownout: how distributed systems fail")
    });
    let list = match brownout_content::articles() {
        Ok(list) => list,
        Err(e) => return html! { <Notice kind="error" messages={vec![e.to_string()]} /> },
    };
    html! {
        <section class="home">
            <h1>{"How distributed systems fail"}</h1>
            <p class="lede">
                {"Short articles about real failure modes, each with live simulations. Move a slider, watch the outage happen, then turn on the fix and watch it recover."}
            </p>
            <ul class="article-list">
                { for list.iter().map(|a| html! {
                    <li>
                        <a href={href(&Route::Article { slug: a.slug.clone(), section: None }, &[])}>
                            <h2>{ &a.meta.title }</h2>
                        </a>
                        <p>{ &a.meta.summary }</p>
                        <time datetime={a.meta.date.clone()}>{ &a.meta.date }</time>
                    </li>
                }) }
            </ul>
        </section>
    }
}
