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
use std::ops::Range;

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
    /// Whether any component's id was given its kind as a suffix: only
    /// then can two components share an id (see `assign_ids`).
    suffixed: bool,
}

/// A warning found by the mapping.
fn warn(out: &mut Vec<Diagnostic>, code: &'static str, location: &Location, message: String) {
    out.push(Diagnostic::warning(code, location.clone(), message));
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

    /// Resolves a reference, reporting one that is not in the catalog or
    /// not of an accepted role. Returns the entity found.
    fn reference(
        &self,
        out: &mut Vec<Diagnostic>,
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
                warn(
                    out,
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
                warn(
                    out,
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
                warn(
                    out,
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
    let resolution = resolve_with(files, mapping, None, false);
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
        let r = resolve_with(&shared, mapping, None, false);
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
    resolve_with(files, mapping, None, true)
}

/// `resolve` with the per-entity passes cut into `parts` contiguous runs of
/// entities, each on a thread of its own (one part: all in turn on this
/// thread). The result, findings' order included, is the same for any
/// number of parts; tests hold them to it.
#[doc(hidden)]
pub fn resolve_in_parts<'a>(
    files: &[&'a CatalogFile],
    mapping: &Mapping,
    parts: usize,
) -> Resolution<'a> {
    resolve_with(files, mapping, Some(parts.max(1)), true)
}

/// How many parts the per-entity passes over `n` entities are cut into:
/// one per core for a large catalog (as its components are built).
fn resolve_parts(n: usize) -> usize {
    build_chunk(n).map_or(1, |chunk| n.div_ceil(chunk))
}

/// `resolve`; `parts` as `resolve_in_parts` (None: `resolve_parts`), and
/// `Resolution::ids` left empty unless `keep_ids` (only history reads
/// them; copying 20,000 of them was a millisecond of every load).
fn resolve_with<'a>(
    files: &[&'a CatalogFile],
    mapping: &Mapping,
    parts: Option<usize>,
    keep_ids: bool,
) -> Resolution<'a> {
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
    let parts = parts.unwrap_or_else(|| resolve_parts(entities.len()));
    let mut cx = Cx {
        kept: vec![true; entities.len()],
        ids: vec![None; entities.len()],
        entities,
        roles,
        by_key: HashMap::new(),
        suffixed: false,
    };
    // The findings in the order of the passes, and within a pass in
    // entity order (the passes over parts join theirs in part order).
    let mut diagnostics = Vec::new();
    let out = &mut diagnostics;
    index(&mut cx, out);
    assign_ids(&mut cx, out);
    let parents = group_tree(&cx, out);
    let mut teams = teams(&cx, mapping, &parents, out);
    let mut components = components(&cx, parts, out);
    let own = own_components(&cx, &components);
    let contributions = consumers(&cx, &teams, &mut components, &own, parts, out);
    let findings = pagers(&cx, &components, &own, &mut teams);
    diagnostics.extend(findings);
    teams.sort_by(|a, b| a.id.cmp(&b.id));
    let ids = if keep_ids {
        cx.ids
            .iter()
            .map(|id| id.as_deref().map(str::to_string))
            .collect()
    } else {
        Vec::new()
    };
    Resolution {
        entities: cx.entities,
        origins,
        components,
        teams,
        diagnostics,
        kept: cx.kept,
        ids,
        contributions,
    }
}

/// Runs `pass` over `parts` contiguous runs of the entities `0..n`, each
/// on a thread of its own (`build_beside`), and gives their results in
/// the runs' order.
fn over_parts<T: Send>(n: usize, parts: usize, pass: impl Fn(Range<usize>) -> T + Sync) -> Vec<T> {
    if parts <= 1 {
        return vec![pass(0..n)];
    }
    let size = n.div_ceil(parts).max(1);
    let runs = (0..n)
        .step_by(size)
        .map(|start| start..(start + size).min(n));
    build_beside(runs, |run| vec![pass(run)])
}

/// For each entity, the position of the component with its id: the
/// first (what `Model::component` finds, and pagers go by) and the last
/// (what consumers go by); None for entities that are no kept component.
struct Own {
    first: Vec<Option<usize>>,
    last: Vec<Option<usize>>,
}

fn own_components(cx: &Cx, components: &[ComponentParts]) -> Own {
    let n = cx.entities.len();
    if !cx.suffixed {
        // No id was suffixed, so no two components share one: each
        // entity's component is its own (no map of 20,000 ids to build).
        let mut own = vec![None; n];
        for (p, c) in components.iter().enumerate() {
            own[c.entity] = Some(p);
        }
        return Own {
            first: own.clone(),
            last: own,
        };
    }
    let mut by_id: HashMap<&str, (usize, usize)> = HashMap::with_capacity(components.len());
    for (p, c) in components.iter().enumerate() {
        by_id
            .entry(c.id.as_str())
            .and_modify(|(_, last)| *last = p)
            .or_insert((p, p));
    }
    let mut first = vec![None; n];
    let mut last = vec![None; n];
    for i in 0..n {
        let Some(id) = cx.ids[i].as_deref().filter(|_| cx.roles[i].is_component()) else {
            continue;
        };
        if let Some(&(f, l)) = by_id.get(id) {
            first[i] = Some(f);
            last[i] = Some(l);
        }
    }
    Own { first, last }
}

/// A resolved catalog's names seen from another version whose entities
/// sit in the same places with the same keys, kinds and ids (only their
/// other fields differ): what `resolve` would give one of its components,
/// without resolving the rest again. Used by history's step.
pub struct View<'a> {
    cx: Cx<'a>,
    /// The findings of `parts`, dropped (the step reports none).
    scratch: Vec<Diagnostic>,
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
            suffixed: true,
        };
        View {
            cx,
            scratch: Vec::new(),
        }
    }

    pub fn entities(&self) -> &[&'a Entity] {
        &self.cx.entities
    }

    /// The parts of the kept component at `i`, its consumers not yet set.
    pub fn parts(&mut self, i: usize) -> ComponentParts {
        let parts = parts_of(&self.cx, i, &mut self.scratch);
        self.scratch.clear();
        parts
    }
}

