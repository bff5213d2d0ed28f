//! Trunk's post-build hook: moves the inline `<script type="module">` that
//! Trunk writes into `index.html` to a file of its own, so the page's
//! Content-Security-Policy can forbid inline scripts (`script-src 'self'`).

use std::path::Path;

const OPEN: &str = "<script type=\"module\">";
const CLOSE: &str = "</script>";

/// Rewrites `$TRUNK_STAGING_DIR/index.html` in place.
pub(crate) fn run() -> Result<(), String> {
    let dir = std::env::var("TRUNK_STAGING_DIR")
        .map_err(|_| "post-build runs as a Trunk hook: TRUNK_STAGING_DIR is not set".to_string())?;
    let index = Path::new(&dir).join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let (page, name, script) = externalise(&html)?;
    std::fs::write(Path::new(&dir).join(&name), script).map_err(|e| format!("{name}: {e}"))?;
    std::fs::write(&index, page).map_err(|e| format!("{}: {e}", index.display()))
}

/// The page with its inline module script replaced by a reference, the
/// script's file name (content-hashed) and its text.
fn externalise(html: &str) -> Result<(String, String, String), String> {
    let start = html
        .find(OPEN)
        .ok_or("index.html has no inline module script: has Trunk's output changed?")?;
    let body_start = start + OPEN.len();
    let end = html[body_start..]
        .find(CLOSE)
        .ok_or("unclosed inline script in index.html")?
        + body_start;
    let script = html[body_start..end].trim().to_string();
    let name = format!("loader-{:016x}.js", fnv1a(script.as_bytes()));
    let tag = format!("<script type=\"module\" src=\"./{name}\"></script>");
    let page = format!("{}{tag}{}", &html[..start], &html[end + CLOSE.len()..]);
    if page.contains(OPEN) {
        return Err("index.html has more than one inline module script".to_string());
    }
    Ok((page, name, script))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inline_loader_moves_to_a_hashed_file() {
        let html = "<head><script type=\"module\">\nimport init from './a.js';\nawait init();\n</script><link></head>";
        let (page, name, script) = externalise(html).expect("has a script");
        assert_eq!(script, "import init from './a.js';\nawait init();");
        assert!(name.starts_with("loader-") && name.ends_with(".js"));
        assert_eq!(
            page,
            format!("<head><script type=\"module\" src=\"./{name}\"></script><link></head>")
        );
    }

    #[test]
    fn a_page_without_an_inline_script_is_an_error() {
        assert!(externalise("<head></head>").is_err());
    }
}
