//! The search index: one entry per searchable thing in a `Model`, each with
//! a primary `name` field and secondary fields (id, tags, duties…), kept as
//! precomputed strings with folded copies for the prefilter, so a keystroke
//! never formats or lowercases anything.

use super::fold;
use crate::model::{Component, Matrix, Model, Party, Pillar, Scenario, Subject, SubjectKind, Team};
use serde::Serialize;
use std::collections::HashMap;

/// What an entry is. The order is the tie-break order of equal scores:
/// components and teams first, as they are what people look for most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Component,
    Team,
    Pillar,
    Layer,
    Scenario,
    Matrix,
    MatrixRow,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Component => "component",
            EntryKind::Team => "team",
            EntryKind::Pillar => "pillar",
            EntryKind::Layer => "layer",
            EntryKind::Scenario => "scenario",
            EntryKind::Matrix => "matrix",
            EntryKind::MatrixRow => "matrix_row",
        }
    }
}

/// Which text of an entry a word matched in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Id,
    Tags,
    Duties,
    Runbook,
    Members,
    Lead,
    Channel,
    Rotation,
    Pager,
    Boundary,
    Scope,
    Keywords,
    Resolution,
    Matrix,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Id => "id",
            Field::Tags => "tags",
            Field::Duties => "duties",
            Field::Runbook => "runbook",
            Field::Members => "members",
            Field::Lead => "lead",
            Field::Channel => "channel",
            Field::Rotation => "rotation",
            Field::Pager => "pager",
            Field::Boundary => "boundary",
            Field::Scope => "scope",
            Field::Keywords => "keywords",
            Field::Resolution => "resolution",
            Field::Matrix => "matrix",
        }
    }

    /// Score weight in quarters: what something is called (name, id) counts
    /// fully; a word found only in its tags or duties counts three quarters,
    /// so a name match ranks above an equally good secondary match.
    pub(crate) fn weight(self) -> i64 {
        match self {
            Field::Name | Field::Id => 4,
            _ => 3,
        }
    }
}

/// One searchable text of an entry.
#[derive(Debug, Clone)]
pub struct FieldText {
    pub field: Field,
    /// As written in the repository (unsanitized: sanitize when displaying).
    pub text: String,
    /// `fold::fold(text)`: lowercase, no accents, aligned char for char.
    /// Only until the entry is packed into an index (`Index::from_entries`
    /// empties it): the index keeps one copy, in its arena, which is what
    /// scans read; a second copy per field was a fifth of the index.
    pub(crate) folded: String,
    /// Whether `text` is ASCII (the scorer's fast path) and its first char
    /// (the score bound), for exact-case words.
    pub(crate) ascii_text: bool,
    pub(crate) first_text: Option<char>,
}

/// Where a field's folded text is in the index's arena, with what a scan
/// needs to know about it: packed, so scans read little memory.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    start: u32,
    end: u32,
    /// `fold::char_mask` of the folded text: most fields a word is not in
    /// are passed over without reading them.
    pub(crate) mask: u64,
    pub(crate) first: Option<char>,
    pub(crate) weight: u8,
    pub(crate) ascii: bool,
}

/// One searchable thing.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: EntryKind,
    /// What to open when the entry is chosen (a matrix row opens its matrix).
    pub subject: Subject,
    pub id: String,
    /// One line saying what it is: "owned by platform-data · service · tier 1".
    pub context: String,
    /// `fields[0]` is the name; the others follow in the order they are shown.
    pub(crate) fields: Vec<FieldText>,
    /// Where this entry's fields start in the index's spans.
    pub(crate) span: u32,
    pub(crate) mask: u64,
    /// Position in (kind, name, id) order, the tie-break, which is also its
    /// position in the index.
    pub(crate) order: u32,
}

impl Entry {
    /// An entry with its name; add secondary fields with [`Entry::field`].
    pub fn new(kind: EntryKind, subject: Subject, id: &str, name: &str, context: String) -> Entry {
        let mut entry = Entry {
            kind,
            subject,
            id: id.to_string(),
            context,
            fields: Vec::new(),
            span: 0,
            mask: 0,
            order: 0,
        };
        entry.push(Field::Name, name.to_string());
        entry
    }

