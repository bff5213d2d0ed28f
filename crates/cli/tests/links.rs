//! `brownout run --url` and `brownout decode`: a playground link of the
//! site, rerun and turned back into TOML by the CLI.

use std::process::{Command, Output};

use brownout_content::knob::KnobRef;
use brownout_content::link::{Shared, encode};

fn brownout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brownout"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A playground link to the `mm1` preset's text with one knob.
fn link(state: &str) -> String {
    let toml = brownout_content::preset("mm1").expect("preset").text();
    let s = encode(&Shared::new(
        toml.to_string(),
        vec![KnobRef::Path("traffic.rate_rps".into())],
    ))
    .expect("encodes");
    format!("https://brownout.example/course/#/playground?s={s}{state}")
}

#[test]
fn a_link_reruns_with_its_seed_and_knob_values() {
    let by_link = brownout(&[
        "run",
        "--url",
        &link("&w0.seed=7&w0.traffic.rate_rps=5"),
        "--json",
    ]);
    assert!(by_link.status.success(), "{}", text(&by_link.stderr));
    let by_hand = brownout(&[
        "run",
        "--preset",
        "mm1",
        "--seed",
        "7",
        "--set",
        "traffic.rate_rps=5",
        "--json",
    ]);
    assert_eq!(text(&by_link.stdout), text(&by_hand.stdout));
}

#[test]
fn decode_gives_a_file_that_runs_to_the_same_numbers() {
    let l = link("&w0.seed=7&w0.traffic.rate_rps=5");
    let decoded = brownout(&["decode", &l]);
    assert!(decoded.status.success(), "{}", text(&decoded.stderr));
    let toml = text(&decoded.stdout);
    assert!(
        toml.starts_with("# Decoded from a Brownout link; knobs: traffic.rate_rps\n"),
        "{toml}"
    );
    let dir = std::env::temp_dir().join(format!("brownout-links-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("decoded.toml");
    std::fs::write(&file, &toml).expect("write");
    let from_file = brownout(&["run", file.to_str().expect("utf-8"), "--json"]);
    let from_link = brownout(&["run", "--url", &l, "--json"]);
    assert_eq!(text(&from_file.stdout), text(&from_link.stdout));
}

#[test]
fn decode_without_settings_keeps_the_text_as_written() {
    let toml = text(&brownout(&["decode", &link("")]).stdout);
    let original = brownout_content::preset("mm1").expect("preset").text();
    assert!(toml.ends_with(original), "{toml}");
}

#[test]
fn a_broken_link_says_what_is_wrong() {
    for (l, want) in [
        ("https://x.example/#/playground?s=***", "base64"),
        ("https://x.example/#/playground?s=aGVsbG8", "decompress"),
    ] {
        for cmd in [vec!["decode", l], vec!["run", "--url", l]] {
            let o = brownout(&cmd);
            assert!(!o.status.success());
            let err = text(&o.stderr);
            assert!(
                err.starts_with("error: ") && err.contains(want),
                "{cmd:?}: {err}"
            );
        }
    }
    let file = "duration_s = 10\n[traffic]\nrate_rps = -1\n[[servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"constant\", value = 10 }\n";
    let bad = encode(&Shared::new(file.into(), vec![])).expect("encodes");
    let o = brownout(&["decode", &bad]);
    let err = text(&o.stderr);
    assert!(
        err.contains("traffic.rate_rps") && err.contains("line 3"),
        "{err}"
    );
}
