//! The semantic diff between two versions of the ownership model.
//!
//! Everything is matched by id through hash maps (linear in the size of the
//! model), so a component moved from one file to another is no change at all,
//! and only what the format calls a boundary changes is reported: names,
//! descriptions, tags, runbooks and `reviewed` dates are not boundaries.

use super::change::{Change, ChangeKind, Value};
use super::words::{DutyDelta, diff_duties, normalize};
use crate::model::parse::FileContent;
use crate::model::{
    Component, Layer, Matrix, Model, OnCall, ParsedFile, Pillar, Scenario, Subject, SubjectKind,
    Team,
};
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

/// One version of the model seen as maps from id to entity. Built from a
/// whole `Model` or from a few parsed files (history diffs only the files
/// that changed). When an id is declared twice, the first declaration (in
/// path order) wins, as `Model::component` does.
#[derive(Default)]
pub struct Entities<'a> {
    pub components: HashMap<&'a str, &'a Component>,
    pub teams: HashMap<&'a str, &'a Team>,
    pub layers: HashMap<&'a str, &'a Layer>,
    pub pillars: HashMap<&'a str, &'a Pillar>,
    pub scenarios: HashMap<&'a str, &'a Scenario>,
    pub matrices: HashMap<&'a str, &'a Matrix>,
}

fn add<'a, T>(map: &mut HashMap<&'a str, &'a T>, id: &'a str, item: &'a T) {
    if !id.is_empty() {
        map.entry(id).or_insert(item);
    }
}

