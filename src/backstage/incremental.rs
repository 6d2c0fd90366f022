//! The catalog's mapping kept from one version to the next, for the
//! history walk. A catalog's meaning is global (an owner is a Group
//! declared in another file, a team's pager comes from its components,
//! consumers from other entities' `dependsOn`), but a commit changes a few
//! files: this re-maps only the entities of the changed files and those
//! whose result can depend on them, found through a reverse index of
//! references, and keeps every other team and component as it was.
//!
//! The cheap global steps (indexing entities by key, giving ids, the group
//! tree) run for each version; the costly ones (building teams and
//! components, consumers, pagers) run for the dirty entities only, with
//! the same functions as `map::map`. The result is the full mapping's:
//! `tests/backstage_incremental.rs` compares them over whole histories and
//! random edits. A changed `demarc.toml`, or two components sharing an id,
//! maps the version whole instead.
//!
//! Only the model is kept: findings come from `Version::map`.

use super::entity::{CatalogFile, Entity, Field};
use super::map::{self, Cx, Role};
use super::refs::{EntityRef, key};
use super::settings::{self, Mapping};
use crate::history::{Change, Entities, diff_entities, diff_models};
use crate::model::{Component, Layer, Model, STANDARD_LAYERS, Team};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// One version's catalog files by path.
pub type Files = BTreeMap<String, Arc<CatalogFile>>;

/// The mapping of the version last given, kept by entity key.
pub struct IncrementalMap {
    settings: Option<Vec<u8>>,
    mapping: Mapping,
    files: Files,
    /// Target key -> the keys of the entities whose references may name
    /// it, with how many references.
    referrers: HashMap<String, HashMap<String, u32>>,
    /// Key -> id, for kept Groups and component entities.
    ids: HashMap<String, String>,
    /// Group key -> its parent team's id.
    parents: HashMap<String, String>,
    components: HashMap<String, Component>,
    teams: HashMap<String, Team>,
    /// Owner (as the component says it) -> component keys.
    owned: HashMap<String, BTreeSet<String>>,
    /// Layers named by components, with how many name each.
    layer_counts: BTreeMap<String, usize>,
    /// Two components share an id: each step then maps the version whole.
    duplicate_ids: bool,
    /// Entities re-mapped since creation (for tests and the bench).
    pub remapped: usize,
}

fn catalog_entities(files: &Files) -> Vec<&Entity> {
    files
        .values()
        .filter(|f| f.is_catalog)
        .flat_map(|f| f.entities.iter())
        .collect()
}

fn entity_key(e: &Entity) -> String {
    key(&e.kind, &e.namespace, &e.name)
}

fn push_ref(out: &mut Vec<String>, field: &Field, kind: Option<&str>, namespace: &str) {
    let Some(r) = EntityRef::parse(&field.text, kind, namespace) else {
        return;
    };
    if r.has_kind() {
        out.push(r.key());
    } else {
        // `dependsOn` without a kind resolves to a Component or a Resource.
        out.push(key("component", &r.namespace, &r.name));
        out.push(key("resource", &r.namespace, &r.name));
    }
}

/// Every key an entity's references may resolve to (a superset: an owner
/// is also looked up as a User when no Group has the name).
pub fn reference_keys(e: &Entity) -> Vec<String> {
    let ns = e.namespace.as_str();
    let mut out = Vec::new();
    if let Some(f) = &e.owner {
        push_ref(&mut out, f, Some("group"), ns);
        if !f.text.contains(':')
            && let Some(r) = EntityRef::parse(&f.text, Some("group"), ns)
        {
            out.push(key("user", &r.namespace, &r.name));
        }
    }
    let singles = [
        (&e.system, "system"),
        (&e.domain, "domain"),
        (&e.parent, "group"),
        (&e.subcomponent_of, "component"),
    ];
    for (field, kind) in singles {
        if let Some(f) = field {
            push_ref(&mut out, f, Some(kind), ns);
        }
    }
    let lists = [
        (&e.children, Some("group")),
        (&e.member_of, Some("group")),
        (&e.members, Some("user")),
        (&e.depends_on, None),
        (&e.consumes_apis, Some("api")),
        (&e.provides_apis, Some("api")),
    ];
    for (fields, kind) in lists {
        for f in fields {
            push_ref(&mut out, f, kind, ns);
        }
    }
    out
}

