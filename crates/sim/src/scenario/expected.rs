//! How much work a scenario asks for, estimated before it runs (the
//! validator refuses runs beyond [`MAX_REQUESTS`](super::MAX_REQUESTS)).

use super::Scenario;
use crate::dist::MIN_MS;

/// Expected logical requests over the whole run: the integral of the rate
/// schedule for open traffic; for closed traffic, each client sending as
/// often as its think time and the first layer's fastest work allow.
pub(super) fn expected_arrivals(s: &Scenario) -> f64 {
    let total = s.warmup_s + s.duration_s;
    match (s.traffic.clients, &s.traffic.think_ms) {
        (Some(n), Some(think)) => {
            let work = s
                .servers
                .iter()
                .map(|g| g.service_ms.mean_ms() / g.speed)
                .fold(f64::INFINITY, f64::min);
            let Some(db) = &s.database else {
                let cycle_s = (think.mean_ms() + work).max(MIN_MS) / 1e3;
                return f64::from(n) * total / cycle_s;
            };
            // Behind a pool, no faster than the database's cores and disks,
            // unless callers give up sooner (an acquire or client timeout),
            // when they come back as fast as their think time allows.
            let give_up_ms = [
                s.pool.as_ref().and_then(|p| p.acquire_timeout_ms),
                s.client.as_ref().and_then(|c| c.timeout_ms),
            ]
            .into_iter()
            .flatten()
            .reduce(f64::min);
            let (cpu, io) = (
                db.cpu_ms.mean_ms(),
                db.io_ms.as_ref().map_or(0.0, |d| d.mean_ms()),
            );
            let work = if work.is_finite() { work } else { cpu + io };
            if let Some(t) = give_up_ms {
                let cycle_s = (think.mean_ms() + work.min(t)).max(MIN_MS) / 1e3;
                return f64::from(n) / cycle_s * total;
            }
            let cycle_s = (think.mean_ms() + work).max(MIN_MS) / 1e3;
            let cap = (f64::from(db.cores) / cpu.max(MIN_MS)).min(if io > 0.0 {
                f64::from(db.disks) / io
            } else {
                f64::INFINITY
            }) * 1e3;
            (f64::from(n) / cycle_s).min(cap) * total
        }
        _ => crate::arrivals::RateSchedule::new(s).integral(total),
    }
}
