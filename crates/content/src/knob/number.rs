//! Numbers a person types (a knob's box, a URL parameter), read exactly as
//! the standard library reads them but by the parser the site ships anyway.

/// `text.parse::<f64>().ok()`, to the bit, for every `text`, but read by
/// serde_json's parser (correctly rounded, as the standard library's, with
/// its `float_roundtrip` feature), which the site ships anyway: the
/// standard library's parser would add about 12 KB (gzip) to its wasm,
/// most of it a table of powers of five.
///
/// The standard library's syntax is `[+-]` then `inf`, `infinity` or `nan`
/// (any case) or digits with an optional `.` (at least one digit) and an
/// optional exponent `e`/`E`, `[+-]`, digits. The number is rewritten as
/// JSON (no leading zeros, no bare `.`) without its sign, read, and the
/// sign applied as the standard library does (`-0` is negative zero, `-nan`
/// a NaN with its sign bit set).
pub fn parse_f64(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'+') => (false, &text[1..]),
        Some(b'-') => (true, &text[1..]),
        _ => (false, text),
    };
    let value = if rest.eq_ignore_ascii_case("inf") || rest.eq_ignore_ascii_case("infinity") {
        f64::INFINITY
    } else if rest.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else {
        unsigned_f64(rest)?
    };
    Some(if negative { -value } else { value })
}

/// Digits, an optional `.` and fraction, an optional exponent, as JSON and
/// read by serde_json.
fn unsigned_f64(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let digits = |from: usize| from + b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let int_end = digits(0);
    let (frac_start, frac_end) = if b.get(int_end) == Some(&b'.') {
        (int_end + 1, digits(int_end + 1))
    } else {
        (int_end, int_end)
    };
    if int_end == 0 && frac_end == frac_start {
        return None;
    }
    let mut json = String::with_capacity(text.len() + 2);
    let int = text[..int_end].trim_start_matches('0');
    json.push_str(if int.is_empty() { "0" } else { int });
    if frac_end > frac_start {
        json.push('.');
        json.push_str(&text[frac_start..frac_end]);
    }
    let mut end = frac_end;
    if matches!(b.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(b.get(end + 1), Some(b'+' | b'-')));
        let exp_end = digits(end + 1 + sign);
        if exp_end == end + 1 + sign {
            return None;
        }
        json.push_str(&text[end..exp_end]);
        end = exp_end;
    }
    if end != b.len() {
        return None;
    }
    // A valid JSON number serde_json refuses is out of range: too large,
    // where the standard library says infinity.
    Some(serde_json::from_str::<f64>(&json).unwrap_or(f64::INFINITY))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `parse_f64` against the standard library, bit for bit.
    fn same_as_std(text: &str) {
        let want = text.parse::<f64>().ok().map(f64::to_bits);
        assert_eq!(parse_f64(text).map(f64::to_bits), want, "{text:?}");
    }

    #[test]
    fn numbers_parse_as_the_standard_library_parses_them() {
        let cases = [
            "",
            "+",
            "-",
            ".",
            "e5",
            ".e5",
            "1e",
            "1e+",
            "1e-",
            "1.e",
            "0",
            "-0",
            "+0",
            "00",
            "-00.000",
            "1",
            "+1",
            "-1",
            "1.",
            ".5",
            "-.5",
            "+.5e-3",
            "0.1",
            "0.3",
            "140",
            "2.5",
            "1e5",
            "1E5",
            "1e+5",
            "1e-5",
            "007.50",
            "1_000",
            " 1",
            "1 ",
            "1,5",
            "0x10",
            "1e5.5",
            "1..2",
            "--1",
            "+-1",
            "inf",
            "-inf",
            "+inf",
            "INF",
            "Infinity",
            "-infinity",
            "infinit",
            "infinityy",
            "nan",
            "NaN",
            "-nan",
            "+NAN",
            "nana",
            "in",
            "1e308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "2e308",
            "1e400",
            "-1e400",
            "1e999999999999999999999",
            "0e999999999999999999",
            "1e-999999999999999999",
            "4.9e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "5e-324",
            "1e-400",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "9007199254740993",
            "9007199254740993.0",
            "18446744073709551615",
            "18446744073709551616",
            "123456789012345678901234567890",
            "0.000000000000000000000000000001e30",
            "1e0000000000000000000000001",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "0.30000000000000004",
            "0.1e-0",
            "9.999999999999999e22",
            "1e23",
            "8.98846567431158e307",
        ];
        for c in cases {
            same_as_std(c);
        }
        let long = format!("{}e-400", "1".repeat(400));
        same_as_std(&long);
        same_as_std(&format!("0.{}1", "0".repeat(500)));
        same_as_std(&format!("{}.5", "9".repeat(320)));
        // Random strings over the number alphabet, and random decimals.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let alphabet = b"0123456789012345678901234567890123456789.eE+-";
        for _ in 0..200_000 {
            let len = (next() % 12) as usize;
            let s: String = (0..len)
                .map(|_| char::from(alphabet[(next() % alphabet.len() as u64) as usize]))
                .collect();
            same_as_std(&s);
        }
        for _ in 0..100_000 {
            let f = f64::from_bits(next());
            same_as_std(&f.to_string());
            same_as_std(&format!("{f:e}"));
            let digits = 1 + next() % 25;
            same_as_std(&format!(
                "{}e{}",
                next() % 10u64.pow((digits % 19) as u32 + 1),
                (next() % 700) as i64 - 350
            ));
        }
    }
}