fn mapping_of(settings: Option<&[u8]>) -> Mapping {
    match settings {
        Some(bytes) => settings::read(bytes, &mut Vec::new()),
        None => Mapping::default(),
    }
}

impl IncrementalMap {
    /// Maps a version whole.
    pub fn new(files: &Files, settings: Option<&[u8]>) -> IncrementalMap {
        let mapping = mapping_of(settings);
        let catalog: Vec<&CatalogFile> = files
            .values()
            .map(|f| f.as_ref())
            .filter(|f| f.is_catalog)
            .collect();
        let model = map::map(&catalog, &mapping).model;
        let mut cx = Cx::new(catalog_entities(files));
        let parents = map::group_tree(&mut cx);
        let mut state = IncrementalMap {
            settings: settings.map(<[u8]>::to_vec),
            mapping,
            files: files.clone(),
            referrers: HashMap::new(),
            ids: HashMap::new(),
            parents: HashMap::new(),
            components: HashMap::new(),
            teams: HashMap::new(),
            owned: HashMap::new(),
            layer_counts: BTreeMap::new(),
            duplicate_ids: cx.duplicate_ids,
            remapped: cx.entities.len(),
        };
        for (k, &i) in &cx.by_key {
            let Some(id) = cx.ids.get(&i) else { continue };
            state.ids.insert(k.clone(), id.clone());
            match cx.roles[i] {
                Role::Group => {
                    if let Some(t) = model.team(id) {
                        state.teams.insert(k.clone(), t.clone());
                    }
                    if let Some(p) = parents.get(&i) {
                        state.parents.insert(k.clone(), cx.ids[p].clone());
                    }
                }
                _ => {
                    if let Some(c) = model.component(id) {
                        state.add_component(k.clone(), c.clone());
                    }
                }
            }
        }
        for (i, e) in cx.entities.iter().enumerate() {
            state.add_references(&cx.keys[i], e);
        }
        state
    }

    fn add_references(&mut self, from: &str, e: &Entity) {
        for target in reference_keys(e) {
            *self
                .referrers
                .entry(target)
                .or_default()
                .entry(from.to_string())
                .or_default() += 1;
        }
    }

    fn remove_references(&mut self, from: &str, e: &Entity) {
        for target in reference_keys(e) {
            let Some(by) = self.referrers.get_mut(&target) else {
                continue;
            };
            if let Some(n) = by.get_mut(from) {
                *n -= 1;
                if *n == 0 {
                    by.remove(from);
                }
            }
            if by.is_empty() {
                self.referrers.remove(&target);
            }
        }
    }

    fn referrers_of(&self, target: &str) -> impl Iterator<Item = &String> {
        self.referrers
            .get(target)
            .into_iter()
            .flat_map(|m| m.keys())
    }

    fn add_component(&mut self, k: String, c: Component) {
        if let Some(l) = &c.layer {
            *self.layer_counts.entry(l.clone()).or_default() += 1;
        }
        self.owned
            .entry(c.owner.clone())
            .or_default()
            .insert(k.clone());
        self.components.insert(k, c);
    }

    fn remove_component(&mut self, k: &str) -> Option<Component> {
        let c = self.components.remove(k)?;
        if let Some(l) = &c.layer
            && let Some(n) = self.layer_counts.get_mut(l)
        {
            *n -= 1;
            if *n == 0 {
                self.layer_counts.remove(l);
            }
        }
        if let Some(set) = self.owned.get_mut(&c.owner) {
            set.remove(k);
            if set.is_empty() {
                self.owned.remove(&c.owner);
            }
        }
        Some(c)
    }

    fn layers(&self) -> Vec<Layer> {
        let mut ids: Vec<String> = STANDARD_LAYERS.iter().map(|s| s.to_string()).collect();
        for l in self.layer_counts.keys() {
            if !ids.contains(l) {
                ids.push(l.clone());
            }
        }
        ids.into_iter().map(map::layer).collect()
    }

    /// The model of the version held, as `map::map` gives it.
    pub fn model(&self) -> Model {
        let cx = Cx::new(catalog_entities(&self.files));
        let mut model = Model {
            settings: map::settings(&self.mapping),
            ..Model::default()
        };
        for i in 0..cx.entities.len() {
            if cx.kept[i]
                && cx.roles[i].is_component()
                && let Some(c) = self.components.get(&cx.keys[i])
            {
                model.components.push(c.clone());
            }
        }
        model.teams = self.teams.values().cloned().collect();
        model.teams.sort_by(|a, b| a.id.cmp(&b.id));
        model.layers = map::layers(&model);
        model.reindex();
        model
    }