impl<'a> Entities<'a> {
    pub fn of_model(model: &'a Model) -> Entities<'a> {
        let mut e = Entities::default();
        model
            .components
            .iter()
            .for_each(|c| add(&mut e.components, &c.id, c));
        model.teams.iter().for_each(|t| add(&mut e.teams, &t.id, t));
        model
            .layers
            .iter()
            .for_each(|l| add(&mut e.layers, &l.id, l));
        model
            .pillars
            .iter()
            .for_each(|p| add(&mut e.pillars, &p.id, p));
        model
            .scenarios
            .iter()
            .for_each(|s| add(&mut e.scenarios, &s.id, s));
        model
            .matrices
            .iter()
            .for_each(|m| add(&mut e.matrices, &m.id, m));
        e
    }

    /// The entities of some parsed files; pass them sorted by path.
    pub fn of_files(files: impl IntoIterator<Item = &'a ParsedFile>) -> Entities<'a> {
        let mut e = Entities::default();
        for file in files {
            e.add_file(file);
        }
        e
    }

    /// Adds a file's entities (first declarations win).
    fn add_file(&mut self, file: &'a ParsedFile) {
        let e = self;
        match &file.content {
            Some(FileContent::Components(list)) => {
                list.iter().for_each(|c| add(&mut e.components, &c.id, c))
            }
            Some(FileContent::Team(t)) => add(&mut e.teams, &t.id, t),
            Some(FileContent::Layers(list)) => {
                list.iter().for_each(|l| add(&mut e.layers, &l.id, l))
            }
            Some(FileContent::Pillars(list)) => {
                list.iter().for_each(|p| add(&mut e.pillars, &p.id, p))
            }
            Some(FileContent::Scenarios(list)) => {
                list.iter().for_each(|s| add(&mut e.scenarios, &s.id, s))
            }
            Some(FileContent::Matrix(m)) => add(&mut e.matrices, &m.id, m),
            Some(FileContent::Settings(_)) | None => {}
        }
    }
}

/// The boundary changes between two lists of parsed parts (each in path
/// order), exactly `diff_entities` of their `Entities::of_files`, without
/// looking at the components of parts both lists share: history's table
/// parts are shared between versions (see `tables.rs`), so a commit that
/// edits one component of a 150-component file compares one, not 150.
///
/// Why it is exact: when the shared parts come in the same order in both
/// lists, an id that only shared parts declare has the same first
/// declaration on both sides (the same component), so it cannot change;
/// every other id (declared in a part only one side has) is compared with
/// its first declaration on each side, shared parts included. Otherwise
/// (shared parts in another order) everything is compared.
pub fn diff_parts(older: &[&Arc<ParsedFile>], newer: &[&Arc<ParsedFile>]) -> Vec<Change> {
    diff_parts_aliased(older, newer, &Aliases::default())
}

/// Parts known to mean the same apart from their review dates (a table
/// re-dated by a review, and the table it was re-dated from): `diff_parts`
/// may treat each such pair as one shared part, since a review date is no
/// boundary and two components that differ only there make no change.
#[derive(Default)]
pub struct Aliases {
    /// A part's address -> the address of the part it was re-dated from.
    from: HashMap<usize, usize>,
}

impl Aliases {
    /// `newer` is `older` with other review dates (and nothing else).
    pub fn add(&mut self, redated: &Arc<ParsedFile>, from: &Arc<ParsedFile>) {
        let (a, b) = (Arc::as_ptr(redated) as usize, Arc::as_ptr(from) as usize);
        if a != b {
            self.from.insert(a, b);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.from.is_empty()
    }

    /// The address that stands for `part` and every part it was re-dated
    /// from, however many reviews apart.
    fn root(&self, part: usize) -> usize {
        let mut at = part;
        // Bounded: a chain is never longer than the map (nor loops).
        for _ in 0..=self.from.len() {
            match self.from.get(&at) {
                Some(&older) => at = older,
                None => return at,
            }
        }
        part
    }
}

/// `diff_parts`, with the pairs in `aliases` counted as shared parts.
pub fn diff_parts_aliased(
    older: &[&Arc<ParsedFile>],
    newer: &[&Arc<ParsedFile>],
    aliases: &Aliases,
) -> Vec<Change> {
    let whole = || {
        diff_entities(
            &Entities::of_files(older.iter().map(|p| p.as_ref())),
            &Entities::of_files(newer.iter().map(|p| p.as_ref())),
        )
    };
    let key = |p: &&Arc<ParsedFile>| aliases.root(Arc::as_ptr(p) as usize);
    let sorted = |parts: &[&Arc<ParsedFile>]| {
        let mut v: Vec<usize> = parts.iter().map(key).collect();
        v.sort_unstable();
        Pointers(v)
    };
    let (in_old, in_new) = (sorted(older), sorted(newer));
    let shared_old = older.iter().map(key).filter(|p| in_new.has(*p));
    let shared_new = newer.iter().map(key).filter(|p| in_old.has(*p));
    if !shared_old.eq(shared_new) {
        return whole();
    }
    let mut ids: Vec<&str> = Vec::new();
    let unshared = older
        .iter()
        .filter(|p| !in_new.has(key(p)))
        .chain(newer.iter().filter(|p| !in_old.has(key(p))));
    for part in unshared {
        if let Some(FileContent::Components(list)) = &part.content {
            ids.extend(list.iter().map(|c| c.id.as_str()));
        }
    }
    ids.sort_unstable();
    ids.dedup();
    let a = shared_trimmed(older, &in_new, &ids, &key);
    let b = shared_trimmed(newer, &in_old, &ids, &key);
    diff_entities(&a, &b)
}

/// The addresses of some parts, sorted: which parts a list has.
struct Pointers(Vec<usize>);

impl Pointers {
    fn has(&self, p: usize) -> bool {
        self.0.binary_search(&p).is_ok()
    }
}

/// The entities of `parts`, leaving out the components of parts `other`
/// has too unless their id is in `ids` (see `diff_parts`).
fn shared_trimmed<'a>(
    parts: &[&'a Arc<ParsedFile>],
    other: &Pointers,
    ids: &[&str],
    key: &impl Fn(&&Arc<ParsedFile>) -> usize,
) -> Entities<'a> {
    let mut e = Entities::default();
    for part in parts {
        match &part.content {
            Some(FileContent::Components(list)) if other.has(key(part)) => list
                .iter()
                .filter(|c| ids.binary_search(&c.id.as_str()).is_ok())
                .for_each(|c| add(&mut e.components, &c.id, c)),
            _ => e.add_file(part),
        }
    }
    e
}

/// The boundary changes from `old` to `new`.
pub fn diff_models(old: &Model, new: &Model) -> Vec<Change> {
    diff_entities(&Entities::of_model(old), &Entities::of_model(new))
}

/// The boundary changes from `old` to `new`, grouped by subject type
/// (components, teams, layers, pillars, scenarios, matrices), ids sorted.
pub fn diff_entities(old: &Entities, new: &Entities) -> Vec<Change> {
    let mut out = Vec::new();
    for (id, a, b) in pair_up(&old.components, &new.components) {
        components(id, a, b, &mut out);
    }
    for (id, a, b) in pair_up(&old.teams, &new.teams) {
        teams(id, a, b, &mut out);
    }
    for (id, a, b) in pair_up(&old.layers, &new.layers) {
        layers(id, a, b, &mut out);
    }
    for (id, a, b) in pair_up(&old.pillars, &new.pillars) {
        pillars(id, a, b, &mut out);
    }
    for (id, a, b) in pair_up(&old.scenarios, &new.scenarios) {
        scenarios(id, a, b, &mut out);
    }
    for (id, a, b) in pair_up(&old.matrices, &new.matrices) {
        matrices(id, a, b, &mut out);
    }
    out
}

/// Every id of either side with its two versions, sorted by id, skipping
/// the ones that are equal (the common case, checked first and cheaply).
fn pair_up<'a, T: PartialEq>(
    old: &HashMap<&'a str, &'a T>,
    new: &HashMap<&'a str, &'a T>,
) -> Vec<(&'a str, Option<&'a T>, Option<&'a T>)> {
    let mut out: Vec<(&str, Option<&T>, Option<&T>)> = Vec::new();
    for (id, b) in new {
        let a = old.get(id).copied();
        // The same component (a table both versions share) needs no look.
        if a.is_some_and(|a| std::ptr::eq(a, *b)) {
            continue;
        }
        if a != Some(*b) {
            out.push((id, a, Some(*b)));
        }
    }
    for (id, a) in old {
        if !new.contains_key(id) {
            out.push((id, Some(*a), None));
        }
    }
    out.sort_by(|x, y| x.0.cmp(y.0));
    out
}

fn text(s: &str) -> Option<Value> {
    (!s.is_empty()).then(|| Value::text(s))
}

fn opt(s: &Option<String>) -> Option<Value> {
    s.as_deref().and_then(text)
}

fn list(items: &[String]) -> Option<Value> {
    Some(Value::List(items.to_vec()))
}

fn same_set<T: Eq + Hash>(a: &[T], b: &[T]) -> bool {
    let a: HashSet<&T> = a.iter().collect();
    let b: HashSet<&T> = b.iter().collect();
    a == b
}

fn components(id: &str, old: Option<&Component>, new: Option<&Component>, out: &mut Vec<Change>) {
    let subject = || Subject::new(SubjectKind::Component, id);
    let (a, b) = match (old, new) {
        (None, Some(b)) => {
            out.push(
                Change::new(ChangeKind::ComponentAdded, subject())
                    .from_to(None, text(&b.owner))
                    .owners([b.owner.clone()])
                    .done(),
            );
            return;
        }
        (Some(a), None) => {
            out.push(
                Change::new(ChangeKind::ComponentRemoved, subject())
                    .from_to(text(&a.owner), None)
                    .owners([a.owner.clone()])
                    .done(),
            );
            return;
        }
        (Some(a), Some(b)) => (a, b),
        (None, None) => return,
    };
    let owners = [a.owner.clone(), b.owner.clone()];
    let mut push = |change: Change| out.push(change.owners(owners.clone()).done());
    if a.owner != b.owner {
        push(
            Change::new(ChangeKind::OwnerChanged, subject())
                .from_to(text(&a.owner), text(&b.owner)),
        );
    }
    if a.layer != b.layer {
        push(
            Change::new(ChangeKind::LayerChanged, subject()).from_to(opt(&a.layer), opt(&b.layer)),
        );
    }
    if a.pillar != b.pillar {
        push(
            Change::new(ChangeKind::PillarChanged, subject())
                .from_to(opt(&a.pillar), opt(&b.pillar)),
        );
    }
    if a.tier != b.tier {
        let tier = |t: Option<u8>| t.map(|t| Value::text(t.to_string()));
        push(Change::new(ChangeKind::TierChanged, subject()).from_to(tier(a.tier), tier(b.tier)));
    }
    if !same_set(&a.consumers, &b.consumers) {
        push(
            Change::new(ChangeKind::ConsumersChanged, subject())
                .from_to(list(&a.consumers), list(&b.consumers)),
        );
    }
    if a.duties != b.duties {
        for delta in diff_duties(&a.duties, &b.duties) {
            push(match delta {
                DutyDelta::Moved { word, from, to } => {
                    Change::new(ChangeKind::DutyMoved, subject())
                        .duty(word)
                        .from_to(Some(Value::Text(from)), Some(Value::Text(to)))
                }
                DutyDelta::Added { word, party } => Change::new(ChangeKind::DutyAdded, subject())
                    .duty(word)
                    .from_to(None, Some(Value::text(&party)))
                    .party(party),
                DutyDelta::Removed { word, party } => {
                    Change::new(ChangeKind::DutyRemoved, subject())
                        .duty(word)
                        .from_to(Some(Value::text(&party)), None)
                        .party(party)
                }
            });
        }
    }
}

fn teams(id: &str, old: Option<&Team>, new: Option<&Team>, out: &mut Vec<Change>) {
    let subject = || Subject::new(SubjectKind::Team, id);
    let (a, b) = match (old, new) {
        (None, Some(b)) => {
            out.push(
                Change::new(ChangeKind::TeamAdded, subject())
                    .from_to(None, text(&b.name))
                    .done(),
            );
            return;
        }
        (Some(a), None) => {
            out.push(
                Change::new(ChangeKind::TeamRemoved, subject())
                    .from_to(text(&a.name), None)
                    .done(),
            );
            return;
        }
        (Some(a), Some(b)) => (a, b),
        (None, None) => return,
    };
    let fields: [(&str, Option<Value>, Option<Value>); 4] = [
        ("name", text(&a.name), text(&b.name)),
        ("kind", text(&a.kind), text(&b.kind)),
        ("lead", opt(&a.lead), opt(&b.lead)),
        ("channel", opt(&a.channel), opt(&b.channel)),
    ];
    for (field, from, to) in fields {
        if from != to {
            out.push(
                Change::new(ChangeKind::TeamChanged, subject())
                    .field(field)
                    .from_to(from, to)
                    .done(),
            );
        }
    }
    let none = OnCall::default();
    let (x, y) = (
        a.oncall.as_ref().unwrap_or(&none),
        b.oncall.as_ref().unwrap_or(&none),
    );
    for (field, from, to) in [
        ("rotation", &x.rotation, &y.rotation),
        ("pager", &x.pager, &y.pager),
        ("hours", &x.hours, &y.hours),
    ] {
        if from != to {
            out.push(
                Change::new(ChangeKind::OncallChanged, subject())
                    .field(field)
                    .from_to(opt(from), opt(to))
                    .done(),
            );
        }
    }
    if x.escalation != y.escalation {
        out.push(
            Change::new(ChangeKind::EscalationChanged, subject())
                .from_to(list(&x.escalation), list(&y.escalation))
                .done(),
        );
    }
}

/// Entries of a `party -> value` table, in new order then the removed ones.
fn party_cells<'a, T: PartialEq>(
    old: &'a [(crate::model::Party, T)],
    new: &'a [(crate::model::Party, T)],
) -> Vec<(String, Option<&'a T>, Option<&'a T>)> {
    let find = |cells: &'a [(crate::model::Party, T)], p: &crate::model::Party| {
        cells.iter().find(|(q, _)| q == p).map(|(_, v)| v)
    };
    let mut out = Vec::new();
    for (party, value) in new {
        let before = find(old, party);
        if before != Some(value) {
            out.push((party.to_string(), before, Some(value)));
        }
    }
    for (party, value) in old {
        if find(new, party).is_none() {
            out.push((party.to_string(), Some(value), None));
        }
    }
    out
}

