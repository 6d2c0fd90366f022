//! `demarc history [--component ID] [--team ID] [--since WHEN] [--until WHEN] [--json]`:
//! boundary changes, newest commit first.

use super::format::{self, ReportFormat};
use super::{Answer, Cli, EXIT_OK, output};
use crate::history::{self, Change, Filter, HistoryEntry, Summary, WalkOptions};
use crate::model::{Incomplete, incomplete_line};
use crate::repo::{self, Source};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write;
use std::process::ExitCode;

mod stream;

/// Plain output collapses more changes of one kind than this in one commit
/// into a count (the founding commit adds dozens of components); JSON
/// always lists them all.
pub const COLLAPSE_OVER: usize = 10;

pub struct Args {
    pub component: Option<String>,
    pub team: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub format: ReportFormat,
}

#[derive(Serialize)]
pub struct HistoryJson<'a> {
    /// Files of the starting version that did not load (empty when all did).
    incomplete: &'a [Incomplete],
    commits: &'a [HistoryEntry],
    /// In a shallow clone, where the history stops.
    shallow_boundary: Option<BoundaryJson>,
    notes: &'a [String],
}

#[derive(Serialize)]
pub struct BoundaryJson {
    commit: String,
    time: String,
}

pub fn run(cli: &Cli, args: Args) -> ExitCode {
    let format = args.format;
    if format != ReportFormat::Markdown {
        // JSON and plain text go out commit by commit (see `stream.rs`).
        return match stream::run(cli, args, format == ReportFormat::Json) {
            Ok(()) => ExitCode::from(EXIT_OK),
            Err(e) => super::fail(e),
        };
    }
    let answer = match answer(cli, args) {
        Ok(a) => a,
        Err(e) => return super::fail(e),
    };
    output::print_text(&format::markdown::history(
        &answer.entries,
        &answer.summary,
        incomplete_line(&answer.incomplete).as_deref(),
    ));
    ExitCode::from(EXIT_OK)
}

/// The commits walked, filtered, newest first, and what did not load.
pub struct HistoryAnswer {
    incomplete: Vec<Incomplete>,
    entries: Vec<HistoryEntry>,
    summary: Summary,
    filter: Filter,
}

impl HistoryAnswer {
    /// Keeps the `n` newest commits (`demarc mcp` bounds its answers).
    pub fn truncate(&mut self, n: usize) {
        self.entries.truncate(n);
    }
}

impl Answer for HistoryAnswer {
    type Json<'a> = HistoryJson<'a>;
    fn json(&self) -> HistoryJson<'_> {
        HistoryJson {
            incomplete: &self.incomplete,
            commits: &self.entries,
            shallow_boundary: (self.summary.shallow_boundary.as_ref()).map(|c| BoundaryJson {
                commit: c.id.clone(),
                time: c.time.to_rfc3339(),
            }),
            notes: &self.summary.notes,
        }
    }
    fn plain(&self) -> String {
        let mut text = incomplete_line(&self.incomplete)
            .map(|l| format!("{l}\n"))
            .unwrap_or_default();
        text.push_str(&render_plain(&self.entries, &self.summary, &self.filter));
        text
    }
    fn exit(&self) -> u8 {
        EXIT_OK
    }
}

/// What a walk for `history` needs before it starts.
struct Prepared {
    repo: repo::Repo,
    options: WalkOptions,
    /// Neither --since nor --until: the walk covers the whole history.
    complete: bool,
}

fn prepare(cli: &Cli, args: &Args) -> Result<Prepared, String> {
    let since = (args.since.as_deref().map(repo::parse_since).transpose())
        .map_err(|e| format!("--since: {e}"))?;
    let until = (args.until.as_deref().map(repo::parse_when).transpose())
        .map_err(|e| format!("--until: {e}"))?;
    let repo = cli.open_repo().map_err(|e| e.to_string())?;
    // --rev and --at move the starting point; the work tree is not history.
    let start = match cli.source().map_err(|e| e.to_string())? {
        Source::WorkTree => None,
        Source::Rev(rev) => Some(rev),
        Source::At(when) => Some(
            repo.resolve_at(&when)
                .map_err(|e| e.to_string())?
                .id()
                .to_string(),
        ),
    };
    let complete = since.is_none() && until.is_none();
    let options = WalkOptions {
        start,
        since,
        until,
        ..WalkOptions::default()
    };
    Ok(Prepared {
        repo,
        options,
        complete,
    })
}

pub fn answer(cli: &Cli, args: Args) -> Result<HistoryAnswer, String> {
    let Prepared {
        repo,
        options,
        complete,
    } = prepare(cli, &args)?;
    let incomplete = start_incomplete(&repo, options.start.as_deref());
    let (entries, summary) = history::collect(&repo, options).map_err(|e| e.to_string())?;
    let filter = Filter {
        component: args.component,
        team: args.team,
    };
    let complete = complete && summary.shallow_boundary.is_none();
    super::ids::check(&repo, &filter, &[], &entries, complete)?;
    let entries = filter.apply(entries);
    Ok(HistoryAnswer {
        incomplete,
        entries,
        summary,
        filter,
    })
}

