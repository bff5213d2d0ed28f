//! An animation of requests flowing through the services the run reports
//! (its topology: each service's balancer and servers, layer by layer), with
//! each server's busy workers and queue at the player's time.

use brownout_charts::format;
use yew::prelude::*;

use crate::runs::RunsRef;

/// Properties of [`Flow`].
#[derive(Properties, PartialEq)]
pub(crate) struct FlowProps {
    /// The runs, shared with the rest of the widget.
    pub(crate) runs: RunsRef,
    /// Which side to show: 0 for A, 1 for B.
    pub(crate) side: usize,
    /// Simulated time shown, seconds after warm-up.
    pub(crate) cursor: f64,
    /// Draw still dots instead of moving ones.
    pub(crate) reduced_motion: bool,
    /// Lay out for a narrow column (a phone, a side of a comparison).
    pub(crate) compact: bool,
}

const ROW: f64 = 26.0;

/// Where the parts of a row go: the balancer, the server boxes, the queue
/// bars (the longest leaves room for a label like "1,234 waiting").
#[derive(Clone, Copy, Debug, PartialEq)]
struct Layout {
    width: f64,
    balancer_x: f64,
    server_x: f64,
    box_w: f64,
    queue_x: f64,
    queue_w: f64,
}

/// A column of 660 px or more: one run on a laptop.
const WIDE: Layout = Layout {
    width: 660.0,
    balancer_x: 56.0,
    server_x: 250.0,
    box_w: 100.0,
    queue_x: 360.0,
    queue_w: 190.0,
};

/// A phone, or one side of a comparison: shorter lines and queue bars, so
/// the diagram fits its column at the same text size instead of scrolling.
const COMPACT: Layout = Layout {
    width: 400.0,
    balancer_x: 28.0,
    server_x: 124.0,
    box_w: 100.0,
    queue_x: 232.0,
    queue_w: 72.0,
};

/// Width of a character of the 12-unit labels, generously (digits are the
/// widest), and the box's padding on both sides.
const CHAR_W: f64 = 7.0;
const BOX_PAD: f64 = 12.0;

impl Layout {
    /// This layout with server boxes wide enough for labels of `chars`
    /// characters (up to half again as wide, and leaving the queue bars 30
    /// units), the queue bars moved right and shortened to make room.
    fn fitted(self, chars: usize) -> Layout {
        let most = (self.box_w * 1.5).min(self.box_w + self.queue_w - 30.0);
        let box_w = (chars as f64 * CHAR_W + BOX_PAD).clamp(self.box_w, most);
        let grow = box_w - self.box_w;
        Layout {
            box_w,
            queue_x: self.queue_x + grow,
            queue_w: self.queue_w - grow,
            ..self
        }
    }

    /// Queue length to bar width: logarithmic, so 3 and 3,000 both read.
    fn queue_width(&self, q: f64) -> f64 {
        ((1.0 + q).log10() / 4.0 * self.queue_w).min(self.queue_w)
    }
}

/// A count at the player's time (a bucket's mean), whole and grouped: "1,234".
fn whole(v: f64) -> String {
    format::count(v.round().max(0.0) as u64)
}

/// A server's label, "api 3 · 85%".
fn server_label(server: &brownout_sim::ServerSummary, util: f64) -> String {
    format!("{} {} · {:.0}%", server.name, server.index, util * 100.0)
}

/// Space above a service's rows for its name, when there are several.
const HEADER: f64 = 22.0;

