//! The wasm32 build of the engine gives the same bits as the native one:
//! both are compared with the golden file that the native test checks.
#![cfg(target_arch = "wasm32")]

use brownout_sim::{Format, Limits, parse, simulate};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn wasm_result_equals_the_native_golden_file_bit_for_bit() {
    let s = parse(include_str!("golden/determinism.toml"), Format::Toml).expect("valid");
    let got = serde_json::to_string_pretty(&simulate(&s, Limits::default())).expect("json");
    let want = include_str!("golden/determinism.json");
    assert!(
        got == want,
        "wasm32 result differs from the native golden file"
    );
}
