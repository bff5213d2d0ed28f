//! Server groups as charts show them: by name, in scenario order, over
//! both runs of a compare pair.

use brownout_sim::ServerSummary;

use crate::ChartData;

/// A server group as the legend shows it.
pub(crate) struct Group {
    pub(crate) name: String,
    /// Servers in it, on the run with the most.
    pub(crate) count: usize,
}

/// The server groups of both runs, by name, in scenario order.
pub(crate) fn groups(data: &ChartData) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for run in data.runs() {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for s in &run.result.summary.servers {
            match counts.iter_mut().find(|(n, _)| *n == s.name) {
                Some((_, c)) => *c += 1,
                None => counts.push((s.name.clone(), 1)),
            }
        }
        for (name, count) in counts {
            match out.iter_mut().find(|g| g.name == name) {
                Some(g) => g.count = g.count.max(count),
                None => out.push(Group { name, count }),
            }
        }
    }
    out
}

/// Index of `server`'s group in [`groups`].
pub(crate) fn group_of(groups: &[Group], server: &ServerSummary) -> usize {
    groups
        .iter()
        .position(|g| g.name == server.name)
        .unwrap_or(0)
}
