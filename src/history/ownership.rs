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
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub struct Since {
    /// Who holds it now according to that change: the owner team, or the
    /// on-call rotation; None when the change does not name one (a team
    /// added without a rotation, an on-call change of pager or hours).
    pub holder: Option<String>,
    /// The commit that made it so: id, time, author, message. Shared by
    /// every id that commit decides: the founding commit of 200,000
    /// components decided them all, and a copy each was 60 MB.
    pub commit: Arc<CommitInfo>,
    pub kind: ChangeKind,
}

/// Since when owners and on-calls hold, found batch by batch as a walk
/// delivers its entries (newest first): an id's newest change is final
/// once seen, so each batch adds only ids not seen before, and the work
/// is linear in the changes. The dashboard's walker thread runs it and
/// sends each batch's `SinceDelta` with the batch.
#[derive(Debug, Clone, Default)]
pub struct SinceTracker {
    components: HashSet<String>,
    teams: HashSet<String>,
}

/// What one batch of entries adds to the "since" maps: ids none of the
/// earlier batches named. Maps, hashed on the thread that found them: the
/// founding commit's batch adds every component at once, and the side that
/// merges it (`merge_into`) keeps the larger map and inserts the smaller.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SinceDelta {
    /// Component id -> since when its current owner owns it.
    pub owners: HashMap<String, Since>,
    /// Team id -> since when its current on-call holds.
    pub oncalls: HashMap<String, Since>,
}

/// Adds `delta` (whose keys `map` does not hold: a `SinceDelta`'s) to
/// `map`, inserting the smaller of the two into the larger, so a batch
/// that brings 200,000 ids costs the receiver as many inserts as it held
/// before, not 200,000.
pub fn merge_into(map: &mut HashMap<String, Since>, mut delta: HashMap<String, Since>) {
    if delta.len() > map.len() {
        std::mem::swap(map, &mut delta);
    }
    map.extend(delta);
}

impl SinceDelta {
    pub fn is_empty(&self) -> bool {
        self.owners.is_empty() && self.oncalls.is_empty()
    }
}

impl SinceTracker {
    /// The ids whose newest change is in `entries` (the walk's next
    /// entries, newest first, continuing the ones seen so far). A subject
    /// whose newest such change is a removal is left out: it no longer
    /// exists.
    pub fn next(&mut self, entries: &[HistoryEntry]) -> SinceDelta {
        self.next_of(entries, None)
    }