    /// Adds a secondary field; empty text adds nothing.
    pub fn field(mut self, field: Field, text: impl Into<String>) -> Entry {
        let text = text.into();
        if !text.trim().is_empty() {
            self.push(field, text);
        }
        self
    }

    fn push(&mut self, field: Field, text: String) {
        let folded = fold::fold(&text);
        self.fields.push(FieldText {
            field,
            ascii_text: text.is_ascii(),
            first_text: text.chars().next(),
            text,
            folded,
        });
    }

    pub fn name(&self) -> &str {
        &self.fields[0].text
    }

    pub fn fields(&self) -> &[FieldText] {
        &self.fields
    }

    fn seal(&mut self) {
        // An entry taken from an index (`Index::entries`) and packed again
        // lost its folded copies to the first index's arena.
        for f in &mut self.fields {
            if f.folded.is_empty() && !f.text.is_empty() {
                f.folded = fold::fold(&f.text);
            }
        }
        self.mask = self
            .fields
            .iter()
            .fold(0, |mask, f| mask | fold::char_mask(&f.folded));
        // Built a field at a time, the list holds room for eight fields
        // where a component has five, and the context the room of its
        // last `push_str`: at 200,000 components, tens of megabytes.
        self.fields.shrink_to_fit();
        self.context.shrink_to_fit();
    }
}

/// Every searchable thing of one version of the model. Plain data (`Send`),
/// built once per load and handed to whoever matches: the CLI, or the
/// dashboard's search worker.
#[derive(Debug, Clone, Default)]
pub struct Index {
    entries: Vec<Entry>,
    /// Entry positions in tie-break order: scans go this way.
    by_order: Vec<u32>,
    /// Every field's folded text, entry after entry in tie-break order.
    arena: String,
    /// One per field, entry after entry: `Entry::span` is the first.
    spans: Vec<Span>,
}

impl Index {
    pub fn build(model: &Model) -> Index {
        Index::build_keeping(model, |_| true)
    }

    /// The index one query needs (`demarc search`): every entry but the
    /// components `query` cannot match, which are never built. A query
    /// answered from it gives the same results as from `build`'s: the
    /// entries it leaves out match no word, so they are not in the total
    /// nor the ranking, and the ones kept stay in the same relative order
    /// (the tie-break sort is stable and its key is the entry's own). At
    /// 200,000 components, building, sorting and packing every entry for
    /// one query was most of `search` after the load.
    pub fn build_for(model: &Model, query: &str) -> Index {
        let words: Vec<PlainWord> = query.split_whitespace().map(PlainWord::new).collect();
        Index::build_keeping(model, |c| words.iter().all(|w| w.may_be_in_component(c)))
    }

    fn build_keeping(model: &Model, keep: impl Fn(&Component) -> bool) -> Index {
        let mut entries = Vec::new();
        entries.extend(
            model
                .components
                .iter()
                .filter(|c| keep(c))
                .map(component_entry),
        );
        let mut owned: HashMap<&str, usize> = HashMap::new();
        for c in &model.components {
            *owned.entry(c.owner.as_str()).or_default() += 1;
        }
        entries.extend(
            model
                .teams
                .iter()
                .map(|t| team_entry(t, owned.get(t.id.as_str()).copied().unwrap_or(0))),
        );
        entries.extend(model.pillars.iter().map(pillar_entry));
        entries.extend(model.layers.iter().map(|l| {
            let owners = parties_with_role(&l.roles, "owns");
            let context = if owners.is_empty() {
                "no owner".to_string()
            } else {
                format!("owned by {owners}")
            };
            Entry::new(
                EntryKind::Layer,
                Subject::new(SubjectKind::Layer, &l.id),
                &l.id,
                &l.name,
                context,
            )
            .field(Field::Id, &l.id)
            .field(Field::Scope, l.scope.clone().unwrap_or_default())
        }));
        entries.extend(model.scenarios.iter().map(scenario_entry));
        for matrix in &model.matrices {
            matrix_entries(matrix, &mut entries);
        }
        Index::from_entries(entries)
    }

