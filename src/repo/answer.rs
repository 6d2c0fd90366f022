//! Loading for answers (`who`, `search`, `diff`, the Triage tab): beside
//! the model, the files that did not load and the ids they would have
//! defined, and a moment before the first commit read as "no data yet"
//! rather than an error (what changed this year, on a young repository).

use super::{CommitInfo, Loaded, Origin, Repo, Result, Source, load_snapshot, parse_when};
use crate::model::{Incomplete, Model, Unloaded};

pub struct ForAnswers {
    pub loaded: Loaded,
    /// The files that did not load (empty when all did).
    pub incomplete: Vec<Incomplete>,
    /// The ids those files would have defined.
    pub unloaded: Unloaded,
    /// Set when the moment asked for is before the first commit: the
    /// model is then empty, and this sentence says why.
    pub before_first: Option<String>,
}

/// Reads `source` as `repo::load` does, keeping what answers need to be honest.
pub fn load_for_answers(repo: &Repo, source: &Source) -> Result<ForAnswers> {
    let snapshot = match repo.snapshot(source) {
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
                });
            }
            return Err(e);
        }
    };
    let today = match &snapshot.origin {
        Origin::Commit(info) => info.time.date_naive(),
        _ => chrono::Local::now().date_naive(),
    };
    // The raw text is kept only for the files that did not load.
    let raw = snapshot.files.clone();
    let loaded = load_snapshot(snapshot, today);
    let incomplete = Incomplete::of(&loaded.diagnostics);
    let unloaded = if incomplete.is_empty() {
        Unloaded::default()
    } else {
        Unloaded::scan(
            raw.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())),
            &incomplete,
        )
    };
    Ok(ForAnswers {
        loaded,
        incomplete,
        unloaded,
        before_first: None,
    })
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

/// The note for a time before the first commit, or None when `when` is not
/// a time, or not before the first commit.
pub fn before_first_commit(repo: &Repo, when: &str) -> Option<String> {
    let time = parse_when(when).ok()?;
    let first = first_commit(repo)?;
    (time < first.time).then(|| {
        format!(
            "{when} is before the first commit ({} on {}): there was no data yet.",
            first.short_id(),
            first.time.format("%Y-%m-%d")
        )
    })
}
