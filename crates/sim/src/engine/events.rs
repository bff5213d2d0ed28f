//! The future event list: a binary heap ordered by time, ties broken by the
//! order in which events were scheduled, so runs are reproducible.
//!
//! An entry's order is one `u128`: the bits of its time above its sequence
//! number. For times `>= 0` the bits of an `f64` sort like its value, so
//! comparing keys is comparing `(time, sequence)` in one instruction pair.
//! Keys are unique, so the order events come out in does not depend on the
//! heap's shape.
//!
//! Popping leaves the entry in place, marked taken: when the handler of an
//! event schedules the next one (a worker starting its next request), that
//! entry overwrites the taken one with a single sift instead of a pop and a
//! push; asking for the next time removes the taken entry first (an
//! event put in a lane leaves it where it is).
//!
//! Events a node schedules a fixed delay ahead (a client's timeouts, a
//! pool's acquire timeouts, a cache's hit answers) come due in the order
//! they were scheduled, so each such node has a FIFO lane beside the heap
//! ([`EventQueue::schedule_fifo`]). The earliest event is the least key of
//! the heap's top and the lanes' heads: exactly the order one heap would
//! give (keys are unique), at the cost of a look at each lane's head (a
//! run has a handful of lanes). In a retry storm timeouts are most events,
//! and out of the heap they no longer deepen it.
//!
//! The heap is written here rather than `std`'s `BinaryHeap` because that
//! overwrite is the hottest path of a run: `PeekMut` must store the new root
//! and then its sift reads it straight back, a load the processor cannot
//! forward from the store (measured with `perf`: M/M/10 runs about 8% faster
//! with [`Heap::replace_min`]). The order is the same, since keys are unique;
//! a property test checks it against `std`'s heap.

use std::collections::VecDeque;

pub(crate) use crate::components::Event;
use crate::components::NodeId;

#[derive(Clone, Copy, Debug)]
struct Scheduled {
    /// `time.to_bits() << 64 | sequence`.
    key: u128,
    event: Event,
}

impl Scheduled {
    /// Time in engine seconds.
    fn t(&self) -> f64 {
        f64::from_bits((self.key >> 64) as u64)
    }
}

/// Events in time order; equal times come out first-scheduled first.
#[derive(Debug)]
pub(crate) struct EventQueue {
    heap: Heap,
    seq: u64,
    /// The earliest entry was popped but is still in the heap.
    taken: bool,
    /// FIFO lanes, each of one node's fixed-delay events, in key order.
    lanes: Vec<Lane>,
    /// Where the earliest event is, as [`EventQueue::next_time`] found it:
    /// [`HEAP`] or a lane's index.
    next_from: usize,
}

/// [`EventQueue::next_from`] when the earliest event is the heap's.
const HEAP: usize = usize::MAX;

impl Default for EventQueue {
    fn default() -> Self {
        EventQueue {
            heap: Heap::default(),
            seq: 0,
            taken: false,
            lanes: Vec::new(),
            next_from: HEAP,
        }
    }
}

/// One node's events that come due in the order they were scheduled.
#[derive(Debug)]
struct Lane {
    node: NodeId,
    entries: VecDeque<Scheduled>,
}

impl EventQueue {
    /// Schedules `event` at `t` engine seconds (`t >= 0`).
    #[inline(always)]
    pub(crate) fn schedule(&mut self, t: f64, event: Event) {
        let entry = self.entry(t, event);
        self.push_heap(entry);
    }

    /// Schedules `event` at `t` in the FIFO lane of `event.node`: for
    /// events a fixed delay ahead, whose times never decrease. One that
    /// would come before the lane's last goes to the heap instead, so the
    /// order is always exact.
    #[inline]
    pub(crate) fn schedule_fifo(&mut self, t: f64, event: Event) {
        let entry = self.entry(t, event);
        let i = match self.lanes.iter().position(|l| l.node == event.node) {
            Some(i) => i,
            None => {
                self.lanes.push(Lane {
                    node: event.node,
                    entries: VecDeque::new(),
                });
                self.lanes.len() - 1
            }
        };
        let lane = &mut self.lanes[i];
        if lane.entries.back().is_none_or(|last| last.key < entry.key) {
            lane.entries.push_back(entry);
        } else {
            self.push_heap(entry);
        }
    }

