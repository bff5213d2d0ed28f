//! Every preset gives the numbers it gave before the engine became a network
//! of components: the `--json` and `--csv` output of each preset, recorded
//! before that change in `tests/golden/`, must still be there, value for
//! value. New keys and new CSV columns may be added; none may change.
//!
//! `BLESS=1 cargo test -p brownout-cli --test golden` rewrites the files
//! (only for a change of numbers that is intended and explained).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn brownout(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_brownout"))
        .args(args)
        .output()
        .expect("binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("utf-8")
}

/// Every path of `want` holds the same value in `got` (objects may gain keys).
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

/// Every column of `want` is in `got` with the same cells.
fn assert_columns(got: &str, want: &str, name: &str) {
    let table = |text: &str| -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    };
    let (g, w) = (table(got), table(want));
    assert_eq!(g.len(), w.len(), "{name}: rows");
    for (wi, col) in w[0].iter().enumerate() {
        let gi = g[0]
            .iter()
            .position(|c| c == col)
            .unwrap_or_else(|| panic!("{name}: column {col} is missing"));
        for (row, (gr, wr)) in g.iter().zip(&w).enumerate().skip(1) {
            assert_eq!(gr[gi], wr[wi], "{name}: row {row}, column {col}");
        }
    }
}

fn presets() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(golden_dir())
        .expect("golden dir")
        .filter_map(|e| {
            let p = e.ok()?.path();
            if p.extension()? != "json" {
                return None;
            }
            Some(p.file_stem()?.to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_preset_recorded_before_the_components_gives_the_same_json() {
    let names = presets();
    assert!(names.len() >= 6, "golden files: {names:?}");
    for name in names {
        let got = brownout(&["run", "--preset", &name, "--json"]);
        let path = golden_dir().join(format!("{name}.json"));
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&path, &got).expect("write golden");
        }
        let want = std::fs::read_to_string(&path).expect("golden json");
        let (g, w): (Value, Value) = (
            serde_json::from_str(&got).expect("json"),
            serde_json::from_str(&want).expect("json"),
        );
        assert_contains(&g, &w, &name);
    }
}

#[test]
fn every_preset_recorded_before_the_components_gives_the_same_series() {
    for name in presets() {
        let got = brownout(&["run", "--preset", &name, "--csv"]);
        let path = golden_dir().join(format!("{name}.csv"));
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&path, &got).expect("write golden");
        }
        let want = std::fs::read_to_string(&path).expect("golden csv");
        assert_columns(&got, &want, &name);
    }
}