/// Indexes entities by key; reports duplicates, names that differ only in
/// case or namespace, Location entities and kinds demarc does not map.
fn index(cx: &mut Cx, out: &mut Vec<Diagnostic>) {
    // The first entity of each kind and name, and the others after it
    // (in other namespaces) by that first one. When every entity is in the
    // same namespace (as written), two with the same kind and name have
    // the same key, so the second is a duplicate: no names to keep.
    let one_namespace = cx
        .entities
        .windows(2)
        .all(|w| w[0].namespace == w[1].namespace);
    let mut by_name: HashMap<(&str, &str), usize> = if one_namespace {
        HashMap::new()
    } else {
        HashMap::with_capacity(cx.entities.len())
    };
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
                warn(out, "location_entity", &e.location, message);
                cx.kept[i] = false;
                continue;
            }
            Role::Unknown => {
                let message = format!(
                    "an entity of kind `{}` ({}) has no counterpart in demarc; skipped",
                    e.kind, e.api_version
                );
                warn(out, "unknown_entity_kind", &e.location, message);
                cx.kept[i] = false;
                continue;
            }
            _ => {}
        }
        let first = match cx.by_key.entry(k) {
            Entry::Vacant(slot) => {
                slot.insert(i);
                None
            }
            Entry::Occupied(first) => Some(*first.get()),
        };
        if let Some(first) = first {
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
            warn(out, code, &e.location, message);
            cx.kept[i] = false;
            continue;
        }
        if one_namespace {
            continue;
        }
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
            warn(out, "near_duplicate", &e.location, message);
        }
    }
}

