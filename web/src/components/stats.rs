//! The key numbers of a run, as text: one row per metric path of the
//! widget block, labelled and formatted by `brownout_content::metric`.

use brownout_content::metric::{StatRow, stat_rows};
use yew::prelude::*;

use crate::runs::RunsRef;

/// Properties of [`Stats`].
#[derive(Properties, PartialEq)]
pub(crate) struct StatsProps {
    /// Heading of the column (the configuration's name).
    pub(crate) label: String,
    /// The runs, shared with the rest of the widget.
    pub(crate) runs: RunsRef,
    /// Which side's totals: 0 for A, 1 for B.
    pub(crate) side: usize,
    /// Metric paths of the rows, in order (checked when the widget resolved).
    pub(crate) stats: Vec<String>,
}

/// One row per metric.
#[component]
pub(crate) fn Stats(props: &StatsProps) -> Html {
    let Some(run) = props
        .runs
        .0
        .as_ref()
        .as_ref()
        .ok()
        .and_then(|r| r.side(props.side))
    else {
        return Html::default();
    };
    let summary = serde_json::to_value(&run.summary).unwrap_or_default();
    let rows = stat_rows(&summary, &props.stats);
    // `data-value` holds the exact number, for tests and scripts.
    html! {
        <div class="stats-block">
            <p class="stats-label">{ &props.label }</p>
            <dl class="stats" aria-label={format!("Results: {}", props.label)}>
                { for rows.into_iter().map(|r| html! {
                    <div class="stat" data-stat={r.key}><dt>{r.label}</dt><dd data-value={r.value.to_string()}>{ value_html(&r) }</dd></div>
                }) }
            </dl>
        </div>
    }
}

/// A value with what it is of ("69% (database 0)", "333 ms (legacy)"):
/// the qualifier kept whole and quieter than the number.
fn value_html(r: &StatRow) -> Html {
    match &r.which {
        Some(which) => html! {
            <>{ &r.text }{ " " }<span class="stat-which">{ format!("({which})") }</span></>
        },
        None => html! { { &r.text } },
    }
}
