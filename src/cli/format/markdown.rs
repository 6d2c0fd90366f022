//! Markdown for pull-request comments and CI job summaries: findings as a
//! table, history as a section per commit, and the review comment of a
//! diff. Repository text is escaped (`escape::md_*`), so a name in the
//! data cannot forge a link, HTML or a mention. Long outputs are cut with
//! a note, since a comment holds at most 65,536 characters.

use super::escape::{md_code, md_message, md_text};
use super::review::Review;
use super::{FindingsContext, count_errors, plural, text};
use crate::history::{Change, HistoryEntry, Summary};
use crate::model::{Diagnostic, Severity, Subject};
use std::fmt::Write;

/// Rows shown in one table before the rest is counted.
pub const MAX_ROWS: usize = 100;

/// The first line of every review comment, so a CI step can find and
/// replace its own comment instead of adding another.
pub const REVIEW_MARKER: &str = "<!-- demarc-review -->";

pub fn findings(diagnostics: &[Diagnostic], cx: &FindingsContext) -> String {
    let mut out = String::new();
    let title = if cx.command.is_empty() {
        "demarc check"
    } else {
        &cx.command
    };
    let _ = writeln!(out, "### {}\n", md_text(title));
    let _ = writeln!(out, "{}\n", md_text(&text::summary(diagnostics, cx)));
    if !diagnostics.is_empty() {
        findings_table(&mut out, diagnostics, cx);
    }
    out
}

fn severity(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "❌ error",
        Severity::Warning => "⚠️ warning",
    }
}

fn findings_table(out: &mut String, diagnostics: &[Diagnostic], cx: &FindingsContext) {
    let _ = writeln!(out, "| | where | code | finding |");
    let _ = writeln!(out, "|---|---|---|---|");
    for d in diagnostics.iter().take(MAX_ROWS) {
        let mut at = cx.root_path(&d.location.file);
        if let Some(line) = d.location.line {
            let _ = write!(at, ":{line}");
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            severity(d),
            md_code(&at),
            md_code(d.code),
            md_message(&d.message)
        );
    }
    more(out, diagnostics.len(), "findings");
}

fn more(out: &mut String, total: usize, what: &str) {
    if total > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n… and {} more {what} (all of them in `--format json`).",
            total - MAX_ROWS
        );
    }
}

/// `history --format markdown`: a section per commit, newest first.
pub fn history(entries: &[HistoryEntry], summary: &Summary, incomplete: Option<&str>) -> String {
    let mut out = String::from("### demarc history\n\n");
    if let Some(line) = incomplete {
        let _ = writeln!(out, "{}\n", md_text(line));
    }
    if entries.is_empty() {
        out.push_str("No boundary changes in the history walked.\n");
    }
    for entry in entries.iter().take(MAX_ROWS) {
        let c = &entry.commit;
        let _ = writeln!(
            out,
            "#### {} {} · {} · {}\n",
            md_code(c.short_id()),
            c.time.format("%Y-%m-%d"),
            md_text(&c.author),
            md_text(c.summary())
        );
        if let Some(error) = entry.error() {
            let _ = writeln!(
                out,
                "- broken: {}; its changes count towards the next good commit",
                md_message(&error)
            );
        } else if entry.changes.is_empty() {
            let _ = writeln!(out, "- no boundary changes");
        }
        for line in crate::cli::history::change_lines(&entry.changes) {
            let _ = writeln!(out, "- {}", md_text(&line));
        }
        out.push('\n');
    }
    more(&mut out, entries.len(), "commits");
    for note in &summary.notes {
        let _ = writeln!(out, "{}\n", md_text(note));
    }
    out
}

/// A change's sentence without the subject it starts with (the table
/// shows the subject once): `owner platform-data → platform-streaming`.
fn change_cell(change: &Change) -> String {
    let line = change.line();
    let (kind, id) = (change.subject.kind.as_str(), &change.subject.id);
    let prefixes = [
        format!("{id}: "),
        format!("{kind} {id}: "),
        format!("{kind} {id} "),
    ];
    let rest = prefixes
        .iter()
        .find_map(|p| line.strip_prefix(p.as_str()))
        .unwrap_or(&line);
    md_text(rest)
}

/// Which changes the one-line summary names first: moved owners and
/// duties before the rest.
fn weight(change: &Change) -> u8 {
    use crate::history::ChangeKind::*;
    match change.kind {
        OwnerChanged => 0,
        DutyMoved => 1,
        ComponentAdded | ComponentRemoved | TeamAdded | TeamRemoved => 2,
        OncallChanged | EscalationChanged => 3,
        _ => 4,
    }
}

