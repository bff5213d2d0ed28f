//! Scenario links: a whole scenario (its TOML text) and the knobs chosen for
//! it, carried in a URL fragment, so a playground scenario can be shared,
//! embedded and rerun by the CLI without any server.
//!
//! ```text
//!  Shared { toml, knobs } ──JSON──> deflate (miniz_oxide) ──> base64url ──> `s=` of
//!  #/playground?s=…  and  #/embed/playground?s=…
//!  decode: the reverse, each step with its own error and limit
//! ```
//! Limits: the scenario text is at most [`MAX_TEXT`] bytes, the encoded
//! fragment at most [`MAX_FRAGMENT`] characters, and decompression stops at
//! [`MAX_INFLATED`] bytes (a small fragment cannot expand into a huge one).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::knob::KnobRef;

/// Largest scenario text a link carries, in bytes.
pub const MAX_TEXT: usize = 64 * 1024;
/// Longest encoded fragment (`s=` value) read, in characters.
pub const MAX_FRAGMENT: usize = 16 * 1024;
/// Most bytes decompression may produce.
pub const MAX_INFLATED: usize = 128 * 1024;
/// Version of the payload written by [`encode`].
const VERSION: u32 = 1;

/// What a link carries: the scenario text and its knobs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shared {
    /// Payload version (1).
    #[serde(default = "version")]
    pub v: u32,
    /// The scenario, as TOML text (comments kept).
    pub toml: String,
    /// The knobs shown with it, in order.
    #[serde(default)]
    pub knobs: Vec<KnobRef>,
}

fn version() -> u32 {
    VERSION
}

impl Shared {
    /// A payload of the current version.
    pub fn new(toml: String, knobs: Vec<KnobRef>) -> Shared {
        Shared {
            v: VERSION,
            toml,
            knobs,
        }
    }
}

/// Why a link could not be written or read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// The scenario text is longer than [`MAX_TEXT`].
    TextTooLong(usize),
    /// The encoded fragment is longer than [`MAX_FRAGMENT`].
    FragmentTooLong(usize),
    /// The fragment is not base64url.
    NotBase64(String),
    /// The bytes are not deflate data.
    NotDeflate(String),
    /// Decompressed, it would exceed [`MAX_INFLATED`].
    TooLarge,
    /// Decompressed, it is not a scenario payload.
    NotPayload(String),
    /// A payload version this site does not know.
    Version(u32),
    /// The link has no `s=` value.
    NoScenario,
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::TextTooLong(n) => write!(
                f,
                "the scenario is {} KiB; a link carries at most {} KiB of scenario text",
                n.div_ceil(1024),
                MAX_TEXT / 1024
            ),
            LinkError::FragmentTooLong(n) => write!(
                f,
                "the scenario encodes to {n} characters; a link carries at most {MAX_FRAGMENT}"
            ),
            LinkError::NotBase64(e) => write!(
                f,
                "the link's scenario is not valid base64url ({e}); was the link cut short?"
            ),
            LinkError::NotDeflate(e) => write!(
                f,
                "the link's scenario does not decompress ({e}); was the link cut short or edited?"
            ),
            LinkError::TooLarge => write!(
                f,
                "the link's scenario decompresses to more than {} KiB, which no scenario needs",
                MAX_INFLATED / 1024
            ),
            LinkError::NotPayload(e) => {
                write!(f, "the link's data is not a Brownout scenario: {e}")
            }
            LinkError::NoScenario => write!(
                f,
                "this link carries no scenario (no s= value): give a playground or embed link"
            ),
            LinkError::Version(v) => write!(
                f,
                "the link was written by a newer Brownout (format {v}; this site reads {VERSION})"
            ),
        }
    }
}

impl std::error::Error for LinkError {}

/// The fragment value (`s=`) for `shared`.
pub fn encode(shared: &Shared) -> Result<String, LinkError> {
    if shared.toml.len() > MAX_TEXT {
        return Err(LinkError::TextTooLong(shared.toml.len()));
    }
    let json = serde_json::to_vec(shared).map_err(|e| LinkError::NotPayload(e.to_string()))?;
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    let text = URL_SAFE_NO_PAD.encode(packed);
    if text.len() > MAX_FRAGMENT {
        return Err(LinkError::FragmentTooLong(text.len()));
    }
    Ok(text)
}