    /// The entry of `event` at `t` with the next sequence number.
    #[inline(always)]
    fn entry(&mut self, t: f64, event: Event) -> Scheduled {
        debug_assert!(t >= 0.0, "event time {t} before the start");
        self.seq += 1;
        // `+ 0.0` turns a -0.0 into +0.0, whose bits sort first.
        let bits = (t + 0.0).to_bits();
        let key = u128::from(bits) << 64 | u128::from(self.seq);
        Scheduled { key, event }
    }

    /// Puts `entry` in the heap, over the taken entry if there is one.
    #[inline(always)]
    fn push_heap(&mut self, entry: Scheduled) {
        if std::mem::take(&mut self.taken) {
            self.heap.replace_min(entry);
        } else {
            self.heap.push(entry);
        }
    }

    /// Removes the taken entry, if any.
    #[inline]
    fn settle(&mut self) {
        if std::mem::take(&mut self.taken) {
            self.heap.pop();
        }
    }

    /// Time of the earliest event, engine seconds.
    #[inline]
    pub(crate) fn next_time(&mut self) -> Option<f64> {
        self.settle();
        if self.lanes.is_empty() {
            return self.heap.peek().map(Scheduled::t);
        }
        self.earliest_with_lanes().map(Scheduled::t)
    }

    /// The earliest of the heap's top and the lanes' heads; notes where
    /// it is for [`EventQueue::take_next`].
    #[inline(never)]
    fn earliest_with_lanes(&mut self) -> Option<&Scheduled> {
        let mut best = self.heap.peek().map(|e| e.key);
        self.next_from = HEAP;
        for (i, lane) in self.lanes.iter().enumerate() {
            if let Some(head) = lane.entries.front()
                && best.is_none_or(|b| head.key < b)
            {
                best = Some(head.key);
                self.next_from = i;
            }
        }
        match self.next_from {
            HEAP => self.heap.peek(),
            i => self.lanes[i].entries.front(),
        }
    }

    /// Takes the earliest event and its time.
    #[cfg(test)]
    pub(crate) fn pop(&mut self) -> Option<(f64, Event)> {
        let t = self.next_time()?;
        Some((t, self.take_next()))
    }

    /// Takes the earliest event, whose time [`EventQueue::next_time`] just
    /// gave (so the queue is settled: the run loop checks it once per event,
    /// not twice).
    ///
    /// # Panics
    /// If `next_time` did not just give a time (the queue is empty).
    #[inline]
    pub(crate) fn take_next(&mut self) -> Event {
        debug_assert!(!self.taken, "take_next without next_time");
        if !self.lanes.is_empty() && self.next_from != HEAP {
            let i = std::mem::replace(&mut self.next_from, HEAP);
            if let Some(e) = self.lanes[i].entries.pop_front() {
                return e.event;
            }
        }
        // Not `Option`: an `Option<Event>` keeps its tag in the signal's,
        // and copying one apart from the other stalled every event.
        debug_assert!(!self.heap.data.is_empty(), "take_next on an empty queue");
        let top = self.heap.data[0];
        self.taken = true;
        top.event
    }
}

/// A binary min-heap of entries by key. Unlike `std`'s, it sifts an entry
/// held by value and writes it once where it belongs: `std`'s `PeekMut`
/// writes the new root and then reads it straight back, which stalls the
/// processor on every completion (the store cannot be forwarded to the
/// wider load).
#[derive(Debug, Default)]
struct Heap {
    data: Vec<Scheduled>,
}

impl Heap {
    #[cfg(test)]
    fn len(&self) -> usize {
        self.data.len()
    }

    #[inline]
    fn peek(&self) -> Option<&Scheduled> {
        self.data.first()
    }

    #[inline]
    fn push(&mut self, entry: Scheduled) {
        let pos = self.data.len();
        self.data.push(entry);
        self.climb(pos, entry);
    }

    /// Replaces the earliest entry with `entry` (the heap is not empty).
    #[inline]
    fn replace_min(&mut self, entry: Scheduled) {
        debug_assert!(!self.data.is_empty(), "replace_min on an empty heap");
        let data = self.data.as_mut_slice();
        let n = data.len();
        let mut pos = 0;
        let mut child = 1;
        // While both children exist: the earlier one, without a branch.
        while child + 1 < n {
            child += usize::from(data[child + 1].key < data[child].key);
            if entry.key <= data[child].key {
                data[pos] = entry;
                return;
            }
            data[pos] = data[child];
            pos = child;
            child = 2 * pos + 1;
        }
        if child + 1 == n && data[child].key < entry.key {
            data[pos] = data[child];
            pos = child;
        }
        data[pos] = entry;
    }

