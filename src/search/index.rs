//! The search index: one entry per searchable thing in a `Model`, each with
//! a primary `name` field and secondary fields (id, tags, duties…), kept as
//! precomputed strings with folded copies for the prefilter, so a keystroke
//! never formats or lowercases anything.

use super::fold;
use crate::model::{Component, Matrix, Model, Party, Pillar, Scenario, Subject, SubjectKind, Team};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;

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

/// One searchable text of an entry, as an index gives it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldText<'a> {
    pub field: Field,
    /// As written in the repository (unsanitized: sanitize when displaying).
    pub text: &'a str,
}

/// Where a text is in the index's arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Text {
    start: u32,
    end: u32,
}

/// Where a field's folded text (`fold::fold`: lowercase, no accents, aligned
/// char for char) is in the index's arena, with what a scan needs to know
/// about it: packed, so scans read little memory.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    text: Text,
    /// `fold::char_mask` of the folded text: most fields a word is not in
    /// are passed over without reading them.
    pub(crate) mask: u64,
    pub(crate) first: Option<char>,
    pub(crate) weight: u8,
    pub(crate) ascii: bool,
    pub(crate) field: Field,
}

/// One searchable thing, as it is made: owned texts, until an index packs
/// it (`Index::from_entries`).
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: EntryKind,
    /// What to open when the entry is chosen (a matrix row opens its matrix).
    pub subject: Subject,
    pub id: String,
    /// One line saying what it is: "owned by platform-data · service · tier 1".
    pub context: String,
    /// `fields[0]` is the name; the others follow in the order they are shown.
    fields: Vec<(Field, String)>,
}

impl Entry {
    /// An entry with its name; add secondary fields with [`Entry::field`].
    pub fn new(kind: EntryKind, subject: Subject, id: &str, name: &str, context: String) -> Entry {
        Entry {
            kind,
            subject,
            id: id.to_string(),
            context,
            fields: vec![(Field::Name, name.to_string())],
        }
    }

    /// Adds a secondary field; empty text adds nothing.
    pub fn field(mut self, field: Field, text: impl Into<String>) -> Entry {
        let text = text.into();
        if !text.trim().is_empty() {
            self.fields.push((field, text));
        }
        self
    }

    pub fn name(&self) -> &str {
        &self.fields[0].1
    }

    /// The bytes its texts take as written: about what packing it adds to
    /// an index's arena.
    fn text_len(&self) -> usize {
        let fields: usize = self.fields.iter().map(|(_, text)| text.len()).sum();
        fields + self.id.len() + self.context.len()
    }
}

/// An entry as an index keeps it: every text is a span of the index's
/// arena, instead of a `String` (an allocation) each.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Packed {
    pub(crate) kind: EntryKind,
    subject: SubjectKind,
    /// How many fields, from `span` on in the index's spans.
    fields: u16,
    span: u32,
    /// Every field's `Span::mask`.
    pub(crate) mask: u64,
    id: Text,
    subject_id: Text,
    context: Text,
}

impl Packed {
    pub(crate) fn field_count(&self) -> usize {
        usize::from(self.fields)
    }
}

/// An entry read back from an index: its texts borrowed from the index.
#[derive(Debug, Clone, Copy)]
pub struct EntryView<'a> {
    index: &'a Index,
    entry: &'a Packed,
}

impl<'a> EntryView<'a> {
    pub fn kind(&self) -> EntryKind {
        self.entry.kind
    }

    pub fn subject(&self) -> Subject {
        Subject::new(self.entry.subject, self.index.text(self.entry.subject_id))
    }

    pub fn id(&self) -> &'a str {
        self.index.text(self.entry.id)
    }

    pub fn name(&self) -> &'a str {
        self.index.raw(self.entry, 0)
    }

    pub fn context(&self) -> &'a str {
        self.index.text(self.entry.context)
    }

    /// The name first, then the others in the order they are shown.
    pub fn fields(self) -> impl Iterator<Item = FieldText<'a>> {
        let (index, entry) = (self.index, self.entry);
        (0..entry.field_count()).map(move |i| FieldText {
            field: index.span(entry, i).field,
            text: index.raw(entry, i),
        })
    }
}