/// The services of the run, from the topology it reports: each service's
/// balancer and its servers in rows; dots move along the lines at a density
/// that follows each server's utilisation; queues are bars with their length
/// in text. A layered system draws one block per service, top to bottom,
/// each labelled, with the call from one layer to the next.
#[component]
pub(crate) fn Flow(p: &FlowProps) -> Html {
    let Some(run) = p.runs.0.as_ref().as_ref().ok().and_then(|r| r.side(p.side)) else {
        return Html::default();
    };
    let s = &run.series;
    let servers = &run.summary.servers;
    let services = &run.summary.services;
    let layered = services.len() > 1;
    let k = ((p.cursor / s.bucket_s) as usize).min(s.t_s.len().saturating_sub(1));
    // Boxes as wide as the longest label can get (at 100%), for the whole
    // run: the layout holds still while the player plays.
    let longest = servers
        .iter()
        .map(|srv| server_label(srv, 1.0).chars().count())
        .max()
        .unwrap_or(0);
    let g = if p.compact { COMPACT } else { WIDE }.fitted(longest);
    let mut blocks = Vec::new();
    let mut top = 5.0;
    // A cache in front: what it answers at this time; the rows below are
    // the backend, which sees only the misses.
    if run.summary.cache.is_some() {
        let hits = s.cache_hit_ratio.get(k).copied().flatten();
        let text = match hits {
            // The player's time bucket, not the run (the stat cards'):
            // a cache's ratio moves through the run.
            Some(h) => format!(
                "Cache at {} s: {:.1}% hits; misses reach the servers",
                format::amount(p.cursor),
                h * 100.0
            ),
            None => format!("Cache at {} s: no requests", format::amount(p.cursor)),
        };
        blocks.push(html! {
            <text x="4" y={(top + 14.0).to_string()} class="flow-service flow-cache">{ text }</text>
        });
        top += HEADER;
    } else if !servers.is_empty() {
        // Say when: the boxes and bars are the player's time bucket, while
        // the stat cards and the utilisation chart cover the whole run.
        blocks.push(html! {
            <text x="4" y={(top + 14.0).to_string()} class="flow-service flow-time">
                { format!("At {} s: time busy and requests waiting", format::amount(p.cursor)) }
            </text>
        });
        top += HEADER;
    }
    let mut previous_mid: Option<f64> = None;
    for layer in 0..services.len().max(1) {
        let rows: Vec<(usize, &brownout_sim::ServerSummary)> = servers
            .iter()
            .enumerate()
            .filter(|(_, srv)| srv.layer == layer)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let header = if layered { HEADER } else { 0.0 };
        let body = (rows.len() as f64 * ROW).max(if layered { ROW } else { ROW * 3.0 });
        let mid = top + header + body / 2.0;
        let name = services.get(layer).map_or("service", |x| x.name.as_str());
        let row_html = rows.iter().enumerate().map(|(r, (i, srv))| {
            let y = top + header + ROW * (r as f64 + 0.5);
            let util = s.utilization.get(*i).and_then(|u| u.get(k)).copied().unwrap_or(0.0);
            let queue = s.queue.get(*i).and_then(|q| q.get(k)).copied().unwrap_or(0.0);
            let path = format!("M{},{mid} L{},{y}", g.balancer_x, g.server_x);
            let dots = (util * 3.0).ceil() as usize;
            let group = format!("g{}", srv.group % 6);
            html! {
                <g class={classes!("flow-row", group)}>
                    <line x1={g.balancer_x.to_string()} y1={mid.to_string()} x2={g.server_x.to_string()} y2={y.to_string()} class="flow-line" />
                    { for (0..dots).map(|d| dot(&g, &path, (d, dots), (mid, y), p.reduced_motion)) }
                    <rect x={g.server_x.to_string()} y={(y - 9.0).to_string()} width={g.box_w.to_string()} height="18" rx="3" class="server-box" />
                    <rect x={g.server_x.to_string()} y={(y - 9.0).to_string()} width={(g.box_w * util).to_string()} height="18" rx="3" class="server-busy" />
                    <text x={(g.server_x + 6.0).to_string()} y={(y + 4.0).to_string()} class="server-label">
                        { server_label(srv, util) }
                    </text>
                    <rect x={g.queue_x.to_string()} y={(y - 6.0).to_string()} width={g.queue_width(queue).to_string()} height="12" class="queue-bar" />
                    <text x={(g.queue_x + g.queue_width(queue) + 6.0).to_string()} y={(y + 4.0).to_string()} class="queue-label">
                        { format!("{} waiting", whole(queue)) }
                    </text>
                </g>
            }
        });
        let call = previous_mid.map(|from| {
            html! {
                <line x1={g.balancer_x.to_string()} y1={(from + 22.0).to_string()} x2={g.balancer_x.to_string()} y2={(mid - 22.0).to_string()} class="flow-line flow-call" />
            }
        });
        let title = layered.then(|| {
            html! {
                <text x={(g.balancer_x + 30.0).to_string()} y={(top + 14.0).to_string()} class="flow-service">
                    { format!("{name}: {} attempts", format::count(services.get(layer).map_or(0, |x| x.arrivals))) }
                </text>
            }
        });
        blocks.push(html! {
            <g class="flow-service-block" data-layer={layer.to_string()}>
                { title }
                { call }
                { for row_html }
                <circle cx={g.balancer_x.to_string()} cy={mid.to_string()} r="22" class="balancer" />
                <text x={g.balancer_x.to_string()} y={(mid + 4.0).to_string()} text-anchor="middle" class="balancer-label">{"LB"}</text>
            </g>
        });
        previous_mid = Some(mid);
        top += header + body + if layered { 8.0 } else { 0.0 };
    }
    let pool_label = pool_block(run, (k, top), &g, p).map(|(html, bottom, label)| {
        blocks.push(html);
        top = bottom;
        label
    });
    let height = top + 5.0;
    let label = if let Some(label) = pool_label {
        label
    } else if layered {
        format!(
            "Requests flowing through {} layers of services, {} servers, at {:.0} s",
            services.len(),
            servers.len(),
            p.cursor
        )
    } else {
        format!(
            "Requests flowing from the balancer to {} servers at {:.0} s",
            servers.len(),
            p.cursor
        )
    };
    html! {
        <svg class={classes!("flow", p.compact.then_some("compact"))} viewBox={format!("0 0 {} {height}", g.width)} role="img" aria-label={label}>
            { for blocks }
        </svg>
    }
}

