//! `demarc diff FROM [TO] [--component ID] [--team ID] [--format
//! text|json|markdown] [--fail-on SEVERITY]`: boundary changes between two
//! versions. FROM and TO are revisions or dates (or FROM is a range,
//! `BASE...HEAD`); TO defaults to the work tree; a date before the first
//! commit is the empty data ("nothing yet"), so "what changed this year"
//! works on a young repository.

use super::format::review::{self, FailOn, Review};
use super::format::{self, FindingsContext, ReportFormat};
use super::history::change_lines;
use super::{Answer, Cli, EXIT_FINDINGS, EXIT_OK, fail, output};
use crate::history::{Change, Filter, diff_models};
use crate::model::{Diagnostic, Incomplete, Model, incomplete_line};
use crate::repo::{self, Origin, Repo, Source};
use serde::Serialize;
use std::fmt::Write;
use std::process::ExitCode;

/// One side of the comparison.
pub struct Side {
    /// Full commit id; None for the work tree, a plain folder, or a moment
    /// before the first commit.
    pub commit: Option<String>,
    pub time: Option<String>,
    pub label: String,
    pub model: Model,
    pub incomplete: Vec<Incomplete>,
    /// Why this side is empty, when it is a moment before the first commit.
    pub note: Option<String>,
    /// Everything `check` reports on this side, as of `day`.
    pub findings: Vec<Diagnostic>,
    /// The day findings are judged on: the commit's, or today.
    pub day: chrono::NaiveDate,
}

#[derive(Serialize)]
pub struct DiffJson<'a> {
    from: Option<&'a str>,
    to: Option<&'a str>,
    from_time: Option<&'a str>,
    to_time: Option<&'a str>,
    /// Files of either side that did not load (empty when all did).
    incomplete: Vec<&'a Incomplete>,
    changes: &'a [Change],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<&'a str>,
    /// With --fail-on: the findings the change introduces and fixes, and the call-outs.
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<&'a Review>,
}

pub fn run(
    cli: &Cli,
    from: &str,
    to: Option<&str>,
    filter: Filter,
    format: ReportFormat,
    fail_on: Option<FailOn>,
) -> ExitCode {
    let DiffAnswer {
        from: a,
        to: b,
        changes,
        data_dir,
    } = match answer(cli, from, to, &filter) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let review = (format == ReportFormat::Markdown || fail_on.is_some()).then(|| {
        Review::build(
            &a.model,
            &b.model,
            &changes,
            &review::judged_on(&a.findings, &a.model, b.day),
            &b.findings,
        )
    });
    let cx = FindingsContext {
        data_dir,
        ..FindingsContext::default()
    };
    if format == ReportFormat::Json {
        output::print_json(&DiffJson {
            from: a.commit.as_deref(),
            to: b.commit.as_deref(),
            from_time: a.time.as_deref(),
            to_time: b.time.as_deref(),
            incomplete: a.incomplete.iter().chain(&b.incomplete).collect(),
            changes: &changes,
            notes: a.note.iter().chain(&b.note).map(String::as_str).collect(),
            review: review.as_ref(),
        });
    } else if let (ReportFormat::Markdown, Some(review)) = (format, &review) {
        let incomplete: Vec<Incomplete> =
            a.incomplete.iter().chain(&b.incomplete).cloned().collect();
        let notes: Vec<String> = incomplete_line(&incomplete)
            .into_iter()
            .chain(a.note.iter().chain(&b.note).cloned())
            .collect();
        let sides = format::markdown::Sides {
            from: &a.label,
            to: &b.label,
            notes: &notes,
        };
        output::print_text(&format::markdown::review(&sides, &changes, review, &cx));
    } else {
        let mut out = render_plain(&a, &b, &changes);
        if let Some(review) = &review {
            out.push_str(&format::text::introduced(review, &cx));
        }
        output::print_text(&out);
    }
    let failed = matches!((&review, fail_on), (Some(r), Some(f)) if r.fails(f));
    ExitCode::from(if failed { EXIT_FINDINGS } else { EXIT_OK })
}

/// The boundary changes between two versions, with what each side was.
pub struct DiffAnswer {
    from: Side,
    to: Side,
    changes: Vec<Change>,
    data_dir: String,
}

