//! The document tree of an article, made from pulldown-cmark events at
//! build time, so the site renders articles without a Markdown parser.

include!("doc/tree.rs");

#[cfg(feature = "toml")]
include!("doc/from_markdown.rs");

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;

    fn text(s: &str) -> Node {
        Node::Text(s.to_string())
    }

    #[test]
    fn headings_get_ids_and_widgets_are_numbered() {
        let (doc, blocks) = from_markdown(
            "## Fair in count, not in work\n\n```widget\npreset = \"a\"\n```\n\n```widget\npreset = \"b\"\n```\n",
        );
        assert_eq!(
            doc[0],
            Node::El(
                Tag::H(2, "fair-in-count-not-in-work".into()),
                vec![text("Fair in count, not in work")]
            )
        );
        assert_eq!(&doc[1..], &[Node::Widget(0), Node::Widget(1)]);
        assert_eq!(
            blocks,
            vec![
                "preset = \"a\"\n".to_string(),
                "preset = \"b\"\n".to_string()
            ]
        );
    }

    #[test]
    fn raw_html_stays_text_and_unsafe_links_lose_their_target() {
        let (doc, _) = from_markdown(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](https://example.org)\n",
        );
        assert_eq!(
            doc[0],
            Node::El(Tag::Span, vec![text("<script>alert(1)</script>\n")])
        );
        let Node::El(Tag::P, inline) = &doc[1] else {
            panic!("a paragraph: {doc:?}")
        };
        assert_eq!(inline[0], Node::El(Tag::Span, vec![text("x")]));
        assert_eq!(
            inline[2],
            Node::El(Tag::A("https://example.org".into()), vec![text("y")])
        );
    }

    #[test]
    fn code_blocks_keep_their_language_and_text() {
        let (doc, _) = from_markdown("```toml\nseed = 7\n```\n");
        assert_eq!(
            doc,
            vec![Node::CodeBlock("toml".into(), "seed = 7\n".into())]
        );
    }

    #[test]
    fn only_safe_link_schemes_are_kept() {
        assert!(
            safe_url("https://example.org") && safe_url("#/articles/x") && safe_url("other-page")
        );
        assert!(
            !safe_url("javascript:alert(1)")
                && !safe_url(" JavaScript:x")
                && !safe_url("data:text/html,x")
        );
    }
}
