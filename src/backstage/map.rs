//! The mapping from catalog entities to demarc's model (docs/backstage.md
//! has the table). Groups become teams; Components, Resources and APIs
//! become components; Systems and Domains become components tagged
//! `backstage:system` / `backstage:domain`, so they are shown and
//! searchable with their owners. What a catalog gets wrong is a finding
//! with file and line; everything else loads.

use super::entity::{CatalogFile, Entity, Field, is_backstage_api};
use super::refs::{DEFAULT_NAMESPACE, EntityRef, key};
use super::settings::{Mapping, TierRule};
use crate::model::{
    Component, Diagnostic, Layer, Location, Model, OnCall, STANDARD_LAYERS, Settings, Subject,
    SubjectKind, Team,
};
use foldhash::{HashMap, HashMapExt, HashSet};
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

/// What the catalog's kinds are to demarc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Role {
    Group,
    User,
    /// Component, Resource, API, System, Domain, in the order that claims
    /// a shared name first.
    Component,
    Resource,
    Api,
    System,
    Domain,
    Location,
    #[default]
    Unknown,
}

impl Role {
    pub fn of(entity: &Entity) -> Role {
        if !is_backstage_api(&entity.api_version) {
            return Role::Unknown;
        }
        match entity.kind_lower().as_str() {
            "group" => Role::Group,
            "user" => Role::User,
            "component" => Role::Component,
            "resource" => Role::Resource,
            "api" => Role::Api,
            "system" => Role::System,
            "domain" => Role::Domain,
            "location" => Role::Location,
            _ => Role::Unknown,
        }
    }

    pub fn is_component(self) -> bool {
        matches!(
            self,
            Role::Component | Role::Resource | Role::Api | Role::System | Role::Domain
        )
    }

    /// The tag that says which kind a mapped component came from.
    pub fn tag(self) -> &'static str {
        match self {
            Role::Component => "backstage:component",
            Role::Resource => "backstage:resource",
            Role::Api => "backstage:api",
            Role::System => "backstage:system",
            Role::Domain => "backstage:domain",
            Role::Group => "backstage:group",
            Role::User => "backstage:user",
            Role::Location => "backstage:location",
            Role::Unknown => "backstage:unknown",
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Role::Resource => "resource",
            Role::Api => "api",
            Role::System => "system",
            Role::Domain => "domain",
            _ => "component",
        }
    }
}

/// The model a catalog maps to, and what the mapping found.
#[derive(Debug, Clone, Default)]
pub struct Mapped {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    /// Entities read, by kind as written (lowercase), for import's report.
    pub kinds: BTreeMap<String, usize>,
}

/// A demarc id for an entity: its name, or `namespace/name` outside the
/// default namespace (Backstage's own spelling).
pub fn ident(entity: &Entity) -> String {
    if entity.namespace.eq_ignore_ascii_case(DEFAULT_NAMESPACE) {
        entity.name.clone()
    } else {
        format!("{}/{}", entity.namespace, entity.name)
    }
}

struct Cx<'a> {
    entities: Vec<&'a Entity>,
    roles: Vec<Role>,
    /// Kept entities (first of duplicates) by their case-insensitive key.
    by_key: HashMap<&'a str, usize>,
    kept: Vec<bool>,
    /// Entity index -> demarc id (teams and components).
    ids: Vec<Option<Cow<'a, str>>>,
    diagnostics: Vec<Diagnostic>,
}

enum Resolved {
    Found(usize),
    Missing(EntityRef),
    Invalid,
}

impl<'a> Cx<'a> {
    /// The id of a kept team or component.
    fn id(&self, i: usize) -> &str {
        self.ids[i]
            .as_deref()
            .expect("every kept team and component has an id")
    }

    fn resolve(&self, field: &Field, default_kind: Option<&str>, from: &Entity) -> Resolved {
        // Parsed when the file was read: a lookup, unless it is missing.
        if let Some(prepared) = &field.prepared
            && prepared.default_kind == default_kind
            && let Some(k) = &prepared.key
            && let Some(&i) = self.by_key.get(k.as_str())
        {
            return Resolved::Found(i);
        }
        let Some(r) = EntityRef::parse(&field.text, default_kind, &from.namespace) else {
            return Resolved::Invalid;
        };
        if r.has_kind() {
            return match self.by_key.get(r.key().as_str()) {
                Some(&i) => Resolved::Found(i),
                None => Resolved::Missing(r),
            };
        }
        // `dependsOn` without a kind: Backstage wants one; accept what it
        // can only mean, a Component or a Resource.
        for kind in ["component", "resource"] {
            if let Some(&i) = self.by_key.get(key(kind, &r.namespace, &r.name).as_str()) {
                return Resolved::Found(i);
            }
        }
        Resolved::Missing(r)
    }

    fn warn(&mut self, code: &'static str, location: &Location, message: String) {
        self.diagnostics
            .push(Diagnostic::warning(code, location.clone(), message));
    }

