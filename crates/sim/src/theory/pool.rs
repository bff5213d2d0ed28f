//! A pool in front of a database, as a closed queueing network.
//!
//! ```text
//!        ┌──────────── P connections, every one always busy ────────────┐
//!        └──> CPU: c cores, processor sharing ──> disks: d, FCFS ───────┘
//!             (load-dependent rate min(j, c)/S_cpu)  (min(j, d)/S_io)
//! ```
//! When the pool is saturated (a waiter takes every released connection at
//! once), exactly P queries are in the database at all times: a closed
//! network of P customers. With exponential disk times it is product-form
//! (the CPU is processor sharing, which any CPU work law fits), so its
//! throughput is exact **mean value analysis** with load-dependent
//! stations. The contention stretch of `[database]` is constant when P
//! sessions are always active, so it only scales the CPU demand.
//!
//! [`Network::mva`] is the MVA recursion itself (Reiser and Lavenberg, with
//! marginal queue-length probabilities per load-dependent station). Its
//! `p(0 | n) = 1 − Σ p(j | n)` loses precision at high load with
//! thousands of customers, so [`Network::saturated`] computes the same
//! numbers through the normalising constants in log space (Buzen's
//! convolution: `X(P) = G(P − 1) / G(P)`), which the tests check against
//! the recursion.

use crate::scenario::Database;

/// A station with `servers` servers, each serving at `1 / demand_s`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Station {
    /// Mean work of one visit, seconds.
    pub demand_s: f64,
    /// Servers (cores, disks).
    pub servers: u32,
}

impl Station {
    /// Completions per second with `j` customers present.
    fn rate(&self, j: usize) -> f64 {
        (j as f64).min(f64::from(self.servers)) / self.demand_s
    }

    /// `ln f(j)` for j = 0..=n, `f(j) = Π_{i≤j} 1 / rate(i)`: the station's
    /// product-form factor.
    fn log_factors(&self, n: usize) -> Vec<f64> {
        let mut out = Vec::with_capacity(n + 1);
        let mut acc = 0.0;
        out.push(acc);
        for j in 1..=n {
            acc -= self.rate(j).ln();
            out.push(acc);
        }
        out
    }
}

/// Throughput and time in the network for one population.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Solution {
    /// Queries per second.
    pub throughput: f64,
    /// Mean time of a query in the database, seconds.
    pub response_s: f64,
}

/// The database as stations: its CPU and, with disk work, its disks.
#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    /// The CPU, uncontended.
    pub cpu: Station,
    /// The disks, if queries use them.
    pub disk: Option<Station>,
    sigma: f64,
    kappa: f64,
}

impl Network {
    /// The stations of `db` (means of its work distributions).
    pub fn of(db: &Database) -> Self {
        Network {
            cpu: Station {
                demand_s: db.cpu_ms.mean_ms() / 1e3,
                servers: db.cores,
            },
            disk: db
                .io_ms
                .as_ref()
                .filter(|_| db.disks > 0)
                .map(|d| Station {
                    demand_s: d.mean_ms() / 1e3,
                    servers: db.disks,
                })
                .filter(|s| s.demand_s > 0.0),
            sigma: db.sigma,
            kappa: db.kappa,
        }
    }

    /// The contention stretch with `n` active sessions.
    pub fn stretch(&self, n: u32) -> f64 {
        stretch(n, self.sigma, self.kappa)
    }

    /// The CPU with `p` sessions always active.
    fn cpu_at(&self, p: u32) -> Station {
        Station {
            demand_s: self.cpu.demand_s * self.stretch(p),
            ..self.cpu
        }
    }

    /// A saturated pool of `p` connections: every one always holds a
    /// query, so `p` queries circulate CPU → disk → CPU.
    pub fn saturated(&self, p: u32) -> Solution {
        if p == 0 || self.cpu.demand_s <= 0.0 {
            return Solution {
                throughput: 0.0,
                response_s: 0.0,
            };
        }
        let n = p as usize;
        let cpu = self.cpu_at(p).log_factors(n);
        let log_g = |m: usize| match &self.disk {
            None => cpu[m],
            Some(d) => {
                let disk = d.log_factors(m);
                log_sum_exp((0..=m).map(|j| cpu[j] + disk[m - j]))
            }
        };
        let throughput = (log_g(n - 1) - log_g(n)).exp();
        Solution {
            throughput,
            response_s: f64::from(p) / throughput,
        }
    }