    /// An index of entries made elsewhere (tests, other catalogs).
    ///
    /// Entries are stored in tie-break order, and the folded texts a scan
    /// reads are packed in that order into one buffer: a scan walks memory
    /// front to back, which matters more than anything else at 100,000
    /// entries.
    pub fn from_entries(mut entries: Vec<Entry>) -> Index {
        for entry in &mut entries {
            entry.seal();
        }
        entries.sort_by(|a, b| {
            (a.kind, &a.fields[0].folded, a.name(), &a.id).cmp(&(
                b.kind,
                &b.fields[0].folded,
                b.name(),
                &b.id,
            ))
        });
        let folded: usize = entries
            .iter()
            .flat_map(|e| &e.fields)
            .map(|f| f.folded.len())
            .sum();
        let mut arena = String::with_capacity(folded);
        let mut spans = Vec::with_capacity(entries.iter().map(|e| e.fields.len()).sum());
        for (order, entry) in entries.iter_mut().enumerate() {
            entry.order = order as u32;
            entry.span = spans.len() as u32;
            for field in &mut entry.fields {
                let start = arena.len() as u32;
                arena.push_str(&field.folded);
                spans.push(Span {
                    start,
                    end: arena.len() as u32,
                    mask: fold::char_mask(&field.folded),
                    first: field.folded.chars().next(),
                    weight: field.field.weight() as u8,
                    ascii: field.folded.is_ascii(),
                });
                // The arena holds it from now on (see `FieldText::folded`).
                field.folded = String::new();
            }
        }
        Index {
            by_order: (0..entries.len() as u32).collect(),
            entries,
            arena,
            spans,
        }
    }

    pub(crate) fn span(&self, entry: &Entry, field: usize) -> Span {
        self.spans[entry.span as usize + field]
    }