    /// Resolves a reference, reporting one that is not in the catalog or
    /// not of an accepted role. Returns the entity found.
    fn reference(
        &mut self,
        field: &Field,
        default_kind: Option<&str>,
        accepted: &[Role],
        from: &Entity,
        what: &str,
    ) -> Option<usize> {
        match self.resolve(field, default_kind, from) {
            Resolved::Found(i) if accepted.contains(&self.roles[i]) => Some(i),
            Resolved::Found(i) => {
                let message = format!(
                    "{} `{}`: {what} `{}` is a {}, not a {}",
                    from.kind,
                    ident(from),
                    field.text,
                    self.entities[i].kind,
                    accepted
                        .iter()
                        .map(|r| r.suffix())
                        .collect::<Vec<_>>()
                        .join(" or ")
                );
                self.warn(
                    "dangling_reference",
                    &field.location(&from.location.file),
                    message,
                );
                None
            }
            Resolved::Missing(r) => {
                let message = format!(
                    "{} `{}`: {what} `{}` names {r}, which is not in the catalog",
                    from.kind,
                    ident(from),
                    field.text
                );
                self.warn(
                    "dangling_reference",
                    &field.location(&from.location.file),
                    message,
                );
                None
            }
            Resolved::Invalid => {
                let message = format!(
                    "{} `{}`: {what} `{}` is not an entity reference ([kind:][namespace/]name)",
                    from.kind,
                    ident(from),
                    field.text
                );
                self.warn(
                    "dangling_reference",
                    &field.location(&from.location.file),
                    message,
                );
                None
            }
        }
    }
}

/// What a component gets from the rest of the catalog: everything else
/// comes from its own entity and the settings (`ComponentParts::build`).
/// History compares these per id between versions and builds whole
/// components only where they differ (see `backstage::history`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentParts {
    /// The entity's position in `Resolution::entities`.
    pub entity: usize,
    pub role: Role,
    pub id: String,
    pub owner: String,
    /// `system:…` and `domain:…`, appended to the entity's own tags.
    pub links: Vec<String>,
    pub consumers: Vec<String>,
}

/// A catalog mapped except for building its components: the teams whole,
/// the components as parts (in entity order), and every finding, in the
/// order `map` reports them.
pub struct Resolution<'a> {
    pub entities: Vec<&'a Entity>,
    /// For each entity, the file it came from (its position in the files
    /// as given to `resolve`) and its position in that file.
    pub origins: Vec<(usize, usize)>,
    pub components: Vec<ComponentParts>,
    /// Sorted by id, pagers set.
    pub teams: Vec<Team>,
    pub diagnostics: Vec<Diagnostic>,
    /// For each entity: kept (the first of its key, of a kind demarc
    /// maps) and its id (teams and components). History keeps these to
    /// step to a version whose entities sit in the same places.
    pub kept: Vec<bool>,
    pub ids: Vec<Option<String>>,
    /// (consumed entity, entity whose owner consumes it), from
    /// `dependsOn`, `consumesApis` (with the API's providers) and
    /// `subcomponentOf`; a pair counts when that owner is a team.
    pub contributions: Vec<(usize, usize)>,
}

/// Maps the catalog's files (any order) with the settings of demarc.toml.
pub fn map(files: &[&CatalogFile], mapping: &Mapping) -> Mapped {
    let resolution = resolve(files, mapping);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for e in &resolution.entities {
        *kinds.entry(e.kind_key.clone()).or_default() += 1;
    }
    let mut model = Model {
        settings: settings(mapping),
        ..Model::default()
    };
    model.components = build_all(&resolution, mapping);
    model.layers = layers(&model.components);
    model.teams = resolution.teams;
    model.reindex();
    Mapped {
        model,
        diagnostics: resolution.diagnostics,
        kinds,
    }
}

/// `map`'s model and findings, for files that are the caller's to spend:
/// each component takes its entity's strings instead of copies of them
/// (at 20,000 entities, copying them was most of building the
/// components, and freeing the copies' originals after). The same model
/// as `map`'s; the entities are left without the fields taken.
pub fn map_owned(files: &mut [&mut CatalogFile], mapping: &Mapping) -> (Model, Vec<Diagnostic>) {
    let (parts, origins, teams, diagnostics) = {
        let shared: Vec<&CatalogFile> = files.iter().map(|f| &**f).collect();
        let r = resolve(&shared, mapping);
        let origins: Vec<(usize, usize)> =
            r.components.iter().map(|p| r.origins[p.entity]).collect();
        (r.components, origins, r.teams, r.diagnostics)
    };
    // Each component's entity, taken out of its file once.
    let mut slots: Vec<Vec<Option<&mut Entity>>> = files
        .iter_mut()
        .map(|f| f.entities.iter_mut().map(Some).collect())
        .collect();
    let work: Vec<(ComponentParts, &mut Entity)> = parts
        .into_iter()
        .zip(origins)
        .map(|(p, (n, at))| {
            let e = slots[n][at]
                .take()
                .expect("one component per entity, each entity once");
            (p, e)
        })
        .collect();
    let mut model = Model {
        settings: settings(mapping),
        ..Model::default()
    };
    model.components = build_owned_all(work, mapping);
    model.layers = layers(&model.components);
    model.teams = teams;
    model.reindex();
    (model, diagnostics)
}

