//! The ready-made CI of docs/ci: each file parses as what it claims to be,
//! and every demarc command in it runs, as written, on a real repository
//! shaped like a pull request: `origin/main` is the base, HEAD the branch.

#[path = "common/history_repo.rs"]
mod history_repo;

use history_repo::{TestRepo, base_files};
use serde_norway::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn load(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/ci")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{name} is not YAML: {e}"))
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// A pull request: `origin/main` holds the base data; HEAD (checked out
/// on disk) adds a team and, when `introduce` is set, a duty claimed twice.
fn pull_request(introduce: bool) -> (TestRepo, String) {
    let mut repo = TestRepo::new();
    base_files(&mut repo, "ownership/");
    let base = repo.commit("Base");
    repo.repo
        .reference("refs/remotes/origin/main", base, true, "the remote's main")
        .unwrap();
    repo.write(
        "ownership/teams/analytics.toml",
        "name = \"Analytics\"\nkind = \"data\"\nlead = \"Ada\"\n",
    );
    repo.edit(
        "ownership/components/data.toml",
        "consumers = [\"checkout\"]\nreviewed",
        "consumers = [\"checkout\", \"analytics\", \"search\"]\nreviewed",
    );
    if introduce {
        repo.edit(
            "ownership/components/data.toml",
            "covers = [\"schema\"]",
            "covers = [\"schema\", \"backups\"]",
        );
    }
    repo.commit("The pull request");
    (repo, base.to_string())
}

/// Runs a shell snippet from a CI file with demarc on the PATH.
fn sh(cwd: &Path, script: &str, env: &[(&str, &str)]) -> Output {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_demarc"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("bash");
    command
        .arg("-ec")
        .arg(script)
        .current_dir(cwd)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("COMPLETE");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("bash")
}

fn describe(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The `run` steps of the GitHub workflow that call demarc, with the
/// `${{ github.base_ref }}` expression filled in as GitHub would.
fn github_steps() -> Vec<(String, String)> {
    let workflow = load("github-workflow.yml");
    assert!(workflow["on"].get("pull_request").is_some());
    let job = &workflow["jobs"]["demarc"];
    assert_eq!(text(&job["env"], "DATA"), Some("ownership"));
    let steps = job["steps"].as_sequence().unwrap();
    let checkout = steps
        .iter()
        .find(|s| text(s, "uses").is_some_and(|u| u.starts_with("actions/checkout@")))
        .expect("a checkout step");
    assert_eq!(checkout["with"]["fetch-depth"].as_u64(), Some(0));
    let sticky = steps
        .iter()
        .find(|s| text(s, "uses").is_some_and(|u| u.contains("sticky-pull-request-comment")))
        .expect("a sticky comment step");
    let comment_file = text(&sticky["with"], "path").unwrap();
    let runs: Vec<(String, String)> = steps
        .iter()
        .filter_map(|s| Some((text(s, "name")?.to_string(), text(s, "run")?.to_string())))
        .filter(|(_, run)| run.contains("demarc ") && !run.contains("cargo install"))
        .map(|(name, run)| (name, run.replace("${{ github.base_ref }}", "main")))
        .collect();
    assert!(
        runs.iter()
            .any(|(_, run)| run.contains(&format!("> {comment_file}"))),
        "a step writes the file the sticky comment posts"
    );
    assert_eq!(runs.len(), 3, "{runs:?}");
    runs
}

#[test]
fn the_github_workflow_runs_as_written() {
    for introduce in [false, true] {
        let (repo, _) = pull_request(introduce);
        let summary = repo.path().join("summary.md");
        let env = [
            ("DATA", "ownership"),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ];
        for (name, run) in github_steps() {
            let o = sh(&repo.path(), &run, &env);
            let expected = if introduce && name.starts_with("Fail on") {
                1
            } else {
                0
            };
            assert_eq!(o.status.code(), Some(expected), "{name}: {}", describe(&o));
            if name.starts_with("Check") {
                let stdout = String::from_utf8_lossy(&o.stdout);
                let annotations: Vec<&str> =
                    stdout.lines().filter(|l| l.starts_with("::")).collect();
                assert!(!annotations.is_empty(), "{stdout}");
                assert!(
                    annotations.iter().all(|a| a.contains("file=ownership/")),
                    "{stdout}"
                );
            }
        }
        let review = std::fs::read_to_string(repo.path().join("demarc-review.md")).unwrap();
        assert!(review.starts_with("<!-- demarc-review -->"), "{review}");
        assert!(review.contains("team `analytics`"), "{review}");
        assert_eq!(
            review.contains("Findings this change introduces"),
            introduce,
            "{review}"
        );
        let summary = std::fs::read_to_string(summary).unwrap();
        assert_eq!(summary, review, "the job summary holds the review");
    }
}

#[test]
fn the_gitlab_job_runs_as_written() {
    let config = load("gitlab-ci.yml");
    let job = &config["demarc"];
    assert_eq!(text(&job["variables"], "GIT_DEPTH"), Some("0"));
    let script: Vec<&str> = job["script"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let artifacts: Vec<&str> = job["artifacts"]["paths"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    for introduce in [false, true] {
        let (repo, base) = pull_request(introduce);
        let env = [
            ("DATA", "ownership"),
            ("CI_MERGE_REQUEST_DIFF_BASE_SHA", base.as_str()),
        ];
        let o = sh(&repo.path(), &script.join("\n"), &env);
        let expected = if introduce { 1 } else { 0 };
        assert_eq!(o.status.code(), Some(expected), "{}", describe(&o));
        for artifact in &artifacts {
            let written = std::fs::read_to_string(repo.path().join(artifact)).unwrap();
            assert!(written.contains("demarc"), "{artifact}: {written}");
        }
    }
}

#[test]
fn the_pre_commit_hook_runs_as_written() {
    let config = load("pre-commit-config.yaml");
    let hook = &config["repos"][0]["hooks"][0];
    assert_eq!(text(hook, "language"), Some("system"));
    assert_eq!(hook["pass_filenames"].as_bool(), Some(false));
    let entry = text(hook, "entry").unwrap();
    let files = text(hook, "files").unwrap();
    assert!(files.starts_with("^ownership/"));

    let (repo, _) = pull_request(true);
    let o = sh(&repo.path(), entry, &[]);
    assert_eq!(o.status.code(), Some(0), "warnings pass: {}", describe(&o));
    std::fs::write(
        repo.path().join("ownership/teams/broken.toml"),
        "name = [\n",
    )
    .unwrap();
    let o = sh(&repo.path(), entry, &[]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "an error stops the commit: {}",
        describe(&o)
    );
}
