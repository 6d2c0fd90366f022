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
use super::entity::{CatalogFile, Entity, Field};
use super::files::{data_tree, is_yaml, tree_files};
use super::map::{self, ComponentParts, Role};
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
    /// Sorted by id.
    teams: Vec<Team>,
    layers: Vec<Layer>,
    /// What the versions with these entities in these places share, when
    /// `patch` can step to them (None: every step resolves whole).
    places: Option<Arc<Places>>,
}

/// What `map::resolve` found about where each entity is (in the order of
/// the catalog files by path, then in each file): which are kept, their
/// ids, and who consumes what. It holds for every version whose catalog
/// files have the same entities in the same places with the same keys,
/// kinds, ids and references (see `patch`).
struct Places {
    kept: Vec<bool>,
    ids: Vec<Option<String>>,
    /// For each entity, the entities whose owner counts as its consumer.
    sources: Vec<Vec<u32>>,
    /// For each entity, the entities it counts as a consumer of.
    targets: Vec<Vec<u32>>,
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
        let count = resolution.components.len();
        let mut components = HashMap::with_capacity(count);
        for mut parts in resolution.components {
            let (file, at) = resolution.origins[parts.entity];
            let id = std::mem::take(&mut parts.id);
            components.entry(id).or_insert_with(|| Held {
                file: catalog[file].clone(),
                at,
                parts,
            });
        }
        let teams = resolution.teams;
        // A repeated id (a suffixed name meeting a written one) or team id
        // makes whose owner consumes what depend on which one comes last:
        // such a catalog is resolved whole at every step.
        let unique = components.len() == count && teams.windows(2).all(|w| w[0].id != w[1].id);
        let places = unique.then(|| {
            let n = resolution.kept.len();
            let mut sources = vec![Vec::new(); n];
            let mut targets = vec![Vec::new(); n];
            for &(target, source) in &resolution.contributions {
                sources[target].push(source as u32);
                targets[source].push(target as u32);
            }
            Arc::new(Places {
                kept: resolution.kept,
                ids: resolution.ids,
                sources,
                targets,
            })
        });
        Mapped {
            mapping,
            components,
            teams,
            layers,
            places,
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
    entities_of(components, &version.teams, &version.layers)
}

fn entities_of<'a>(
    components: &'a [Component],
    teams: &'a [Team],
    layers: &'a [Layer],
) -> Entities<'a> {
    let mut e = Entities::default();
    for c in components.iter().filter(|c| !c.id.is_empty()) {
        e.components.entry(c.id.as_str()).or_insert(c);
    }
    for t in teams.iter().filter(|t| !t.id.is_empty()) {
        e.teams.entry(t.id.as_str()).or_insert(t);
    }
    for l in layers.iter().filter(|l| !l.id.is_empty()) {
        e.layers.entry(l.id.as_str()).or_insert(l);
    }
    e
}

/// A version's files by path: blob and what was read from it.
type Files = BTreeMap<String, (Oid, Arc<CatalogFile>)>;

/// Do both fields name the same entity (the same text read the same
/// way)? Where they were written may differ.
fn same_ref(a: &Field, b: &Field) -> bool {
    a.text == b.text && a.prepared == b.prepared
}

fn same_ref_opt(a: &Option<Field>, b: &Option<Field>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_ref(a, b),
        _ => false,
    }
}

fn same_refs(a: &[Field], b: &[Field]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_ref(a, b))
}

/// What `index` and `assign_ids` read of an entity: equal, so which
/// entity is kept and which id each gets stay the same.
fn same_names(a: &Entity, b: &Entity) -> bool {
    a.role == b.role
        && a.key == b.key
        && a.kind == b.kind
        && a.namespace == b.namespace
        && a.name == b.name
        && a.kind_key == b.kind_key
        && a.name_key == b.name_key
        && a.ident == b.ident
        && a.ident_key == b.ident_key
}

/// Only the annotations differ (a Group's pager).
fn same_but_annotations(a: &Entity, b: &Entity) -> bool {
    let mut a = a.clone();
    a.annotations.clone_from(&b.annotations);
    a == *b
}

