//! Embeds every `content/scenarios/*.toml` and `content/articles/*.md`, so
//! that adding a preset or an article is adding a file.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let mut code = String::new();
    for (dir, ext, name) in [("scenarios", "toml", "PRESET_FILES"), ("articles", "md", "ARTICLE_FILES")] {
        let dir = root.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == ext));
        files.sort();
        writeln!(code, "/// `(file stem, text)` of every embedded file.").ok();
        writeln!(code, "pub(crate) static {name}: &[(&str, &str)] = &[").ok();
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
            let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            writeln!(code, "    ({stem:?}, include_str!({:?})),", f.display().to_string()).ok();
        }
        writeln!(code, "];").ok();
    }
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}
