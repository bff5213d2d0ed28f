//! The wasm32 build of the engine gives the same bits as the native one:
//! both are compared with the golden files that the native test checks.
#![cfg(target_arch = "wasm32")]

use brownout_sim::{Format, Limits, parse, simulate};
use wasm_bindgen_test::wasm_bindgen_test;

fn result_json(text: &str) -> String {
    let s = parse(text, Format::Toml).expect("valid");
    serde_json::to_string_pretty(&simulate(&s, Limits::default())).expect("json")
}

#[wasm_bindgen_test]
fn wasm_result_equals_the_native_golden_file_bit_for_bit() {
    let got = result_json(include_str!("golden/determinism.toml"));
    let want = include_str!("golden/determinism.full.json");
    assert!(
        got == want,
        "wasm32 result differs from the native golden file"
    );
}

#[wasm_bindgen_test]
fn wasm_components_result_equals_the_native_golden_file_bit_for_bit() {
    let got = result_json(include_str!("golden/components.toml"));
    let want = include_str!("golden/components.json");
    assert!(
        got == want,
        "wasm32 result of the components scenario differs from the native golden file"
    );
}

#[wasm_bindgen_test]
fn wasm_contention_result_equals_the_native_golden_file_bit_for_bit() {
    let got = result_json(include_str!("golden/contention.toml"));
    let want = include_str!("golden/contention.json");
    assert!(
        got == want,
        "wasm32 result of the contention scenario differs from the native golden file"
    );
}

#[wasm_bindgen_test]
fn wasm_breakers_result_equals_the_native_golden_file_bit_for_bit() {
    let got = result_json(include_str!("golden/breakers.toml"));
    let want = include_str!("golden/breakers.json");
    assert!(
        got == want,
        "wasm32 result of the breakers scenario differs from the native golden file"
    );
}

#[wasm_bindgen_test]
fn wasm_caches_result_equals_the_native_golden_file_bit_for_bit() {
    let got = result_json(include_str!("golden/caches.toml"));
    let want = include_str!("golden/caches.json");
    assert!(
        got == want,
        "wasm32 result of the caches scenario differs from the native golden file"
    );
}

#[wasm_bindgen_test]
fn wasm_pools_result_equals_the_native_golden_file_bit_for_bit() {
    let got = result_json(include_str!("golden/pools.toml"));
    let want = include_str!("golden/pools.json");
    assert!(
        got == want,
        "wasm32 result of the pools scenario differs from the native golden file"
    );
}

#[wasm_bindgen_test]
fn wasm_scopes_result_equals_the_native_golden_file_bit_for_bit() {
    let got = result_json(include_str!("golden/scopes.toml"));
    let want = include_str!("golden/scopes.json");
    assert!(
        got == want,
        "wasm32 result of the breaker scopes scenario differs from the native golden file"
    );
}
