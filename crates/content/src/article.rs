//! Articles: Markdown with a TOML front matter block between `+++` lines,
//! and ```` ```widget ```` blocks where live widgets stand. build.rs has
//! already turned the front matter and the widget blocks into JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::embedded::{ARTICLE_FILES, ARTICLE_SOURCES};
use crate::error::ContentError;
use crate::widget::{Widget, WidgetSpec};

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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Accepted relative difference between the run and `value`.
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
    /// Instead of `value`: the run's metric lies in `[lo, hi]` (for a fact
    /// stated as a range, "recovers within 25 to 40 seconds").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
    /// Instead of `value`: the metric is null ("did not recover").
    #[serde(default)]
    pub null: bool,
    /// Seeds the fact must hold for, each run separately; empty means the
    /// preset's own seed. A stochastic outcome lists at least five.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seeds: Vec<u64>,
}

fn default_tolerance() -> f64 {
    0.05
}

/// An article.
#[derive(Clone, Debug, PartialEq)]
pub struct Article {
    /// URL name: the file stem.
    pub slug: String,
    /// Front matter (without its facts: [`Article::facts`]).
    pub meta: FrontMatter,
    /// The body's widget blocks as JSON, in order.
    pub widget_json: Vec<String>,
    /// The body's document tree as JSON (see [`crate::doc`]).
    doc_json: &'static str,
}

impl Article {
    /// An article from its embedded parts; the error names it.
    fn from_embedded(
        slug: &str,
        front: &str,
        widgets: &[&str],
        doc_json: &'static str,
    ) -> Result<Article, ContentError> {
        let meta: FrontMatter =
            serde_json::from_str(front).map_err(|e| ContentError::FrontMatter {
                slug: slug.to_string(),
                message: e.to_string(),
            })?;
        let widget_json = widgets.iter().map(|w| (*w).to_string()).collect();
        Ok(Article {
            slug: slug.to_string(),
            meta,
            widget_json,
            doc_json,
        })
    }

    /// The Markdown after the front matter (empty for an article that is
    /// not a shipped file).
    ///
    /// The site renders [`Article::document`] and never reads the Markdown
    /// or the facts, so they are kept apart from what it reads and its wasm
    /// does not ship them.
    pub fn body(&self) -> &'static str {
        self.source().map_or("", |(_, body, _)| body)
    }

    /// The numbers the prose states (the front matter's `[[facts]]`), each
    /// checked against its preset by a test; an error names the article.
    pub fn facts(&self) -> Result<Vec<Fact>, ContentError> {
        let json = self.source().map_or("[]", |(_, _, facts)| facts);
        serde_json::from_str(json).map_err(|e| ContentError::FrontMatter {
            slug: self.slug.clone(),
            message: format!("facts: {e}"),
        })
    }

    fn source(&self) -> Option<(&'static str, &'static str, &'static str)> {
        ARTICLE_SOURCES
            .iter()
            .find(|(slug, _, _)| *slug == self.slug)
            .copied()
    }

    /// The body as a document tree, made from Markdown at build time.
    pub fn document(&self) -> Result<Vec<crate::doc::Node>, ContentError> {
        serde_json::from_str(self.doc_json).map_err(|e| ContentError::Document {
            slug: self.slug.clone(),
            message: e.to_string(),
        })
    }

    /// The widget blocks of the body, in order.
    pub fn widgets(&self) -> Vec<Result<WidgetSpec, ContentError>> {
        self.widget_json
            .iter()
            .map(|json| WidgetSpec::from_json(json))
            .collect()
    }

    /// Widget `index` (from 0) resolved; the error names the article and
    /// the widget (from 1, as a reader counts).
    pub fn widget(&self, index: usize) -> Result<Widget, ContentError> {
        let json = self.widget_json.get(index).map_or("", String::as_str);
        WidgetSpec::from_json(json)
            .and_then(|spec| spec.resolve())
            .map_err(|e| ContentError::Widget {
                slug: self.slug.clone(),
                number: index + 1,
                error: Box::new(e),
            })
    }
}

/// Every article, by `order`; an article that does not parse is an error
/// naming it (tests keep the shipped ones valid).
pub fn articles() -> Result<Vec<Article>, ContentError> {
    let mut list = ARTICLE_FILES
        .iter()
        .map(|(slug, front, widgets, doc)| Article::from_embedded(slug, front, widgets, doc))
        .collect::<Result<Vec<_>, _>>()?;
    list.sort_by_key(|a| a.meta.order);
    Ok(list)
}