    /// Moves to another version (an older one as history walks); returns
    /// the changes that lead from the version now held to the one held
    /// before, as `diff_models(now, before)` would.
    pub fn step(&mut self, files: &Files, settings: Option<&[u8]>) -> Vec<Change> {
        if self.settings.as_deref() != settings || self.duplicate_ids {
            return self.rebuild(files, settings);
        }
        let mut changed: Vec<String> = Vec::new();
        for (path, f) in files {
            match self.files.get(path) {
                Some(old) if Arc::ptr_eq(old, f) || old == f => {}
                _ => changed.push(path.clone()),
            }
        }
        for path in self.files.keys() {
            if !files.contains_key(path) {
                changed.push(path.clone());
            }
        }
        if changed.is_empty() {
            return Vec::new();
        }
        let cx = Cx::new(catalog_entities(files));
        if cx.duplicate_ids {
            return self.rebuild(files, settings);
        }
        self.apply(cx, files, &changed)
    }

    fn rebuild(&mut self, files: &Files, settings: Option<&[u8]>) -> Vec<Change> {
        let before = self.model();
        *self = IncrementalMap::new(files, settings);
        diff_models(&self.model(), &before)
    }

    fn apply(&mut self, mut cx: Cx, files: &Files, changed: &[String]) -> Vec<Change> {
        // The entities of the changed files, before and after.
        let old_files: Vec<Arc<CatalogFile>> = changed
            .iter()
            .filter_map(|p| self.files.get(p).cloned())
            .filter(|f| f.is_catalog)
            .collect();
        let new_files: Vec<&Arc<CatalogFile>> = changed
            .iter()
            .filter_map(|p| files.get(p))
            .filter(|f| f.is_catalog)
            .collect();
        let mut changed_keys: HashSet<String> = HashSet::new();
        // References of the changed entities, before and after: what they
        // relied on may gain or lose a consumer, a member or a pager.
        let mut their_targets: HashSet<String> = HashSet::new();
        for f in &old_files {
            for e in &f.entities {
                let k = entity_key(e);
                self.remove_references(&k, e);
                their_targets.extend(reference_keys(e));
                changed_keys.insert(k);
            }
        }
        for f in &new_files {
            for e in &f.entities {
                let k = entity_key(e);
                self.add_references(&k, e);
                their_targets.extend(reference_keys(e));
                changed_keys.insert(k);
            }
        }

        // Cheap global facts, compared with the previous version's.
        let parents = map::group_tree(&mut cx);
        let mut moved: HashSet<String> = changed_keys.clone();
        for (k, &i) in &cx.by_key {
            if let Some(id) = cx.ids.get(&i)
                && self.ids.get(k) != Some(id)
            {
                moved.insert(k.clone());
            }
        }
        let mut parent_changed: Vec<String> = Vec::new();
        let mut new_parents: HashMap<String, String> = HashMap::new();
        for (&g, &p) in &parents {
            new_parents.insert(cx.keys[g].clone(), cx.ids[&p].clone());
        }
        for (k, p) in &new_parents {
            if self.parents.get(k) != Some(p) {
                parent_changed.push(k.clone());
            }
        }
        for k in self.parents.keys() {
            if !new_parents.contains_key(k) {
                parent_changed.push(k.clone());
            }
        }
        let team_key: HashMap<String, String> = (0..cx.entities.len())
            .filter(|&i| cx.kept[i] && cx.roles[i] == Role::Group)
            .map(|i| (cx.ids[&i].clone(), cx.keys[i].clone()))
            .collect();
        let old_team_ids: HashSet<String> = self.teams.values().map(|t| t.id.clone()).collect();
        let teams_changed: Vec<String> = old_team_ids
            .iter()
            .filter(|id| !team_key.contains_key(id.as_str()))
            .cloned()
            .chain(
                team_key
                    .keys()
                    .filter(|id| !old_team_ids.contains(*id))
                    .cloned(),
            )
            .collect();

        // Entities whose own result may change: the changed and re-keyed
        // ones, and those that refer to them (to a System through its
        // Domain too).
        let mut targets: HashSet<String> = moved.clone();
        for k in &moved {
            for r in self.referrers_of(k) {
                if r.starts_with("system:") {
                    targets.insert(r.clone());
                }
            }
        }
        let mut dirty: BTreeSet<String> = moved.iter().cloned().collect();
        for t in &targets {
            dirty.extend(self.referrers_of(t).cloned());
        }

        // Components.
        let mut before_components: HashMap<String, Option<Component>> = HashMap::new();
        let mut owners_touched: HashSet<String> = HashSet::new();
        let mut contributors: BTreeSet<String> = BTreeSet::new();
        for k in &dirty {
            let now = cx
                .by_key
                .get(k)
                .copied()
                .filter(|&i| cx.roles[i].is_component());
            let old = self.remove_component(k);
            if let Some(c) = &old {
                owners_touched.insert(c.owner.clone());
            }
            if old.is_some() || now.is_some() {
                before_components.insert(k.clone(), old);
                contributors.insert(k.clone());
            }
            if let Some(i) = now {
                let c = map::component(&mut cx, i, &self.mapping);
                owners_touched.insert(c.owner.clone());
                self.add_component(k.clone(), c);
                self.remapped += 1;
            }
        }
        // A team that came or went changes who counts as a consumer.
        for id in &teams_changed {
            if let Some(keys) = self.owned.get(id) {
                contributors.extend(keys.iter().cloned());
            }
        }
        // Consumers: of everything a changed contributor relies on, of the
        // providers of the APIs it consumes, and of its subcomponents.
        let mut consumers_dirty: BTreeSet<String> = before_components.keys().cloned().collect();
        for y in &contributors {
            let mut refs: Vec<String> = Vec::new();
            if changed_keys.contains(y) {
                refs.extend(their_targets.iter().cloned());
            }
            if let Some(&i) = cx.by_key.get(y) {
                refs.extend(reference_keys(cx.entities[i]));
            }
            for t in refs {
                if t.starts_with("api:") {
                    consumers_dirty.extend(self.referrers_of(&t).cloned());
                }
                consumers_dirty.insert(t);
            }
            consumers_dirty.extend(self.referrers_of(y).cloned());
        }
        let team_ids: HashSet<&str> = team_key.keys().map(String::as_str).collect();
        let mut links: HashMap<usize, map::Links> = HashMap::new();
        for k in &consumers_dirty {
            let Some(&x) = cx.by_key.get(k).filter(|&&i| cx.roles[i].is_component()) else {
                continue;
            };
            let own = links_of(&mut links, &mut cx, x);
            let provides = own.provides.clone();
            let part_of = own.part_of;
            let mut candidates: BTreeSet<&String> = self.referrers_of(k).collect();
            for &a in &provides {
                candidates.extend(self.referrers_of(&cx.keys[a]));
            }
            let mut teams: Vec<String> = Vec::new();
            for y in candidates {
                let Some(&yi) = cx.by_key.get(y).filter(|&&i| cx.roles[i].is_component()) else {
                    continue;
                };
                let uses = links_of(&mut links, &mut cx, yi).uses.clone();
                if uses
                    .iter()
                    .any(|&t| t == x || (cx.roles[t] == Role::Api && provides.contains(&t)))
                {
                    teams.extend(self.owner_team(&cx, yi, &team_ids));
                }
            }
            if let Some(p) = part_of {
                teams.extend(self.owner_team(&cx, p, &team_ids));
            }
            let Some(c) = self.components.get(k) else {
                continue;
            };
            teams.retain(|t| *t != c.owner);
            teams.sort();
            teams.dedup();
            if teams != c.consumers {
                let old = c.clone();
                before_components.entry(k.clone()).or_insert(Some(old));
                if let Some(c) = self.components.get_mut(k) {
                    c.consumers = teams;
                }
            }
        }

        // Teams: the changed Groups, those whose parent, members or owned
        // components changed.
        let mut teams_dirty: BTreeSet<String> = dirty
            .iter()
            .chain(&parent_changed)
            .chain(their_targets.iter())
            .filter(|k| k.starts_with("group:"))
            .cloned()
            .collect();
        for owner in &owners_touched {
            if let Some(k) = team_key.get(owner.as_str()) {
                teams_dirty.insert(k.clone());
            }
        }
        let mut before_teams: HashMap<String, Option<Team>> = HashMap::new();
        for g in &teams_dirty {
            let old = self.teams.remove(g);
            let now = cx
                .by_key
                .get(g)
                .copied()
                .filter(|&i| cx.roles[i] == Role::Group);
            if old.is_some() || now.is_some() {
                before_teams.insert(g.clone(), old);
            }
            let Some(i) = now else { continue };
            let mut candidates: Vec<usize> = self
                .referrers_of(g)
                .filter_map(|r| cx.by_key.get(r).copied())
                .filter(|&u| cx.roles[u] == Role::User)
                .collect();
            candidates.push(i);
            candidates.sort_unstable();
            candidates.dedup();
            let members = map::collect_members(&mut cx, &candidates)
                .remove(&i)
                .unwrap_or_default();
            let mut team = map::team(&cx, i, &self.mapping, &parents, members);
            let own = map::pager_values(cx.entities[i]).into_iter().collect();
            let mut values: map::PagerValues = BTreeMap::new();
            for ck in self.owned.get(&team.id).into_iter().flatten() {
                let Some(&ci) = cx.by_key.get(ck) else {
                    continue;
                };
                for (system, value) in map::pager_values(cx.entities[ci]) {
                    values
                        .entry(system)
                        .or_default()
                        .entry(value)
                        .or_default()
                        .push(ck.clone());
                }
            }
            team.oncall = map::choose_pager(&team, own, values).0;
            self.teams.insert(g.clone(), team);
            self.remapped += 1;
        }

        // The changes, from the versions of what was touched.
        let layers_before = self.layers_from(&before_components);
        let mut now_side = Entities::default();
        let mut before_side = Entities::default();
        for (k, old) in &before_components {
            if let Some(c) = old {
                before_side.components.insert(c.id.as_str(), c);
            }
            if let Some(c) = self.components.get(k) {
                now_side.components.insert(c.id.as_str(), c);
            }
        }
        for (k, old) in &before_teams {
            if let Some(t) = old {
                before_side.teams.insert(t.id.as_str(), t);
            }
            if let Some(t) = self.teams.get(k) {
                now_side.teams.insert(t.id.as_str(), t);
            }
        }
        let layers_now = self.layers();
        for l in &layers_before {
            before_side.layers.insert(l.id.as_str(), l);
        }
        for l in &layers_now {
            now_side.layers.insert(l.id.as_str(), l);
        }
        let changes = diff_entities(&now_side, &before_side);

        // Keep this version's facts for the next step.
        for k in &moved {
            match cx.by_key.get(k).and_then(|i| cx.ids.get(i)) {
                Some(id) => {
                    self.ids.insert(k.clone(), id.clone());
                }
                None => {
                    self.ids.remove(k);
                }
            }
        }
        self.parents = new_parents;
        self.duplicate_ids = cx.duplicate_ids;
        drop(cx);
        self.files = files.clone();
        changes
    }

