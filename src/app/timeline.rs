//! The History tab: the semantic history, filled in batch by batch by a
//! walker thread, filtered by team, component, kind and text; Enter time
//! travels the whole dashboard to the selected commit.

use super::{App, Scroll, Tab};
use crate::history::ownership::{self, Since};
use crate::history::{ChangeKind, Filter, HistoryEntry, Progress};
use crate::model::{Subject, SubjectKind};
use crate::repo::Source;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    pub team: Option<String>,
    pub component: Option<String>,
    pub kind: Option<ChangeKind>,
    /// Words looked for in the commit message, author and change sentences.
    pub text: String,
    /// Only commits of this month or quarter (Enter on a Trends period).
    pub period: Option<crate::trends::Period>,
}

impl HistoryFilter {
    pub fn is_empty(&self) -> bool {
        *self == HistoryFilter::default()
    }

    /// Does the entry show under this filter? Without one every commit
    /// shows, those without a boundary change included.
    pub fn keeps(&self, entry: &HistoryEntry) -> bool {
        if self.is_empty() {
            return true;
        }
        if let Some(period) = self.period {
            if !period.contains(&entry.commit.time) {
                return false;
            }
            let only_period = self.team.is_none()
                && self.component.is_none()
                && self.kind.is_none()
                && self.text.is_empty();
            if only_period {
                return true;
            }
        }
        let scope = Filter {
            component: self.component.clone(),
            team: self.team.clone(),
        };
        let text = self.text.to_lowercase();
        let in_commit = |e: &HistoryEntry| {
            e.commit.message.to_lowercase().contains(&text)
                || e.commit.author.to_lowercase().contains(&text)
        };
        entry.changes.iter().any(|c| {
            scope.keeps(c)
                && self.kind.is_none_or(|k| c.kind == k)
                && (text.is_empty() || in_commit(entry) || c.line().to_lowercase().contains(&text))
        }) || (scope.is_empty() && self.kind.is_none() && !text.is_empty() && in_commit(entry))
    }
}

#[derive(Debug, Clone, Default)]
pub struct HistoryState {
    /// Which walk the entries belong to; batches of an older one are dropped.
    pub generation: u64,
    pub started: bool,
    /// Newest first, as the walker delivers them.
    pub entries: Vec<HistoryEntry>,
    pub progress: Option<Progress>,
    pub done: bool,
    pub error: Option<String>,
    pub rows: Scroll,
    pub filter: HistoryFilter,
    /// True while the text filter is being typed.
    pub typing: bool,
    /// The entries are of the previous walk, kept on screen until the
    /// new walk's first batch replaces them (so a restart does not blank
    /// the view and the cards' recent changes).
    pub stale: bool,
    /// Since when owners and on-calls hold, from the entries so far;
    /// rebuilt when more entries have arrived (see `App::since`).
    since: std::cell::RefCell<SinceCache>,
    /// The trends series of this walk, from the walker thread.
    pub trends: Option<Box<super::trends::TrendsData>>,
}

#[derive(Debug, Clone, Default)]
struct SinceCache {
    /// Which walk, and how many of its entries, the maps were built from.
    generation: u64,
    entries: usize,
    /// The triage cards' "since" (built lazily from the same entries).
    cards: Option<std::rc::Rc<crate::triage::SinceMaps>>,
    owners: std::collections::HashMap<String, Since>,
    oncalls: std::collections::HashMap<String, Since>,
}

impl HistoryState {
    /// Indices of the entries shown under the filter.
    pub fn shown(&self) -> Vec<usize> {
        (0..self.entries.len())
            .filter(|&i| self.filter.keeps(&self.entries[i]))
            .collect()
    }

    /// The change kinds present, for cycling the kind filter.
    pub fn kinds(&self) -> Vec<ChangeKind> {
        let mut kinds: Vec<ChangeKind> = self
            .entries
            .iter()
            .flat_map(|e| e.changes.iter().map(|c| c.kind))
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }
}

