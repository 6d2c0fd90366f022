//! Findings as text for people: grouped by file (findings come sorted by
//! file, errors first), then a one-line summary.

use super::{FindingsContext, count_errors, plural};
use crate::model::{Diagnostic, Severity};
use std::fmt::Write;

pub fn findings(diagnostics: &[Diagnostic], cx: &FindingsContext) -> String {
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for d in diagnostics {
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
    if !diagnostics.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary(diagnostics, cx));
    out
}

/// `ok: 0 errors and 2 warnings in 33 files of the work tree`.
pub fn summary(diagnostics: &[Diagnostic], cx: &FindingsContext) -> String {
    let files = plural(cx.files, "file");
    let what = &cx.source;
    match (count_errors(diagnostics), diagnostics.len()) {
        (_, 0) => format!("ok: no findings in {files} of {what}"),
        (e, n) => format!(
            "{}: {} and {} in {files} of {what}",
            if e > 0 { "failed" } else { "ok" },
            plural(e, "error"),
            plural(n - e, "warning")
        ),
    }
}

/// For `diff --fail-on` in text: the findings the change introduces (the
/// reason for exit 1) and how many it fixes.
pub fn introduced(review: &super::review::Review, cx: &FindingsContext) -> String {
    let mut out = String::new();
    if review.introduced.is_empty() {
        let _ = writeln!(out, "The change introduces no findings.");
    } else {
        let _ = writeln!(
            out,
            "The change introduces {}:",
            plural(review.introduced.len(), "finding")
        );
        for d in &review.introduced {
            let severity = match d.severity {
                Severity::Error => "error  ",
                Severity::Warning => "warning",
            };
            let mut at = cx.root_path(&d.location.file);
            if let Some(line) = d.location.line {
                let _ = write!(at, ":{line}");
            }
            let _ = writeln!(out, "  {severity} {at} {} [{}]", d.message, d.code);
        }
    }
    if !review.fixed.is_empty() {
        let _ = writeln!(out, "It fixes {}.", plural(review.fixed.len(), "finding"));
    }
    out
}
