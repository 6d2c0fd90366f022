//! `demarc check [--json]`.

use super::{Cli, EXIT_FINDINGS, EXIT_OK, fail, output};
use crate::model::{Diagnostic, Severity};
use crate::repo::{self, Loaded, Origin};
use serde::Serialize;
use std::fmt::Write;
use std::process::ExitCode;

#[derive(Serialize)]
struct CheckJson<'a> {
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub fn run(cli: &Cli, json: bool) -> ExitCode {
    let loaded = match cli.open_repo().and_then(|r| repo::load(&r, &cli.source())) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    if json {
        output::print_json(&CheckJson {
            errors: loaded.errors(),
            warnings: loaded.warnings(),
            diagnostics: &loaded.diagnostics,
        });
    } else {
        output::print_text(&render_plain(&loaded));
    }
    ExitCode::from(if loaded.errors() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// Grouped by file (diagnostics are sorted by file, errors first), then a summary.
pub fn render_plain(loaded: &Loaded) -> String {
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for d in &loaded.diagnostics {
        if current != Some(d.location.file.as_str()) {
            if current.is_some() {
                out.push('\n');
            }
            let file = if d.location.file.is_empty() {
                "(repository)"
            } else {
                &d.location.file
            };
            let _ = writeln!(out, "{file}");
            current = Some(&d.location.file);
        }
        let severity = match d.severity {
            Severity::Error => "error  ",
            Severity::Warning => "warning",
        };
        let at = match (d.location.line, d.location.column) {
            (Some(l), Some(c)) => format!("{l}:{c}"),
            (Some(l), None) => format!("{l}"),
            _ => "-".to_string(),
        };
        let _ = writeln!(out, "  {severity} {at:<7} {} [{}]", d.message, d.code);
    }
    if !loaded.diagnostics.is_empty() {
        out.push('\n');
    }
    let what = match &loaded.origin {
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
    };
    let files = plural(loaded.files.len(), "file");
    let _ = match (loaded.errors(), loaded.warnings()) {
        (0, 0) => writeln!(out, "ok: no findings in {files} of {what}"),
        (e, w) => writeln!(
            out,
            "{}: {} and {} in {files} of {what}",
            if e > 0 { "failed" } else { "ok" },
            plural(e, "error"),
            plural(w, "warning")
        ),
    };
    out
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
