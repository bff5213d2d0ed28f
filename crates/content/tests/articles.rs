//! Every shipped article is valid and tells the truth: its widget blocks
//! resolve, and every number listed in its front matter is what its preset
//! produces when run.
//!
//! ```text
//!  content/articles/*.md ──> Article ──> widget blocks ──> WidgetSpec::resolve
//!                                   └──> [[facts]] ──> preset + set ──> simulate ──> metric ≈ value
//! ```

use std::collections::BTreeMap;

use brownout_content::metric::DEFAULT_STATS;
use brownout_content::widget::{Side, value_text};
use brownout_content::{Article, articles, knob, preset};
use brownout_sim::{Limits, ValidScenario, simulate};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use serde_json::Value;

/// Most requests a preset may simulate, so a widget redraws quickly.
const MAX_PRESET_REQUESTS: f64 = 100_000.0;
/// Fewest and most words of prose in an article.
const WORDS: std::ops::RangeInclusive<usize> = 1_000..=2_000;
/// Article 2's issue asks for 1,200 to 2,000.
const RETRIES_WORDS: std::ops::RangeInclusive<usize> = 1_200..=2_000;
/// Article 1, revised with its mathematics, has its own range.
const ROUND_ROBIN_WORDS: std::ops::RangeInclusive<usize> = 1_800..=2_400;
/// Fewest links under an article's "Sources" heading.
const MIN_SOURCES: usize = 3;

fn all() -> Vec<Article> {
    articles().unwrap_or_else(|e| panic!("{e}"))
}

fn facts(a: &Article) -> Vec<brownout_content::article::Fact> {
    a.facts().unwrap_or_else(|e| panic!("{e}"))
}

/// Whitespace runs collapsed to one space, as Markdown renders them, so a
/// fact's text may be wrapped across lines in the source.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words of the prose: text outside code blocks (widget blocks
/// included) and link targets.
fn prose_words(markdown: &str) -> usize {
    let mut in_code = false;
    let mut words = 0;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if !in_code => {
                words += t
                    .split_whitespace()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .count();
            }
            Event::Code(_) if !in_code => words += 1,
            _ => {}
        }
    }
    words
}

/// The http(s) links in list items under a heading named "Sources".
fn source_links(markdown: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut heading: Option<String> = None;
    let mut in_sources = false;
    let mut list_depth = 0usize;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                in_sources = heading
                    .take()
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("sources"));
            }
            Event::Text(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. })
                if in_sources
                    && list_depth > 0
                    && (dest_url.starts_with("https://") || dest_url.starts_with("http://")) =>
            {
                links.push(dest_url.to_string());
            }
            _ => {}
        }
    }
    links
}

/// The preset `name` with the knob values of `set` applied, validated.
fn scenario_with(name: &str, set: &BTreeMap<String, Value>) -> Result<ValidScenario, String> {
    let p = preset(name).ok_or_else(|| format!("no preset \"{name}\""))?;
    let mut s = p.scenario().map_err(|e| format!("preset {name}: {e}"))?;
    for (path, value) in set {
        s = knob::set(s.scenario(), path, value)
            .map_err(|e| format!("preset {name}, set {path} = {value}: {e}"))?;
    }
    Ok(s)
}

#[test]
fn every_article_parses_and_there_is_at_least_one() {
    let list = all();
    assert!(!list.is_empty(), "no articles in content/articles");
    for a in &list {
        assert!(!a.meta.title.trim().is_empty(), "{}: empty title", a.slug);
        assert!(
            !a.meta.summary.trim().is_empty(),
            "{}: empty summary",
            a.slug
        );
        let date = a.meta.date.as_bytes();
        assert!(
            date.len() == 10 && date[4] == b'-' && date[7] == b'-',
            "{}: date must be YYYY-MM-DD, got {}",
            a.slug,
            a.meta.date
        );
    }
}

#[test]
fn article_orders_are_unique() {
    let list = all();
    let mut orders: Vec<u32> = list.iter().map(|a| a.meta.order).collect();
    orders.sort_unstable();
    orders.dedup();
    assert_eq!(orders.len(), list.len(), "two articles share an order");
}

