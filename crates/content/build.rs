//! Embeds every `content/scenarios/*.toml` and `content/articles/*.md`, so
//! that adding a preset or an article is adding a file.
//!
//! TOML is converted to JSON here, at build time, so the site's wasm needs
//! no TOML parser: presets, article front matter and the ```` ```widget ````
//! blocks of each article (found with the same Markdown parser the site
//! renders with, so block `i` here is widget `i` on the page). A file that
//! is not valid TOML fails the build with its name and the parser's message.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// The document tree and its builder, shared with the crate; the builder
// also collects the widget blocks, so block `i` is `Node::Widget(i)`.
include!("src/doc/tree.rs");
include!("src/doc/from_markdown.rs");

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let mut code = String::new();

    code.push_str("/// `(file stem, TOML text, the same as JSON)` of every preset.\n");
    code.push_str("pub(crate) static PRESET_FILES: &[(&str, &str, &str)] = &[\n");
    for path in files(&root.join("scenarios"), "toml") {
        let text = read(&path);
        let json = toml_to_json(&path, &text);
        let _ = writeln!(
            code,
            "    ({:?}, include_str!({:?}), {json:?}),",
            stem(&path),
            path.display().to_string()
        );
    }
    code.push_str("];\n");

    code.push_str(
        "/// `(file stem, front matter, Markdown body, widget blocks, document tree)`;\n",
    );
    code.push_str("/// all but the body as JSON.\n");
    code.push_str("pub(crate) static ARTICLE_FILES: &[(&str, &str, &str, &[&str], &str)] = &[\n");
    for path in files(&root.join("articles"), "md") {
        let text = read(&path);
        let (front, body) = split_front_matter(&text).unwrap_or_else(|| {
            fail(
                &path,
                "an article starts with a +++ front matter block closed by +++",
            )
        });
        let front = toml_to_json(&path, front);
        let (nodes, blocks) = from_markdown(body);
        let widgets: Vec<String> = blocks.iter().map(|b| toml_to_json(&path, b)).collect();
        let doc = serde_json::to_string(&nodes).unwrap_or_else(|e| fail(&path, &e.to_string()));
        let _ = writeln!(
            code,
            "    ({:?}, {front:?}, {body:?}, &{widgets:?}, {doc:?}),",
            stem(&path)
        );
    }
    code.push_str("];\n");

    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| fail(&out, &e.to_string()));
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == ext));
    files.sort();
    files
}

fn read(path: &Path) -> String {
    println!("cargo:rerun-if-changed={}", path.display());
    std::fs::read_to_string(path).unwrap_or_else(|e| fail(path, &e.to_string()))
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string()
}

fn fail(path: &Path, message: &str) -> ! {
    panic!("{}: {message}", path.display())
}

fn toml_to_json(path: &Path, text: &str) -> String {
    let value: toml::Value = toml::from_str(text).unwrap_or_else(|e| fail(path, &e.to_string()));
    serde_json::to_string(&value).unwrap_or_else(|e| fail(path, &e.to_string()))
}

/// `(front matter, body)` of an article.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    text.strip_prefix("+++\n")?.split_once("\n+++\n")
}
