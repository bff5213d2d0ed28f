//! Adaptive client throttling (Google SRE book, "Handling Overload"): a
//! client that sees its backend refuse work rejects some requests itself,
//! with probability `max(0, (requests − k · accepts) / (requests + 1))` over
//! a sliding window.

/// Slices the window is kept in: counts older than `window_s` drop out one
/// slice (`window_s / SLICES` seconds) at a time.
const SLICES: usize = 64;

/// Counts of requests and accepts over a sliding window.
#[derive(Clone, Debug)]
pub(crate) struct ThrottleWindow {
    k: f64,
    slice_s: f64,
    /// Per slice: requests and accepts; the slice of time `t` is
    /// `floor(t / slice_s) % SLICES`.
    slices: [(u32, u32); SLICES],
    /// Absolute index of the newest slice in use.
    current: u64,
    requests: u64,
    accepts: u64,
}

impl ThrottleWindow {
    /// A window of `window_s` seconds with multiplier `k`.
    pub(crate) fn new(k: f64, window_s: f64) -> Self {
        ThrottleWindow {
            k,
            slice_s: window_s / SLICES as f64,
            slices: [(0, 0); SLICES],
            current: 0,
            requests: 0,
            accepts: 0,
        }
    }

    /// Moves the window to `now`, dropping slices that fell out of it.
    fn advance(&mut self, now: f64) {
        let slice = (now / self.slice_s) as u64;
        if slice <= self.current {
            return;
        }
        let stale = (slice - self.current).min(SLICES as u64);
        for k in 1..=stale {
            let i = ((self.current + k) % SLICES as u64) as usize;
            let (r, a) = self.slices[i];
            self.requests -= u64::from(r);
            self.accepts -= u64::from(a);
            self.slices[i] = (0, 0);
        }
        self.current = slice;
    }

    /// The probability of rejecting a request now.
    pub(crate) fn reject_probability(&mut self, now: f64) -> f64 {
        self.advance(now);
        let (r, a) = (self.requests as f64, self.accepts as f64);
        ((r - self.k * a) / (r + 1.0)).max(0.0)
    }

    /// Counts a request (sent or rejected locally) at `now`.
    pub(crate) fn request(&mut self, now: f64) {
        self.advance(now);
        self.requests += 1;
        self.slices[(self.current % SLICES as u64) as usize].0 += 1;
    }

    /// Counts an accept (the backend served a request) at `now`.
    pub(crate) fn accept(&mut self, now: f64) {
        self.advance(now);
        self.accepts += 1;
        self.slices[(self.current % SLICES as u64) as usize].1 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rejection_probability_follows_the_sre_book_formula() {
        let mut w = ThrottleWindow::new(2.0, 60.0);
        assert_eq!(w.reject_probability(0.0), 0.0);
        for _ in 0..100 {
            w.request(1.0);
        }
        for _ in 0..30 {
            w.accept(1.0);
        }
        // (100 - 2 · 30) / (100 + 1)
        assert_eq!(w.reject_probability(1.0), 40.0 / 101.0);
        for _ in 0..20 {
            w.accept(2.0);
        }
        // 2 · 50 accepts cover 100 requests: nothing is rejected.
        assert_eq!(w.reject_probability(2.0), 0.0);
    }

    #[test]
    fn counts_older_than_the_window_drop_out() {
        let mut w = ThrottleWindow::new(2.0, 10.0);
        for _ in 0..50 {
            w.request(0.5);
        }
        assert_eq!(w.reject_probability(9.0), 50.0 / 51.0);
        assert_eq!(w.reject_probability(10.6), 0.0);
        w.request(100.0);
        assert_eq!(w.reject_probability(100.0), 1.0 / 2.0);
    }
}
