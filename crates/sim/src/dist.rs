//! Random distributions of times: as written in a scenario, and compiled for
//! sampling.
//!
//! Every transcendental function comes from `libm`, so a sample is the same
//! bits on every platform.

use serde::Serialize;

mod read;

use crate::error::ScenarioError;
use crate::rng::Uniform;

/// The 99th percentile of the standard normal distribution.
const Z99: f64 = 2.326_347_874_040_840_8;
/// Largest accepted time in milliseconds (about 2.8 hours).
pub const MAX_MS: f64 = 1.0e7;
/// Smallest accepted positive time in milliseconds (one microsecond).
pub const MIN_MS: f64 = 1.0e-3;
const MAX_PARTS: usize = 16;
const MAX_SIGMA: f64 = 4.0;

/// A distribution of durations in milliseconds, as a scenario writes it:
/// `{ dist = "exponential", mean = 100 }`.
///
/// Read by hand (`dist/read.rs`), written by serde's derive.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "dist", rename_all = "snake_case")]
pub enum Distribution {
    /// Always `value` milliseconds.
    Constant {
        /// The duration in milliseconds.
        value: f64,
    },
    /// Exponential with the given mean in milliseconds.
    Exponential {
        /// Mean in milliseconds.
        mean: f64,
    },
    /// Uniform between `min` and `max` milliseconds.
    Uniform {
        /// Lower bound in milliseconds.
        min: f64,
        /// Upper bound in milliseconds.
        max: f64,
    },
    /// Lognormal with the given mean in milliseconds, shaped either by its
    /// 99th percentile in milliseconds (`p99`) or by `sigma`, the standard
    /// deviation of its logarithm. Exactly one of the two is given.
    Lognormal {
        /// Mean in milliseconds.
        mean: f64,
        /// 99th percentile in milliseconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        p99: Option<f64>,
        /// Standard deviation of the logarithm (dimensionless).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sigma: Option<f64>,
    },
    /// A normal law with this mean and standard deviation in milliseconds,
    /// negative draws folded to positive (`|x|`), as network delays are
    /// often modelled.
    Normal {
        /// Mean in milliseconds (before folding).
        mean: f64,
        /// Standard deviation in milliseconds.
        sd: f64,
    },
    /// A weighted mixture: "most requests cheap, a few expensive".
    Mixture {
        /// The parts; weights need not sum to one.
        parts: Vec<MixturePart>,
    },
}

/// One part of a [`Distribution::Mixture`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MixturePart {
    /// Relative weight (any positive number).
    pub weight: f64,
    /// The distribution of this part.
    #[serde(flatten)]
    pub dist: Distribution,
}

impl Distribution {
    /// The mean in milliseconds (of a valid distribution).
    pub fn mean_ms(&self) -> f64 {
        match self {
            Distribution::Constant { value } => *value,
            Distribution::Exponential { mean } | Distribution::Lognormal { mean, .. } => *mean,
            Distribution::Uniform { min, max } => (min + max) / 2.0,
            Distribution::Normal { mean, sd } => folded_mean(*mean, *sd),
            Distribution::Mixture { parts } => {
                let total: f64 = parts.iter().map(|p| p.weight).sum();
                parts
                    .iter()
                    .map(|p| p.weight * p.dist.mean_ms())
                    .sum::<f64>()
                    / total
            }
        }
    }

    /// Checks the parameters and compiles a sampler in seconds; `field` names
    /// this distribution in error messages.
    pub fn compile(&self, field: &str) -> Result<Sampler, ScenarioError> {
        self.compile_depth(field, 0)
    }

