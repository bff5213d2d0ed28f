//! Dependencies behind one front door: server groups with shares, and the
//! breakers a client keeps per dependency or per server instance.

use super::{BreakerScope, Scenario, ServerGroup};
use crate::error::ScenarioError;

/// Most breakers one run may keep (a closed population multiplies them).
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

/// Checks the shares of service `layer`'s groups and the scope of the
/// breakers of the client that calls it.
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
    let Some(breaker) = s
        .client_of(layer)
        .and_then(|c| c.breaker.as_ref())
        .filter(|b| b.enabled)
    else {
        return Ok(());
    };
    let field = format!("{}.breaker.scope", Scenario::client_path(layer));
    let per_client = match breaker.scope {
        BreakerScope::Client => 1,
        BreakerScope::Dependency => groups.len().max(1) as u64,
        BreakerScope::Server => {
            if groups.is_empty() || s.cache_of(layer).is_some() {
                return Err(ScenarioError::new(
                    field,
                    "\"server\" needs the client to call servers directly (no cache or bare pool between them)",
                ));
            }
            groups.iter().map(|g| u64::from(g.count)).sum()
        }
    };
    let clients = match (layer, s.traffic.clients) {
        (0, Some(n)) => u64::from(n),
        _ => 1,
    };
    if clients * per_client > MAX_BREAKERS {
        return Err(ScenarioError::new(
            field,
            format!(
                "{clients} clients × {per_client} breakers each would be {} breakers; at most {MAX_BREAKERS}",
                clients * per_client
            ),
        ));
    }
    Ok(())
}