/// Reads a fragment value written by [`encode`]; never panics, whatever
/// the input.
pub fn decode(fragment: &str) -> Result<Shared, LinkError> {
    let fragment = fragment.trim();
    if fragment.len() > MAX_FRAGMENT {
        return Err(LinkError::FragmentTooLong(fragment.len()));
    }
    // Padding is tolerated (some tools add it back).
    let bytes = URL_SAFE_NO_PAD
        .decode(fragment.trim_end_matches('='))
        .map_err(|e| LinkError::NotBase64(e.to_string()))?;
    let json =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_INFLATED).map_err(|e| {
            match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
                status => LinkError::NotDeflate(format!("{status:?}")),
            }
        })?;
    // The version first: a newer format may have fields this one refuses.
    let value: serde_json::Value =
        serde_json::from_slice(&json).map_err(|e| LinkError::NotPayload(e.to_string()))?;
    match value.get("v").and_then(serde_json::Value::as_u64) {
        Some(v) if v != u64::from(VERSION) => {
            return Err(LinkError::Version(u32::try_from(v).unwrap_or(u32::MAX)));
        }
        _ => {}
    }
    let shared: Shared =
        serde_json::from_value(value).map_err(|e| LinkError::NotPayload(e.to_string()))?;
    if shared.toml.len() > MAX_TEXT {
        return Err(LinkError::TextTooLong(shared.toml.len()));
    }
    Ok(shared)
}

/// Query keys of an embed that are not widget state.
pub const FRAME_KEYS: [&str; 3] = ["show", "height", "s"];

/// The `s=` value of a playground or embed link (the whole URL or its
/// hash), or a bare value; `Err` names a link that carries none.
pub fn fragment_of(link: &str) -> Result<String, LinkError> {
    let link = link.trim();
    if !link.contains('#') && !link.contains('?') && !link.contains('=') {
        return Ok(link.to_string());
    }
    let hash = link.split_once('#').map_or(link, |(_, h)| h);
    let query = hash.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded_value(query, "s")
        .filter(|s| !s.is_empty())
        .ok_or(LinkError::NoScenario)
}

/// The widget state a link carries, unprefixed, as the site reads it: on a
/// playground page its `w0.` pairs, on an embed (`#/embed/…`) every pair but
/// the frame's.
pub fn state_of(link: &str) -> Vec<(String, String)> {
    let hash = link.split_once('#').map_or("", |(_, h)| h);
    let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
    let embed = path.trim_start_matches('/').starts_with("embed/");
    pairs(query)
        .filter_map(|(k, v)| match k.strip_prefix("w0.") {
            _ if embed => (!FRAME_KEYS.contains(&k.as_str())).then_some((k, v)),
            Some(rest) => Some((rest.to_string(), v)),
            None => None,
        })
        .collect()
}

fn form_urlencoded_value(query: &str, name: &str) -> Option<String> {
    pairs(query).find(|(k, _)| k == name).map(|(_, v)| v)
}