/// Every searchable thing of one version of the model. Plain data (`Send`),
/// built once per load and handed to whoever matches: the CLI, or the
/// dashboard's search worker.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// In tie-break order (kind, name, id).
    entries: Vec<Packed>,
    /// Entry positions in tie-break order: scans go this way.
    by_order: Vec<u32>,
    /// Every field's folded text, entry after entry in tie-break order (what
    /// scans read, front to back), then the texts as written that differ
    /// from their folded copy, and the ids and contexts not already there.
    /// A text whose folded copy is itself (ids, team names: most fields) is
    /// kept once.
    arena: String,
    /// One per field, entry after entry: `Packed::span` is the first.
    spans: Vec<Span>,
    /// One per field, as `spans`: where its text as written is.
    raw: Vec<Text>,
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
    /// reads are packed in that order at the front of one buffer: a scan
    /// walks memory front to back, which matters more than anything else
    /// at 100,000 entries.
    pub fn from_entries(entries: Vec<Entry>) -> Index {
        let entries = in_tie_break_order(entries);
        let mut index = Index {
            by_order: (0..entries.len() as u32).collect(),
            ..Index::default()
        };
        index
            .spans
            .reserve_exact(entries.iter().map(|e| e.fields.len()).sum());
        index
            .arena
            .reserve(entries.iter().map(Entry::text_len).sum());
        for entry in &entries {
            index.pack_folded(entry);
        }
        index.raw.reserve_exact(index.spans.len());
        index.entries.reserve_exact(entries.len());
        for entry in &entries {
            index.pack_raw(entry);
        }
        index.arena.shrink_to_fit();
        index
    }

    /// Appends the folded copies of an entry's fields and their spans.
    fn pack_folded(&mut self, entry: &Entry) {
        for (field, text) in &entry.fields {
            let start = self.arena.len();
            self.push_folded(text);
            let folded = &self.arena[start..];
            self.spans.push(Span {
                text: Text {
                    start: start as u32,
                    end: self.arena.len() as u32,
                },
                mask: fold::char_mask(folded),
                first: folded.chars().next(),
                weight: field.weight() as u8,
                ascii: folded.is_ascii(),
                field: *field,
            });
        }
    }

    /// Packs an entry whose folded texts are in (`pack_folded`), appending
    /// only the texts as written that the arena does not hold yet.
    fn pack_raw(&mut self, entry: &Entry) {
        let first = self.raw.len();
        let fields = first..first + entry.fields.len();
        for (i, (_, text)) in entry.fields.iter().enumerate() {
            let folded = self.spans[first + i].text;
            let raw = if self.text(folded) == text {
                folded
            } else {
                self.push(text)
            };
            self.raw.push(raw);
        }
        let id = self.field_or_push(fields.clone(), &entry.id);
        let subject_id = if entry.subject.id == entry.id {
            id
        } else {
            self.field_or_push(fields.clone(), &entry.subject.id)
        };
        let context = self.push(&entry.context);
        self.entries.push(Packed {
            kind: entry.kind,
            subject: entry.subject.kind,
            fields: u16::try_from(entry.fields.len()).expect("fewer than 65,536 fields"),
            span: first as u32,
            mask: self.spans[fields].iter().fold(0, |mask, s| mask | s.mask),
            id,
            subject_id,
            context,
        });
    }

    /// The text of one of `fields` (positions in `raw`) equal to `text` (an
    /// id is usually also the id field), else `text` appended.
    fn field_or_push(&mut self, fields: Range<usize>, text: &str) -> Text {
        let field = self.raw[fields].iter().find(|&&t| self.text(t) == text);
        match field.copied() {
            Some(field) => field,
            None => self.push(text),
        }
    }

    fn push_folded(&mut self, text: &str) {
        if text.is_ascii() {
            // What `fold::fold_char` does to ASCII, a word at a time.
            let start = self.arena.len();
            self.arena.push_str(text);
            self.arena[start..].make_ascii_lowercase();
        } else {
            self.arena.extend(text.chars().map(fold::fold_char));
        }
    }

    fn push(&mut self, text: &str) -> Text {
        let start = self.arena.len() as u32;
        self.arena.push_str(text);
        Text {
            start,
            end: self.arena.len() as u32,
        }
    }

    fn text(&self, text: Text) -> &str {
        &self.arena[text.start as usize..text.end as usize]
    }

    pub(crate) fn span(&self, entry: &Packed, field: usize) -> Span {
        self.spans[entry.span as usize + field]
    }

    pub(crate) fn folded(&self, span: Span) -> &str {
        self.text(span.text)
    }

    /// A field's text as written.
    pub(crate) fn raw(&self, entry: &Packed, field: usize) -> &str {
        self.text(self.raw[entry.span as usize + field])
    }

    /// The entries in tie-break order (kind, name, id).
    pub fn entries(&self) -> impl ExactSizeIterator<Item = EntryView<'_>> {
        self.entries
            .iter()
            .map(|entry| EntryView { index: self, entry })
    }

    pub(crate) fn entry(&self, at: usize) -> &Packed {
        &self.entries[at]
    }

    pub(crate) fn view(&self, at: usize) -> EntryView<'_> {
        EntryView {
            index: self,
            entry: &self.entries[at],
        }
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

