//! Time travel support: since when does the current owner (or on-call)
//! hold something, and which commit and author made it so.
//!
//! Works on the entries of a walk, newest first, so the dashboard can call
//! it again as more batches arrive: an id missing from the map was last
//! changed before the part of the history walked so far.

use super::change::{ChangeKind, Value};
use super::walk::HistoryEntry;
use crate::model::SubjectKind;
use crate::repo::CommitInfo;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq)]
pub struct Since {
    /// Who holds it now according to that change: the owner team, or the
    /// on-call rotation; None when the change does not name one (a team
    /// added without a rotation, an on-call change of pager or hours).
    pub holder: Option<String>,
    /// The commit that made it so: id, time, author, message.
    pub commit: CommitInfo,
    pub kind: ChangeKind,
}

/// The newest change of `kinds` per subject id of `subject`, newest first.
/// A subject whose newest such change is a removal is left out: it no
/// longer exists.
pub fn latest_by_subject(
    entries: &[HistoryEntry],
    subject: SubjectKind,
    kinds: &[ChangeKind],
    removal: ChangeKind,
) -> HashMap<String, Since> {
    let mut out = HashMap::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for entry in entries {
        for change in &entry.changes {
            if change.subject.kind != subject || seen.contains(change.subject.id.as_str()) {
                continue;
            }
            if change.kind == removal {
                seen.insert(&change.subject.id);
            } else if kinds.contains(&change.kind) {
                seen.insert(&change.subject.id);
                let holder = match &change.to {
                    Some(Value::Text(t)) if change.kind != ChangeKind::TeamAdded => Some(t.clone()),
                    _ => None,
                };
                out.insert(
                    change.subject.id.clone(),
                    Since {
                        holder,
                        commit: entry.commit.clone(),
                        kind: change.kind,
                    },
                );
            }
        }
    }
    out
}

/// Component id -> since when its current owner owns it (the component's
/// addition or its last owner change).
pub fn owner_since(entries: &[HistoryEntry]) -> HashMap<String, Since> {
    latest_by_subject(
        entries,
        SubjectKind::Component,
        &[ChangeKind::ComponentAdded, ChangeKind::OwnerChanged],
        ChangeKind::ComponentRemoved,
    )
}

/// Team id -> since when its current on-call arrangement (rotation, pager,
/// hours) holds: the team's addition or its last on-call change.
pub fn oncall_since(entries: &[HistoryEntry]) -> HashMap<String, Since> {
    let mut out = latest_by_subject(
        entries,
        SubjectKind::Team,
        &[ChangeKind::TeamAdded, ChangeKind::OncallChanged],
        ChangeKind::TeamRemoved,
    );
    // Only a rotation change names the rotation that now holds the pager.
    for (id, since) in out.iter_mut() {
        let rotation_changed = entries
            .iter()
            .find(|e| e.commit.id == since.commit.id)
            .and_then(|e| {
                e.changes.iter().find(|c| {
                    c.kind == ChangeKind::OncallChanged
                        && c.subject.id == *id
                        && c.field.as_deref() == Some("rotation")
                })
            });
        since.holder = match rotation_changed.and_then(|c| c.to.as_ref()) {
            Some(Value::Text(rotation)) => Some(rotation.clone()),
            _ => None,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::change::Change;
    use crate::model::Subject;

    fn entry(id: &str, changes: Vec<Change>) -> HistoryEntry {
        HistoryEntry {
            commit: CommitInfo {
                id: id.into(),
                time: chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap(),
                author: "A".into(),
                email: "a@x".into(),
                message: "m".into(),
            },
            broken: None,
            changes,
        }
    }

    fn owner(id: &str, from: Option<&str>, to: &str) -> Change {
        let kind = if from.is_some() {
            ChangeKind::OwnerChanged
        } else {
            ChangeKind::ComponentAdded
        };
        Change::new(kind, Subject::new(SubjectKind::Component, id))
            .from_to(from.map(Value::text), Some(Value::text(to)))
            .done()
    }

    #[test]
    fn the_newest_owner_change_wins_and_removed_components_vanish() {
        let entries = vec![
            entry("c3", vec![owner("kafka", Some("data"), "streaming")]),
            entry(
                "c2",
                vec![
                    Change::new(
                        ChangeKind::ComponentRemoved,
                        Subject::new(SubjectKind::Component, "jenkins"),
                    )
                    .from_to(Some(Value::text("devex")), None)
                    .done(),
                ],
            ),
            entry(
                "c1",
                vec![
                    owner("kafka", None, "data"),
                    owner("jenkins", None, "devex"),
                    owner("pg", None, "data"),
                ],
            ),
        ];
        let since = owner_since(&entries);
        assert_eq!(since["kafka"].commit.id, "c3");
        assert_eq!(since["kafka"].holder.as_deref(), Some("streaming"));
        assert_eq!(since["pg"].commit.id, "c1");
        assert_eq!(since["pg"].kind, ChangeKind::ComponentAdded);
        assert!(!since.contains_key("jenkins"));
    }

    #[test]
    fn oncall_since_names_the_rotation_when_it_changed() {
        let team = |id: &str| Subject::new(SubjectKind::Team, id);
        let entries = vec![
            entry(
                "c2",
                vec![
                    Change::new(ChangeKind::OncallChanged, team("data"))
                        .field("hours")
                        .from_to(Some(Value::text("business")), Some(Value::text("24x7")))
                        .done(),
                    Change::new(ChangeKind::OncallChanged, team("data"))
                        .field("rotation")
                        .from_to(Some(Value::text("old")), Some(Value::text("data-24x7")))
                        .done(),
                ],
            ),
            entry(
                "c1",
                vec![
                    Change::new(ChangeKind::TeamAdded, team("data"))
                        .from_to(None, Some(Value::text("Data")))
                        .done(),
                    Change::new(ChangeKind::TeamAdded, team("sre"))
                        .from_to(None, Some(Value::text("SRE")))
                        .done(),
                ],
            ),
        ];
        let since = oncall_since(&entries);
        assert_eq!(since["data"].commit.id, "c2");
        assert_eq!(since["data"].holder.as_deref(), Some("data-24x7"));
        assert_eq!(since["sre"].commit.id, "c1");
        assert_eq!(since["sre"].holder, None);
    }
}
