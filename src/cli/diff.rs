//! `demarc diff FROM [TO] [--json]`: boundary changes between two versions.
//! FROM and TO are revisions or dates; TO defaults to the work tree.

use super::history::change_lines;
use super::{Cli, EXIT_OK, fail, output};
use crate::history::{Change, diff_models};
use crate::model::{self, Model};
use crate::repo::{self, Origin, Repo, Source};
use serde::Serialize;
use std::fmt::Write;
use std::process::ExitCode;

/// One side of the comparison.
struct Side {
    /// Full commit id; None for the work tree or a plain folder.
    commit: Option<String>,
    time: Option<String>,
    label: String,
    model: Model,
}

#[derive(Serialize)]
struct DiffJson<'a> {
    from: Option<&'a str>,
    to: Option<&'a str>,
    from_time: Option<&'a str>,
    to_time: Option<&'a str>,
    changes: &'a [Change],
}

pub fn run(cli: &Cli, from: &str, to: Option<&str>, json: bool) -> ExitCode {
    let repo = match cli.open_repo() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let sides = load(&repo, Some(from)).and_then(|a| Ok((a, load(&repo, to)?)));
    let (a, b) = match sides {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let changes = diff_models(&a.model, &b.model);
    if json {
        output::print_json(&DiffJson {
            from: a.commit.as_deref(),
            to: b.commit.as_deref(),
            from_time: a.time.as_deref(),
            to_time: b.time.as_deref(),
            changes: &changes,
        });
    } else {
        let mut out = String::new();
        if changes.is_empty() {
            let _ = writeln!(out, "No boundary changes from {} to {}.", a.label, b.label);
        } else {
            let _ = writeln!(out, "Boundary changes from {} to {}:", a.label, b.label);
            for line in change_lines(&changes) {
                let _ = writeln!(out, "  {line}");
            }
        }
        output::print_text(&out);
    }
    ExitCode::from(EXIT_OK)
}

/// A revision if git knows it, else a date (the last first-parent commit
/// at or before it); None is the work tree.
fn source_of(repo: &Repo, text: Option<&str>) -> repo::Result<Source> {
    let Some(text) = text else {
        return Ok(Source::WorkTree);
    };
    if repo.resolve_rev(text).is_ok() {
        return Ok(Source::Rev(text.to_string()));
    }
    if repo::parse_when(text).is_ok() {
        return Ok(Source::At(text.to_string()));
    }
    // Neither: let the revision's own error say what is wrong.
    repo.resolve_rev(text)
        .map(|_| Source::Rev(text.to_string()))
}

fn load(repo: &Repo, text: Option<&str>) -> repo::Result<Side> {
    let snapshot = repo.snapshot(&source_of(repo, text)?)?;
    let (model, diagnostics) = model::parse_all(
        snapshot
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.bytes.as_slice())),
    );
    let (commit, time, label) = match &snapshot.origin {
        Origin::Commit(info) => (
            Some(info.id.clone()),
            Some(info.time.to_rfc3339()),
            format!("{} ({})", info.short_id(), info.time.format("%Y-%m-%d")),
        ),
        Origin::WorkTree { .. } => (None, None, "the work tree".to_string()),
        Origin::Folder => (None, None, "the folder".to_string()),
    };
    if let Some(error) = diagnostics.iter().find(|d| d.code == "parse") {
        return Err(repo::Error(format!(
            "The data of {label} does not parse ({}: {}), so it cannot be compared; `demarc check` shows every finding.",
            error.location, error.message
        )));
    }
    Ok(Side {
        commit,
        time,
        label,
        model,
    })
}