/// The pool and the database at bucket `k`, drawn from `top`: the share of
/// connections in use (the box's fill) and threads waiting (a bar), then
/// sessions in the database against its cores (the fill: sessions per
/// core, up to one). Returns the block, where it ends, and the same state
/// in words for the flow's label.
fn pool_block(
    run: &brownout_sim::RunResult,
    (k, top): (usize, f64),
    g: &Layout,
    p: &FlowProps,
) -> Option<(Html, f64, String)> {
    let still = p.reduced_motion;
    let (pool, db) = (run.summary.pool.as_ref()?, run.summary.database.as_ref()?);
    let s = &run.series;
    let at = |v: &[f64]| v.get(k).copied().unwrap_or(0.0);
    let (in_use, waiting, sessions) = (at(&s.pool_in_use), at(&s.pool_waiters), at(&s.db_sessions));
    let size = f64::from(pool.size);
    let cores = f64::from(db.cores);
    let (y_pool, y_db) = (top + ROW * 0.5, top + ROW * 1.5);
    let mid = top + ROW;
    let path = format!("M{},{mid} L{},{y_db}", g.balancer_x, g.server_x);
    let dots = ((sessions.min(cores) / cores) * 3.0).ceil() as usize;
    let html = html! {
        <g class="flow-service-block flow-pool" data-pool={pool.size.to_string()}>
            <line x1={g.balancer_x.to_string()} y1={mid.to_string()} x2={g.server_x.to_string()} y2={y_pool.to_string()} class="flow-line" />
            <line x1={g.balancer_x.to_string()} y1={mid.to_string()} x2={g.server_x.to_string()} y2={y_db.to_string()} class="flow-line" />
            { for (0..dots).map(|d| dot(g, &path, (d, dots), (mid, y_db), still)) }
            <g class="g0">
                <rect x={g.server_x.to_string()} y={(y_pool - 9.0).to_string()} width={g.box_w.to_string()} height="18" rx="3" class="server-box" />
                <rect x={g.server_x.to_string()} y={(y_pool - 9.0).to_string()} width={(g.box_w * (in_use / size).min(1.0)).to_string()} height="18" rx="3" class="server-busy" />
                <text x={(g.server_x + 6.0).to_string()} y={(y_pool + 4.0).to_string()} class="server-label">
                    { format!("pool · {:.0}%", (in_use / size).min(1.0) * 100.0) }
                </text>
                <rect x={g.queue_x.to_string()} y={(y_pool - 6.0).to_string()} width={g.queue_width(waiting).to_string()} height="12" class="queue-bar" />
                <text x={(g.queue_x + g.queue_width(waiting) + 6.0).to_string()} y={(y_pool + 4.0).to_string()} class="queue-label">
                    { format!("{} waiting", whole(waiting)) }
                </text>
            </g>
            <g class="g1">
                <rect x={g.server_x.to_string()} y={(y_db - 9.0).to_string()} width={g.box_w.to_string()} height="18" rx="3" class="server-box" />
                <rect x={g.server_x.to_string()} y={(y_db - 9.0).to_string()} width={(g.box_w * (sessions / cores).min(1.0)).to_string()} height="18" rx="3" class="server-busy" />
                <text x={(g.server_x + 6.0).to_string()} y={(y_db + 4.0).to_string()} class="server-label">
                    {"database"}
                </text>
                <text x={(g.queue_x + 6.0).to_string()} y={(y_db + 4.0).to_string()} class="queue-label">
                    { format!("{} sessions, {} cores", whole(sessions), db.cores) }
                </text>
            </g>
            <circle cx={g.balancer_x.to_string()} cy={mid.to_string()} r="22" class="balancer" />
            <text x={g.balancer_x.to_string()} y={(mid + 4.0).to_string()} text-anchor="middle" class="balancer-label">{"app"}</text>
        </g>
    };
    let label = format!(
        "At {:.0} s: {in_use:.0} of {} connections in use, {waiting:.0} threads waiting for one, {sessions:.0} sessions in a database of {} cores",
        p.cursor, pool.size, db.cores
    );
    Some((html, top + ROW * 2.0 + 8.0, label))
}

fn dot(
    g: &Layout,
    path: &str,
    (d, n): (usize, usize),
    (from_y, to_y): (f64, f64),
    still: bool,
) -> Html {
    if still {
        let f = (d as f64 + 0.5) / n as f64;
        let (x, yy) = (
            g.balancer_x + (g.server_x - g.balancer_x) * f,
            from_y + (to_y - from_y) * f,
        );
        return html! { <circle r="3" cx={x.to_string()} cy={yy.to_string()} class="flow-dot" /> };
    }
    let begin = format!("{:.2}s", -(d as f64) * 0.9 / n as f64);
    html! {
        <circle r="3" class="flow-dot">
            <animateMotion dur="0.9s" repeatCount="indefinite" path={path.to_string()} begin={begin} />
        </circle>
    }
}