    /// `next`, for the ids of `only` alone (None: every id); stops early
    /// once every one of them is found.
    fn next_of(&mut self, entries: &[HistoryEntry], only: Option<&Ids>) -> SinceDelta {
        let mut delta = SinceDelta::default();
        let kept = |kind: SubjectKind, id: &str| {
            only.is_none_or(|o| match kind {
                SubjectKind::Component => o.components.contains(id),
                _ => o.teams.contains(id),
            })
        };
        for entry in entries {
            if let Some(o) = only
                && self.components.len() == o.components.len()
                && self.teams.len() == o.teams.len()
            {
                break;
            }
            // Rotation changes of this commit by team, found once per
            // commit: a founding commit adds thousands of teams.
            let mut rotations: Option<HashMap<&str, Option<&Value>>> = None;
            // The commit, shared by the entries it decides (see `Since`).
            let mut commit: Option<Arc<CommitInfo>> = None;
            for change in &entry.changes {
                let id = change.subject.id.as_str();
                match change.subject.kind {
                    SubjectKind::Component => {
                        if !is_owner_kind(change.kind)
                            || self.components.contains(id)
                            || !kept(SubjectKind::Component, id)
                        {
                            continue;
                        }
                        match change.kind {
                            ChangeKind::ComponentRemoved => {
                                self.components.insert(id.to_string());
                            }
                            ChangeKind::ComponentAdded | ChangeKind::OwnerChanged => {
                                self.components.insert(id.to_string());
                                let holder = match &change.to {
                                    Some(Value::Text(t)) => Some(t.clone()),
                                    _ => None,
                                };
                                let since = since(entry, &mut commit, holder, change);
                                delta.owners.insert(id.to_string(), since);
                            }
                            _ => {}
                        }
                    }
                    SubjectKind::Team => {
                        if !is_oncall_kind(change.kind)
                            || self.teams.contains(id)
                            || !kept(SubjectKind::Team, id)
                        {
                            continue;
                        }
                        match change.kind {
                            ChangeKind::TeamRemoved => {
                                self.teams.insert(id.to_string());
                            }
                            ChangeKind::TeamAdded | ChangeKind::OncallChanged => {
                                self.teams.insert(id.to_string());
                                // Only a rotation change names the rotation
                                // that now holds the pager.
                                let rotations =
                                    rotations.get_or_insert_with(|| rotation_changes(entry));
                                let holder = match rotations.get(id) {
                                    Some(Some(Value::Text(rotation))) => Some(rotation.clone()),
                                    _ => None,
                                };
                                let since = since(entry, &mut commit, holder, change);
                                delta.oncalls.insert(id.to_string(), since);
                            }
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
        }
        delta
    }
}

/// The changes that decide since when a component's owner holds.
fn is_owner_kind(kind: ChangeKind) -> bool {
    matches!(
        kind,
        ChangeKind::ComponentAdded | ChangeKind::OwnerChanged | ChangeKind::ComponentRemoved
    )
}

/// The changes that decide since when a team's on-call holds.
fn is_oncall_kind(kind: ChangeKind) -> bool {
    matches!(
        kind,
        ChangeKind::TeamAdded | ChangeKind::OncallChanged | ChangeKind::TeamRemoved
    )
}

/// Component and team ids.
#[derive(Debug, Default)]
struct Ids {
    components: HashSet<String>,
    teams: HashSet<String>,
}

/// The "since" maps as of an older moment, told as how they differ from
/// the maps of every entry (`owner_since`/`oncall_since` of the whole
/// walk): for each id a change after the moment decides, its entry as of
/// the moment (None: it had none then). Every other id's entry is the
/// same then as now: its newest change is older than the moment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SinceThen {
    pub owners: HashMap<String, Option<Since>>,
    pub oncalls: HashMap<String, Option<Since>>,
}

impl SinceThen {
    /// `newer`: the entries after the moment, newest first; `older`: those
    /// at or before it, continuing them. Reads `newer` for the ids it
    /// decides, and `older` only until each of them is found: no map of
    /// every id is built (at 200,000 components, the founding commit's
    /// 200,000 entries took the UI thread seconds).
    pub fn of(newer: &[HistoryEntry], older: &[HistoryEntry]) -> SinceThen {
        let mut ids = Ids::default();
        for change in newer.iter().flat_map(|e| &e.changes) {
            match change.subject.kind {
                SubjectKind::Component if is_owner_kind(change.kind) => {
                    ids.components.insert(change.subject.id.clone());
                }
                SubjectKind::Team if is_oncall_kind(change.kind) => {
                    ids.teams.insert(change.subject.id.clone());
                }
                _ => {}
            }
        }
        let mut found = SinceTracker::default().next_of(older, Some(&ids));
        let mut then = SinceThen::default();
        for id in ids.components {
            let since = found.owners.remove(&id);
            then.owners.insert(id, since);
        }
        for id in ids.teams {
            let since = found.oncalls.remove(&id);
            then.oncalls.insert(id, since);
        }
        then
    }
}

fn since(
    entry: &HistoryEntry,
    commit: &mut Option<Arc<CommitInfo>>,
    holder: Option<String>,
    change: &super::change::Change,
) -> Since {
    let commit = commit.get_or_insert_with(|| Arc::new(entry.commit.clone()));
    Since {
        holder,
        commit: Arc::clone(commit),
        kind: change.kind,
    }
}

/// Team id -> the rotation an on-call change of this commit names (the
/// first such change of the team, as the commit lists them).
fn rotation_changes(entry: &HistoryEntry) -> HashMap<&str, Option<&Value>> {
    let mut out = HashMap::new();
    for c in &entry.changes {
        if c.kind == ChangeKind::OncallChanged && c.field.as_deref() == Some("rotation") {
            out.entry(c.subject.id.as_str()).or_insert(c.to.as_ref());
        }
    }
    out
}

/// Component id -> since when its current owner owns it (the component's
/// addition or its last owner change).
pub fn owner_since(entries: &[HistoryEntry]) -> HashMap<String, Since> {
    SinceTracker::default().next(entries).owners
}

/// Team id -> since when its current on-call arrangement (rotation, pager,
/// hours) holds: the team's addition or its last on-call change.
pub fn oncall_since(entries: &[HistoryEntry]) -> HashMap<String, Since> {
    SinceTracker::default().next(entries).oncalls
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

    /// The ids one commit decides share its `CommitInfo`, owners and
    /// on-calls alike: at 200,000 components a copy each was 60 MB.
    #[test]
    fn the_ids_a_commit_decides_share_its_commit() {
        let team = Subject::new(SubjectKind::Team, "data");
        let entries = vec![
            entry("c2", vec![owner("kafka", Some("data"), "streaming")]),
            entry(
                "c1",
                vec![
                    owner("pg", None, "data"),
                    owner("redis", None, "data"),
                    Change::new(ChangeKind::TeamAdded, team)
                        .from_to(None, Some(Value::text("Data")))
                        .done(),
                ],
            ),
        ];
        let delta = SinceTracker::default().next(&entries);
        let (pg, redis) = (&delta.owners["pg"].commit, &delta.owners["redis"].commit);
        assert_eq!(pg.id, "c1");
        assert!(Arc::ptr_eq(pg, redis));
        assert!(Arc::ptr_eq(pg, &delta.oncalls["data"].commit));
        assert!(!Arc::ptr_eq(pg, &delta.owners["kafka"].commit));
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

    /// The maps as they were built before `SinceTracker` (whole entries at
    /// once, the on-call holder looked up commit by commit): the tracker
    /// must give the same answers, batch by batch or at once.
    fn reference(entries: &[HistoryEntry], team: bool) -> HashMap<String, Since> {
        let (subject, kinds, removal) = if team {
            (
                SubjectKind::Team,
                [ChangeKind::TeamAdded, ChangeKind::OncallChanged],
                ChangeKind::TeamRemoved,
            )
        } else {
            (
                SubjectKind::Component,
                [ChangeKind::ComponentAdded, ChangeKind::OwnerChanged],
                ChangeKind::ComponentRemoved,
            )
        };
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
                        Some(Value::Text(t)) if change.kind != ChangeKind::TeamAdded => {
                            Some(t.clone())
                        }
                        _ => None,
                    };
                    let since = Since {
                        holder,
                        commit: Arc::new(entry.commit.clone()),
                        kind: change.kind,
                    };
                    out.insert(change.subject.id.clone(), since);
                }
            }
        }
        if team {
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
        }
        out
    }

