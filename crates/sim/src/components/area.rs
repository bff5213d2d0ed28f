//! Time-weighted sums of a count (connections in use, sessions, waiters):
//! over the measured window for a mean, and per time bucket for a series.

use crate::metrics::overlap;

/// A time-weighted sum of a count over the measured window, and per bucket.
#[derive(Clone, Debug, Default)]
pub(crate) struct Area {
    last: f64,
    /// Count × seconds inside the window.
    pub(crate) sum: f64,
    /// Count × seconds inside each bucket (empty: not kept).
    buckets: Vec<f64>,
    bucket_s: f64,
}

impl Area {
    /// An area that also keeps `buckets` sums of `bucket_s` seconds from
    /// the start of the window.
    pub(crate) fn bucketed(bucket_s: f64, buckets: usize) -> Self {
        Area {
            buckets: vec![0.0; buckets],
            bucket_s,
            ..Area::default()
        }
    }

    /// Adds `value` held from the last update to `now`, inside `[warm, end]`.
    #[inline]
    pub(crate) fn add(&mut self, now: f64, value: f64, (warm, end): (f64, f64)) {
        let d = overlap(self.last, now, warm, end);
        if d > 0.0 && value != 0.0 {
            self.sum += value * d;
            if !self.buckets.is_empty() {
                self.spread(self.last.max(warm), now.min(end), value, warm);
            }
        }
        self.last = now;
    }

    /// Spreads `value` held over `[from, to]` over the buckets it covers.
    fn spread(&mut self, from: f64, to: f64, value: f64, warm: f64) {
        let mut t = from;
        while t < to {
            let mut i = ((t - warm) / self.bucket_s) as usize;
            let mut bucket_end = warm + (i + 1) as f64 * self.bucket_s;
            // Rounding can put a time on a boundary in the bucket before.
            if bucket_end <= t {
                i += 1;
                bucket_end = warm + (i + 1) as f64 * self.bucket_s;
            }
            let Some(b) = self.buckets.get_mut(i) else {
                return;
            };
            let stop = bucket_end.min(to);
            *b += value * (stop - t);
            t = stop;
        }
    }

    /// The time average of the count in each bucket; the last bucket's
    /// length is what is left of `duration_s`.
    pub(crate) fn means(&self, duration_s: f64) -> Vec<f64> {
        self.buckets
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let len = (duration_s - i as f64 * self.bucket_s).min(self.bucket_s);
                if len > 0.0 { s / len } else { 0.0 }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_held_across_buckets_is_split_between_them() {
        let mut a = Area::bucketed(1.0, 3);
        let w = (10.0, 12.5);
        a.add(9.5, 0.0, w);
        a.add(10.5, 4.0, w); // 4 held from 9.5: 0.5 s inside, bucket 0
        a.add(12.0, 2.0, w); // 2 held from 10.5 to 12: 0.5 in bucket 0, 1 in bucket 1
        a.add(13.0, 8.0, w); // 8 held to the end (12.5): 0.5 s in bucket 2
        assert_eq!(a.sum, 4.0 * 0.5 + 2.0 * 1.5 + 8.0 * 0.5);
        assert_eq!(a.means(2.5), vec![4.0 * 0.5 + 2.0 * 0.5, 2.0, 8.0]);
    }
}