/// Steps `mapped`, the newer version (whose files are `newer`), to the
/// older one (`older`, which parsed, under the same settings) without
/// resolving it whole, when only what no other entity's place depends on
/// changed: the same files hold the same entities in the same places
/// with the same names, kinds and keys; changed components keep their
/// references and layer, changed Systems their domain, changed Groups
/// differ only in annotations, Users not at all. Then only the changed
/// components' owners and links are resolved again, the consumers of
/// what a changed owner consumes, and the pagers of the owners' teams.
/// Returns the changes from the older version to the newer; None (and
/// `mapped` untouched) when the step needs a whole resolve.
fn patch(mapped: &mut Mapped, newer: &Files, older: &Files) -> Option<Vec<Change>> {
    let places = mapped.places.clone()?;
    if newer.len() != older.len() {
        return None;
    }
    // The older version's entities in `resolve`'s order, and the files
    // that changed with the position of their first entity.
    let mut entities: Vec<&Entity> = Vec::with_capacity(places.kept.len());
    let mut changed = Vec::new();
    for ((path_n, (blob_n, file_n)), (path_o, (blob_o, file_o))) in newer.iter().zip(older) {
        if path_n != path_o || file_n.is_catalog != file_o.is_catalog {
            return None;
        }
        if !file_o.is_catalog {
            continue;
        }
        if blob_n != blob_o {
            if file_n.entities.len() != file_o.entities.len() {
                return None;
            }
            changed.push((entities.len(), file_n, file_o));
        }
        entities.extend(file_o.entities.iter());
    }
    if entities.len() != places.kept.len() {
        return None;
    }
    let mapping = &mapped.mapping;
    // Kept components in changed files: (entity, older file, position).
    let mut touched: Vec<(usize, &Arc<CatalogFile>, usize)> = Vec::new();
    let mut groups: Vec<usize> = Vec::new();
    for &(start, file_n, file_o) in &changed {
        for (at, (n, o)) in file_n.entities.iter().zip(&file_o.entities).enumerate() {
            let i = start + at;
            if !same_names(n, o) {
                return None;
            }
            if !places.kept[i] {
                continue;
            }
            match o.role {
                Role::Group if n != o => {
                    if !same_but_annotations(n, o) {
                        return None;
                    }
                    groups.push(i);
                }
                Role::User if n != o => return None,
                role if role.is_component() => {
                    let same = same_refs(&n.depends_on, &o.depends_on)
                        && same_refs(&n.consumes_apis, &o.consumes_apis)
                        && same_refs(&n.provides_apis, &o.provides_apis)
                        && same_ref_opt(&n.subcomponent_of, &o.subcomponent_of)
                        && (role != Role::System || same_ref_opt(&n.domain, &o.domain))
                        && map::layer_of(n, role, mapping) == map::layer_of(o, role, mapping);
                    if !same {
                        return None;
                    }
                    touched.push((i, file_o, at));
                }
                _ => {}
            }
        }
    }
    let id_of = |i: usize| places.ids[i].as_deref();
    let mut view = map::View::new(entities, places.kept.clone(), &places.ids);
    // The older version's parts of the touched components.
    let mut fresh: Vec<ComponentParts> = Vec::with_capacity(touched.len());
    let mut owner_moved: Vec<usize> = Vec::new();
    let mut teams: Vec<String> = Vec::new();
    for &(i, _, _) in &touched {
        let held = mapped.components.get(id_of(i)?)?;
        let parts = view.parts(i);
        if parts.owner != held.parts.owner {
            owner_moved.push(i);
        }
        teams.push(parts.owner.clone());
        teams.push(held.parts.owner.clone());
        fresh.push(parts);
    }
    for &g in &groups {
        teams.push(id_of(g)?.to_string());
    }
    let team_at = |teams: &[Team], id: &str| teams.binary_search_by(|t| t.id.as_str().cmp(id)).ok();
    teams.retain(|t| team_at(&mapped.teams, t).is_some());
    teams.sort();
    teams.dedup();
    // Whose consumers may change: a component whose owner moved, and what
    // that owner consumes through it.
    let mut consumed: Vec<usize> = Vec::new();
    for &s in &owner_moved {
        consumed.push(s);
        consumed.extend(places.targets[s].iter().map(|&t| t as usize));
    }
    consumed.sort_unstable();
    consumed.dedup();
    let mut affected: Vec<usize> = touched.iter().map(|&(i, _, _)| i).collect();
    affected.extend(&consumed);
    affected.sort_unstable();
    affected.dedup();
    for &i in &affected {
        mapped.components.get(id_of(i)?)?;
    }
    // Nothing is changed above this line: from here the step is taken.
    let build = |mapped: &Mapped, i: usize| {
        let id = id_of(i).expect("checked above");
        mapped.components[id].build(id, &mapped.mapping)
    };
    let after: Vec<Component> = affected.iter().map(|&i| build(mapped, i)).collect();
    let after_teams: Vec<Team> = teams
        .iter()
        .filter_map(|t| team_at(&mapped.teams, t).map(|p| mapped.teams[p].clone()))
        .collect();
    for (parts, &(i, file, at)) in fresh.into_iter().zip(&touched) {
        let held = mapped
            .components
            .get_mut(id_of(i).expect("checked above"))
            .expect("checked above");
        let consumers = std::mem::take(&mut held.parts.consumers);
        held.file = file.clone();
        held.at = at;
        held.parts = ComponentParts {
            id: String::new(),
            consumers,
            ..parts
        };
    }
    for &x in &consumed {
        let owner_of = |i: usize| {
            let id = id_of(i).expect("a consuming component has an id");
            mapped.components[id].parts.owner.as_str()
        };
        let own = owner_of(x);
        let mut list: Vec<String> = Vec::new();
        for &f in &places.sources[x] {
            let team = owner_of(f as usize);
            if team != own
                && team_at(&mapped.teams, team).is_some()
                && !list.iter().any(|t| t == team)
            {
                list.push(team.to_string());
            }
        }
        list.sort();
        let id = id_of(x).expect("checked above");
        if let Some(held) = mapped.components.get_mut(id) {
            held.parts.consumers = list;
        }
    }
    if !teams.is_empty() {
        repager(mapped, &places, view.entities(), &teams);
    }
    let before: Vec<Component> = affected.iter().map(|&i| build(mapped, i)).collect();
    let before_teams: Vec<Team> = teams
        .iter()
        .filter_map(|t| team_at(&mapped.teams, t).map(|p| mapped.teams[p].clone()))
        .collect();
    Some(diff_entities(
        &entities_of(&before, &before_teams, &[]),
        &entities_of(&after, &after_teams, &[]),
    ))
}

