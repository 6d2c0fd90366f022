//! `history --json` and plain `history` are written commit by commit as the
//! walk goes (bounded memory on long histories). These tests hold the
//! streamed bytes to the collected answer (`cli::history::answer`, which
//! `demarc mcp` and `--format markdown` use) on real repositories: the
//! sample, a history whose JSON spans many write chunks with multi-byte and
//! terminal-driving characters in it, and with filters.

#[path = "common/history_repo.rs"]
mod history_repo;

use clap::Parser;
use demarc::cli::format::ReportFormat;
use demarc::cli::history::{Args, answer};
use demarc::cli::{Answer, Cli, output};
use history_repo::{TestRepo, base_files};
use std::path::Path;
use std::process::Command;

fn run(dir: &Path, args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_demarc"))
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("run demarc");
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The collected answer, printed as the printers print it.
fn collected(dir: &Path, component: Option<&str>, team: Option<&str>, json: bool) -> Vec<u8> {
    let cli = Cli::parse_from(["demarc", "-C", dir.to_str().unwrap(), "history"]);
    let args = Args {
        component: component.map(String::from),
        team: team.map(String::from),
        since: None,
        until: None,
        format: ReportFormat::Text,
    };
    let a = answer(&cli, args).expect("answer");
    if json {
        format!("{}\n", output::to_json(&a.json())).into_bytes()
    } else {
        demarc::sanitize::text(&a.plain()).into_owned().into_bytes()
    }
}

fn assert_same(dir: &Path, component: Option<&str>, team: Option<&str>) {
    let mut args = vec!["history"];
    if let Some(c) = component {
        args.extend(["--component", c]);
    }
    if let Some(t) = team {
        args.extend(["--team", t]);
    }
    let (code, plain, err) = run(dir, &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        String::from_utf8_lossy(&plain),
        String::from_utf8_lossy(&collected(dir, component, team, false))
    );
    args.push("--json");
    let (code, streamed, err) = run(dir, &args);
    assert_eq!(code, 0, "{err}");
    let expected = collected(dir, component, team, true);
    assert!(
        streamed == expected,
        "streamed JSON differs from the collected one ({} vs {} bytes)",
        streamed.len(),
        expected.len()
    );
    serde_json::from_slice::<serde_json::Value>(&streamed).expect("valid JSON");
}

#[test]
fn the_sample_streams_the_bytes_of_the_collected_answer() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sample");
    let (code, _, err) = run(dir.path(), &["demo", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_same(&out, None, None);
    assert_same(&out, Some("postgres"), None);
    assert_same(&out, None, Some("platform-data"));
}

/// A long history: the JSON is many times the writer's 64 KiB chunk, and
/// commit messages carry multi-byte characters (cut by chunk edges) and
/// characters that drive a terminal (escaped as `\uXXXX`).
#[test]
fn a_long_history_with_odd_characters_streams_identically() {
    let mut repo = TestRepo::new();
    base_files(&mut repo, "");
    repo.commit("founding");
    for i in 0..160 {
        let (from, to) = if i % 2 == 0 {
            ("owner = \"data\"", "owner = \"checkout\"")
        } else {
            ("owner = \"checkout\"", "owner = \"data\"")
        };
        repo.edit("components/data.toml", from, to);
        repo.commit(&format!(
            "Move postgres ({i}) → 所有者 ✓ \u{9b}31m red \u{202e}bidi {}",
            "é".repeat(400 + i)
        ));
    }
    assert_same(&repo.path(), None, None);
    assert_same(&repo.path(), Some("postgres"), None);
    let (_, streamed, _) = run(&repo.path(), &["history", "--json"]);
    assert!(streamed.len() > 3 * 64 * 1024, "{} bytes", streamed.len());
    let text = String::from_utf8(streamed).unwrap();
    assert!(!text.contains('\u{9b}') && text.contains("\\u009b"));
    assert!(!text.contains('\u{202e}') && text.contains("\\u202e"));
}

/// An unknown id is still a usage error with nothing on stdout: the
/// filtered walk finishes before anything is written.
#[test]
fn a_filter_typo_prints_nothing_and_fails() {
    let mut repo = TestRepo::new();
    base_files(&mut repo, "");
    repo.commit("founding");
    let (code, stdout, err) = run(&repo.path(), &["history", "--json", "--team", "nobody"]);
    assert_eq!(code, 2, "{err}");
    assert!(stdout.is_empty());
    assert!(err.contains("nobody"), "{err}");
}

/// The files of the starting version that did not load (`incomplete`) are
/// found from the walk's own parse of that version rather than a second
/// one: they must be exactly the loader's list, for a file the walk parsed
/// whole, one it parsed table by table, one whose table is broken (parsed
/// whole again), a Git LFS pointer (the loader skips it, the walk parses
/// it) and a commit that breaks a file the way `--until` starts elsewhere.
#[test]
fn the_files_that_did_not_load_are_the_loaders_list() {
    let mut repo = TestRepo::new();
    base_files(&mut repo, "");
    let table = |i: usize| {
        format!(
            "[[component]]\nid = \"svc-{i}\"\nname = \"Service {i}, a name long enough to make the file large\"\nowner = \"data\"\nreviewed = 2026-01-01\n\n[[component.duty]]\nparty = \"data\"\ncovers = [\"run {i}\"]\n\n"
        )
    };
    let big: String = (0..80).map(table).collect();
    repo.write("components/big.toml", &big);
    repo.write(
        "components/other.toml",
        &(80..160).map(table).collect::<String>(),
    );
    repo.commit("large files");
    repo.write(
        "teams/lfs.toml",
        "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n",
    );
    repo.edit(
        "components/big.toml",
        "covers = [\"run 7\"]",
        "covers = [\"run 7\"",
    );
    repo.write("teams/broken.toml", "id = \"broken\"\nname = [\n");
    repo.commit("break two files, add a pointer");
    let (code, out, err) = run(&repo.path(), &["history", "--json"]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let files: Vec<&str> = json["incomplete"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["components/big.toml", "teams/broken.toml"]);
    assert_same(&repo.path(), None, None);
    // Fixed again: nothing is incomplete, and the large files are parsed
    // table by table by the walk.
    repo.edit(
        "components/big.toml",
        "covers = [\"run 7\"",
        "covers = [\"run 7\"]",
    );
    repo.delete("teams/broken.toml");
    repo.commit("fix");
    let (_, out, _) = run(&repo.path(), &["history", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["incomplete"], serde_json::json!([]));
    assert_same(&repo.path(), None, None);
}
