//! Bad scenario files get an error naming the field, and the line.

use brownout_sim::{Format, ScenarioError, parse};

const GOOD: &str = "seed = 7\nduration_s = 60\n[traffic]\nrate_rps = 90\n[[servers]]\ncount = 10\nworkers = 1\nservice_ms = { dist = \"exponential\", mean = 100 }\n";

fn error(text: &str) -> ScenarioError {
    match parse(text, Format::Toml) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn the_documented_example_is_accepted() {
    let s = parse(GOOD, Format::Toml).expect("valid");
    assert_eq!(s.scenario().seed, 7);
    assert_eq!(s.server_count(), 10);
}

#[test]
fn an_unknown_field_is_named_with_its_line() {
    let e = error(&GOOD.replace("workers = 1", "workers = 1\nwrokers = 2"));
    assert_eq!(e.line, Some(8));
    assert!(e.message.contains("unknown field `wrokers`"), "{e}");
}

#[test]
fn a_wrong_type_is_named_with_its_line() {
    let e = error(&GOOD.replace("rate_rps = 90", "rate_rps = \"fast\""));
    assert_eq!(e.line, Some(4));
    assert!(e.to_string().contains("invalid type"), "{e}");
}

#[test]
fn zero_workers_names_the_field_and_its_line() {
    let e = error(&GOOD.replace("workers = 1", "workers = 0"));
    assert_eq!(e.field, "servers[0].workers");
    assert_eq!(e.line, Some(7));
    assert_eq!(
        e.to_string(),
        "line 7: servers[0].workers: must be between 1 and 10000, got 0"
    );
}

#[test]
fn negative_and_absurd_values_are_refused_by_name() {
    let cases = [
        ("rate_rps = 90", "rate_rps = -5", "traffic.rate_rps"),
        ("duration_s = 60", "duration_s = 0", "duration_s"),
        ("duration_s = 60", "duration_s = 1e300", "duration_s"),
        ("count = 10", "count = 100000", "servers"),
        ("mean = 100", "mean = -1", "servers[0].service_ms.mean"),
        ("workers = 1", "workers = 1\nspeed = 0", "servers[0].speed"),
        (
            "workers = 1",
            "workers = 1\nspeed = nan",
            "servers[0].speed",
        ),
    ];
    for (from, to, field) in cases {
        assert_eq!(error(&GOOD.replace(from, to)).field, field, "{to}");
    }
}

#[test]
fn a_run_with_an_absurd_event_count_is_refused_with_the_estimate() {
    let e = error(&GOOD.replace("duration_s = 60", "duration_s = 9000000"));
    assert_eq!(e.field, "duration_s");
    assert!(e.message.contains("about 810000000 requests"), "{e}");
}

#[test]
fn a_fault_on_a_missing_group_lists_the_valid_range() {
    let text = format!("{GOOD}[[faults]]\ngroup = 3\nkind = \"down\"\nat_s = 1\n");
    let e = error(&text);
    assert_eq!(e.field, "faults[0].group");
    assert!(e.message.contains("numbered 0 to 0"), "{e}");
    assert_eq!(e.line, Some(10));
}

#[test]
fn a_slow_fault_without_factor_says_what_to_add() {
    let text = format!("{GOOD}[[faults]]\ngroup = 0\nkind = \"slow\"\nat_s = 1\n");
    assert!(error(&text).message.contains("needs a factor"));
}

#[test]
fn an_unknown_policy_lists_the_known_ones() {
    let e = error(&format!("{GOOD}[balancer]\npolicy = \"fastest\"\n"));
    assert!(e.message.contains("round_robin"), "{e}");
    assert_eq!(e.line, Some(10));
}

#[test]
fn json_with_the_same_fields_is_accepted_and_its_errors_have_lines() {
    let json = r#"{"seed": 7, "duration_s": 60, "traffic": {"rate_rps": 90},
  "servers": [{"count": 2, "workers": 1, "service_ms": {"dist": "constant", "value": 5}}]}"#;
    assert!(parse(json, Format::Json).is_ok());
    let e = parse(
        &json.replace("\"workers\": 1", "\"workers\": -1"),
        Format::Json,
    )
    .expect_err("negative");
    assert_eq!(e.line, Some(2));
}

#[test]
fn a_mixture_part_with_an_unknown_field_is_refused() {
    let text = GOOD.replace(
        "{ dist = \"exponential\", mean = 100 }",
        "{ dist = \"mixture\", parts = [ { weight = 1, dist = \"constant\", value = 1, colour = 2 } ] }",
    );
    assert!(error(&text).message.contains("colour"));
}

#[test]
fn a_scenario_survives_a_round_trip_through_toml() {
    let s = parse(GOOD, Format::Toml).expect("valid");
    let again = parse(&s.scenario().to_toml(), Format::Toml).expect("round trip");
    assert_eq!(s.scenario(), again.scenario());
}

#[test]
fn balancer_counts_and_view_ages_out_of_range_are_refused_by_name() {
    let with = |extra: &str| {
        let table = format!("[balancer]\npolicy = \"least_connections\"\n{extra}\n[[servers]]");
        GOOD.replace("[[servers]]", &table)
    };
    let e = error(&with("balancers = 0"));
    assert_eq!(e.field, "balancer.balancers");
    assert!(e.message.contains("between 1 and 64"), "{e}");
    let e = error(&with("view_refresh_ms = -5"));
    assert_eq!(e.field, "balancer.view_refresh_ms");
    assert!(e.message.contains("or 0 for a live view"), "{e}");
    assert!(parse(&with("balancers = 4\nview_refresh_ms = 250"), Format::Toml).is_ok());
}