/// `build_all` for `map_owned`.
fn build_owned_all(work: Vec<(ComponentParts, &mut Entity)>, mapping: &Mapping) -> Vec<Component> {
    let build = |part: Vec<(ComponentParts, &mut Entity)>| -> Vec<Component> {
        part.into_iter()
            .map(|(p, e)| p.build_owned(e, mapping))
            .collect()
    };
    let Some(chunk) = build_chunk(work.len()) else {
        return build(work);
    };
    let mut parts: Vec<Vec<(ComponentParts, &mut Entity)>> = Vec::new();
    let mut rest = work.into_iter();
    loop {
        let part: Vec<_> = rest.by_ref().take(chunk).collect();
        if part.is_empty() {
            break;
        }
        parts.push(part);
    }
    build_beside(parts, build)
}

/// How many of `len` components each thread builds; None when building
/// them on one thread is better (few of them, or one core).
fn build_chunk(len: usize) -> Option<usize> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    (len >= PARALLEL_BUILD_FROM && threads >= 2).then(|| len.div_ceil(threads))
}

/// Builds each part on a thread of its own (the first here, the others
/// beside it) and joins the outputs in the parts' order, so the result is
/// what one thread building them in turn gives; a worker's panic goes on
/// here.
fn build_beside<P: Send, T: Send>(
    parts: impl IntoIterator<Item = P>,
    build: impl Fn(P) -> Vec<T> + Sync,
) -> Vec<T> {
    let build = &build;
    std::thread::scope(|scope| {
        let mut parts = parts.into_iter();
        let first = parts.next();
        let workers: Vec<_> = parts.map(|part| scope.spawn(move || build(part))).collect();
        let mut out = first.map(build).unwrap_or_default();
        for w in workers {
            out.extend(
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        out
    })
}

/// Components from which building them is spread over the cores.
const PARALLEL_BUILD_FROM: usize = 4_000;

/// The resolution's components built, in order; a large catalog's on
/// every core (each component is built from its own entity and parts
/// alone, and at 20,000 entities building them was half of `map`).
fn build_all(resolution: &Resolution, mapping: &Mapping) -> Vec<Component> {
    let build = |parts: &[ComponentParts]| -> Vec<Component> {
        parts
            .iter()
            .map(|p| p.build(resolution.entities[p.entity], mapping))
            .collect()
    };
    let all = &resolution.components;
    let Some(chunk) = build_chunk(all.len()) else {
        return build(all);
    };
    build_beside(all.chunks(chunk), build)
}

/// The model's settings for a catalog.
pub fn settings(mapping: &Mapping) -> Settings {
    Settings {
        schema: crate::model::SCHEMA_VERSION,
        org: match &mapping.org {
            Some(org) => format!("{org} · Backstage catalog"),
            None => "Backstage catalog".to_string(),
        },
        review_every_days: mapping.review_every_days,
        backstage: true,
        ..Settings::default()
    }
}

/// Resolves the catalog's references and names: everything `map` does but
/// building the components.
pub fn resolve<'a>(files: &[&'a CatalogFile], mapping: &Mapping) -> Resolution<'a> {
    let mut sorted: Vec<(usize, &CatalogFile)> = files.iter().copied().enumerate().collect();
    sorted.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    let mut entities: Vec<&Entity> = Vec::new();
    let mut origins = Vec::new();
    for (n, f) in &sorted {
        for (at, e) in f.entities.iter().enumerate() {
            entities.push(e);
            origins.push((*n, at));
        }
    }
    let roles: Vec<Role> = entities.iter().map(|e| e.role).collect();
    let mut cx = Cx {
        kept: vec![true; entities.len()],
        ids: vec![None; entities.len()],
        entities,
        roles,
        by_key: HashMap::new(),
        diagnostics: Vec::new(),
    };
    index(&mut cx);
    assign_ids(&mut cx);
    let parents = group_tree(&mut cx);
    let mut teams = teams(&mut cx, mapping, &parents);
    let mut components = components(&mut cx);
    let contributions = consumers(&mut cx, &teams, &mut components);
    let findings = pagers(&cx, &components, &mut teams);
    cx.diagnostics.extend(findings);
    teams.sort_by(|a, b| a.id.cmp(&b.id));
    let ids = cx
        .ids
        .iter()
        .map(|id| id.as_deref().map(str::to_string))
        .collect();
    Resolution {
        entities: cx.entities,
        origins,
        components,
        teams,
        diagnostics: cx.diagnostics,
        kept: cx.kept,
        ids,
        contributions,
    }
}

/// A resolved catalog's names seen from another version whose entities
/// sit in the same places with the same keys, kinds and ids (only their
/// other fields differ): what `resolve` would give one of its components,
/// without resolving the rest again. Used by history's step.
pub struct View<'a> {
    cx: Cx<'a>,
}

