//! Backoff waits and the retry budget, exactly as the scenario documents
//! them (Marc Brooker, "Exponential Backoff And Jitter", AWS Architecture
//! Blog, 2015). Pure functions of their inputs and a uniform stream.

use crate::rng::Uniform;
use crate::scenario::{Backoff, BackoffKind, Budget, Jitter};

/// A backoff policy in seconds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BackoffPolicy {
    kind: BackoffKind,
    jitter: Jitter,
    base: f64,
    cap: f64,
}

impl BackoffPolicy {
    pub(crate) fn new(b: &Backoff) -> Self {
        BackoffPolicy {
            kind: b.kind,
            jitter: b.jitter,
            base: b.base_ms / 1e3,
            cap: b.cap_ms / 1e3,
        }
    }

    /// `expo(n) = min(cap, base · 2ⁿ)` for exponential backoff, `base` for
    /// constant, 0 for none; seconds.
    pub(crate) fn expo(&self, n: u32) -> f64 {
        match self.kind {
            BackoffKind::None => 0.0,
            BackoffKind::Constant => self.base.min(self.cap),
            BackoffKind::Exponential => {
                // 2^n overflows nothing: n is at most 100 and f64 holds 2^1023.
                (self.base * libm::exp2(f64::from(n.min(1000)))).min(self.cap)
            }
        }
    }

    /// The wait before retry `n` (the first retry is 0) in seconds;
    /// `previous` is the previous wait (for decorrelated jitter; `base` before
    /// the first retry). Draws one uniform unless the wait is fixed.
    pub(crate) fn wait(&self, n: u32, previous: f64, rng: &mut impl Uniform) -> f64 {
        if self.kind == BackoffKind::None {
            return 0.0;
        }
        let e = self.expo(n);
        match self.jitter {
            Jitter::None => e,
            Jitter::Full => e * rng.uniform(),
            Jitter::Equal => e / 2.0 + e / 2.0 * rng.uniform(),
            Jitter::Decorrelated => {
                let hi = 3.0 * previous.max(self.base);
                (self.base + (hi - self.base) * rng.uniform()).min(self.cap)
            }
        }
    }

    /// The "previous wait" before the first retry.
    pub(crate) fn initial_previous(&self) -> f64 {
        self.base
    }
}

/// A retry budget: a token bucket that each first attempt fills by `ratio`
/// (up to `capacity`; it starts full) and each retry empties by one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TokenBucket {
    ratio: f64,
    capacity: f64,
    tokens: f64,
}

impl TokenBucket {
    pub(crate) fn new(b: &Budget) -> Self {
        TokenBucket {
            ratio: b.ratio,
            capacity: b.capacity,
            tokens: b.capacity,
        }
    }

    /// A first attempt is sent: earn `ratio` tokens.
    pub(crate) fn earn(&mut self) {
        self.tokens = (self.tokens + self.ratio).min(self.capacity);
    }

    /// Whether a retry may be sent; if so, it spends a token.
    pub(crate) fn try_spend(&mut self) -> bool {
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed(f64);
    impl Uniform for Fixed {
        fn uniform(&mut self) -> f64 {
            self.0
        }
    }

    fn policy(kind: BackoffKind, jitter: Jitter) -> BackoffPolicy {
        BackoffPolicy::new(&Backoff {
            kind,
            base_ms: 100.0,
            cap_ms: 1000.0,
            jitter,
        })
    }

    #[test]
    fn exponential_backoff_doubles_from_base_up_to_the_cap() {
        let p = policy(BackoffKind::Exponential, Jitter::None);
        let waits: Vec<f64> = (0..6).map(|n| p.wait(n, 0.0, &mut Fixed(0.5))).collect();
        assert_eq!(waits, vec![0.1, 0.2, 0.4, 0.8, 1.0, 1.0]);
    }

    #[test]
    fn full_equal_and_decorrelated_jitter_follow_their_definitions() {
        let full = policy(BackoffKind::Exponential, Jitter::Full);
        assert_eq!(full.wait(2, 0.0, &mut Fixed(0.25)), 0.4 * 0.25);
        let equal = policy(BackoffKind::Exponential, Jitter::Equal);
        assert_eq!(equal.wait(2, 0.0, &mut Fixed(0.25)), 0.2 + 0.2 * 0.25);
        let dec = policy(BackoffKind::Exponential, Jitter::Decorrelated);
        // U(base, 3 · previous) = 0.1 + (0.6 - 0.1) · 0.5
        assert!((dec.wait(0, 0.2, &mut Fixed(0.5)) - 0.35).abs() < 1e-15);
        // Capped at 1 s.
        assert_eq!(dec.wait(0, 10.0, &mut Fixed(0.9)), 1.0);
    }

    #[test]
    fn constant_and_no_backoff_ignore_the_retry_number() {
        let c = policy(BackoffKind::Constant, Jitter::None);
        assert_eq!(
            (
                c.wait(0, 0.0, &mut Fixed(0.3)),
                c.wait(7, 0.0, &mut Fixed(0.3))
            ),
            (0.1, 0.1)
        );
        let none = policy(BackoffKind::None, Jitter::Full);
        assert_eq!(none.wait(3, 0.0, &mut Fixed(0.3)), 0.0);
    }

    #[test]
    fn a_token_bucket_admits_exactly_what_it_has_earned() {
        let mut b = TokenBucket::new(&Budget {
            enabled: true,
            ratio: 0.5,
            capacity: 2.0,
        });
        // Starts full: two retries, then none.
        assert_eq!(
            [b.try_spend(), b.try_spend(), b.try_spend()],
            [true, true, false]
        );
        b.earn(); // 0.5
        assert!(!b.try_spend());
        b.earn(); // 1.0
        assert!(b.try_spend());
        for _ in 0..10 {
            b.earn(); // capped at 2
        }
        assert_eq!(
            [b.try_spend(), b.try_spend(), b.try_spend()],
            [true, true, false]
        );
    }
}
