//! Loading for answers (`who`, `search`, `diff`, the Triage tab): beside
//! the model, the files that did not load and the ids they would have
//! defined, and a moment before the first commit read as "no data yet"
//! rather than an error (what changed this year, on a young repository).

use super::{
    Checks, CommitInfo, Loaded, Origin, ParsedFiles, Repo, Result, Source, When,
    parse_snapshot_reusing,
};
use crate::model::diag::sort_for_display;
use crate::model::{Diagnostic, Incomplete, Model, Subject, SubjectKind, Unloaded};
use chrono::NaiveDate;
use std::collections::HashMap;

pub struct ForAnswers {
    pub loaded: Loaded,
    /// The files that did not load (empty when all did).
    pub incomplete: Vec<Incomplete>,
    /// The ids those files would have defined.
    pub unloaded: Unloaded,
    /// Set when the moment asked for is before the first commit: the
    /// model is then empty, and this sentence says why.
    pub before_first: Option<String>,
    /// The files parsed, by blob: another read of a version that shares
    /// them (the work tree beside a commit, the history walk's start)
    /// takes them instead of parsing again.
    pub parsed: ParsedFiles,
    /// Whether `loaded.diagnostics` holds `check`'s findings yet, and what
    /// running it later needs.
    checked: bool,
    catalog: bool,
    today: NaiveDate,
}

impl ForAnswers {
    /// Runs `check` now if the load skipped it (`Checks::Skip`), so an
    /// answer pays for it only when it shows a finding.
    pub fn ensure_checked(&mut self) {
        if !self.checked {
            super::check_loaded(&mut self.loaded, self.catalog, self.today);
            self.checked = true;
        }
    }

    /// What running `check` later needs, when the load skipped it: the
    /// dashboard hands `loaded` to the screen first and its findings after.
    /// None when `check` already ran.
    pub fn deferred_check(&self) -> Option<DeferredCheck> {
        (!self.checked).then_some(DeferredCheck {
            catalog: self.catalog,
            today: self.today,
        })
    }
}

/// `check` for a version loaded with `Checks::Skip`, run apart from it.
#[derive(Debug, Clone, Copy)]
pub struct DeferredCheck {
    catalog: bool,
    today: NaiveDate,
}

impl DeferredCheck {
    /// Every finding of `loaded`, its own (the reader's, the parser's) and
    /// `check`'s, sorted for display: what a load with `Checks::Run` holds.
    pub fn findings(&self, loaded: &Loaded) -> Vec<crate::model::Diagnostic> {
        let mut out = loaded.diagnostics.clone();
        super::run_checks(&loaded.model, self.catalog, self.today, &mut out);
        sort_for_display(&mut out);
        out
    }

    /// `findings`, with their index by subject, both built on the calling
    /// thread (the dashboard's loader).
    pub fn findings_by_subject(
        &self,
        loaded: &Loaded,
    ) -> (Vec<crate::model::Diagnostic>, FindingsBySubject) {
        let findings = self.findings(loaded);
        let index = FindingsBySubject::build(&findings);
        (findings, index)
    }
}

/// The findings of a version by subject: the indices (into the version's
/// `diagnostics`) of those about each subject, in order.
///
/// The dashboard's Triage cards read them: built on the loader with
/// `check`'s findings (`DeferredCheck::findings_by_subject`), not on the
/// UI thread.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FindingsBySubject(HashMap<Subject, Vec<usize>>);

impl FindingsBySubject {
    pub fn build(diagnostics: &[Diagnostic]) -> FindingsBySubject {
        let mut map: HashMap<Subject, Vec<usize>> = HashMap::new();
        for (i, d) in diagnostics.iter().enumerate() {
            if let Some(s) = &d.subject {
                map.entry(s.clone()).or_default().push(i);
            }
        }
        FindingsBySubject(map)
    }

