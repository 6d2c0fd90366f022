//! Matching: fzf-style words scored by fuzzy-matcher's SkimMatcherV2.
//!
//! A query is split on whitespace; an entry matches when every word matches
//! one of its fields (any order, any field). Each word counts the best score
//! among the entry's fields, weighted (`Field::weight`), and the entry's score
//! is the sum. Smart case per word: all-lowercase matches any case and accent
//! (on the folded copies), a word with an uppercase letter matches exactly.
//!
//! Speed, cheapest first: 64-bit masks of the letters each entry and each
//! field has; an in-order `memchr` scan of a field's folded text (whether it
//! matches at all); an upper bound of the score (a constant per word length
//! and field), so that only entries that could enter the shown top are
//! scored; and the scorer itself, on bytes (`skim.rs`), without positions.
//! Positions are computed for the shown hits only. A query that extends the
//! previous one (typing on) rescans only the previous matches; deleting a
//! character goes back to a remembered step.

use super::fold;
use super::index::{Field, Index, Packed};
use super::skim::AsciiSkim;
use fuzzy_matcher::skim::SkimMatcherV2;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

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
    /// Exact (case and accents) because the word has an uppercase letter.
    exact: bool,
    /// What the scorer looks for: the word as typed when exact, else its
    /// folded copy.
    pattern: String,
    /// Letters and digits of the folded word.
    mask: u64,
    /// The pattern is ASCII: the scorer's fast path applies.
    ascii: bool,
    /// Chars in the pattern, and its first.
    len: usize,
    first: Option<char>,
}

impl Word {
    fn new(raw: &str) -> Word {
        let exact = fold::has_upper(raw);
        let folded = fold::fold(raw);
        let pattern = if exact {
            raw.to_string()
        } else {
            folded.clone()
        };
        Word {
            exact,
            mask: fold::char_mask(&folded),
            ascii: pattern.is_ascii(),
            len: pattern.chars().count(),
            first: pattern.chars().next(),
            pattern,
        }
    }

    /// The text of field `i` of an entry this word is compared with: the
    /// original when exact, else the folded copy in the index's arena.
    fn at<'a>(&self, index: &'a Index, entry: &Packed, i: usize) -> Target<'a> {
        if self.exact {
            return Target::original(index, entry, i);
        }
        let span = index.span(entry, i);
        Target {
            text: index.folded(span),
            mask: span.mask,
            ascii: span.ascii,
            first: span.first,
            weight: span.weight as i64,
        }
    }

    /// Is the word in the text (every char, in order)? Exactly when the
    /// scorer would give it a score.
    fn is_in(&self, t: Target) -> bool {
        if self.mask & !t.mask != 0 {
            return false;
        }
        if self.pattern.is_ascii() {
            // ASCII bytes never occur inside a multibyte char: bytes decide.
            fold::is_subsequence(self.pattern.as_bytes(), t.text.as_bytes())
        } else {
            let mut rest = t.text.chars();
            self.pattern.chars().all(|n| rest.any(|h| h == n))
        }
    }

    /// The most this word can score in this text, weighted.
    fn bound(&self, t: Target) -> i64 {
        let mut bound = super::skim::upper_bound(self.len, t.first == self.first);
        if t.text.len() == self.pattern.len() {
            bound += EXACT_BONUS;
        }
        bound * t.weight / 4
    }
}

/// A field's text as one word sees it.
#[derive(Clone, Copy)]
struct Target<'a> {
    text: &'a str,
    /// Letters and digits the text has (all bits when unknown).
    mask: u64,
    ascii: bool,
    first: Option<char>,
    weight: i64,
}