/// Sets again the pagers of `teams` (ids of teams of `mapped`, sorted):
/// `map::resolve`'s rule, over the Groups and components of `entities`.
fn repager(mapped: &mut Mapped, places: &Places, entities: &[&Entity], teams: &[String]) {
    type Votes<'v> = BTreeMap<&'static str, BTreeMap<String, Vec<&'v str>>>;
    let wanted = |id: &str| teams.binary_search_by(|t| t.as_str().cmp(id)).is_ok();
    let mut own: HashMap<&str, BTreeMap<&'static str, String>> = HashMap::new();
    let mut votes: HashMap<&str, Votes> = HashMap::new();
    for (i, e) in entities.iter().enumerate() {
        if !places.kept[i] {
            continue;
        }
        let Some(id) = places.ids[i].as_deref() else {
            continue;
        };
        match e.role {
            Role::Group if wanted(id) => {
                own.insert(id, map::pager_values(e).into_iter().collect());
            }
            role if role.is_component() => {
                let values = map::pager_values(e);
                if values.is_empty() {
                    continue;
                }
                let Some(held) = mapped.components.get(id) else {
                    continue;
                };
                let owner = held.parts.owner.as_str();
                if !wanted(owner) {
                    continue;
                }
                for (system, value) in values {
                    votes
                        .entry(owner)
                        .or_default()
                        .entry(system)
                        .or_default()
                        .entry(value)
                        .or_default()
                        .push(id);
                }
            }
            _ => {}
        }
    }
    let mut oncalls = Vec::new();
    for team in mapped.teams.iter().filter(|t| wanted(&t.id)) {
        let own = own.remove(team.id.as_str()).unwrap_or_default();
        let votes = votes.remove(team.id.as_str()).unwrap_or_default();
        oncalls.push(map::decide_pager(team, own, votes, &mut Vec::new()));
    }
    for (team, oncall) in mapped
        .teams
        .iter_mut()
        .filter(|t| wanted(&t.id))
        .zip(oncalls)
    {
        team.oncall = oncall;
    }
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
    /// Steps taken by `patch` rather than a whole resolve.
    pub patched: usize,
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
            patched: 0,
        };
        walk.state = walk.read(git, tree);
        if walk.state.broken.is_none() {
            walk.state.mapped = Mapped::of(&walk.state.version());
        }
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
        let mut older_state = self.read(git, older);
        let entry = HistoryEntry {
            commit: CommitInfo::from_commit(commit),
            broken: None,
            changes: Vec::new(),
        };
        // Both versions good and next to each other: step by patching
        // the newer one when only what `patch` allows changed.
        if self.pending.is_none()
            && self.state.broken.is_none()
            && older_state.broken.is_none()
            && older_state.settings.as_ref().map(|s| s.0)
                == self.state.settings.as_ref().map(|s| s.0)
            && let Some(changes) = patch(
                &mut self.state.mapped,
                &self.state.files,
                &older_state.files,
            )
        {
            self.patched += 1;
            older_state.mapped = std::mem::take(&mut self.state.mapped);
            self.state = older_state;
            return vec![HistoryEntry { changes, ..entry }];
        }
        if older_state.broken.is_none() {
            older_state.mapped = Mapped::of(&older_state.version());
        }
        let newer = std::mem::replace(&mut self.state, older_state);
        let mut out = Vec::new();
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

    /// The catalog's files at a data tree, reusing the files whose blob
    /// did not change; not yet resolved.
    fn read(&mut self, git: &Repository, tree: Option<Oid>) -> State {
        let mut state = State {
            tree,
            ..State::default()
        };
        let Some(data) = tree.and_then(|t| git.find_tree(t).ok()) else {
            return state;
        };
        let mut ignored = Vec::new();
        // Blobs not seen in the newer version: read from git here, parsed
        // below (on several threads when there are many, as at the start).
        let mut unread: Vec<(String, Oid, Option<Vec<u8>>)> = Vec::new();
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
            match reuse {
                Some(f) => {
                    self.cache_hits += 1;
                    state.files.insert(path, (blob, f));
                }
                None => {
                    self.files_parsed += 1;
                    // Bounded from the object's header, never inflated first.
                    let bytes = crate::repo::read_blob_bounded(git, blob).ok();
                    unread.push((path, blob, bytes));
                }
            }
        }
        let readable: Vec<(&str, &[u8])> = unread
            .iter()
            .filter_map(|(path, _, bytes)| Some((path.as_str(), bytes.as_deref()?)))
            .collect();
        let mut read = super::read_all(&readable).into_iter();
        for (path, blob, bytes) in unread {
            let file = match bytes {
                Some(_) => read.next().expect("one read file per readable blob"),
                None => Arc::new(CatalogFile {
                    path: path.clone(),
                    ..CatalogFile::default()
                }),
            };
            state.files.insert(path, (blob, file));
        }
        state.broken = state
            .files
            .values()
            .find_map(|(_, f)| f.parse_error())
            .cloned();
        state
    }
}

impl State {
    fn version(&self) -> Version {
        Version {
            files: self.files.values().map(|(_, f)| f.clone()).collect(),
            settings: self.settings.as_ref().map(|(_, b)| b.clone()),
        }
    }
}