impl App {
    /// "since 2026-05-18 by Priya Natarajan (a62b987)": since when the
    /// current owner of component `id` owns it (kind Component), or the
    /// on-call of team `id` is as it is (kind Team), from the history the
    /// walker has delivered. `holder` is the owner team or rotation shown:
    /// when the newest change names another (the data shown is an older
    /// commit), nothing is said rather than something wrong. None when
    /// there is no history, or the change is older than what was walked.
    pub fn since(&self, kind: SubjectKind, id: &str, holder: Option<&str>) -> Option<String> {
        if !self.history.started {
            return None;
        }
        self.refresh_since_cache();
        let cache = self.history.since.borrow();
        let map = match kind {
            SubjectKind::Team => &cache.oncalls,
            _ => &cache.owners,
        };
        match map.get(id) {
            Some(since) if since.holder.is_none() || since.holder.as_deref() == holder => {
                let c = &since.commit;
                Some(format!(
                    "since {} by {} ({})",
                    c.time.format("%Y-%m-%d"),
                    crate::sanitize::line(&c.author),
                    c.short_id()
                ))
            }
            Some(_) => None,
            None if !self.history.done => Some("since ? (reading the history…)".into()),
            None => None,
        }
    }

    fn refresh_since_cache(&self) {
        let mut cache = self.history.since.borrow_mut();
        if cache.entries != self.history.entries.len()
            || cache.generation != self.history.generation
        {
            *cache = SinceCache {
                generation: self.history.generation,
                entries: self.history.entries.len(),
                cards: None,
                owners: ownership::owner_since(&self.history.entries),
                oncalls: ownership::oncall_since(&self.history.entries),
            };
        }
    }

    /// The triage cards' "since", from the history walked so far, for the
    /// data as of `moment` (None: the newest data, HEAD's line).
    pub fn since_maps(
        &self,
        moment: Option<chrono::DateTime<chrono::FixedOffset>>,
    ) -> std::rc::Rc<crate::triage::SinceMaps> {
        use crate::triage::SinceMaps;
        use std::rc::Rc;
        if !self.history.started {
            return Rc::new(SinceMaps::unknown("the history was not read"));
        }
        if let Some(error) = &self.history.error {
            return Rc::new(SinceMaps::unknown(error));
        }
        let complete = self.history.done && !self.history.stale;
        let missing = (!complete).then_some("reading the history…");
        let build = |entries: &[HistoryEntry]| {
            let first = complete
                .then(|| entries.last().map(|e| e.commit.id.clone()))
                .flatten();
            SinceMaps::build(entries, first, missing)
        };
        match moment {
            // An older version: only the commits up to it tell its "since".
            Some(moment) => {
                let from = self
                    .history
                    .entries
                    .iter()
                    .position(|e| e.commit.time <= moment)
                    .unwrap_or(self.history.entries.len());
                Rc::new(build(&self.history.entries[from..]))
            }
            None => {
                self.refresh_since_cache();
                let mut cache = self.history.since.borrow_mut();
                cache
                    .cards
                    .get_or_insert_with(|| Rc::new(build(&self.history.entries)))
                    .clone()
            }
        }
    }

    /// Walks again after HEAD moved, keeping the old entries on screen
    /// until the first batch of the new walk arrives.
    pub fn restart_history(&mut self) {
        let old = std::mem::take(&mut self.history.entries);
        self.start_history();
        self.history.entries = old;
        self.history.stale = true;
    }

    /// Starts (or restarts) the walk on a worker.
    pub fn start_history(&mut self) {
        let generation = self.history.generation + 1;
        let filter = std::mem::take(&mut self.history.filter);
        self.history = HistoryState {
            generation,
            started: true,
            filter,
            ..Default::default()
        };
        self.requests
            .push(super::worker::Request::History { generation });
    }