impl<'a> View<'a> {
    /// `kept` and `ids` as `resolve` gave them for the same places.
    pub fn new(entities: Vec<&'a Entity>, kept: Vec<bool>, ids: &'a [Option<String>]) -> View<'a> {
        let mut by_key = HashMap::with_capacity(entities.len());
        for (i, e) in entities.iter().enumerate() {
            if kept[i] {
                by_key.insert(e.key.as_str(), i);
            }
        }
        let cx = Cx {
            roles: entities.iter().map(|e| e.role).collect(),
            ids: ids
                .iter()
                .map(|id| id.as_deref().map(Cow::Borrowed))
                .collect(),
            entities,
            kept,
            by_key,
            diagnostics: Vec::new(),
        };
        View { cx }
    }

    pub fn entities(&self) -> &[&'a Entity] {
        &self.cx.entities
    }

    /// The parts of the kept component at `i`, its consumers not yet set.
    pub fn parts(&mut self, i: usize) -> ComponentParts {
        let parts = parts_of(&mut self.cx, i);
        self.cx.diagnostics.clear();
        parts
    }
}

/// Indexes entities by key; reports duplicates, names that differ only in
/// case or namespace, Location entities and kinds demarc does not map.
fn index(cx: &mut Cx) {
    // The first entity of each kind and name, and the others after it
    // (in other namespaces) by that first one.
    let mut by_name: HashMap<(&str, &str), usize> = HashMap::with_capacity(cx.entities.len());
    let mut alike: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    cx.by_key.reserve(cx.entities.len());
    for i in 0..cx.entities.len() {
        let e = cx.entities[i];
        let k = e.key.as_str();
        match cx.roles[i] {
            Role::Location => {
                let message = format!(
                    "Location `{}` points at other catalog files ({}); demarc reads the YAML files in this folder and does not follow Locations",
                    ident(e),
                    if e.targets.is_empty() {
                        "no targets".to_string()
                    } else {
                        e.targets.join(", ")
                    }
                );
                cx.warn("location_entity", &e.location, message);
                cx.kept[i] = false;
                continue;
            }
            Role::Unknown => {
                let message = format!(
                    "an entity of kind `{}` ({}) has no counterpart in demarc; skipped",
                    e.kind, e.api_version
                );
                cx.warn("unknown_entity_kind", &e.location, message);
                cx.kept[i] = false;
                continue;
            }
            _ => {}
        }
        if let Some(&first) = cx.by_key.get(k) {
            let f = cx.entities[first];
            let (code, how) = if f.name == e.name && f.namespace == e.namespace {
                ("duplicate_entity", "is declared again")
            } else {
                (
                    "near_duplicate",
                    "differs only in case from another entity, which Backstage treats as the same",
                )
            };
            let message = format!(
                "{} `{}` {how} (first at {}); the first is kept",
                e.kind,
                ident(e),
                f.location
            );
            cx.warn(code, &e.location, message);
            cx.kept[i] = false;
            continue;
        }
        cx.by_key.insert(k, i);
        match by_name.entry((e.kind_key.as_str(), e.name_key.as_str())) {
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
            Entry::Occupied(first) => alike.entry(*first.get()).or_default().push(i),
        }
    }
    for (first, others) in alike {
        let first = cx.entities[first];
        for &i in &others {
            let e = cx.entities[i];
            let message = format!(
                "{} `{}` has the same name as `{}` (at {}) in another namespace; a reference without a namespace means the referring entity's own",
                e.kind,
                ident(e),
                ident(first),
                first.location
            );
            cx.warn("near_duplicate", &e.location, message);
        }
    }
}

/// Teams take their names as ids; components too, except that a name
/// already taken (an API named like a Component) gets its kind appended.
fn assign_ids(cx: &mut Cx) {
    let mut taken: HashMap<Cow<str>, usize> = HashMap::with_capacity(cx.entities.len());
    let mut order: Vec<usize> = (0..cx.entities.len())
        .filter(|&i| cx.kept[i] && cx.roles[i].is_component())
        .collect();
    order.sort_by_key(|&i| (cx.roles[i], i));
    for i in order {
        let e = cx.entities[i];
        let base = e.ident.as_str();
        let id = match taken.get(e.ident_key.as_str()) {
            None => {
                taken.insert(Cow::Borrowed(e.ident_key.as_str()), i);
                cx.ids[i] = Some(Cow::Borrowed(base));
                continue;
            }
            Some(&other) => {
                let id = format!("{base}-{}", cx.roles[i].suffix());
                let o = cx.entities[other];
                let message = format!(
                    "{} `{}` has the same name as {} `{}` (at {}); demarc shows it as `{id}`",
                    e.kind,
                    base,
                    o.kind,
                    ident(o),
                    o.location
                );
                cx.warn("same_name", &e.location, message);
                id
            }
        };
        taken.insert(Cow::Owned(id.to_lowercase()), i);
        cx.ids[i] = Some(Cow::Owned(id));
    }
    for i in 0..cx.entities.len() {
        if cx.kept[i] && cx.roles[i] == Role::Group {
            cx.ids[i] = Some(Cow::Borrowed(cx.entities[i].ident.as_str()));
        }
    }
}

