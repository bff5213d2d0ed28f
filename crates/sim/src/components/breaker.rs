//! A circuit breaker's state machine (see `scenario::Breaker` for the
//! rules): pure, driven by the client with the time of each call and
//! outcome, so scripted sequences test it exactly.
//!
//! Each granted call carries a [`Ticket`] naming the state it was let
//! through in; an outcome whose ticket is from an earlier state (a call
//! that was in flight when the breaker opened) is not counted.

use std::collections::VecDeque;

use crate::scenario::{Breaker as Spec, BreakerWindow as Window};

/// A breaker's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    /// Calls go through and are counted.
    Closed,
    /// Calls fail fast (or get the fallback).
    Open,
    /// A few trial calls go through; the rest fail fast.
    HalfOpen,
}

/// Permission for one call, from [`Breaker::try_call`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ticket {
    /// The state's number: states are numbered as they are entered.
    epoch: u32,
}

/// Totals of one breaker.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct BreakerStats {
    /// Times it opened.
    pub(crate) opened: u64,
    /// Calls refused while open or half-open with no trial left.
    pub(crate) short_circuited: u64,
    /// Trial calls let through while half-open.
    pub(crate) half_open_trials: u64,
    /// Seconds spent open (closed off at the end of a run by `finish`).
    pub(crate) open_s: f64,
}

/// Most state changes kept per breaker for the timeline.
const MAX_CHANGES: usize = 4096;

/// One circuit breaker.
#[derive(Clone, Debug)]
pub(crate) struct Breaker {
    spec: Spec,
    state: BreakerState,
    epoch: u32,
    /// When the current state began, seconds.
    since: f64,
    /// Closed: the calls in the window, `(ended at, failed, slow)`.
    window: VecDeque<(f64, bool, bool)>,
    failed: u32,
    slow: u32,
    /// Half-open: trial calls let through, ended, failed, slow.
    trials: [u32; 4],
    pub(crate) stats: BreakerStats,
    /// Every state change, `(time, new state)`, up to [`MAX_CHANGES`].
    pub(crate) changes: Vec<(f64, BreakerState)>,
}

impl Breaker {
    /// A closed breaker at time `now`.
    pub(crate) fn new(spec: &Spec, now: f64) -> Self {
        Breaker {
            spec: spec.clone(),
            state: BreakerState::Closed,
            epoch: 0,
            since: now,
            window: VecDeque::new(),
            failed: 0,
            slow: 0,
            trials: [0; 4],
            stats: BreakerStats::default(),
            changes: Vec::new(),
        }
    }

    /// The state at `now`: an open breaker whose `open_ms` has passed is
    /// half-open from exactly then.
    pub(crate) fn state(&mut self, now: f64) -> BreakerState {
        if self.state == BreakerState::Open {
            let until = self.since + self.spec.open_ms / 1e3;
            if now >= until {
                self.stats.open_s += until - self.since;
                self.enter(BreakerState::HalfOpen, until);
            }
        }
        self.state
    }

    fn enter(&mut self, state: BreakerState, at: f64) {
        self.state = state;
        self.since = at;
        self.epoch = self.epoch.wrapping_add(1);
        self.window.clear();
        self.failed = 0;
        self.slow = 0;
        self.trials = [0; 4];
        if state == BreakerState::Open {
            self.stats.opened += 1;
        }
        if self.changes.len() < MAX_CHANGES {
            self.changes.push((at, state));
        }
    }

    /// Asks to send a call at `now`: a ticket, or `None` when the breaker
    /// refuses it (counted as short-circuited).
    pub(crate) fn try_call(&mut self, now: f64) -> Option<Ticket> {
        let granted = match self.state(now) {
            BreakerState::Closed => true,
            BreakerState::Open => false,
            BreakerState::HalfOpen => {
                let room = self.trials[0] < self.spec.half_open_calls;
                if room {
                    self.trials[0] += 1;
                    self.stats.half_open_trials += 1;
                }
                room
            }
        };
        if granted {
            Some(Ticket { epoch: self.epoch })
        } else {
            self.stats.short_circuited += 1;
            None
        }
    }

    /// The call of `ticket` ended at `now`, failed or not, after
    /// `duration_s` seconds.
    pub(crate) fn record(&mut self, ticket: Ticket, now: f64, failed: bool, duration_s: f64) {
        let state = self.state(now);
        if ticket.epoch != self.epoch {
            return; // let through in an earlier state
        }
        let slow = self
            .spec
            .slow_call_ms
            .is_some_and(|ms| duration_s * 1e3 >= ms);
        match state {
            BreakerState::Closed => {
                self.window.push_back((now, failed, slow));
                self.failed += u32::from(failed);
                self.slow += u32::from(slow);
                self.expire(now);
                let n = self.window.len() as u32;
                let need = match self.spec.window {
                    Window::Count => self.spec.min_calls.min(self.spec.window_size as u32),
                    Window::Time => self.spec.min_calls,
                };
                if n >= need.max(1) && self.over(self.failed, self.slow, n) {
                    self.enter(BreakerState::Open, now);
                }
            }
            BreakerState::HalfOpen => {
                self.trials[1] += 1;
                self.trials[2] += u32::from(failed);
                self.trials[3] += u32::from(slow);
                if self.trials[1] >= self.spec.half_open_calls {
                    let (n, f, s) = (self.trials[1], self.trials[2], self.trials[3]);
                    let next = if self.over(f, s, n) {
                        BreakerState::Open
                    } else {
                        BreakerState::Closed
                    };
                    self.enter(next, now);
                }
            }
            BreakerState::Open => {}
        }
    }

