//! `demarc who`: triage cards from a component, symptom or team, now or as
//! of a date, on real repositories with history.

mod support;

use support::{MINIMAL, TestRepo, run, stderr, stdout};

/// postgres moves from platform-data to a new team `dba` on 2026-03-01.
fn moved_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_all("", MINIMAL);
    repo.write(
        "scenarios/db.toml",
        "[[scenario]]\nid = \"slow-db-queries\"\ntitle = \"Slow database queries\"\nkeywords = [\"latency\", \"db cpu\"]\ncomponents = [\"postgres\"]\nfirst = \"@consumers\"\nresolution = \"App team optimizes queries\"\nescalate = \"platform-data\"\n",
    );
    repo.commit("first", "2026-01-10T10:00:00Z");
    repo.write(
        "teams/dba.toml",
        "name = \"Database Reliability\"\nkind = \"platform\"\n[oncall]\nrotation = \"dba-primary\"\npager = \"pd:DBA\"\nescalation = [\"dba-lead\"]\n",
    );
    let data = std::fs::read_to_string(repo.path().join("components/data.toml")).unwrap();
    repo.write(
        "components/data.toml",
        &data
            .replace("owner = \"platform-data\"", "owner = \"dba\"")
            .replace("party = \"platform-data\"", "party = \"dba\""),
    );
    repo.commit("postgres moves to dba", "2026-03-01T10:00:00Z");
    repo
}

fn who_json(repo: &TestRepo, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut all = args.to_vec();
    all.push("--json");
    let out = run(repo.path(), &all);
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out.status.code(), v)
}

#[test]
fn owner_and_oncall_now_and_as_of_a_date_before_the_move() {
    let repo = moved_repo();
    let (code, now) = who_json(&repo, &["who", "postgres"]);
    assert_eq!(code, Some(0));
    assert!(now["as_of"].is_null());
    let m = &now["matches"][0];
    assert_eq!(m["kind"], "component");
    assert_eq!(m["id"], "postgres");
    assert_eq!(m["owner"]["id"], "dba");
    assert_eq!(m["owner"]["oncall"]["pager"], "pd:DBA");
    assert_eq!(m["owner"]["oncall"]["escalation"][0], "dba-lead");

    let (code, then) = who_json(&repo, &["--at", "2026-02-01", "who", "postgres"]);
    assert_eq!(code, Some(0));
    assert!(then["as_of"]["commit"].as_str().unwrap().len() == 40);
    assert!(
        then["as_of"]["time"]
            .as_str()
            .unwrap()
            .starts_with("2026-01-10")
    );
    let m = &then["matches"][0];
    assert_eq!(m["owner"]["id"], "platform-data");
    assert_eq!(m["owner"]["oncall"]["rotation"], "data-primary");
    let differs = m["differs_now"].as_array().unwrap();
    assert!(
        differs
            .iter()
            .any(|d| d.as_str().unwrap().contains("owner: platform-data → dba")),
        "{differs:?}"
    );

    // The plain card as of then says so, beside what differs now.
    let out = run(repo.path(), &["--at", "2026-02-01", "who", "postgres"]);
    let text = stdout(&out);
    assert!(text.starts_with("As of 2026-01-10"), "{text}");
    assert!(
        text.contains("Owner      platform-data (Data Platform)"),
        "{text}"
    );
    assert!(text.contains("owner: platform-data → dba (now)"), "{text}");
}

#[test]
fn consumers_are_expanded_to_teams() {
    let repo = moved_repo();
    let (_, v) = who_json(&repo, &["who", "postgres"]);
    let duties = v["matches"][0]["duties"].as_array().unwrap();
    let consumers = duties.iter().find(|d| d["party"] == "@consumers").unwrap();
    assert_eq!(consumers["teams"], serde_json::json!(["checkout"]));
    assert_eq!(consumers["covers"], serde_json::json!(["schema"]));
    let text = stdout(&run(repo.path(), &["who", "postgres"]));
    assert!(text.contains("@consumers (checkout): schema"), "{text}");
}

#[test]
fn a_symptom_finds_its_scenario_by_keyword() {
    let repo = moved_repo();
    let (code, v) = who_json(&repo, &["who", "high db cpu on checkout"]);
    assert_eq!(code, Some(0));
    let scenario = v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "scenario")
        .expect("the scenario matches by keyword");
    assert_eq!(scenario["id"], "slow-db-queries");
    assert_eq!(scenario["first"], "@consumers");
    assert_eq!(scenario["first_teams"], serde_json::json!(["checkout"]));
    assert_eq!(scenario["components"], serde_json::json!(["postgres"]));
}

#[test]
fn a_team_card_lists_what_it_owns() {
    let repo = moved_repo();
    let (_, v) = who_json(&repo, &["who", "dba"]);
    let team = &v["matches"][0];
    assert_eq!(team["kind"], "team");
    assert_eq!(team["owns"], serde_json::json!(["postgres"]));
    assert_eq!(team["oncall"]["rotation"], "dba-primary");
}

#[test]
fn nothing_matching_exits_1_with_suggestions() {
    let repo = moved_repo();
    let out = run(repo.path(), &["who", "postgress"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a near miss still matches fuzzily"
    );
    let out = run(repo.path(), &["who", "zzzz-nothing"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("Nothing matches"),
        "{}",
        stdout(&out)
    );
    let out = run(repo.path(), &["who", "chekout", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    if out.status.code() == Some(1) {
        assert!(
            v["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "checkout"),
            "{v}"
        );
    } else {
        assert!(
            v["matches"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["id"] == "checkout"),
            "{v}"
        );
    }
    let out = run(repo.path(), &["who", "dbx", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["matches"], serde_json::json!([]));
    assert!(
        v["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "dba"),
        "{v}"
    );
}

#[test]
fn a_recent_owner_move_is_a_warning_with_its_commit() {
    let repo = moved_repo();
    // 2026-03-10 is nine days after the move: the card warns.
    let (_, v) = who_json(&repo, &["--at", "2026-03-10", "who", "postgres"]);
    let m = &v["matches"][0];
    let recent = m["recent_changes"].as_array().unwrap();
    let moved = recent
        .iter()
        .find(|c| c["kind"] == "owner_changed")
        .expect("the move is recent");
    assert_eq!(moved["from"], "platform-data");
    assert_eq!(moved["to"], "dba");
    assert_eq!(moved["author"], "Test Author");
    assert_eq!(moved["subject"]["type"], "component");
    let warnings = m["warnings"].as_array().unwrap();
    assert!(
        warnings[0]
            .as_str()
            .unwrap()
            .starts_with("owner changed 9 days before"),
        "{warnings:?}"
    );
    let text = stdout(&run(
        repo.path(),
        &["--at", "2026-03-10", "who", "postgres"],
    ));
    assert!(text.contains("WARNING    !! owner changed"), "{text}");

    // Long after the move (beyond 90 days) there is no warning.
    let (_, v) = who_json(&repo, &["--at", "2026-08-01", "who", "postgres"]);
    assert_eq!(v["matches"][0]["warnings"], serde_json::json!([]));
    assert_eq!(v["matches"][0]["recent_changes"], serde_json::json!([]));
}

#[test]
fn the_triage_card_of_a_shared_component_of_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("sample");
    demarc::sample::build(&sample).unwrap();
    // As of a fixed date, so the card does not depend on today.
    let out = run(&sample, &["--at", "2026-06-01", "who", "kafka"]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&out));
}
