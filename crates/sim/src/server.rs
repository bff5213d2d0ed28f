//! A server: `workers` requests in service at once, a FIFO queue in front of
//! them, a speed, and the faults that slow it down or take it down.

use std::collections::VecDeque;

use crate::components::ReplyTo;
use crate::dist::Sampler;
use crate::metrics::overlap;

/// A request travelling through the system.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Request {
    /// Arrival time at the balancer, engine seconds.
    pub(crate) arrive: f64,
    /// Work in seconds at speed 1, drawn from the request's private seed
    /// (so the same whichever server of its group serves it).
    pub(crate) work: f64,
    /// The request's private seed (for the calls it makes downstream).
    pub(crate) seed: u64,
    /// Its key (`[keys]`), passed on to the calls it makes downstream.
    pub(crate) key: u32,
    /// Who gets the outcome.
    pub(crate) reply_to: ReplyTo,
}

/// What a server did with a request it was handed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Admission {
    /// Service starts now in this worker slot.
    Started(u32),
    /// The request waits in the queue.
    Queued,
    /// The queue is full; the request is rejected.
    Rejected,
}

/// One server's state and its running statistics.
#[derive(Debug)]
pub(crate) struct Server {
    pub(crate) group: usize,
    pub(crate) index: u32,
    pub(crate) speed: f64,
    /// Concurrency slowdown: work grows by this share per other request in
    /// service when it starts.
    pub(crate) slowdown_per_active: f64,
    /// The work of a request at speed 1, in seconds (its group's).
    pub(crate) work: Sampler,
    capacity: Option<u32>,
    pub(crate) queue: VecDeque<Request>,
    /// Requests in service by worker slot, with their start time.
    pub(crate) slots: Vec<Option<Request>>,
    free: Vec<u32>,
    /// Bumped when the server goes down, so completions already scheduled
    /// for it are recognised as stale.
    pub(crate) generation: u32,
    downs: u32,
    slow_factors: Vec<f64>,
    pub(crate) slowdown: f64,
    /// Error probabilities of the active `errors` faults, and the chance
    /// that an attempt fails under all of them.
    error_ps: Vec<f64>,
    pub(crate) error_p: f64,
    // Statistics over the measured window.
    last: f64,
    /// Integrals over the window of the queue length and of the busy
    /// workers, request-seconds.
    pub(crate) queue_area: f64,
    pub(crate) busy_area: f64,
    /// `queue_area` and `busy_area` when the current time bucket started.
    bucket_start: (f64, f64),
    pub(crate) max_queue: usize,
    pub(crate) completed: u64,
    // Peak EWMA of observed latency, seconds, and when it was last updated.
    pub(crate) ewma: f64,
    pub(crate) ewma_at: f64,
}

impl Server {
    pub(crate) fn new(
        group: usize,
        index: u32,
        workers: u32,
        speed: f64,
        capacity: Option<u32>,
        default_rtt: f64,
    ) -> Self {
        Server {
            group,
            index,
            speed,
            slowdown_per_active: 0.0,
            work: Sampler::Constant(0.0),
            capacity,
            queue: VecDeque::new(),
            slots: vec![None; workers as usize],
            free: (0..workers).rev().collect(),
            generation: 0,
            downs: 0,
            slow_factors: Vec::new(),
            slowdown: 1.0,
            error_ps: Vec::new(),
            error_p: 0.0,
            last: 0.0,
            queue_area: 0.0,
            busy_area: 0.0,
            bucket_start: (0.0, 0.0),
            max_queue: 0,
            completed: 0,
            ewma: default_rtt,
            ewma_at: 0.0,
        }
    }