/// How the one-line summary names a change.
fn phrase(change: &Change) -> String {
    use crate::history::{ChangeKind, Value};
    match (&change.kind, &change.from, &change.to) {
        (ChangeKind::OwnerChanged, Some(Value::Text(from)), Some(Value::Text(to))) => {
            format!("{} moves from {from} to {to}", change.subject.id)
        }
        _ => change.line(),
    }
}

fn subject_cell(subject: &Subject) -> String {
    format!("{} {}", subject.kind.as_str(), md_code(&subject.id))
}

/// Where the two sides of a diff come from, for the review comment.
pub struct Sides<'a> {
    pub from: &'a str,
    pub to: &'a str,
    /// What the reader must know first: files that did not load, a side
    /// before the first commit.
    pub notes: &'a [String],
}

/// The review comment of `diff --format markdown`.
pub fn review(sides: &Sides, changes: &[Change], review: &Review, cx: &FindingsContext) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{REVIEW_MARKER}");
    let _ = writeln!(
        out,
        "### demarc: ownership changes from {} to {}\n",
        md_text(sides.from),
        md_text(sides.to)
    );
    for note in sides.notes {
        let _ = writeln!(out, "{}\n", md_text(note));
    }
    let _ = writeln!(out, "{}\n", one_line(changes, review));
    if !review.attention.is_empty() {
        let _ = writeln!(out, "**Needs attention**\n");
        for call_out in review.attention.iter().take(MAX_ROWS) {
            let _ = writeln!(out, "- ⚠️ {}", md_message(&call_out.message));
        }
        more(&mut out, review.attention.len(), "call-outs");
        out.push('\n');
    }
    if !review.introduced.is_empty() {
        let _ = writeln!(
            out,
            "**Findings this change introduces** ({})\n",
            review.introduced.len()
        );
        findings_table(&mut out, &review.introduced, cx);
        out.push('\n');
    }
    if !review.fixed.is_empty() {
        // Folded: good news a reviewer need not scroll past.
        let _ = writeln!(
            out,
            "<details><summary>Findings this change fixes ({})</summary>\n",
            review.fixed.len()
        );
        findings_table(&mut out, &review.fixed, cx);
        let _ = writeln!(out, "\n</details>\n");
    }
    if !changes.is_empty() {
        changes_table(&mut out, changes);
    }
    out
}

/// `**3 boundary changes**: kafka moves from a to b, …; **1 finding introduced**, 1 fixed.`
fn one_line(changes: &[Change], review: &Review) -> String {
    const NAMED: usize = 3;
    let mut line = if changes.is_empty() {
        "**No boundary changes**".to_string()
    } else {
        let mut first: Vec<&Change> = changes.iter().collect();
        first.sort_by_key(|c| weight(c));
        let mut named: Vec<String> = first.into_iter().take(NAMED).map(phrase).collect();
        if changes.len() > NAMED {
            named.push(format!("and {} more", changes.len() - NAMED));
        }
        format!(
            "**{}**: {}",
            plural(changes.len(), "boundary change"),
            md_text(&named.join(", "))
        )
    };
    let introduced = &review.introduced;
    let errors = count_errors(introduced);
    let findings = match (introduced.len(), review.fixed.len()) {
        (0, 0) => "no findings introduced or fixed".to_string(),
        (0, f) => format!("no findings introduced, {f} fixed"),
        (n, f) => {
            let mut kinds = Vec::new();
            if errors > 0 {
                kinds.push(plural(errors, "error"));
            }
            if n > errors {
                kinds.push(plural(n - errors, "warning"));
            }
            format!(
                "**{} introduced** ({}), {f} fixed",
                plural(n, "finding"),
                kinds.join(", ")
            )
        }
    };
    let _ = write!(line, "; {findings}.");
    line
}

fn changes_table(out: &mut String, changes: &[Change]) {
    // One row per subject, in the order of the diff (components, teams,
    // layers, pillars, scenarios, matrices).
    let mut rows: Vec<(&Subject, Vec<String>)> = Vec::new();
    let mut index: std::collections::HashMap<&Subject, usize> = Default::default();
    for change in changes {
        let row = *index.entry(&change.subject).or_insert_with(|| {
            rows.push((&change.subject, Vec::new()));
            rows.len() - 1
        });
        if rows[row].1.len() < MAX_ROWS {
            rows[row].1.push(change_cell(change));
        }
    }
    let _ = writeln!(out, "| subject | changes |");
    let _ = writeln!(out, "|---|---|");
    for (subject, cells) in rows.iter().take(MAX_ROWS) {
        let _ = writeln!(
            out,
            "| {} | {} |",
            subject_cell(subject),
            cells.join("<br>")
        );
    }
    more(out, rows.len(), "subjects");
}
