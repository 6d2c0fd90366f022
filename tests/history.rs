//! `demarc history` and `demarc diff` on real repositories built in temp
//! dirs, and the history library the dashboard drives.

#[path = "common/history_repo.rs"]
mod history_repo;

use demarc::history::{self, ChangeKind, WalkOptions, Walker};
use demarc::repo::Repo;
use history_repo::{TestRepo, base_files};
use serde_json::Value;
use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::path::Path;
use std::process::Command;

fn demarc(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_demarc"))
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("run demarc");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let (code, stdout, stderr) = demarc(dir, args);
    assert_eq!(code, 0, "demarc {args:?} failed: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {stdout}"))
}

/// Per commit (newest first): its message and the kinds of its changes.
fn kinds_by_commit(history: &Value) -> Vec<(String, Vec<String>)> {
    history["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let kinds = c["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|ch| ch["kind"].as_str().unwrap().to_string())
                .collect();
            (c["message"].as_str().unwrap().to_string(), kinds)
        })
        .collect()
}

fn summaries(commit: &Value) -> Vec<String> {
    commit["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["summary"].as_str().unwrap().to_string())
        .collect()
}

/// A repository whose commits produce every kind of change, one theme each.
fn every_kind_repo() -> TestRepo {
    let mut r = TestRepo::new();
    base_files(&mut r, "");
    r.commit("founding");
    r.edit(
        "components/data.toml",
        "name = \"Kafka\"\nlayer = \"service\"\npillar = \"infrastructure\"\nowner = \"data\"\ntier = 2\nconsumers = [\"checkout\"]",
        "name = \"Kafka\"\nlayer = \"cloud-foundation\"\npillar = \"observability\"\nowner = \"infra\"\ntier = 1\nconsumers = [\"checkout\", \"search\"]",
    );
    r.commit("kafka moves");
    r.edit(
        "components/data.toml",
        "covers = [\"backups\", \"query optimization\"]",
        "covers = [\"monitoring\"]",
    )
    .edit(
        "components/data.toml",
        "covers = [\"schema\"]",
        "covers = [\"schema\", \"query optimization\", \"indexes\"]",
    );
    r.commit("postgres duties");
    r.edit(
        "teams/data.toml",
        "lead = \"Lead data\"",
        "lead = \"New lead\"",
    )
    .edit(
        "teams/data.toml",
        "hours = \"business\"",
        "hours = \"24x7\"",
    )
    .edit(
        "teams/data.toml",
        "[\"data-secondary\", \"head\"]",
        "[\"data-secondary\", \"sre-ic\", \"head\"]",
    );
    r.commit("data team on-call");
    r.edit(
        "layers.toml",
        "\"@operations\" = \"informs\"",
        "\"@operations\" = \"supports\"",
    )
    .edit(
        "pillars.toml",
        "primary = [\"infra\"]",
        "primary = [\"infra\", \"data\"]",
    )
    .edit("pillars.toml", "Infrastructure API", "Resource API")
    .edit(
        "pillars.toml",
        "infra = [\"Automate provisioning\"]",
        "infra = [\"Automate provisioning\"]\ndata = [\"Run databases\"]",
    );
    r.commit("layers and pillars");
    r.edit(
        "scenarios/db.toml",
        "Apps optimize queries",
        "Apps optimize queries; data checks capacity",
    )
    .edit("matrices/raci.toml", "[\"A\", \"-\"]", "[\"A\", \"C\"]");
    r.commit("playbook and raci");
    let text = r.files["components/data.toml"].clone();
    let kafka_at = text.find("[[component]]\nid = \"kafka\"").unwrap();
    r.write("components/data.toml", &text[..kafka_at]);
    r.delete("teams/search.toml").delete("scenarios/db.toml");
    r.commit("removals");
    r
}

#[test]
fn every_change_kind_is_reported_per_commit() {
    let r = every_kind_repo();
    let history = json(&r.path(), &["history", "--json"]);
    let commits = kinds_by_commit(&history);
    let messages: Vec<&str> = commits.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "removals",
            "playbook and raci",
            "layers and pillars",
            "data team on-call",
            "postgres duties",
            "kafka moves",
            "founding"
        ]
    );
    let kinds = |i: usize| commits[i].1.iter().map(String::as_str).collect::<Vec<_>>();
    assert_eq!(
        kinds(0),
        ["component_removed", "team_removed", "scenario_removed"]
    );
    assert_eq!(kinds(1), ["scenario_changed", "matrix_changed"]);
    assert_eq!(
        kinds(2),
        [
            "layer_role_changed",
            "pillar_primary_changed",
            "pillar_boundary_changed",
            "pillar_duties_changed"
        ]
    );
    assert_eq!(
        kinds(3),
        ["team_changed", "oncall_changed", "escalation_changed"]
    );
    assert_eq!(
        kinds(4),
        ["duty_added", "duty_moved", "duty_added", "duty_removed"]
    );
    assert_eq!(
        kinds(5),
        [
            "owner_changed",
            "layer_changed",
            "pillar_changed",
            "tier_changed",
            "consumers_changed"
        ]
    );
    let all: BTreeSet<&str> = commits
        .iter()
        .flat_map(|(_, k)| k.iter().map(String::as_str))
        .collect();
    let expected: BTreeSet<&str> = ChangeKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(all, expected, "some change kind is never produced");

    let postgres = &history["commits"][4];
    assert_eq!(
        summaries(postgres),
        [
            "postgres: duty \"monitoring\" added for data",
            "postgres: duty \"query optimization\" data -> @consumers",
            "postgres: duty \"indexes\" added for @consumers",
            "postgres: duty \"backups\" removed from data",
        ]
    );
    let moved = &postgres["changes"][1];
    assert_eq!(moved["duty"], "query optimization");
    assert_eq!(moved["from"], "data");
    assert_eq!(moved["to"], "@consumers");
    assert_eq!(moved["subject"]["type"], "component");
    let founding = &history["commits"][6];
    assert_eq!(founding["author"], "Ann Author");
    assert_eq!(founding["email"], "ann@example.test");
    assert_eq!(founding["broken"], false);
    assert_eq!(founding["time"], "2026-01-01T12:00:00+00:00");
    assert_eq!(founding["commit"].as_str().unwrap().len(), 40);
}