    fn compile_depth(&self, field: &str, depth: usize) -> Result<Sampler, ScenarioError> {
        let ms = |name: &str, v: f64| time_ms(&format!("{field}.{name}"), v);
        Ok(match *self {
            Distribution::Constant { value } => Sampler::Constant(ms("value", value)? / 1e3),
            Distribution::Exponential { mean } => Sampler::Exponential(ms("mean", mean)? / 1e3),
            Distribution::Uniform { min, max } => {
                let lo = ms("min", min)?;
                let hi = ms("max", max)?;
                if hi < lo {
                    return Err(ScenarioError::new(
                        format!("{field}.max"),
                        format!("must be at least min ({lo}), got {hi}"),
                    ));
                }
                Sampler::Uniform(lo / 1e3, (hi - lo) / 1e3)
            }
            Distribution::Lognormal { mean, p99, sigma } => {
                let mean = ms("mean", mean)?;
                let sigma = lognormal_sigma(field, mean, p99, sigma)?;
                // mean = exp(mu + sigma^2 / 2)
                let mu = libm::log(mean / 1e3) - sigma * sigma / 2.0;
                Sampler::Lognormal { mu, sigma }
            }
            Distribution::Normal { mean, sd } => {
                let mean = ms("mean", mean)?;
                if !(sd.is_finite() && (0.0..=MAX_MS).contains(&sd)) {
                    return Err(ScenarioError::new(
                        format!("{field}.sd"),
                        format!("must be between 0 and {MAX_MS} milliseconds, got {sd}"),
                    ));
                }
                Sampler::Normal(mean / 1e3, sd / 1e3)
            }
            Distribution::Mixture { ref parts } => {
                if depth >= 3 {
                    return Err(ScenarioError::new(field, "mixtures nest at most 3 deep"));
                }
                if parts.is_empty() || parts.len() > MAX_PARTS {
                    return Err(ScenarioError::new(
                        format!("{field}.parts"),
                        format!("needs 1 to {MAX_PARTS} parts, got {}", parts.len()),
                    ));
                }
                let mut cumulative = Vec::with_capacity(parts.len());
                let mut samplers = Vec::with_capacity(parts.len());
                let mut total = 0.0;
                for (i, part) in parts.iter().enumerate() {
                    let path = format!("{field}.parts[{i}]");
                    if !(part.weight.is_finite() && part.weight > 0.0 && part.weight <= 1e9) {
                        return Err(ScenarioError::new(
                            format!("{path}.weight"),
                            format!("must be a positive number, got {}", part.weight),
                        ));
                    }
                    total += part.weight;
                    cumulative.push(total);
                    samplers.push(part.dist.compile_depth(&path, depth + 1)?);
                }
                for c in &mut cumulative {
                    *c /= total;
                }
                Sampler::Mixture(cumulative, samplers)
            }
        })
    }
}

fn time_ms(field: &str, v: f64) -> Result<f64, ScenarioError> {
    if v.is_finite() && (MIN_MS..=MAX_MS).contains(&v) {
        Ok(v)
    } else {
        Err(ScenarioError::new(
            field,
            format!("must be between {MIN_MS} and {MAX_MS} milliseconds, got {v}"),
        ))
    }
}

fn lognormal_sigma(
    field: &str,
    mean: f64,
    p99: Option<f64>,
    sigma: Option<f64>,
) -> Result<f64, ScenarioError> {
    match (p99, sigma) {
        (Some(_), Some(_)) | (None, None) => Err(ScenarioError::new(
            field,
            "a lognormal needs exactly one of p99 (milliseconds) or sigma",
        )),
        (None, Some(s)) if s.is_finite() && s > 0.0 && s <= MAX_SIGMA => Ok(s),
        (None, Some(s)) => Err(ScenarioError::new(
            format!("{field}.sigma"),
            format!("must be above 0 and at most {MAX_SIGMA}, got {s}"),
        )),
        (Some(p99), None) => {
            let p99 = time_ms(&format!("{field}.p99"), p99)?;
            // ln(p99 / mean) = z*s - s^2/2; take the root with s < z.
            let r = libm::log(p99 / mean);
            let disc = Z99 * Z99 - 2.0 * r;
            if r <= 0.0 || disc < 0.0 {
                let max = mean * libm::exp(Z99 * Z99 / 2.0);
                return Err(ScenarioError::new(
                    format!("{field}.p99"),
                    format!(
                        "no lognormal with mean {mean} has p99 {p99}: p99 must lie above the mean and below {max:.0} (about 15 x the mean)"
                    ),
                ));
            }
            Ok(Z99 - disc.sqrt())
        }
    }
}

