//! `demarc codeowners check|generate`: CODEOWNERS against the ownership data.

use super::format::{self, FindingsContext, FindingsFormat};
use super::{Cli, EXIT_FINDINGS, EXIT_OK, fail, output};
use crate::codeowners::{self, Verdict, locate};
use crate::model::Diagnostic;
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
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Output format, as `check`'s (github: workflow-command annotations;
    /// sarif: SARIF 2.1.0)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FindingsFormat>,
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
    let (repo, source, loaded) = match load(cli) {
        Ok(x) => x,
        Err(e) => return fail(e),
    };
    let found = match &args.file {
        Some(path) => locate::read_path(path).map(Some),
        None => locate::find(&repo, &source),
    };
    let found = match found {
        Ok(Some(found)) => found,
        Ok(None) => {
            let when = match source {
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
    // Findings about the CODEOWNERS file are named from the repository's
    // root (or as given with --file), the data's from the data folder: one
    // base for all, the root, so every format points at the right file.
    if !repo.data_dir().is_empty() {
        for d in &mut report.diagnostics {
            if d.location.file != report.file {
                d.location.file = format!("{}/{}", repo.data_dir(), d.location.file);
            }
        }
    }
    crate::model::diag::sort_for_display(&mut report.diagnostics);
    let format = FindingsFormat::choose(args.format, args.json);
    if format == FindingsFormat::Json {
        // check's JSON, plus the file read and a verdict per path.
        output::print_json(&CheckJson {
            errors: report.errors(),
            warnings: report.warnings(),
            diagnostics: &report.diagnostics,
            file: &report.file,
            paths: &report.verdicts,
        });
    } else {
        let cx = FindingsContext {
            command: "demarc codeowners check".to_string(),
            data_dir: String::new(),
            source: format::source_label(&loaded.origin),
            files: 1,
        };
        output::print_text(&format::render_findings(format, &report.diagnostics, &cx));
    }
    ExitCode::from(if report.errors() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn generate(cli: &Cli, args: &GenerateArgs) -> ExitCode {
    let (_, _, loaded) = match load(cli) {
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

fn load(cli: &Cli) -> repo::Result<(repo::Repo, repo::Source, Loaded)> {
    let repo = cli.open_repo()?;
    let source = cli.source()?;
    let loaded = repo::load(&repo, &source)?;
    Ok((repo, source, loaded))
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