fn layers(id: &str, old: Option<&Layer>, new: Option<&Layer>, out: &mut Vec<Change>) {
    let empty = Vec::new();
    let a = old.map_or(&empty, |l| &l.roles);
    let b = new.map_or(&empty, |l| &l.roles);
    for (party, from, to) in party_cells(a, b) {
        out.push(
            Change::new(
                ChangeKind::LayerRoleChanged,
                Subject::new(SubjectKind::Layer, id),
            )
            .party(party)
            .from_to(from.map(Value::text), to.map(Value::text))
            .done(),
        );
    }
}

fn pillars(id: &str, old: Option<&Pillar>, new: Option<&Pillar>, out: &mut Vec<Change>) {
    let subject = || Subject::new(SubjectKind::Pillar, id);
    let parties =
        |p: Option<&Pillar>| p.map(|p| p.primary.iter().map(|x| x.to_string()).collect::<Vec<_>>());
    let (pa, pb) = (parties(old), parties(new));
    let primary_changed = match (&pa, &pb) {
        (Some(a), Some(b)) => !same_set(a, b),
        (a, b) => {
            a.as_ref().is_some_and(|v| !v.is_empty()) || b.as_ref().is_some_and(|v| !v.is_empty())
        }
    };
    if primary_changed {
        out.push(
            Change::new(ChangeKind::PillarPrimaryChanged, subject())
                .from_to(pa.map(Value::List), pb.map(Value::List))
                .done(),
        );
    }
    let boundary = |p: Option<&Pillar>| p.and_then(|p| opt(&p.boundary));
    let (ba, bb) = (boundary(old), boundary(new));
    if ba != bb {
        out.push(
            Change::new(ChangeKind::PillarBoundaryChanged, subject())
                .from_to(ba, bb)
                .done(),
        );
    }
    let empty = Vec::new();
    let da = old.map_or(&empty, |p| &p.duties);
    let db = new.map_or(&empty, |p| &p.duties);
    for (party, from, to) in party_cells(da, db) {
        let words =
            |v: Option<&Vec<String>>| v.map(|v| v.iter().map(|w| normalize(w)).collect::<Vec<_>>());
        if let (Some(x), Some(y)) = (words(from), words(to))
            && same_set(&x, &y)
        {
            continue; // reordered or re-cased, the same duties
        }
        out.push(
            Change::new(ChangeKind::PillarDutiesChanged, subject())
                .party(party)
                .from_to(
                    from.map(|v| Value::List(v.clone())),
                    to.map(|v| Value::List(v.clone())),
                )
                .done(),
        );
    }
}