/// Each group's parent: its own `spec.parent`, else the group that lists
/// it among its `children`. Contradictions and cycles are findings.
fn group_tree(cx: &mut Cx) -> HashMap<usize, usize> {
    let groups: Vec<usize> = (0..cx.entities.len())
        .filter(|&i| cx.kept[i] && cx.roles[i] == Role::Group)
        .collect();
    let mut parent_of: HashMap<usize, usize> = HashMap::new();
    for &g in &groups {
        let e = cx.entities[g];
        if let Some(field) = &e.parent
            && let Some(p) = cx.reference(field, Some("group"), &[Role::Group], e, "parent")
        {
            parent_of.insert(g, p);
        }
    }
    for &g in &groups {
        let e = cx.entities[g];
        for field in &e.children {
            let Some(c) = cx.reference(field, Some("group"), &[Role::Group], e, "child") else {
                continue;
            };
            match parent_of.get(&c) {
                Some(&p) if p != g => {
                    let child = cx.entities[c];
                    let message = format!(
                        "Group `{}` lists `{}` among its children, but `{}` names `{}` as its parent",
                        ident(e),
                        ident(child),
                        ident(child),
                        ident(cx.entities[p])
                    );
                    cx.warn("group_tree", &field.location(&e.location.file), message);
                }
                Some(_) => {}
                None => {
                    parent_of.insert(c, g);
                }
            }
        }
    }
    // A cycle would send "part of" round for ever: report it once, cut it.
    for &g in &groups {
        let mut seen = BTreeSet::new();
        let mut at = g;
        while let Some(&p) = parent_of.get(&at) {
            if !seen.insert(at) {
                break;
            }
            if p == g {
                let e = cx.entities[g];
                let message = format!(
                    "Group `{}` is its own ancestor (the parent/children tree has a cycle); its parent is left out",
                    ident(e)
                );
                cx.warn("group_tree", &e.location, message);
                parent_of.remove(&g);
                break;
            }
            at = p;
        }
    }
    parent_of
}

