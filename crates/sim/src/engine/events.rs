//! The future event list: a binary heap ordered by time, ties broken by the
//! order in which events were scheduled, so runs are reproducible.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// Something scheduled to happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// A worker slot of a server finishes its request.
    Done {
        server: u32,
        slot: u32,
        generation: u32,
    },
    /// Fault number `.0` of the scenario starts.
    FaultStart(u32),
    /// Fault number `.0` of the scenario ends.
    FaultEnd(u32),
}

#[derive(Clone, Copy, Debug)]
struct Scheduled {
    t: f64,
    seq: u64,
    event: Event,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Scheduled {}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> Ordering {
        self.t.total_cmp(&other.t).then(self.seq.cmp(&other.seq))
    }
}

/// Events in time order; equal times come out first-scheduled first.
#[derive(Debug, Default)]
pub(crate) struct EventQueue {
    heap: BinaryHeap<Reverse<Scheduled>>,
    seq: u64,
}

impl EventQueue {
    pub(crate) fn schedule(&mut self, t: f64, event: Event) {
        self.seq += 1;
        self.heap.push(Reverse(Scheduled {
            t,
            seq: self.seq,
            event,
        }));
    }

    pub(crate) fn next_time(&self) -> Option<f64> {
        self.heap.peek().map(|e| e.0.t)
    }

    pub(crate) fn pop(&mut self) -> Option<(f64, Event)> {
        self.heap.pop().map(|e| (e.0.t, e.0.event))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_come_out_by_time_then_by_scheduling_order() {
        let mut q = EventQueue::default();
        q.schedule(2.0, Event::FaultStart(0));
        q.schedule(1.0, Event::FaultStart(1));
        q.schedule(2.0, Event::FaultStart(2));
        q.schedule(1.0, Event::FaultStart(3));
        let order: Vec<Event> = std::iter::from_fn(|| q.pop().map(|e| e.1)).collect();
        assert_eq!(order, [1, 3, 0, 2].map(Event::FaultStart).to_vec());
    }
}
