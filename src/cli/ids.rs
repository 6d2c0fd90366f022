//! `--team ID` and `--component ID` of `history` and `diff`: an id found in
//! no version of the data is a typo, and a typo must not look like a quiet
//! team ("No boundary changes"). An id that existed once (a removed team)
//! is valid: its history is exactly what one asks for.

use crate::history::{self, Filter, HistoryEntry, WalkOptions};
use crate::model::{Model, SubjectKind};
use crate::repo::Repo;
use std::collections::BTreeSet;

/// The ids of one kind known from `models` and the changes of `entries`.
fn known(kind: SubjectKind, models: &[&Model], entries: &[HistoryEntry]) -> BTreeSet<String> {
    let mut seen = Seen::default();
    seen.add(entries);
    seen.known(kind, models)
}

/// The subject ids of the changes seen so far: `history` streams its
/// entries and keeps only these of the ones its filter drops.
#[derive(Default)]
pub struct Seen {
    components: BTreeSet<String>,
    teams: BTreeSet<String>,
}

impl Seen {
    pub fn add(&mut self, entries: &[HistoryEntry]) {
        for c in entries.iter().flat_map(|e| &e.changes) {
            match c.subject.kind {
                SubjectKind::Team => self.teams.insert(c.subject.id.clone()),
                SubjectKind::Component => self.components.insert(c.subject.id.clone()),
                _ => false,
            };
        }
    }

    fn known(&self, kind: SubjectKind, models: &[&Model]) -> BTreeSet<String> {
        let mut ids = match kind {
            SubjectKind::Team => self.teams.clone(),
            _ => self.components.clone(),
        };
        for m in models {
            match kind {
                SubjectKind::Team => ids.extend(m.teams.iter().map(|t| t.id.clone())),
                _ => ids.extend(m.components.iter().map(|c| c.id.clone())),
            }
        }
        ids
    }
}

/// Ok when every id of `filter` exists in `models`, in `entries`, or in
/// some version of the history (walked only when the first two do not
/// know it); else the sentence for a usage error, with the closest ids.
/// `complete`: `entries` already cover the whole history.
pub fn check(
    repo: &Repo,
    filter: &Filter,
    models: &[&Model],
    entries: &[HistoryEntry],
    complete: bool,
) -> Result<(), String> {
    let mut seen = Seen::default();
    seen.add(entries);
    check_seen(repo, filter, models, &seen, complete)
}

/// `check` with the ids of the entries already gathered.
pub fn check_seen(
    repo: &Repo,
    filter: &Filter,
    models: &[&Model],
    seen: &Seen,
    complete: bool,
) -> Result<(), String> {
    let asked: Vec<(SubjectKind, &str, &str)> = [
        (SubjectKind::Team, "--team", filter.team.as_deref()),
        (
            SubjectKind::Component,
            "--component",
            filter.component.as_deref(),
        ),
    ]
    .into_iter()
    .filter_map(|(k, flag, id)| id.map(|id| (k, flag, id)))
    .collect();
    let mut full: Option<Vec<HistoryEntry>> = None;
    for (kind, flag, id) in asked {
        if seen.known(kind, models).contains(id) {
            continue;
        }
        if !complete && repo.git().is_some() && full.is_none() {
            full = Some(
                history::collect(repo, WalkOptions::default())
                    .map(|(e, _)| e)
                    .unwrap_or_default(),
            );
        }
        let all = known(kind, models, full.as_deref().unwrap_or(&[]));
        if all.contains(id) {
            continue;
        }
        let mut everything = seen.known(kind, models);
        everything.extend(all);
        let closest = crate::triage::closest(everything.iter().map(String::as_str), id, 3);
        let hint = if closest.is_empty() {
            String::new()
        } else {
            format!(" Closest: {}.", closest.join(", "))
        };
        return Err(format!(
            "{flag} {id}: no {} `{id}` in any version of the data.{hint}",
            kind.as_str()
        ));
    }
    Ok(())
}
