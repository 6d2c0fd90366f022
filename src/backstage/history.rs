//! The history walk's step for a catalog. A catalog's meaning is global
//! (an owner is a Group declared anywhere, a pager comes from the owning
//! team's components), so each version that changed is mapped whole and
//! compared with `diff_models`: entities match by id, never by file, so an
//! entity moved from one file to another is no change at all.
//!
//! Files are read once per blob: stepping back re-reads only the YAML
//! whose blob changed. A version with a file that does not parse is
//! "broken": its changes count towards the next good commit, as for TOML.

use super::Version;
use super::entity::{CatalogFile, read_file};
use super::files::{data_tree, is_yaml, tree_files};
use crate::history::{HistoryEntry, diff_models};
use crate::model::{Diagnostic, Model};
use crate::repo::CommitInfo;
use git2::{Commit, Oid, Repository};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The catalog at one commit of the walk.
#[derive(Default)]
struct State {
    tree: Option<Oid>,
    files: BTreeMap<String, (Oid, Arc<CatalogFile>)>,
    settings: Option<(Oid, Vec<u8>)>,
    model: Arc<Model>,
    broken: Option<Diagnostic>,
}

/// The walk's catalog side: created at the first commit, stepped back one
/// first-parent commit at a time by `history::Walker`.
pub struct CatalogWalk {
    data_dir: String,
    state: State,
    /// A good newer commit whose changes wait for an older good version.
    pending: Option<(HistoryEntry, Arc<Model>)>,
    /// Broken commits older than `pending`, newest first.
    queued: Vec<HistoryEntry>,
    pub files_parsed: usize,
    pub cache_hits: usize,
}

impl CatalogWalk {
    /// Reads the catalog at the data tree `tree` (None: no data folder).
    pub fn new(git: &Repository, data_dir: &str, tree: Option<Oid>) -> CatalogWalk {
        let mut walk = CatalogWalk {
            data_dir: data_dir.to_string(),
            state: State::default(),
            pending: None,
            queued: Vec::new(),
            files_parsed: 0,
            cache_hits: 0,
        };
        walk.state = walk.read(git, tree);
        walk
    }

    /// The data tree id of a commit (the walk compares these first).
    pub fn data_tree_of(&self, git: &Repository, commit: &Commit) -> Option<Oid> {
        let tree = commit.tree().ok()?;
        data_tree(git, &self.data_dir, &tree).map(|t| t.id())
    }

    /// Steps from the commit whose catalog the state holds to its parent's
    /// data tree `older`; returns the entries now complete, newest first.
    pub fn step(
        &mut self,
        git: &Repository,
        commit: &Commit,
        older: Option<Oid>,
    ) -> Vec<HistoryEntry> {
        if older == self.state.tree {
            return Vec::new();
        }
        let older_state = self.read(git, older);
        let newer = std::mem::replace(&mut self.state, older_state);
        let mut out = Vec::new();
        let entry = HistoryEntry {
            commit: CommitInfo::from_commit(commit),
            broken: None,
            changes: Vec::new(),
        };
        match newer.broken {
            Some(error) => {
                let entry = HistoryEntry {
                    broken: Some(error),
                    ..entry
                };
                if self.pending.is_some() {
                    self.queued.push(entry);
                } else {
                    out.push(entry);
                }
            }
            None => self.pending = Some((entry, newer.model)),
        }
        if self.state.broken.is_none()
            && let Some((mut entry, newer_model)) = self.pending.take()
        {
            entry.changes = diff_models(&self.state.model, &newer_model);
            out.push(entry);
            out.append(&mut self.queued);
        }
        out
    }

    /// At a shallow boundary: the commit whose changes cannot be computed
    /// (if any) and the broken commits still waiting.
    pub fn stop(&mut self) -> (Option<CommitInfo>, Vec<HistoryEntry>) {
        let pending = self.pending.take().map(|(e, _)| e.commit);
        (pending, std::mem::take(&mut self.queued))
    }

    /// The catalog at a data tree, reusing the files whose blob did not change.
    fn read(&mut self, git: &Repository, tree: Option<Oid>) -> State {
        let mut state = State {
            tree,
            ..State::default()
        };
        let Some(data) = tree.and_then(|t| git.find_tree(t).ok()) else {
            return state;
        };
        let mut ignored = Vec::new();
        for (path, blob, mode) in tree_files(git, &data, &mut ignored) {
            let plain = mode == i32::from(git2::FileMode::Blob)
                || mode == i32::from(git2::FileMode::BlobExecutable);
            if !plain {
                continue;
            }
            if path == "demarc.toml" {
                if let Ok(bytes) = crate::repo::read_blob_bounded(git, blob) {
                    state.settings = Some((blob, bytes));
                }
                continue;
            }
            if !is_yaml(&path) {
                continue;
            }
            let reuse = self
                .state
                .files
                .get(&path)
                .filter(|(old, _)| *old == blob)
                .map(|(_, f)| f.clone());
            let file = match reuse {
                Some(f) => {
                    self.cache_hits += 1;
                    f
                }
                None => {
                    self.files_parsed += 1;
                    // Bounded from the object's header, never inflated first.
                    Arc::new(match crate::repo::read_blob_bounded(git, blob) {
                        Ok(bytes) => read_file(&path, &bytes),
                        _ => CatalogFile {
                            path: path.clone(),
                            ..CatalogFile::default()
                        },
                    })
                }
            };
            state.files.insert(path, (blob, file));
        }
        let version = Version {
            files: state.files.values().map(|(_, f)| f.clone()).collect(),
            settings: state.settings.as_ref().map(|(_, b)| b.clone()),
        };
        state.broken = version.parse_error().cloned();
        if state.broken.is_none() {
            state.model = Arc::new(version.map().0);
        }
        state
    }
}
