//! The links a widget offers, built by pure functions: the share link (the
//! article with this widget's state), the embed source and its `<iframe>`
//! snippet, and the scenario TOML with the CLI command that reproduces it.
//!
//! ```text
//!  base URL + Place + state query ──> share_link   https://…/#/articles/round-robin/widget-0?w0.seed=3
//!                                 └─> embed_src    https://…/#/embed/round-robin/0?seed=3
//!  embed_src + show + height      ──> iframe_snippet
//!  scenario                       ──> scenario_toml (headed by cli_command)
//! ```

use brownout_sim::Scenario;

use crate::route::{Route, href};

/// Where a widget stands: its article, its index there, and whether it is
/// shown alone in an iframe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Place {
    /// File stem of the article.
    pub(crate) slug: String,
    /// Index of the widget in the article, from 0.
    pub(crate) index: usize,
    /// Shown alone on the embed route.
    pub(crate) embed: bool,
    /// A playground scenario: its encoded `s=` value (`slug` is then
    /// `playground`), which its links carry instead of an article's place.
    pub(crate) scenario: Option<String>,
}

impl Place {
    /// The prefix of this widget's parameters on an article page: `w0.`.
    pub(crate) fn prefix(&self) -> String {
        format!("w{}.", self.index)
    }
}

/// The article scrolled to this widget, with `state` (the widget's own
/// query pairs, unprefixed); `base` is the page URL before the hash.
pub(crate) fn share_link(base: &str, place: &Place, state: &[(String, String)]) -> String {
    let prefixed: Vec<(String, String)> = state
        .iter()
        .map(|(k, v)| (format!("{}{k}", place.prefix()), v.clone()))
        .collect();
    let (route, query) = match &place.scenario {
        Some(s) => (Route::Playground, with_scenario(s, prefixed)),
        None => (
            Route::Article {
                slug: place.slug.clone(),
                section: Some(format!("widget-{}", place.index)),
            },
            prefixed,
        ),
    };
    format!("{base}{}", href(&route, &query))
}

/// `s=` first, then the state.
fn with_scenario(s: &str, state: Vec<(String, String)>) -> Vec<(String, String)> {
    std::iter::once(("s".to_string(), s.to_string()))
        .chain(state)
        .collect()
}

/// The embed route of this widget with `state`.
pub(crate) fn embed_src(base: &str, place: &Place, state: &[(String, String)]) -> String {
    let (route, query) = match &place.scenario {
        Some(s) => (Route::EmbedPlayground, with_scenario(s, state.to_vec())),
        None => (
            Route::Embed {
                slug: place.slug.clone(),
                widget: place.index,
            },
            state.to_vec(),
        ),
    };
    format!("{base}{}", href(&route, &query))
}

/// The playground opened on this widget's scenario and knobs, with
/// `state` (unprefixed): `#/playground?article=round-robin&widget=1&seed=9`.
pub(crate) fn playground_link(place: &Place, state: &[(String, String)]) -> String {
    let mut query = vec![
        ("article".to_string(), place.slug.clone()),
        ("widget".to_string(), place.index.to_string()),
    ];
    query.extend(state.iter().cloned());
    href(&Route::Playground, &query)
}

/// The shell command that reruns this widget's run: the preset with the
/// state's seed and knob values, or a playground scenario's link.
pub(crate) fn cli_run(
    preset: &str,
    state: &[(String, String)],
    share: &str,
    place: &Place,
) -> String {
    if place.scenario.is_some() {
        return format!("brownout run --url {}", shell_quote(share));
    }
    let mut cmd = format!("brownout run --preset {}", shell_quote(preset));
    for (k, v) in state {
        match k.as_str() {
            "seed" => cmd.push_str(&format!(" --seed {}", shell_quote(v))),
            "compare" => {}
            path => cmd.push_str(&format!(" --set {}", shell_quote(&format!("{path}={v}")))),
        }
    }
    cmd
}

