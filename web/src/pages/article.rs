//! An article: its Markdown with live widgets in place.

use yew::prelude::*;

use crate::browser;
use crate::components::{Notice, WidgetView};
use crate::markdown;
use crate::route::{Route, href, stray_keys, widget_query};

/// Properties of [`ArticlePage`].
#[derive(Properties, PartialEq)]
pub(crate) struct ArticleProps {
    /// The article's file stem.
    pub(crate) slug: String,
    /// A heading or widget id to scroll to.
    pub(crate) section: Option<String>,
    /// The URL's query: `w0.seed=3` and so on.
    pub(crate) query: Vec<(String, String)>,
}

/// Renders one article, or a message naming the articles there are.
#[component]
pub(crate) fn ArticlePage(props: &ArticleProps) -> Html {
    let articles = brownout_content::articles().unwrap_or_default();
    let article = articles.iter().find(|a| a.slug == props.slug).cloned();
    {
        let section = props.section.clone();
        let title = article.as_ref().map(|a| a.meta.title.clone());
        use_effect_with((props.slug.clone(), props.section.clone()), move |_| {
            browser::set_title(&format!(
                "{} · Brownout",
                title.as_deref().unwrap_or("Article not found")
            ));
            if let Some(id) = section {
                browser::scroll_to(&id);
            }
        });
    }
    let Some(article) = article else {
        let names: Vec<String> = articles.iter().map(|a| a.slug.clone()).collect();
        let slug: String = props.slug.chars().take(80).collect();
        return html! {
            <section class="not-found">
                <h1>{"Article not found"}</h1>
                <Notice kind="error" messages={vec![format!(
                    "There is no article \u{201c}{slug}\u{201d}. The articles are: {}.", names.join(", ")
                )]} />
                <p><a href={href(&Route::Home, &[])}>{"See all articles"}</a></p>
            </section>
        };
    };
    let widgets = article.widget_json.len();
    let stray = stray_keys(&props.query, widgets);
    let slug = article.slug.clone();
    let query = props.query.clone();
    let specs = article.widget_json.clone();
    let document = match article.document() {
        Ok(d) => d,
        Err(e) => return html! { <Notice kind="error" messages={vec![e.to_string()]} /> },
    };
    let body = markdown::render(&document, &article.slug, &mut |index| {
        html! {
            // Keyed by its link state: following another link to this page
            // starts the widget afresh from that link. (Written as a query
            // string, which tells any two states apart, rather than with
            // Debug, whose string escaping the wasm need not ship.)
            <WidgetView key={format!("{index}?{}", form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(widget_query(&query, index)).finish())} slug={slug.clone()} {index}
                spec={specs.get(index).cloned().unwrap_or_default()} query={widget_query(&query, index)} lazy=true />
        }
    });
    html! {
        <article class="article">
            <header>
                <h1>{ &article.meta.title }</h1>
                <p class="summary">{ &article.meta.summary }</p>
                <time datetime={article.meta.date.clone()}>{ &article.meta.date }</time>
            </header>
            if !stray.is_empty() {
                <Notice kind="warning" messages={vec![format!(
                    "Ignored link parameters: {}. Widget parameters start with w0., w1., \u{2026} (this article has {widgets} widgets).",
                    stray.join(", ")
                )]} />
            }
            { body }
        </article>
    }
}