    /// The findings a triage card of `subject` reads, in their order:
    /// those about it and, for a scenario, about its components.
    /// `diagnostics` are the ones the index was built from.
    pub fn about(
        &self,
        model: &Model,
        diagnostics: &[Diagnostic],
        subject: &Subject,
    ) -> Vec<Diagnostic> {
        let index = &self.0;
        let mut at: Vec<usize> = index.get(subject).cloned().unwrap_or_default();
        if subject.kind == SubjectKind::Scenario
            && let Some(scenario) = model.scenario(&subject.id)
        {
            for id in &scenario.components {
                if let Some(more) = index.get(&Subject::new(SubjectKind::Component, id)) {
                    at.extend(more);
                }
            }
            at.sort_unstable();
            at.dedup();
        }
        at.iter().map(|&i| diagnostics[i].clone()).collect()
    }
}

/// Reads `source` as `repo::load` does, keeping what answers need to be honest.
pub fn load_for_answers(repo: &Repo, source: &Source) -> Result<ForAnswers> {
    load_for_answers_with(repo, source, Checks::Run)
}

/// `load_for_answers`, with `check` run or left for `ensure_checked`. The
/// files that did not load are found either way: they come from the reader
/// and the parser, not from `check`.
pub fn load_for_answers_with(repo: &Repo, source: &Source, checks: Checks) -> Result<ForAnswers> {
    let mut fa = load_for_answers_keeping(repo, source, checks)?;
    // Kept only when asked: they hold a copy of the model.
    fa.parsed = ParsedFiles::default();
    Ok(fa)
}

/// `load_for_answers_with`, keeping the parsed files (`ForAnswers::parsed`)
/// for the next read of a version that shares them.
pub fn load_for_answers_keeping(
    repo: &Repo,
    source: &Source,
    checks: Checks,
) -> Result<ForAnswers> {
    load_for_answers_taking(repo, source, checks, &mut |_, _| None)
}

/// `load_for_answers_keeping`, taking the blobs `take` hands over instead
/// of reading them (see `Repo::snapshot_taking`).
pub fn load_for_answers_taking(
    repo: &Repo,
    source: &Source,
    checks: Checks,
    take: &mut super::TakeBlob,
) -> Result<ForAnswers> {
    let snapshot = match repo.snapshot_taking(source, take) {
        Ok(s) => s,
        Err(e) => {
            if let Source::At(when) = source
                && let Some(note) = before_first_commit(repo, when)
            {
                return Ok(ForAnswers {
                    loaded: empty(),
                    incomplete: Vec::new(),
                    unloaded: Unloaded::default(),
                    before_first: Some(note),
                    parsed: ParsedFiles::default(),
                    checked: true,
                    catalog: false,
                    today: chrono::Local::now().date_naive(),
                });
            }
            return Err(e);
        }
    };
    let today = match &snapshot.origin {
        Origin::Commit(info) => info.time.date_naive(),
        _ => chrono::Local::now().date_naive(),
    };
    let catalog = crate::backstage::is_catalog_snapshot(&snapshot);
    let (model, mut diagnostics, parsed) = parse_snapshot_reusing(&snapshot, None);
    diagnostics.extend(snapshot.diagnostics);
    sort_for_display(&mut diagnostics);
    let incomplete = Incomplete::of(&diagnostics);
    // The raw text is read only for the files that did not load; nothing
    // is copied.
    let unloaded = if incomplete.is_empty() {
        Unloaded::default()
    } else {
        Unloaded::scan(
            snapshot
                .files
                .iter()
                .map(|f| (f.path.as_str(), f.bytes.as_slice())),
            &incomplete,
        )
    };
    let mut fa = ForAnswers {
        loaded: Loaded {
            origin: snapshot.origin,
            model,
            diagnostics,
            files: snapshot.files.into_iter().map(|f| f.path).collect(),
        },
        incomplete,
        unloaded,
        before_first: None,
        parsed,
        checked: false,
        catalog,
        today,
    };
    if checks == Checks::Run {
        fa.ensure_checked();
    }
    Ok(fa)
}