    pub(crate) fn folded(&self, span: Span) -> &str {
        &self.arena[span.start as usize..span.end as usize]
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub(crate) fn by_order(&self) -> &[u32] {
        &self.by_order
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A query word as far as `Index::build_for` can rule it out without
/// folding: a word without uppercase letters whose folded copy is ASCII is
/// matched (`matcher::Word::is_in`) as a byte subsequence of a field's
/// folded text, and the folded text of ASCII text is its lowercase copy.
/// Anything else (an exact word, a non-ASCII word or field) is left to the
/// matcher: kept.
struct PlainWord {
    /// The folded word, when it can be ruled out here.
    pattern: Option<Vec<u8>>,
}

impl PlainWord {
    fn new(raw: &str) -> PlainWord {
        let folded = fold::fold(raw);
        PlainWord {
            pattern: (!fold::has_upper(raw) && folded.is_ascii()).then(|| folded.into_bytes()),
        }
    }

    /// False only when the word is in none of the fields `component_entry`
    /// gives `c` (a joined field is searched as joined, separators and all).
    fn may_be_in_component(&self, c: &Component) -> bool {
        let Some(pattern) = &self.pattern else {
            return true;
        };
        let duties = c.duties.iter().flat_map(|d| d.covers.iter());
        may_be_in(pattern, [c.name.as_str()].into_iter())
            || may_be_in(pattern, [c.id.as_str()].into_iter())
            || may_be_in(pattern, c.tags.iter().map(String::as_str))
            || may_be_in(pattern, duties.map(String::as_str))
            || may_be_in(pattern, c.runbook.as_deref().into_iter())
    }
}

/// Whether `pattern` (folded, ASCII) may be a byte subsequence of the
/// folded text of `parts` joined with ", ": true when some part is not
/// ASCII (its folded copy is not its lowercase), else exactly whether it is.
fn may_be_in<'a>(pattern: &[u8], parts: impl Iterator<Item = &'a str> + Clone) -> bool {
    if parts.clone().any(|p| !p.is_ascii()) {
        return true;
    }
    let mut want = pattern.iter().peekable();
    for (i, part) in parts.enumerate() {
        let sep: &[u8] = if i == 0 { b"" } else { b", " };
        for b in sep.iter().chain(part.as_bytes()) {
            match want.peek() {
                None => return true,
                Some(&&w) if w == b.to_ascii_lowercase() => {
                    want.next();
                }
                Some(_) => {}
            }
        }
    }
    want.peek().is_none()
}

/// A component's entry. The fields searched here (name, id, tags, duties,
/// runbook) are the ones `PlainWord::may_be_in_component` rules a query out
/// on: a field added here must be added there, or `build_for` would drop
/// components that match it.
fn component_entry(c: &Component) -> Entry {
    let mut context = if c.owner.is_empty() {
        "no owner".to_string()
    } else {
        format!("owned by {}", c.owner)
    };
    if let Some(layer) = &c.layer {
        context.push_str(&format!(" · {layer}"));
    }
    if let Some(tier) = c.tier {
        context.push_str(&format!(" · tier {tier}"));
    }
    let duties: Vec<&str> = c
        .duties
        .iter()
        .flat_map(|d| d.covers.iter().map(String::as_str))
        .collect();
    Entry::new(
        EntryKind::Component,
        Subject::new(SubjectKind::Component, &c.id),
        &c.id,
        &c.name,
        context,
    )
    .field(Field::Id, &c.id)
    .field(Field::Tags, c.tags.join(", "))
    .field(Field::Duties, duties.join(", "))
    .field(Field::Runbook, c.runbook.clone().unwrap_or_default())
}

fn team_entry(t: &Team, owned: usize) -> Entry {
    let mut context = format!(
        "{} team · owns {owned} component{}",
        t.kind,
        if owned == 1 { "" } else { "s" }
    );
    if let Some(lead) = &t.lead {
        context.push_str(&format!(" · lead {lead}"));
    }
    let oncall = t.oncall.clone().unwrap_or_default();
    Entry::new(
        EntryKind::Team,
        Subject::new(SubjectKind::Team, &t.id),
        &t.id,
        &t.name,
        context,
    )
    .field(Field::Id, &t.id)
    .field(Field::Members, t.members.join(", "))
    .field(Field::Lead, t.lead.clone().unwrap_or_default())
    .field(Field::Channel, t.channel.clone().unwrap_or_default())
    .field(Field::Rotation, oncall.rotation.unwrap_or_default())
    .field(Field::Pager, oncall.pager.unwrap_or_default())
}

fn pillar_entry(p: &Pillar) -> Entry {
    let primary = join_parties(p.primary.iter());
    let context = if primary.is_empty() {
        "no primary owner".to_string()
    } else {
        format!("primary {primary}")
    };
    let duties: Vec<&str> = p
        .duties
        .iter()
        .flat_map(|(_, d)| d.iter().map(String::as_str))
        .collect();
    Entry::new(
        EntryKind::Pillar,
        Subject::new(SubjectKind::Pillar, &p.id),
        &p.id,
        &p.name,
        context,
    )
    .field(Field::Id, &p.id)
    .field(Field::Boundary, p.boundary.clone().unwrap_or_default())
    .field(Field::Duties, duties.join("; "))
}

fn scenario_entry(s: &Scenario) -> Entry {
    let mut context = match &s.first {
        Some(first) => format!("first {first}"),
        None => "no first responder".to_string(),
    };
    if !s.components.is_empty() {
        context.push_str(&format!(" · {}", s.components.join(", ")));
    }
    Entry::new(
        EntryKind::Scenario,
        Subject::new(SubjectKind::Scenario, &s.id),
        &s.id,
        &s.title,
        context,
    )
    .field(Field::Id, &s.id)
    .field(Field::Keywords, s.keywords.join(", "))
    .field(Field::Resolution, s.resolution.clone().unwrap_or_default())
}

/// The matrix itself (by its title) and each of its rows; a row's subject is
/// the matrix, and it carries the matrix title so "collab define" finds it.
fn matrix_entries(m: &Matrix, out: &mut Vec<Entry>) {
    let subject = Subject::new(SubjectKind::Matrix, &m.id);
    let rows = m.rows.len();
    let context = format!(
        "{rows} row{} · {}",
        if rows == 1 { "" } else { "s" },
        join_parties(m.parties.iter())
    );
    out.push(
        Entry::new(EntryKind::Matrix, subject.clone(), &m.id, &m.title, context)
            .field(Field::Id, &m.id),
    );
    for row in &m.rows {
        let roles: Vec<String> = m
            .parties
            .iter()
            .zip(&row.roles)
            .map(|(p, r)| format!("{p} {r}"))
            .collect();
        let context = format!("row of {} · {}", m.title, roles.join(", "));
        out.push(
            Entry::new(
                EntryKind::MatrixRow,
                subject.clone(),
                &m.id,
                &row.name,
                context,
            )
            .field(Field::Matrix, &m.title),
        );
    }
}

fn parties_with_role(roles: &[(Party, String)], role: &str) -> String {
    join_parties(roles.iter().filter(|(_, r)| r == role).map(|(p, _)| p))
}

fn join_parties<'a>(parties: impl Iterator<Item = &'a Party>) -> String {
    parties.map(Party::to_string).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Duty, Location};
    use crate::search::{Results, Searcher};
    use proptest::prelude::*;