/// The files of the version the walk starts at (HEAD, or --rev/--at) that
/// do not load: broken commits are flagged in the list, but a reader of
/// the current data must hear of it before anything else.
fn start_incomplete(repo: &crate::repo::Repo, start: Option<&str>) -> Vec<Incomplete> {
    let source = Source::Rev(start.unwrap_or("HEAD").to_string());
    // Only what did not load is wanted: `check`'s findings would be thrown
    // away (the date is for `check` alone, so any will do).
    repo.snapshot(&source)
        .map(|s| repo::load_snapshot_with(s, chrono::NaiveDate::MIN, repo::Checks::Skip))
        .map(|l| Incomplete::of(&l.diagnostics))
        .unwrap_or_default()
}

/// `start_incomplete`, taking each file's findings from the walk's parse
/// of its first version where the walk read the same blob (the walk starts
/// at the same commit, unless `--until` moved it), so that version is not
/// parsed a second time. The same list, in the same order: a file the walk
/// parsed whole has exactly `parse_file`'s findings; one it parsed table by
/// table has no `parse` finding as a whole, and only its size could make
/// one (`too_large`, counted here without parsing); any other file is
/// parsed as the loader would.
fn start_incomplete_reusing(
    repo: &crate::repo::Repo,
    start: Option<&str>,
    walker: &history::Walker,
) -> Vec<Incomplete> {
    use crate::model::incomplete::NOT_LOADED;
    use crate::model::{budget, parse_file};
    let Ok(snapshot) = repo.snapshot(&Source::Rev(start.unwrap_or("HEAD").to_string())) else {
        return Vec::new();
    };
    if crate::backstage::is_catalog_snapshot(&snapshot) {
        return start_incomplete(repo, start);
    }
    let not_loaded = |d: &&crate::model::Diagnostic| NOT_LOADED.contains(&d.code);
    let mut diagnostics = Vec::new();
    for file in &snapshot.files {
        let reused = file.blob.and_then(|b| walker.current_file(&file.path, b));
        let fits = || {
            std::str::from_utf8(&file.bytes)
                .is_ok_and(|text| budget::check_items(text, budget::MAX_ITEMS).is_ok())
        };
        match reused {
            Some(history::StartFile::Whole(parsed)) => {
                diagnostics.extend(parsed.diagnostics.iter().filter(not_loaded).cloned());
            }
            Some(history::StartFile::Tables) if fits() => {}
            _ => diagnostics.extend(
                parse_file(&file.path, &file.bytes)
                    .diagnostics
                    .iter()
                    .filter(not_loaded)
                    .cloned(),
            ),
        }
    }
    // After the files' findings, as the loader has them (the order of equal
    // findings decides which one a file is listed with).
    diagnostics.extend(snapshot.diagnostics.iter().filter(not_loaded).cloned());
    crate::model::diag::sort_for_display(&mut diagnostics);
    Incomplete::of(&diagnostics)
}

/// One block per commit: short id, date, author and subject, then its
/// changes as readable lines.
pub fn render_plain(entries: &[HistoryEntry], summary: &Summary, filter: &Filter) -> String {
    let mut out = String::new();
    for entry in entries {
        render_entry(&mut out, entry);
    }
    render_end(&mut out, entries.is_empty(), summary, filter);
    out
}

/// One commit's block of `render_plain`.
fn render_entry(out: &mut String, entry: &HistoryEntry) {
    {
        let c = &entry.commit;
        let _ = writeln!(
            out,
            "{}  {}  {}  {}",
            c.short_id(),
            c.time.format("%Y-%m-%d"),
            crate::sanitize::line(&c.author),
            crate::sanitize::line(c.summary())
        );
        if let Some(error) = entry.error() {
            let _ = writeln!(
                out,
                "  broken: {error}; its changes count towards the next good commit"
            );
        } else if entry.changes.is_empty() {
            let _ = writeln!(out, "  no boundary changes");
        }
        for line in change_lines(&entry.changes) {
            let _ = writeln!(out, "  {line}");
        }
        out.push('\n');
    }
}

/// What `render_plain` writes after the commits.
fn render_end(out: &mut String, no_entries: bool, summary: &Summary, filter: &Filter) {
    if no_entries {
        let what = match (&filter.component, &filter.team) {
            (Some(c), Some(t)) => format!(" for component {c} and team {t}"),
            (Some(c), None) => format!(" for component {c}"),
            (None, Some(t)) => format!(" for team {t}"),
            (None, None) => String::new(),
        };
        let _ = writeln!(out, "No boundary changes{what} in the history walked.");
    }
    for note in &summary.notes {
        let _ = writeln!(out, "{note}");
    }
}

/// The changes as lines, with more than `COLLAPSE_OVER` changes of one
/// kind replaced by a count where the first of them was.
pub fn change_lines(changes: &[Change]) -> Vec<String> {
    let mut counts: HashMap<history::ChangeKind, usize> = HashMap::new();
    for c in changes {
        *counts.entry(c.kind).or_default() += 1;
    }
    let mut out = Vec::new();
    let mut collapsed = Vec::new();
    for c in changes {
        let n = counts[&c.kind];
        if n > COLLAPSE_OVER {
            if !collapsed.contains(&c.kind) {
                collapsed.push(c.kind);
                out.push(format!("{n} {} (listed in --json)", c.kind.plural_noun()));
            }
        } else {
            out.push(c.line());
        }
    }
    out
}
