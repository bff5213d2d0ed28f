//! The chrome-less route an `<iframe>` shows: one widget, a link back. Its
//! frame options (`show`, `height`) are read by `params`, the one reader of
//! widget link parameters.

use yew::prelude::*;

use brownout_content::widget::WidgetSpec;

use crate::components::{Notice, WidgetView};
use crate::params::{EmbedOptions, embed_options};
use crate::route::{Route, href};

/// Properties of [`EmbedPage`].
#[derive(Properties, PartialEq)]
pub(crate) struct EmbedProps {
    /// The article's file stem.
    pub(crate) slug: String,
    /// Index of the widget in the article.
    pub(crate) widget: usize,
    /// The widget's state, plus `show` (knobs to show) and `height`.
    pub(crate) query: Vec<(String, String)>,
}

/// One widget of an article, sized to its frame.
#[component]
pub(crate) fn EmbedPage(props: &EmbedProps) -> Html {
    let articles = brownout_content::articles().unwrap_or_default();
    let Some(article) = articles.iter().find(|a| a.slug == props.slug) else {
        let names: Vec<String> = articles.iter().map(|a| a.slug.clone()).collect();
        return html! { <Notice kind="error" messages={vec![format!(
            "There is no article \u{201c}{}\u{201d} to embed from. The articles are: {}.",
            props.slug.chars().take(80).collect::<String>(), names.join(", ")
        )]} /> };
    };
    let blocks = &article.widget_json;
    let Some(spec) = blocks.get(props.widget) else {
        return html! { <Notice kind="error" messages={vec![format!(
            "\u{201c}{}\u{201d} has widgets 0 to {}; there is no widget {}.",
            article.meta.title, blocks.len().saturating_sub(1), props.widget
        )]} /> };
    };
    let knobs: Vec<String> = WidgetSpec::from_json(spec)
        .map(|s| s.knobs.iter().map(|k| k.path().to_string()).collect())
        .unwrap_or_default();
    let (EmbedOptions { show, height }, notes) = embed_options(&props.query, &knobs);
    let style = height.map(|h| format!("height: {h}px; overflow: auto"));
    let back = href(
        &Route::Article {
            slug: article.slug.clone(),
            section: Some(format!("widget-{}", props.widget)),
        },
        &[],
    );
    html! {
        <div class="embed-frame" {style}>
            <h1 class="visually-hidden">{ &article.meta.title }</h1>
            <Notice kind="warning" messages={notes} />
            <WidgetView slug={article.slug.clone()} index={props.widget} spec={spec.clone()}
                query={props.query.clone()} embed=true {show} />
            <p class="embed-credit">
                <a href={back} target="_top">{format!("From \u{201c}{}\u{201d} on Brownout \u{2197}", article.meta.title)}</a>
            </p>
        </div>
    }
}