/// Teams take their names as ids; components too, except that a name
/// already taken (an API named like a Component) gets its kind appended.
fn assign_ids(cx: &mut Cx, out: &mut Vec<Diagnostic>) {
    let mut taken: HashMap<Cow<str>, usize> = HashMap::with_capacity(cx.entities.len());
    let mut order: Vec<usize> = (0..cx.entities.len())
        .filter(|&i| cx.kept[i] && cx.roles[i].is_component())
        .collect();
    // Stable: by role, then in entity order.
    order.sort_by_key(|&i| cx.roles[i]);
    for i in order {
        let e = cx.entities[i];
        let base = e.ident.as_str();
        let id = match taken.entry(Cow::Borrowed(e.ident_key.as_str())) {
            Entry::Vacant(slot) => {
                slot.insert(i);
                cx.ids[i] = Some(Cow::Borrowed(base));
                continue;
            }
            Entry::Occupied(other) => {
                let other = *other.get();
                cx.suffixed = true;
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
                warn(out, "same_name", &e.location, message);
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
fn group_tree(cx: &Cx, out: &mut Vec<Diagnostic>) -> HashMap<usize, usize> {
    let groups: Vec<usize> = (0..cx.entities.len())
        .filter(|&i| cx.kept[i] && cx.roles[i] == Role::Group)
        .collect();
    let mut parent_of: HashMap<usize, usize> = HashMap::new();
    for &g in &groups {
        let e = cx.entities[g];
        if let Some(field) = &e.parent
            && let Some(p) = cx.reference(out, field, Some("group"), &[Role::Group], e, "parent")
        {
            parent_of.insert(g, p);
        }
    }
    for &g in &groups {
        let e = cx.entities[g];
        for field in &e.children {
            let Some(c) = cx.reference(out, field, Some("group"), &[Role::Group], e, "child")
            else {
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
                    warn(
                        out,
                        "group_tree",
                        &field.location(&e.location.file),
                        message,
                    );
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
                warn(out, "group_tree", &e.location, message);
                parent_of.remove(&g);
                break;
            }
            at = p;
        }
    }
    parent_of
}

fn teams(
    cx: &Cx,
    mapping: &Mapping,
    parents: &HashMap<usize, usize>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Team> {
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
                        cx.reference(out, field, Some("group"), &[Role::Group], e, "memberOf")
                    {
                        members.entry(g).or_default().push(label(e));
                    }
                }
            }
            Role::Group => {
                for field in &e.members {
                    if let Some(u) =
                        cx.reference(out, field, Some("user"), &[Role::User], e, "member")
                    {
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

/// The kept components' parts in entity order, over `parts` runs of
/// entities at once (each part's findings in its own list, joined in order).
fn components(cx: &Cx, parts: usize, out: &mut Vec<Diagnostic>) -> Vec<ComponentParts> {
    let runs = over_parts(cx.entities.len(), parts, |run| {
        let mut found = Vec::new();
        let list: Vec<ComponentParts> = run
            .filter(|&i| cx.kept[i] && cx.roles[i].is_component())
            .map(|i| parts_of(cx, i, &mut found))
            .collect();
        (list, found)
    });
    let mut all = Vec::with_capacity(runs.iter().map(|(list, _)| list.len()).sum());
    for (list, found) in runs {
        all.extend(list);
        out.extend(found);
    }
    all
}

/// A kept component's owner, id and links (consumers come later).
fn parts_of(cx: &Cx, i: usize, out: &mut Vec<Diagnostic>) -> ComponentParts {
    let e = cx.entities[i];
    let role = cx.roles[i];
    let id = cx.id(i).to_string();
    let owner = match &e.owner {
        None => {
            out.push(
                Diagnostic::error(
                    "missing_owner",
                    e.location.clone(),
                    format!("{} `{}` has no `spec.owner`", e.kind, ident(e)),
                )
                .about(Subject::new(SubjectKind::Component, &id)),
            );
            String::new()
        }
        Some(field) => owner(cx, field, e, &id, out),
    };
    let mut links = Vec::new();
    if let Some(field) = &e.system
        && let Some(s) = cx.reference(out, field, Some("system"), &[Role::System], e, "system")
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
        && let Some(d) = cx.reference(out, field, Some("domain"), &[Role::Domain], e, "domain")
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
fn owner(cx: &Cx, field: &Field, e: &Entity, id: &str, out: &mut Vec<Diagnostic>) -> String {
    let subject = &Subject::new(SubjectKind::Component, id);
    let found = cx.resolve(field, Some("group"), e);
    let user_note = "demarc maps owners to teams (Groups) only";
    match found {
        Resolved::Found(i) if cx.roles[i] == Role::Group => cx.id(i).to_string(),
        Resolved::Found(i) => {
            let target = cx.entities[i];
            out.push(
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
            out.push(diagnostic.about(subject.clone()));
            match user {
                Some(u) => format!("user:{}", ident(cx.entities[u])),
                None => field.text.clone(),
            }
        }
        Resolved::Invalid => {
            out.push(
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
    cx: &Cx,
    teams: &[Team],
    components: &mut [ComponentParts],
    own: &Own,
    parts: usize,
    out: &mut Vec<Diagnostic>,
) -> Vec<(usize, usize)> {
    // An entity's component is the last one with its id (ids repeat only
    // when a suffixed name meets a written one).
    let position = &own.last;
    let team_ids: HashSet<&str> = teams.iter().map(|t| t.id.as_str()).collect();
    // The position of the component whose owner (a team) consumes: the
    // owner is read, and copied only when it is a new consumer.
    let owner_team = |components: &[ComponentParts], i: usize| -> Option<usize> {
        let p = position[i]?;
        team_ids.contains(components[p].owner.as_str()).then_some(p)
    };
    // The references, looked up over runs of entities at once; what each
    // run found is then taken in entity order, as one pass would.
    let runs = over_parts(cx.entities.len(), parts, |run| {
        let mut found = References::default();
        for i in run {
            if cx.kept[i] && cx.roles[i].is_component() {
                references_of(cx, i, &mut found);
            }
        }
        found
    });
    let mut providers: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut edges: Vec<(usize, usize)> = Vec::new(); // (consumer entity, consumed entity)
    let mut sub_edges: Vec<(usize, usize)> = Vec::new(); // (subcomponent, parent)
    for run in runs {
        for (a, i) in run.provides {
            providers.entry(a).or_default().push(i);
        }
        edges.extend(run.edges);
        sub_edges.extend(run.sub_edges);
        out.extend(run.found);
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

/// What a run of component entities refers to, in entity order.
#[derive(Default)]
struct References {
    /// (API, providing entity)
    provides: Vec<(usize, usize)>,
    /// (consumer entity, consumed entity)
    edges: Vec<(usize, usize)>,
    /// (subcomponent, parent)
    sub_edges: Vec<(usize, usize)>,
    found: Vec<Diagnostic>,
}

/// The kept component `i`'s `providesApis`, `dependsOn`, `consumesApis`
/// and `subcomponentOf`, resolved.
fn references_of(cx: &Cx, i: usize, to: &mut References) {
    let e = cx.entities[i];
    let out = &mut to.found;
    for field in &e.provides_apis {
        if let Some(a) = cx.reference(out, field, Some("api"), &[Role::Api], e, "providesApis") {
            to.provides.push((a, i));
        }
    }
    for field in &e.depends_on {
        if let Some(t) = cx.reference(
            out,
            field,
            None,
            &[Role::Component, Role::Resource],
            e,
            "dependsOn",
        ) {
            to.edges.push((i, t));
        }
    }
    for field in &e.consumes_apis {
        if let Some(a) = cx.reference(out, field, Some("api"), &[Role::Api], e, "consumesApis") {
            to.edges.push((i, a));
        }
    }
    if let Some(field) = &e.subcomponent_of
        && let Some(p) = cx.reference(
            out,
            field,
            Some("component"),
            &[Role::Component],
            e,
            "subcomponentOf",
        )
    {
        to.sub_edges.push((i, p));
    }
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
fn pagers(
    cx: &Cx,
    components: &[ComponentParts],
    positions: &Own,
    teams: &mut [Team],
) -> Vec<Diagnostic> {
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
                // `Model::component`: the first component with an id.
                let Some(c) = positions.first[i].map(|p| &components[p]) else {
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
