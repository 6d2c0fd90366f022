//! `demarc codeowners check|generate`: CODEOWNERS against the ownership data.

use super::{Cli, EXIT_FINDINGS, EXIT_OK, check::render_plain, fail, output};
use crate::codeowners::{self, Verdict, locate};
use crate::model::{Diagnostic, Model};
use crate::repo::{self, Loaded};
use clap::{Args, Subcommand};
use serde::Serialize;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum CodeownersCommand {
    /// Check a CODEOWNERS file against the components' `paths` and the
    /// teams' `codeowners` handles (exit 1 on errors)
    Check(CheckArgs),
    /// Print a CODEOWNERS file made from the ownership data (writes nothing)
    Generate(GenerateArgs),
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The CODEOWNERS file, a path on disk (default: .github/CODEOWNERS,
    /// CODEOWNERS, docs/CODEOWNERS of the repository, the first found)
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// The repository the CODEOWNERS file belongs to: only components with
    /// this `repo` are checked (written `--repo ORG/NAME` after `codeowners`)
    #[arg(long = "code-repo", value_name = "ORG/NAME")]
    pub code_repo: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// After the owner's handles, the handles of the parties holding duties
    #[arg(long)]
    pub with_duties: bool,
    /// Only the components with this `repo` (written `--repo ORG/NAME`
    /// after `codeowners`)
    #[arg(long = "code-repo", value_name = "ORG/NAME")]
    pub code_repo: Option<String>,
}

/// After `codeowners`, `--repo` names the code's repository (ORG/NAME, as
/// the contract spells it), while before it `--repo` is the global `-C`.
/// clap cannot hold two options of one name, so the words after the
/// `codeowners` subcommand are renamed before parsing.
pub fn rename_repo_flag(args: Vec<OsString>) -> Vec<OsString> {
    const GLOBAL_VALUES: &[&str] = &["-C", "--repo", "--dir", "--rev", "--at", "--theme"];
    // Where the subcommand is: the first word that is neither an option
    // nor the value of a global option.
    let mut i = 1;
    while let Some(text) = args.get(i).map(|a| a.to_str().unwrap_or("")) {
        if GLOBAL_VALUES.contains(&text) {
            i += 2;
        } else if text.starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    if args.get(i).and_then(|a| a.to_str()) != Some("codeowners") {
        return args;
    }
    let mut renaming = true;
    args.into_iter()
        .enumerate()
        .map(|(n, arg)| {
            let text = arg.to_str().unwrap_or("");
            if n <= i || !renaming {
                arg
            } else if text == "--" {
                renaming = false;
                arg
            } else if text == "--repo" {
                OsString::from("--code-repo")
            } else if let Some(value) = text.strip_prefix("--repo=") {
                OsString::from(format!("--code-repo={value}"))
            } else {
                arg
            }
        })
        .collect()
}

pub fn run(cli: &Cli, command: &CodeownersCommand) -> ExitCode {
    match command {
        CodeownersCommand::Check(args) => check(cli, args),
        CodeownersCommand::Generate(args) => generate(cli, args),
    }
}

/// How a report is printed. One place chooses, so `--format` joins here.
enum Output {
    Text,
    Json,
}

impl Output {
    fn of(args: &CheckArgs) -> Output {
        if args.json {
            Output::Json
        } else {
            Output::Text
        }
    }
}

#[derive(Serialize)]
struct CheckJson<'a> {
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
    /// The CODEOWNERS file read.
    file: &'a str,
    /// What CODEOWNERS says about each component path.
    paths: &'a [Verdict],
}

fn check(cli: &Cli, args: &CheckArgs) -> ExitCode {
    let (repo, loaded) = match load(cli) {
        Ok(x) => x,
        Err(e) => return fail(e),
    };
    let found = match &args.file {
        Some(path) => locate::read_path(path).map(Some),
        None => locate::find(&repo, &cli.source()),
    };
    let found = match found {
        Ok(Some(found)) => found,
        Ok(None) => {
            let when = match cli.source() {
                repo::Source::WorkTree => String::new(),
                repo::Source::Rev(rev) => format!(" at {rev}"),
                repo::Source::At(at) => format!(" as of {at}"),
            };
            return fail(format!(
                "{}{when} has no CODEOWNERS file ({} were looked for); give one with --file.",
                repo.describe(),
                locate::CANDIDATES.join(", ")
            ));
        }
        Err(e) => return fail(e),
    };
    let mut report = codeowners::review(&found, &loaded.model, args.code_repo.as_deref());
    // Data that did not load, or handles and paths left out, change the
    // answer: name them with it.
    report.diagnostics.extend(
        loaded
            .diagnostics
            .iter()
            .filter(|d| {
                matches!(
                    d.code,
                    "parse" | "unreadable" | "invalid_handle" | "invalid_path" | "invalid_repo"
                )
            })
            .cloned(),
    );
    crate::model::diag::sort_for_display(&mut report.diagnostics);
    match Output::of(args) {
        Output::Json => output::print_json(&CheckJson {
            errors: report.errors(),
            warnings: report.warnings(),
            diagnostics: &report.diagnostics,
            file: &report.file,
            paths: &report.verdicts,
        }),
        Output::Text => {
            let shown = Loaded {
                origin: loaded.origin,
                model: Model::default(),
                diagnostics: report.diagnostics.clone(),
                files: vec![report.file.clone()],
            };
            output::print_text(&render_plain(&shown));
        }
    }
    ExitCode::from(if report.errors() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn generate(cli: &Cli, args: &GenerateArgs) -> ExitCode {
    let (_, loaded) = match load(cli) {
        Ok(x) => x,
        Err(e) => return fail(e),
    };
    let broken: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "parse")
        .map(|d| d.location.file.as_str())
        .collect();
    if !broken.is_empty() {
        eprintln!(
            "demarc: {} did not load, so its teams and components are missing below.",
            crate::sanitize::text(&broken.join(", "))
        );
    }
    let options = codeowners::Options {
        with_duties: args.with_duties,
        repo: args.code_repo.clone(),
    };
    output::print_text(&codeowners::generate(&loaded.model, &options));
    ExitCode::from(EXIT_OK)
}

fn load(cli: &Cli) -> repo::Result<(repo::Repo, Loaded)> {
    let repo = cli.open_repo()?;
    let loaded = repo::load(&repo, &cli.source())?;
    Ok((repo, loaded))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamed(args: &[&str]) -> Vec<String> {
        rename_repo_flag(args.iter().map(OsString::from).collect())
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn repo_after_codeowners_is_the_code_repository() {
        assert_eq!(
            renamed(&["demarc", "-C", "x", "codeowners", "check", "--repo", "o/n"]),
            [
                "demarc",
                "-C",
                "x",
                "codeowners",
                "check",
                "--code-repo",
                "o/n"
            ]
        );
        assert_eq!(
            renamed(&[
                "demarc",
                "--repo",
                "codeowners",
                "codeowners",
                "generate",
                "--repo=o/n"
            ]),
            [
                "demarc",
                "--repo",
                "codeowners",
                "codeowners",
                "generate",
                "--code-repo=o/n"
            ]
        );
        // Other commands keep the global meaning.
        let who = ["demarc", "who", "codeowners", "--repo", "x"];
        assert_eq!(renamed(&who), who);
    }
}
