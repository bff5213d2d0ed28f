//! Reading a distribution table, `{ dist = "exponential", mean = 100 }`,
//! and a mixture part, the same with its `weight` beside.
//!
//! Written out rather than derived: serde's internally tagged enums (and
//! `flatten`) first buffer every table into a generic intermediate form,
//! whose code is a large part of the site's wasm. This reads each key once
//! and gives serde's own messages: unknown, duplicate and missing fields,
//! unknown kinds.

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use super::{Distribution, MixturePart};

/// The `dist` kinds, as a scenario writes them.
const KINDS: &[&str] = &[
    "constant",
    "exponential",
    "uniform",
    "lognormal",
    "normal",
    "mixture",
];

/// The keys of one table, as read; checked against its kind at the end, so
/// the order of the keys does not matter.
#[derive(Default)]
struct Keys {
    dist: Option<String>,
    value: Option<f64>,
    mean: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    p99: Option<f64>,
    sigma: Option<f64>,
    sd: Option<f64>,
    parts: Option<Vec<MixturePart>>,
    weight: Option<f64>,
    /// The first key no kind has.
    unknown: Option<String>,
}

/// Stores a key's value, refusing a second one.
fn once<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(key));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

impl Keys {
    fn read<'de, A: MapAccess<'de>>(mut map: A) -> Result<Keys, A::Error> {
        let mut k = Keys::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "dist" => once(&mut map, &mut k.dist, "dist")?,
                "value" => once(&mut map, &mut k.value, "value")?,
                "mean" => once(&mut map, &mut k.mean, "mean")?,
                "min" => once(&mut map, &mut k.min, "min")?,
                "max" => once(&mut map, &mut k.max, "max")?,
                "p99" => once(&mut map, &mut k.p99, "p99")?,
                "sigma" => once(&mut map, &mut k.sigma, "sigma")?,
                "sd" => once(&mut map, &mut k.sd, "sd")?,
                "parts" => once(&mut map, &mut k.parts, "parts")?,
                "weight" => once(&mut map, &mut k.weight, "weight")?,
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                    k.unknown.get_or_insert(key);
                }
            }
        }
        Ok(k)
    }

    /// The distribution these keys describe; `weight` is allowed (a mixture
    /// part) or not.
    fn distribution<E: de::Error>(self, weighted: bool) -> Result<Distribution, E> {
        let kind = self.dist.ok_or_else(|| E::missing_field("dist"))?;
        let Some(&kind) = KINDS.iter().find(|&&k| k == kind) else {
            return Err(E::unknown_variant(&kind, KINDS));
        };
        let fields: &'static [&'static str] = match (kind, weighted) {
            ("constant", false) => &["value"],
            ("constant", true) => &["weight", "value"],
            ("exponential", false) => &["mean"],
            ("exponential", true) => &["weight", "mean"],
            ("uniform", false) => &["min", "max"],
            ("uniform", true) => &["weight", "min", "max"],
            ("lognormal", false) => &["mean", "p99", "sigma"],
            ("lognormal", true) => &["weight", "mean", "p99", "sigma"],
            ("normal", false) => &["mean", "sd"],
            ("normal", true) => &["weight", "mean", "sd"],
            (_, false) => &["parts"],
            (_, true) => &["weight", "parts"],
        };
        let given = [
            ("value", self.value.is_some()),
            ("mean", self.mean.is_some()),
            ("min", self.min.is_some()),
            ("max", self.max.is_some()),
            ("p99", self.p99.is_some()),
            ("sigma", self.sigma.is_some()),
            ("sd", self.sd.is_some()),
            ("parts", self.parts.is_some()),
            ("weight", self.weight.is_some()),
        ];
        if let Some(unknown) = &self.unknown {
            return Err(E::unknown_field(unknown, fields));
        }
        if let Some((stray, _)) = given.iter().find(|(k, set)| *set && !fields.contains(k)) {
            return Err(E::unknown_field(stray, fields));
        }
        let need = |v: Option<f64>, key: &'static str| v.ok_or_else(|| E::missing_field(key));
        Ok(match kind {
            "constant" => Distribution::Constant {
                value: need(self.value, "value")?,
            },
            "exponential" => Distribution::Exponential {
                mean: need(self.mean, "mean")?,
            },
            "uniform" => Distribution::Uniform {
                min: need(self.min, "min")?,
                max: need(self.max, "max")?,
            },
            "lognormal" => Distribution::Lognormal {
                mean: need(self.mean, "mean")?,
                p99: self.p99,
                sigma: self.sigma,
            },
            "normal" => Distribution::Normal {
                mean: need(self.mean, "mean")?,
                sd: need(self.sd, "sd")?,
            },
            _ => Distribution::Mixture {
                parts: self.parts.ok_or_else(|| E::missing_field("parts"))?,
            },
        })
    }
}

