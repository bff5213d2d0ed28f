//! Same scenario and seed, same bits: here, across runs; against golden
//! files that the wasm32 test (tests/wasm.rs) also compares with.

use brownout_sim::{Format, Limits, parse, simulate};
use serde_json::Value;

const SCENARIO: &str = include_str!("../golden/determinism.toml");
const COMPONENTS: &str = include_str!("../golden/components.toml");
const CONTENTION: &str = include_str!("../golden/contention.toml");
const BREAKERS: &str = include_str!("../golden/breakers.toml");
const CACHES: &str = include_str!("../golden/caches.toml");
const POOLS: &str = include_str!("../golden/pools.toml");
const SCOPES: &str = include_str!("../golden/scopes.toml");

fn result_json(text: &str) -> String {
    let s = parse(text, Format::Toml).expect("golden scenario is valid");
    serde_json::to_string_pretty(&simulate(&s, Limits::default())).expect("serialisable")
}

fn golden(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

fn assert_bit_for_bit(text: &str, file: &str) {
    let got = result_json(text);
    let path = golden(file);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &got).expect("write golden");
    }
    let want = std::fs::read_to_string(&path).expect("golden file exists (BLESS=1 writes it)");
    assert!(
        got == want,
        "native result differs from {file}; if the change is intended, rerun with BLESS=1"
    );
}

/// Every path of `want` holds the same value in `got`.
fn assert_contains(got: &Value, want: &Value, path: &str) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (k, wv) in w {
                let gv = g.get(k).unwrap_or_else(|| panic!("{path}.{k} is missing"));
                assert_contains(gv, wv, &format!("{path}.{k}"));
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "{path}: length");
            for (i, (gv, wv)) in g.iter().zip(w).enumerate() {
                assert_contains(gv, wv, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(got, want, "{path}"),
    }
}

#[test]
fn native_result_keeps_every_value_recorded_before_the_engine_had_components() {
    // determinism.json was written by the engine of one fixed shape; the
    // components engine may add keys but must give every old value.
    let got: Value = serde_json::from_str(&result_json(SCENARIO)).expect("json");
    let want: Value =
        serde_json::from_str(&std::fs::read_to_string(golden("determinism.json")).expect("golden"))
            .expect("json");
    assert_contains(&got, &want, "result");
}

#[test]
fn native_result_equals_the_golden_files_bit_for_bit() {
    assert_bit_for_bit(SCENARIO, "determinism.full.json");
    assert_bit_for_bit(COMPONENTS, "components.json");
    assert_bit_for_bit(CONTENTION, "contention.json");
    assert_bit_for_bit(BREAKERS, "breakers.json");
    assert_bit_for_bit(CACHES, "caches.json");
    assert_bit_for_bit(POOLS, "pools.json");
    assert_bit_for_bit(SCOPES, "scopes.json");
}

#[test]
fn the_same_seed_gives_identical_json_and_another_seed_does_not() {
    for text in [SCENARIO, COMPONENTS, BREAKERS, CACHES, POOLS, SCOPES] {
        let a = result_json(text);
        assert_eq!(a, result_json(text));
        let other = text.replacen("seed = 42", "seed = 43", 1);
        assert_ne!(a, result_json(&other));
    }
}
