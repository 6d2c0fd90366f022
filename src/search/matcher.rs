//! Matching: fzf-style words scored by fuzzy-matcher's SkimMatcherV2.
//!
//! A query is split on whitespace; an entry matches when every word matches
//! one of its fields (any order, any field). Each word counts the best score
//! among the entry's fields, weighted (`Field::weight`), and the entry's score
//! is the sum. Smart case per word: all-lowercase matches any case and accent
//! (on the folded copies), a word with an uppercase letter matches exactly.
//!
//! Speed, cheapest first: a 64-bit mask of the letters each entry has, then
//! an in-order byte scan of the entry's folded text, and only then the
//! scorer, without positions; positions are computed for the shown hits
//! only. A query that extends the previous one (typing on) rescans only the
//! previous matches; deleting a character goes back to a remembered step.

use super::fold;
use super::index::{Entry, Field, Index};
use fuzzy_matcher::skim::SkimMatcherV2;
use std::cmp::Ordering;

/// Added (before weighting) when a word is the whole field: `kafka` should
/// find the component called `kafka` before `kafka-connect`.
const EXACT_BONUS: i64 = 32;

/// Below this many candidates a scan stays on one thread: splitting costs
/// more than it saves.
const PARALLEL_MIN: usize = 16_384;

/// How often (in entries) a long scan asks whether it is still wanted.
const STOP_EVERY: usize = 2_048;

/// How many earlier steps are remembered for backspace.
const MAX_STEPS: usize = 64;

/// One word of a query, prepared once per query.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    raw: String,
    /// Exact (case and accents) because the word has an uppercase letter.
    exact: bool,
    /// What the scorer looks for: `raw` when exact, else its folded copy.
    pattern: String,
    folded: String,
    mask: u64,
}

impl Word {
    fn new(raw: &str) -> Word {
        let exact = fold::has_upper(raw);
        let folded = fold::fold(raw);
        Word {
            raw: raw.to_string(),
            exact,
            pattern: if exact {
                raw.to_string()
            } else {
                folded.clone()
            },
            mask: fold::char_mask(&folded),
            folded,
        }
    }

    /// The text of a field the scorer compares against this word.
    fn target<'a>(&self, field: &'a super::index::FieldText) -> &'a str {
        if self.exact {
            &field.text
        } else {
            &field.folded
        }
    }
}

fn words_of(query: &str) -> Vec<Word> {
    query.split_whitespace().map(Word::new).collect()
}

/// Where words matched in one field: char positions in `FieldText::text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldHit {
    pub field: Field,
    pub text: String,
    pub indices: Vec<usize>,
}

/// One result, self-contained (owned strings) so it can cross threads and
/// outlive the index it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Position in the `Index` that produced it.
    pub entry: usize,
    pub kind: super::EntryKind,
    pub subject: crate::model::Subject,
    pub id: String,
    pub name: String,
    pub context: String,
    pub score: i64,
    /// Matched char positions in `name` (empty when no word matched there).
    pub indices: Vec<usize>,
    /// When no word matched the name: the field with the best match.
    pub field: Option<FieldHit>,
    /// Every field some word matched, in field order (name first).
    pub matched: Vec<FieldHit>,
}

/// The answer to one query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// The request's sequence number (0 from a plain `Searcher::search`).
    pub seq: u64,
    pub query: String,
    /// How many entries matched (hits holds at most the limit).
    pub total: usize,
    /// Best first.
    pub hits: Vec<Hit>,
}

/// A step of the typing history: a query and every entry it matched.
struct Step {
    query: String,
    words: Vec<Word>,
    /// (score, entry) in no particular order.
    scored: Vec<(i64, u32)>,
}

/// Matches queries against one index. Stateful: it remembers the recent
/// queries so typing on narrows instead of rescanning. `Send`: give it to a
/// worker thread (see `SearchWorker`), or call it directly for small indexes.
pub struct Searcher {
    index: Index,
    skim: SkimMatcherV2,
    threads: usize,
    steps: Vec<Step>,
}

impl Searcher {
    /// Uses up to two threads for large full scans.
    pub fn new(index: Index) -> Searcher {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Searcher::with_threads(index, cores.min(2))
    }

