//! Duty words: a component's duties compared word by word, so "query
//! optimization moved from platform-data to @consumers" is one move, not a
//! removal from one party and an addition to another.

use crate::model::Duty;
use std::collections::HashMap;

/// What happened to one duty word between two versions of a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DutyDelta {
    Moved {
        word: String,
        from: String,
        to: String,
    },
    Added {
        word: String,
        party: String,
    },
    Removed {
        word: String,
        party: String,
    },
}

/// The form words are matched in: trimmed, lowercase, inner whitespace
/// collapsed, so "Query  optimization" and "query optimization" are one duty.
pub fn normalize(word: &str) -> String {
    word.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Normalized word -> the word as written and the parties holding it.
type Holders = HashMap<String, (String, Vec<String>)>;

/// Per normalized word: the word as written and the parties holding it, in
/// file order (a word claimed twice by one party counts once); with the
/// words in file order.
fn holders(duties: &[Duty]) -> (Vec<String>, Holders) {
    let mut order = Vec::new();
    let mut map: Holders = HashMap::new();
    for duty in duties {
        let party = duty.party.to_string();
        for word in &duty.covers {
            let key = normalize(word);
            if key.is_empty() {
                continue;
            }
            let entry = map.entry(key.clone()).or_insert_with(|| {
                order.push(key);
                (word.trim().to_string(), Vec::new())
            });
            if !entry.1.contains(&party) {
                entry.1.push(party.clone());
            }
        }
    }
    (order, map)
}

/// The duty changes between two versions of one component. A word that
/// leaves one party and reaches another is a move; when several parties
/// leave and join at once they pair up in file order, and the rest are
/// plain additions and removals. Words are reported in the new file's
/// order, then the removed words in the old file's order.
pub fn diff_duties(old: &[Duty], new: &[Duty]) -> Vec<DutyDelta> {
    let (old_order, old_map) = holders(old);
    let (new_order, new_map) = holders(new);
    let mut out = Vec::new();
    let words = new_order
        .iter()
        .chain(old_order.iter().filter(|w| !new_map.contains_key(*w)));
    for key in words {
        let (old_text, old_parties) = old_map
            .get(key)
            .map(|(t, p)| (Some(t), p.as_slice()))
            .unwrap_or((None, &[]));
        let (new_text, new_parties) = new_map
            .get(key)
            .map(|(t, p)| (Some(t), p.as_slice()))
            .unwrap_or((None, &[]));
        let word = new_text.or(old_text).cloned().unwrap_or_default();
        let left: Vec<&String> = old_parties
            .iter()
            .filter(|p| !new_parties.contains(p))
            .collect();
        let joined: Vec<&String> = new_parties
            .iter()
            .filter(|p| !old_parties.contains(p))
            .collect();
        let pairs = left.len().min(joined.len());
        for i in 0..pairs {
            out.push(DutyDelta::Moved {
                word: word.clone(),
                from: left[i].clone(),
                to: joined[i].clone(),
            });
        }
        for party in &joined[pairs..] {
            out.push(DutyDelta::Added {
                word: word.clone(),
                party: (*party).clone(),
            });
        }
        for party in &left[pairs..] {
            out.push(DutyDelta::Removed {
                word: word.clone(),
                party: (*party).clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Party;

    fn duty(party: &str, covers: &[&str]) -> Duty {
        Duty {
            party: Party::parse(party),
            covers: covers.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_word_that_changes_party_is_one_move() {
        let old = [
            duty("platform-data", &["provisioning", "query optimization"]),
            duty("@consumers", &["schema"]),
        ];
        let new = [
            duty("platform-data", &["provisioning"]),
            duty("@consumers", &["schema", "Query  Optimization"]),
        ];
        assert_eq!(
            diff_duties(&old, &new),
            vec![DutyDelta::Moved {
                word: "Query  Optimization".trim().into(),
                from: "platform-data".into(),
                to: "@consumers".into()
            }]
        );
    }

    #[test]
    fn unmatched_words_are_additions_and_removals() {
        let old = [duty("platform-infra", &["state surgery", "backends"])];
        let new = [
            duty("platform-infra", &["state surgery"]),
            duty("@consumers", &["state surgery"]),
        ];
        assert_eq!(
            diff_duties(&old, &new),
            vec![
                DutyDelta::Added {
                    word: "state surgery".into(),
                    party: "@consumers".into()
                },
                DutyDelta::Removed {
                    word: "backends".into(),
                    party: "platform-infra".into()
                },
            ]
        );
    }

    #[test]
    fn reordering_words_or_duties_changes_nothing() {
        let old = [duty("a", &["x", "y"]), duty("b", &["z"])];
        let new = [duty("b", &["z"]), duty("a", &["y", "x"])];
        assert!(diff_duties(&old, &new).is_empty());
    }
}