#[test]
fn every_widget_block_parses_and_resolves_to_runnable_scenarios() {
    for a in all() {
        let widgets = a.widgets();
        assert!(
            !widgets.is_empty(),
            "{}: an article shows at least one widget",
            a.slug
        );
        for (i, w) in widgets.into_iter().enumerate() {
            let spec = w.unwrap_or_else(|e| panic!("{} widget {}: {e}", a.slug, i + 1));
            assert!(
                !spec.charts.is_empty(),
                "{} widget {}: no charts",
                a.slug,
                i + 1
            );
            let widget = spec
                .resolve()
                .unwrap_or_else(|e| panic!("{} widget {}: {e}", a.slug, i + 1));
            assert_eq!(
                widget.knobs.len(),
                spec.knobs.len(),
                "{} widget {}",
                a.slug,
                i + 1
            );
            let state = widget.initial_state();
            for side in [Side::A, Side::B] {
                widget
                    .scenario(&state, side)
                    .unwrap_or_else(|e| panic!("{} widget {} side {side:?}: {e}", a.slug, i + 1));
            }
        }
    }
}

#[test]
fn presets_shown_by_articles_stay_under_the_request_budget() {
    for a in all() {
        for spec in a.widgets().into_iter().flatten() {
            let s = scenario_with(&spec.preset, &BTreeMap::new())
                .unwrap_or_else(|e| panic!("{}: {e}", a.slug));
            assert!(
                s.expected_requests() <= MAX_PRESET_REQUESTS,
                "{}: preset {} expects {:.0} requests, more than {MAX_PRESET_REQUESTS}",
                a.slug,
                spec.preset,
                s.expected_requests()
            );
        }
    }
}

/// The site changes the case of labels ASCII-only (it ships no Unicode case
/// tables): knob, option, compare and map axis labels must have no other
/// letters with a case.
#[test]
fn every_widget_label_changes_case_as_ascii() {
    let ascii = |t: &str| {
        t.to_lowercase() == t.to_ascii_lowercase() && t.to_uppercase() == t.to_ascii_uppercase()
    };
    for a in all() {
        for w in a
            .widgets()
            .into_iter()
            .flatten()
            .filter_map(|s| s.resolve().ok())
        {
            let knobs = w.knobs.iter().chain(w.compare.as_ref().map(|c| &c.0));
            let mut texts: Vec<String> = Vec::new();
            for k in knobs {
                texts.push(k.label.clone());
                match &k.kind {
                    knob::KnobKind::Select(options) => {
                        texts.extend(options.iter().map(|o| o.1.clone()))
                    }
                    knob::KnobKind::Range { unit, .. } => texts.push(unit.clone()),
                    knob::KnobKind::Toggle => {}
                }
            }
            if let Some(m) = &w.map {
                texts.extend([
                    m.x.label.clone(),
                    m.x.unit.clone(),
                    m.y.label.clone(),
                    m.y.unit.clone(),
                ]);
            }
            for t in texts {
                assert!(
                    ascii(&t),
                    "{}: label \"{t}\" has non-ASCII letters with a case",
                    a.slug
                );
            }
        }
    }
}

#[test]
fn every_fact_text_appears_verbatim_in_the_body() {
    for a in all() {
        let body = squash(a.body());
        for f in &facts(&a) {
            assert!(
                body.contains(&squash(&f.text)),
                "{}: fact text \"{}\" is not in the body",
                a.slug,
                f.text
            );
        }
    }
}

#[test]
fn every_fact_comes_from_a_widget_the_reader_can_set_the_same_way() {
    for a in all() {
        let widgets: Vec<_> = a
            .widgets()
            .into_iter()
            .flatten()
            .filter_map(|spec| spec.resolve().ok())
            .collect();
        for f in &facts(&a) {
            // Some widget shows the fact's preset with a knob (or the compare
            // knob) for every changed path, and each value is in its range.
            let reproducible = widgets.iter().any(|w| {
                w.name == f.preset
                    && f.set.iter().all(|(path, v)| {
                        w.knobs
                            .iter()
                            .chain(w.compare.as_ref().map(|c| &c.0))
                            .any(|k| &k.path == path && k.parse_value(&value_text(v)).is_ok())
                    })
            });
            assert!(
                reproducible,
                "{}: fact \"{}\" uses preset {} with {:?}, but no widget shows that preset with knobs that reach those values",
                a.slug, f.text, f.preset, f.set
            );
        }
    }
}

