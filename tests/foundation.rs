//! The foundation as a user meets it: real repositories in temp dirs, the
//! loader's sources, every check, the exit codes and the JSON of `check`.

mod support;

use demarc::model::{Party, SubjectKind};
use demarc::repo::{self, Origin, Repo, Source};
use support::{MINIMAL, TestRepo, run, stderr, stdout};

fn load(repo: &TestRepo, source: Source) -> repo::Loaded {
    let r = Repo::open(repo.path(), None).expect("open");
    repo::load(&r, &source).expect("load")
}

fn codes(loaded: &repo::Loaded) -> Vec<&'static str> {
    loaded.diagnostics.iter().map(|d| d.code).collect()
}

/// Two commits: postgres owned by platform-data, then by checkout.
fn two_versions() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_all("", MINIMAL);
    repo.commit("first", "2026-01-10T10:00:00Z");
    let data = MINIMAL
        .iter()
        .find(|(p, _)| *p == "components/data.toml")
        .unwrap()
        .1;
    repo.write(
        "components/data.toml",
        &data.replace("owner = \"platform-data\"", "owner = \"checkout\""),
    );
    repo.commit("move postgres", "2026-03-01T10:00:00Z");
    repo
}

#[test]
fn work_tree_rev_and_at_read_different_versions() {
    let repo = two_versions();
    // Uncommitted edit: a third owner, only in the work tree.
    let data = std::fs::read_to_string(repo.path().join("components/data.toml")).unwrap();
    repo.write(
        "components/data.toml",
        &data.replace(
            "owner = \"checkout\"",
            "owner = \"platform-data\"\n# edited",
        ),
    );

    let work = load(&repo, Source::WorkTree);
    assert_eq!(
        work.model.component("postgres").unwrap().owner,
        "platform-data"
    );
    assert_eq!(
        work.origin,
        Origin::WorkTree {
            dirty: vec!["components/data.toml".into()]
        }
    );

    let head = load(&repo, Source::Rev("HEAD".into()));
    assert_eq!(head.model.component("postgres").unwrap().owner, "checkout");
    let first = load(&repo, Source::Rev("HEAD~1".into()));
    assert_eq!(
        first.model.component("postgres").unwrap().owner,
        "platform-data"
    );

    let before_move = load(
        &repo,
        Source::At(demarc::repo::When::parse("2026-02-01").unwrap()),
    );
    assert_eq!(
        before_move.model.component("postgres").unwrap().owner,
        "platform-data"
    );
    let Origin::Commit(info) = &before_move.origin else {
        panic!("a commit")
    };
    assert_eq!(info.summary(), "first");
    // A date means the end of that day: the move on 2026-03-01 is included.
    let on_move_day = load(
        &repo,
        Source::At(demarc::repo::When::parse("2026-03-01").unwrap()),
    );
    assert_eq!(
        on_move_day.model.component("postgres").unwrap().owner,
        "checkout"
    );
    let exact = load(
        &repo,
        Source::At(demarc::repo::When::parse("2026-03-01T09:59:59Z").unwrap()),
    );
    assert_eq!(
        exact.model.component("postgres").unwrap().owner,
        "platform-data"
    );
}

#[test]
fn a_clean_work_tree_is_not_dirty_and_reading_never_writes_the_index() {
    let repo = two_versions();
    let index = repo.path().join(".git/index");
    let before = std::fs::read(&index).unwrap();
    let loaded = load(&repo, Source::WorkTree);
    assert_eq!(loaded.origin, Origin::WorkTree { dirty: vec![] });
    assert_eq!(std::fs::read(&index).unwrap(), before);
}

#[test]
fn reading_a_commit_ignores_the_work_tree() {
    let repo = two_versions();
    repo.write("components/apps.toml", "this is not toml [");
    let head = load(&repo, Source::Rev("HEAD".into()));
    assert_eq!(head.errors(), 0, "{:?}", head.diagnostics);
    assert!(head.model.component("checkout-api").is_some());
}