/// The version at `source` as the dashboard's Triage cards read it "as of"
/// a moment: `load_for_answers(repo, source)?.loaded`, checked, keeping
/// only what a card shows. At 200,000 components this read comes while the
/// history walk holds its state, and it was the dashboard's peak (issue
/// 17): 311 MB at its height, 170 MB kept. Here:
///
/// - the files' bytes (76 MB) are let go once parsed, before the model is
///   assembled (the model's list of components is a second copy of the
///   parsed ones while it is built);
/// - after `check` (which reads every field), the components keep the
///   fields a card shows (`triage::card::component_card`: id, name, layer,
///   pillar, tier, owner, consumers, duties, runbook); tags, code paths,
///   the repository, the review date and locations are emptied;
/// - the findings kept are those a card shows: about a subject, and not
///   `review_overdue` (`triage::card::alerts_for`).
///
/// A time before the first commit reads as the empty data, as
/// `load_for_answers` does.
pub fn load_for_cards(repo: &Repo, source: &Source) -> Result<Loaded> {
    let mut snapshot = match repo.snapshot(source) {
        Ok(s) => s,
        Err(e) => {
            if let Source::At(when) = source
                && before_first_commit(repo, when).is_some()
            {
                return Ok(empty());
            }
            return Err(e);
        }
    };
    let today = match &snapshot.origin {
        Origin::Commit(info) => info.time.date_naive(),
        _ => chrono::Local::now().date_naive(),
    };
    let catalog = crate::backstage::is_catalog_snapshot(&snapshot);
    let (model, mut diagnostics, files) = if catalog {
        let (model, diagnostics, _) = parse_snapshot_reusing(&snapshot, None);
        let files = snapshot.files.into_iter().map(|f| f.path).collect();
        (model, diagnostics, files)
    } else {
        // What `parse_snapshot_reusing(&snapshot, None)` does, a few
        // megabytes of files at a time: each file's bytes are let go once
        // it is parsed, and its components go into the model at once. At
        // 200,000 components, the bytes (76 MB), the parsed files (160 MB)
        // and the model's list of components (72 MB) were all held at
        // once, on top of the history walk's state (issue 17).
        snapshot.files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut diagnostics = Vec::new();
        let model = assemble_letting_go(&mut snapshot.files, &mut diagnostics, LET_GO_EVERY);
        let files: Vec<String> = snapshot.files.into_iter().map(|f| f.path).collect();
        (model, diagnostics, files)
    };
    diagnostics.extend(snapshot.diagnostics);
    sort_for_display(&mut diagnostics);
    let mut loaded = Loaded {
        origin: snapshot.origin,
        model,
        diagnostics,
        files,
    };
    super::check_loaded(&mut loaded, catalog, today);
    loaded
        .diagnostics
        .retain(|d| d.subject.is_some() && d.code != "review_overdue");
    loaded.diagnostics.shrink_to_fit();
    for c in &mut loaded.model.components {
        c.tags = Vec::new();
        c.reviewed = None;
        c.paths = Vec::new();
        c.path_locations = Vec::new();
        c.repo = None;
        c.location = Default::default();
    }
    Ok(loaded)
}

/// The bytes of files `load_for_cards` parses at a time: enough for every
/// core to have work, small beside the whole data.
const LET_GO_EVERY: usize = 4 << 20;

