//! Reading the ownership repository through git2: find it, pick the data
//! folder, and read its files from the work tree or from any commit.
//!
//! demarc never writes here: no index refresh, no status call that could
//! rewrite `.git/index`; dirtiness is found by hashing files in memory.

mod answer;
mod filters;
pub mod fuzz;
mod guard;
mod open;
mod pack_read;
mod packs;
mod parsed;
mod raw_commit;
mod read;
pub mod safe_read;
mod when;

pub use answer::{
    FindingsBySubject, ForAnswers, before_first_commit, first_commit, load_for_answers,
    load_for_answers_keeping, load_for_answers_taking, load_for_answers_with, load_for_cards,
};
pub use open::{Reopener, Repo};
pub use pack_read::{
    CACHE_BYTES as PACK_CACHE_BYTES, PackReader, apply_delta, fuzz_pack_read, parse_entry_header,
};
pub use packs::release_pack_caches;
pub use parsed::ParsedFiles;
pub use raw_commit::{RawCommit, parse_raw_commit, read_raw_commit};
pub use read::{
    BlobError, CommitInfo, DataFile, MAX_FILE_BYTES, Origin, Snapshot, TakeBlob,
    collect_tree_blobs, hash_blobs, read_blob_bounded,
};
pub use when::{When, parse_since, parse_when};

use crate::model::{self, Diagnostic, Model};
use chrono::NaiveDate;
use std::fmt;

/// An error a user can hit: one or two plain sentences saying what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Which version of the data to read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Source {
    /// The files on disk, uncommitted edits included.
    #[default]
    WorkTree,
    /// Any rev-spec git understands.
    Rev(String),
    /// The last commit at or before a time on HEAD's first-parent line.
    At(When),
}

impl Source {
    /// `--rev` and `--at` as given; `--at` is parsed here, once, so every
    /// layer below carries the moment and none parses it again.
    pub fn from_flags(rev: Option<String>, at: Option<&str>) -> Result<Source> {
        Ok(match (rev, at) {
            (Some(rev), _) => Source::Rev(rev),
            (None, Some(at)) => Source::At(When::parse(at)?),
            (None, None) => Source::WorkTree,
        })
    }
}

/// A version of the ownership model with everything `check` found in it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub origin: Origin,
    pub model: Model,
    /// Loader, parse and check findings, sorted for display.
    pub diagnostics: Vec<Diagnostic>,
    /// Paths (relative to the data folder) of the files read.
    pub files: Vec<String>,
}

impl Loaded {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Whether a load runs `check`. Answers that print no findings (`search`)
/// skip it: at 200,000 components it is a large share of the load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checks {
    Run,
    /// Only the loader's and the parser's findings (what did not load).
    Skip,
}

/// Parses and checks a snapshot. `today` decides overdue reviews; for a
/// commit, pass the commit's date so old versions are judged in their time.
pub fn load_snapshot(snapshot: Snapshot, today: NaiveDate) -> Loaded {
    load_snapshot_with(snapshot, today, Checks::Run)
}

/// `load_snapshot`, running `check` only when asked.
pub fn load_snapshot_with(snapshot: Snapshot, today: NaiveDate, checks: Checks) -> Loaded {
    let (model, mut diagnostics) = parse_snapshot(&snapshot);
    let catalog = crate::backstage::is_catalog_snapshot(&snapshot);
    diagnostics.extend(snapshot.diagnostics);
    if checks == Checks::Run {
        run_checks(&model, catalog, today, &mut diagnostics);
    }
    model::diag::sort_for_display(&mut diagnostics);
    Loaded {
        origin: snapshot.origin,
        model,
        diagnostics,
        files: snapshot.files.into_iter().map(|f| f.path).collect(),
    }
}

/// Adds `check`'s findings to a version loaded with `Checks::Skip`.
pub fn check_loaded(loaded: &mut Loaded, catalog: bool, today: NaiveDate) {
    run_checks(&loaded.model, catalog, today, &mut loaded.diagnostics);
    model::diag::sort_for_display(&mut loaded.diagnostics);
}

fn run_checks(model: &Model, catalog: bool, today: NaiveDate, out: &mut Vec<Diagnostic>) {
    if catalog {
        out.extend(crate::backstage::check(model, today));
    } else {
        out.extend(model::check(model, today));
    }
}

/// Parses a snapshot's files into a model with the parse findings: TOML,
/// or a Backstage catalog mapped onto the model.
pub fn parse_snapshot(snapshot: &Snapshot) -> (Model, Vec<Diagnostic>) {
    if crate::backstage::is_catalog_snapshot(snapshot) {
        return crate::backstage::parse_snapshot(snapshot);
    }
    model::parse_all(
        snapshot
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.bytes.as_slice())),
    )
}

/// Parses a snapshot as `parse_snapshot` does, taking the files `reuse`
/// holds (same blob and path) as they are; also returns the parsed files
/// (empty for a Backstage catalog, which is mapped as a whole).
pub fn parse_snapshot_reusing(
    snapshot: &Snapshot,
    reuse: Option<&ParsedFiles>,
) -> (Model, Vec<Diagnostic>, ParsedFiles) {
    if crate::backstage::is_catalog_snapshot(snapshot) {
        let (model, diagnostics) = crate::backstage::parse_snapshot(snapshot);
        return (model, diagnostics, ParsedFiles::default());
    }
    parsed::parse_reusing(snapshot, reuse)
}

/// `load`, parsing only the files `reuse` does not hold: `who --at` reads
/// the work tree beside the commit, and most files are the same bytes.
pub fn load_reusing(
    repo: &Repo,
    source: &Source,
    checks: Checks,
    reuse: &ParsedFiles,
) -> Result<Loaded> {
    let snapshot = repo.snapshot(source)?;
    let today = match &snapshot.origin {
        Origin::Commit(info) => info.time.date_naive(),
        _ => chrono::Local::now().date_naive(),
    };
    let catalog = crate::backstage::is_catalog_snapshot(&snapshot);
    let (model, mut diagnostics, _) = parse_snapshot_reusing(&snapshot, Some(reuse));
    diagnostics.extend(snapshot.diagnostics);
    if checks == Checks::Run {
        run_checks(&model, catalog, today, &mut diagnostics);
    }
    model::diag::sort_for_display(&mut diagnostics);
    Ok(Loaded {
        origin: snapshot.origin,
        model,
        diagnostics,
        files: snapshot.files.into_iter().map(|f| f.path).collect(),
    })
}

/// Reads and checks the data at `source`.
pub fn load(repo: &Repo, source: &Source) -> Result<Loaded> {
    let snapshot = repo.snapshot(source)?;
    let today = match &snapshot.origin {
        Origin::Commit(info) => info.time.date_naive(),
        _ => chrono::Local::now().date_naive(),
    };
    Ok(load_snapshot(snapshot, today))
}