#[test]
fn dir_selects_the_data_folder_and_the_error_names_candidates() {
    let repo = TestRepo::new();
    repo.write_all("ownership/", MINIMAL);
    repo.write("README.md", "code lives here\n");
    repo.commit("init", "2026-01-10T10:00:00Z");

    let out = run(repo.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no demarc.toml"), "{err}");
    assert!(
        err.contains("ownership"),
        "the error names the folder: {err}"
    );

    let out = run(repo.path(), &["--dir", "ownership", "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // -C into the data folder itself finds it, and history still works there.
    let sub = repo.path().join("ownership");
    let r = Repo::open(&sub, None).unwrap();
    assert_eq!(r.data_dir(), "ownership");
    let loaded = repo::load(&r, &Source::Rev("HEAD".into())).unwrap();
    assert_eq!(loaded.model.teams.len(), 2);

    let out = run(repo.path(), &["--dir", "nowhere", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nowhere"));
}

#[test]
fn a_plain_folder_loads_without_history() {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    let loaded = load(&repo, Source::WorkTree);
    assert_eq!(loaded.origin, Origin::Folder);
    assert_eq!(loaded.model.components.len(), 2);
    let out = run(repo.path(), &["--rev", "HEAD", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a git repository"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_broken_file_at_one_commit_is_reported_and_the_rest_loads() {
    let repo = two_versions();
    repo.write(
        "components/apps.toml",
        "[[component]]\nid = \"checkout-api\"\nname = \"Checkout API\nowner = \"checkout\"\n",
    );
    repo.commit("break apps", "2026-04-01T10:00:00Z");

    let loaded = load(&repo, Source::Rev("HEAD".into()));
    let parse = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "parse")
        .expect("a parse error");
    assert_eq!(parse.location.file, "components/apps.toml");
    assert_eq!(parse.location.line, Some(3));
    assert!(parse.location.column.is_some());
    assert!(
        loaded.model.component("postgres").is_some(),
        "other files still load"
    );
    assert_eq!(loaded.model.teams.len(), 2);

    let out = run(repo.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("components/apps.toml"), "{text}");
    assert!(text.contains("3:"), "line and column shown: {text}");
    assert!(text.lines().last().unwrap().contains("1 error"), "{text}");
}

/// Writes MINIMAL with `edits` applied as (path, content) replacements.
fn repo_with(edits: &[(&str, &str)]) -> TestRepo {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    for (path, content) in edits {
        repo.write(path, content);
    }
    repo
}

#[test]
fn the_minimal_repository_has_no_findings() {
    let repo = repo_with(&[]);
    let loaded = load(&repo, Source::WorkTree);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let out = run(repo.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("no findings"));
}

/// File replacements: (path, content).
type Edits<'a> = &'a [(&'a str, &'a str)];

#[test]
fn every_check_is_reported() {
    let cases: &[(&str, Edits, &str)] = &[
        (
            "parse",
            &[(
                "teams/checkout.toml",
                "name = \"Checkout\nkind = \"product\"\n",
            )],
            "error",
        ),
        (
            "duplicate_id",
            &[(
                "components/more.toml",
                "[[component]]\nid = \"postgres\"\nname = \"Again\"\nowner = \"checkout\"\n",
            )],
            "error",
        ),
        (
            "unknown_reference",
            &[(
                "components/more.toml",
                "[[component]]\nid = \"x\"\nname = \"X\"\nowner = \"nobody\"\n",
            )],
            "error",
        ),
        (
            "missing_owner",
            &[(
                "components/more.toml",
                "[[component]]\nid = \"x\"\nname = \"X\"\n",
            )],
            "error",
        ),
        (
            "schema_too_new",
            &[("demarc.toml", "schema = 99\norg = \"T\"\n")],
            "error",
        ),
        (
            "missing_pillar",
            &[(
                "pillars.toml",
                "[[pillar]]\nid = \"infrastructure\"\nname = \"I\"\n",
            )],
            "warning",
        ),
        (
            "missing_layer",
            &[(
                "layers.toml",
                "[[layer]]\nid = \"service\"\nname = \"S\"\n[[layer]]\nid = \"application\"\nname = \"A\"\n",
            )],
            "warning",
        ),
        (
            "duty_conflict",
            &[(
                "components/more.toml",
                "[[component]]\nid = \"x\"\nname = \"X\"\nowner = \"checkout\"\n[[component.duty]]\nparty = \"checkout\"\ncovers = [\"backups\"]\n[[component.duty]]\nparty = \"platform-data\"\ncovers = [\"Backups\"]\n",
            )],
            "warning",
        ),
        (
            "no_oncall",
            &[(
                "components/more.toml",
                "[[component]]\nid = \"x\"\nname = \"X\"\nowner = \"checkout\"\ntier = 2\n",
            )],
            "warning",
        ),
        (
            "unknown_key",
            &[(
                "teams/checkout.toml",
                "name = \"Checkout\"\nkind = \"product\"\ncolour = \"red\"\n",
            )],
            "warning",
        ),
        (
            "review_overdue",
            &[
                (
                    "demarc.toml",
                    "schema = 1\norg = \"T\"\nreview_every_days = 90\n",
                ),
                (
                    "components/more.toml",
                    "[[component]]\nid = \"x\"\nname = \"X\"\nowner = \"checkout\"\nreviewed = 2001-01-01\n",
                ),
            ],
            "warning",
        ),
    ];
    for (code, edits, severity) in cases {
        let repo = repo_with(edits);
        let loaded = load(&repo, Source::WorkTree);
        let found = loaded.diagnostics.iter().find(|d| d.code == *code);
        let d = found.unwrap_or_else(|| panic!("{code} not reported: {:?}", codes(&loaded)));
        assert_eq!(
            format!("{:?}", d.severity).to_lowercase(),
            *severity,
            "{code}"
        );
        assert!(!d.location.file.is_empty(), "{code} names a file");
        let out = run(repo.path(), &["check"]);
        let expected = if *severity == "error" { 1 } else { 0 };
        assert_eq!(
            out.status.code(),
            Some(expected),
            "{code}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn check_json_has_the_contract_shape() {
    let repo = repo_with(&[(
        "teams/checkout.toml",
        "name = \"Checkout\nkind = \"product\"\n",
    )]);
    let out = run(repo.path(), &["check", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        v["errors"].as_u64(),
        Some(
            v["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["severity"] == "error")
                .count() as u64
        )
    );
    assert!(v["warnings"].is_u64());
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "parse")
        .unwrap();
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "teams/checkout.toml");
    assert_eq!(d["line"], 1);
    assert!(d["column"].is_u64());
    assert!(d["message"].is_string());
}

#[test]
fn user_errors_are_plain_sentences_with_exit_code_2() {
    let repo = two_versions();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["-C", "/no/such/place", "check"], "No such path"),
        (vec!["--rev", "nope", "check"], "Unknown revision `nope`"),
        (
            vec!["--at", "2020-01-01", "check"],
            "No commit at or before 2020-01-01",
        ),
        (vec!["--at", "yesterday-ish", "check"], "not a time"),
    ];
    for (args, expected) in cases {
        let out = run(repo.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("Error {"),
            "{err}"
        );
        assert!(err.lines().count() <= 2, "{err}");
    }
    let empty = TestRepo::plain();
    let out = run(empty.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not an ownership repository"));
    // A usage error is exit code 2 as well.
    assert_eq!(
        run(repo.path(), &["check", "--bogus"]).status.code(),
        Some(2)
    );
}

#[test]
fn parties_resolve_to_teams() {
    let repo = repo_with(&[]);
    let m = load(&repo, Source::WorkTree).model;
    let pg = m.component("postgres").unwrap();
    assert_eq!(
        m.resolve_party(&Party::Consumers, Some(pg)),
        vec!["checkout"]
    );
    assert_eq!(
        m.resolve_party(&Party::Kind("platform".into()), None),
        vec!["platform-data"]
    );
    assert_eq!(m.resolve_party(&Party::Team("x".into()), None), vec!["x"]);
    assert!(m.party_includes(&Party::Kind("product".into()), "checkout", None));
    assert!(m.has_subject(&demarc::model::Subject::new(SubjectKind::Team, "checkout")));
}

#[test]
fn the_demo_repository_is_deterministic_and_checks_clean() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let built_a = demarc::sample::build(&a.path().join("s")).unwrap();
    let built_b = demarc::sample::build(&b.path().join("s")).unwrap();
    assert_eq!(built_a.head, built_b.head, "same commit ids on every run");
    assert!(built_a.commits >= 15);
    let out = run(&a.path().join("s"), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let r = Repo::open(&a.path().join("s"), None).unwrap();
    let loaded = repo::load(&r, &Source::WorkTree).unwrap();
    assert_eq!(loaded.errors(), 0);
    assert!(loaded.model.teams.len() >= 8);
    assert!(loaded.model.kinds().len() >= 4);
    assert!(loaded.model.components.len() >= 40);
    assert!(loaded.model.scenarios.len() >= 6);
    assert_eq!(loaded.origin, Origin::WorkTree { dirty: vec![] });
    // The story has a broken commit, reported with file:line:column.
    let out = run(
        &a.path().join("s"),
        &["--at", "2026-09-02", "check", "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "parse" && d["line"].is_u64())
    );
    // demo --out refuses a folder that is not empty.
    let out = run(a.path(), &["demo", "--out", a.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not empty"));
}