fn scenarios(id: &str, old: Option<&Scenario>, new: Option<&Scenario>, out: &mut Vec<Change>) {
    let subject = || Subject::new(SubjectKind::Scenario, id);
    let (a, b) = match (old, new) {
        (None, Some(b)) => {
            out.push(
                Change::new(ChangeKind::ScenarioAdded, subject())
                    .from_to(None, text(&b.title))
                    .done(),
            );
            return;
        }
        (Some(a), None) => {
            out.push(
                Change::new(ChangeKind::ScenarioRemoved, subject())
                    .from_to(text(&a.title), None)
                    .done(),
            );
            return;
        }
        (Some(a), Some(b)) => (a, b),
        (None, None) => return,
    };
    let party = |p: &Option<crate::model::Party>| p.as_ref().map(|p| Value::text(p.to_string()));
    let fields: [(&str, Option<Value>, Option<Value>); 4] = [
        ("title", text(&a.title), text(&b.title)),
        ("first", party(&a.first), party(&b.first)),
        ("escalate", party(&a.escalate), party(&b.escalate)),
        ("resolution", opt(&a.resolution), opt(&b.resolution)),
    ];
    for (field, from, to) in fields {
        if from != to {
            out.push(
                Change::new(ChangeKind::ScenarioChanged, subject())
                    .field(field)
                    .from_to(from, to)
                    .done(),
            );
        }
    }
    if !same_set(&a.components, &b.components) {
        out.push(
            Change::new(ChangeKind::ScenarioChanged, subject())
                .field("components")
                .from_to(list(&a.components), list(&b.components))
                .done(),
        );
    }
}