    /// Removes the earliest entry. The last entry takes its place; it
    /// probably belongs near the bottom, so the hole first goes down to a
    /// leaf by the earlier child (one comparison a level), then the entry
    /// climbs back up.
    #[inline]
    fn pop(&mut self) {
        let Some(last) = self.data.pop() else { return };
        let data = self.data.as_mut_slice();
        let n = data.len();
        if n == 0 {
            return;
        }
        let mut pos = 0;
        let mut child = 1;
        while child + 1 < n {
            child += usize::from(data[child + 1].key < data[child].key);
            data[pos] = data[child];
            pos = child;
            child = 2 * pos + 1;
        }
        if child + 1 == n {
            data[pos] = data[child];
            pos = child;
        }
        self.climb(pos, last);
    }

    /// Moves `entry`, meant for the hole at `pos`, up past later parents.
    #[inline]
    fn climb(&mut self, mut pos: usize, entry: Scheduled) {
        let data = self.data.as_mut_slice();
        while pos > 0 {
            let parent = (pos - 1) / 2;
            if data[parent].key <= entry.key {
                break;
            }
            data[pos] = data[parent];
            pos = parent;
        }
        data[pos] = entry;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::Signal;

    /// An event told apart by its number.
    fn fault(i: u32) -> Event {
        Event {
            node: 0,
            signal: Signal::FaultStart(i),
        }
    }

    #[test]
    fn events_come_out_by_time_then_by_scheduling_order() {
        let mut q = EventQueue::default();
        q.schedule(2.0, fault(0));
        q.schedule(1.0, fault(1));
        q.schedule(2.0, fault(2));
        q.schedule(1.0, fault(3));
        let order: Vec<Event> = std::iter::from_fn(|| q.pop().map(|e| e.1)).collect();
        assert_eq!(order, [1, 3, 0, 2].map(fault).to_vec());
    }

    #[test]
    fn keys_order_like_times_across_magnitudes() {
        let mut q = EventQueue::default();
        let times = [1e9, 0.5, 0.0, 3.0, 1e-300, 2.0, 0.75];
        for (i, &t) in times.iter().enumerate() {
            q.schedule(t, fault(i as u32));
        }
        let got: Vec<f64> = std::iter::from_fn(|| q.pop().map(|e| e.0)).collect();
        let mut want = times.to_vec();
        want.sort_by(f64::total_cmp);
        assert_eq!(got, want);
    }

    #[test]
    fn scheduling_right_after_a_pop_keeps_the_order() {
        let mut q = EventQueue::default();
        for (i, t) in [5.0, 1.0, 3.0].into_iter().enumerate() {
            q.schedule(t, fault(i as u32));
        }
        assert_eq!(q.pop(), Some((1.0, fault(1))));
        q.schedule(4.0, fault(3)); // overwrites the taken entry
        assert_eq!(q.pop(), Some((3.0, fault(2))));
        q.schedule(2.0, fault(4)); // earlier than the rest
        assert_eq!(q.next_time(), Some(2.0));
        let order: Vec<Event> = std::iter::from_fn(|| q.pop().map(|e| e.1)).collect();
        assert_eq!(order, [4, 3, 0].map(fault).to_vec());
        assert_eq!(q.next_time(), None);
    }

    /// Event `i` of node `node`.
    fn of(node: NodeId, i: u32) -> Event {
        Event {
            node,
            signal: Signal::FaultStart(i),
        }
    }

    #[test]
    fn lane_events_interleave_with_heap_events_by_time_then_scheduling_order() {
        let mut q = EventQueue::default();
        q.schedule_fifo(1.0, of(1, 0));
        q.schedule(1.0, of(0, 1));
        q.schedule_fifo(1.0, of(2, 2));
        q.schedule_fifo(3.0, of(1, 3));
        q.schedule(0.5, of(0, 4));
        q.schedule_fifo(2.0, of(2, 5));
        // Earlier than its lane's last: it goes to the heap, in order still.
        q.schedule_fifo(1.5, of(1, 6));
        let order: Vec<(f64, Event)> = std::iter::from_fn(|| q.pop()).collect();
        let want = [
            (0.5, of(0, 4)),
            (1.0, of(1, 0)),
            (1.0, of(0, 1)),
            (1.0, of(2, 2)),
            (1.5, of(1, 6)),
            (2.0, of(2, 5)),
            (3.0, of(1, 3)),
        ];
        assert_eq!(order, want);
        assert_eq!(q.next_time(), None);
    }

    proptest::proptest! {
        /// Any mix of heap and lane schedules (lane times mostly rising,
        /// sometimes not) and pops comes out exactly as one `std` heap
        /// orders the same keys.
        #[test]
        fn lanes_and_heap_pop_what_one_std_heap_pops(
            ops in proptest::collection::vec((0u8..5, 0u8..6), 1..400),
        ) {
            use std::cmp::Reverse;
            let mut q = EventQueue::default();
            let mut reference = std::collections::BinaryHeap::new();
            let (mut now, mut seq) = (0.0, 0u32);
            for (op, dt) in ops {
                if op == 0 {
                    let want = reference.pop().map(|Reverse((t, id, node))| (f64::from_bits(t), of(node, id)));
                    let got = q.pop();
                    proptest::prop_assert_eq!(got, want);
                    now = got.map_or(now, |g| g.0);
                    continue;
                }
                // Op 1: the heap; ops 2 to 4: lanes 2 to 4, a fixed delay
                // ahead (2, 3), or any delay (4, which may go back in time).
                let node = NodeId::from(op);
                let t = match op {
                    1 | 4 => now + f64::from(dt) * 0.5,
                    _ => now + 1.0,
                };
                seq += 1;
                if op == 1 {
                    q.schedule(t, of(node, seq));
                } else {
                    q.schedule_fifo(t, of(node, seq));
                }
                reference.push(Reverse((t.to_bits(), seq, node)));
            }
            while let Some(Reverse((t, id, node))) = reference.pop() {
                proptest::prop_assert_eq!(q.pop(), Some((f64::from_bits(t), of(node, id))));
            }
            proptest::prop_assert_eq!(q.pop(), None);
        }

        /// Any mix of schedules and pops, with ties, comes out exactly as
        /// `std`'s heap orders the same keys.
        #[test]
        fn the_queue_pops_what_std_binary_heap_pops(
            ops in proptest::collection::vec(proptest::option::of(0u8..6), 1..300),
        ) {
            use std::cmp::Reverse;
            let mut q = EventQueue::default();
            let mut reference = std::collections::BinaryHeap::new();
            let (mut now, mut seq) = (0.0, 0u32);
            for op in ops {
                match op {
                    Some(dt) => {
                        let t = now + f64::from(dt) * 0.5;
                        seq += 1;
                        q.schedule(t, fault(seq));
                        reference.push(Reverse((t.to_bits(), seq)));
                    }
                    None => {
                        let want = reference.pop().map(|Reverse((t, id))| (f64::from_bits(t), fault(id)));
                        let got = q.pop();
                        proptest::prop_assert_eq!(got, want);
                        now = got.map_or(now, |g| g.0);
                    }
                }
            }
            q.next_time();
            proptest::prop_assert_eq!(q.heap.len(), reference.len());
        }
    }

    #[test]
    fn interleaved_schedules_and_pops_match_a_sorted_list() {
        let mut q = EventQueue::default();
        let mut reference: Vec<(f64, u32)> = Vec::new();
        let mut x = 12_345u64;
        let mut draw = |n: u64| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (x >> 33) % n
        };
        let mut now = 0.0;
        for id in 0..5_000u32 {
            // Coarse times make ties, which must come out in schedule order.
            let t = now + draw(8) as f64 * 0.25;
            q.schedule(t, fault(id));
            reference.push((t, id));
            for _ in 0..draw(3) {
                reference.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let want = (!reference.is_empty()).then(|| reference.remove(0));
                let got = q.pop();
                assert_eq!(got, want.map(|(t, id)| (t, fault(id))));
                now = got.map_or(now, |g| g.0);
            }
        }
        q.next_time(); // removes the entry taken last
        assert_eq!(q.heap.len(), reference.len());
    }
}
