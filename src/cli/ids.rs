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
    let mut ids = BTreeSet::new();
    for m in models {
        match kind {
            SubjectKind::Team => ids.extend(m.teams.iter().map(|t| t.id.clone())),
            _ => ids.extend(m.components.iter().map(|c| c.id.clone())),
        }
    }
    for e in entries {
        for c in &e.changes {
            if c.subject.kind == kind {
                ids.insert(c.subject.id.clone());
            }
        }
    }
    ids
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
        if known(kind, models, entries).contains(id) {
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
        let mut everything = known(kind, models, entries);
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