    pub fn with_threads(index: Index, threads: usize) -> Searcher {
        Searcher {
            index,
            // Case and accents are handled by folding beforehand, so the
            // scorer compares chars exactly.
            skim: SkimMatcherV2::default().respect_case(),
            threads: threads.max(1),
            steps: Vec::new(),
        }
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// A new version of the model: forget the old steps.
    pub fn set_index(&mut self, index: Index) {
        self.index = index;
        self.steps.clear();
    }

    /// Forgets remembered queries (the next search scans everything).
    pub fn clear_steps(&mut self) {
        self.steps.clear();
    }

    /// The best `limit` matches of `query` (`usize::MAX` for all). An empty
    /// query lists every entry in tie-break order.
    pub fn search(&mut self, query: &str, limit: usize) -> Results {
        self.search_until(query, limit, &|| false)
            .unwrap_or_default()
    }

    /// As `search`, but gives up (None) as soon as `stop` says the answer
    /// is no longer wanted: a newer query exists.
    pub fn search_until(
        &mut self,
        query: &str,
        limit: usize,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Results> {
        let words = words_of(query);
        if words.is_empty() {
            let mut all: Vec<(i64, u32)> = (0..self.index.len() as u32).map(|i| (0, i)).collect();
            return Some(self.results(query, &words, &mut all, limit));
        }
        while let Some(top) = self.steps.last() {
            if query.starts_with(&top.query) {
                break;
            }
            self.steps.pop();
        }
        let same_words = self.steps.last().is_some_and(|top| top.words == words);
        if !same_words {
            let candidates: Option<Vec<u32>> = self
                .steps
                .last()
                .map(|s| s.scored.iter().map(|&(_, i)| i).collect());
            let scored = self.scan(candidates.as_deref(), &words, stop)?;
            if self.steps.len() == MAX_STEPS {
                self.steps.remove(0);
            }
            self.steps.push(Step {
                query: query.to_string(),
                words: words.clone(),
                scored,
            });
        }
        let mut scored = std::mem::take(
            &mut self
                .steps
                .last_mut()
                .expect("a step was just ensured")
                .scored,
        );
        let results = self.results(query, &words, &mut scored, limit);
        self.steps
            .last_mut()
            .expect("a step was just ensured")
            .scored = scored;
        Some(results)
    }

    /// Scores the candidates (all entries when None), on two threads when
    /// there are many.
    fn scan(
        &self,
        candidates: Option<&[u32]>,
        words: &[Word],
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<(i64, u32)>> {
        let all: Vec<u32>;
        let ids = match candidates {
            Some(ids) => ids,
            None => {
                all = (0..self.index.len() as u32).collect();
                &all
            }
        };
        if self.threads < 2 || ids.len() < PARALLEL_MIN {
            return self.scan_part(ids, words, stop);
        }
        let chunk = ids.len().div_ceil(self.threads);
        std::thread::scope(|scope| {
            let parts: Vec<_> = ids
                .chunks(chunk)
                .map(|part| scope.spawn(move || self.scan_part(part, words, stop)))
                .collect();
            let mut scored = Vec::new();
            for part in parts {
                scored.extend(part.join().ok()??);
            }
            Some(scored)
        })
    }

    fn scan_part(
        &self,
        ids: &[u32],
        words: &[Word],
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<(i64, u32)>> {
        let entries = self.index.entries();
        let mut scored = Vec::new();
        for (n, &id) in ids.iter().enumerate() {
            if n % STOP_EVERY == STOP_EVERY - 1 && stop() {
                return None;
            }
            if let Some(score) = self.score_entry(&entries[id as usize], words) {
                scored.push((score, id));
            }
        }
        Some(scored)
    }

    fn score_entry(&self, entry: &Entry, words: &[Word]) -> Option<i64> {
        let mut total = 0;
        for word in words {
            if word.mask & !entry.mask != 0
                || !fold::is_subsequence(word.folded.as_bytes(), entry.haystack.as_bytes())
            {
                return None;
            }
            total += self.best_field(entry, word)?.0;
        }
        Some(total)
    }

    /// The best weighted score of a word among an entry's fields, and which
    /// field gave it (the first of equals: the name wins ties).
    fn best_field(&self, entry: &Entry, word: &Word) -> Option<(i64, usize)> {
        let mut best: Option<(i64, usize)> = None;
        for (i, field) in entry.fields.iter().enumerate() {
            if !fold::is_subsequence(word.folded.as_bytes(), field.folded.as_bytes()) {
                continue;
            }
            let target = word.target(field);
            let Some(mut score) = self
                .skim
                .fuzzy(target, &word.pattern, false)
                .map(|(s, _)| s)
            else {
                continue;
            };
            if target == word.pattern {
                score += EXACT_BONUS;
            }
            let score = score * field.field.weight() / 4;
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, i));
            }
        }
        best
    }

    /// Ranks in place (only the shown part is fully sorted) and builds the hits.
    fn results(
        &self,
        query: &str,
        words: &[Word],
        scored: &mut [(i64, u32)],
        limit: usize,
    ) -> Results {
        let entries = self.index.entries();
        let cmp = |a: &(i64, u32), b: &(i64, u32)| -> Ordering {
            b.0.cmp(&a.0).then(
                entries[a.1 as usize]
                    .order
                    .cmp(&entries[b.1 as usize].order),
            )
        };
        let shown = limit.min(scored.len());
        if shown < scored.len() && shown > 0 {
            scored.select_nth_unstable_by(shown - 1, cmp);
        }
        scored[..shown].sort_unstable_by(cmp);
        Results {
            seq: 0,
            query: query.to_string(),
            total: scored.len(),
            hits: scored[..shown]
                .iter()
                .map(|&(score, id)| self.hit(id as usize, score, words))
                .collect(),
        }
    }

    fn hit(&self, id: usize, score: i64, words: &[Word]) -> Hit {
        let entry = &self.index.entries()[id];
        let mut matched: Vec<FieldHit> = Vec::new();
        let mut best_outside: Option<(i64, usize)> = None;
        for word in words {
            let Some((word_score, i)) = self.best_field(entry, word) else {
                continue;
            };
            let field = &entry.fields[i];
            let positions = self
                .skim
                .fuzzy(word.target(field), &word.pattern, true)
                .map(|(_, p)| p)
                .unwrap_or_default();
            if i > 0 && best_outside.is_none_or(|(b, _)| word_score > b) {
                best_outside = Some((word_score, i));
            }
            match matched.iter_mut().find(|h| h.field == field.field) {
                Some(hit) => hit.indices.extend(positions),
                None => matched.push(FieldHit {
                    field: field.field,
                    text: field.text.clone(),
                    indices: positions,
                }),
            }
        }
        for hit in &mut matched {
            hit.indices.sort_unstable();
            hit.indices.dedup();
        }
        let order = |f: Field| entry.fields.iter().position(|x| x.field == f);
        matched.sort_by_key(|h| order(h.field));
        let in_name = matched.iter().find(|h| h.field == Field::Name);
        let indices = in_name.map(|h| h.indices.clone()).unwrap_or_default();
        let field = match (in_name, best_outside) {
            (None, Some((_, i))) => matched
                .iter()
                .find(|h| h.field == entry.fields[i].field)
                .cloned(),
            _ => None,
        };
        Hit {
            entry: id,
            kind: entry.kind,
            subject: entry.subject.clone(),
            id: entry.id.clone(),
            name: entry.name().to_string(),
            context: entry.context.clone(),
            score,
            indices,
            field,
            matched,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Subject, SubjectKind};
    use crate::search::EntryKind;

    fn component(id: &str, name: &str, tags: &str) -> Entry {
        Entry::new(
            EntryKind::Component,
            Subject::new(SubjectKind::Component, id),
            id,
            name,
            String::new(),
        )
        .field(Field::Id, id)
        .field(Field::Tags, tags)
    }

    fn team(id: &str, name: &str, members: &str) -> Entry {
        Entry::new(
            EntryKind::Team,
            Subject::new(SubjectKind::Team, id),
            id,
            name,
            String::new(),
        )
        .field(Field::Id, id)
        .field(Field::Members, members)
    }

    fn ids(results: &Results) -> Vec<&str> {
        results.hits.iter().map(|h| h.id.as_str()).collect()
    }

    fn searcher(entries: Vec<Entry>) -> Searcher {
        Searcher::with_threads(Index::from_entries(entries), 1)
    }

    #[test]
    fn an_exact_id_beats_a_scattered_match() {
        let mut s = searcher(vec![
            component("auth-proxy-ingress", "Authentication proxy and ingress", ""),
            component("api", "Public API gateway", ""),
        ]);
        let r = s.search("api", 10);
        assert_eq!(ids(&r), ["api", "auth-proxy-ingress"]);
        assert!(r.hits[0].score > r.hits[1].score);
    }

    #[test]
    fn words_match_in_any_order_and_all_must_match() {
        let mut s = searcher(vec![
            component("kafka", "Kafka message queues", "topics, streaming"),
            component("kafka-connect", "Kafka Connect", "connectors"),
            component("pubsub", "Pub/Sub topics", ""),
        ]);
        assert_eq!(ids(&s.search("kafka topic", 10)), ["kafka"]);
        assert_eq!(ids(&s.search("topic kafka", 10)), ["kafka"]);
        assert_eq!(s.search("kafka zebra", 10).total, 0);
    }

    #[test]
    fn a_lowercase_query_ignores_case_and_an_uppercase_one_does_not() {
        let mut s = searcher(vec![
            component("dns", "DNS resolver", ""),
            component("dnsmasq", "dnsmasq cache", ""),
        ]);
        assert_eq!(s.search("dns", 10).total, 2);
        assert_eq!(ids(&s.search("DNS", 10)), ["dns"]);
        assert_eq!(ids(&s.search("dnsm", 10)), ["dnsmasq"]);
        assert_eq!(s.search("DNSM", 10).total, 0);
    }

    #[test]
    fn non_ascii_names_match_and_highlight_by_char() {
        let mut s = searcher(vec![
            team("payments", "Payments", "Tomás Núñez, Ana Lee"),
            team("zurich-ops", "Zürich Operations", ""),
        ]);
        let r = s.search("zür", 10);
        assert_eq!(ids(&r), ["zurich-ops"]);
        assert_eq!(r.hits[0].indices, [0, 1, 2], "char positions, not bytes");
        // Lowercase without the accent still finds it; exact case needs the accent.
        assert_eq!(ids(&s.search("zurich op", 10)), ["zurich-ops"]);
        assert_eq!(ids(&s.search("Zür", 10)), ["zurich-ops"]);
        assert_eq!(s.search("Zur", 10).total, 0);
        let r = s.search("tomás", 10);
        assert_eq!(ids(&r), ["payments"]);
        let field = r.hits[0].field.as_ref().expect("matched in members");
        assert_eq!(field.field, Field::Members);
        assert_eq!(field.indices, [0, 1, 2, 3, 4]);
        assert_eq!(ids(&s.search("TOMÁS", 10)).len(), 0);
    }

    #[test]
    fn equal_scores_put_components_and_teams_first_then_names() {
        let mut s = searcher(vec![
            Entry::new(
                EntryKind::Scenario,
                Subject::new(SubjectKind::Scenario, "s"),
                "s",
                "Search",
                String::new(),
            ),
            team("search-b", "Search", ""),
            component("search-a", "Search", ""),
            component("search-0", "Search", ""),
        ]);
        assert_eq!(
            ids(&s.search("search", 10)),
            ["search-0", "search-a", "search-b", "s"]
        );
    }

    #[test]
    fn a_name_match_outranks_the_same_match_in_tags() {
        let mut s = searcher(vec![
            component("queue", "Queue", "redis"),
            component("redis", "Redis", "queue"),
        ]);
        let r = s.search("redis", 10);
        assert_eq!(ids(&r), ["redis", "queue"]);
        assert_eq!(r.hits[0].indices, [0, 1, 2, 3, 4]);
        assert!(r.hits[0].field.is_none());
        assert_eq!(r.hits[1].field.as_ref().map(|f| f.field), Some(Field::Tags));
    }

    #[test]
    fn narrowing_and_backspace_give_the_same_results_as_a_fresh_search() {
        let entries: Vec<Entry> = (0..300)
            .map(|i| {
                component(
                    &format!("svc-{i}"),
                    &format!("Service {i} kafka"),
                    ["topics", "ingest", "db"][i % 3],
                )
            })
            .collect();
        let mut typed = searcher(entries.clone());
        for query in [
            "k", "ka", "kafka", "kafka ", "kafka t", "kafka to", "kafka t", "kafka", "kafka in",
        ] {
            let mut fresh = searcher(entries.clone());
            assert_eq!(typed.search(query, 20), fresh.search(query, 20), "{query}");
        }
    }

    #[test]
    fn a_stopped_search_gives_nothing_and_is_not_remembered() {
        let entries: Vec<Entry> = (0..5000)
            .map(|i| component(&format!("c{i}"), "Kafka", ""))
            .collect();
        let mut s = searcher(entries);
        assert!(s.search_until("kaf", 10, &|| true).is_none());
        assert_eq!(s.search("kaf", 10).total, 5000);
    }

    #[test]
    fn two_threads_agree_with_one() {
        let entries: Vec<Entry> = (0..40_000)
            .map(|i| component(&format!("c{i}"), &format!("Kafka {}", i % 97), ""))
            .collect();
        let mut one = Searcher::with_threads(Index::from_entries(entries.clone()), 1);
        let mut two = Searcher::with_threads(Index::from_entries(entries), 2);
        assert_eq!(one.search("ka 9", 50), two.search("ka 9", 50));
    }
}