    /// The layers as they were before this step's component changes.
    fn layers_from(&self, before: &HashMap<String, Option<Component>>) -> Vec<Layer> {
        let mut counts = self.layer_counts.clone();
        for (k, old) in before {
            if let Some(l) = self.components.get(k).and_then(|c| c.layer.as_ref())
                && let Some(n) = counts.get_mut(l)
            {
                *n -= 1;
                if *n == 0 {
                    counts.remove(l);
                }
            }
            if let Some(l) = old.as_ref().and_then(|c| c.layer.as_ref()) {
                *counts.entry(l.clone()).or_default() += 1;
            }
        }
        let mut ids: Vec<String> = STANDARD_LAYERS.iter().map(|s| s.to_string()).collect();
        for l in counts.keys() {
            if !ids.contains(l) {
                ids.push(l.clone());
            }
        }
        ids.into_iter().map(map::layer).collect()
    }

    /// The owner of component entity `i` when it is a team (a consumer).
    fn owner_team(&self, cx: &Cx, i: usize, team_ids: &HashSet<&str>) -> Option<String> {
        let c = self.components.get(&cx.keys[i])?;
        team_ids.contains(c.owner.as_str()).then(|| c.owner.clone())
    }
}

fn links_of<'m>(
    cache: &'m mut HashMap<usize, map::Links>,
    cx: &mut Cx,
    i: usize,
) -> &'m map::Links {
    cache.entry(i).or_insert_with(|| map::links(cx, i))
}
