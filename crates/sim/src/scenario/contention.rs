//! The `[contention]` table: clients contending for one record under
//! optimistic concurrency, the model of Marc Brooker's "Exponential Backoff
//! And Jitter" (AWS Architecture Blog, 2015).
//!
//! ```text
//!  client ──read──> record ──version──> client ──write(version)──> record
//!     ▲                                                              │
//!     └──── conflict: back off (client.backoff), read again <────────┘
//!                                      success: the client stops
//! ```

use serde::{Deserialize, Serialize};

use super::{Balancer, RetryOn, Scenario};
use crate::dist::{Distribution, Sampler};
use crate::error::ScenarioError;

/// Most contending clients in one run.
pub const MAX_CONTENDERS: u32 = 1_000;

/// Clients that each update one shared record once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contention {
    /// The number of clients; all start at time 0.
    pub clients: u32,
    /// The network delay of each hop (client to record, record to client),
    /// in milliseconds; by default the post's `{ dist = "normal", mean =
    /// 10, sd = 2 }`.
    #[serde(default = "default_network")]
    pub network_ms: Distribution,
}

fn default_network() -> Distribution {
    Distribution::Normal {
        mean: 10.0,
        sd: 2.0,
    }
}

impl Scenario {
    /// Checks a contention scenario: the table itself, and nothing of the
    /// request-serving system beside it; returns the network sampler.
    pub(super) fn validate_contention(&self, c: &Contention) -> Result<Sampler, ScenarioError> {
        if !(1..=MAX_CONTENDERS).contains(&c.clients) {
            return Err(ScenarioError::new(
                "contention.clients",
                format!("must be between 1 and {MAX_CONTENDERS}, got {}", c.clients),
            ));
        }
        let stray = [
            ("traffic", !self.traffic.is_unset()),
            ("servers", !self.servers.is_empty()),
            ("layers", !self.layers.is_empty()),
            ("faults", !self.faults.is_empty()),
            ("pool", self.pool.is_some()),
            ("database", self.database.is_some()),
            ("balancer", self.balancer != Balancer::default()),
        ];
        if let Some((field, _)) = stray.iter().find(|(_, set)| *set) {
            return Err(ScenarioError::new(
                *field,
                "a [contention] scenario has no traffic, servers, layers, faults, pool, database or balancer: its clients and their one record are the whole system",
            ));
        }
        if let Some(client) = &self.client {
            let extra = [
                ("client.timeout_ms", client.timeout_ms.is_some()),
                ("client.budget", client.budget.is_some()),
                ("client.throttle", client.throttle.is_some()),
                ("client.network_ms", client.network_ms.is_some()),
                ("client.retries", client.retries != 0),
                ("client.breaker", client.breaker.is_some()),
                (
                    "client.retry_on",
                    RetryOn::all().iter().any(|r| !client.retry_on.contains(r)),
                ),
            ];
            if let Some((field, _)) = extra.iter().find(|(_, set)| *set) {
                return Err(ScenarioError::new(
                    *field,
                    "contending clients retry until they succeed; only client.backoff applies (the delay is contention.network_ms)",
                ));
            }
        }
        c.network_ms.compile("contention.network_ms")
    }
}
