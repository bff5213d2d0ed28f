// An article's document tree: what pulldown-cmark's events describe, made
// at build time (`build.rs` includes this file) so the browser needs no
// Markdown parser. Text is only ever text: raw HTML in the source arrives
// as `Text`, and unsafe link targets as `Span`.

/// A node of an article's document.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Node {
    /// Text, shown as text (never as HTML).
    Text(String),
    /// Inline code.
    Code(String),
    /// A hard line break.
    Break,
    /// A horizontal rule.
    Rule,
    /// The article's widget block number `.0`, from 0.
    Widget(usize),
    /// A code block: its language (info string) and text.
    CodeBlock(String, String),
    /// An element and its children.
    El(Tag, Vec<Node>),
}

/// The elements a document uses.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Tag {
    /// Paragraph.
    P,
    /// Heading: level 1 to 6 and its id (for anchors).
    H(u8, String),
    /// Block quote.
    Quote,
    /// Bulleted list.
    Ul,
    /// Numbered list starting at `.0`.
    Ol(u64),
    /// List item.
    Li,
    /// Emphasis.
    Em,
    /// Strong emphasis.
    Strong,
    /// Strikethrough.
    Del,
    /// Link to a safe target (web, mail, in-page or relative).
    A(String),
    /// Image: source and alternative text.
    Img(String, String),
    /// Table.
    Table,
    /// Table header row.
    Head,
    /// Table row.
    Row,
    /// Table cell.
    Cell,
    /// A neutral wrapper (e.g. a link whose target was refused).
    Span,
}

/// Whether a link target is safe to put in an `href`: web, mail, in-page
/// and relative links; never `javascript:` or `data:`.
pub fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:", "#", "/", "./"].iter().any(|p| lower.starts_with(p))
        || !lower.contains(':')
}

/// An id for a heading: lower-case words joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}