/// The number at `path` (`latency_ms.p99`, `servers[7].mean_queue`, or a
/// derived metric of [`crate::metric`]) in a run summary's JSON form.
pub fn metric(summary: &Value, path: &str) -> Option<f64> {
    crate::metric::read(summary, path).map(|r| r.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_front_matter_and_widget_blocks_are_read() {
        let front = r#"{"title": "T", "summary": "S", "order": 2, "date": "2026-11-24"}"#;
        let a = Article::from_embedded("t", front, &[r#"{"preset": "mm1"}"#], "[]").expect("valid");
        assert_eq!((a.meta.title.as_str(), a.meta.order), ("T", 2));
        assert_eq!(
            a.widgets()[0].as_ref().map(|w| w.preset.as_str()),
            Ok("mm1")
        );
    }

    #[test]
    fn a_front_matter_without_a_title_is_named() {
        let e = Article::from_embedded("x", r#"{"summary": "S"}"#, &[], "[]")
            .expect_err("no title")
            .to_string();
        assert!(
            e.starts_with("x: front matter") && e.contains("title"),
            "{e}"
        );
    }

    #[test]
    fn every_shipped_article_has_its_body_and_facts() {
        for a in articles().expect("articles") {
            assert!(a.body().contains("```widget"), "{}", a.slug);
            let facts = a.facts().unwrap_or_else(|e| panic!("{e}"));
            assert!(!facts.is_empty(), "{}", a.slug);
        }
        let a = Article::from_embedded(
            "t",
            r#"{"title": "T", "summary": "S", "order": 2, "date": "2026-11-24"}"#,
            &[],
            "[]",
        )
        .expect("valid");
        assert_eq!((a.body(), a.facts()), ("", Ok(Vec::new())));
    }

    #[test]
    fn every_shipped_article_has_a_document_with_one_node_per_widget_block() {
        for a in articles().expect("articles") {
            let doc = a.document().expect("document");
            assert_eq!(count_widgets(&doc), a.widget_json.len(), "{}", a.slug);
        }
    }

    fn count_widgets(nodes: &[crate::doc::Node]) -> usize {
        use crate::doc::Node;
        nodes
            .iter()
            .map(|n| match n {
                Node::Widget(_) => 1,
                Node::El(_, children) => count_widgets(children),
                _ => 0,
            })
            .sum()
    }

    #[test]
    fn a_widget_with_an_unknown_stat_path_is_an_error_naming_the_article_widget_and_path() {
        let front = r#"{"title": "T", "summary": "S", "order": 2, "date": "2026-11-24"}"#;
        let blocks = [
            r#"{"preset": "mm1"}"#,
            r#"{"preset": "mm1", "stats": ["latency_ms.p50", "latency_ms.p42"]}"#,
        ];
        let a = Article::from_embedded("t", front, &blocks, "[]").expect("valid");
        assert_eq!(a.widget(0).map(|w| w.spec.stats.len()), Ok(5));
        let e = a.widget(1).expect_err("p42").to_string();
        assert!(
            e.starts_with(
                "t widget 2: no metric \"latency_ms.p42\" for stats; metrics are: latency_ms.mean, "
            ),
            "{e}"
        );
    }

    #[test]
    fn a_widget_with_an_unknown_chart_lists_the_charts() {
        let front = r#"{"title": "T", "summary": "S", "order": 2, "date": "2026-11-24"}"#;
        let a = Article::from_embedded(
            "t",
            front,
            &[r#"{"preset": "mm1", "charts": ["pie"]}"#],
            "[]",
        )
        .expect("valid");
        assert_eq!(
            a.widget(0).expect_err("pie").to_string(),
            "t widget 1: no chart \"pie\"; charts are: latency, throughput, queues, utilization, goodput, retries, amplification, timeline, breakers, cache, pool"
        );
    }

    #[test]
    fn metrics_are_read_by_path() {
        let v: Value = serde_json::json!({"latency_ms": {"p99": 12.5}, "servers": [{"mean_queue": 1.0}, {"mean_queue": 3.0}]});
        assert_eq!(metric(&v, "latency_ms.p99"), Some(12.5));
        assert_eq!(metric(&v, "servers[1].mean_queue"), Some(3.0));
        assert_eq!(metric(&v, "servers[5].mean_queue"), None);
    }
}
