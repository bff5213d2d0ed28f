//! A cache's entries and its eviction policy, over keys `0..n`: plain data
//! structures with O(1) (LFU: O(log C)) operations and no allocation once
//! grown, tested against the theory in `theory::cache`.
//!
//! ```text
//!  lookup(key, now) ──> Hit | Expired | Miss     (LRU: to the front; LFU: count + 1)
//!  insert(key, expires) ──> the evicted key, if the cache was full
//!                           (perfect LFU declines a key less requested than its least)
//!  LRU, FIFO: one list, front = newest   random: a vector of slots
//!  LFU: request counts of every key ever asked for, a min-heap of cached slots
//! ```

use crate::rng::RandomStream;
use crate::scenario::Eviction;

const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Entry {
    key: u32,
    expires: f64,
    /// List neighbours (LRU, FIFO), towards the front and the back.
    prev: u32,
    next: u32,
    /// Position in the heap (LFU) or in `members` (random).
    pos: u32,
}

/// What a lookup found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Lookup {
    /// Cached and fresh, expiring at this time.
    Hit { expires: f64 },
    /// Cached but expired (still held: the caller removes it, or serves
    /// it stale).
    Expired,
    /// Not cached.
    Miss,
}

/// The entries of one cache.
#[derive(Clone, Debug)]
pub(crate) struct Store {
    policy: Eviction,
    capacity: usize,
    /// Slot of each key, or `NONE`.
    slot_of: Vec<u32>,
    entries: Vec<Entry>,
    free: Vec<u32>,
    /// Front (newest) and back of the list.
    head: u32,
    tail: u32,
    /// LFU: requests of each key so far; the cached slots, least first.
    counts: Vec<u32>,
    heap: Vec<u32>,
    /// Random: every cached slot.
    members: Vec<u32>,
    len: usize,
}

impl Store {
    /// An empty cache of `capacity` entries over `keys` keys.
    pub(crate) fn new(policy: Eviction, capacity: usize, keys: usize) -> Store {
        Store {
            policy,
            capacity,
            slot_of: vec![NONE; keys],
            entries: Vec::with_capacity(capacity.min(keys)),
            free: Vec::new(),
            head: NONE,
            tail: NONE,
            counts: if policy == Eviction::Lfu {
                vec![0; keys]
            } else {
                Vec::new()
            },
            heap: Vec::new(),
            members: Vec::new(),
            len: 0,
        }
    }

    /// Entries held.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Looks `key` up at `now`; a hit counts as a use (LRU, LFU), and so
    /// does every request for LFU's counts.
    pub(crate) fn lookup(&mut self, key: u32, now: f64) -> Lookup {
        if self.policy == Eviction::Lfu {
            self.counts[key as usize] = self.counts[key as usize].saturating_add(1);
        }
        let slot = self.slot_of[key as usize];
        if slot == NONE {
            return Lookup::Miss;
        }
        let expires = self.entries[slot as usize].expires;
        if expires <= now {
            return Lookup::Expired;
        }
        match self.policy {
            Eviction::Lru => {
                self.unlink(slot);
                self.push_front(slot);
            }
            Eviction::Lfu => self.sift_down(self.entries[slot as usize].pos as usize),
            Eviction::Fifo | Eviction::Random => {}
        }
        Lookup::Hit { expires }
    }

    /// Sets the expiry of a cached `key` (a TTL refreshed on hit, or a
    /// recomputation that finished).
    pub(crate) fn set_expiry(&mut self, key: u32, expires: f64) {
        let slot = self.slot_of[key as usize];
        if slot != NONE {
            self.entries[slot as usize].expires = expires;
        }
    }

