//! Dependencies behind one front door: server groups with shares, and the
//! breakers a client keeps per dependency or per server instance.

use super::{Breaker, BreakerScope, Scenario, ServerGroup};
use crate::error::ScenarioError;

/// Most breakers one client may keep when its scope multiplies them (a
/// closed population multiplies them again).
const MAX_BREAKERS: u64 = 100_000;

/// The running totals of `groups`' shares, normalised so the last is 1;
/// `None` when the groups have no shares.
pub fn cumulative_shares(groups: &[ServerGroup]) -> Option<Vec<f64>> {
    let total: f64 = groups.iter().map(|g| g.share).sum::<Option<f64>>()?;
    let mut sum = 0.0;
    let mut out: Vec<f64> = groups
        .iter()
        .map(|g| {
            sum += g.share.unwrap_or(0.0);
            sum / total
        })
        .collect();
    if let Some(last) = out.last_mut() {
        *last = 1.0;
    }
    Some(out)
}

/// The index of each group's first server among all of `groups`' servers,
/// then their number.
pub fn group_bounds(groups: &[ServerGroup]) -> Vec<u32> {
    let mut bounds = vec![0];
    for g in groups {
        bounds.push(bounds[bounds.len() - 1] + g.count);
    }
    bounds
}

/// Checks the shares of service `layer`'s groups.
pub(super) fn validate(s: &Scenario, layer: usize) -> Result<(), ScenarioError> {
    let groups = s.groups(layer);
    let path = Scenario::groups_path(layer);
    let with = groups.iter().filter(|g| g.share.is_some()).count();
    if with > 0 && with < groups.len() {
        let missing = groups.iter().position(|g| g.share.is_none()).unwrap_or(0);
        return Err(ScenarioError::new(
            format!("{path}[{missing}].share"),
            "set a share on every group of this service, or on none",
        ));
    }
    for (i, g) in groups.iter().enumerate() {
        if let Some(x) = g.share
            && !(x.is_finite() && x > 0.0 && x <= 1e6)
        {
            return Err(ScenarioError::new(
                format!("{path}[{i}].share"),
                format!("must be above 0 and at most 1000000, got {x}"),
            ));
        }
    }
    Ok(())
}

/// How many breakers a client with `breaker` keeps per member of its
/// population (or in all, without one) for a service with `groups`: one,
/// one per group when the groups have shares (`dependency`), or one per
/// server (`server`).
pub fn breakers_per_member(breaker: Option<&Breaker>, groups: &[ServerGroup]) -> u32 {
    let shared = groups.iter().all(|g| g.share.is_some());
    match breaker.filter(|b| b.enabled).map(|b| b.scope) {
        Some(BreakerScope::Dependency) if shared && !groups.is_empty() => groups.len() as u32,
        Some(BreakerScope::Server) => groups.iter().map(|g| g.count).sum::<u32>().max(1),
        _ => 1,
    }
}

/// Checks the scope of the breakers of the client that calls service
/// `layer`: what it needs, and how many breakers it makes.
pub(super) fn validate_scope(s: &Scenario, layer: usize) -> Result<(), ScenarioError> {
    let Some(breaker) = s
        .client_of(layer)
        .and_then(|c| c.breaker.as_ref())
        .filter(|b| b.enabled)
    else {
        return Ok(());
    };
    let field = format!("{}.breaker.scope", Scenario::client_path(layer));
    let groups = s.groups(layer);
    let cached = s.cache_of(layer).is_some();
    match breaker.scope {
        BreakerScope::Client => return Ok(()),
        BreakerScope::Server if groups.is_empty() || cached => {
            return Err(ScenarioError::new(
                field,
                "\"server\" needs the client to call [[servers]] directly, with no cache or bare pool between them",
            ));
        }
        BreakerScope::Dependency if cached && groups.iter().any(|g| g.share.is_some()) => {
            return Err(ScenarioError::new(
                field,
                "\"dependency\" with shares needs the client to call the servers directly: a cache's misses and refreshes do not keep the caller's dependency",
            ));
        }
        _ => {}
    }
    let per_member = u64::from(breakers_per_member(Some(breaker), groups));
    let clients = match (layer, s.traffic.clients) {
        (0, Some(n)) => u64::from(n),
        _ => 1,
    };
    if per_member > 1 && clients * per_member > MAX_BREAKERS {
        return Err(ScenarioError::new(
            field,
            format!(
                "{clients} clients × {per_member} breakers each would be {} breakers; at most {MAX_BREAKERS} (or use \"client\")",
                clients * per_member
            ),
        ));
    }
    Ok(())
}