/// Parses `files` (sorted by path) a run of about `run_bytes` bytes at a
/// time (each run on every core, as `parse_files`), emptying each file's
/// bytes once it is parsed and moving what it declares into the model;
/// the files' findings go to `diagnostics`.
fn assemble_letting_go(
    files: &mut [super::DataFile],
    diagnostics: &mut Vec<Diagnostic>,
    run_bytes: usize,
) -> Model {
    let mut assembly = crate::model::parse::Assembly::sized_for(
        files.iter().map(|f| declared_components(&f.bytes)).sum(),
    );
    let mut rest = files;
    while !rest.is_empty() {
        let (now, later) = rest.split_at_mut(super::read::run_of(rest, run_bytes));
        let inputs: Vec<(&str, &[u8])> = now
            .iter()
            .map(|f| (f.path.as_str(), f.bytes.as_slice()))
            .collect();
        let parsed = crate::model::parse::parse_files(&inputs);
        drop(inputs);
        for f in now.iter_mut() {
            f.bytes = Vec::new();
        }
        for file in parsed {
            diagnostics.extend(file.diagnostics.iter().cloned());
            assembly.add(file);
        }
        rest = later;
    }
    assembly.finish()
}

/// How many `[[component]]` tables `bytes` seem to declare: the model's
/// list is sized from this before anything is parsed. A header written
/// another way (`[[ component ]]`) only costs the list a regrowth.
fn declared_components(bytes: &[u8]) -> usize {
    memchr::memmem::find_iter(bytes, b"[[component]]").count()
}

/// An empty version: what the data was before its first commit.
fn empty() -> Loaded {
    Loaded {
        origin: Origin::Folder,
        model: Model::default(),
        diagnostics: Vec::new(),
        files: Vec::new(),
    }
}

/// The oldest commit on HEAD's first-parent line (None without git or commits).
pub fn first_commit(repo: &Repo) -> Option<CommitInfo> {
    let git = repo.git()?;
    let head = git.head().ok()?.peel_to_commit().ok()?;
    let mut walk = git.revwalk().ok()?;
    walk.push(head.id()).ok()?;
    walk.simplify_first_parent().ok()?;
    let mut oldest = None;
    for oid in walk {
        // A missing object ends the line (a shallow clone's boundary).
        let Ok(oid) = oid else { break };
        let Ok(commit) = git.find_commit(oid) else {
            break;
        };
        oldest = Some(commit.id());
    }
    git.find_commit(oldest?)
        .ok()
        .map(|c| CommitInfo::from_commit(&c))
}

/// The note for a time before the first commit, or None when it is not.
pub fn before_first_commit(repo: &Repo, when: &When) -> Option<String> {
    let time = when.time();
    let first = first_commit(repo)?;
    (time < first.time).then(|| {
        format!(
            "{when} is before the first commit ({} on {}): there was no data yet.",
            first.short_id(),
            first.time.format("%Y-%m-%d")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parsed a file at a time, a run at a time, or all at once, the files
    /// of the sample make the model `parse_all` makes, with its findings;
    /// each file's bytes are gone once parsed.
    #[test]
    fn assembling_run_by_run_makes_the_model_parsing_all_at_once_does() {
        let dir = tempfile::tempdir().unwrap();
        crate::sample::build(dir.path()).unwrap();
        let repo = super::super::Repo::open(dir.path(), None).unwrap();
        let snapshot = repo.snapshot(&super::super::Source::WorkTree).unwrap();
        let (whole, mut whole_findings) = crate::model::parse::parse_all(
            snapshot
                .files
                .iter()
                .map(|f| (f.path.as_str(), f.bytes.as_slice())),
        );
        sort_for_display(&mut whole_findings);
        let declared: usize = snapshot
            .files
            .iter()
            .map(|f| declared_components(&f.bytes))
            .sum();
        assert_eq!(declared, whole.components.len());
        for run_bytes in [1, 4096, LET_GO_EVERY] {
            let mut files = snapshot.files.clone();
            files.sort_by(|a, b| a.path.cmp(&b.path));
            let mut findings = Vec::new();
            let model = assemble_letting_go(&mut files, &mut findings, run_bytes);
            sort_for_display(&mut findings);
            assert_eq!(model, whole, "runs of {run_bytes} bytes");
            assert_eq!(findings, whole_findings, "runs of {run_bytes} bytes");
            assert!(files.iter().all(|f| f.bytes.is_empty()));
        }
    }
}