/// A validated distribution ready to sample, in seconds.
#[derive(Clone, Debug)]
pub enum Sampler {
    /// Constant seconds.
    Constant(f64),
    /// Exponential with this mean in seconds.
    Exponential(f64),
    /// Uniform: lower bound and width in seconds.
    Uniform(f64, f64),
    /// Lognormal: parameters of the underlying normal (seconds scale).
    Lognormal {
        /// Mean of the logarithm.
        mu: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
    },
    /// Normal folded to positive: mean and standard deviation in seconds.
    Normal(f64, f64),
    /// Cumulative normalised weights and the parts' samplers.
    Mixture(Vec<f64>, Vec<Sampler>),
}

/// The mean of `|X|` for X normal with mean `m` and standard deviation `s`.
fn folded_mean(m: f64, s: f64) -> f64 {
    if s == 0.0 {
        return m.abs();
    }
    let z = m / s;
    s * (2.0 / std::f64::consts::PI).sqrt() * libm::exp(-z * z / 2.0)
        + m * libm::erf(z / std::f64::consts::SQRT_2)
}

impl Sampler {
    /// One sample in seconds.
    #[inline]
    pub fn sample(&self, rng: &mut impl Uniform) -> f64 {
        // The common kinds inline into the caller (the engine draws one
        // sample per request); the rest take a call.
        match self {
            Sampler::Constant(v) => *v,
            Sampler::Exponential(mean) => -mean * libm::log(rng.uniform_open0()),
            _ => self.sample_other(rng),
        }
    }

    /// The first two moments in seconds, `(E[X], E[X²])`, for the
    /// formulas of [`crate::theory`].
    pub fn moments(&self) -> (f64, f64) {
        match self {
            Sampler::Constant(v) => (*v, v * v),
            Sampler::Exponential(mean) => (*mean, 2.0 * mean * mean),
            Sampler::Uniform(lo, width) => {
                let hi = lo + width;
                ((lo + hi) / 2.0, (lo * lo + lo * hi + hi * hi) / 3.0)
            }
            Sampler::Lognormal { mu, sigma } => (
                libm::exp(mu + sigma * sigma / 2.0),
                libm::exp(2.0 * mu + 2.0 * sigma * sigma),
            ),
            Sampler::Normal(m, s) => (folded_mean(*m, *s), m * m + s * s),
            Sampler::Mixture(cumulative, parts) => {
                let mut last = 0.0;
                let (mut m1, mut m2) = (0.0, 0.0);
                for (c, part) in cumulative.iter().zip(parts) {
                    let (a, b) = part.moments();
                    m1 += (c - last) * a;
                    m2 += (c - last) * b;
                    last = *c;
                }
                (m1, m2)
            }
        }
    }

    /// One sample of the kinds [`Sampler::sample`] does not inline.
    #[inline(never)]
    fn sample_other(&self, rng: &mut impl Uniform) -> f64 {
        match self {
            Sampler::Constant(_) | Sampler::Exponential(_) => self.sample(rng),
            Sampler::Uniform(lo, width) => lo + width * rng.uniform(),
            Sampler::Lognormal { mu, sigma } => libm::exp(mu + sigma * standard_normal(rng)),
            Sampler::Normal(mean, sd) => (mean + sd * standard_normal(rng)).abs(),
            Sampler::Mixture(cumulative, parts) => {
                let u = rng.uniform();
                let i = cumulative
                    .iter()
                    .position(|&c| u < c)
                    .unwrap_or(parts.len() - 1);
                parts[i].sample(rng)
            }
        }
    }
}