/// Sorted by (kind, folded name, name, id), stably: the tie-break order of
/// equal scores, which is the order an index keeps its entries in.
fn in_tie_break_order(entries: Vec<Entry>) -> Vec<Entry> {
    let mut keyed: Vec<(String, Entry)> = entries
        .into_iter()
        .map(|e| (fold::fold(e.name()), e))
        .collect();
    keyed.sort_by(|(fa, a), (fb, b)| {
        (a.kind, fa, a.name(), &a.id).cmp(&(b.kind, fb, b.name(), &b.id))
    });
    keyed.into_iter().map(|(_, e)| e).collect()
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

    /// An entry made again from what an index gives back (`entries`).
    fn remade(view: EntryView) -> Entry {
        let entry = Entry::new(
            view.kind(),
            view.subject(),
            view.id(),
            view.name(),
            view.context().to_string(),
        );
        view.fields()
            .skip(1)
            .fold(entry, |entry, f| entry.field(f.field, f.text))
    }

    /// What an entry holds, as texts: kind, subject, id, context, fields.
    fn texts(e: &Entry) -> (EntryKind, Subject, String, String, Vec<(Field, String)>) {
        let (kind, subject) = (e.kind, e.subject.clone());
        (
            kind,
            subject,
            e.id.clone(),
            e.context.clone(),
            e.fields.clone(),
        )
    }

    /// An index keeps each text once, the folded copy in place of the text
    /// when folding changes nothing; every text reads back as it was put
    /// in: ASCII or not, folded-equal or not, an id that is a field or not,
    /// a subject id that is the id or not.
    #[test]
    fn an_index_gives_back_every_text_it_was_given() {
        let team = |id: &str| Subject::new(SubjectKind::Team, id);
        let made = [
            Entry::new(
                EntryKind::Team,
                team("zürich"),
                "zürich",
                "Zürich Ops",
                "ctx".into(),
            )
            .field(Field::Id, "zürich")
            .field(Field::Members, "Tomás Núñez, ana")
            .field(Field::Lead, "İlker"),
            Entry::new(EntryKind::Team, team("data"), "data", "data", String::new())
                .field(Field::Id, "data")
                .field(Field::Channel, "#data-ОПС"),
            Entry::new(
                EntryKind::MatrixRow,
                team("m"),
                "m-1",
                "",
                "row of Ω".into(),
            )
            .field(Field::Matrix, "Ωmega ∑ 日本"),
        ];
        let index = Index::from_entries(made.to_vec());
        let mut back: Vec<_> = index.entries().map(|v| texts(&remade(v))).collect();
        let mut want: Vec<_> = made.iter().map(texts).collect();
        back.sort_by(|a, b| a.2.cmp(&b.2));
        want.sort_by(|a, b| a.2.cmp(&b.2));
        assert_eq!(back, want);
        // "data" folds to itself: each field as written is its folded copy,
        // the one scans read, and the id and subject's id are the name's.
        let data = index.entries().find(|v| v.id() == "data").expect("data");
        let e = data.entry;
        let folded = [index.span(e, 0).text, index.span(e, 1).text];
        assert_eq!(index.raw[e.span as usize..][..2], folded);
        assert_eq!((e.id, e.subject_id), (folded[0], folded[0]));
        for view in index.entries() {
            for (i, f) in view.fields().enumerate() {
                let folded = index.folded(index.span(view.entry, i));
                assert_eq!(folded, fold::fold(f.text));
            }
        }
    }

    /// Entries read back from an index and packed again (a second index of
    /// the same entries) answer as they did.
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
        let again = Index::from_entries(index.entries().map(remade).collect());
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
