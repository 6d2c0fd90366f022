//! Hostile and odd repositories: each has a clear outcome (an error naming
//! what and where, or a loaded model with findings), never a panic.

mod support;

use demarc::repo::{self, Origin, Repo, Source};
use std::process::Command;
use support::{MINIMAL, TestRepo, run, stderr, stdout};

fn assert_no_panic(out: &std::process::Output) {
    let err = stderr(out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "exit code {:?}: {err}",
        out.status.code()
    );
}

fn git_cli() -> Option<()> {
    Command::new("git")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| ())
}

fn minimal_committed() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_all("", MINIMAL);
    repo.commit("first", "2026-01-10T10:00:00Z");
    repo
}

#[test]
fn an_empty_repository() {
    let repo = TestRepo::new();
    let out = run(repo.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not an ownership repository"),
        "{}",
        stderr(&out)
    );
    let out = run(repo.path(), &["--rev", "HEAD", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no commits yet"), "{}", stderr(&out));
    let out = run(repo.path(), &["--at", "2026-01-01", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert_no_panic(&out);
}

#[test]
fn an_unborn_head_with_files_reads_the_work_tree_as_uncommitted() {
    let repo = TestRepo::new();
    repo.write_all("", MINIMAL);
    let r = Repo::open(repo.path(), None).unwrap();
    let loaded = repo::load(&r, &Source::WorkTree).unwrap();
    let Origin::WorkTree { dirty } = &loaded.origin else {
        panic!()
    };
    assert_eq!(dirty.len(), MINIMAL.len(), "every file is uncommitted");
    assert_eq!(run(repo.path(), &["check"]).status.code(), Some(0));
}

#[test]
fn a_detached_head() {
    let repo = minimal_committed();
    repo.write("teams/extra.toml", "name = \"Extra\"\nkind = \"other\"\n");
    repo.commit("second", "2026-02-10T10:00:00Z");
    let git = repo.git.as_ref().unwrap();
    let first = git.revparse_single("HEAD~1").unwrap().id();
    git.set_head_detached(first).unwrap();
    let r = Repo::open(repo.path(), None).unwrap();
    let at = repo::load(&r, &Source::At("2026-12-31".into())).unwrap();
    assert!(
        at.model.team("extra").is_none(),
        "--at follows the detached HEAD"
    );
    let out = run(repo.path(), &["--rev", "HEAD", "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_bare_repository_reads_head() {
    if git_cli().is_none() {
        eprintln!("git is not installed: skipped");
        return;
    }
    let repo = minimal_committed();
    let bare = tempfile::tempdir().unwrap();
    let target = bare.path().join("own.git");
    let status = Command::new("git")
        .args(["clone", "-q", "--bare"])
        .arg(repo.path())
        .arg(&target)
        .status()
        .unwrap();
    assert!(status.success());
    let out = run(&target, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("commit"),
        "reads HEAD's commit: {}",
        stdout(&out)
    );
}

#[test]
fn a_shallow_clone_stops_at_its_boundary() {
    if git_cli().is_none() {
        eprintln!("git is not installed: skipped");
        return;
    }
    let repo = minimal_committed();
    repo.write("teams/extra.toml", "name = \"Extra\"\nkind = \"other\"\n");
    repo.commit("second", "2026-02-10T10:00:00Z");
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("shallow");
    let url = format!("file://{}", repo.path().display());
    let status = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(&target)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(run(&target, &["check"]).status.code(), Some(0));
    let out = run(&target, &["--at", "2026-01-15", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("No commit at or before"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_missing_object_is_a_finding_not_a_crash() {
    let repo = minimal_committed();
    let git = repo.git.as_ref().unwrap();
    let tree = git.head().unwrap().peel_to_tree().unwrap();
    let blob = tree
        .get_path(std::path::Path::new("teams/checkout.toml"))
        .unwrap()
        .id();
    let hex = blob.to_string();
    let object = repo
        .path()
        .join(".git/objects")
        .join(&hex[..2])
        .join(&hex[2..]);
    std::fs::remove_file(object).unwrap();
    let out = run(repo.path(), &["--rev", "HEAD", "check", "--json"]);
    assert_no_panic(&out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = v["diagnostics"].as_array().unwrap();
    assert!(
        d.iter()
            .any(|d| d["code"] == "missing_object" && d["file"] == "teams/checkout.toml"),
        "{v}"
    );
}

#[test]
fn a_submodule_where_the_data_folder_should_be() {
    let repo = minimal_committed();
    let git = repo.git.as_ref().unwrap();
    let head = git.head().unwrap().peel_to_commit().unwrap();
    let mut root = git.treebuilder(Some(&head.tree().unwrap())).unwrap();
    // A gitlink (mode 160000) named `teams` and one named `ownership`.
    root.insert("teams", head.id(), 0o160000).unwrap();
    root.insert("ownership", head.id(), 0o160000).unwrap();
    let tree = git.find_tree(root.write().unwrap()).unwrap();
    let sig =
        git2::Signature::new("T", "t@example.com", &git2::Time::new(1_780_000_000, 0)).unwrap();
    git.commit(Some("HEAD"), &sig, &sig, "submodules", &tree, &[&head])
        .unwrap();

    let out = run(repo.path(), &["--rev", "HEAD", "check", "--json"]);
    assert_no_panic(&out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "skipped" && d["file"] == "teams"),
        "{v}"
    );
    let out = run(
        repo.path(),
        &["--dir", "ownership", "--rev", "HEAD", "check"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("submodule"), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed() {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.toml"),
        "name = \"Secret\"\nkind = \"other\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.toml"),
        repo.path().join("teams/secret.toml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("scenarios")).unwrap();
    let r = Repo::open(repo.path(), None).unwrap();
    let loaded = repo::load(&r, &Source::WorkTree).unwrap();
    assert!(
        loaded.model.team("secret").is_none(),
        "the link was not followed"
    );
    let skipped: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "skipped")
        .map(|d| d.location.file.as_str())
        .collect();
    assert!(
        skipped.contains(&"teams/secret.toml") && skipped.contains(&"scenarios"),
        "{skipped:?}"
    );
}

#[test]
fn a_huge_file_is_refused_with_its_size() {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    let big = repo.path().join("components/huge.toml");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap(); // sparse: 100 MB without writing them
    let out = run(repo.path(), &["check", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "too_large")
        .unwrap();
    assert_eq!(d["file"], "components/huge.toml");
    assert!(d["message"].as_str().unwrap().contains("100 MiB"));
}

#[test]
fn two_hundred_thousand_components_load() {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    for file in 0..20 {
        let mut text = String::new();
        for i in 0..10_000 {
            text.push_str(&format!(
                "[[component]]\nid = \"c{file}-{i}\"\nname = \"Component {file}/{i}\"\nlayer = \"service\"\nowner = \"checkout\"\n\n"
            ));
        }
        repo.write(&format!("components/bulk{file:02}.toml"), &text);
    }
    let r = Repo::open(repo.path(), None).unwrap();
    let loaded = repo::load(&r, &Source::WorkTree).unwrap();
    assert_eq!(loaded.model.components.len(), 200_002);
    assert_eq!(loaded.errors(), 0);
}

#[test]
fn deeply_nested_toml_is_a_parse_error() {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    let depth = 100_000;
    repo.write(
        "teams/deep.toml",
        &format!(
            "name = \"D\"\nkind = \"other\"\nx = {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    );
    let out = run(repo.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("teams/deep.toml"), "{}", stdout(&out));
}

#[test]
fn non_utf8_bytes_are_reported_with_a_line() {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    std::fs::write(
        repo.path().join("teams/bad.toml"),
        b"name = \"B\"\nkind = \"\xff\xfe\"\n",
    )
    .unwrap();
    let out = run(repo.path(), &["check", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == "teams/bad.toml")
        .unwrap();
    assert_eq!(d["code"], "parse");
    assert_eq!(d["line"], 2);
}

#[test]
fn a_file_that_is_a_directory_is_skipped() {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    std::fs::create_dir_all(repo.path().join("teams/odd.toml")).unwrap();
    std::fs::create_dir_all(repo.path().join("pillars.toml.d")).unwrap();
    let out = run(repo.path(), &["check", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "skipped" && d["file"] == "teams/odd.toml")
    );
}

#[test]
fn duplicate_ids_across_files_name_both_places() {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    repo.write(
        "components/zz.toml",
        "[[component]]\nid = \"postgres\"\nname = \"Twin\"\nowner = \"checkout\"\n",
    );
    let out = run(repo.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("components/zz.toml"), "{text}");
    assert!(text.contains("first at components/data.toml:1"), "{text}");
}

#[test]
fn a_schema_of_99_is_refused_clearly() {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    repo.write("demarc.toml", "schema = 99\norg = \"Future\"\n");
    let out = run(repo.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("schema 99 is newer"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn dates_far_in_the_future_and_before_1970() {
    let repo = TestRepo::new();
    repo.write_all("", MINIMAL);
    repo.write(
        "components/dates.toml",
        "[[component]]\nid = \"old\"\nname = \"Old\"\nowner = \"checkout\"\nreviewed = 1900-01-01\n[[component]]\nid = \"new\"\nname = \"New\"\nowner = \"checkout\"\nreviewed = 9999-12-31\n",
    );
    repo.write(
        "demarc.toml",
        "schema = 1\norg = \"T\"\nreview_every_days = 30\n",
    );
    repo.commit("before 1970", "1950-06-01T00:00:00Z");
    repo.write("teams/late.toml", "name = \"Late\"\nkind = \"other\"\n");
    repo.commit("far future", "2999-01-01T00:00:00Z");
    for args in [
        vec!["check"],
        vec!["--rev", "HEAD~1", "check"],
        vec!["--at", "1960-01-01", "check"],
        vec!["--at", "2500-01-01", "check"],
        vec!["--at", "1900-01-01", "check"],
        vec!["who", "old"],
    ] {
        let out = run(repo.path(), &args);
        assert_no_panic(&out);
    }
    let out = run(repo.path(), &["--at", "1960-01-01", "check"]);
    assert!(
        stdout(&out).contains("1950-06-01") || stderr(&out).contains("No commit at or before"),
        "{} {}",
        stdout(&out),
        stderr(&out)
    );
}

/// 100,000 commits that never touch the data, on top of one that does:
/// made with `git fast-import` (one pack, a few seconds), then history, an
/// `--at` walk down the whole line and a triage card all complete, and
/// history finds the one data commit.
#[test]
fn a_hundred_thousand_commits_that_never_touch_the_data() {
    if git_cli().is_none() {
        eprintln!("git is not installed: skipped");
        return;
    }
    let repo = minimal_committed();
    let head = repo.git.as_ref().unwrap().head().unwrap().target().unwrap();
    let mut stream = String::with_capacity(16 << 20);
    let start: i64 = 1_780_000_000;
    for i in 0..100_000i64 {
        let data = format!("build {i}\n");
        stream.push_str(&format!(
            "commit refs/heads/main\nmark :{}\ncommitter Bot <bot@example.com> {} +0000\ndata 4\ncode\n",
            i + 1,
            start + i * 60
        ));
        if i == 0 {
            stream.push_str(&format!("from {head}\n"));
        }
        stream.push_str(&format!(
            "M 100644 inline src/code.txt\ndata {}\n{data}\n",
            data.len()
        ));
    }
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet", "--force"])
        .current_dir(repo.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stream.as_bytes())
            .unwrap();
    }
    assert!(child.wait().unwrap().success());
    let git = repo.git.as_ref().unwrap();
    let branch = git
        .find_reference("refs/heads/main")
        .or_else(|_| git.find_reference("refs/heads/master"));
    let tip = branch.unwrap().target().unwrap();
    git.set_head_detached(tip).unwrap();

    let out = run(repo.path(), &["--rev", "HEAD", "history", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let commits = v["commits"].as_array().unwrap();
    assert_eq!(
        commits.len(),
        1,
        "only the founding commit changed the data"
    );
    assert_eq!(commits[0]["message"], "first");

    let out = run(repo.path(), &["--at", "2026-01-11", "check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the walk reaches the first commit: {}",
        stderr(&out)
    );
    let out = run(repo.path(), &["--rev", "HEAD", "who", "postgres"]);
    assert_eq!(out.status.code(), Some(0));
}
