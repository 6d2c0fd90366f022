//! `demarc completions SHELL`: shell completion through clap_complete's
//! dynamic engine. The script a shell sources calls demarc back
//! (`COMPLETE=bash demarc -- WORDS`) at every Tab, so completions always
//! match the installed binary and can offer what only the repository
//! knows: team and component ids, read from the work tree of the
//! repository given by `-C`/`--dir` on the line being completed, or the
//! current directory.

use crate::model::{self, Model};
use crate::repo::{Repo, Source};
use clap::CommandFactory;
use clap_complete::CompletionCandidate;
use clap_complete::env::{Bash, CompleteEnv, Elvish, EnvCompleter, Fish, Powershell, Zsh};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// The environment variable the scripts set when they call back.
const VAR: &str = "COMPLETE";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// Answers a shell's completion request and exits, when this run is one
/// (`COMPLETE` is set); otherwise returns at once.
pub fn complete_if_asked() {
    CompleteEnv::with_factory(super::Cli::command)
        .var(VAR)
        .complete();
}

/// Prints the script that registers the completions with `shell`.
pub fn run(shell: Shell) -> ExitCode {
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Powershell => &Powershell,
        Shell::Elvish => &Elvish,
    };
    let mut script = Vec::new();
    let written = completer.write_registration(VAR, "demarc", "demarc", &callback(), &mut script);
    match written.and_then(|_| std::io::stdout().lock().write_all(&script)) {
        Ok(()) => ExitCode::from(super::EXIT_OK),
        Err(e) => super::fail(format!("Cannot write the completion script: {e}.")),
    }
}

/// The program the script calls back: `demarc` when it was run from the
/// PATH (so an upgrade is picked up), else the full path of this binary.
fn callback() -> String {
    let arg0 = std::env::args_os().next().map(PathBuf::from);
    match arg0 {
        Some(p) if p.components().count() > 1 => std::env::current_exe()
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned(),
        _ => "demarc".to_string(),
    }
}

/// The value after `-C`/`--repo` and `--dir` on the command line being
/// completed (the words follow `--` in a callback).
fn flags_in(words: &[String]) -> (Option<PathBuf>, Option<String>) {
    let (mut repo, mut dir) = (None, None);
    let mut words = words.iter();
    while let Some(word) = words.next() {
        if word == "-C" || word == "--repo" {
            repo = words.next().map(PathBuf::from);
        } else if let Some(v) = word.strip_prefix("--repo=") {
            repo = Some(PathBuf::from(v));
        } else if word == "--dir" {
            dir = words.next().cloned();
        } else if let Some(v) = word.strip_prefix("--dir=") {
            dir = Some(v.to_string());
        } else if let Some(v) = word.strip_prefix("-C").filter(|v| !v.is_empty()) {
            repo = Some(PathBuf::from(v));
        }
    }
    (repo, dir)
}

/// The work tree's model of the repository the line being completed
/// points at; None when there is none (completion then offers nothing).
fn model_for_completion() -> Option<Model> {
    let words: Vec<String> = std::env::args().collect();
    let (repo, dir) = flags_in(&words);
    let path = match repo {
        Some(p) => p,
        None => std::env::current_dir().ok()?,
    };
    let repo = Repo::open(&path, dir.as_deref()).ok()?;
    let snapshot = repo.snapshot(&Source::WorkTree).ok()?;
    let (model, _) = model::parse_all(
        snapshot
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.bytes.as_slice())),
    );
    Some(model)
}

fn candidate(id: &str, help: String) -> CompletionCandidate {
    CompletionCandidate::new(crate::sanitize::line(id).into_owned())
        .help(Some(crate::sanitize::line(&help).into_owned().into()))
}

/// Team ids, with the team's name as help.
pub fn team_ids() -> Vec<CompletionCandidate> {
    let Some(model) = model_for_completion() else {
        return Vec::new();
    };
    model
        .teams
        .iter()
        .map(|t| candidate(&t.id, t.name.clone()))
        .collect()
}

/// Component ids, with the name and owner as help.
pub fn component_ids() -> Vec<CompletionCandidate> {
    let Some(model) = model_for_completion() else {
        return Vec::new();
    };
    model
        .components
        .iter()
        .map(|c| candidate(&c.id, format!("{} ({})", c.name, c.owner)))
        .collect()
}

/// Components, teams and scenarios: what `who` finds by id.
pub fn who_ids() -> Vec<CompletionCandidate> {
    let Some(model) = model_for_completion() else {
        return Vec::new();
    };
    let components = model
        .components
        .iter()
        .map(|c| candidate(&c.id, format!("component: {}", c.name)));
    let teams = model
        .teams
        .iter()
        .map(|t| candidate(&t.id, format!("team: {}", t.name)));
    let scenarios = model
        .scenarios
        .iter()
        .map(|s| candidate(&s.id, format!("scenario: {}", s.title)));
    components.chain(teams).chain(scenarios).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_flags_are_read_from_the_line_being_completed() {
        let words: Vec<String> = ["demarc", "--", "demarc", "-C", "/x", "--dir=own", "history"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            flags_in(&words),
            (Some(PathBuf::from("/x")), Some("own".to_string()))
        );
        let words = vec!["demarc".to_string(), "-C/y".to_string()];
        assert_eq!(flags_in(&words), (Some(PathBuf::from("/y")), None));
    }
}
