//! The history walk's step for a catalog. A catalog's meaning is global
//! (an owner is a Group declared anywhere, a pager comes from the owning
//! team's components), so each version that changed is resolved whole
//! (`map::resolve`: names, references, owners, consumers, pagers) and
//! compared by id, never by file, so an entity moved from one file to
//! another is no change at all.
//!
//! What costs is building 20,000 components per version and diffing
//! them, so neither is done whole: a component is built only when its
//! entity, its resolved parts or the settings differ from the other
//! version's, and only those go to `diff_entities` (a component equal on
//! both sides gives no change, so the result is `diff_models` of the two
//! mapped models; tests/backstage_history.rs compares the two).
//!
//! Files are read once per blob: stepping back re-reads only the YAML
//! whose blob changed. A version with a file that does not parse is
//! "broken": its changes count towards the next good commit, as for TOML.

use super::Version;
use super::entity::{CatalogFile, Entity, read_file};
use super::files::{data_tree, is_yaml, tree_files};
use super::map::{self, ComponentParts};
use super::settings::Mapping;
use crate::history::{Change, Entities, HistoryEntry, diff_entities};
use crate::model::{Component, Diagnostic, Layer, Team};
use crate::repo::CommitInfo;
use foldhash::{HashMap, HashMapExt};
use git2::{Commit, Oid, Repository};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A component of one version: its entity (in its file, shared with
/// every version that has the same blob) and what the catalog gave it.
/// Its id is the key it is held by (`Mapped::components`), moved out of
/// `parts` rather than copied: `parts.id` is empty.
struct Held {
    file: Arc<CatalogFile>,
    at: usize,
    parts: ComponentParts,
}

impl Held {
    fn entity(&self) -> &Entity {
        &self.file.entities[self.at]
    }

    /// Would both, held by the same id, build the same component under
    /// the same settings?
    fn same_as(&self, other: &Held) -> bool {
        let (a, b) = (&self.parts, &other.parts);
        a.role == b.role
            && a.owner == b.owner
            && a.links == b.links
            && a.consumers == b.consumers
            && ((Arc::ptr_eq(&self.file, &other.file) && self.at == other.at)
                || self.entity() == other.entity())
    }

    fn build(&self, id: &str, mapping: &Mapping) -> Component {
        let mut component = self.parts.build(self.entity(), mapping);
        component.id = id.to_string();
        component
    }
}

/// One version of the catalog as the walk compares it: what `map` would
/// make of it, with the components not yet built.
#[derive(Default)]
pub struct Mapped {
    mapping: Mapping,
    /// By id, the first of each (as `Model::component` and `diff_models`).
    components: HashMap<String, Held>,
    teams: Vec<Team>,
    layers: Vec<Layer>,
}

impl Mapped {
    /// Resolves a version that parsed.
    pub fn of(version: &Version) -> Mapped {
        let mapping = version.mapping(&mut Vec::new());
        let catalog: Vec<&Arc<CatalogFile>> = version.catalog().collect();
        let refs: Vec<&CatalogFile> = catalog.iter().map(|f| f.as_ref()).collect();
        let resolution = map::resolve(&refs, &mapping);
        // Every layer id is one of the settings' values: tell them apart by
        // address (a handful) before `layers_named` compares text. The first
        // of each text keeps its place, so the layers are the same.
        let mut named: Vec<&String> = Vec::new();
        for p in &resolution.components {
            if let Some(l) = map::layer_of(resolution.entities[p.entity], p.role, &mapping)
                && !named.iter().any(|n| std::ptr::eq(*n, l))
            {
                named.push(l);
            }
        }
        let layers = map::layers_named(named.iter().map(|l| Some(l.as_str())));
        let mut components = HashMap::with_capacity(resolution.components.len());
        for mut parts in resolution.components {
            let (file, at) = resolution.origins[parts.entity];
            let id = std::mem::take(&mut parts.id);
            components.entry(id).or_insert_with(|| Held {
                file: catalog[file].clone(),
                at,
                parts,
            });
        }
        Mapped {
            mapping,
            components,
            teams: resolution.teams,
            layers,
        }
    }
}

/// The boundary changes from `old` to `new`: `diff_models` of the two
/// mapped models, with only the components that differ built.
pub fn diff(old: &Mapped, new: &Mapped) -> Vec<Change> {
    let same_settings = old.mapping == new.mapping;
    let mut before: Vec<Component> = Vec::new();
    let mut after: Vec<Component> = Vec::new();
    for (id, b) in &new.components {
        let a = old.components.get(id);
        if same_settings && a.is_some_and(|a| a.same_as(b)) {
            continue;
        }
        if let Some(a) = a {
            before.push(a.build(id, &old.mapping));
        }
        after.push(b.build(id, &new.mapping));
    }
    for (id, a) in &old.components {
        if !new.components.contains_key(id) {
            before.push(a.build(id, &old.mapping));
        }
    }
    diff_entities(&entities(&before, old), &entities(&after, new))
}

/// The entities `diff_entities` compares: the given components, and the
/// version's teams and layers whole (a few hundred).
fn entities<'a>(components: &'a [Component], version: &'a Mapped) -> Entities<'a> {
    let mut e = Entities::default();
    for c in components.iter().filter(|c| !c.id.is_empty()) {
        e.components.entry(c.id.as_str()).or_insert(c);
    }
    for t in version.teams.iter().filter(|t| !t.id.is_empty()) {
        e.teams.entry(t.id.as_str()).or_insert(t);
    }
    for l in version.layers.iter().filter(|l| !l.id.is_empty()) {
        e.layers.entry(l.id.as_str()).or_insert(l);
    }
    e
}

/// The catalog at one commit of the walk.
#[derive(Default)]
struct State {
    tree: Option<Oid>,
    files: BTreeMap<String, (Oid, Arc<CatalogFile>)>,
    settings: Option<(Oid, Vec<u8>)>,
    mapped: Mapped,
    broken: Option<Diagnostic>,
}

/// The walk's catalog side: created at the first commit, stepped back one
/// first-parent commit at a time by `history::Walker`.
pub struct CatalogWalk {
    data_dir: String,
    state: State,
    /// A good newer commit whose changes wait for an older good version.
    pending: Option<(HistoryEntry, Mapped)>,
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
            None => self.pending = Some((entry, newer.mapped)),
        }
        if self.state.broken.is_none()
            && let Some((mut entry, newer)) = self.pending.take()
        {
            entry.changes = diff(&self.state.mapped, &newer);
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
            state.mapped = Mapped::of(&version);
        }
        state
    }
}
