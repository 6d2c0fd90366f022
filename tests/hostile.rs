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
    let at = repo::load(&r, &Source::At(repo::When::parse("2026-12-31").unwrap())).unwrap();
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

// ---------------------------------------------------------------------
// Second round (issue 19). Anything that could hang runs the binary as a
// child with a timeout, so a regression fails instead of hanging CI.

use std::path::Path;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(60);

/// Runs the binary with a deadline: a hang is a test failure, not a CI
/// timeout. `memory` caps the child's address space (bytes).
fn run_bounded(cwd: &Path, args: &[&str], memory: Option<u64>) -> std::process::Output {
    let mut cmd = Command::new(support::demarc_bin());
    cmd.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    #[cfg(unix)]
    if let Some(bytes) = memory {
        use std::os::unix::process::CommandExt;
        // SAFETY: setrlimit is async-signal-safe and touches no memory of ours.
        unsafe {
            cmd.pre_exec(move || {
                let limit = libc::rlimit {
                    rlim_cur: bytes,
                    rlim_max: bytes,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let child = cmd.spawn().expect("run demarc");
    wait_bounded(child, args)
}

fn wait_bounded(mut child: std::process::Child, what: &[&str]) -> std::process::Output {
    // Read the pipes on threads so a chatty child never blocks on them.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out_pipe, &mut v);
        v
    });
    let err_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err_pipe, &mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("demarc {what:?} did not finish within {LIMIT:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    std::process::Output {
        status,
        stdout: out_thread.join().unwrap(),
        stderr: err_thread.join().unwrap(),
    }
}

fn diagnostics(out: &std::process::Output) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", stdout(out), stderr(out)));
    v["diagnostics"].as_array().unwrap().clone()
}

fn finding<'a>(d: &'a [serde_json::Value], code: &str, file: &str) -> &'a serde_json::Value {
    d.iter()
        .find(|d| d["code"] == code && d["file"] == file)
        .unwrap_or_else(|| panic!("no {code} finding for {file}: {d:?}"))
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid C string; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

#[cfg(unix)]
#[test]
fn a_fifo_or_socket_where_a_data_file_should_be_is_skipped_not_waited_on() {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    mkfifo(&repo.path().join("teams/x.toml"));
    let _socket =
        std::os::unix::net::UnixListener::bind(repo.path().join("components/s.toml")).unwrap();
    mkfifo(&repo.path().join("scenarios"));
    let out = run_bounded(repo.path(), &["check", "--json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let d = diagnostics(&out);
    let fifo = finding(&d, "skipped", "teams/x.toml");
    assert!(fifo["message"].as_str().unwrap().contains("FIFO"), "{fifo}");
    let socket = finding(&d, "skipped", "components/s.toml");
    assert!(socket["message"].as_str().unwrap().contains("socket"));
    finding(&d, "skipped", "scenarios");

    // The marker file itself: no hang, and a plain error.
    repo.remove("demarc.toml");
    mkfifo(&repo.path().join("demarc.toml"));
    let out = run_bounded(repo.path(), &["check"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("demarc.toml was not read (is a FIFO"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn files_git_reads_for_itself_are_refused_when_they_could_hang() {
    type Plant = fn(&Path);
    let cases: &[(&str, &str, Plant)] = &[
        ("grafts fifo", "info/grafts", |git| {
            std::fs::create_dir_all(git.join("info")).unwrap();
            mkfifo(&git.join("info/grafts"));
        }),
        ("shallow fifo", "shallow", |git| {
            mkfifo(&git.join("shallow"))
        }),
        ("shallow to /dev/zero", "shallow", |git| {
            std::os::unix::fs::symlink("/dev/zero", git.join("shallow")).unwrap()
        }),
        ("include fifo", "evil.cfg", |git| {
            mkfifo(&git.join("evil.cfg"));
            let mut config = std::fs::read_to_string(git.join("config")).unwrap();
            config.push_str("[include]\n\tpath = evil.cfg\n");
            std::fs::write(git.join("config"), config).unwrap();
        }),
        ("nested include to /dev/zero", "zero.cfg", |git| {
            std::os::unix::fs::symlink("/dev/zero", git.join("zero.cfg")).unwrap();
            std::fs::write(
                git.join("a.cfg"),
                "[includeIf \"gitdir:/\"]\npath = zero.cfg\n",
            )
            .unwrap();
            let mut config = std::fs::read_to_string(git.join("config")).unwrap();
            config.push_str("[include]\n\tpath = \"a.cfg\"\n");
            std::fs::write(git.join("config"), config).unwrap();
        }),
    ];
    for (what, file, plant) in cases {
        let repo = minimal_committed();
        plant(&repo.path().join(".git"));
        for args in [
            &["check"][..],
            &["history"],
            &["--at", "2026-02-01", "who", "postgres"],
        ] {
            let out = run_bounded(repo.path(), args, None);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{what} {args:?}: {}",
                stderr(&out)
            );
            let err = stderr(&out);
            assert!(
                err.contains("Refusing to open the repository") && err.contains(file),
                "{what}: {err}"
            );
        }
    }
}

/// Three commits, and `.git/info/grafts` making the first a child of the
/// last: every parent line loops.
fn graft_cycle() -> TestRepo {
    let repo = minimal_committed();
    let first = repo.git.as_ref().unwrap().head().unwrap().target().unwrap();
    repo.write("teams/extra.toml", "name = \"Extra\"\nkind = \"other\"\n");
    repo.commit("second", "2026-02-10T10:00:00Z");
    repo.write("teams/more.toml", "name = \"More\"\nkind = \"other\"\n");
    let third = repo.commit("third", "2026-03-10T10:00:00Z");
    repo.write(".git/info/grafts", &format!("{first} {third}\n"));
    repo
}

#[test]
fn a_graft_cycle_ends_the_walk_with_an_error_naming_it() {
    let repo = graft_cycle();
    let out = run_bounded(repo.path(), &["history"], Some(2 << 30));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("loops back on itself"),
        "{}",
        stderr(&out)
    );
    let out = run_bounded(
        repo.path(),
        &["history", "--until", "2026-01-01"],
        Some(2 << 30),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("loops back on itself"),
        "{}",
        stderr(&out)
    );
    // `--at` before every commit: the first-parent line is walked to its end.
    for args in [
        &["--at", "2025-01-01", "check"][..],
        &["--at", "2025-01-01", "who", "postgres"],
        &["who", "postgres"],
    ] {
        let out = run_bounded(repo.path(), args, Some(2 << 30));
        assert_no_panic(&out);
    }
    let out = run_bounded(repo.path(), &["--at", "2025-01-01", "check"], Some(2 << 30));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("loops back on itself") || stderr(&out).contains("No commit"),
        "{}",
        stderr(&out)
    );
}

/// The same cycle made with a replace ref (as `git replace` writes it):
/// libgit2 does not honour replace refs, and the walk ends all the same.
#[test]
fn a_replace_ref_cycle_does_not_hang() {
    let repo = minimal_committed();
    let git = repo.git.as_ref().unwrap();
    let first = git.head().unwrap().target().unwrap();
    repo.write("teams/extra.toml", "name = \"Extra\"\nkind = \"other\"\n");
    let second = repo.commit("second", "2026-02-10T10:00:00Z");
    git.reference(&format!("refs/replace/{first}"), second, true, "cycle")
        .unwrap();
    for args in [
        &["history"][..],
        &["--at", "2025-01-01", "check"],
        &["who", "postgres"],
    ] {
        let out = run_bounded(repo.path(), args, Some(2 << 30));
        assert_no_panic(&out);
    }
}

/// Commits, on top of HEAD, `folder/name` holding a 256 MiB blob of zeros
/// (a few hundred KiB packed): reading it whole would blow a memory cap.
fn commit_a_blob_of_256_mib(repo: &TestRepo, folder: &str, name: &str) {
    let git = repo.git.as_ref().unwrap();
    let size: usize = 256 << 20;
    let odb = git.odb().unwrap();
    let mut writer = odb.writer(size, git2::ObjectType::Blob).unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..(size / chunk.len()) {
        std::io::Write::write_all(&mut writer, &chunk).unwrap();
    }
    let blob = writer.finalize().unwrap();
    let head = git.head().unwrap().peel_to_commit().unwrap();
    let existing = head.tree().unwrap().get_path(Path::new(folder)).unwrap();
    let mut sub = git
        .treebuilder(Some(&git.find_tree(existing.id()).unwrap()))
        .unwrap();
    sub.insert(name, blob, 0o100644).unwrap();
    let mut root = git.treebuilder(Some(&head.tree().unwrap())).unwrap();
    root.insert(folder, sub.write().unwrap(), 0o040000).unwrap();
    let tree = git.find_tree(root.write().unwrap()).unwrap();
    let sig =
        git2::Signature::new("T", "t@example.com", &git2::Time::new(1_780_000_000, 0)).unwrap();
    git.commit(Some("HEAD"), &sig, &sig, "huge", &tree, &[&head])
        .unwrap();
}

#[test]
fn a_catalog_blob_that_inflates_to_256_mib_is_refused_from_its_header() {
    let repo = TestRepo::new();
    repo.write(
        "catalog/org.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n",
    );
    repo.write(
        "catalog/svc.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n",
    );
    repo.commit("catalog", "2026-01-10T10:00:00Z");
    commit_a_blob_of_256_mib(&repo, "catalog", "huge.yaml");

    let out = run_bounded(
        repo.path(),
        &["--rev", "HEAD", "check", "--json"],
        Some(160 << 20),
    );
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&out)
    );
    let d = diagnostics(&out);
    let big = finding(&d, "skipped", "catalog/huge.yaml");
    assert!(
        big["message"].as_str().unwrap().contains("256 MiB"),
        "{big}"
    );
    // The catalog's history reads the same blob through its own walk.
    let out = run_bounded(repo.path(), &["history", "--json"], Some(160 << 20));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A blob of 256 MiB of zeros is about 256 KiB in the repository. Its size
/// is read from the object's header: the child, capped at 160 MiB of
/// address space (it needs under 100), reports it as too large instead of
/// inflating it (which fails under the cap and used to be reported as a
/// missing object).
#[test]
fn a_blob_that_inflates_to_256_mib_is_refused_from_its_header() {
    let repo = minimal_committed();
    commit_a_blob_of_256_mib(&repo, "components", "huge.toml");

    let out = run_bounded(
        repo.path(),
        &["--rev", "HEAD", "check", "--json"],
        Some(160 << 20),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let d = diagnostics(&out);
    let big = finding(&d, "too_large", "components/huge.toml");
    assert!(
        big["message"].as_str().unwrap().contains("256 MiB"),
        "{big}"
    );
    // History reads the same blob through the walk.
    let out = run_bounded(repo.path(), &["history", "--json"], Some(160 << 20));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn a_data_folder_through_a_symbolic_link_is_an_error() {
    let repo = minimal_committed();
    let outside = tempfile::tempdir().unwrap();
    for (rel, text) in MINIMAL {
        let path = outside.path().join("own").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text.replace("Testco", "Outside")).unwrap();
    }
    std::os::unix::fs::symlink(outside.path().join("own"), repo.path().join("data")).unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("up")).unwrap();
    let out = run_bounded(repo.path(), &["--dir", "data", "check"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    // A link anywhere in the path.
    let out = run_bounded(repo.path(), &["--dir", "up/own", "check"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("`up`, a symbolic link"),
        "{}",
        stderr(&out)
    );
    // Committed, the link is not a folder at the commit either.
    repo.commit("links", "2026-02-01T00:00:00Z");
    let out = run_bounded(
        repo.path(),
        &["--dir", "data", "--rev", "HEAD", "check"],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let out = run_bounded(repo.path(), &["--dir", "data", "check"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(!stdout(&out).contains("Outside"));
    // `..` leaves the repository.
    std::fs::create_dir_all(repo.path().join("sub")).unwrap();
    for dir in ["../x", "sub/../../x", "/etc"] {
        let out = run_bounded(repo.path(), &["--dir", dir, "check"], None);
        assert_eq!(out.status.code(), Some(2), "{dir}: {}", stdout(&out));
        assert!(
            stderr(&out).contains("leaves the repository"),
            "{}",
            stderr(&out)
        );
    }
}

/// A folder mode 000 can only be unreadable to someone who is not root, so
/// as root the child drops to `nobody` with setpriv (util-linux).
#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_an_error_not_a_silence() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    repo.write(
        "scenarios/lag.toml",
        "[[scenario]]\nid = \"lag\"\nname = \"Lag\"\n",
    );
    let root = unsafe { libc::geteuid() } == 0;
    let setpriv = Command::new("setpriv").arg("--version").output().is_ok();
    if root && !setpriv {
        eprintln!("running as root without setpriv: skipped");
        return;
    }
    let set = |p: &Path, mode: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    // Everything readable to the unprivileged child but `scenarios/`.
    let mut stack = vec![repo.path().to_path_buf()];
    while let Some(dir) = stack.pop() {
        set(&dir, 0o755);
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                set(&e.path(), 0o644);
            }
        }
    }
    set(&repo.path().join("scenarios"), 0o000);
    let child = if root {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(support::demarc_bin())
            .args(["check", "--json"])
            .current_dir(repo.path())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    } else {
        Command::new(support::demarc_bin())
            .args(["check", "--json"])
            .current_dir(repo.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let out = wait_bounded(child, &["check"]);
    set(&repo.path().join("scenarios"), 0o755);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let d = diagnostics(&out);
    let f = finding(&d, "unreadable", "scenarios");
    assert!(f["message"].as_str().unwrap().contains("ermission"), "{f}");
}

/// A commit whose tree is 30,000 folders deep (a bare repository, so git
/// never has to check it out): looking for `demarc.toml` in it must not
/// recurse down the whole chain.
#[test]
fn a_tree_thirty_thousand_levels_deep_does_not_overflow_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let git = git2::Repository::init_bare(dir.path().join("deep.git")).unwrap();
    let blob = git.blob(b"x").unwrap();
    let mut b = git.treebuilder(None).unwrap();
    b.insert("leaf.txt", blob, 0o100644).unwrap();
    let mut tree = b.write().unwrap();
    for _ in 0..30_000 {
        let mut b = git.treebuilder(None).unwrap();
        b.insert("d", tree, 0o040000).unwrap();
        tree = b.write().unwrap();
    }
    let sig =
        git2::Signature::new("T", "t@example.com", &git2::Time::new(1_780_000_000, 0)).unwrap();
    let tree = git.find_tree(tree).unwrap();
    git.commit(Some("HEAD"), &sig, &sig, "deep", &tree, &[])
        .unwrap();
    let out = run_bounded(&dir.path().join("deep.git"), &["check"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not an ownership repository"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn line_separators_and_tag_characters_are_escaped() {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    repo.write(
        "components/odd.toml",
        "[[component]]\nid = \"odd\"\nname = \"Odd\u{2028}Sep\u{2029}Par\u{E0041}\u{E007F}\"\nowner = \"checkout\"\n",
    );
    for json in [false, true] {
        let mut args = vec!["who", "odd"];
        if json {
            args.push("--json");
        }
        let out = run_bounded(repo.path(), &args, None);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        for c in ['\u{2028}', '\u{2029}', '\u{E0041}', '\u{E007F}'] {
            assert!(!text.contains(c), "{c:?} reached the terminal raw: {text}");
        }
        if json {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert!(
                v.to_string().contains('\u{E0041}'),
                "JSON keeps the text: {v}"
            );
        } else {
            assert!(text.contains("Odd\\u{2028}Sep"), "{text}");
        }
    }
}

#[test]
fn a_repository_git_cannot_open_says_why_it_has_no_history() {
    let repo = minimal_committed();
    std::fs::write(repo.path().join(".git/config"), "[core\n\tbroken = \n").unwrap();
    let out = run_bounded(repo.path(), &["history"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("cannot be opened"), "{err}");
    assert!(err.contains("config"), "{err}");
    // The work tree still loads as a plain folder.
    assert_eq!(
        run_bounded(repo.path(), &["check"], None).status.code(),
        Some(0)
    );
}

fn delete_loose(repo: &TestRepo, oid: git2::Oid) {
    let hex = oid.to_string();
    let object = repo
        .path()
        .join(".git/objects")
        .join(&hex[..2])
        .join(&hex[2..]);
    std::fs::remove_file(object).unwrap();
}

/// Not a shallow clone: a missing commit is named, with the commit that
/// points at it, instead of being blamed on a shallow clone or reported
/// as an unknown revision.
#[test]
fn a_missing_commit_is_named_not_blamed_on_a_shallow_clone() {
    let repo = minimal_committed();
    let first = repo.git.as_ref().unwrap().head().unwrap().target().unwrap();
    repo.write("teams/extra.toml", "name = \"Extra\"\nkind = \"other\"\n");
    let second = repo.commit("second", "2026-02-10T10:00:00Z");
    repo.write("teams/more.toml", "name = \"More\"\nkind = \"other\"\n");
    repo.commit("third", "2026-03-10T10:00:00Z");
    delete_loose(&repo, first);
    let out = run_bounded(repo.path(), &["history"], None);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!text.contains("shallow"), "{text}");
    assert!(
        text.contains(&first.to_string()) && text.contains("cannot be read"),
        "{text}"
    );
    let out = run_bounded(repo.path(), &["--at", "2026-01-15", "check"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&first.to_string()) && !err.contains("No commit"),
        "{err}"
    );

    delete_loose(
        &repo,
        repo.git.as_ref().unwrap().head().unwrap().target().unwrap(),
    );
    let out = run_bounded(repo.path(), &["--rev", "HEAD", "check"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("missing from the repository"),
        "{}",
        stderr(&out)
    );
    let _ = second;
}

/// A commit whose committer time does not fit (hand-written, as a hostile
/// clone can have): libgit2 cannot parse it, and the error names it and
/// why, instead of "unknown revision" or "no commit at or before".
#[test]
fn an_overflowing_timestamp_is_named_precisely() {
    let repo = minimal_committed();
    let git = repo.git.as_ref().unwrap();
    let head = git.head().unwrap().peel_to_commit().unwrap();
    let raw = format!(
        "tree {}\nparent {}\nauthor A <a@example.com> 99999999999999999999 +0000\ncommitter A <a@example.com> 99999999999999999999 +0000\n\nfrom the far future\n",
        head.tree_id(),
        head.id()
    );
    let odd = git
        .odb()
        .unwrap()
        .write(git2::ObjectType::Commit, raw.as_bytes())
        .unwrap();
    git.reference("refs/heads/odd", odd, true, "odd").unwrap();
    git.set_head("refs/heads/odd").unwrap();
    for args in [
        &["--at", "2026-03-01", "check"][..],
        &["history"],
        &["--rev", "HEAD", "check"],
    ] {
        let out = run_bounded(repo.path(), args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&odd.to_string()) && err.contains("corrupt"),
            "{args:?}: {err}"
        );
    }
    // The work tree still loads.
    assert_eq!(
        run_bounded(repo.path(), &["check"], None).status.code(),
        Some(0)
    );
}

/// A commit made with its clock at 1970 on top of 2026's history: `--at`
/// takes the first commit at or before the moment walking back from HEAD
/// (documented in docs/cli.md), and warns that the times go backwards.
#[test]
fn a_backdated_commit_makes_at_warn() {
    let repo = minimal_committed();
    repo.write("teams/extra.toml", "name = \"Extra\"\nkind = \"other\"\n");
    repo.commit("second", "2026-02-10T10:00:00Z");
    repo.write("teams/late.toml", "name = \"Late\"\nkind = \"other\"\n");
    repo.commit("clock at 1970", "1970-01-02T00:00:00Z");
    repo.write("teams/now.toml", "name = \"Now\"\nkind = \"other\"\n");
    repo.commit("today", "2026-06-01T00:00:00Z");
    let out = run_bounded(
        repo.path(),
        &["--at", "2026-03-01", "check", "--json"],
        None,
    );
    assert_no_panic(&out);
    let d = diagnostics(&out);
    let w = d
        .iter()
        .find(|d| d["code"] == "backdated")
        .unwrap_or_else(|| panic!("no warning: {d:?}"));
    assert!(w["message"].as_str().unwrap().contains("1970-01-02"), "{w}");
    // An ordinary line has no such warning.
    let out = run_bounded(
        repo.path(),
        &["--at", "2026-07-01", "check", "--json"],
        None,
    );
    assert!(!diagnostics(&out).iter().any(|d| d["code"] == "backdated"));
}

/// `git clone --separate-git-dir` (a `gitdir:` file) and a `.git` that is
/// a link: the work tree is where `.git` is, not beside the git directory.
#[cfg(unix)]
#[test]
fn a_separate_git_dir_or_a_linked_dot_git_uses_the_real_work_tree() {
    if git_cli().is_none() {
        eprintln!("git is not installed: skipped");
        return;
    }
    let repo = minimal_committed();
    let dir = tempfile::tempdir().unwrap();
    let wt = dir.path().join("wt");
    let status = Command::new("git")
        .args(["clone", "-q", "--separate-git-dir"])
        .arg(dir.path().join("store.git"))
        .arg(repo.path())
        .arg(&wt)
        .status()
        .unwrap();
    assert!(status.success());
    let linked = dir.path().join("linked");
    std::fs::create_dir_all(&linked).unwrap();
    for (rel, text) in MINIMAL {
        let p = linked.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    std::fs::rename(repo.path().join(".git"), dir.path().join("real.git")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("real.git"), linked.join(".git")).unwrap();
    for root in [&wt, &linked] {
        let out = run_bounded(root, &["check"], None);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(!stdout(&out).contains("uncommitted"), "{}", stdout(&out));
        let out = run_bounded(root, &["history"], None);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).contains("first"), "{}", stdout(&out));
    }
}

/// A repository owned by another user: libgit2 refuses it as git does;
/// demarc reads the files and says why there is no history.
#[cfg(unix)]
#[test]
fn a_repository_of_another_user_says_what_git_would_say() {
    let repo = minimal_committed();
    let mut stack = vec![repo.path().to_path_buf()];
    let me = unsafe { libc::geteuid() };
    let other = if me == 65534 { 65533 } else { 65534 };
    while let Some(p) = stack.pop() {
        if std::os::unix::fs::lchown(&p, Some(other), Some(other)).is_err() {
            eprintln!("cannot change owners here: skipped");
            return;
        }
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
        }
    }
    let out = run_bounded(repo.path(), &["history"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("another user") && err.contains("safe.directory"),
        "{err}"
    );
}

/// A clone with `core.autocrlf` has CRLF files whose blobs have LF, and a
/// Git LFS file is a pointer in git: `git status` is clean, and so is
/// demarc's "uncommitted". At the commit, the LFS pointer is skipped with a
/// finding rather than parsed as TOML.
#[test]
fn autocrlf_and_lfs_files_are_not_flagged_uncommitted() {
    let repo = minimal_committed();
    let git = repo.git.as_ref().unwrap();
    // An LFS file: the pointer is committed, the content is on disk.
    let content = "name = \"Large\"\nkind = \"other\"\n";
    let sha: String = {
        use sha2::Digest;
        sha2::Sha256::digest(content.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    repo.write(
        "teams/large.toml",
        &format!(
            "version https://git-lfs.github.com/spec/v1\noid sha256:{sha}\nsize {}\n",
            content.len()
        ),
    );
    repo.commit("lfs", "2026-02-01T00:00:00Z");
    repo.write("teams/large.toml", content);
    // autocrlf: every file on disk with CRLF, blobs with LF.
    git.config()
        .unwrap()
        .set_str("core.autocrlf", "true")
        .unwrap();
    for (rel, text) in MINIMAL {
        repo.write(rel, &text.replace('\n', "\r\n"));
    }
    let r = Repo::open(repo.path(), None).unwrap();
    let loaded = repo::load(&r, &Source::WorkTree).unwrap();
    let Origin::WorkTree { dirty } = &loaded.origin else {
        panic!()
    };
    assert!(dirty.is_empty(), "flagged: {dirty:?}");
    assert!(loaded.model.team("large").is_some());
    // A real edit is still an edit.
    repo.write(
        "teams/checkout.toml",
        "name = \"Checkout!\"\r\nkind = \"product\"\r\n",
    );
    let loaded = repo::load(&r, &Source::WorkTree).unwrap();
    let Origin::WorkTree { dirty } = &loaded.origin else {
        panic!()
    };
    assert_eq!(dirty, &["teams/checkout.toml".to_string()]);
    let at_head = repo::load(&r, &Source::Rev("HEAD".into())).unwrap();
    assert!(
        at_head
            .diagnostics
            .iter()
            .any(|d| d.code == "skipped" && d.location.file == "teams/large.toml"),
        "{:?}",
        at_head.diagnostics
    );
}

/// Two names that are not UTF-8 used to read as the same replacement
/// characters (a bogus duplicate) on disk, and vanish silently at commits.
#[cfg(target_os = "linux")]
#[test]
fn non_utf8_file_names_are_skipped_with_a_finding() {
    use std::os::unix::ffi::OsStrExt;
    let repo = minimal_committed();
    for raw in [&b"teams/x\xff.toml"[..], b"teams/x\xfe.toml"] {
        let path = repo.path().join(std::ffi::OsStr::from_bytes(raw));
        std::fs::write(path, "name = \"X\"\nkind = \"other\"\n").unwrap();
    }
    let r = Repo::open(repo.path(), None).unwrap();
    let loaded = repo::load(&r, &Source::WorkTree).unwrap();
    assert!(!loaded.diagnostics.iter().any(|d| d.code == "duplicate_id"));
    let skipped = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "skipped" && d.message.contains("UTF-8"))
        .count();
    assert_eq!(skipped, 2, "{:?}", loaded.diagnostics);
    // Committed (git2 writes the raw names), then read at the commit.
    let git = repo.git.as_ref().unwrap();
    let head = git.head().unwrap().peel_to_commit().unwrap();
    let teams = head.tree().unwrap().get_path(Path::new("teams")).unwrap();
    let mut sub = git
        .treebuilder(Some(&git.find_tree(teams.id()).unwrap()))
        .unwrap();
    let blob = git.blob(b"name = \"X\"\nkind = \"other\"\n").unwrap();
    sub.insert(std::ffi::OsStr::from_bytes(b"x\xff.toml"), blob, 0o100644)
        .unwrap();
    let mut root = git.treebuilder(Some(&head.tree().unwrap())).unwrap();
    root.insert("teams", sub.write().unwrap(), 0o040000)
        .unwrap();
    let tree = git.find_tree(root.write().unwrap()).unwrap();
    let sig =
        git2::Signature::new("T", "t@example.com", &git2::Time::new(1_780_000_000, 0)).unwrap();
    git.commit(Some("HEAD"), &sig, &sig, "odd name", &tree, &[&head])
        .unwrap();
    let at_head = repo::load(&r, &Source::Rev("HEAD".into())).unwrap();
    assert!(
        at_head
            .diagnostics
            .iter()
            .any(|d| d.code == "skipped" && d.message.contains("UTF-8")),
        "{:?}",
        at_head.diagnostics
    );
}

#[test]
fn a_negative_schema_is_named_as_such() {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    repo.write("demarc.toml", "org = \"A\"\nschema = -1\n");
    let out = run_bounded(repo.path(), &["check", "--json"], None);
    assert_eq!(out.status.code(), Some(1));
    let d = diagnostics(&out);
    let f = finding(&d, "invalid_schema", "demarc.toml");
    assert_eq!(f["line"], 2, "{f}");
    assert!(
        f["message"].as_str().unwrap().contains("schema = -1"),
        "{f}"
    );
    assert!(!stdout(&out).contains("4294967295"));
}

/// A dotted key 100,000 levels deep hits a depth limit that has no span:
/// the finding still gives a line.
#[test]
fn a_dotted_key_too_deep_is_reported_with_a_line() {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    repo.write(
        "teams/deep.toml",
        &format!(
            "name = \"D\"\nkind = \"other\"\nx{} = 1\n",
            ".x".repeat(100_000)
        ),
    );
    let out = run_bounded(repo.path(), &["check", "--json"], None);
    assert_eq!(out.status.code(), Some(1));
    let d = diagnostics(&out);
    let f = finding(&d, "parse", "teams/deep.toml");
    assert_eq!(f["line"], 3, "{f}");
}

/// libgit2 cannot open a SHA-256 repository: demarc reads its files as a
/// plain folder and says why there is no history.
#[test]
fn a_sha256_repository_says_why_it_has_no_history() {
    let repo = TestRepo::plain();
    let made = Command::new("git")
        .args(["init", "-q", "--object-format=sha256"])
        .arg(repo.path())
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("this git cannot make SHA-256 repositories: skipped");
        return;
    }
    repo.write_all("", MINIMAL);
    let out = run_bounded(repo.path(), &["check"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run_bounded(repo.path(), &["history"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("cannot be opened") && err.contains("sha256"),
        "{err}"
    );
}

/// A 16 MiB file of tiny items (`x = [1,1,1,…]`) is within the size cap,
/// but the TOML parser holds every item at once: it took 1.6 GB. The item
/// count is checked before parsing, so the child, capped at 256 MiB of
/// address space, reports the file as too large (where the count passes
/// the limit) and loads everything else.
#[test]
fn a_16_mib_file_of_tiny_items_is_refused_within_bounded_memory() {
    let repo = TestRepo::plain();
    repo.write_all("", MINIMAL);
    let items = (16 << 20) / 2 - 16;
    let mut text = String::with_capacity(items * 2 + 16);
    text.push_str("x = [");
    for _ in 0..items {
        text.push_str("1,");
    }
    text.push_str("1]\n");
    assert!(text.len() as u64 <= repo::MAX_FILE_BYTES);
    repo.write("components/tiny.toml", &text);
    let out = run_bounded(repo.path(), &["check", "--json"], Some(256 << 20));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let d = diagnostics(&out);
    let tiny = finding(&d, "too_large", "components/tiny.toml");
    assert_eq!(tiny["line"], 1, "{tiny}");
    assert!(
        tiny["message"]
            .as_str()
            .unwrap()
            .contains("keys, values and lines"),
        "{tiny}"
    );
    // Everything else loaded: the sample's components are there.
    let out = run_bounded(repo.path(), &["search", "checkout"], Some(256 << 20));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("components/tiny.toml"),
        "{}",
        stdout(&out)
    );
}

/// Writes `text` as a commit object with git itself, unchecked (`git
/// hash-object -t commit --literally`), as a hostile clone can hold it.
fn hash_commit_literally(repo: &Path, text: &str) -> git2::Oid {
    use std::io::Write;
    let mut child = Command::new("git")
        .args([
            "hash-object",
            "-t",
            "commit",
            "--literally",
            "-w",
            "--stdin",
        ])
        .current_dir(repo)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("git hash-object");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    git2::Oid::from_str(String::from_utf8_lossy(&out.stdout).trim()).unwrap()
}

/// One commit in the middle of the history has a committer time that does
/// not fit (libgit2 refuses to parse it): the walk reads its raw object,
/// takes its tree and parent lines, and goes on. `history` lists the
/// commits before and after it, it included, and names it in a note.
#[test]
fn an_overflowing_timestamp_mid_history_does_not_hide_older_history() {
    if git_cli().is_none() {
        return;
    }
    let repo = minimal_committed();
    repo.write("teams/extra.toml", "name = \"Extra\"\nkind = \"other\"\n");
    let second = repo.commit("second", "2026-02-10T10:00:00Z");
    // Trees made by ordinary commits, then commits made by hand on them.
    repo.write("teams/odd.toml", "name = \"Odd\"\nkind = \"other\"\n");
    let with_odd = repo.commit("scratch", "2026-02-20T10:00:00Z");
    repo.write("teams/late.toml", "name = \"Late\"\nkind = \"other\"\n");
    let with_late = repo.commit("scratch", "2026-03-01T10:00:00Z");
    let git = repo.git.as_ref().unwrap();
    let tree = |id| git.find_commit(id).unwrap().tree_id();
    let odd = hash_commit_literally(
        repo.path(),
        &format!(
            "tree {}\nparent {second}\nauthor Odd Author <odd@example.com> 99999999999999999999 +0000\ncommitter Odd Author <odd@example.com> 99999999999999999999 +0000\n\nfrom the far future\n",
            tree(with_odd)
        ),
    );
    assert!(git.find_commit(odd).is_err(), "libgit2 parses it after all");
    let top = hash_commit_literally(
        repo.path(),
        &format!(
            "tree {}\nparent {odd}\nauthor A <a@example.com> 1772445600 +0000\ncommitter A <a@example.com> 1772445600 +0000\n\nlate team\n",
            tree(with_late)
        ),
    );
    let head = git.head().unwrap().name().unwrap().to_string();
    git.reference(&head, top, true, "hand-made").unwrap();

    let out = run_bounded(repo.path(), &["history", "--json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let messages: Vec<&str> = json["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        ["late team", "from the far future", "second", "first"],
        "{json}"
    );
    let odd_entry = &json["commits"][1];
    assert_eq!(odd_entry["commit"], odd.to_string());
    assert_eq!(odd_entry["author"], "Odd Author");
    assert_eq!(odd_entry["changes"][0]["summary"], "team odd added (Odd)");
    let notes = json["notes"].to_string();
    assert!(
        notes.contains(&odd.to_string()[..7]) && notes.contains("cannot be read"),
        "{notes}"
    );
    // Plain output says the same.
    let out = run_bounded(repo.path(), &["history"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("from the far future") && text.contains("first"),
        "{text}"
    );
    assert!(text.contains(&odd.to_string()[..7]), "{text}");
}
