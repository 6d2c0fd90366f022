//! The history walk's step for a catalog. A catalog's meaning is global
//! (an owner is a Group declared anywhere, a pager comes from the owning
//! team's components), so versions are compared as mapped models, by id,
//! never by file: an entity moved from one file to another is no change
//! at all. The mapping is kept from one version to the next
//! (`incremental`): a commit re-maps the entities of the files it changed
//! and those that refer to them, and the diff looks at those only.
//!
//! Stepping back compares the two commits' data trees, entering only the
//! folders whose tree id differs, and reads only the YAML whose blob
//! changed. A version with a file that does not parse is "broken": its
//! changes count towards the next good commit, as for TOML.

use super::entity::{CatalogFile, read_file};
use super::files::{MAX_FILES, changed_files, data_tree, is_yaml, tree_files};
use super::incremental::{Files, IncrementalMap};
use crate::history::{Change, HistoryEntry, diff_models};
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
    broken: Option<Diagnostic>,
}

impl State {
    fn catalog_files(&self) -> Files {
        self.files
            .iter()
            .map(|(p, (_, f))| (p.clone(), f.clone()))
            .collect()
    }

    fn settings_bytes(&self) -> Option<&[u8]> {
        self.settings.as_ref().map(|(_, b)| b.as_slice())
    }
}

/// The last good version mapped.
enum Mapped {
    /// None yet (the walk began at broken commits).
    Nothing,
    /// No data folder: the empty model.
    Absent,
    Catalog(Box<IncrementalMap>),
}

/// The walk's catalog side: created at the first commit, stepped back one
/// first-parent commit at a time by `history::Walker`.
pub struct CatalogWalk {
    data_dir: String,
    state: State,
    /// The newest good version read so far going back.
    mapped: Mapped,
    /// A good newer commit whose changes wait for an older good version.
    pending: Option<HistoryEntry>,
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
            mapped: Mapped::Nothing,
            pending: None,
            queued: Vec::new(),
            files_parsed: 0,
            cache_hits: 0,
        };
        walk.state = walk.read(git, tree);
        if walk.state.broken.is_none() {
            walk.map_state();
        }
        walk
    }

    /// Maps the (good) version the state holds; returns the changes from
    /// it to the good version mapped before.
    fn map_state(&mut self) -> Vec<Change> {
        let previous = std::mem::replace(&mut self.mapped, Mapped::Nothing);
        let (mapped, changes) = match (previous, self.state.tree) {
            (Mapped::Catalog(mut map), Some(_)) => {
                let changes = map.step(&self.state.catalog_files(), self.state.settings_bytes());
                (Mapped::Catalog(map), changes)
            }
            (Mapped::Catalog(map), None) => {
                (Mapped::Absent, diff_models(&Model::default(), &map.model()))
            }
            (previous, Some(_)) => {
                let map =
                    IncrementalMap::new(&self.state.catalog_files(), self.state.settings_bytes());
                let changes = match previous {
                    Mapped::Absent => diff_models(&map.model(), &Model::default()),
                    _ => Vec::new(),
                };
                (Mapped::Catalog(Box::new(map)), changes)
            }
            (_, None) => (Mapped::Absent, Vec::new()),
        };
        self.mapped = mapped;
        changes
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
        let changes = match self.state.broken {
            None => Some(self.map_state()),
            Some(_) => None,
        };
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
            None => self.pending = Some(entry),
        }
        if let Some(changes) = changes
            && let Some(mut entry) = self.pending.take()
        {
            entry.changes = changes;
            out.push(entry);
            out.append(&mut self.queued);
        }
        out
    }

    /// At a shallow boundary: the commit whose changes cannot be computed
    /// (if any) and the broken commits still waiting.
    pub fn stop(&mut self) -> (Option<CommitInfo>, Vec<HistoryEntry>) {
        let pending = self.pending.take().map(|e| e.commit);
        (pending, std::mem::take(&mut self.queued))
    }

    /// The catalog at a data tree: the files of the tree diff from the
    /// state's are read (once per blob), the others kept.
    fn read(&mut self, git: &Repository, tree: Option<Oid>) -> State {
        let mut state = State {
            tree,
            ..State::default()
        };
        if tree.is_none_or(|t| git.find_tree(t).is_err()) {
            return state;
        }
        let changes = match self.state.tree {
            // A capped listing cannot be patched: list the tree whole.
            Some(_) if self.state.files.len() < MAX_FILES => {
                state.files = self.state.files.clone();
                state.settings = self.state.settings.clone();
                changed_files(git, self.state.tree, tree)
            }
            _ => {
                let mut ignored = Vec::new();
                let data = tree.and_then(|t| git.find_tree(t).ok());
                data.map(|d| tree_files(git, &d, &mut ignored))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(path, blob, mode)| (path, Some((blob, mode))))
                    .collect()
            }
        };
        for (path, now) in changes {
            let plain = now.filter(|(_, mode)| {
                *mode == i32::from(git2::FileMode::Blob)
                    || *mode == i32::from(git2::FileMode::BlobExecutable)
            });
            if path == "demarc.toml" {
                state.settings = plain.and_then(|(blob, _)| {
                    crate::repo::read_blob_bounded(git, blob)
                        .ok()
                        .map(|bytes| (blob, bytes))
                });
                continue;
            }
            if !is_yaml(&path) {
                continue;
            }
            let Some((blob, _)) = plain else {
                state.files.remove(&path);
                continue;
            };
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
        state.broken = state
            .files
            .values()
            .find_map(|(_, f)| f.parse_error().cloned());
        state
    }
}
