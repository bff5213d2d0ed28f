//! Queueing theory that the articles put beside the simulation: the values
//! a formula gives for a model the engine can also run, so a reader (and a
//! test) can see the two agree.
//!
//! ```text
//!  Poisson arrivals, rate λ ──> one queue, one server, rate μ       M/M/1
//!                           ──> one queue, c servers               M/M/c (Erlang C)
//!                           ──> one server, any service law        M/G/1 (Pollaczek–Khinchine)
//!  every n-th arrival ───────> one server of n (round robin)       E_n/M/1
//!  the shorter of d random queues, n → ∞                           supermarket model
//! ```
//!
//! Rates are per second, times in seconds. Every function returns `None`
//! for an unstable or meaningless model (utilisation at or above 1, no
//! servers) rather than a number a reader could quote.

pub mod cache;
pub mod pool;
mod predict;

pub use predict::{GroupPrediction, Prediction, predict};

/// Mean time in system of an M/M/1 queue, seconds: `1 / (μ − λ)`.
pub fn mm1_sojourn_s(lambda: f64, mu: f64) -> Option<f64> {
    (lambda >= 0.0 && lambda < mu).then(|| 1.0 / (mu - lambda))
}

/// Erlang C: the probability that an arrival waits in an M/M/c queue with
/// `c` servers and offered load `a = λ / μ` erlangs (`a < c`).
pub fn erlang_c(c: u32, a: f64) -> Option<f64> {
    if c == 0 || !(0.0..f64::from(c)).contains(&a) {
        return None;
    }
    let mut term = 1.0; // a^k / k!
    let mut sum = 0.0;
    for k in 0..c {
        sum += term;
        term *= a / f64::from(k + 1);
    }
    let top = term * f64::from(c) / (f64::from(c) - a);
    Some(top / (sum + top))
}

/// Mean wait in the queue of an M/M/c system, seconds:
/// `C(c, λ/μ) / (cμ − λ)`. With one shared queue, this is the lower bound
/// for `c` separate queues fed by any balancer.
pub fn mmc_wait_s(c: u32, lambda: f64, mu: f64) -> Option<f64> {
    let p = erlang_c(c, lambda / mu)?;
    Some(p / (f64::from(c) * mu - lambda))
}

/// Mean wait in the queue of an M/G/1 system (Pollaczek–Khinchine),
/// seconds: `ρ · E[S] · (1 + c²) / (2 (1 − ρ))`, where `mean_s` is the mean
/// service time, `scv` its squared coefficient of variation (variance over
/// mean squared: 1 for exponential work, 0 for constant) and `ρ = λ E[S]`.
pub fn mg1_wait_s(lambda: f64, mean_s: f64, scv: f64) -> Option<f64> {
    let rho = lambda * mean_s;
    ((0.0..1.0).contains(&rho) && scv >= 0.0)
        .then(|| rho * mean_s * (1.0 + scv) / (2.0 * (1.0 - rho)))
}

/// The root σ in (0, 1) of the E_n/M/1 queue: one of `n` servers behind a
/// round-robin balancer, fed every n-th arrival of a Poisson stream, so its
/// gaps are Erlang-n. With utilisation `rho` per server, σ solves
/// `σ = f(σ) = (nρ / (nρ + 1 − σ))^n`. Newton's method on `σ − f(σ)` from 0:
/// f is convex, so `σ − f(σ)` is concave and the iterates climb to the root
/// without overshooting it, in a few dozen steps even at ρ near 1 (where a
/// plain fixed-point iteration needs hundreds of thousands). For n = 1 it
/// is ρ (M/M/1).
pub fn en_m1_sigma(n: u32, rho: f64) -> Option<f64> {
    if n == 0 || !(0.0..1.0).contains(&rho) {
        return None;
    }
    let (nf, nr) = (f64::from(n), f64::from(n) * rho);
    let mut sigma = 0.0_f64;
    for _ in 0..200 {
        let f = libm::pow(nr / (nr + 1.0 - sigma), nf);
        let slope = 1.0 - nf * f / (nr + 1.0 - sigma);
        if slope <= 0.0 {
            break;
        }
        let next = sigma - (sigma - f) / slope;
        if next.is_nan() || next <= sigma || next >= 1.0 {
            break;
        }
        sigma = next;
    }
    Some(sigma)
}

/// Mean time in system of one server of an E_n/M/1 queue (round robin over
/// `n` servers of rate `mu`, total Poisson rate `lambda`), seconds:
/// `1 / (μ (1 − σ))`.
pub fn round_robin_sojourn_s(n: u32, lambda: f64, mu: f64) -> Option<f64> {
    let sigma = en_m1_sigma(n, lambda / (f64::from(n) * mu))?;
    Some(1.0 / (mu * (1.0 - sigma)))
}

/// Mean time in system, in units of the mean service time, of the
/// supermarket model (Mitzenmacher): each arrival joins the shortest of `d`
/// queues picked at random among infinitely many, each at utilisation `rho`:
/// `Σ_{i≥1} ρ^((dⁱ − d)/(d − 1))`. For d = 1 this is M/M/1's `1/(1 − ρ)`.
pub fn supermarket_sojourn(d: u32, rho: f64) -> Option<f64> {
    if d == 0 || !(0.0..1.0).contains(&rho) {
        return None;
    }
    if d == 1 {
        return Some(1.0 / (1.0 - rho));
    }
    let (d, mut total) = (f64::from(d), 0.0);
    for i in 1..64 {
        let exponent = (libm::pow(d, f64::from(i)) - d) / (d - 1.0);
        let term = libm::pow(rho, exponent);
        total += term;
        if term < 1e-16 {
            break;
        }
    }
    Some(total)
}

