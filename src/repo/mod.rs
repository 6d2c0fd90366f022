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
mod read;
pub mod safe_read;
mod when;

pub use answer::{ForAnswers, before_first_commit, first_commit, load_for_answers};
pub use open::Repo;
pub use read::{
    BlobError, CommitInfo, DataFile, MAX_FILE_BYTES, Origin, Snapshot, collect_tree_blobs,
    read_blob_bounded,
};
pub use when::{parse_since, parse_when};

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
    At(String),
}

impl Source {
    pub fn from_flags(rev: Option<String>, at: Option<String>) -> Source {
        match (rev, at) {
            (Some(rev), _) => Source::Rev(rev),
            (None, Some(at)) => Source::At(at),
            (None, None) => Source::WorkTree,
        }
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

/// Parses and checks a snapshot. `today` decides overdue reviews; for a
/// commit, pass the commit's date so old versions are judged in their time.
pub fn load_snapshot(snapshot: Snapshot, today: NaiveDate) -> Loaded {
    let (model, mut diagnostics) = parse_snapshot(&snapshot);
    let catalog = crate::backstage::is_catalog_snapshot(&snapshot);
    diagnostics.extend(snapshot.diagnostics);
    if catalog {
        diagnostics.extend(crate::backstage::check(&model, today));
    } else {
        diagnostics.extend(model::check(&model, today));
    }
    model::diag::sort_for_display(&mut diagnostics);
    Loaded {
        origin: snapshot.origin,
        model,
        diagnostics,
        files: snapshot.files.into_iter().map(|f| f.path).collect(),
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

/// Reads and checks the data at `source`.
pub fn load(repo: &Repo, source: &Source) -> Result<Loaded> {
    let snapshot = repo.snapshot(source)?;
    let today = match &snapshot.origin {
        Origin::Commit(info) => info.time.date_naive(),
        _ => chrono::Local::now().date_naive(),
    };
    Ok(load_snapshot(snapshot, today))
}
