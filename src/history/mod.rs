//! History of boundary changes: walk the commits that touched the data
//! folder and compare consecutive versions semantically. No terminal here:
//! the `history` and `diff` commands and the dashboard's History view are
//! faces of these functions.
//!
//! For a worker thread: `Walker::new(&repo, options)?` then `next_batch()`
//! until it returns None or the user goes elsewhere (or `walk` with a
//! callback returning `ControlFlow::Break` to stop); entries come newest
//! first with a `Progress`. `ownership::owner_since` and `oncall_since`
//! answer "since when, and who made it so" from the entries.

pub mod change;
pub mod diff;
pub mod ownership;
mod state;
mod tables;
pub mod walk;
pub mod words;

pub use change::{Change, ChangeKind, Value};
pub use diff::{Entities, diff_entities, diff_models};
pub use ownership::{Since, oncall_since, owner_since};
pub use walk::{
    Batch, HistoryEntry, Progress, StartFile, Summary, Version, WalkOptions, Walker, collect,
    collect_seeded, walk,
};

use crate::model::SubjectKind;

/// `--component ID` and `--team ID`: which changes a reader asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Changes whose subject is this component.
    pub component: Option<String>,
    /// Changes that involve this team: as subject, from/to, party, or as
    /// the owner of the component the change is about.
    pub team: Option<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.component.is_none() && self.team.is_none()
    }

    pub fn keeps(&self, change: &Change) -> bool {
        let component = self.component.as_ref().is_none_or(|id| {
            change.subject.kind == SubjectKind::Component && &change.subject.id == id
        });
        let team = self.team.as_ref().is_none_or(|id| change.involves_team(id));
        component && team
    }

    /// The entries with only the changes kept. With a filter, commits left
    /// without a change are dropped (broken ones too: their changes count
    /// towards the next good commit, which shows them); without one, every
    /// entry stays, "no boundary changes" included.
    pub fn apply(&self, entries: Vec<HistoryEntry>) -> Vec<HistoryEntry> {
        if self.is_empty() {
            return entries;
        }
        entries
            .into_iter()
            .filter_map(|mut entry| {
                entry.changes.retain(|c| self.keeps(c));
                (!entry.changes.is_empty()).then_some(entry)
            })
            .collect()
    }
}
