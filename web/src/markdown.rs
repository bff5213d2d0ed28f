//! Markdown to Yew nodes, from pulldown-cmark events. Raw HTML in the
//! source is shown as text, never injected; links keep only safe schemes;
//! ```` ```widget ```` blocks become live widgets through a callback.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use yew::{Html, html};

use crate::route::{Route, href, slugify};

enum Kind {
    Root,
    Paragraph,
    Heading(HeadingLevel),
    BlockQuote,
    List(Option<u64>),
    Item,
    Emphasis,
    Strong,
    Strikethrough,
    Link(String),
    Image(String),
    Code(String),
    Table,
    TableHead,
    TableRow,
    TableCell,
    Other,
}

struct Frame {
    kind: Kind,
    children: Vec<Html>,
    /// Plain text inside, for heading ids, image alt text and code.
    text: String,
}

/// Renders `markdown` of the article `slug`; `widget(index, block)` renders
/// the widget blocks, numbered from 0.
pub fn render(markdown: &str, slug: &str, mut widget: impl FnMut(usize, &str) -> Html) -> Html {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut stack = vec![Frame {
        kind: Kind::Root,
        children: Vec::new(),
        text: String::new(),
    }];
    let mut widgets = 0;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => stack.push(Frame {
                kind: kind(tag),
                children: Vec::new(),
                text: String::new(),
            }),
            Event::End(TagEnd::CodeBlock) => {
                let Some(frame) = stack.pop() else { break };
                let node = match frame.kind {
                    Kind::Code(lang) if lang == "widget" => {
                        widgets += 1;
                        widget(widgets - 1, &frame.text)
                    }
                    Kind::Code(lang) => {
                        html! { <pre><code class={format!("language-{lang}")}>{frame.text}</code></pre> }
                    }
                    _ => Html::default(),
                };
                push(&mut stack, node, "");
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    break;
                }
                let Some(frame) = stack.pop() else { break };
                let text = frame.text.clone();
                push(&mut stack, element(frame, slug), &text);
            }
            Event::Text(t) | Event::Code(t)
                if matches!(stack.last().map(|f| &f.kind), Some(Kind::Code(_))) =>
            {
                if let Some(f) = stack.last_mut() {
                    f.text.push_str(&t);
                }
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                push(&mut stack, html! { {t.to_string()} }, &t)
            }
            Event::Code(t) => push(&mut stack, html! { <code>{t.to_string()}</code> }, &t),
            Event::SoftBreak => push(&mut stack, html! { {" "} }, " "),
            Event::HardBreak => push(&mut stack, html! { <br /> }, " "),
            Event::Rule => push(&mut stack, html! { <hr /> }, ""),
            _ => {}
        }
    }
    let children = stack
        .into_iter()
        .next()
        .map(|f| f.children)
        .unwrap_or_default();
    html! { <>{ for children }</> }
}

fn push(stack: &mut [Frame], node: Html, text: &str) {
    if let Some(top) = stack.last_mut() {
        top.children.push(node);
        top.text.push_str(text);
    }
}

fn kind(tag: Tag<'_>) -> Kind {
    match tag {
        Tag::Paragraph => Kind::Paragraph,
        Tag::Heading { level, .. } => Kind::Heading(level),
        Tag::BlockQuote(_) => Kind::BlockQuote,
        Tag::List(start) => Kind::List(start),
        Tag::Item => Kind::Item,
        Tag::Emphasis => Kind::Emphasis,
        Tag::Strong => Kind::Strong,
        Tag::Strikethrough => Kind::Strikethrough,
        Tag::Link { dest_url, .. } => Kind::Link(dest_url.to_string()),
        Tag::Image { dest_url, .. } => Kind::Image(dest_url.to_string()),
        Tag::CodeBlock(CodeBlockKind::Fenced(info)) => Kind::Code(info.trim().to_string()),
        Tag::CodeBlock(CodeBlockKind::Indented) => Kind::Code(String::new()),
        Tag::Table(_) => Kind::Table,
        Tag::TableHead => Kind::TableHead,
        Tag::TableRow => Kind::TableRow,
        Tag::TableCell => Kind::TableCell,
        _ => Kind::Other,
    }
}

/// Whether a link target is safe to put in an `href`: web, mail, in-page
/// and relative links; never `javascript:` or `data:`.
pub fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:", "#", "/", "./"]
        .iter()
        .any(|p| lower.starts_with(p))
        || !lower.contains(':')
}

fn element(frame: Frame, slug: &str) -> Html {
    let children = frame.children;
    let kids = html! { <>{ for children }</> };
    match frame.kind {
        Kind::Root | Kind::Other | Kind::Code(_) => kids,
        Kind::Paragraph => html! { <p>{kids}</p> },
        Kind::Heading(level) => {
            let id = slugify(&frame.text);
            let tag = format!("h{}", level as usize);
            let link = href(
                &Route::Article {
                    slug: slug.to_string(),
                    section: Some(id.clone()),
                },
                &[],
            );
            html! {
                <@{tag} id={id} class="heading">
                    {kids}
                    <a class="anchor" href={link} aria-label={format!("Link to the section {}", frame.text)}>{"#"}</a>
                </@>
            }
        }
        Kind::BlockQuote => html! { <blockquote>{kids}</blockquote> },
        Kind::List(None) => html! { <ul>{kids}</ul> },
        Kind::List(Some(start)) => html! { <ol start={start.to_string()}>{kids}</ol> },
        Kind::Item => html! { <li>{kids}</li> },
        Kind::Emphasis => html! { <em>{kids}</em> },
        Kind::Strong => html! { <strong>{kids}</strong> },
        Kind::Strikethrough => html! { <del>{kids}</del> },
        Kind::Link(url) if safe_url(&url) => {
            let external = url.starts_with("http");
            html! { <a href={url} rel={external.then_some("noopener noreferrer")}>{kids}</a> }
        }
        Kind::Link(_) => html! { <span>{kids}</span> },
        Kind::Image(src) if safe_url(&src) => {
            html! { <img src={src} alt={frame.text} loading="lazy" /> }
        }
        Kind::Image(_) => html! { <span>{frame.text}</span> },
        Kind::Table => html! { <div class="table-wrap"><table>{kids}</table></div> },
        Kind::TableHead => html! { <thead><tr>{kids}</tr></thead> },
        Kind::TableRow => html! { <tr>{kids}</tr> },
        Kind::TableCell => html! { <td>{kids}</td> },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_link_schemes_are_kept() {
        assert!(safe_url("https://example.org"));
        assert!(safe_url("#/articles/x"));
        assert!(safe_url("other-page"));
        assert!(!safe_url("javascript:alert(1)"));
        assert!(!safe_url(" JavaScript:alert(1)"));
        assert!(!safe_url("data:text/html,<b>"));
    }
}