/// A standard normal variate by the Box-Muller transform.
fn standard_normal(rng: &mut impl Uniform) -> f64 {
    let r = (-2.0 * libm::log(rng.uniform_open0())).sqrt();
    r * libm::cos(2.0 * std::f64::consts::PI * rng.uniform())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{RandomStream, Stream};

    fn samples(d: &Distribution, n: usize) -> Vec<f64> {
        let s = d.compile("d").expect("valid");
        let mut rng = RandomStream::new(11, Stream::Sizes);
        let mut v: Vec<f64> = (0..n).map(|_| s.sample(&mut rng) * 1e3).collect();
        v.sort_by(f64::total_cmp);
        v
    }

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b
    }

    #[test]
    fn exponential_mean_and_p99_match_within_one_percent() {
        let v = samples(&Distribution::Exponential { mean: 100.0 }, 400_000);
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        assert!(rel(mean, 100.0) < 0.01, "mean {mean}");
        let p99 = v[v.len() * 99 / 100];
        assert!(rel(p99, 100.0 * libm::log(100.0)) < 0.02, "p99 {p99}");
    }

    #[test]
    fn lognormal_by_mean_and_p99_has_that_mean_and_p99() {
        let d = Distribution::Lognormal {
            mean: 50.0,
            p99: Some(400.0),
            sigma: None,
        };
        let v = samples(&d, 400_000);
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        assert!(rel(mean, 50.0) < 0.02, "mean {mean}");
        let p99 = v[v.len() * 99 / 100];
        assert!(rel(p99, 400.0) < 0.02, "p99 {p99}");
    }

    #[test]
    fn a_normal_network_delay_has_its_mean_and_sd_and_is_never_negative() {
        let v = samples(
            &Distribution::Normal {
                mean: 10.0,
                sd: 2.0,
            },
            400_000,
        );
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
        assert!(
            rel(mean, 10.0) < 0.005 && rel(sd, 2.0) < 0.01,
            "{mean} {sd}"
        );
        // Folded: a wide law loses its negative half to the positive one.
        let v = samples(&Distribution::Normal { mean: 1.0, sd: 5.0 }, 400_000);
        assert!(v[0] >= 0.0);
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let want = Distribution::Normal { mean: 1.0, sd: 5.0 }.mean_ms();
        assert!(rel(mean, want) < 0.01 && want > 4.0, "{mean} vs {want}");
    }

    #[test]
    fn uniform_spans_its_bounds_with_the_middle_as_mean() {
        let v = samples(
            &Distribution::Uniform {
                min: 10.0,
                max: 30.0,
            },
            100_000,
        );
        assert!(v[0] >= 10.0 && v[v.len() - 1] < 30.0);
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        assert!(rel(mean, 20.0) < 0.005, "mean {mean}");
    }

    #[test]
    fn mixture_mean_is_the_weighted_mean_of_its_parts() {
        let d = Distribution::Mixture {
            parts: vec![
                MixturePart {
                    weight: 9.0,
                    dist: Distribution::Constant { value: 10.0 },
                },
                MixturePart {
                    weight: 1.0,
                    dist: Distribution::Constant { value: 1000.0 },
                },
            ],
        };
        assert_eq!(d.mean_ms(), 109.0);
        let v = samples(&d, 200_000);
        let expensive = v.iter().filter(|&&x| x == 1000.0).count() as f64 / v.len() as f64;
        assert!((expensive - 0.1).abs() < 0.003, "share {expensive}");
    }

    #[test]
    fn impossible_lognormal_p99_names_the_field_and_the_bound() {
        let d = Distribution::Lognormal {
            mean: 10.0,
            p99: Some(1000.0),
            sigma: None,
        };
        let e = d
            .compile("servers[0].service_ms")
            .expect_err("p99 100x the mean");
        assert_eq!(e.field, "servers[0].service_ms.p99");
        assert!(e.message.contains("below 150"), "{}", e.message);
    }

    #[test]
    fn zero_negative_and_absurd_times_are_refused() {
        for v in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e12] {
            let e = Distribution::Exponential { mean: v }
                .compile("x")
                .expect_err("bad mean");
            assert_eq!(e.field, "x.mean");
        }
    }
}
