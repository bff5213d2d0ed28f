//! Same scenario and seed, same bits: here, across runs; against a golden
//! file that the wasm32 test (tests/wasm.rs) also compares with.

use brownout_sim::{Format, Limits, parse, simulate};

const SCENARIO: &str = include_str!("../golden/determinism.toml");
const GOLDEN: &str = "tests/golden/determinism.json";

fn result_json(text: &str) -> String {
    let s = parse(text, Format::Toml).expect("golden scenario is valid");
    serde_json::to_string_pretty(&simulate(&s, Limits::default())).expect("serialisable")
}

#[test]
fn native_result_equals_the_golden_file_bit_for_bit() {
    let got = result_json(SCENARIO);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &got).expect("write golden");
    }
    let want = std::fs::read_to_string(&path).expect("golden file exists (BLESS=1 writes it)");
    assert!(
        got == want,
        "native result differs from {GOLDEN}; if the change is intended, rerun with BLESS=1"
    );
}

#[test]
fn the_same_seed_gives_identical_json_and_another_seed_does_not() {
    let a = result_json(SCENARIO);
    assert_eq!(a, result_json(SCENARIO));
    let other = SCENARIO.replacen("seed = 42", "seed = 43", 1);
    assert_ne!(a, result_json(&other));
}