impl Target<'_> {
    /// Field `i`'s text as written. Exact words are rare: no mask, first
    /// char or ASCII flag is kept for original texts. Not inlined, so that
    /// the folded path (`Word::at`) stays small enough to be inlined in the
    /// scan: with this inside, every keystroke was 8% slower.
    #[inline(never)]
    fn original<'a>(index: &'a Index, entry: &Packed, i: usize) -> Target<'a> {
        let text = index.raw(entry, i);
        Target {
            text,
            mask: u64::MAX,
            ascii: text.is_ascii(),
            first: text.chars().next(),
            weight: index.span(entry, i).weight as i64,
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

/// A step of the typing history: a query, every entry it matched and the
/// best of them.
struct Step {
    query: String,
    words: Vec<Word>,
    /// Every entry that matched, in tie-break (rank) order.
    matches: Vec<u32>,
    /// The best `limit`: (score, entry), best first.
    top: Vec<(i64, u32)>,
    limit: usize,
}

/// What one scan found.
struct Scan {
    matches: Vec<u32>,
    top: Vec<(i64, u32)>,
}

/// The worst of the best so far on top: lowest score, then latest in rank
/// order (an entry's position in the index is its rank order).
type Best = BinaryHeap<(Reverse<i64>, u32)>;

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
    /// One thread: on the 2-core machine it was measured on, a second
    /// thread made the worst keystroke slower, not faster, whenever the
    /// machine had other work (see docs/search.md); one thread meets the
    /// target alone.
    pub fn new(index: Index) -> Searcher {
        Searcher::with_threads(index, 1)
    }

    /// Splits full scans of more than 16,384 candidates across `threads`.
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

    /// The best `limit` matches of `query` (`usize::MAX` for all) and how
    /// many there are. An empty query lists every entry in tie-break order.
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
            let top: Vec<(i64, u32)> = self
                .index
                .by_order()
                .iter()
                .take(limit)
                .map(|&i| (0, i))
                .collect();
            return Some(self.results(query, &words, &top, self.index.len()));
        }
        while let Some(step) = self.steps.last() {
            if query.starts_with(&step.query) {
                break;
            }
            self.steps.pop();
        }
        let reusable = self
            .steps
            .last()
            .is_some_and(|s| s.words == words && s.limit >= limit);
        if !reusable {
            // Same words but more wanted: rescan that step's matches in its place.
            if self.steps.last().is_some_and(|s| s.words == words) {
                let step = self.steps.pop().expect("checked");
                self.steps.push(Step {
                    top: Vec::new(),
                    ..step
                });
            }
            let candidates = match self.steps.last() {
                Some(step) => step.matches.as_slice(),
                None => self.index.by_order(),
            };
            let scan = self.scan(candidates, &words, limit, stop)?;
            if self.steps.last().is_some_and(|s| s.words == words) {
                self.steps.pop();
            }
            if self.steps.len() == MAX_STEPS {
                self.steps.remove(0);
            }
            self.steps.push(Step {
                query: query.to_string(),
                words: words.clone(),
                matches: scan.matches,
                top: scan.top,
                limit,
            });
        }
        let step = self.steps.last().expect("a step was just ensured");
        let shown = limit.min(step.top.len());
        Some(self.results(query, &words, &step.top[..shown], step.matches.len()))
    }

    /// Matches the candidates (in rank order), on two threads when there
    /// are many.
    fn scan(
        &self,
        ids: &[u32],
        words: &[Word],
        limit: usize,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Scan> {
        if self.threads < 2 || ids.len() < PARALLEL_MIN {
            return self.scan_part(ids, words, limit, stop);
        }
        let chunk = ids.len().div_ceil(self.threads);
        let parts: Vec<Option<Scan>> = std::thread::scope(|scope| {
            let handles: Vec<_> = ids
                .chunks(chunk)
                .map(|part| scope.spawn(move || self.scan_part(part, words, limit, stop)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().ok().flatten())
                .collect()
        });
        let mut all = Scan {
            matches: Vec::new(),
            top: Vec::new(),
        };
        for part in parts {
            let part = part?;
            all.matches.extend(part.matches);
            all.top.extend(part.top);
        }
        // Entries are in rank order: the position breaks ties.
        all.top.sort_by_key(|&(score, id)| (Reverse(score), id));
        all.top.truncate(limit);
        Some(all)
    }

    /// Every candidate that matches is kept (the next keystroke narrows
    /// them); only those that could still enter the best `limit` are
    /// scored. Candidates come in rank order, so one whose score cannot
    /// exceed the worst of the best so far would lose the tie anyway.
    fn scan_part(
        &self,
        ids: &[u32],
        words: &[Word],
        limit: usize,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Scan> {
        let mut fast = AsciiSkim::default();
        let mut matches = Vec::new();
        let mut best: Best = BinaryHeap::with_capacity(limit.min(ids.len()) + 1);
        for (n, &id) in ids.iter().enumerate() {
            if n % STOP_EVERY == STOP_EVERY - 1 && stop() {
                return None;
            }
            let entry = self.index.entry(id as usize);
            let Some(bound) = self.bound_entry(entry, words) else {
                continue;
            };
            matches.push(id);
            if limit == 0 || best.len() == limit && best.peek().is_some_and(|w| bound <= w.0.0) {
                continue;
            }
            let Some(score) = self.score_entry(entry, words, &mut fast) else {
                continue;
            };
            if best.len() < limit {
                best.push((Reverse(score), id));
            } else if best.peek().is_some_and(|w| score > w.0.0) {
                best.pop();
                best.push((Reverse(score), id));
            }
        }
        let top = best
            .into_sorted_vec()
            .into_iter()
            .map(|(Reverse(score), id)| (score, id))
            .collect();
        Some(Scan { matches, top })
    }

    /// None when some word is in none of the entry's fields; otherwise the
    /// most the entry could score (cheap: no scoring matrix).
    fn bound_entry(&self, entry: &Packed, words: &[Word]) -> Option<i64> {
        let mut total = 0;
        for word in words {
            if word.mask & !entry.mask != 0 {
                return None;
            }
            total += self.bound_word(entry, word)?;
        }
        Some(total)
    }

    /// The highest bound among the fields that hold the word. A field whose
    /// bound is no higher than one already found is not searched: fields
    /// come name and id first (the heaviest), so usually only one is.
    fn bound_word(&self, entry: &Packed, word: &Word) -> Option<i64> {
        let mut found: Option<i64> = None;
        for i in 0..entry.field_count() {
            let t = word.at(&self.index, entry, i);
            let bound = word.bound(t);
            if found.is_none_or(|f| bound > f) && word.is_in(t) {
                found = Some(bound);
            }
        }
        found
    }

    fn score_entry(&self, entry: &Packed, words: &[Word], fast: &mut AsciiSkim) -> Option<i64> {
        let mut total = 0;
        for word in words {
            total += self.best_field(entry, word, fast)?.0;
        }
        Some(total)
    }

    /// The best weighted score of a word among an entry's fields, and which
    /// field gave it (the first of equals: the name wins ties).
    fn best_field(
        &self,
        entry: &Packed,
        word: &Word,
        fast: &mut AsciiSkim,
    ) -> Option<(i64, usize)> {
        let mut best: Option<(i64, usize)> = None;
        for i in 0..entry.field_count() {
            let t = word.at(&self.index, entry, i);
            if word.mask & !t.mask != 0 || best.is_some_and(|(b, _)| word.bound(t) <= b) {
                continue;
            }
            // The fast scorer finds out itself whether the word is there.
            let score = if word.ascii && t.ascii {
                fast.score(t.text.as_bytes(), word.pattern.as_bytes())
            } else if !word.is_in(t) {
                continue;
            } else {
                self.skim
                    .fuzzy(t.text, &word.pattern, false)
                    .map(|(s, _)| s)
            };
            let Some(mut score) = score else {
                continue;
            };
            if t.text == word.pattern {
                score += EXACT_BONUS;
            }
            let score = score * t.weight / 4;
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, i));
            }
        }
        best
    }

    /// The hits for the shown part of a ranking (already best first).
    fn results(&self, query: &str, words: &[Word], top: &[(i64, u32)], total: usize) -> Results {
        Results {
            seq: 0,
            query: query.to_string(),
            total,
            hits: top
                .iter()
                .map(|&(score, id)| self.hit(id as usize, score, words))
                .collect(),
        }
    }

    fn hit(&self, id: usize, score: i64, words: &[Word]) -> Hit {
        let entry = self.index.entry(id);
        let mut fast = AsciiSkim::default();
        let mut matched: Vec<FieldHit> = Vec::new();
        let mut best_outside: Option<(i64, usize)> = None;
        for word in words {
            // The name is highlighted whenever the word is in it, even when
            // another field scored higher (an exact id): people read names.
            let name = word.at(&self.index, entry, 0);
            let in_name = word
                .is_in(name)
                .then(|| self.skim.fuzzy(name.text, &word.pattern, true))
                .flatten();
            let (i, positions) = match in_name {
                Some((_, positions)) => (0, positions),
                None => {
                    let Some((word_score, i)) = self.best_field(entry, word, &mut fast) else {
                        continue;
                    };
                    if best_outside.is_none_or(|(b, _)| word_score > b) {
                        best_outside = Some((word_score, i));
                    }
                    let target = word.at(&self.index, entry, i).text;
                    let positions = self.skim.fuzzy(target, &word.pattern, true);
                    (i, positions.map(|(_, p)| p).unwrap_or_default())
                }
            };
            let field = self.index.span(entry, i).field;
            match matched.iter_mut().find(|h| h.field == field) {
                Some(hit) => hit.indices.extend(positions),
                None => matched.push(FieldHit {
                    field,
                    text: self.index.raw(entry, i).to_string(),
                    indices: positions,
                }),
            }
        }
        for hit in &mut matched {
            hit.indices.sort_unstable();
            hit.indices.dedup();
        }
        let order =
            |f: Field| (0..entry.field_count()).position(|i| self.index.span(entry, i).field == f);
        matched.sort_by_key(|h| order(h.field));
        let in_name = matched.iter().find(|h| h.field == Field::Name);
        let indices = in_name.map(|h| h.indices.clone()).unwrap_or_default();
        let field = match (in_name, best_outside) {
            (None, Some((_, i))) => matched
                .iter()
                .find(|h| h.field == self.index.span(entry, i).field)
                .cloned(),
            _ => None,
        };
        let view = self.index.view(id);
        Hit {
            entry: id,
            kind: view.kind(),
            subject: view.subject(),
            id: view.id().to_string(),
            name: view.name().to_string(),
            context: view.context().to_string(),
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
    use crate::search::{Entry, EntryKind};

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
    fn the_best_few_are_the_first_few_of_the_full_ranking() {
        let mut seed = 7u64;
        let mut pick = |words: &[&'static str]| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            words[(seed >> 33) as usize % words.len()]
        };
        let parts = [
            "kafka", "Topic", "k8s", "tracker", "Kiosk", "atk", "pay", "a", "o-k", "streams",
        ];
        let entries: Vec<Entry> = (0..3000)
            .map(|i| {
                let name = format!("{} {} {}", pick(&parts), pick(&parts), pick(&parts));
                component(
                    &format!("{}-{i}", pick(&parts).to_lowercase()),
                    &name,
                    pick(&parts),
                )
            })
            .collect();
        let mut full = searcher(entries.clone());
        let mut pruned = searcher(entries);
        for query in ["k", "ka", "kafka", "kafka t", "K", "tk", "a", "o k", "zz"] {
            let all = full.search(query, usize::MAX);
            for limit in [1, 7, 50] {
                pruned.clear_steps();
                let few = pruned.search(query, limit);
                assert_eq!(few.total, all.total, "{query}");
                assert_eq!(
                    few.hits,
                    all.hits[..limit.min(all.hits.len())],
                    "{query} {limit}"
                );
            }
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
