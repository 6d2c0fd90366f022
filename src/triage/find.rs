//! Matching a responder's words to components, scenarios and teams.
//!
//! Unlike the dashboard's fuzzy search, triage wants the *one* right thing:
//! exact ids and names first, then words contained either way (a pasted
//! alert "pods OOMKilled in checkout" contains the scenario keyword
//! "oomkilled"), then fuzzy matches as a last resort.

use crate::model::{Model, Subject, SubjectKind};
pub use crate::search::MatchClass;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub subject: Subject,
    pub score: i64,
    /// How sure: exact (id or name), word, or fuzzy (a guess).
    pub class: MatchClass,
}

impl Match {
    pub fn is_fuzzy(&self) -> bool {
        self.class.is_fuzzy()
    }
}

/// The class a score stands for: the score bands never overlap.
fn class_of(score: i64) -> MatchClass {
    if score >= EXACT_NAME {
        MatchClass::Exact
    } else if score >= FUZZY_CEILING {
        MatchClass::Word
    } else {
        MatchClass::Fuzzy
    }
}

/// True when nothing in `matches` is better than a fuzzy guess.
pub fn only_fuzzy(matches: &[Match]) -> bool {
    matches.iter().all(Match::is_fuzzy)
}

const EXACT_ID: i64 = 1000;
const EXACT_NAME: i64 = 900;
const CONTAINS: i64 = 700;
const KEYWORD: i64 = 650;
const TAG: i64 = 500;
/// Fuzzy scores are scaled into 0..FUZZY_CEILING so they never beat a word match.
const FUZZY_CEILING: i64 = 400;

/// Candidates best first: components, then scenarios, then teams on ties.
pub fn find(model: &Model, query: &str) -> Vec<Match> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let matcher = SkimMatcherV2::default().ignore_case();
    let fuzzy = |text: &str| -> i64 {
        matcher
            .fuzzy_match(text, &q)
            .filter(|s| *s >= (q.chars().count() as i64) * 12)
            .map_or(0, |s| (s * 2).min(FUZZY_CEILING - 1))
    };
    let words = |text: &str| -> i64 {
        let t = text.to_lowercase();
        if t == q {
            EXACT_NAME
        } else if at_word_start(&t, &q) || (t.len() >= 4 && at_word_start(&q, &t)) {
            CONTAINS
        } else {
            0
        }
    };
    let mut out = Vec::new();
    for c in &model.components {
        let mut score = if c.id == q {
            EXACT_ID
        } else {
            words(&c.id).max(words(&c.name))
        };
        if score == 0 && c.tags.iter().any(|t| t.to_lowercase() == q) {
            score = TAG;
        }
        if score == 0 {
            score = fuzzy(&c.id).max(fuzzy(&c.name));
        }
        push(&mut out, SubjectKind::Component, &c.id, score);
    }
    for s in &model.scenarios {
        let mut score = if s.id == q {
            EXACT_ID
        } else {
            words(&s.title).max(words(&s.id))
        };
        if score == 0 {
            let keyword_hit = s.keywords.iter().any(|k| {
                let k = k.to_lowercase();
                !k.is_empty() && (at_word_start(&q, &k) || (q.len() >= 3 && at_word_start(&k, &q)))
            });
            if keyword_hit {
                score = KEYWORD;
            }
        }
        if score == 0 {
            score = fuzzy(&s.title);
        }
        push(&mut out, SubjectKind::Scenario, &s.id, score);
    }
    for t in &model.teams {
        let mut score = if t.id == q {
            EXACT_ID
        } else {
            words(&t.id).max(words(&t.name))
        };
        if score == 0 {
            score = fuzzy(&t.id).max(fuzzy(&t.name));
        }
        push(&mut out, SubjectKind::Team, &t.id, score);
    }
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.subject.kind.cmp(&b.subject.kind))
            .then(a.subject.id.cmp(&b.subject.id))
    });
    out
}

/// Does `needle` occur in `hay` starting at a word (after a non-alphanumeric
/// character or at the start)? "pods oomkilled" has "oomkilled" and
/// "kafka-connect" has "kafka"; "elasticsearch" does not have "search":
/// letters inside another word are a fuzzy guess, not a word match.
fn at_word_start(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    hay.match_indices(needle).any(|(i, _)| {
        hay[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

fn push(out: &mut Vec<Match>, kind: SubjectKind, id: &str, score: i64) {
    if score > 0 {
        out.push(Match {
            subject: Subject::new(kind, id),
            score,
            class: class_of(score),
        });
    }
}

/// The closest ids to a query that matched nothing: by edit distance.
pub fn suggest(model: &Model, query: &str, limit: usize) -> Vec<String> {
    closest(
        model
            .components
            .iter()
            .map(|c| c.id.as_str())
            .chain(model.scenarios.iter().map(|s| s.id.as_str()))
            .chain(model.teams.iter().map(|t| t.id.as_str())),
        query,
        limit,
    )
}

/// The closest of `ids` to `query` by edit distance, closest first; ids
/// too far to be a typo are left out.
pub fn closest<'a>(
    ids: impl IntoIterator<Item = &'a str>,
    query: &str,
    limit: usize,
) -> Vec<String> {
    let q = query.trim().to_lowercase();
    let mut candidates: Vec<(usize, &str)> = ids
        .into_iter()
        .map(|id| (edit_distance(&q, id), id))
        .collect();
    candidates.sort();
    candidates.dedup_by(|a, b| a.1 == b.1);
    candidates
        .into_iter()
        .filter(|(d, id)| *d <= q.chars().count().max(id.chars().count()) * 2 / 3)
        .take(limit)
        .map(|(_, id)| id.to_string())
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut row = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            row[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1);
        }
        prev = row;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_bands_are_classes() {
        assert_eq!(class_of(EXACT_ID), MatchClass::Exact);
        assert_eq!(class_of(EXACT_NAME), MatchClass::Exact);
        assert_eq!(class_of(CONTAINS), MatchClass::Word);
        assert_eq!(class_of(KEYWORD), MatchClass::Word);
        assert_eq!(class_of(TAG), MatchClass::Word);
        assert_eq!(class_of(FUZZY_CEILING - 1), MatchClass::Fuzzy);
    }

    #[test]
    fn words_start_at_word_boundaries() {
        assert!(at_word_start("pods oomkilled in checkout", "oomkilled"));
        assert!(at_word_start("kafka-connect", "kafka"));
        assert!(at_word_start("kafka-connect", "connect"));
        assert!(at_word_start("throwing 503s", "503"));
        assert!(!at_word_start("elasticsearch", "search"));
        assert!(!at_word_start("anything", ""));
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("kafka", "kafka"), 0);
        assert_eq!(edit_distance("kafak", "kafka"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