    /// Requests in service.
    pub(crate) fn busy(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// Requests queued or in service: what the balancer sees.
    pub(crate) fn outstanding(&self) -> usize {
        self.queue.len() + self.busy()
    }

    pub(crate) fn is_down(&self) -> bool {
        self.downs > 0
    }

    /// Integrates queue length and busy workers up to `t`, counting only the
    /// part of the interval inside the measured window `[from, to]`.
    #[inline]
    pub(crate) fn advance(&mut self, t: f64, from: f64, to: f64) {
        let dt = overlap(self.last, t, from, to);
        if dt > 0.0 {
            // Through i64: one instruction, where usize to f64 takes several.
            self.queue_area += self.queue.len() as i64 as f64 * dt;
            self.busy_area += self.busy() as i64 as f64 * dt;
        }
        self.last = t;
    }

    /// The queue and busy areas since the last call (or the start), for
    /// the time bucket that ends now (after [`Server::advance`] to its end).
    pub(crate) fn take_bucket_areas(&mut self) -> (f64, f64) {
        let (queue, busy) = self.bucket_start;
        self.bucket_start = (self.queue_area, self.busy_area);
        (self.queue_area - queue, self.busy_area - busy)
    }

    /// Takes a request routed here (after [`Server::advance`] to now).
    #[inline]
    pub(crate) fn admit(&mut self, r: Request, measured: bool) -> Admission {
        if let Some(slot) = self.free.pop() {
            self.slots[slot as usize] = Some(r);
            return Admission::Started(slot);
        }
        if self
            .capacity
            .is_some_and(|c| self.queue.len() >= c as usize)
        {
            return Admission::Rejected;
        }
        self.queue.push_back(r);
        if measured {
            self.max_queue = self.max_queue.max(self.queue.len());
        }
        Admission::Queued
    }

    /// Empties `slot` and returns its request; call
    /// [`Server::next_into`] next.
    #[inline]
    pub(crate) fn take(&mut self, slot: u32) -> Option<Request> {
        self.slots.get_mut(slot as usize)?.take()
    }

    /// The next queued request, if any, takes the emptied `slot`: returns
    /// its arrival time and work; otherwise the slot becomes free.
    // Always inline: its one caller runs on every completion, and as a call
    // it cost a fifth more than its body.
    #[inline(always)]
    pub(crate) fn next_into(&mut self, slot: u32) -> Option<(f64, f64)> {
        match self.queue.pop_front() {
            Some(next) => {
                let start = (next.arrive, next.work);
                if let Some(s) = self.slots.get_mut(slot as usize) {
                    *s = Some(next);
                }
                Some(start)
            }
            None => {
                self.free.push(slot);
                None
            }
        }
    }

    /// Marks one more `down` fault active; when the server goes down, its
    /// queued and in-service requests are returned to be failed.
    pub(crate) fn go_down(&mut self) -> Vec<Request> {
        self.downs += 1;
        if self.downs > 1 {
            return Vec::new();
        }
        self.generation = self.generation.wrapping_add(1);
        let mut lost: Vec<Request> = self.slots.iter_mut().filter_map(Option::take).collect();
        lost.extend(self.queue.drain(..));
        self.free = (0..self.slots.len() as u32).rev().collect();
        lost
    }

    /// Ends one `down` fault.
    pub(crate) fn come_up(&mut self) {
        self.downs = self.downs.saturating_sub(1);
    }

    /// Starts or ends a slow fault of `factor`.
    pub(crate) fn set_slow(&mut self, factor: f64, active: bool) {
        if active {
            self.slow_factors.push(factor);
        } else if let Some(i) = self.slow_factors.iter().position(|&f| f == factor) {
            self.slow_factors.remove(i);
        }
        self.slowdown = self.slow_factors.iter().product();
    }

    /// Starts or ends an errors fault of probability `p`.
    pub(crate) fn set_errors(&mut self, p: f64, active: bool) {
        if active {
            self.error_ps.push(p);
        } else if let Some(i) = self.error_ps.iter().position(|&q| q == p) {
            self.error_ps.remove(i);
        }
        self.error_p = 1.0 - self.error_ps.iter().map(|q| 1.0 - q).product::<f64>();
    }

    /// Folds one observed latency (seconds) into the peak EWMA: a sample
    /// above the average replaces it at once (the peak); below it, the
    /// average moves toward it with weight decaying over `decay` seconds.
    pub(crate) fn observe_latency(&mut self, now: f64, rtt: f64, decay: f64) {
        self.ewma = self.decayed_ewma(now, rtt, decay);
        self.ewma_at = now;
    }

    /// The EWMA at `now` as if `rtt` were observed; with `rtt = 0` this is
    /// the cost estimate decayed toward zero while no response arrives.
    pub(crate) fn decayed_ewma(&self, now: f64, rtt: f64, decay: f64) -> f64 {
        if rtt > self.ewma {
            return rtt;
        }
        let w = libm::exp(-(now - self.ewma_at).max(0.0) / decay);
        self.ewma * w + rtt * (1.0 - w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(t: f64) -> Request {
        Request {
            arrive: t,
            work: 0.0,
            seed: 0,
            key: 0,
            reply_to: ReplyTo::NOBODY,
        }
    }

    #[test]
    fn a_full_server_queues_then_rejects_beyond_capacity() {
        let mut s = Server::new(0, 0, 2, 1.0, Some(1), 0.1);
        assert!(matches!(s.admit(req(0.0), true), Admission::Started(_)));
        assert!(matches!(s.admit(req(0.0), true), Admission::Started(_)));
        assert_eq!(s.admit(req(0.0), true), Admission::Queued);
        assert_eq!(s.admit(req(0.0), true), Admission::Rejected);
        assert_eq!(s.outstanding(), 3);
    }

    #[test]
    fn finishing_hands_the_slot_to_the_head_of_the_queue() {
        let mut s = Server::new(0, 0, 1, 1.0, None, 0.1);
        let Admission::Started(slot) = s.admit(req(1.0), true) else {
            panic!("idle server")
        };
        s.admit(req(2.0), true);
        s.admit(req(3.0), true);
        let done = s.take(slot);
        let next = s.next_into(slot);
        assert_eq!(done.map(|r| r.arrive), Some(1.0));
        assert_eq!(next.map(|r| r.0), Some(2.0));
        assert_eq!((s.busy(), s.queue.len()), (1, 1));
    }

    #[test]
    fn going_down_loses_everything_and_invalidates_completions() {
        let mut s = Server::new(0, 0, 2, 1.0, None, 0.1);
        for t in 0..5 {
            s.admit(req(f64::from(t)), true);
        }
        let g = s.generation;
        assert_eq!(s.go_down().len(), 5);
        assert_ne!(s.generation, g);
        assert_eq!(s.outstanding(), 0);
        assert!(s.is_down());
        s.come_up();
        assert!(!s.is_down());
    }

    #[test]
    fn areas_count_only_the_measured_window() {
        let mut s = Server::new(0, 0, 1, 1.0, None, 0.1);
        s.admit(req(0.0), true); // busy from t = 0
        s.advance(0.0, 10.0, 20.0);
        s.advance(15.0, 10.0, 20.0);
        assert_eq!(s.busy_area, 5.0);
        s.advance(30.0, 10.0, 20.0);
        assert_eq!(s.busy_area, 10.0);
    }

    #[test]
    fn peak_ewma_jumps_to_peaks_and_decays_toward_lower_samples() {
        let mut s = Server::new(0, 0, 1, 1.0, None, 0.1);
        s.observe_latency(1.0, 0.5, 10.0);
        assert_eq!(s.ewma, 0.5);
        s.observe_latency(11.0, 0.1, 10.0);
        let expected = 0.5 * libm::exp(-1.0) + 0.1 * (1.0 - libm::exp(-1.0));
        assert!((s.ewma - expected).abs() < 1e-15);
    }
}