    /// Drops calls that left the window: the oldest beyond `window_size`
    /// calls, or those that ended `window_size` seconds or more ago.
    fn expire(&mut self, now: f64) {
        let size = self.spec.window_size;
        while let Some(&(t, f, s)) = self.window.front() {
            let out = match self.spec.window {
                Window::Count => self.window.len() as f64 > size,
                Window::Time => t <= now - size,
            };
            if !out {
                break;
            }
            self.window.pop_front();
            self.failed -= u32::from(f);
            self.slow -= u32::from(s);
        }
    }

    /// Whether `failed` or `slow` of `n` calls reach a threshold.
    fn over(&self, failed: u32, slow: u32, n: u32) -> bool {
        let rate = |k: u32| f64::from(k) * 100.0 / f64::from(n.max(1));
        rate(failed) >= self.spec.failure_rate
            || (self.spec.slow_call_ms.is_some() && rate(slow) >= self.spec.slow_call_rate)
    }

    /// Closes the books at the end of a run: time open so far counts.
    pub(crate) fn finish(&mut self, end: f64) {
        if self.state(end) == BreakerState::Open {
            self.stats.open_s += (end - self.since).max(0.0);
            self.since = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        Spec {
            window_size: 100.0,
            min_calls: 100,
            failure_rate: 50.0,
            open_ms: 1000.0,
            half_open_calls: 3,
            ..Spec::default()
        }
    }

    /// Sends a call at `t` that ends at once, failed or not.
    fn call(b: &mut Breaker, t: f64, failed: bool) -> bool {
        match b.try_call(t) {
            Some(ticket) => {
                b.record(ticket, t, failed, 0.0);
                true
            }
            None => false,
        }
    }

    #[test]
    fn ninety_nine_failures_keep_it_closed_and_the_hundredth_call_opens_it() {
        let mut b = Breaker::new(&spec(), 0.0);
        for i in 0..99 {
            assert!(call(&mut b, f64::from(i) * 0.01, true));
            assert_eq!(
                b.state(f64::from(i) * 0.01),
                BreakerState::Closed,
                "call {i}"
            );
        }
        // The 100th call succeeds, but 99 of 100 failed: open.
        assert!(call(&mut b, 1.0, false));
        assert_eq!(b.state(1.0), BreakerState::Open);
        assert_eq!(b.changes, vec![(1.0, BreakerState::Open)]);
        assert_eq!(b.stats.opened, 1);
    }

    #[test]
    fn fifty_failures_of_a_hundred_open_it_and_forty_nine_do_not() {
        for (failures, state) in [(49, BreakerState::Closed), (50, BreakerState::Open)] {
            let mut b = Breaker::new(&spec(), 0.0);
            for i in 0..100 {
                call(&mut b, 0.0, i < failures);
            }
            assert_eq!(b.state(0.0), state, "{failures} failures");
        }
    }

    #[test]
    fn it_stays_open_for_exactly_open_ms_then_admits_exactly_the_trial_calls() {
        let mut b = Breaker::new(&spec(), 0.0);
        for _ in 0..100 {
            call(&mut b, 2.0, true);
        }
        assert_eq!(b.state(2.0), BreakerState::Open);
        assert!(!call(&mut b, 2.999_999, false), "still open");
        assert_eq!(b.stats.short_circuited, 1);
        assert_eq!(b.state(3.0), BreakerState::HalfOpen, "open for exactly 1 s");
        assert_eq!(b.stats.open_s, 1.0);
        // Three trials go through; a fourth call meanwhile is refused.
        let tickets: Vec<Ticket> = (0..3).map(|_| b.try_call(3.1).expect("a trial")).collect();
        assert!(b.try_call(3.1).is_none());
        assert_eq!(b.stats.half_open_trials, 3);
        // Two of three fail: 67% ≥ 50%, reopen when the last trial ends.
        b.record(tickets[0], 3.2, true, 0.1);
        b.record(tickets[1], 3.2, false, 0.1);
        assert_eq!(b.state(3.2), BreakerState::HalfOpen);
        b.record(tickets[2], 3.3, true, 0.2);
        assert_eq!(b.state(3.3), BreakerState::Open);
        // Next time the trials succeed: closed, with an empty window.
        assert_eq!(b.state(4.3), BreakerState::HalfOpen);
        for _ in 0..3 {
            assert!(call(&mut b, 4.4, false));
        }
        assert_eq!(b.state(4.4), BreakerState::Closed);
        assert_eq!(
            b.changes,
            vec![
                (2.0, BreakerState::Open),
                (3.0, BreakerState::HalfOpen),
                (3.3, BreakerState::Open),
                (4.3, BreakerState::HalfOpen),
                (4.4, BreakerState::Closed),
            ]
        );
        assert_eq!(b.stats.opened, 2);
        assert!((b.stats.open_s - 2.0).abs() < 1e-12);
    }

    #[test]
    fn a_call_let_through_before_the_breaker_opened_does_not_count_after() {
        let mut b = Breaker::new(&spec(), 0.0);
        let early = b.try_call(0.0).expect("closed");
        for _ in 0..100 {
            call(&mut b, 0.5, true);
        }
        assert_eq!(b.state(0.5), BreakerState::Open);
        assert_eq!(b.state(1.5), BreakerState::HalfOpen);
        let trial = b.try_call(1.5).expect("a trial");
        b.record(early, 1.6, true, 1.6);
        assert_eq!(b.trials[1], 0, "the early call is not a trial");
        b.record(trial, 1.6, false, 0.1);
    }

    #[test]
    fn a_time_window_forgets_calls_that_ended_window_size_seconds_ago() {
        let s = Spec {
            window: Window::Time,
            window_size: 10.0,
            min_calls: 5,
            ..spec()
        };
        let mut b = Breaker::new(&s, 0.0);
        // Four failures at t = 0..4, then successes from t = 10 on: the
        // failures leave the window as the successes arrive.
        for t in 0..4 {
            call(&mut b, f64::from(t), true);
        }
        assert_eq!(b.state(4.0), BreakerState::Closed, "4 calls < min_calls");
        call(&mut b, 14.0, false);
        assert_eq!(b.window.len(), 1, "calls that ended at 0..4 expired by 14");
        assert_eq!(b.state(14.0), BreakerState::Closed);
        // Within 10 s: 3 failures and 2 successes of 5 → 60%: open.
        let mut b = Breaker::new(&s, 0.0);
        for (t, failed) in [
            (0.0, true),
            (1.0, false),
            (2.0, true),
            (3.0, false),
            (9.9, true),
        ] {
            call(&mut b, t, failed);
        }
        assert_eq!(b.state(9.9), BreakerState::Open);
    }

    #[test]
    fn slow_calls_open_it_only_when_counted() {
        let slow = Spec {
            slow_call_ms: Some(500.0),
            slow_call_rate: 80.0,
            min_calls: 10,
            window_size: 10.0,
            ..spec()
        };
        let mut counted = Breaker::new(&slow, 0.0);
        let mut ignored = Breaker::new(
            &Spec {
                slow_call_ms: None,
                ..slow.clone()
            },
            0.0,
        );
        for b in [&mut counted, &mut ignored] {
            for _ in 0..10 {
                let t = b.try_call(0.0).expect("closed");
                b.record(t, 1.0, false, 1.0);
            }
        }
        assert_eq!(counted.state(1.0), BreakerState::Open);
        assert_eq!(ignored.state(1.0), BreakerState::Closed);
    }

    proptest::proptest! {
        /// Over random calls and outcomes: an open breaker lets nothing
        /// through, a half-open one at most `half_open_calls` per stay, and
        /// every stay in the open state lasts exactly `open_ms`.
        #[test]
        fn an_open_breaker_lets_nothing_through(
            ops in proptest::collection::vec((0u32..400, proptest::bool::ANY, 0u8..3, 0u32..800), 1..400),
            count_window in proptest::bool::ANY,
        ) {
            let spec = Spec {
                window: if count_window { Window::Count } else { Window::Time },
                window_size: if count_window { 8.0 } else { 2.0 },
                min_calls: 4,
                failure_rate: 50.0,
                slow_call_ms: Some(300.0),
                slow_call_rate: 60.0,
                open_ms: 700.0,
                half_open_calls: 2,
                ..Spec::default()
            };
            let mut b = Breaker::new(&spec, 0.0);
            let mut t = 0.0;
            let mut pending: Vec<Ticket> = Vec::new();
            let mut trials = (0u32, 0usize);
            for (dt_ms, failed, op, took_ms) in ops {
                t += f64::from(dt_ms) / 1e3;
                if op == 0 || pending.is_empty() {
                    let before = b.state(t);
                    let got = b.try_call(t);
                    match before {
                        BreakerState::Open => proptest::prop_assert!(got.is_none()),
                        BreakerState::Closed => proptest::prop_assert!(got.is_some()),
                        BreakerState::HalfOpen => {
                            if trials.1 != b.changes.len() {
                                trials = (0, b.changes.len());
                            }
                            trials.0 += u32::from(got.is_some());
                            proptest::prop_assert!(trials.0 <= spec.half_open_calls);
                        }
                    }
                    pending.extend(got);
                } else {
                    // Outcomes come back in any order, fast or slow.
                    let ticket = pending.remove(usize::from(op) % pending.len());
                    b.record(ticket, t, failed, f64::from(took_ms) / 1e3);
                }
            }
            for w in b.changes.windows(2) {
                if w[0].1 == BreakerState::Open {
                    proptest::prop_assert_eq!(w[1].1, BreakerState::HalfOpen);
                    proptest::prop_assert!((w[1].0 - w[0].0 - 0.7).abs() < 1e-9);
                }
            }
        }
    }
}