/// The share of queues holding at least `k` requests in the supermarket
/// model with `d` choices: `ρ^((dᵏ − 1)/(d − 1))` (for d = 1, `ρᵏ`). Its
/// doubly exponential fall is why two choices beat one so much.
pub fn supermarket_tail(d: u32, rho: f64, k: u32) -> Option<f64> {
    if d == 0 || !(0.0..1.0).contains(&rho) {
        return None;
    }
    let exponent = if d == 1 {
        f64::from(k)
    } else {
        let d = f64::from(d);
        (libm::pow(d, f64::from(k)) - 1.0) / (d - 1.0)
    };
    Some(libm::pow(rho, exponent))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    /// `got` (a stable model's value) is within `tol` of `want`, relatively.
    fn assert_close(got: Option<f64>, want: f64, tol: f64) {
        let got = got.expect("a stable model");
        assert!(close(got, want, tol), "{got} vs {want}");
    }

    #[test]
    fn erlang_c_gives_one_third_for_two_servers_at_one_erlang() {
        assert_close(erlang_c(2, 1.0), 1.0 / 3.0, 1e-12);
        assert_eq!(erlang_c(2, 2.0), None);
        assert_eq!(erlang_c(0, 0.5), None);
    }

    #[test]
    fn one_server_erlang_c_is_the_utilisation() {
        for rho in [0.1, 0.5, 0.9] {
            assert_close(erlang_c(1, rho), rho, 1e-12);
        }
    }

    #[test]
    fn mm1_at_80_percent_spends_five_service_times_in_the_system() {
        // λ = 8/s, μ = 10/s: 1 / (10 − 8) = 0.5 s = 5 × 100 ms.
        assert_close(mm1_sojourn_s(8.0, 10.0), 0.5, 1e-12);
        assert_eq!(mm1_sojourn_s(10.0, 10.0), None);
    }

    #[test]
    fn pollaczek_khinchine_halves_the_wait_for_constant_work() {
        // M/D/1 at ρ = 0.8, 100 ms: 0.8 · 0.1 · 1 / 0.4 = 200 ms; M/M/1: 400 ms.
        assert_close(mg1_wait_s(8.0, 0.1, 0.0), 0.2, 1e-12);
        assert_close(mg1_wait_s(8.0, 0.1, 1.0), 0.4, 1e-12);
        assert_eq!(mg1_wait_s(10.0, 0.1, 1.0), None);
    }

    #[test]
    fn mm1_wait_equals_mmc_wait_with_one_server() {
        let w = mmc_wait_s(1, 8.0, 10.0).expect("stable");
        assert!(close(w, mg1_wait_s(8.0, 0.1, 1.0).expect("stable"), 1e-12));
    }

    #[test]
    fn en_m1_with_one_server_is_m_m_1() {
        for rho in [0.3, 0.7, 0.95] {
            assert_close(en_m1_sigma(1, rho), rho, 1e-9);
        }
    }

    #[test]
    fn en_m1_sigma_solves_its_equation_and_falls_with_more_servers() {
        let mut last = 1.0;
        for n in [1, 2, 3, 5, 10] {
            let s = en_m1_sigma(n, 0.9).expect("stable");
            let nr = f64::from(n) * 0.9;
            let rhs = libm::pow(nr / (nr + 1.0 - s), f64::from(n));
            assert!(close(s, rhs, 1e-12), "n={n}: {s} vs {rhs}");
            assert!(s < last, "n={n}: {s} not below {last}");
            last = s;
        }
    }

    #[test]
    fn en_m1_sigma_converges_near_full_load_too() {
        for rho in [0.99, 0.999, 0.9995] {
            let s = en_m1_sigma(20, rho).expect("stable");
            let nr = 20.0 * rho;
            let rhs = libm::pow(nr / (nr + 1.0 - s), 20.0);
            assert!(s < 1.0 && close(s, rhs, 1e-12), "ρ={rho}: {s} vs {rhs}");
        }
    }

    #[test]
    fn round_robin_over_ten_servers_at_90_percent_about_halves_the_wait() {
        // E_10/M/1 against M/M/1 at ρ = 0.9, 100 ms work: M/M/1 waits 900 ms,
        // each round-robin server 466 ms (the gaps are regular, not bursty).
        let wait = round_robin_sojourn_s(10, 90.0, 10.0).expect("stable") - 0.1;
        assert!(close(wait, 0.466_028, 1e-5), "E10/M/1 wait {wait} s");
        let two = round_robin_sojourn_s(2, 18.0, 10.0).expect("stable") - 0.1;
        assert!(close(two, 0.658_828, 1e-5), "E2/M/1 wait {two} s");
    }

    #[test]
    fn two_choices_at_90_percent_spend_about_2_6_service_times_in_system() {
        // Mitzenmacher's table: T_2(0.9) ≈ 2.6, against 10 for one choice.
        let t = supermarket_sojourn(2, 0.9).expect("stable");
        assert!(close(t, 2.614_057, 1e-6), "{t}");
        assert!(close(
            supermarket_sojourn(1, 0.9).expect("stable"),
            10.0,
            1e-12
        ));
    }

    #[test]
    fn the_tail_of_two_choices_falls_doubly_exponentially() {
        // ρ = 0.9: the share of queues with k or more is 0.9^(2^k − 1).
        let s = |k| supermarket_tail(2, 0.9, k).expect("stable");
        assert!(close(s(1), 0.9, 1e-12));
        assert!(close(s(3), libm::pow(0.9, 7.0), 1e-12));
        assert!(s(6) < 1e-2 && s(7) < 1e-5);
        assert!(close(
            supermarket_tail(1, 0.9, 3).expect("stable"),
            0.729,
            1e-12
        ));
    }
}
