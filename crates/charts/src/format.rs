//! Numbers as people read them, the same on the site, in the CLI and on
//! chart axes and summaries: `15 s`, never `15.00 s` in one place and
//! `15 s` in another.

/// A latency in milliseconds, with the unit that reads best:
/// `5 µs`, `0.4 ms`, `12 ms`, `120 ms`, `1.5 s`, `31 s`, `12 min`.
pub fn ms(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    if v > 0.0 && v < 0.01 {
        // A log axis's lowest ticks: "1 µs", not "0 ms".
        format!("{} µs", trim(v * 1e3, 2))
    } else if v < 1.0 {
        format!("{} ms", trim(v, 2))
    } else if v < 10.0 {
        format!("{} ms", trim(v, 1))
    } else if v < 1000.0 {
        format!("{:.0} ms", v)
    } else if v < 10_000.0 {
        format!("{} s", trim(v / 1000.0, 1))
    } else if v < 600_000.0 {
        format!("{:.0} s", v / 1000.0)
    } else {
        format!("{:.0} min", v / 60_000.0)
    }
}

/// `n` (already written) with its noun: "1 attempt", "2.5 attempts".
pub fn noun(n: &str, one: &str, many: &str) -> String {
    if n == "1" {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A duration in seconds, as [`ms`] writes it: `45 s`, `12 min`.
pub fn seconds(v: f64) -> String {
    ms(v * 1e3)
}

/// A caption with its unit in brackets, "Arrival rate (req/s)"; the label
/// alone when there is no unit or the label already names it ("Clients
/// contending", not "Clients contending (clients)").
pub fn caption(label: &str, unit: &str) -> String {
    // ASCII case only: Unicode case tables would cost the page 8 KiB.
    if unit.is_empty()
        || label
            .to_ascii_lowercase()
            .contains(&unit.to_ascii_lowercase())
    {
        label.to_string()
    } else {
        format!("{label} ({unit})")
    }
}

/// A count or rate on an axis: `0.5`, `12`, `950`, `1.5k`, `20k`.
pub fn num(v: f64) -> String {
    let a = v.abs();
    if a >= 10_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else if a >= 1000.0 {
        format!("{}k", trim(v / 1000.0, 1))
    } else if a >= 10.0 {
        format!("{:.0}", v)
    } else {
        trim(v, 1)
    }
}

/// A count in a sentence: `1,234,567`.
pub fn count(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A mean queue depth or rate in a sentence: `0.42`, `3.1`, `1,200`.
pub fn amount(v: f64) -> String {
    if v.abs() >= 100.0 {
        count(v.round().max(0.0) as u64)
    } else if v.abs() >= 10.0 {
        trim(v, 1)
    } else {
        trim(v, 2)
    }
}

/// A rate of requests per second with one decimal and thousands
/// separators: `127.9 req/s`, `1,508.1 req/s`.
pub fn rate(rps: f64) -> String {
    let text = format!("{rps:.1}");
    match text.split_once('.') {
        Some((whole, tenth)) if rps.is_finite() && rps >= 0.0 => {
            let whole = whole.parse().map_or_else(|_| whole.to_string(), count);
            format!("{whole}.{tenth} req/s")
        }
        _ => format!("{text} req/s"),
    }
}

/// A fraction from 0 to 1 as a whole percentage: `93%`.
pub fn pct(fraction: f64) -> String {
    format!("{:.0}%", fraction * 100.0)
}

/// `v` with at most `decimals` decimals, trailing zeros removed.
pub fn trim(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// `text` with its first letter capitalised, to start a sentence. ASCII
/// only: it starts with a run label or our own words, whose letters are
/// ASCII (brownout-content tests every label), and Unicode's case tables
/// would add about 9 KB (gzip) to the site's wasm.
pub(crate) fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// A label as a CSV column suffix: `Round robin` → `round_robin`.
pub(crate) fn slug(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_takes_the_singular() {
        assert_eq!(noun("1", "attempt", "attempts"), "1 attempt");
        assert_eq!(noun("1.2", "attempt", "attempts"), "1.2 attempts");
        assert_eq!(noun("0", "request", "requests"), "0 requests");
        assert_eq!(seconds(179.0), "179 s");
        assert_eq!(seconds(900.0), "15 min");
    }

    #[test]
    fn a_caption_names_its_unit_once() {
        assert_eq!(caption("Arrival rate", "req/s"), "Arrival rate (req/s)");
        assert_eq!(
            caption("Clients contending", "clients"),
            "Clients contending"
        );
        assert_eq!(caption("Pool size", ""), "Pool size");
    }

    #[test]
    fn latencies_switch_unit_where_people_do() {
        assert_eq!(ms(0.0), "0 ms");
        assert_eq!(ms(0.001), "1 µs");
        assert_eq!(ms(0.0055), "5.5 µs");
        assert_eq!(ms(0.25), "0.25 ms");
        assert_eq!(ms(4.0), "4 ms");
        assert_eq!(ms(120.4), "120 ms");
        assert_eq!(ms(1500.0), "1.5 s");
        assert_eq!(ms(31_000.0), "31 s");
        assert_eq!(ms(720_000.0), "12 min");
    }

    #[test]
    fn fifteen_thousand_milliseconds_read_15_s_and_rates_keep_one_decimal() {
        assert_eq!(ms(15_000.0), "15 s");
        assert_eq!(rate(127.94), "127.9 req/s");
        assert_eq!(rate(1508.06), "1,508.1 req/s");
        assert_eq!(rate(999.96), "1,000.0 req/s");
        assert_eq!(rate(0.0), "0.0 req/s");
        assert_eq!(trim(0.8, 4), "0.8");
    }

    #[test]
    fn axis_numbers_are_short() {
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(950.0), "950");
        assert_eq!(num(1500.0), "1.5k");
        assert_eq!(num(20_000.0), "20k");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn labels_become_column_suffixes() {
        assert_eq!(slug("Round robin"), "round_robin");
        assert_eq!(slug("  p2c (k=2)!"), "p2c_k_2");
    }
}