    /// Caches `key` until `expires` (or refreshes it if cached). Returns
    /// the key evicted to make room; perfect LFU declines (returns `Err`)
    /// a key requested no more often than the least of the cache.
    pub(crate) fn insert(
        &mut self,
        key: u32,
        expires: f64,
        rng: &mut RandomStream,
    ) -> Result<Option<u32>, ()> {
        if self.capacity == 0 {
            return Err(());
        }
        if self.slot_of[key as usize] != NONE {
            self.set_expiry(key, expires);
            return Ok(None);
        }
        let mut evicted = None;
        if self.len >= self.capacity {
            let victim = match self.policy {
                Eviction::Lru | Eviction::Fifo => self.entries[self.tail as usize].key,
                Eviction::Lfu => {
                    let least = self.entries[self.heap[0] as usize].key;
                    if self.counts[key as usize] <= self.counts[least as usize] {
                        return Err(());
                    }
                    least
                }
                Eviction::Random => {
                    let i = rng.below(self.members.len());
                    self.entries[self.members[i] as usize].key
                }
            };
            self.remove(victim);
            evicted = Some(victim);
        }
        let entry = Entry {
            key,
            expires,
            prev: NONE,
            next: NONE,
            pos: 0,
        };
        let slot = match self.free.pop() {
            Some(s) => {
                self.entries[s as usize] = entry;
                s
            }
            None => {
                self.entries.push(entry);
                (self.entries.len() - 1) as u32
            }
        };
        self.slot_of[key as usize] = slot;
        self.len += 1;
        match self.policy {
            Eviction::Lru | Eviction::Fifo => self.push_front(slot),
            Eviction::Lfu => {
                self.heap.push(slot);
                let at = self.heap.len() - 1;
                self.entries[slot as usize].pos = at as u32;
                self.sift_up(at);
            }
            Eviction::Random => {
                self.entries[slot as usize].pos = self.members.len() as u32;
                self.members.push(slot);
            }
        }
        Ok(evicted)
    }

    /// Drops `key` if cached.
    pub(crate) fn remove(&mut self, key: u32) {
        let slot = self.slot_of[key as usize];
        if slot == NONE {
            return;
        }
        self.slot_of[key as usize] = NONE;
        self.len -= 1;
        match self.policy {
            Eviction::Lru | Eviction::Fifo => self.unlink(slot),
            Eviction::Lfu => {
                let at = self.entries[slot as usize].pos as usize;
                let last = self.heap.len() - 1;
                self.heap.swap(at, last);
                self.heap.pop();
                if at < self.heap.len() {
                    self.entries[self.heap[at] as usize].pos = at as u32;
                    self.sift_down(at);
                    self.sift_up(at);
                }
            }
            Eviction::Random => {
                let at = self.entries[slot as usize].pos as usize;
                self.members.swap_remove(at);
                if at < self.members.len() {
                    self.entries[self.members[at] as usize].pos = at as u32;
                }
            }
        }
        self.free.push(slot);
    }

    fn push_front(&mut self, slot: u32) {
        let e = &mut self.entries[slot as usize];
        e.prev = NONE;
        e.next = self.head;
        if self.head != NONE {
            self.entries[self.head as usize].prev = slot;
        } else {
            self.tail = slot;
        }
        self.head = slot;
    }

    fn unlink(&mut self, slot: u32) {
        let Entry { prev, next, .. } = self.entries[slot as usize];
        if prev != NONE {
            self.entries[prev as usize].next = next;
        } else {
            self.head = next;
        }
        if next != NONE {
            self.entries[next as usize].prev = prev;
        } else {
            self.tail = prev;
        }
    }

    fn count_at(&self, at: usize) -> u32 {
        self.counts[self.entries[self.heap[at] as usize].key as usize]
    }

    fn swap_heap(&mut self, a: usize, b: usize) {
        self.heap.swap(a, b);
        self.entries[self.heap[a] as usize].pos = a as u32;
        self.entries[self.heap[b] as usize].pos = b as u32;
    }

    fn sift_up(&mut self, mut at: usize) {
        while at > 0 {
            let parent = (at - 1) / 2;
            if self.count_at(at) >= self.count_at(parent) {
                break;
            }
            self.swap_heap(at, parent);
            at = parent;
        }
    }