/// A matrix as cells: (row name, party) -> role; "-" and "" mean no role.
fn cells(m: &Matrix) -> Vec<((&str, String), &str)> {
    let mut out = Vec::new();
    for row in &m.rows {
        for (party, role) in m.parties.iter().zip(&row.roles) {
            let role = role.trim();
            if !role.is_empty() && role != "-" {
                out.push(((row.name.as_str(), party.to_string()), role));
            }
        }
    }
    out
}

fn matrices(id: &str, old: Option<&Matrix>, new: Option<&Matrix>, out: &mut Vec<Change>) {
    let subject = || Subject::new(SubjectKind::Matrix, id);
    let (a, b) = match (old, new) {
        (None, Some(b)) => {
            out.push(
                Change::new(ChangeKind::MatrixChanged, subject())
                    .from_to(None, text(&b.title))
                    .done(),
            );
            return;
        }
        (Some(a), None) => {
            out.push(
                Change::new(ChangeKind::MatrixChanged, subject())
                    .from_to(text(&a.title), None)
                    .done(),
            );
            return;
        }
        (Some(a), Some(b)) => (a, b),
        (None, None) => return,
    };
    if a.title != b.title {
        out.push(
            Change::new(ChangeKind::MatrixChanged, subject())
                .field("title")
                .from_to(text(&a.title), text(&b.title))
                .done(),
        );
    }
    let (ca, cb) = (cells(a), cells(b));
    let before: HashMap<&(&str, String), &str> = ca.iter().map(|(k, v)| (k, *v)).collect();
    let after: HashMap<&(&str, String), &str> = cb.iter().map(|(k, v)| (k, *v)).collect();
    let changed = cb
        .iter()
        .filter(|(k, v)| before.get(k) != Some(v))
        .map(|(k, v)| (k, before.get(k).copied(), Some(*v)))
        .chain(
            ca.iter()
                .filter(|(k, _)| !after.contains_key(k))
                .map(|(k, v)| (k, Some(*v), None)),
        );
    for ((row, party), from, to) in changed {
        out.push(
            Change::new(ChangeKind::MatrixChanged, subject())
                .field(*row)
                .party(party.clone())
                .from_to(from.map(Value::text), to.map(Value::text))
                .done(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_all;

    fn model(files: &[(&str, &str)]) -> Model {
        parse_all(files.iter().map(|(p, t)| (*p, t.as_bytes()))).0
    }

    fn part(id: usize, owner: usize) -> Arc<ParsedFile> {
        let text = format!(
            "[[component]]\nid = \"c{id}\"\nname = \"C\"\nowner = \"t{owner}\"\n\n[[component.duty]]\nparty = \"t{owner}\"\ncovers = [\"run\"]\n"
        );
        Arc::new(crate::model::parse_file(
            "components/a.toml",
            text.as_bytes(),
        ))
    }

    proptest::proptest! {
        /// `diff_parts` is `diff_entities` of all the parts, whatever is
        /// shared, repeated, reordered or declares an id twice.
        #[test]
        fn diffing_only_unshared_parts_is_the_whole_diff(
            pool in proptest::collection::vec((0usize..6, 0usize..3), 1..12),
            old in proptest::collection::vec(0usize..12, 0..10),
            new in proptest::collection::vec(0usize..12, 0..10),
        ) {
            let parts: Vec<Arc<ParsedFile>> = pool.iter().map(|&(id, owner)| part(id, owner)).collect();
            let pick = |picks: &[usize]| -> Vec<&Arc<ParsedFile>> {
                picks.iter().map(|i| &parts[i % parts.len()]).collect()
            };
            let (older, newer) = (pick(&old), pick(&new));
            let whole = diff_entities(
                &Entities::of_files(older.iter().map(|p| p.as_ref())),
                &Entities::of_files(newer.iter().map(|p| p.as_ref())),
            );
            proptest::prop_assert_eq!(diff_parts(&older, &newer), whole);
        }
    }

    fn dated_part(id: usize, owner: usize, date: usize) -> Arc<ParsedFile> {
        let text = format!(
            "[[component]]\nid = \"c{id}\"\nname = \"C\"\nowner = \"t{owner}\"\nreviewed = 2026-0{}-01\n\n[[component.duty]]\nparty = \"t{owner}\"\ncovers = [\"run\"]\n",
            date + 1
        );
        Arc::new(crate::model::parse_file(
            "components/a.toml",
            text.as_bytes(),
        ))
    }

    proptest::proptest! {
        /// With re-dated parts counted as shared (`Aliases`), `diff_parts`
        /// is still `diff_entities` of all the parts.
        #[test]
        fn diffing_with_redated_parts_shared_is_the_whole_diff(
            pool in proptest::collection::vec((0usize..5, 0usize..3, 0usize..3), 1..12),
            old in proptest::collection::vec(0usize..12, 0..10),
            new in proptest::collection::vec(0usize..12, 0..10),
        ) {
            let parts: Vec<Arc<ParsedFile>> =
                pool.iter().map(|&(id, owner, date)| dated_part(id, owner, date)).collect();
            // Each part aliases the first earlier part that differs from it
            // in the review date alone (as a review's re-dating would).
            let mut aliases = Aliases::default();
            for (j, b) in pool.iter().enumerate() {
                if let Some(i) = pool[..j]
                    .iter()
                    .position(|a| a.0 == b.0 && a.1 == b.1 && a.2 != b.2)
                {
                    aliases.add(&parts[j], &parts[i]);
                }
            }
            let pick = |picks: &[usize]| -> Vec<&Arc<ParsedFile>> {
                picks.iter().map(|i| &parts[i % parts.len()]).collect()
            };
            let (older, newer) = (pick(&old), pick(&new));
            let whole = diff_entities(
                &Entities::of_files(older.iter().map(|p| p.as_ref())),
                &Entities::of_files(newer.iter().map(|p| p.as_ref())),
            );
            proptest::prop_assert_eq!(diff_parts_aliased(&older, &newer, &aliases), whole);
        }
    }

    #[test]
    fn a_redated_part_is_shared_not_compared() {
        let (a, b) = (dated_part(1, 1, 0), dated_part(1, 1, 1));
        let mut aliases = Aliases::default();
        aliases.add(&b, &a);
        assert!(!aliases.is_empty());
        assert_eq!(
            aliases.root(Arc::as_ptr(&b) as usize),
            Arc::as_ptr(&a) as usize
        );
        assert!(diff_parts_aliased(&[&b], &[&a], &aliases).is_empty());
    }

    fn summaries(changes: &[Change]) -> Vec<String> {
        changes.iter().map(|c| c.summary()).collect()
    }

    const PG: &str = r#"
[[component]]
id = "postgres"
name = "Postgres"
owner = "platform-data"
layer = "service"
tier = 1
consumers = ["checkout", "search"]
reviewed = 2026-01-01
[[component.duty]]
party = "platform-data"
covers = ["backups", "query optimization"]
[[component.duty]]
party = "@consumers"
covers = ["schema"]
"#;

    #[test]
    fn a_component_moved_to_another_file_is_no_change() {
        let old = model(&[("components/a.toml", PG)]);
        let new = model(&[("components/b.toml", PG)]);
        assert!(diff_models(&old, &new).is_empty());
    }

    #[test]
    fn review_dates_and_names_are_not_boundaries() {
        let old = model(&[("components/a.toml", PG)]);
        let edited = PG
            .replace("2026-01-01", "2026-09-01")
            .replace("\"Postgres\"", "\"PG\"");
        let new = model(&[("components/a.toml", &edited)]);
        assert!(diff_models(&old, &new).is_empty());
    }

    #[test]
    fn component_fields_and_duties() {
        let old = model(&[("components/a.toml", PG)]);
        let edited = PG
            .replace("owner = \"platform-data\"", "owner = \"dba\"")
            .replace("tier = 1", "tier = 2")
            .replace(
                "layer = \"service\"",
                "layer = \"cloud-foundation\"\npillar = \"infrastructure\"",
            )
            .replace("\"checkout\", \"search\"", "\"search\", \"catalog\"")
            .replace("\"backups\", \"query optimization\"", "\"backups\"")
            .replace(
                "covers = [\"schema\"]",
                "covers = [\"schema\", \"query optimization\", \"indexes\"]",
            );
        let new = model(&[("components/a.toml", &edited)]);
        assert_eq!(
            summaries(&diff_models(&old, &new)),
            vec![
                "postgres: owner platform-data -> dba",
                "postgres: layer service -> cloud-foundation",
                "postgres: pillar (none) -> infrastructure",
                "postgres: tier 1 -> 2",
                "postgres: consumers + catalog - checkout",
                "postgres: duty \"query optimization\" platform-data -> @consumers",
                "postgres: duty \"indexes\" added for @consumers",
            ]
        );
    }

    #[test]
    fn teams_layers_pillars_scenarios_matrices() {
        let team = "name = \"Data\"\nkind = \"platform\"\n[oncall]\nrotation = \"r1\"\nhours = \"business\"\nescalation = [\"a\"]\n";
        let layers = "[[layer]]\nid = \"service\"\nname = \"S\"\n[layer.roles]\nplatform-data = \"owns\"\n\"@operations\" = \"informs\"\n";
        let pillars = "[[pillar]]\nid = \"automation\"\nname = \"A\"\nprimary = [\"platform-devex\"]\nboundary = \"PLAT queue\"\n[pillar.duties]\nplatform-devex = [\"Run it\"]\n";
        let scenarios = "[[scenario]]\nid = \"s\"\ntitle = \"S\"\nresolution = \"old\"\ncomponents = [\"postgres\"]\n";
        let matrix = "id = \"raci\"\ntitle = \"R\"\nparties = [\"a\", \"b\"]\n[[row]]\nname = \"Declare\"\nroles = [\"A\", \"-\"]\n";
        let old = model(&[
            ("teams/platform-data.toml", team),
            ("teams/gone.toml", "name = \"Gone\"\nkind = \"other\"\n"),
            ("layers.toml", layers),
            ("pillars.toml", pillars),
            ("scenarios/s.toml", scenarios),
            ("matrices/raci.toml", matrix),
        ]);
        let new = model(&[
            (
                "teams/platform-data.toml",
                &team
                    .replace("business", "24x7")
                    .replace("[\"a\"]", "[\"a\", \"sre\"]"),
            ),
            ("teams/new.toml", "name = \"New\"\nkind = \"product\"\n"),
            ("layers.toml", &layers.replace("informs", "supports")),
            (
                "pillars.toml",
                &pillars
                    .replace("[\"platform-devex\"]", "[\"platform-devex\", \"sre\"]")
                    .replace("PLAT queue", "Automation API")
                    .replace("[\"Run it\"]", "[\"Run it\", \"Own it\"]"),
            ),
            ("scenarios/s.toml", &scenarios.replace("old", "new")),
            (
                "scenarios/t.toml",
                "[[scenario]]\nid = \"t\"\ntitle = \"T\"\n",
            ),
            ("matrices/raci.toml", &matrix.replace("\"-\"", "\"C\"")),
        ]);
        assert_eq!(
            summaries(&diff_models(&old, &new)),
            vec![
                "team gone removed",
                "team new added (New)",
                "platform-data: on-call hours business -> 24x7",
                "platform-data: escalation a -> a, sre",
                "layer service: @operations informs -> supports",
                "pillar automation: primary platform-devex -> platform-devex, sre",
                "pillar automation: boundary \"PLAT queue\" -> \"Automation API\"",
                "pillar automation: duties of platform-devex + Own it",
                "scenario s: resolution \"old\" -> \"new\"",
                "scenario t added (T)",
                "matrix raci: \"Declare\" b (none) -> C",
            ]
        );
    }

    #[test]
    fn the_empty_model_makes_everything_added() {
        let new = model(&[
            ("components/a.toml", PG),
            (
                "teams/platform-data.toml",
                "name = \"D\"\nkind = \"data\"\n",
            ),
        ]);
        let kinds: Vec<ChangeKind> = diff_models(&Model::default(), &new)
            .iter()
            .map(|c| c.kind)
            .collect();
        assert_eq!(
            kinds,
            vec![ChangeKind::ComponentAdded, ChangeKind::TeamAdded]
        );
    }
}