#[test]
fn plain_output_has_one_block_per_commit_with_readable_lines() {
    let r = every_kind_repo();
    let (code, out, _) = demarc(&r.path(), &["history"]);
    assert_eq!(code, 0);
    assert!(out.contains("kafka: owner data → infra"), "{out}");
    assert!(out.contains("kafka: tier 2 → 1"), "{out}");
    assert!(
        out.contains("2026-01-06  Ann Author  playbook and raci"),
        "{out}"
    );
    let blocks = out.trim_end().split("\n\n").count();
    assert_eq!(blocks, 7, "{out}");
}

#[test]
fn a_broken_commit_is_recorded_and_the_fix_shows_no_phantom_changes() {
    let mut r = TestRepo::new();
    base_files(&mut r, "");
    r.commit("founding");
    // Breaks components/data.toml (and changes a tier in it), and changes a
    // team in a good file in the same commit.
    r.edit(
        "components/data.toml",
        "tier = 1\nconsumers = [\"checkout\"]",
        "tier = 3\nconsumers = [\"checkout\"",
    )
    .edit(
        "teams/data.toml",
        "lead = \"Lead data\"",
        "lead = \"Someone\"",
    );
    r.commit("break it");
    r.edit(
        "components/data.toml",
        "consumers = [\"checkout\"\n",
        "consumers = [\"checkout\"]\n",
    );
    r.commit("fix it");
    r.edit(
        "pillars.toml",
        "primary = [\"infra\"]",
        "primary = [\"infra\"",
    );
    r.commit("break pillars");
    let history = json(&r.path(), &["history", "--json"]);
    let commits = history["commits"].as_array().unwrap();
    assert_eq!(commits.len(), 4);
    assert_eq!(commits[0]["message"], "break pillars");
    assert_eq!(commits[0]["broken"], true);
    assert!(
        commits[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("pillars.toml:"),
        "{}",
        commits[0]
    );
    assert_eq!(commits[1]["message"], "fix it");
    assert_eq!(commits[1]["broken"], false);
    assert_eq!(
        summaries(&commits[1]),
        ["postgres: tier 1 -> 3", "data: lead Lead data -> Someone"],
        "the fix carries the broken commit's changes, and nothing else"
    );
    assert_eq!(commits[2]["message"], "break it");
    assert_eq!(commits[2]["broken"], true);
    assert!(
        commits[2]["error"]
            .as_str()
            .unwrap()
            .starts_with("components/data.toml:")
    );
    assert_eq!(commits[2]["changes"].as_array().unwrap().len(), 0);
    assert_eq!(commits[3]["message"], "founding");

    let (_, out, _) = demarc(&r.path(), &["history"]);
    assert!(out.contains("broken: components/data.toml:"), "{out}");
}

#[test]
fn a_merge_commit_brings_its_branch_changes_on_the_first_parent_line() {
    let mut r = TestRepo::new();
    base_files(&mut r, "");
    let base = r.commit("founding");
    // A side branch changes kafka's owner.
    let saved = r.files.clone();
    r.edit(
        "components/data.toml",
        "owner = \"data\"\ntier = 2",
        "owner = \"sre\"\ntier = 2",
    );
    let side = r.commit_with("side: kafka to sre", "Bob Branch", &[base], false);
    let side_files = r.files.clone();
    // Main changes a tier meanwhile.
    r.files = saved;
    r.edit("components/data.toml", "tier = 1", "tier = 2");
    let main = r.commit("main: postgres tier 2");
    // The merge takes both.
    r.files = side_files;
    r.edit("components/data.toml", "tier = 1", "tier = 2");
    r.commit_with("Merge branch side", "Ann Author", &[main, side], true);
    r.head = Some(r.repo.head().unwrap().target().unwrap());
    let history = json(&r.path(), &["history", "--json"]);
    let commits = history["commits"].as_array().unwrap();
    let messages: Vec<&str> = commits
        .iter()
        .map(|c| c["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        ["Merge branch side", "main: postgres tier 2", "founding"]
    );
    assert_eq!(summaries(&commits[0]), ["kafka: owner data -> sre"]);
    assert_eq!(summaries(&commits[1]), ["postgres: tier 1 -> 2"]);
}

#[test]
fn renaming_or_splitting_data_files_is_no_boundary_change() {
    let mut r = TestRepo::new();
    base_files(&mut r, "");
    r.commit("founding");
    let text = r.files["components/data.toml"].clone();
    r.delete("components/data.toml")
        .write("components/core.toml", &text);
    r.commit("rename the file");
    let kafka_at = text.find("[[component]]\nid = \"kafka\"").unwrap();
    r.write("components/core.toml", &text[..kafka_at])
        .write("components/streaming.toml", &text[kafka_at..]);
    r.commit("split the file");
    let history = json(&r.path(), &["history", "--json"]);
    let commits = history["commits"].as_array().unwrap();
    assert_eq!(commits.len(), 3);
    for commit in &commits[..2] {
        assert_eq!(commit["changes"].as_array().unwrap().len(), 0, "{commit}");
    }
    let (_, out, _) = demarc(&r.path(), &["history"]);
    assert_eq!(out.matches("no boundary changes").count(), 2, "{out}");
}

#[test]
fn readme_and_other_files_do_not_make_a_data_commit() {
    let mut r = TestRepo::new();
    base_files(&mut r, "");
    r.commit("founding");
    r.write("README.md", "# hello\n");
    r.commit("readme");
    r.write("components/notes.md", "not data\n");
    r.commit("notes");
    r.edit("components/data.toml", "tier = 1", "tier = 2");
    r.commit("tier");
    let history = json(&r.path(), &["history", "--json"]);
    let messages: Vec<&str> = history["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages, ["tier", "founding"]);
}

#[test]
fn dir_picks_the_data_folder_and_other_commits_are_skipped() {
    let mut r = TestRepo::new();
    r.write("src/main.rs", "fn main() {}\n");
    r.commit("code before the data");
    base_files(&mut r, "ownership/");
    r.commit("add ownership data");
    r.write("src/main.rs", "fn main() { println!(); }\n");
    r.commit("code change");
    r.write("ownership/README.md", "about\n");
    r.commit("data readme");
    r.edit(
        "ownership/components/data.toml",
        "owner = \"data\"\ntier = 2",
        "owner = \"infra\"\ntier = 2",
    );
    r.commit("kafka to infra");
    let history = json(&r.path(), &["--dir", "ownership", "history", "--json"]);
    let commits = history["commits"].as_array().unwrap();
    let messages: Vec<&str> = commits
        .iter()
        .map(|c| c["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages, ["kafka to infra", "add ownership data"]);
    assert_eq!(summaries(&commits[0]), ["kafka: owner data -> infra"]);
    // Without --dir, the root has no demarc.toml: a clear error, exit 2.
    let (code, _, err) = demarc(&r.path(), &["history"]);
    assert_eq!(code, 2);
    assert!(err.contains("--dir"), "{err}");
}

#[test]
fn a_shallow_clone_stops_at_its_boundary_with_a_note() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("note: git is not installed; skipping the shallow clone test");
        return;
    }
    let mut r = TestRepo::new();
    base_files(&mut r, "");
    r.commit("founding");
    for tier in 2..=8 {
        r.edit(
            "components/data.toml",
            &format!("tier = {}", tier - 1),
            &format!("tier = {tier}"),
        );
        r.commit(&format!("postgres tier {tier}"));
    }
    let clone = tempfile::tempdir().unwrap();
    let dest = clone.path().join("shallow");
    let url = format!("file://{}", r.path().display());
    let status = Command::new("git")
        .args(["clone", "--quiet", "--depth", "5", &url])
        .arg(&dest)
        .status()
        .unwrap();
    assert!(status.success());
    let history = json(&dest, &["history", "--json"]);
    let commits = history["commits"].as_array().unwrap();
    let messages: Vec<&str> = commits
        .iter()
        .map(|c| c["message"].as_str().unwrap())
        .collect();
    // Five commits in the clone: the oldest is the boundary, its changes unknown.
    assert_eq!(
        messages,
        [
            "postgres tier 8",
            "postgres tier 7",
            "postgres tier 6",
            "postgres tier 5"
        ]
    );
    assert_eq!(summaries(&commits[3]), ["postgres: tier 4 -> 5"]);
    assert!(
        history["shallow_boundary"]["commit"].is_string(),
        "{history}"
    );
    let (code, out, _) = demarc(&dest, &["history"]);
    assert_eq!(code, 0);
    assert!(out.contains("shallow clone"), "{out}");
    assert!(
        !out.contains("added"),
        "no phantom additions at the boundary: {out}"
    );
}

#[test]
fn since_and_until_bound_the_commits() {
    let mut r = TestRepo::new();
    base_files(&mut r, "");
    r.commit("day 0");
    for tier in 2..=6 {
        r.edit(
            "components/data.toml",
            &format!("tier = {}", tier - 1),
            &format!("tier = {tier}"),
        );
        r.commit(&format!("day {}", tier - 1));
    }
    let since = TestRepo::time_of(2);
    let until = TestRepo::time_of(4);
    let history = json(
        &r.path(),
        &["history", "--since", &since, "--until", &until, "--json"],
    );
    let messages: Vec<&str> = history["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages, ["day 4", "day 3", "day 2"]);
    assert_eq!(summaries(&history["commits"][2]), ["postgres: tier 2 -> 3"]);
    let (code, _, err) = demarc(&r.path(), &["history", "--since", "last week"]);
    assert_eq!(code, 2);
    assert!(err.contains("YYYY-MM-DD"), "{err}");
}

#[test]
fn component_and_team_filters_keep_matching_changes() {
    let r = every_kind_repo();
    let history = json(&r.path(), &["history", "--component", "kafka", "--json"]);
    for commit in history["commits"].as_array().unwrap() {
        for change in commit["changes"].as_array().unwrap() {
            assert_eq!(change["subject"]["id"], "kafka", "{change}");
        }
    }
    let messages: Vec<&str> = history["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages, ["removals", "kafka moves", "founding"]);

    let history = json(&r.path(), &["history", "--team", "search", "--json"]);
    let all: Vec<String> = history["commits"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(summaries)
        .collect();
    assert!(all.contains(&"team search removed".to_string()), "{all:?}");
    assert!(
        all.contains(&"kafka: consumers + search".to_string()),
        "{all:?}"
    );
    assert!(!all.iter().any(|s| s.contains("postgres")), "{all:?}");
    // As owner: kafka belonged to infra when it was removed.
    let history = json(&r.path(), &["history", "--team", "infra", "--json"]);
    let all: Vec<String> = history["commits"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(summaries)
        .collect();
    assert!(
        all.contains(&"kafka: removed (was owned by infra)".to_string()),
        "{all:?}"
    );
    assert!(all.contains(&"kafka: tier 2 -> 1".to_string()), "{all:?}");

    // An id found in no version is a typo, not a quiet component.
    let (code, out, err) = demarc(&r.path(), &["history", "--component", "nothing-here"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("no component `nothing-here` in any version of the data"),
        "{err}"
    );
    // A removed team existed once: its history is valid to ask for.
    let (code, out, _) = demarc(&r.path(), &["history", "--team", "search"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn diff_between_revisions_dates_and_the_work_tree() {
    let r = every_kind_repo();
    let d = json(&r.path(), &["diff", "HEAD~3", "HEAD~2", "--json"]);
    let kinds: Vec<&str> = d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "layer_role_changed",
            "pillar_primary_changed",
            "pillar_boundary_changed",
            "pillar_duties_changed"
        ]
    );
    assert_eq!(d["from"].as_str().unwrap().len(), 40);
    // Dates: the last commit at or before the end of each day.
    let by_date = json(
        &r.path(),
        &[
            "diff",
            &TestRepo::time_of(3),
            &TestRepo::time_of(4),
            "--json",
        ],
    );
    assert_eq!(by_date["changes"], d["changes"]);
    // TO defaults to the work tree, uncommitted edits included.
    let clean = json(&r.path(), &["diff", "HEAD", "--json"]);
    assert_eq!(clean["changes"].as_array().unwrap().len(), 0);
    assert!(clean["to"].is_null());
    let file = r.path().join("components/data.toml");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("owner = \"data\"", "owner = \"sre\"");
    std::fs::write(&file, text).unwrap();
    let (code, out, _) = demarc(&r.path(), &["diff", "HEAD"]);
    assert_eq!(code, 0);
    assert!(out.contains("to the work tree"), "{out}");
    assert!(out.contains("postgres: owner data → sre"), "{out}");
    let (code, _, err) = demarc(&r.path(), &["diff", "no-such-rev"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-rev"), "{err}");
}

#[test]
fn history_of_a_plain_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("demarc.toml"), "schema = 1\n").unwrap();
    let (code, _, err) = demarc(dir.path(), &["history"]);
    assert_eq!(code, 2);
    assert!(err.contains("no history"), "{err}");
}

fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sample");
    demarc::sample::build(&out).expect("sample builds");
    dir
}

#[test]
fn the_sample_history_tells_its_story() {
    let dir = sample();
    let path = dir.path().join("sample");
    let (code, out, _) = demarc(&path, &["history"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("sample_history", out);
}

#[test]
fn walker_hands_out_batches_newest_first_and_can_stop() {
    let dir = sample();
    let repo = Repo::open(&dir.path().join("sample"), None).unwrap();
    let options = WalkOptions {
        batch_size: 5,
        ..WalkOptions::default()
    };
    let mut walker = Walker::new(&repo, options.clone()).unwrap();
    let first = walker.next_batch().unwrap().unwrap();
    assert_eq!(first.entries.len(), 5);
    assert_eq!(first.progress.entries, 5);
    assert!(!first.progress.done);
    assert!(
        first
            .entries
            .windows(2)
            .all(|w| w[0].commit.time >= w[1].commit.time)
    );
    assert!(
        first.entries[0]
            .commit
            .message
            .starts_with("Record code paths")
    );

    let mut batches = 0;
    let summary = history::walk(&repo, options.clone(), |_| {
        batches += 1;
        ControlFlow::Break(())
    })
    .unwrap();
    assert_eq!(batches, 1);
    assert_eq!(summary.progress.entries, 5);
    assert!(!summary.progress.done);

    let (all, summary) = history::collect(&repo, options).unwrap();
    assert_eq!(all.len(), 21, "22 commits, the README-only one skipped");
    assert!(summary.progress.done);
    assert_eq!(summary.progress.commits_walked, 22);
    assert!(all[..5].iter().zip(&first.entries).all(|(a, b)| a == b));
}

#[test]
fn owner_since_answers_since_when_and_who() {
    let dir = sample();
    let repo = Repo::open(&dir.path().join("sample"), None).unwrap();
    let (entries, _) = history::collect(&repo, WalkOptions::default()).unwrap();
    let owners = history::owner_since(&entries);
    let kafka = &owners["kafka"];
    assert_eq!(kafka.holder.as_deref(), Some("platform-streaming"));
    assert_eq!(kafka.commit.author, "Priya Natarajan");
    assert!(kafka.commit.message.starts_with("Split platform-data"));
    assert_eq!(owners["alerting"].holder.as_deref(), Some("sre"));
    assert_eq!(owners["alerting"].commit.author, "Tomás Herrera");
    assert_eq!(owners["postgres"].kind, ChangeKind::ComponentAdded);
    assert_eq!(owners["postgres"].commit.author, "Dana Ruiz");
    assert!(
        !owners.contains_key("jenkins"),
        "removed components have no owner"
    );
    let oncall = history::oncall_since(&entries);
    assert_eq!(oncall["payments"].commit.author, "Amara Nwosu");
    assert_eq!(
        oncall["payments"].holder.as_deref(),
        Some("payments-follow-the-sun")
    );
    assert_eq!(oncall["platform-data"].commit.author, "Marta Kowalski");
    assert_eq!(oncall["sre"].kind, ChangeKind::TeamAdded);
}

/// The walk diffs only the files that changed, carried backwards through
/// the history; it must agree with a diff of the two whole models.
fn assert_walk_matches_whole_models(path: &Path) {
    let repo = Repo::open(path, None).unwrap();
    let (entries, _) = history::collect(&repo, WalkOptions::default()).unwrap();
    let model_at = |id: &str| {
        let snapshot = repo
            .snapshot(&demarc::repo::Source::Rev(id.to_string()))
            .unwrap();
        demarc::model::parse_all(
            snapshot
                .files
                .iter()
                .map(|f| (f.path.as_str(), f.bytes.as_slice())),
        )
        .0
    };
    let good: Vec<&history::HistoryEntry> = entries.iter().filter(|e| !e.is_broken()).collect();
    assert!(good.len() > 2);
    for pair in good.windows(2) {
        let (newer, older) = (pair[0], pair[1]);
        let whole = history::diff_models(&model_at(&older.commit.id), &model_at(&newer.commit.id));
        assert_eq!(newer.changes, whole, "commit {}", newer.commit.summary());
    }
    let oldest = good.last().unwrap();
    let whole = history::diff_models(&Default::default(), &model_at(&oldest.commit.id));
    assert_eq!(oldest.changes, whole);
}

#[test]
fn the_walk_agrees_with_diffs_of_whole_models() {
    let dir = sample();
    assert_walk_matches_whole_models(&dir.path().join("sample"));
    assert_walk_matches_whole_models(&every_kind_repo().path());
}

#[test]
fn large_component_files_parsed_table_by_table_agree_with_whole_models() {
    let mut r = TestRepo::new();
    base_files(&mut r, "");
    let mut big = String::from("# many components in one file\n\n");
    for i in 0..80 {
        big.push_str(&format!(
            "[[component]]\nid = \"svc-{i}\"\nname = \"Service {i}, a name long enough to make the file large\"\nowner = \"data\"\ntier = 2\nconsumers = [\"checkout\"]\n\n[[component.duty]]\nparty = \"data\"\ncovers = [\"run {i}\", \"upgrade {i}\"]\n\n"
        ));
    }
    assert!(big.len() > 8 * 1024);
    r.write("components/big.toml", &big);
    r.commit("big file");
    r.edit("components/big.toml", "id = \"svc-7\"\nname = \"Service 7, a name long enough to make the file large\"\nowner = \"data\"", "id = \"svc-7\"\nname = \"Service 7, a name long enough to make the file large\"\nowner = \"infra\"");
    r.commit("svc-7 to infra");
    r.edit("components/big.toml", "covers = [\"run 40\", \"upgrade 40\"]", "covers = [\"run 40\"]\n\n[[component.duty]]\nparty = \"@consumers\"\ncovers = [\"upgrade 40\"]");
    r.commit("svc-40 upgrades to consumers");
    r.edit(
        "components/big.toml",
        "consumers = [\"checkout\"]\n\n[[component.duty]]\nparty = \"data\"\ncovers = [\"run 3\"",
        "consumers = [\"checkout\"\n\n[[component.duty]]\nparty = \"data\"\ncovers = [\"run 3\"",
    );
    r.commit("break it");
    r.edit(
        "components/big.toml",
        "consumers = [\"checkout\"\n\n",
        "consumers = [\"checkout\", \"search\"]\n\n",
    );
    r.commit("fix it with a new consumer");
    let text = r.files["components/big.toml"].clone();
    let cut = text.find("[[component]]\nid = \"svc-79\"").unwrap();
    r.write(
        "components/big.toml",
        &format!(
            "{}[[component]]\nid = \"svc-new\"\nname = \"New\"\nowner = \"sre\"\n",
            &text[..cut]
        ),
    );
    r.commit("replace svc-79");
    assert_walk_matches_whole_models(&r.path());
    let history = json(&r.path(), &["history", "--json"]);
    let commits = history["commits"].as_array().unwrap();
    assert_eq!(
        summaries(&commits[0]),
        [
            "svc-79: removed (was owned by data)",
            "svc-new: added, owned by sre"
        ]
    );
    assert_eq!(summaries(&commits[1]), ["svc-3: consumers + search"]);
    assert_eq!(commits[2]["broken"], true);
    assert!(
        commits[2]["error"]
            .as_str()
            .unwrap()
            .starts_with("components/big.toml:")
    );
    assert_eq!(
        summaries(&commits[3]),
        ["svc-40: duty \"upgrade 40\" data -> @consumers"]
    );
    assert_eq!(summaries(&commits[4]), ["svc-7: owner data -> infra"]);
}

/// Reviews re-date every table of a large file; the walk counts a table
/// that differs only in its date as the table it was re-dated from (no
/// parse, no compare), and must still agree with whole models: a review
/// that also moves an owner, a review that is broken and then fixed
/// (re-dated tables chained across the broken commit), a review that
/// undoes another.
#[test]
fn review_commits_that_redate_every_table_agree_with_whole_models() {
    let mut r = TestRepo::new();
    base_files(&mut r, "");
    let mut big = String::from("# many components in one file\n\n");
    for i in 0..80 {
        big.push_str(&format!(
            "[[component]]\nid = \"svc-{i}\"\nname = \"Service {i}, a name long enough to make the file large\"\nowner = \"data\"\ntier = 2\nreviewed = 2026-01-01\nconsumers = [\"checkout\"]\n\n[[component.duty]]\nparty = \"data\"\ncovers = [\"run {i}\", \"upgrade {i}\"]\n\n"
        ));
    }
    r.write("components/big.toml", &big);
    r.commit("big file");
    let redate = |r: &mut TestRepo, from: &str, to: &str| {
        let text = r.files["components/big.toml"].replace(from, to);
        r.write("components/big.toml", &text);
    };
    redate(&mut r, "reviewed = 2026-01-01", "reviewed = 2026-04-01");
    r.commit("review, nothing else");
    redate(&mut r, "reviewed = 2026-04-01", "reviewed = 2026-07-01");
    r.edit(
        "components/big.toml",
        "id = \"svc-7\"\nname = \"Service 7, a name long enough to make the file large\"\nowner = \"data\"",
        "id = \"svc-7\"\nname = \"Service 7, a name long enough to make the file large\"\nowner = \"infra\"",
    );
    r.commit("review, and svc-7 to infra");
    redate(&mut r, "reviewed = 2026-07-01", "reviewed = 2026-10-01");
    r.edit(
        "components/big.toml",
        "consumers = [\"checkout\"]\n\n[[component.duty]]\nparty = \"data\"\ncovers = [\"run 3\"",
        "consumers = [\"checkout\"\n\n[[component.duty]]\nparty = \"data\"\ncovers = [\"run 3\"",
    );
    r.commit("review, broken");
    redate(&mut r, "reviewed = 2026-10-01", "reviewed = 2027-01-01");
    r.edit(
        "components/big.toml",
        "consumers = [\"checkout\"\n\n",
        "consumers = [\"checkout\", \"search\"]\n\n",
    );
    r.commit("review again, fixed with a new consumer");
    redate(&mut r, "reviewed = 2027-01-01", "reviewed = 2026-04-01");
    r.commit("review undone");
    assert_walk_matches_whole_models(&r.path());
    let history = json(&r.path(), &["history", "--json"]);
    let commits = history["commits"].as_array().unwrap();
    let lists: Vec<Vec<String>> = commits.iter().map(summaries).collect();
    assert_eq!(lists[0], Vec::<String>::new(), "review undone");
    assert_eq!(lists[1], ["svc-3: consumers + search"]);
    assert_eq!(commits[2]["broken"], true);
    assert_eq!(lists[3], ["svc-7: owner data -> infra"]);
    assert_eq!(lists[4], Vec::<String>::new(), "review, nothing else");
}