    /// Exact MVA for 1..=`n` customers with a think time of `think_s`
    /// between queries, without contention (the stretch depends on the
    /// population in the database, which is not product-form): element
    /// `k` is the solution for `k + 1` customers.
    pub fn mva(&self, n: usize, think_s: f64) -> Vec<Solution> {
        let stations: Vec<Station> = std::iter::once(self.cpu).chain(self.disk).collect();
        // p[k][j]: probability of j customers at station k.
        let mut p: Vec<Vec<f64>> = vec![vec![1.0]; stations.len()];
        let mut out = Vec::with_capacity(n);
        for m in 1..=n {
            let r: Vec<f64> = stations
                .iter()
                .zip(&p)
                .map(|(s, pk)| (1..=m).map(|j| j as f64 / s.rate(j) * pk[j - 1]).sum())
                .collect();
            let total: f64 = r.iter().sum();
            let x = m as f64 / (think_s + total);
            for (s, pk) in stations.iter().zip(p.iter_mut()) {
                let mut next = vec![0.0; m + 1];
                for j in 1..=m {
                    next[j] = x / s.rate(j) * pk[j - 1];
                }
                next[0] = (1.0 - next[1..].iter().sum::<f64>()).max(0.0);
                *pk = next;
            }
            out.push(Solution {
                throughput: x,
                response_s: total,
            });
        }
        out
    }
}

/// `ln Σ exp(x)`, without overflow.
fn log_sum_exp(xs: impl Iterator<Item = f64> + Clone) -> f64 {
    let max = xs.clone().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + xs.map(|x| (x - max).exp()).sum::<f64>().ln()
}

/// The Universal Scalability Law's denominator, `1 + σ(n − 1) + κn(n − 1)`:
/// how much contention (σ) and coherency (κ) stretch work with `n` active
/// sessions (at least one).
pub fn stretch(n: u32, sigma: f64, kappa: f64) -> f64 {
    let n = f64::from(n.max(1));
    1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0)
}

/// The Universal Scalability Law (Neil Gunther): the throughput of `n`
/// sessions when one alone does `lambda` per second,
/// `λn / (1 + σ(n − 1) + κn(n − 1))`.
pub fn usl(n: u32, lambda: f64, sigma: f64, kappa: f64) -> f64 {
    lambda * f64::from(n) / stretch(n, sigma, kappa)
}

/// HikariCP's rule of thumb for a pool's size ("About Pool Sizing"):
/// connections = cores × 2 + effective spindles.
pub fn rule_of_thumb(cores: u32, spindles: u32) -> u32 {
    cores * 2 + spindles
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network(cores: u32, disks: u32, cpu_s: f64, io_s: f64) -> Network {
        Network {
            cpu: Station {
                demand_s: cpu_s,
                servers: cores,
            },
            disk: (disks > 0).then_some(Station {
                demand_s: io_s,
                servers: disks,
            }),
            sigma: 0.0,
            kappa: 0.0,
        }
    }

    #[test]
    fn the_convolution_agrees_with_the_mva_recursion() {
        for net in [
            network(8, 4, 0.002, 0.0005),
            network(4, 1, 0.001, 0.003),
            network(2, 0, 0.001, 0.0),
        ] {
            let mva = net.mva(120, 0.0);
            for p in [1, 2, 5, 8, 20, 60, 120] {
                let exact = net.saturated(p);
                let m = mva[p as usize - 1];
                // The recursion's p(0 | n) = 1 − Σ loses digits at high load.
                assert!(
                    (exact.throughput / m.throughput - 1.0).abs() < 1e-6,
                    "{p}: {exact:?} vs {m:?}"
                );
                assert!((exact.response_s / m.response_s - 1.0).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn limits_are_the_bottleneck_and_the_sum_of_demands() {
        let net = network(8, 4, 0.002, 0.0005);
        // One query alone: no waiting, response = sum of demands.
        let one = net.saturated(1);
        assert!((one.response_s - 0.0025).abs() < 1e-12);
        // Many: the CPU (8 / 2 ms = 4,000 per second) is the bottleneck.
        let many = net.saturated(2048);
        assert!((many.throughput - 4000.0).abs() < 1e-6, "{many:?}");
    }

    #[test]
    fn without_disks_and_with_enough_cores_the_usl_holds_exactly() {
        let mut net = network(4096, 0, 0.001, 0.0);
        net.sigma = 0.02;
        net.kappa = 0.0001;
        for p in [1, 10, 100, 1000] {
            let x = net.saturated(p).throughput;
            let usl = usl(p, 1000.0, 0.02, 0.0001);
            assert!((x / usl - 1.0).abs() < 1e-9, "{p}: {x} vs {usl}");
        }
    }

    #[test]
    fn the_rule_of_thumb_is_twice_the_cores_plus_the_spindles() {
        assert_eq!(rule_of_thumb(8, 4), 20);
    }
}
