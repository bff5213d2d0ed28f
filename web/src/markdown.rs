//! An article's document tree (made from pulldown-cmark events at build
//! time, see `brownout_content::doc`) to Yew nodes. Text is only ever text;
//! link targets are checked again here; widget nodes become live widgets
//! through a callback.

use brownout_content::doc::{Node, Tag, safe_url};
use yew::{Html, html};

use crate::route::{Route, href};

/// Renders the document of the article `slug`; `widget(index)` renders its
/// widget blocks, numbered from 0.
pub(crate) fn render(nodes: &[Node], slug: &str, widget: &mut dyn FnMut(usize) -> Html) -> Html {
    html! { <>{ for nodes.iter().map(|n| node(n, slug, widget)) }</> }
}

fn node(n: &Node, slug: &str, widget: &mut dyn FnMut(usize) -> Html) -> Html {
    match n {
        Node::Text(t) => html! { {t.clone()} },
        Node::Code(t) => html! { <code>{t.clone()}</code> },
        Node::Break => html! { <br /> },
        Node::Rule => html! { <hr /> },
        Node::Widget(i) => widget(*i),
        Node::CodeBlock(lang, text) => {
            html! { <pre><code class={format!("language-{lang}")}>{text.clone()}</code></pre> }
        }
        Node::El(tag, children) => element(tag, render(children, slug, widget), children, slug),
    }
}

/// The plain text of `nodes`, for labels.
fn text(nodes: &[Node]) -> String {
    nodes
        .iter()
        .map(|n| match n {
            Node::Text(t) | Node::Code(t) => t.clone(),
            Node::El(_, c) => text(c),
            _ => String::new(),
        })
        .collect()
}

fn element(tag: &Tag, kids: Html, children: &[Node], slug: &str) -> Html {
    match tag {
        Tag::P => html! { <p>{kids}</p> },
        Tag::H(level, id) => {
            let name = format!("h{}", level.clamp(&1, &6));
            let link = href(
                &Route::Article {
                    slug: slug.to_string(),
                    section: Some(id.clone()),
                },
                &[],
            );
            html! {
                <@{name} id={id.clone()} class="heading">
                    {kids}
                    <a class="anchor" href={link} aria-label={format!("Link to the section {}", text(children))}>{"#"}</a>
                </@>
            }
        }
        Tag::Quote => html! { <blockquote>{kids}</blockquote> },
        Tag::Ul => html! { <ul>{kids}</ul> },
        Tag::Ol(start) => html! { <ol start={start.to_string()}>{kids}</ol> },
        Tag::Li => html! { <li>{kids}</li> },
        Tag::Em => html! { <em>{kids}</em> },
        Tag::Strong => html! { <strong>{kids}</strong> },
        Tag::Del => html! { <del>{kids}</del> },
        Tag::A(url) if safe_url(url) => {
            let external = url.starts_with("http");
            html! { <a href={url.clone()} rel={external.then_some("noopener noreferrer")}>{kids}</a> }
        }
        Tag::Img(src, alt) if safe_url(src) => {
            html! { <img src={src.clone()} alt={alt.clone()} loading="lazy" /> }
        }
        Tag::Table => html! { <div class="table-wrap"><table>{kids}</table></div> },
        Tag::Head => html! { <thead><tr>{kids}</tr></thead> },
        Tag::Row => html! { <tr>{kids}</tr> },
        Tag::Cell => html! { <td>{kids}</td> },
        Tag::A(_) | Tag::Img(..) | Tag::Span => html! { <span>{kids}</span> },
    }
}