    pub fn on_history_batch(
        &mut self,
        generation: u64,
        entries: Vec<HistoryEntry>,
        progress: Progress,
    ) {
        if generation != self.history.generation {
            return;
        }
        if self.history.stale {
            self.history.entries.clear();
            self.history.stale = false;
        }
        self.history.done = progress.done;
        self.history.progress = Some(progress);
        self.history.entries.extend(entries);
    }

    pub fn on_history_end(&mut self, generation: u64, error: Option<String>) {
        if generation != self.history.generation {
            return;
        }
        if self.history.stale {
            self.history.entries.clear();
            self.history.stale = false;
        }
        self.history.done = true;
        self.history.error = error;
    }

    pub(super) fn show_history(&mut self) {
        self.tab = Tab::History;
        if !self.history.started {
            self.start_history();
        }
    }

    /// `h`: the History tab, filtered to the selected team or component.
    pub(super) fn history_of_selected(&mut self) {
        let subject = self.selected_subject();
        self.popup = None;
        self.push_place();
        let mut filter = HistoryFilter::default();
        match subject {
            Some(Subject {
                kind: SubjectKind::Team,
                id,
            }) => filter.team = Some(id),
            Some(Subject {
                kind: SubjectKind::Component,
                id,
            }) => filter.component = Some(id),
            _ => {}
        }
        self.history.filter = filter;
        self.history.rows = Scroll::default();
        self.show_history();
    }

    /// Enter on a commit: the whole dashboard shows that version.
    pub(super) fn travel_to_selected_commit(&mut self) {
        let shown = self.history.shown();
        if let Some(&i) = shown.get(self.history.rows.selected) {
            let id = self.history.entries[i].commit.id.clone();
            self.travel(Source::Rev(id));
        }
    }

    pub(super) fn cycle_history_kind(&mut self) {
        let kinds = self.history.kinds();
        self.history.filter.kind = match self.history.filter.kind {
            None => kinds.first().copied(),
            Some(k) => kinds
                .iter()
                .position(|x| *x == k)
                .and_then(|i| kinds.get(i + 1))
                .copied(),
        };
        self.history.rows = Scroll::default();
    }

    /// Keys while the text filter is typed; true when the key was used.
    pub(super) fn type_history_text(&mut self, key: &crossterm::event::KeyEvent) -> bool {
        use super::line_edit::{Edit, edit};
        if !self.history.typing {
            return false;
        }
        match edit(&mut self.history.filter.text, key) {
            Edit::Changed => {}
            Edit::Submit | Edit::Cancel => self.history.typing = false,
            Edit::Ignored => return false,
        }
        self.history.rows = Scroll::default();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Change;
    use crate::repo::CommitInfo;

    fn entry(message: &str, changes: Vec<Change>) -> HistoryEntry {
        HistoryEntry {
            commit: CommitInfo {
                id: "0".repeat(40),
                time: chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap(),
                author: "Ana".into(),
                email: "a@x".into(),
                message: message.into(),
            },
            broken: None,
            changes,
        }
    }

    #[test]
    fn filters_by_kind_component_and_text() {
        let owner = Change::new(
            ChangeKind::OwnerChanged,
            Subject::new(SubjectKind::Component, "kafka"),
        )
        .done();
        let e = entry("Move kafka to streaming", vec![owner]);
        let empty = entry("Tidy review dates", vec![]);
        let mut f = HistoryFilter::default();
        assert!(f.keeps(&e) && f.keeps(&empty));
        f.kind = Some(ChangeKind::OwnerChanged);
        assert!(f.keeps(&e) && !f.keeps(&empty));
        f.kind = Some(ChangeKind::TierChanged);
        assert!(!f.keeps(&e));
        f = HistoryFilter {
            component: Some("kafka".into()),
            ..Default::default()
        };
        assert!(f.keeps(&e));
        f.component = Some("redis".into());
        assert!(!f.keeps(&e));
        f = HistoryFilter {
            text: "review".into(),
            ..Default::default()
        };
        assert!(f.keeps(&empty) && !f.keeps(&e));
    }
}