impl Answer for DiffAnswer {
    type Json<'a> = DiffJson<'a>;
    fn json(&self) -> DiffJson<'_> {
        let (a, b) = (&self.from, &self.to);
        DiffJson {
            from: a.commit.as_deref(),
            to: b.commit.as_deref(),
            from_time: a.time.as_deref(),
            to_time: b.time.as_deref(),
            incomplete: a.incomplete.iter().chain(&b.incomplete).collect(),
            changes: &self.changes,
            notes: a.note.iter().chain(&b.note).map(String::as_str).collect(),
            review: None,
        }
    }
    fn plain(&self) -> String {
        render_plain(&self.from, &self.to, &self.changes)
    }
    fn exit(&self) -> u8 {
        EXIT_OK
    }
}

/// The changes from `from` to `to` (None: the work tree) that `filter`
/// keeps; a filter's id must exist in some version of the data.
pub fn answer(
    cli: &Cli,
    from: &str,
    to: Option<&str>,
    filter: &Filter,
) -> Result<DiffAnswer, String> {
    let repo = cli.open_repo().map_err(|e| e.to_string())?;
    let (from, to) = super::range::split(&repo, from, to).map_err(|e| e.to_string())?;
    let a = load(&repo, Some(from.as_str())).map_err(|e| e.to_string())?;
    let b = load(&repo, to.as_deref()).map_err(|e| e.to_string())?;
    super::ids::check(&repo, filter, &[&a.model, &b.model], &[], false)?;
    let mut changes = diff_models(&a.model, &b.model);
    changes.retain(|c| filter.keeps(c));
    Ok(DiffAnswer {
        from: a,
        to: b,
        changes,
        data_dir: repo.data_dir().to_string(),
    })
}

/// What files did not load and why a side is empty, then the changes.
pub fn render_plain(a: &Side, b: &Side, changes: &[Change]) -> String {
    let mut out = String::new();
    let incomplete: Vec<Incomplete> = a.incomplete.iter().chain(&b.incomplete).cloned().collect();
    if let Some(line) = incomplete_line(&incomplete) {
        let _ = writeln!(out, "{line}");
    }
    for note in a.note.iter().chain(&b.note) {
        let _ = writeln!(out, "{note}");
    }
    if changes.is_empty() {
        let _ = writeln!(out, "No boundary changes from {} to {}.", a.label, b.label);
    } else {
        let _ = writeln!(out, "Boundary changes from {} to {}:", a.label, b.label);
        for line in change_lines(changes) {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
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
    if let Ok(when) = repo::When::parse(text) {
        return Ok(Source::At(when));
    }
    // Neither: let the revision's own error say what is wrong.
    repo.resolve_rev(text)
        .map(|_| Source::Rev(text.to_string()))
}

fn load(repo: &Repo, text: Option<&str>) -> repo::Result<Side> {
    let fa = repo::load_for_answers(repo, &source_of(repo, text)?)?;
    if let Some(note) = fa.before_first {
        return Ok(Side {
            commit: None,
            time: None,
            label: format!("{} (before the first commit: no data)", text.unwrap_or("")),
            model: fa.loaded.model,
            incomplete: Vec::new(),
            note: Some(note),
            findings: Vec::new(),
            day: chrono::Local::now().date_naive(),
        });
    }
    let day = match &fa.loaded.origin {
        Origin::Commit(info) => info.time.date_naive(),
        _ => chrono::Local::now().date_naive(),
    };
    let (commit, time, label) = match &fa.loaded.origin {
        Origin::Commit(info) => (
            Some(info.id.clone()),
            Some(info.time.to_rfc3339()),
            format!("{} ({})", info.short_id(), info.time.format("%Y-%m-%d")),
        ),
        Origin::WorkTree { .. } => (None, None, "the work tree".to_string()),
        Origin::Folder => (None, None, "the folder".to_string()),
    };
    if let Some(error) = fa.loaded.diagnostics.iter().find(|d| d.code == "parse") {
        return Err(repo::Error(format!(
            "The data of {label} is incomplete: {} does not parse ({}), so it cannot be compared; `demarc check` shows every finding.",
            error.location, error.message
        )));
    }
    Ok(Side {
        commit,
        time,
        label,
        model: fa.loaded.model,
        incomplete: fa.incomplete,
        note: None,
        findings: fa.loaded.diagnostics,
        day,
    })
}