/// `a=b&c=d` pairs, percent-decoded (`+` is a space).
fn pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    form_urlencoded::parse(query.as_bytes()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knob::KnobOverride;

    fn sample() -> Shared {
        Shared::new(
            crate::preset("round-robin-2am")
                .map(|p| p.text().to_string())
                .unwrap_or_default(),
            vec![
                KnobRef::Path("traffic.rate_rps".into()),
                KnobRef::Custom(KnobOverride {
                    path: "servers[0].speed".into(),
                    label: Some("Speed of the slow one".into()),
                    min: Some(0.1),
                    max: Some(1.0),
                    step: Some(0.05),
                    unit: None,
                }),
            ],
        )
    }

    #[test]
    fn a_scenario_and_its_knobs_survive_the_round_trip() {
        let s = sample();
        assert!(!s.toml.is_empty());
        let text = encode(&s).expect("encodes");
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{text}"
        );
        assert!(text.len() < s.toml.len(), "compressed: {}", text.len());
        assert_eq!(decode(&text), Ok(s.clone()));
        assert_eq!(decode(&format!("{text}==")), Ok(s));
    }

    #[test]
    fn every_preset_fits_in_a_link() {
        for p in crate::presets() {
            let text = encode(&Shared::new(p.text().to_string(), vec![]))
                .unwrap_or_else(|e| panic!("{}: {e}", p.name));
            assert!(text.len() < MAX_FRAGMENT / 4, "{}: {}", p.name, text.len());
        }
    }

    #[test]
    fn limits_are_stated_and_enforced() {
        let big = Shared::new("#".repeat(MAX_TEXT + 1), vec![]);
        assert_eq!(encode(&big), Err(LinkError::TextTooLong(MAX_TEXT + 1)));
        assert!(matches!(
            decode(&"A".repeat(MAX_FRAGMENT + 1)),
            Err(LinkError::FragmentTooLong(_))
        ));
        assert!(
            LinkError::TextTooLong(70_000)
                .to_string()
                .contains("at most 64 KiB")
        );
    }

    #[test]
    fn a_decompression_bomb_stops_at_the_cap() {
        // 10 MB of zeros deflate to about 10 KB; the reader stops at the cap.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'0'; 10_000_000], 10);
        let text = URL_SAFE_NO_PAD.encode(bomb);
        assert!(text.len() <= MAX_FRAGMENT, "{}", text.len());
        assert_eq!(decode(&text), Err(LinkError::TooLarge));
    }

    #[test]
    fn each_kind_of_bad_fragment_has_its_own_message() {
        assert!(matches!(
            decode("not base64!"),
            Err(LinkError::NotBase64(_))
        ));
        assert!(matches!(
            decode(&URL_SAFE_NO_PAD.encode(b"plain text, not deflate")),
            Err(LinkError::NotDeflate(_))
        ));
        let not_json = miniz_oxide::deflate::compress_to_vec(b"hello", 6);
        assert!(matches!(
            decode(&URL_SAFE_NO_PAD.encode(not_json)),
            Err(LinkError::NotPayload(_))
        ));
        let future = miniz_oxide::deflate::compress_to_vec(br#"{"v":7,"toml":"","new":1}"#, 6);
        assert_eq!(
            decode(&URL_SAFE_NO_PAD.encode(future)),
            Err(LinkError::Version(7))
        );
    }

    #[test]
    fn links_give_up_their_scenario_and_state() {
        let s = encode(&sample()).expect("encodes");
        for link in [
            format!("https://b.example/site/#/playground?s={s}&w0.seed=4&w0.traffic.rate_rps=90"),
            format!(
                "https://b.example/#/embed/playground?s={s}&seed=4&height=600&show=a&traffic.rate_rps=90"
            ),
        ] {
            assert_eq!(fragment_of(&link), Ok(s.clone()));
            assert_eq!(
                state_of(&link),
                vec![
                    ("seed".to_string(), "4".to_string()),
                    ("traffic.rate_rps".to_string(), "90".to_string())
                ]
            );
        }
        assert_eq!(fragment_of(&s), Ok(s.clone()));
        // Other parameters of a playground page are not state (as on the site).
        assert_eq!(
            state_of(&format!("https://x/#/playground?s={s}&utm=1&w0.seed=2")),
            vec![("seed".to_string(), "2".to_string())]
        );
        assert_eq!(
            fragment_of("https://x/#/articles/round-robin?w0.seed=1"),
            Err(LinkError::NoScenario)
        );
        assert_eq!(
            fragment_of("https://x/#/playground?s="),
            Err(LinkError::NoScenario)
        );
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// No input makes the decoder panic: random text, random bytes
        /// encoded as base64url, random bytes deflated then encoded.
        #[test]
        fn decode_never_panics(text in ".{0,200}", bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = decode(&text);
            let _ = decode(&URL_SAFE_NO_PAD.encode(&bytes));
            let _ = decode(&URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&bytes, 1)));
            let _ = fragment_of(&text);
            let _ = state_of(&text);
        }

        /// Whatever the text and knob paths, encode then decode is the identity.
        #[test]
        fn round_trip(toml in ".{0,300}", paths in proptest::collection::vec("[a-z_.\\[\\]0-9]{1,20}", 0..5)) {
            let s = Shared::new(toml, paths.into_iter().map(KnobRef::Path).collect());
            let text = encode(&s).expect("small payloads encode");
            prop_assert_eq!(decode(&text), Ok(s));
        }
    }
}