    fn same_as_before(entries: &[HistoryEntry]) {
        let owners = reference(entries, false);
        let oncalls = reference(entries, true);
        assert!(!owners.is_empty() && !oncalls.is_empty());
        assert_eq!(owner_since(entries), owners);
        assert_eq!(oncall_since(entries), oncalls);
        // Batch by batch, as the dashboard's walker sends them.
        for size in [1, 7, 50] {
            let mut tracker = SinceTracker::default();
            let (mut o, mut t) = (HashMap::new(), HashMap::new());
            for batch in entries.chunks(size) {
                let delta = tracker.next(batch);
                for (id, since) in delta.owners {
                    assert!(o.insert(id, since).is_none(), "an id is final once sent");
                }
                for (id, since) in delta.oncalls {
                    assert!(t.insert(id, since).is_none(), "an id is final once sent");
                }
            }
            assert_eq!(o, owners, "batches of {size}");
            assert_eq!(t, oncalls, "batches of {size}");
            // Merged as the dashboard merges them, the larger side kept.
            let mut tracker = SinceTracker::default();
            let (mut o, mut t) = (HashMap::new(), HashMap::new());
            for batch in entries.chunks(size) {
                let delta = tracker.next(batch);
                merge_into(&mut o, delta.owners);
                merge_into(&mut t, delta.oncalls);
            }
            assert_eq!(o, owners, "merged, batches of {size}");
            assert_eq!(t, oncalls, "merged, batches of {size}");
        }
        // As of each older moment: the maps of every entry, told how they
        // differ then, equal the maps of the entries up to that moment.
        let ids: HashSet<&str> = entries
            .iter()
            .flat_map(|e| &e.changes)
            .map(|c| c.subject.id.as_str())
            .collect();
        let step = (entries.len() / 40).max(1);
        for split in (0..=entries.len()).step_by(step) {
            let (newer, older) = entries.split_at(split);
            let then = SinceThen::of(newer, older);
            let (o, t) = (owner_since(older), oncall_since(older));
            for id in &ids {
                let owner = match then.owners.get(*id) {
                    Some(s) => s.as_ref(),
                    None => owners.get(*id),
                };
                assert_eq!(owner, o.get(*id), "owner of {id} as of entry {split}");
                let oncall = match then.oncalls.get(*id) {
                    Some(s) => s.as_ref(),
                    None => oncalls.get(*id),
                };
                assert_eq!(oncall, t.get(*id), "on-call of {id} as of entry {split}");
            }
        }
    }

    #[test]
    fn the_tracker_answers_as_before_on_the_sample() {
        let dir = tempfile::tempdir().unwrap();
        crate::sample::build(dir.path()).unwrap();
        let repo = crate::repo::Repo::open(dir.path(), None).unwrap();
        let (entries, _) = crate::history::collect(&repo, Default::default()).unwrap();
        same_as_before(&entries);
    }

    #[test]
    fn the_tracker_answers_as_before_on_a_generated_history() {
        let dir = tempfile::tempdir().unwrap();
        let params = crate::synth::Params {
            teams: 12,
            components: 150,
            commits: 300,
            data_share: 0.5,
            dir: "ownership".into(),
            ..Default::default()
        };
        crate::synth::generate(dir.path(), &params).unwrap();
        let repo = crate::repo::Repo::open(dir.path(), Some("ownership")).unwrap();
        let (entries, _) = crate::history::collect(&repo, Default::default()).unwrap();
        same_as_before(&entries);
    }
}
