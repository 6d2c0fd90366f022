//! `demarc completions SHELL` and the man page: the scripts load in the
//! shell they are for, and completing `--team` or `--component` offers the
//! ids of the repository being completed in.

#[path = "common/ci.rs"]
mod ci;
#[path = "common/history_repo.rs"]
mod history_repo;

use ci::{demarc, demarc_env, err, out};
use clap::CommandFactory;
use history_repo::{TestRepo, base_files};
use std::process::Command;

fn repo() -> TestRepo {
    let mut repo = TestRepo::new();
    base_files(&mut repo, "");
    repo.commit("base");
    repo
}

#[test]
fn every_shell_gets_a_script_that_calls_demarc_back() {
    let repo = repo();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = demarc(&repo.path(), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", err(&o));
        let script = out(&o);
        assert!(script.contains("COMPLETE"), "{shell}: {script}");
        assert!(
            script.contains(env!("CARGO_BIN_EXE_demarc")),
            "{shell}: {script}"
        );
    }
    let o = demarc(&repo.path(), &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn team_and_component_ids_complete_from_the_repository() {
    let repo = repo();
    // What the fish script runs on Tab: `COMPLETE=fish demarc -- WORDS`.
    let complete = |cwd: &std::path::Path, words: &[&str]| {
        let mut args = vec!["--", "demarc"];
        args.extend_from_slice(words);
        out(&demarc_env(cwd, &args, &[("COMPLETE", "fish")]))
    };
    let teams = complete(&repo.path(), &["history", "--team", ""]);
    for id in ["checkout", "data", "infra", "search", "sre"] {
        assert!(
            teams.lines().any(|l| l.starts_with(&format!("{id}\t"))),
            "{id}: {teams}"
        );
    }
    let components = complete(&repo.path(), &["history", "--component", "p"]);
    assert_eq!(
        components.trim(),
        "postgres\tPostgres (data)",
        "{components}"
    );

    // -C on the line being completed names the repository.
    let elsewhere = tempfile::tempdir().unwrap();
    let path = repo.path();
    let path = path.to_str().unwrap();
    let remote = complete(elsewhere.path(), &["-C", path, "who", "ka"]);
    assert!(remote.contains("kafka\tcomponent: Kafka"), "{remote}");
    // Outside any repository there is nothing to offer, and no error.
    let nothing = complete(elsewhere.path(), &["history", "--team", ""]);
    assert!(nothing.trim().is_empty(), "{nothing}");
}

#[test]
fn the_bash_script_completes_a_team_in_bash() {
    if Command::new("bash").arg("--version").output().is_err() {
        eprintln!("bash is not installed; skipped");
        return;
    }
    let repo = repo();
    let script = format!(
        "source <('{bin}' completions bash)\n\
         COMP_WORDS=(demarc history --team s)\n\
         COMP_CWORD=3\n\
         COMP_TYPE=9\n\
         _clap_complete_demarc demarc s --team\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        bin = env!("CARGO_BIN_EXE_demarc")
    );
    let o = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(repo.path())
        .env_remove("COMPLETE")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let offered: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .collect();
    assert_eq!(offered, vec!["search", "sre"]);
}

#[test]
fn the_man_page_comes_from_the_same_definitions() {
    let mut page = Vec::new();
    clap_mangen::Man::new(demarc::cli::Cli::command())
        .render(&mut page)
        .unwrap();
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains(".TH demarc 1"), "{page}");
    for command in ["check", "diff", "history", "completions"] {
        assert!(page.contains(&format!("{command}(1)")), "{command}: {page}");
    }
    // A subcommand's page lists the formats.
    let check = demarc::cli::Cli::command()
        .find_subcommand("check")
        .unwrap()
        .clone()
        .name("demarc-check");
    let mut page = Vec::new();
    clap_mangen::Man::new(check).render(&mut page).unwrap();
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("sarif") && page.contains("github"), "{page}");
}