/// The number a fact states is one a reader sees: a stat row of a widget
/// showing the fact's preset, or a per-server chart for a server's figure.
#[test]
fn every_fact_states_a_number_a_widget_of_its_preset_shows() {
    let mut missing = Vec::new();
    for a in all() {
        let widgets: Vec<_> = a.widgets().into_iter().flatten().collect();
        for f in &facts(&a) {
            let shown = widgets.iter().any(|w| {
                let stats: Vec<&str> = if w.stats.is_empty() {
                    DEFAULT_STATS.to_vec()
                } else {
                    w.stats.iter().map(String::as_str).collect()
                };
                let chart = |kind: &str| w.charts.iter().any(|c| c == kind);
                w.preset == f.preset
                    && (stats.contains(&f.metric.as_str())
                        || (f.metric.starts_with("servers[")
                            && ((f.metric.ends_with(".utilization") && chart("utilization"))
                                || (f.metric.ends_with("_queue") && chart("queues")))))
            });
            if !shown {
                missing.push(format!(
                    "{}: fact \"{}\" states {}, which no widget of preset {} shows",
                    a.slug, f.text, f.metric, f.preset
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// What one run says about one fact: `None` when it holds.
fn check_fact(f: &brownout_content::article::Fact, summary: &Value) -> Option<String> {
    // A field of the summary, or a metric derived from several.
    let derived = brownout_content::article::metric(summary, &f.metric).map(Value::from);
    let raw = brownout_content::knob::lookup_value(summary, &f.metric)
        .cloned()
        .or(derived);
    let Some(raw) = raw else {
        return Some(format!("no metric {} in the summary", f.metric));
    };
    let got = raw.as_f64();
    match (f.value, f.range, f.null) {
        (None, None, true) => (!raw.is_null()).then(|| format!("{} is {raw}, not null", f.metric)),
        (Some(want), None, false) => {
            let got = got?;
            let off = (got - want).abs() / want.abs();
            (off > f.tolerance).then(|| {
                format!(
                    "states {want} for {}, the run gives {got} ({:.1}% off, tolerance {:.1}%)",
                    f.metric,
                    off * 100.0,
                    f.tolerance * 100.0
                )
            })
        }
        (None, Some([lo, hi]), false) => match got {
            Some(g) if (lo..=hi).contains(&g) => None,
            _ => Some(format!(
                "states {lo} to {hi} for {}, the run gives {raw}",
                f.metric
            )),
        },
        _ => Some("needs exactly one of value, range or null = true".to_string()),
    }
}

#[test]
fn every_fact_matches_its_preset_run_within_tolerance_for_every_seed_it_lists() {
    let mut runs: BTreeMap<String, Value> = BTreeMap::new();
    let mut wrong = Vec::new();
    for a in all() {
        for f in &facts(&a) {
            assert!(
                f.tolerance >= 0.0 && f.value != Some(0.0),
                "{}: fact \"{}\" needs a non-zero value",
                a.slug,
                f.text
            );
            let seeds: Vec<Option<u64>> = if f.seeds.is_empty() {
                vec![None]
            } else {
                f.seeds.iter().copied().map(Some).collect()
            };
            for seed in seeds {
                let key = format!("{} {:?} {seed:?}", f.preset, f.set);
                let summary = match runs.get(&key) {
                    Some(v) => v.clone(),
                    None => {
                        let mut s = scenario_with(&f.preset, &f.set)
                            .unwrap_or_else(|e| panic!("{}: fact \"{}\": {e}", a.slug, f.text));
                        if let Some(seed) = seed {
                            let mut sc = s.scenario().clone();
                            sc.seed = seed;
                            s = sc.validate().unwrap_or_else(|e| panic!("seed {seed}: {e}"));
                        }
                        let run = simulate(&s, Limits::default());
                        assert!(
                            run.summary.cut_at_s.is_none(),
                            "{}: preset {} hit the event budget",
                            a.slug,
                            f.preset
                        );
                        let v = serde_json::to_value(&run.summary)
                            .unwrap_or_else(|e| panic!("summary as JSON: {e}"));
                        runs.insert(key, v.clone());
                        v
                    }
                };
                if let Some(why) = check_fact(f, &summary) {
                    wrong.push(format!(
                        "{}: fact \"{}\" ({} {:?}, seed {}): {why}",
                        a.slug,
                        f.text,
                        f.preset,
                        f.set,
                        seed.map_or("of the preset".to_string(), |s| s.to_string())
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} facts disagree with their runs:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn a_fact_about_a_stochastic_outcome_lists_at_least_five_seeds() {
    // Every simulated figure is stochastic and must hold for five seeds;
    // only queueing theory's values (`theory.*`) are the same for every seed.
    for a in all() {
        for f in &facts(&a) {
            if !f.metric.starts_with("theory.") {
                assert!(
                    f.seeds.len() >= 5,
                    "{}: fact \"{}\" lists {} seeds, at least 5 expected",
                    a.slug,
                    f.text,
                    f.seeds.len()
                );
            }
        }
    }
}

#[test]
fn every_article_body_has_the_length_its_issue_asks_for() {
    for a in all() {
        let n = prose_words(a.body());
        let range = match a.slug.as_str() {
            "round-robin" => ROUND_ROBIN_WORDS,
            "retries" => RETRIES_WORDS,
            _ => WORDS,
        };
        assert!(
            range.contains(&n),
            "{}: {n} words of prose, expected {range:?}",
            a.slug
        );
    }
}

#[test]
fn every_article_ends_with_a_list_of_sources() {
    for a in all() {
        let links = source_links(a.body());
        assert!(
            links.len() >= MIN_SOURCES,
            "{}: a \"## Sources\" heading followed by a list of at least {MIN_SOURCES} links is needed, found {links:?}",
            a.slug
        );
    }
}

#[test]
fn widget_blocks_use_the_widget_info_string_only() {
    // A typo such as ```widgets or ``` widget-x would silently render as code.
    for a in all() {
        for event in Parser::new(a.body()) {
            if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = event {
                let info = info.trim();
                assert!(
                    info == "widget" || !info.starts_with("widget"),
                    "{}: code block with info string \"{info}\"; widgets use exactly ```widget",
                    a.slug
                );
            }
        }
    }
}

#[test]
fn the_word_counter_skips_code_and_counts_prose() {
    let md = "# Two words\n\nThree more words.\n\n```widget\npreset = \"x\"\n```\n\n- [a link](https://example.com) here\n";
    assert_eq!(prose_words(md), 2 + 3 + 3);
}

#[test]
fn the_source_finder_reads_links_under_the_sources_heading_only() {
    let md = "Intro [x](https://a.example).\n\n## Sources\n\n- [one](https://b.example)\n- [two](http://c.example)\n\n## After\n\n- [three](https://d.example)\n";
    assert_eq!(
        source_links(md),
        vec![
            "https://b.example".to_string(),
            "http://c.example".to_string()
        ]
    );
}

/// Article 2's map says: without a budget big spikes leave every base load
/// stuck; with it, light loads recover from any spike on the map and the
/// heaviest stay stuck. Corner cells, over five seeds.
#[test]
fn the_storm_maps_corners_are_what_the_prose_says_for_five_seeds() {
    let a = all()
        .into_iter()
        .find(|a| a.slug == "retries")
        .expect("article 2");
    let w = a
        .widgets()
        .into_iter()
        .filter_map(|w| w.ok()?.resolve().ok())
        .find(|w| w.map.is_some())
        .expect("a widget with a map");
    let map = w.map.clone().expect("map");
    let (nx, ny) = (map.x.values.len(), map.y.values.len());
    let top_left = (ny - 1) * nx;
    let bottom_right = nx - 1;
    for seed in 1..=5 {
        let mut state = w.initial_state();
        state.seed = seed;
        let job = |budget: bool| {
            let mut s = state.clone();
            s.values
                .insert("client.budget.enabled".into(), budget.into());
            w.map_job(&s).expect("map").expect("valid")
        };
        let (off, on) = (job(false), job(true));
        let run = |j: &brownout_content::map::MapJob, k| j.run_cell(k).expect("runs");
        assert!(
            !run(&off, top_left).recovered(),
            "seed {seed}: light load, big spike, no budget"
        );
        assert!(
            run(&on, top_left).recovered(),
            "seed {seed}: the budget rescues it"
        );
        assert!(
            run(&on, 0).recovered(),
            "seed {seed}: light load, small spike"
        );
        assert!(
            !run(&on, bottom_right).recovered(),
            "seed {seed}: 1.1 × 68 does not fit"
        );
    }
}

#[test]
fn every_number_knob_gives_a_valid_scenario_at_both_ends_of_its_slider() {
    let mut refused = Vec::new();
    for a in all() {
        for (i, spec) in a.widgets().into_iter().flatten().enumerate() {
            let widget = spec.resolve().expect("resolves");
            for k in &widget.knobs {
                let knob::KnobKind::Range { min, max, .. } = &k.kind else {
                    continue;
                };
                for end in [*min, *max] {
                    let mut state = widget.initial_state();
                    state
                        .values
                        .insert(k.path.clone(), brownout_sim::scenario::number_value(end));
                    if let Err(e) = widget.scenario(&state, Side::A) {
                        refused.push(format!(
                            "{} widget {}: {} = {end} (an end of its slider) is refused: {e}",
                            a.slug,
                            i + 1,
                            k.path
                        ));
                    }
                }
            }
        }
    }
    assert!(refused.is_empty(), "{}", refused.join("\n"));
}
