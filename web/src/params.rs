//! A widget's link parameters, read in one place: its state (knob values,
//! `seed`, `compare`, read by `brownout_content`), and on an embed the
//! frame's options (`show`, `height`), which only the site knows.
//!
//! ```text
//!  #/embed/round-robin/0?show=traffic.rate_rps&height=600&seed=3
//!        split ──> EmbedOptions { show, height } + notes   ──> the embed page
//!              └─> [("seed", "3")]                          ──> the widget state
//! ```

/// Parameters of an embed that are not widget state (`s` carries a
/// playground scenario); the CLI reads links with the same list.
pub(crate) const EMBED_KEYS: [&str; 3] = brownout_content::link::FRAME_KEYS;

/// Smallest and largest embed height, in CSS pixels.
pub(crate) const HEIGHTS: std::ops::RangeInclusive<u32> = 200..=4000;

/// How an embedded widget is framed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct EmbedOptions {
    /// The knobs to show, in the order asked (all of them when `None`).
    pub(crate) show: Option<Vec<String>>,
    /// Height of the frame in CSS pixels.
    pub(crate) height: Option<u32>,
}

/// The widget-state pairs of `query`: everything but the embed options.
pub(crate) fn state_pairs(query: &[(String, String)]) -> Vec<(String, String)> {
    query
        .iter()
        .filter(|(k, _)| !EMBED_KEYS.contains(&k.as_str()))
        .cloned()
        .collect()
}

/// The embed options of `query` for a widget with knobs `knobs`, and a
/// note for each bad one (an unknown knob in `show`, a height out of range).
/// Only knobs the widget has are shown; none of them valid means all.
pub(crate) fn embed_options(
    query: &[(String, String)],
    knobs: &[String],
) -> (EmbedOptions, Vec<String>) {
    let param = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let mut notes = Vec::new();
    let show = param("show").and_then(|raw| {
        let asked: Vec<String> = raw.split(',').map(str::to_string).collect();
        for path in asked.iter().filter(|p| !knobs.contains(p)) {
            notes.push(format!(
                "show: this widget has no knob \u{201c}{}\u{201d}; its knobs are: {}",
                clip(path),
                knobs.join(", ")
            ));
        }
        let known: Vec<String> = asked.into_iter().filter(|p| knobs.contains(p)).collect();
        (!known.is_empty()).then_some(known)
    });
    let height = param("height").and_then(|raw| match raw.parse::<u32>() {
        Ok(h) if HEIGHTS.contains(&h) => Some(h),
        _ => {
            notes.push(format!(
                "height must be a whole number of pixels from {} to {}, got \u{201c}{}\u{201d}",
                HEIGHTS.start(),
                HEIGHTS.end(),
                clip(raw)
            ));
            None
        }
    });
    (EmbedOptions { show, height }, notes)
}

/// At most 40 characters of untrusted text, for messages.
fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn embed_options_are_split_from_the_widget_state() {
        let query = q(&[("show", "a"), ("seed", "3"), ("height", "600"), ("a", "1")]);
        assert_eq!(state_pairs(&query), q(&[("seed", "3"), ("a", "1")]));
        let (opts, notes) = embed_options(&query, &["a".into(), "b".into()]);
        assert_eq!(
            opts,
            EmbedOptions {
                show: Some(vec!["a".into()]),
                height: Some(600)
            }
        );
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn an_unknown_knob_and_a_bad_height_are_named_and_ignored() {
        let (opts, notes) =
            embed_options(&q(&[("show", "nope"), ("height", "abc")]), &["a".into()]);
        assert_eq!(opts, EmbedOptions::default());
        assert_eq!(
            notes,
            vec![
                "show: this widget has no knob \u{201c}nope\u{201d}; its knobs are: a".to_string(),
                "height must be a whole number of pixels from 200 to 4000, got \u{201c}abc\u{201d}"
                    .to_string(),
            ]
        );
    }
}
