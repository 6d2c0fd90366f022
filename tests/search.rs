//! `demarc search`: the real binary on the sample repository and on small
//! repositories built here.

mod support;

use serde_json::Value;
use std::path::Path;
use support::{MINIMAL, TestRepo, run, stderr, stdout};

fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    demarc::sample::build(dir.path()).expect("the sample builds");
    dir
}

fn search_json(repo: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--json");
    let out = run(repo, &all);
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out.status.code(), v)
}

fn results(v: &Value) -> &Vec<Value> {
    v["results"].as_array().expect("a results array")
}

/// The characters `indices` point at in `text`, lowercased.
fn picked(text: &str, indices: &Value) -> String {
    let chars: Vec<char> = text.chars().collect();
    indices
        .as_array()
        .expect("indices")
        .iter()
        .map(|i| chars[i.as_u64().expect("an index") as usize])
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn json_has_the_contract_shape_and_the_best_match_first() {
    let repo = sample();
    let (code, v) = search_json(repo.path(), &["kafka"]);
    assert_eq!(code, Some(0));
    assert_eq!(v["query"], "kafka");
    let first = &results(&v)[0];
    assert_eq!(first["kind"], "component");
    assert_eq!(first["id"], "kafka");
    assert_eq!(first["name"], "Kafka message queues");
    assert!(
        first["context"]
            .as_str()
            .unwrap()
            .contains("owned by platform-streaming"),
        "{first}"
    );
    assert!(first["score"].as_i64().unwrap() > 0);
    assert_eq!(picked("Kafka message queues", &first["indices"]), "kafka");
    assert!(first.get("field").is_none(), "matched in the name: {first}");
    assert_eq!(
        first["subject"],
        serde_json::json!({"type": "component", "id": "kafka"})
    );
    let scores: Vec<i64> = results(&v)
        .iter()
        .map(|r| r["score"].as_i64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
}

#[test]
fn words_match_in_any_order() {
    let repo = sample();
    for query in ["kafka topic", "topic kafka"] {
        let (code, v) = search_json(repo.path(), &[query]);
        assert_eq!(code, Some(0));
        assert_eq!(results(&v)[0]["id"], "kafka", "{query}: {v}");
    }
}

#[test]
fn a_match_outside_the_name_says_which_field() {
    let repo = sample();
    let (_, v) = search_json(repo.path(), &["tomás"]);
    let first = &results(&v)[0];
    assert_eq!(first["kind"], "team");
    assert_eq!(first["id"], "sre");
    let field = first["field"].as_str().expect("a field key");
    assert!(["members", "lead"].contains(&field), "{first}");
    let matched = first["matched"].as_str().expect("the field's text");
    assert_eq!(picked(matched, &first["indices"]), "tomás");
    // Without the accent it is the same person; in capitals it is exact.
    let (_, v) = search_json(repo.path(), &["tomas herrera"]);
    assert_eq!(results(&v)[0]["id"], "sre");
    let (code, _) = search_json(repo.path(), &["TOMÁS"]);
    assert_eq!(code, Some(1));
}

#[test]
fn a_matrix_row_opens_its_matrix() {
    let repo = sample();
    let (_, v) = search_json(repo.path(), &["define integration standards"]);
    let first = &results(&v)[0];
    assert_eq!(first["kind"], "matrix_row");
    assert_eq!(first["name"], "Define integration standards");
    assert_eq!(
        first["subject"],
        serde_json::json!({"type": "matrix", "id": "collaboration"})
    );
}

#[test]
fn limit_caps_the_results_and_total_counts_them_all() {
    let repo = sample();
    let (_, v) = search_json(repo.path(), &["platform", "--limit", "3"]);
    assert_eq!(results(&v).len(), 3);
    assert!(v["total"].as_u64().unwrap() > 3, "{v}");
    let out = run(repo.path(), &["search", "platform", "--limit", "3"]);
    assert!(stdout(&out).contains("(3 of "), "{}", stdout(&out));
}

#[test]
fn nothing_matching_exits_1() {
    let repo = sample();
    let (code, v) = search_json(repo.path(), &["qqqzzz"]);
    assert_eq!(code, Some(1));
    assert!(results(&v).is_empty());
    let out = run(repo.path(), &["search", "qqqzzz"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("no match"), "{}", stdout(&out));
}

#[test]
fn plain_output_is_one_aligned_line_per_result() {
    let repo = sample();
    let out = run(repo.path(), &["search", "platform", "--limit", "6"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('(')).collect();
    assert_eq!(lines.len(), 6, "{text}");
    // The id column starts at the same place on every line.
    let id_column: Vec<usize> = lines
        .iter()
        .map(|l| {
            let kind_end = l.find(' ').unwrap();
            kind_end + l[kind_end..].find(|c| c != ' ').unwrap()
        })
        .collect();
    assert!(id_column.windows(2).all(|w| w[0] == w[1]), "{text}");
    assert!(
        lines[0].starts_with("team") || lines[0].starts_with("component"),
        "{text}"
    );
}

#[test]
fn repository_text_cannot_drive_the_terminal() {
    let repo = TestRepo::new();
    repo.write_all("", MINIMAL);
    repo.write(
        "components/evil.toml",
        "[[component]]\nid = \"evil\"\nname = \"Evil \\u001b[2J\\u202e widget\"\nowner = \"checkout\"\ntags = [\"x\\u0007y\"]\n",
    );
    let out = run(repo.path(), &["search", "evil"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Evil"), "{text}");
    assert!(
        !text
            .chars()
            .any(|c| c == '\u{1b}' || c == '\u{202e}' || c == '\u{7}'),
        "{text:?}"
    );
    let out = run(repo.path(), &["search", "evil", "--json"]);
    assert!(!stdout(&out).contains('\u{202e}'), "{}", stdout(&out));
}

#[test]
fn reads_a_past_commit_with_rev() {
    let repo = TestRepo::new();
    repo.write_all("", MINIMAL);
    repo.commit("first", "2026-01-10T10:00:00Z");
    repo.write(
        "components/more.toml",
        "[[component]]\nid = \"zurich-gateway\"\nname = \"Zürich gateway\"\nowner = \"checkout\"\n",
    );
    let (code, v) = search_json(repo.path(), &["zürich"]);
    assert_eq!(code, Some(0));
    assert_eq!(results(&v)[0]["id"], "zurich-gateway");
    assert_eq!(
        picked("Zürich gateway", &results(&v)[0]["indices"]),
        "zürich"
    );
    let (code, _) = search_json(repo.path(), &["zürich", "--rev", "HEAD"]);
    assert_eq!(code, Some(1), "the gateway is not committed yet");
}

#[test]
fn an_unreadable_repository_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["search", "kafka", "-C", "does/not/exist"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("demarc: "), "{}", stderr(&out));
}