    fn component(
        id: &str,
        name: &str,
        tags: &[String],
        covers: &[String],
        runbook: &str,
    ) -> Component {
        Component {
            id: id.to_string(),
            name: name.to_string(),
            layer: Some("service".into()),
            pillar: None,
            owner: "team-a".into(),
            tier: Some(2),
            consumers: Vec::new(),
            runbook: (!runbook.is_empty()).then(|| runbook.to_string()),
            tags: tags.to_vec(),
            reviewed: None,
            duties: vec![Duty {
                party: Party::Team("team-b".into()),
                covers: covers.to_vec(),
            }],
            paths: Vec::new(),
            path_locations: Vec::new(),
            repo: None,
            location: Location::default(),
        }
    }

    /// What a search answers, without the entry positions (an index of
    /// fewer entries numbers them differently; nothing prints them).
    fn answer(index: Index, query: &str, limit: usize) -> Results {
        let mut results = Searcher::new(index).search(query, limit);
        for hit in &mut results.hits {
            hit.entry = 0;
        }
        results
    }

    fn text() -> impl Strategy<Value = String> {
        "[a-cA-Cé ,.\\-]{0,8}"
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Any query over any components: the index built for the query
        /// answers as the whole index does.
        #[test]
        fn the_index_for_a_query_answers_as_the_whole_index(
            components in proptest::collection::vec(
                (text(), text(), proptest::collection::vec(text(), 0..3),
                 proptest::collection::vec(text(), 0..3), text()),
                0..40,
            ),
            query in "[a-cA-Cé,.\\- ]{0,6}",
            limit in prop_oneof![Just(3usize), Just(usize::MAX)],
        ) {
            let mut model = Model::default();
            for (i, (id, name, tags, covers, runbook)) in components.iter().enumerate() {
                let id = format!("{id}{}", i % 3);
                model.components.push(component(&id, name, tags, covers, runbook));
            }
            model.reindex();
            prop_assert_eq!(
                answer(Index::build_for(&model, &query), &query, limit),
                answer(Index::build(&model), &query, limit)
            );
        }
    }

    /// An index keeps one folded copy of each field, in its arena; the
    /// entries it hands out no longer carry theirs. Packed again (a second
    /// index of the same entries), they answer as they did.
    #[test]
    fn entries_taken_from_an_index_pack_again_into_the_same_answers() {
        let mut model = Model::default();
        for (i, name) in ["Crème Brûlée", "Checkout API", "Postgres"]
            .iter()
            .enumerate()
        {
            let tags = [format!("Tag{i}"), "shared".to_string()];
            let c = component(&format!("c{i}"), name, &tags, &["on-call".into()], "");
            model.components.push(c);
        }
        model.reindex();
        let index = Index::build(&model);
        assert!(
            index
                .entries()
                .iter()
                .flat_map(|e| &e.fields)
                .all(|f| f.folded.is_empty())
        );
        let again = Index::from_entries(index.entries().to_vec());
        for query in ["creme", "Crème", "check api", "tag1 shared", "call", "zz"] {
            assert_eq!(
                answer(again.clone(), query, 10),
                answer(index.clone(), query, 10),
                "{query}"
            );
        }
    }

    #[test]
    fn a_word_across_joined_tags_is_kept_and_an_absent_one_is_not() {
        let c = component("x", "Name", &["ab".into(), "cd".into()], &[], "");
        let kept = |q: &str| PlainWord::new(q).may_be_in_component(&c);
        // "b, c" joined: a word may run across the separator.
        assert!(kept("b,c"));
        assert!(kept("bc"));
        assert!(kept("name"));
        assert!(!kept("zz"));
        assert!(!kept("dc"));
        // Exact (uppercase) and non-ASCII words are left to the matcher.
        assert!(kept("ZZ"));
        assert!(kept("ж"));
    }
}
