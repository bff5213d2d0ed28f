// Markdown to a document tree, from pulldown-cmark events. `build.rs`
// includes this file; the crate compiles it too (feature `toml`) so that
// tests can check it. It expects `Node`, `Tag`, `safe_url` and `slugify`
// (tree.rs) in scope.

/// The document tree of `markdown`, and the text of its widget blocks:
/// `Node::Widget(i)` stands where block `i` of the list was.
pub fn from_markdown(markdown: &str) -> (Vec<Node>, Vec<String>) {
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag as Md, TagEnd};

    struct Frame {
        tag: Option<Tag>,
        code: Option<String>,
        children: Vec<Node>,
        text: String,
    }
    let frame = |tag, code| Frame { tag, code, children: Vec::new(), text: String::new() };
    let mut stack = vec![frame(None, None)];
    let mut widgets = Vec::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        let (node, text) = match event {
            Event::Start(Md::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                stack.push(frame(None, Some(lang)));
                continue;
            }
            Event::Start(tag) => {
                let tag = match tag {
                    Md::Paragraph => Tag::P,
                    Md::Heading { level, .. } => Tag::H(level as u8, String::new()),
                    Md::BlockQuote(_) => Tag::Quote,
                    Md::List(None) => Tag::Ul,
                    Md::List(Some(n)) => Tag::Ol(n),
                    Md::Item => Tag::Li,
                    Md::Emphasis => Tag::Em,
                    Md::Strong => Tag::Strong,
                    Md::Strikethrough => Tag::Del,
                    Md::Link { dest_url, .. } if safe_url(&dest_url) => Tag::A(dest_url.to_string()),
                    Md::Image { dest_url, .. } if safe_url(&dest_url) => Tag::Img(dest_url.to_string(), String::new()),
                    Md::Table(_) => Tag::Table,
                    Md::TableHead => Tag::Head,
                    Md::TableRow => Tag::Row,
                    Md::TableCell => Tag::Cell,
                    _ => Tag::Span,
                };
                stack.push(frame(Some(tag), None));
                continue;
            }
            Event::End(TagEnd::CodeBlock) => {
                let Some(f) = stack.pop() else { break };
                match f.code.as_deref() {
                    Some("widget") => {
                        widgets.push(f.text);
                        (Node::Widget(widgets.len() - 1), String::new())
                    }
                    lang => (Node::CodeBlock(lang.unwrap_or_default().to_string(), f.text), String::new()),
                }
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    break;
                }
                let Some(f) = stack.pop() else { break };
                let tag = match f.tag {
                    Some(Tag::H(level, _)) => Tag::H(level, slugify(&f.text)),
                    Some(Tag::Img(src, _)) => Tag::Img(src, f.text.clone()),
                    Some(tag) => tag,
                    None => Tag::Span,
                };
                (Node::El(tag, f.children), f.text)
            }
            Event::Text(t) if stack.last().is_some_and(|f| f.code.is_some()) => {
                if let Some(f) = stack.last_mut() {
                    f.text.push_str(&t);
                }
                continue;
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => (Node::Text(t.to_string()), t.to_string()),
            Event::Code(t) => (Node::Code(t.to_string()), t.to_string()),
            Event::SoftBreak => (Node::Text(" ".to_string()), " ".to_string()),
            Event::HardBreak => (Node::Break, " ".to_string()),
            Event::Rule => (Node::Rule, String::new()),
            _ => continue,
        };
        if let Some(top) = stack.last_mut() {
            top.children.push(node);
            top.text.push_str(&text);
        }
    }
    let nodes = stack.into_iter().next().map(|f| f.children).unwrap_or_default();
    (nodes, widgets)
}