fn teams(cx: &mut Cx, mapping: &Mapping, parents: &HashMap<usize, usize>) -> Vec<Team> {
    let mut members: HashMap<usize, Vec<String>> = HashMap::new();
    let label = |u: &Entity| u.display_name.clone().unwrap_or_else(|| u.name.clone());
    for i in 0..cx.entities.len() {
        if !cx.kept[i] {
            continue;
        }
        let e = cx.entities[i];
        match cx.roles[i] {
            Role::User => {
                for field in &e.member_of {
                    if let Some(g) =
                        cx.reference(field, Some("group"), &[Role::Group], e, "memberOf")
                    {
                        members.entry(g).or_default().push(label(e));
                    }
                }
            }
            Role::Group => {
                for field in &e.members {
                    if let Some(u) = cx.reference(field, Some("user"), &[Role::User], e, "member") {
                        members.entry(i).or_default().push(label(cx.entities[u]));
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for i in 0..cx.entities.len() {
        if !cx.kept[i] || cx.roles[i] != Role::Group {
            continue;
        }
        let e = cx.entities[i];
        let id = cx.id(i).to_string();
        let kind = mapping
            .team_kinds
            .get(&id.to_lowercase())
            .or_else(|| {
                e.spec_type
                    .as_ref()
                    .and_then(|t| mapping.team_kind.get(&t.to_lowercase()))
            })
            .cloned()
            .unwrap_or_else(|| "other".to_string());
        let mut description = e.description.clone().unwrap_or_default();
        if let Some(&p) = parents.get(&i) {
            if !description.is_empty() {
                description.push(' ');
            }
            description.push_str(&format!("(part of `{}`)", cx.id(p)));
        }
        let mut list = members.remove(&i).unwrap_or_default();
        let mut seen = BTreeSet::new();
        list.retain(|m| seen.insert(m.clone()));
        out.push(Team {
            id,
            name: e
                .display_name
                .clone()
                .or_else(|| e.title.clone())
                .unwrap_or_else(|| e.name.clone()),
            kind,
            description: (!description.is_empty()).then_some(description),
            lead: None,
            members: list,
            channel: e.email.clone(),
            oncall: None,
            // CODEOWNERS handles and code paths have no catalog field.
            codeowners: Vec::new(),
            location: e.location.clone(),
        });
    }
    out
}

/// The digits of a tier value: `1`, `tier-1`, `Tier 1`.
fn tier_number(text: &str) -> Option<u8> {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

fn tier(e: &Entity, rule: &TierRule) -> Option<u8> {
    match rule {
        TierRule::Annotation(key) => e.annotation(key).and_then(tier_number),
        TierRule::Tag(prefix) => e
            .tags
            .iter()
            .find_map(|t| t.strip_prefix(prefix.as_str()))
            .and_then(tier_number),
    }
}

fn components(cx: &mut Cx) -> Vec<ComponentParts> {
    let mut out = Vec::with_capacity(cx.entities.len());
    for i in 0..cx.entities.len() {
        if !cx.kept[i] || !cx.roles[i].is_component() {
            continue;
        }
        out.push(parts_of(cx, i));
    }
    out
}

/// A kept component's owner, id and links (consumers come later).
fn parts_of(cx: &mut Cx, i: usize) -> ComponentParts {
    let e = cx.entities[i];
    let role = cx.roles[i];
    let id = cx.id(i).to_string();
    let owner = match &e.owner {
        None => {
            cx.diagnostics.push(
                Diagnostic::error(
                    "missing_owner",
                    e.location.clone(),
                    format!("{} `{}` has no `spec.owner`", e.kind, ident(e)),
                )
                .about(Subject::new(SubjectKind::Component, &id)),
            );
            String::new()
        }
        Some(field) => owner(cx, field, e, &id),
    };
    let mut links = Vec::new();
    if let Some(field) = &e.system
        && let Some(s) = cx.reference(field, Some("system"), &[Role::System], e, "system")
    {
        links.push(format!("system:{}", cx.id(s)));
        let system = cx.entities[s];
        if let Some(d) =
            system
                .domain
                .as_ref()
                .and_then(|f| match cx.resolve(f, Some("domain"), system) {
                    Resolved::Found(d) => Some(d),
                    _ => None,
                })
            && cx.roles[d] == Role::Domain
        {
            links.push(format!("domain:{}", cx.id(d)));
        }
    }
    if let Some(field) = &e.domain
        && let Some(d) = cx.reference(field, Some("domain"), &[Role::Domain], e, "domain")
    {
        links.push(format!("domain:{}", cx.id(d)));
    }
    ComponentParts {
        entity: i,
        role,
        id,
        owner,
        links,
        consumers: Vec::new(),
    }
}

impl ComponentParts {
    /// `build`, taking the entity's strings rather than copying them
    /// (the entity is spent: `map_owned`).
    pub fn build_owned(self, e: &mut Entity, mapping: &Mapping) -> Component {
        let role = self.role;
        // What reads the entity's tags and links, before they are taken.
        let layer = layer_of(e, role, mapping).cloned();
        let tier = tier(e, &mapping.tier);
        let runbook = e
            .links
            .iter_mut()
            .find(|(label, _)| label.to_lowercase().contains("runbook"))
            .map(|(_, url)| std::mem::take(url));
        let mut tags = std::mem::take(&mut e.tags);
        tags.reserve(3 + self.links.len());
        tags.push(role.tag().to_string());
        if let Some(t) = &e.spec_type {
            tags.push(format!("type:{t}"));
        }
        if let Some(l) = &e.lifecycle {
            tags.push(format!("lifecycle:{l}"));
        }
        tags.extend(self.links);
        Component {
            id: self.id,
            name: e
                .title
                .take()
                .unwrap_or_else(|| std::mem::take(&mut e.name)),
            layer,
            pillar: None,
            owner: self.owner,
            tier,
            consumers: self.consumers,
            runbook,
            tags,
            reviewed: None,
            duties: Vec::new(),
            paths: Vec::new(),
            path_locations: Vec::new(),
            repo: None,
            location: std::mem::take(&mut e.location),
        }
    }

    /// The component: its entity's own fields, the settings' tier and
    /// layer, and these parts.
    pub fn build(&self, e: &Entity, mapping: &Mapping) -> Component {
        let role = self.role;
        let mut tags = e.tags.clone();
        tags.push(role.tag().to_string());
        if let Some(t) = &e.spec_type {
            tags.push(format!("type:{t}"));
        }
        if let Some(l) = &e.lifecycle {
            tags.push(format!("lifecycle:{l}"));
        }
        tags.extend(self.links.iter().cloned());
        let runbook = e
            .links
            .iter()
            .find(|(label, _)| label.to_lowercase().contains("runbook"))
            .map(|(_, url)| url.clone());
        Component {
            id: self.id.clone(),
            name: e.title.clone().unwrap_or_else(|| e.name.clone()),
            layer: layer_of(e, role, mapping).cloned(),
            pillar: None,
            owner: self.owner.clone(),
            tier: tier(e, &mapping.tier),
            consumers: self.consumers.clone(),
            runbook,
            tags,
            reviewed: None,
            duties: Vec::new(),
            paths: Vec::new(),
            path_locations: Vec::new(),
            repo: None,
            location: e.location.clone(),
        }
    }
}

/// A component's layer: by its `spec.type` through the settings; Systems
/// and Domains have none.
pub fn layer_of<'m>(e: &Entity, role: Role, mapping: &'m Mapping) -> Option<&'m String> {
    match role {
        Role::System | Role::Domain => None,
        _ => e.type_key.as_ref().and_then(|t| mapping.layers.get(t)),
    }
}

/// The owner as a team id; a User or a reference to nothing is a finding
/// (and the owner is shown as written, never guessed).
fn owner(cx: &mut Cx, field: &Field, e: &Entity, id: &str) -> String {
    let subject = &Subject::new(SubjectKind::Component, id);
    let found = cx.resolve(field, Some("group"), e);
    let user_note = "demarc maps owners to teams (Groups) only";
    match found {
        Resolved::Found(i) if cx.roles[i] == Role::Group => cx.id(i).to_string(),
        Resolved::Found(i) => {
            let target = cx.entities[i];
            cx.diagnostics.push(
                Diagnostic::warning(
                    "owner_is_user",
                    field.location(&e.location.file),
                    format!(
                        "{} `{}` is owned by {} `{}`, not a Group; {user_note}",
                        e.kind,
                        ident(e),
                        target.kind,
                        ident(target)
                    ),
                )
                .about(subject.clone()),
            );
            format!("{}:{}", target.kind.to_lowercase(), ident(target))
        }
        Resolved::Missing(r) => {
            let user = cx
                .by_key
                .get(key("user", &r.namespace, &r.name).as_str())
                .copied()
                .filter(|_| !field.text.contains(':'));
            let diagnostic = match user {
                Some(u) => Diagnostic::warning(
                    "owner_is_user",
                    field.location(&e.location.file),
                    format!(
                        "{} `{}`: owner `{}` reads as {r}, which does not exist, but User `{}` does (write `user:{}` if it is meant); {user_note}",
                        e.kind,
                        ident(e),
                        field.text,
                        ident(cx.entities[u]),
                        field.text
                    ),
                ),
                None => Diagnostic::error(
                    "dangling_reference",
                    field.location(&e.location.file),
                    format!(
                        "{} `{}`: owner `{}` names {r}, which is not in the catalog",
                        e.kind,
                        ident(e),
                        field.text
                    ),
                ),
            };
            cx.diagnostics.push(diagnostic.about(subject.clone()));
            match user {
                Some(u) => format!("user:{}", ident(cx.entities[u])),
                None => field.text.clone(),
            }
        }
        Resolved::Invalid => {
            cx.diagnostics.push(
                Diagnostic::error(
                    "dangling_reference",
                    field.location(&e.location.file),
                    format!(
                        "{} `{}`: owner `{}` is not an entity reference",
                        e.kind,
                        ident(e),
                        field.text
                    ),
                )
                .about(subject.clone()),
            );
            field.text.clone()
        }
    }
}

/// Consumers are the teams whose entities rely on a component: through
/// `dependsOn`, through `consumesApis` (the API and the components that
/// provide it), and a parent component's owner for its subcomponents.
fn consumers(
    cx: &mut Cx,
    teams: &[Team],
    components: &mut [ComponentParts],
) -> Vec<(usize, usize)> {
    // An entity's component is the last one with its id (ids repeat only
    // when a suffixed name meets a written one).
    let position: Vec<Option<usize>> = {
        let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(components.len());
        for (p, c) in components.iter().enumerate() {
            by_id.insert(c.id.as_str(), p);
        }
        cx.ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let id = id.as_deref().filter(|_| cx.roles[i].is_component())?;
                by_id.get(id).copied()
            })
            .collect()
    };
    let team_ids: HashSet<&str> = teams.iter().map(|t| t.id.as_str()).collect();
    // The position of the component whose owner (a team) consumes: the
    // owner is read, and copied only when it is a new consumer.
    let owner_team = |components: &[ComponentParts], i: usize| -> Option<usize> {
        let p = position[i]?;
        team_ids.contains(components[p].owner.as_str()).then_some(p)
    };
    let mut providers: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut edges: Vec<(usize, usize)> = Vec::new(); // (consumer entity, consumed entity)
    let mut sub_edges: Vec<(usize, usize)> = Vec::new(); // (subcomponent, parent)
    for i in 0..cx.entities.len() {
        if !cx.kept[i] || !cx.roles[i].is_component() {
            continue;
        }
        let e = cx.entities[i];
        for field in &e.provides_apis {
            if let Some(a) = cx.reference(field, Some("api"), &[Role::Api], e, "providesApis") {
                providers.entry(a).or_default().push(i);
            }
        }
        for field in &e.depends_on {
            if let Some(t) = cx.reference(
                field,
                None,
                &[Role::Component, Role::Resource],
                e,
                "dependsOn",
            ) {
                edges.push((i, t));
            }
        }
        for field in &e.consumes_apis {
            if let Some(a) = cx.reference(field, Some("api"), &[Role::Api], e, "consumesApis") {
                edges.push((i, a));
            }
        }
        if let Some(field) = &e.subcomponent_of
            && let Some(p) = cx.reference(
                field,
                Some("component"),
                &[Role::Component],
                e,
                "subcomponentOf",
            )
        {
            sub_edges.push((i, p));
        }
    }
    // (consumed entity, entity whose owner consumes it)
    let mut contributions: Vec<(usize, usize)> = Vec::new();
    for (from, to) in edges {
        contributions.push((to, from));
        if cx.roles[to] == Role::Api {
            for &p in providers.get(&to).map(Vec::as_slice).unwrap_or(&[]) {
                contributions.push((p, from));
            }
        }
    }
    for (sub, parent) in sub_edges {
        contributions.push((sub, parent));
    }
    for &(target, source) in &contributions {
        let Some(by) = owner_team(components, source) else {
            continue;
        };
        let Some(p) = position[target] else {
            continue;
        };
        let team = &components[by].owner;
        let c = &components[p];
        if c.owner != *team && !c.consumers.contains(team) {
            let team = team.clone();
            components[p].consumers.push(team);
        }
    }
    for c in components.iter_mut() {
        c.consumers.sort();
    }
    contributions
}

/// The pager values an entity's annotations give, by paging system.
pub fn pager_values(e: &Entity) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(id) = e.annotation("pagerduty.com/service-id") {
        out.push(("pagerduty", format!("pagerduty:{id}")));
    } else if let Some(key) = e.annotation("pagerduty.com/integration-key") {
        out.push(("pagerduty", format!("pagerduty-integration:{key}")));
    }
    if let Some(team) = e.annotation("opsgenie.com/team") {
        out.push(("opsgenie", format!("opsgenie:{team}")));
    }
    out.retain(|(_, v)| !v.ends_with(':'));
    out
}

/// A team's pager: the Group's own annotation, else what its components'
/// annotations agree on. Components that disagree are a finding and no
/// pager is guessed for that paging system.
fn pagers(cx: &Cx, components: &[ComponentParts], teams: &mut [Team]) -> Vec<Diagnostic> {
    // `Model::component`: the first component with an id.
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(components.len());
    for (p, c) in components.iter().enumerate() {
        first.entry(c.id.as_str()).or_insert(p);
    }
    let mut by_team: HashMap<&str, BTreeMap<&'static str, BTreeMap<String, Vec<&str>>>> =
        HashMap::new();
    let mut own: HashMap<&str, BTreeMap<&'static str, String>> = HashMap::new();
    for i in 0..cx.entities.len() {
        if !cx.kept[i] {
            continue;
        }
        let e = cx.entities[i];
        let Some(id) = cx.ids[i].as_ref() else {
            continue;
        };
        match cx.roles[i] {
            Role::Group => {
                own.insert(id.as_ref(), pager_values(e).into_iter().collect());
            }
            r if r.is_component() => {
                let Some(c) = first.get(id.as_ref()).map(|&p| &components[p]) else {
                    continue;
                };
                for (system, value) in pager_values(e) {
                    by_team
                        .entry(c.owner.as_str())
                        .or_default()
                        .entry(system)
                        .or_default()
                        .entry(value)
                        .or_default()
                        .push(id.as_ref());
                }
            }
            _ => {}
        }
    }
    let mut findings = Vec::new();
    for team in teams.iter_mut() {
        let own = own.remove(team.id.as_str()).unwrap_or_default();
        let votes = by_team.remove(team.id.as_str()).unwrap_or_default();
        team.oncall = decide_pager(team, own, votes, &mut findings);
    }
    findings
}

/// Which pager a team gets from its Group's own annotations (`own`) and
/// its components' (`votes`: by paging system, each value with the ids
/// that say it); disagreements go to `findings`.
pub fn decide_pager(
    team: &Team,
    own: BTreeMap<&'static str, String>,
    votes: BTreeMap<&'static str, BTreeMap<String, Vec<&str>>>,
    findings: &mut Vec<Diagnostic>,
) -> Option<OnCall> {
    let mut chosen = own;
    for (system, values) in votes {
        let own_value = chosen.get(system).cloned();
        let agree = match &own_value {
            Some(v) => values.len() == 1 && values.contains_key(v),
            None => values.len() == 1,
        };
        if agree {
            if let Some((v, _)) = values.into_iter().next() {
                chosen.insert(system, v);
            }
            continue;
        }
        let mut said: Vec<String> = values
            .iter()
            .map(|(v, ids)| {
                let verb = if ids.len() == 1 { "says" } else { "say" };
                format!("{} {verb} `{v}`", ids.join(", "))
            })
            .collect();
        if let Some(v) = &own_value {
            said.insert(0, format!("the Group says `{v}`"));
        }
        findings.push(
            Diagnostic::warning(
                "pager_disagrees",
                team.location.clone(),
                format!(
                    "team `{}`: its {system} annotations disagree ({}); {}",
                    team.id,
                    said.join("; "),
                    if own_value.is_some() {
                        "the Group's own is used"
                    } else {
                        "no pager is taken from them"
                    }
                ),
            )
            .about(Subject::new(SubjectKind::Team, &team.id)),
        );
    }
    (!chosen.is_empty()).then(|| OnCall {
        rotation: None,
        pager: Some(chosen.into_values().collect::<Vec<_>>().join(", ")),
        hours: None,
        escalation: Vec::new(),
    })
}

/// The four standard layers (names only: a catalog has no layer
/// responsibility matrix), then any other layer the mapping assigns.
pub fn layers(components: &[Component]) -> Vec<Layer> {
    layers_named(components.iter().map(|c| c.layer.as_deref()))
}

/// The layers for components' layer ids, in component order.
pub fn layers_named<'a>(named: impl IntoIterator<Item = Option<&'a str>>) -> Vec<Layer> {
    let mut ids: Vec<String> = STANDARD_LAYERS.iter().map(|s| s.to_string()).collect();
    for l in named.into_iter().flatten() {
        if !ids.iter().any(|id| id == l) {
            ids.push(l.to_string());
        }
    }
    ids.into_iter()
        .map(|id| Layer {
            name: layer_name(&id),
            scope: None,
            roles: Vec::new(),
            location: Location::file("demarc.toml"),
            id,
        })
        .collect()
}

pub fn layer_name(id: &str) -> String {
    let mut name = id.replace('-', " ");
    if let Some(first) = name.get(..1) {
        name = first.to_uppercase() + &name[1..];
    }
    name
}