/// `text` as one POSIX shell word: as is when plain, otherwise
/// single-quoted with each `'` written `'\''`.
fn shell_quote(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The snippet for an iframe showing `src` with the knobs `shown` (of
/// `all`), `height` CSS pixels high. Attribute values are escaped.
pub(crate) fn iframe_snippet(
    src: &str,
    shown: &[String],
    all: usize,
    height: u32,
    title: &str,
) -> String {
    let mut url = src.to_string();
    let sep = if url.contains('?') { '&' } else { '?' };
    url.push_str(&format!("{sep}height={height}"));
    if shown.len() < all {
        url.push_str(&format!("&show={}", shown.join(",")));
    }
    let title = title.replace('"', "&quot;").replace('<', "&lt;");
    format!(
        "<iframe src=\"{}\" title=\"{title}\" width=\"100%\" height=\"{height}\" style=\"border:0\" loading=\"lazy\"></iframe>",
        url.replace('"', "%22")
    )
}

/// Base of the file names a widget downloads: `brownout-round-robin-2am`.
pub(crate) fn file_stem(preset: &str) -> String {
    format!("brownout-{preset}")
}

/// The command that reruns an exported scenario file.
pub(crate) fn cli_command(file_stem: &str) -> String {
    format!("brownout run {file_stem}.toml")
}

/// The scenario as a TOML file for the CLI, headed by where it came from
/// and the command that reproduces it.
pub(crate) fn scenario_toml(preset: &str, scenario: &Scenario) -> String {
    format!(
        "# Exported from Brownout ({preset}); reproduce with: {}\n{}",
        cli_command(&file_stem(preset)),
        scenario.to_toml()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> Place {
        Place {
            slug: "round-robin".into(),
            index: 1,
            embed: false,
            scenario: None,
        }
    }

    fn state() -> Vec<(String, String)> {
        vec![
            ("seed".into(), "9".into()),
            ("balancer.policy".into(), "random".into()),
        ]
    }

    #[test]
    fn the_share_link_prefixes_the_state_and_scrolls_to_the_widget() {
        assert_eq!(
            share_link("https://b.example/site/", &place(), &state()),
            "https://b.example/site/#/articles/round-robin/widget-1?w1.seed=9&w1.balancer.policy=random"
        );
    }

    #[test]
    fn the_embed_source_carries_the_state_unprefixed() {
        assert_eq!(
            embed_src("https://b.example/", &place(), &state()),
            "https://b.example/#/embed/round-robin/1?seed=9&balancer.policy=random"
        );
    }

    #[test]
    fn a_playground_scenario_links_to_the_playground_and_its_embed() {
        let p = Place {
            slug: "playground".into(),
            index: 0,
            embed: false,
            scenario: Some("eJzLSM3JyQcABiwCFQ".into()),
        };
        assert_eq!(
            share_link("https://b.example/", &p, &state()),
            "https://b.example/#/playground?s=eJzLSM3JyQcABiwCFQ&w0.seed=9&w0.balancer.policy=random"
        );
        assert_eq!(
            embed_src("https://b.example/", &p, &state()),
            "https://b.example/#/embed/playground?s=eJzLSM3JyQcABiwCFQ&seed=9&balancer.policy=random"
        );
        assert_eq!(
            cli_run(
                "playground",
                &state(),
                "https://b.example/#/playground?s=x",
                &p
            ),
            "brownout run --url 'https://b.example/#/playground?s=x'"
        );
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote("mm1"), "mm1");
    }

    #[test]
    fn an_article_widget_reruns_from_its_preset_and_opens_in_the_playground() {
        assert_eq!(
            cli_run("round-robin-2am", &state(), "", &place()),
            "brownout run --preset round-robin-2am --seed 9 --set balancer.policy=random"
        );
        assert_eq!(
            playground_link(&place(), &state()),
            "#/playground?article=round-robin&widget=1&seed=9&balancer.policy=random"
        );
    }

    #[test]
    fn the_iframe_snippet_adds_height_and_show_and_escapes_the_title() {
        let s = iframe_snippet(
            "https://b.example/#/embed/x/0",
            &["a".into()],
            2,
            600,
            "A \"b\" <c>",
        );
        assert_eq!(
            s,
            "<iframe src=\"https://b.example/#/embed/x/0?height=600&show=a\" title=\"A &quot;b&quot; &lt;c>\" width=\"100%\" height=\"600\" style=\"border:0\" loading=\"lazy\"></iframe>"
        );
        assert!(
            iframe_snippet("u?seed=1", &["a".into()], 1, 720, "t")
                .contains("src=\"u?seed=1&height=720\"")
        );
    }

    #[test]
    fn the_exported_toml_says_how_to_rerun_it() {
        let preset = brownout_content::preset("mm1").expect("mm1");
        let s = preset.scenario().expect("valid");
        let toml = scenario_toml("mm1", s.scenario());
        assert!(
            toml.starts_with(
                "# Exported from Brownout (mm1); reproduce with: brownout run brownout-mm1.toml\n"
            ),
            "{toml}"
        );
    }
}
