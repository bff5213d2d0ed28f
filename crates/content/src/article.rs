//! Articles: Markdown with a TOML front matter block between `+++` lines,
//! and ```` ```widget ```` blocks where live widgets stand.

use std::collections::BTreeMap;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::embedded::ARTICLE_FILES;
use crate::widget::WidgetSpec;

/// An article's front matter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Title.
    pub title: String,
    /// One or two sentences for the home page.
    pub summary: String,
    /// Position on the home page.
    pub order: u32,
    /// Publication date, `YYYY-MM-DD`.
    pub date: String,
    /// Numbers the prose states, each checked against its preset by a test.
    #[serde(default)]
    pub facts: Vec<Fact>,
}

/// A number stated in the prose and where it comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// Text that appears verbatim in the body, e.g. `"a p99 of 31 seconds"`.
    pub text: String,
    /// The preset that produces it.
    pub preset: String,
    /// Knob values changed from the preset, by path.
    #[serde(default)]
    pub set: BTreeMap<String, Value>,
    /// Path into the run's summary, e.g. `latency_ms.p99` or
    /// `servers[7].mean_queue`.
    pub metric: String,
    /// The value the text states, in the metric's unit.
    pub value: f64,
    /// Accepted relative difference between the run and `value`.
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
}

fn default_tolerance() -> f64 {
    0.05
}

/// An article.
#[derive(Clone, Debug, PartialEq)]
pub struct Article {
    /// URL name: the file stem.
    pub slug: String,
    /// Front matter.
    pub meta: FrontMatter,
    /// Markdown after the front matter.
    pub body: String,
}

impl Article {
    /// Parses an article file; the error says what is wrong.
    pub fn parse(slug: &str, text: &str) -> Result<Article, String> {
        let rest = text
            .strip_prefix("+++\n")
            .ok_or_else(|| format!("{slug}: an article starts with a +++ front matter block"))?;
        let (front, body) = rest
            .split_once("\n+++\n")
            .ok_or_else(|| format!("{slug}: the front matter block is not closed by +++"))?;
        let meta: FrontMatter =
            toml::from_str(front).map_err(|e| format!("{slug}: front matter: {}", e.message().trim()))?;
        Ok(Article { slug: slug.to_string(), meta, body: body.to_string() })
    }

    /// The widget blocks of the body, in order.
    pub fn widgets(&self) -> Vec<Result<WidgetSpec, String>> {
        widget_blocks(&self.body).into_iter().map(|text| WidgetSpec::parse(&text)).collect()
    }
}

/// The text of every ```` ```widget ```` block in `markdown`.
pub fn widget_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if info.trim() == "widget" => {
                current = Some(String::new());
            }
            Event::Text(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(c) = current.take() {
                    blocks.push(c);
                }
            }
            _ => {}
        }
    }
    blocks
}

/// Every article, by `order`; an article that does not parse is an error
/// naming it (tests keep the shipped ones valid).
pub fn articles() -> Result<Vec<Article>, String> {
    let mut list = ARTICLE_FILES
        .iter()
        .map(|(slug, text)| Article::parse(slug, text))
        .collect::<Result<Vec<_>, _>>()?;
    list.sort_by_key(|a| a.meta.order);
    Ok(list)
}

/// The number at `path` (`latency_ms.p99`, `servers[7].mean_queue`) in a
/// run summary's JSON form.
pub fn metric(summary: &Value, path: &str) -> Option<f64> {
    let mut v = summary;
    for (key, index) in crate::knob::steps(path) {
        v = v.get(key)?;
        if let Some(i) = index {
            v = v.get(i)?;
        }
    }
    v.as_f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "+++\ntitle = \"T\"\nsummary = \"S\"\norder = 2\ndate = \"2026-11-24\"\n+++\n# Hello\n\n```widget\npreset = \"mm1\"\n```\n\n```rust\nfn main() {}\n```\n";

    #[test]
    fn front_matter_and_widget_blocks_are_read() {
        let a = Article::parse("t", TEXT).expect("valid");
        assert_eq!((a.meta.title.as_str(), a.meta.order), ("T", 2));
        assert_eq!(widget_blocks(&a.body), vec!["preset = \"mm1\"\n".to_string()]);
        assert_eq!(a.widgets()[0].as_ref().map(|w| w.preset.as_str()), Ok("mm1"));
    }

    #[test]
    fn a_missing_front_matter_is_named() {
        assert!(Article::parse("x", "# no front matter").expect_err("missing").contains("+++"));
    }

    #[test]
    fn metrics_are_read_by_path() {
        let v: Value = serde_json::json!({"latency_ms": {"p99": 12.5}, "servers": [{"mean_queue": 1.0}, {"mean_queue": 3.0}]});
        assert_eq!(metric(&v, "latency_ms.p99"), Some(12.5));
        assert_eq!(metric(&v, "servers[1].mean_queue"), Some(3.0));
        assert_eq!(metric(&v, "servers[5].mean_queue"), None);
    }
}