/// Visits a distribution table, or a mixture part when `weighted`.
struct TableVisitor {
    weighted: bool,
}

impl<'de> Visitor<'de> for TableVisitor {
    type Value = (Option<f64>, Distribution);

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(if self.weighted {
            "a mixture part: a table with weight, dist and its parameters"
        } else {
            "a distribution: a table with dist and its parameters"
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let keys = Keys::read(map)?;
        let weight = keys.weight;
        Ok((weight, keys.distribution(self.weighted)?))
    }
}

impl<'de> Deserialize<'de> for Distribution {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (_, dist) = d.deserialize_map(TableVisitor { weighted: false })?;
        Ok(dist)
    }
}

impl<'de> Deserialize<'de> for MixturePart {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (weight, dist) = d.deserialize_map(TableVisitor { weighted: true })?;
        let weight = weight.ok_or_else(|| de::Error::missing_field("weight"))?;
        Ok(MixturePart { weight, dist })
    }
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Distribution, String> {
        toml::from_str::<toml::Table>(&format!("d = {text}"))
            .map_err(|e| e.to_string())
            .and_then(|t| {
                t["d"]
                    .clone()
                    .try_into()
                    .map_err(|e: toml::de::Error| e.message().to_string())
            })
    }

    #[test]
    fn every_kind_reads_in_any_key_order() {
        assert_eq!(
            read("{ mean = 100, dist = \"exponential\" }"),
            Ok(Distribution::Exponential { mean: 100.0 })
        );
        assert_eq!(
            read("{ dist = \"lognormal\", mean = 50, p99 = 400 }"),
            Ok(Distribution::Lognormal {
                mean: 50.0,
                p99: Some(400.0),
                sigma: None
            })
        );
        assert_eq!(
            read("{ sd = 2, dist = \"normal\", mean = 10 }"),
            Ok(Distribution::Normal {
                mean: 10.0,
                sd: 2.0
            })
        );
        assert!(
            read("{ dist = \"normal\", mean = 10 }")
                .expect_err("no sd")
                .contains("missing field `sd`")
        );
        let mixture = read(
            "{ dist = \"mixture\", parts = [ { weight = 9, dist = \"constant\", value = 1 }, { dist = \"uniform\", min = 1, max = 3, weight = 1 } ] }",
        )
        .expect("a mixture");
        let Distribution::Mixture { parts } = mixture else {
            panic!("a mixture")
        };
        assert_eq!(parts[1].weight, 1.0);
        assert_eq!(parts[1].dist, Distribution::Uniform { min: 1.0, max: 3.0 });
    }

    #[test]
    fn mistakes_get_serdes_own_messages() {
        let cases = [
            ("{ mean = 100 }", "missing field `dist`"),
            (
                "{ dist = \"gamma\", mean = 1 }",
                "unknown variant `gamma`, expected one of",
            ),
            ("{ dist = \"exponential\" }", "missing field `mean`"),
            (
                "{ dist = \"constant\", mean = 1 }",
                "unknown field `mean`, expected `value`",
            ),
            (
                "{ dist = \"constant\", value = 1, colour = 2 }",
                "unknown field `colour`",
            ),
            (
                "{ dist = \"constant\", value = 1, weight = 2 }",
                "unknown field `weight`",
            ),
            (
                "{ dist = \"mixture\", parts = [ { dist = \"constant\", value = 1 } ] }",
                "missing field `weight`",
            ),
            ("{ dist = \"constant\", value = \"x\" }", "invalid type"),
        ];
        for (text, want) in cases {
            let e = read(text).expect_err(text);
            assert!(e.contains(want), "{text}: {e}");
        }
    }
}