    fn sift_down(&mut self, mut at: usize) {
        loop {
            let (l, r) = (2 * at + 1, 2 * at + 2);
            let mut least = at;
            if l < self.heap.len() && self.count_at(l) < self.count_at(least) {
                least = l;
            }
            if r < self.heap.len() && self.count_at(r) < self.count_at(least) {
                least = r;
            }
            if least == at {
                break;
            }
            self.swap_heap(at, least);
            at = least;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;
    use crate::theory::cache::{fifo_hits, hit_ratio, lru_hits, static_optimum, zipf};

    fn rng() -> RandomStream {
        RandomStream::new(7, Stream::Arrivals)
    }

    /// Keys drawn from `p` (inverse CDF), `n` of them.
    fn stream(p: &[f64], n: usize, seed: u64) -> Vec<u32> {
        let mut cdf = Vec::with_capacity(p.len());
        let mut acc = 0.0;
        for &x in p {
            acc += x;
            cdf.push(acc);
        }
        let mut r = RandomStream::new(seed, Stream::Sizes);
        (0..n)
            .map(|_| {
                let u = (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                cdf.partition_point(|&c| c < u).min(p.len() - 1) as u32
            })
            .collect()
    }

    /// Hit ratio of `policy` over `keys` after the first `warm` requests.
    fn measured(policy: Eviction, c: usize, n: usize, keys: &[u32], warm: usize) -> f64 {
        let mut s = Store::new(policy, c, n);
        let mut r = rng();
        let mut hits = 0;
        for (i, &k) in keys.iter().enumerate() {
            let hit = matches!(s.lookup(k, 0.0), Lookup::Hit { .. });
            if !hit {
                let _ = s.insert(k, f64::INFINITY, &mut r);
            }
            if i >= warm && hit {
                hits += 1;
            }
            assert!(s.len() <= c);
        }
        hits as f64 / (keys.len() - warm) as f64
    }

    #[test]
    fn lru_evicts_the_least_recently_used_and_fifo_the_oldest() {
        for (policy, evicted) in [(Eviction::Lru, 1), (Eviction::Fifo, 0)] {
            let mut s = Store::new(policy, 2, 4);
            let mut r = rng();
            assert_eq!(s.insert(0, 10.0, &mut r), Ok(None));
            assert_eq!(s.insert(1, 10.0, &mut r), Ok(None));
            assert_eq!(s.lookup(0, 1.0), Lookup::Hit { expires: 10.0 });
            assert_eq!(s.insert(2, 10.0, &mut r), Ok(Some(evicted)), "{policy:?}");
            assert_eq!(s.len(), 2);
        }
    }

    #[test]
    fn an_expired_entry_is_a_miss_and_leaves() {
        let mut s = Store::new(Eviction::Lru, 2, 4);
        let _ = s.insert(3, 5.0, &mut rng());
        assert_eq!(s.lookup(3, 5.0), Lookup::Expired);
        s.remove(3);
        assert_eq!(s.lookup(3, 5.0), Lookup::Miss);
        assert_eq!(s.len(), 0);
    }

    #[test]
    fn perfect_lfu_keeps_the_most_requested_and_declines_the_rest() {
        let mut s = Store::new(Eviction::Lfu, 2, 4);
        let mut r = rng();
        for k in [0, 0, 0, 1, 1] {
            if s.lookup(k, 0.0) == Lookup::Miss {
                let _ = s.insert(k, f64::INFINITY, &mut r);
            }
        }
        // Key 2 once: fewer than key 1's two requests.
        assert_eq!(s.lookup(2, 0.0), Lookup::Miss);
        assert_eq!(s.insert(2, f64::INFINITY, &mut r), Err(()));
        for _ in 0..2 {
            s.lookup(2, 0.0);
        }
        assert_eq!(s.insert(2, f64::INFINITY, &mut r), Ok(Some(1)));
    }

    // The truth tests: the store under IRM against the theory.
    const N: usize = 10_000;

    #[test]
    fn lru_matches_the_che_approximation() {
        for (s, c) in [(0.8, 100), (1.0, 1000)] {
            let p = zipf(N, s);
            let keys = stream(&p, 2_000_000, 11);
            let sim = measured(Eviction::Lru, c, N, &keys, 200_000);
            let che = hit_ratio(&p, &lru_hits(&p, c as f64).expect("che"));
            assert!(
                (sim - che).abs() / che < 0.005,
                "zipf {s}, C {c}: {sim} vs Che {che}"
            );
        }
    }

    #[test]
    fn fifo_and_random_match_their_fixed_point() {
        let p = zipf(N, 0.8);
        let keys = stream(&p, 2_000_000, 12);
        let theory = hit_ratio(&p, &fifo_hits(&p, 200.0).expect("fixed point"));
        for policy in [Eviction::Fifo, Eviction::Random] {
            let sim = measured(policy, 200, N, &keys, 200_000);
            assert!(
                (sim - theory).abs() / theory < 0.01,
                "{policy:?}: {sim} vs {theory}"
            );
        }
    }

    #[test]
    fn perfect_lfu_reaches_the_static_optimum() {
        let p = zipf(N, 0.8);
        let keys = stream(&p, 2_000_000, 13);
        let sim = measured(Eviction::Lfu, 200, N, &keys, 500_000);
        let best = static_optimum(&p, 200);
        assert!((sim - best).abs() / best < 0.005, "{sim} vs {best}");
    }
}
