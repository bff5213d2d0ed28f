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
    // Read at run time: a build script binary reused by another checkout of
    // the same crate (a git worktree sharing the target directory) must
    // read this checkout's content, not the one it was compiled in.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_string());
    let root = Path::new(&manifest).join("../../content");
    let mut code = String::new();

    // What the site reads is kept apart from what only tests and tools
    // read (TOML text, Markdown bodies, facts), so the site's wasm, which
    // never asks for the latter, does not carry them.
    let presets = files(&root.join("scenarios"), "toml");
    code.push_str("/// `(file stem, the preset as JSON)` of every preset.\n");
    code.push_str("pub(crate) static PRESET_FILES: &[(&str, &str)] = &[\n");
    for path in &presets {
        let json = toml_to_json(path, &read(path));
        let _ = writeln!(code, "    ({:?}, {json:?}),", stem(path));
    }
    code.push_str("];\n");
    code.push_str("/// The TOML text of every preset, in the order of `PRESET_FILES`.\n");
    code.push_str("pub(crate) static PRESET_TEXTS: &[&str] = &[\n");
    for path in &presets {
        let _ = writeln!(code, "    include_str!({:?}),", path.display().to_string());
    }
    code.push_str("];\n");

    code.push_str(
        "/// `(file stem, front matter without its facts, widget blocks, document tree)`,\n",
    );
    code.push_str("/// all as JSON.\n");
    code.push_str("pub(crate) static ARTICLE_FILES: &[(&str, &str, &[&str], &str)] = &[\n");
    let mut sources = String::new();
    for path in files(&root.join("articles"), "md") {
        let text = read(&path);
        let (front, body) = split_front_matter(&text).unwrap_or_else(|| {
            fail(
                &path,
                "an article starts with a +++ front matter block closed by +++",
            )
        });
        let (front, facts) = front_and_facts(&path, front);
        let (nodes, blocks) = from_markdown(body);
        let widgets: Vec<String> = blocks.iter().map(|b| toml_to_json(&path, b)).collect();
        let doc = serde_json::to_string(&nodes).unwrap_or_else(|e| fail(&path, &e.to_string()));
        let _ = writeln!(
            code,
            "    ({:?}, {front:?}, &{widgets:?}, {doc:?}),",
            stem(&path)
        );
        let _ = writeln!(sources, "    ({:?}, {body:?}, {facts:?}),", stem(&path));
    }
    code.push_str("];\n");
    code.push_str("/// `(file stem, Markdown body, the front matter's facts as JSON)`.\n");
    code.push_str("pub(crate) static ARTICLE_SOURCES: &[(&str, &str, &str)] = &[\n");
    code.push_str(&sources);
    code.push_str("];\n");

    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| fail(&out, &e.to_string()));
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(dir, &e.to_string()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
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

/// An article's front matter as JSON without its `facts`, and the facts
/// (an array, empty when there are none) as JSON.
fn front_and_facts(path: &Path, text: &str) -> (String, String) {
    let mut value: toml::Table =
        toml::from_str(text).unwrap_or_else(|e| fail(path, &e.to_string()));
    let facts = value
        .remove("facts")
        .unwrap_or_else(|| toml::Value::Array(Vec::new()));
    let front = serde_json::to_string(&value).unwrap_or_else(|e| fail(path, &e.to_string()));
    let facts = serde_json::to_string(&facts).unwrap_or_else(|e| fail(path, &e.to_string()));
    (front, facts)
}

/// `(front matter, body)` of an article.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    text.strip_prefix("+++\n")?.split_once("\n+++\n")
}
