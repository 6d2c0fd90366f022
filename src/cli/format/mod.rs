//! Output formats for CI: the same findings, changes and history that the
//! text and JSON printers take, written as GitHub workflow commands, SARIF
//! 2.1.0 or Markdown. Each format is one module; commands only pick one.
//!
//! `render_findings` is the one entry point for findings, so every command
//! that reports findings (`check`, `codeowners check`) prints them alike.

pub mod escape;
pub mod github;
pub mod markdown;
pub mod review;
pub mod rules;
pub mod sarif;
pub mod text;

use crate::model::Diagnostic;
use serde::Serialize;

/// `--format` of commands that report findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FindingsFormat {
    /// Grouped by file, for people (the default)
    Text,
    /// The JSON of the contract (same as --json)
    Json,
    /// A Markdown table, for a pull-request comment or a job summary
    Markdown,
    /// GitHub Actions workflow commands: an annotation per finding
    Github,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

impl FindingsFormat {
    /// `--format` wins; `--json` (kept for scripts) means json.
    pub fn choose(format: Option<FindingsFormat>, json: bool) -> FindingsFormat {
        match format {
            Some(f) => f,
            None if json => FindingsFormat::Json,
            None => FindingsFormat::Text,
        }
    }
}

/// `--format` of commands that report changes (`diff`, `history`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Readable lines (the default)
    Text,
    /// The JSON of the contract (same as --json)
    Json,
    /// Markdown, for a pull-request comment or a job summary
    Markdown,
}

impl ReportFormat {
    pub fn choose(format: Option<ReportFormat>, json: bool) -> ReportFormat {
        match format {
            Some(f) => f,
            None if json => ReportFormat::Json,
            None => ReportFormat::Text,
        }
    }
}

/// What a findings printer needs besides the findings.
#[derive(Debug, Clone, Default)]
pub struct FindingsContext {
    /// The command, for headings: `demarc check`, `demarc codeowners check`.
    pub command: String,
    /// The data folder relative to the repository's root (`/`-separated,
    /// "" for the root). Findings carry paths relative to the data folder;
    /// GitHub and SARIF want them relative to the root, so annotations land
    /// on the right file when the data lives in a subfolder.
    pub data_dir: String,
    /// What was read, for the summary: "the work tree", "commit 1a2b3c4 (2026-05-01)".
    pub source: String,
    /// How many files were read.
    pub files: usize,
}

impl FindingsContext {
    /// A finding's file as a path from the repository's root. A finding
    /// about the whole repository (no file) points at its `demarc.toml`.
    pub fn root_path(&self, file: &str) -> String {
        let file = if file.is_empty() { "demarc.toml" } else { file };
        if self.data_dir.is_empty() {
            file.to_string()
        } else {
            format!("{}/{file}", self.data_dir)
        }
    }
}

/// The `check --json` shape of the contract.
#[derive(Serialize)]
pub struct FindingsJson<'a> {
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: &'a [Diagnostic],
}

pub fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}

/// Findings in `format`, ready to print with `output::print_text` (text
/// from the repository is cleaned or escaped by each format).
pub fn render_findings(
    format: FindingsFormat,
    diagnostics: &[Diagnostic],
    cx: &FindingsContext,
) -> String {
    match format {
        FindingsFormat::Text => text::findings(diagnostics, cx),
        FindingsFormat::Json => {
            let errors = count_errors(diagnostics);
            let mut out = super::output::to_json(&FindingsJson {
                errors,
                warnings: diagnostics.len() - errors,
                diagnostics,
            });
            out.push('\n');
            out
        }
        FindingsFormat::Markdown => markdown::findings(diagnostics, cx),
        FindingsFormat::Github => github::findings(diagnostics, cx),
        FindingsFormat::Sarif => sarif::findings(diagnostics, cx),
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

impl FindingsContext {
    /// The context of a loaded version of the data in `repo`.
    pub fn of(
        command: &str,
        repo: &crate::repo::Repo,
        loaded: &crate::repo::Loaded,
    ) -> FindingsContext {
        FindingsContext {
            command: command.to_string(),
            data_dir: repo.data_dir().to_string(),
            source: source_label(&loaded.origin),
            files: loaded.files.len(),
        }
    }
}

/// What was read, in words: "the work tree (2 uncommitted files)",
/// "commit 1a2b3c4 (2026-05-01)", "the folder".
pub fn source_label(origin: &crate::repo::Origin) -> String {
    use crate::repo::Origin;
    match origin {
        Origin::WorkTree { dirty } if dirty.is_empty() => "the work tree".to_string(),
        Origin::WorkTree { dirty } => format!(
            "the work tree ({} uncommitted)",
            plural(dirty.len(), "file")
        ),
        Origin::Commit(info) => format!(
            "commit {} ({})",
            info.short_id(),
            info.time.format("%Y-%m-%d")
        ),
        Origin::Folder => "the folder".to_string(),
    }
}
