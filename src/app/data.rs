//! The data every tab reads: the model loaded and its indexes, the history
//! walked so far, and the versions read beside it (the Triage tab's "as of
//! the incident", the work tree while time travelling). Changed only by
//! what the workers report (see `App::on_event`).

use super::msg::{Request, TrendsData};
use crate::history::ownership::{Since, SinceDelta, SinceThen, SinceTracker, merge_into};
use crate::history::{HistoryEntry, Progress};
use crate::model::facts::Facts;
use crate::model::{Diagnostic, Incomplete, Model, Subject, SubjectKind};
use crate::repo::{FindingsBySubject, Loaded, Source};
use crate::triage::SinceMaps;
use chrono::{DateTime, FixedOffset, Utc};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

pub struct Data {
    /// The model shown; None until the first load.
    /// Shared with a Triage "as of" card opened on the same version
    /// (`--at`), so that card costs no copy of the model.
    pub loaded: Option<Arc<Loaded>>,
    /// Indexes over the loaded model, rebuilt with it.
    pub facts: Facts,
    /// Bumped on every load, so what tabs derive knows when the model changed.
    pub generation: u64,
    /// Bumped whenever the findings change (a load, then its `Checked`),
    /// so what is derived from them knows.
    pub findings: u64,
    /// The version shown is still being checked: its findings so far are
    /// only the reader's and the parser's (the status bar says so).
    pub checking: bool,
    /// The semantic history, as far as it has been walked.
    pub walk: Walk,
    /// The data the dashboard was opened on (`--rev`, `--at`, or the work
    /// tree), and the data shown now (another commit while time travelling).
    pub launch: Source,
    pub shown: Source,
    /// "Now" for the recent-changes window; None: the wall clock (tests
    /// fix it so snapshots do not move with the calendar).
    pub clock: Option<DateTime<FixedOffset>>,
    /// The Triage tab's "as of the incident" model, read by the loader.
    pub as_of: Option<AsOf>,
    /// The work tree's model, read beside the one shown while time
    /// travelling, so an "as of" card can say what differs now.
    pub now_model: Option<Box<Loaded>>,
    /// Bumped whenever `as_of` or `now_model` change, so what is derived
    /// from them knows.
    pub asides: u64,
    /// The files of the version shown that did not load, for `findings`:
    /// every frame says so, and finding them reads every finding.
    incomplete: super::list::Memo<u64, Vec<Incomplete>>,
    /// (errors, warnings) among the findings, for `findings`.
    counts: super::list::Memo<u64, (usize, usize)>,
    /// Subject -> indices of the findings about it, for `findings_about`,
    /// built here on first use: the findings a version is first shown
    /// with (the reader's and the parser's) are few.
    by_subject: super::list::Memo<u64, FindingsBySubject>,
    /// The same for `check`'s findings, built where they were found (the
    /// loader) and sent with them: at 200,000 components there are tens
    /// of thousands (hundreds of milliseconds on the UI thread). With the
    /// value of `findings` it is of.
    by_subject_sent: Option<(u64, Arc<FindingsBySubject>)>,
}

impl Default for Data {
    fn default() -> Self {
        Data {
            loaded: None,
            facts: Facts::default(),
            generation: 0,
            findings: 0,
            checking: false,
            walk: Walk::default(),
            launch: Source::WorkTree,
            shown: Source::WorkTree,
            clock: None,
            as_of: None,
            now_model: None,
            asides: 0,
            incomplete: Default::default(),
            counts: Default::default(),
            by_subject: Default::default(),
            by_subject_sent: None,
        }
    }
}

impl Data {
    pub fn model(&self) -> Option<&Model> {
        self.loaded.as_ref().map(|l| &l.model)
    }

    /// The files of the version shown that did not load (see
    /// `model::Incomplete`), found once per change of the findings.
    pub fn incomplete(&self) -> Rc<Vec<Incomplete>> {
        let Some(loaded) = &self.loaded else {
            return Rc::default();
        };
        self.incomplete
            .get(self.findings, || Incomplete::of(&loaded.diagnostics))
    }

    /// How many of the findings are errors and how many warnings, counted
    /// once per change of the findings (the status bar shows them).
    pub fn finding_counts(&self) -> (usize, usize) {
        let Some(loaded) = &self.loaded else {
            return (0, 0);
        };
        *self
            .counts
            .get(self.findings, || (loaded.errors(), loaded.warnings()))
    }

    /// The findings a triage card of `subject` reads, in their order: those
    /// about it and, for a scenario, about its components. A card given
    /// these says what it says given all of them; at 200,000 components
    /// there are tens of thousands, and the Triage list builds a card per
    /// row it shows.
    pub fn findings_about(&self, subject: &Subject) -> Vec<Diagnostic> {
        let Some(loaded) = &self.loaded else {
            return Vec::new();
        };
        match &self.by_subject_sent {
            Some((findings, index)) if *findings == self.findings => {
                index.about(&loaded.model, &loaded.diagnostics, subject)
            }
            _ => self
                .by_subject
                .get(self.findings, || {
                    FindingsBySubject::build(&loaded.diagnostics)
                })
                .about(&loaded.model, &loaded.diagnostics, subject),
        }
    }

    /// The index by subject the loader sent with the findings shown, if
    /// it is of them (None: `findings_about` builds one here).
    pub fn findings_by_subject_sent(&self) -> Option<&FindingsBySubject> {
        match &self.by_subject_sent {
            Some((findings, index)) if *findings == self.findings => Some(index),
            _ => None,
        }
    }

    /// The index by subject of the findings now in the version shown,
    /// built off the UI thread (see `by_subject_sent`); call after
    /// `findings` was bumped for them.
    pub fn set_findings_by_subject(&mut self, index: FindingsBySubject) {
        let old = self
            .by_subject_sent
            .replace((self.findings, Arc::new(index)));
        super::drop_later::drop_later(old);
    }

    /// The moment "now" stands for in the recent-changes window.
    pub fn now_moment(&self) -> DateTime<FixedOffset> {
        self.clock.unwrap_or_else(|| Utc::now().fixed_offset())
    }

    /// The model "now" is: the one shown when it is the work tree, else the
    /// work tree read aside.
    pub fn now_loaded(&self) -> Option<&Loaded> {
        if self.shown == Source::WorkTree {
            self.loaded.as_deref()
        } else {
            self.now_model.as_deref()
        }
    }
}

/// The "as of the incident" read: what was asked, and how it went.
pub struct AsOf {
    /// As typed (a date or an RFC 3339 time), resolved on the loader.
    pub when: String,
    pub state: AsOfState,
}

pub enum AsOfState {
    Reading,
    Ready {
        loaded: Arc<Loaded>,
        moment: DateTime<FixedOffset>,
    },
    Failed(String),
}

/// The history walk: filled in batch by batch by a walker thread. It feeds
/// the History and Trends tabs, the Triage cards' recent changes and the
/// "since" lines of Components and Teams.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    /// Which walk the entries belong to; batches of an older one are dropped.
    pub generation: u64,
    pub started: bool,
    /// Newest first, as the walker delivers them.
    pub entries: Vec<HistoryEntry>,
    pub progress: Option<Progress>,
    pub done: bool,
    pub error: Option<String>,
    /// The entries are of the previous walk, kept on screen until the
    /// new walk's first batch replaces them (so a restart does not blank
    /// the view and the cards' recent changes).
    pub stale: bool,
    /// The trends series of this walk, from the walker thread.
    pub trends: Option<Arc<TrendsData>>,
    /// The Trends tab's first view of that series, from the walker too.
    pub trends_view: Option<Box<crate::trends::view::Prepared>>,
    /// Its other views (each figure, by month and by quarter), derived on
    /// a background thread when the series comes in (`run_later`): empty
    /// until they are ready, and the tab derives one itself meanwhile.
    pub trends_more: Arc<OnceLock<Vec<crate::trends::view::Prepared>>>,
    /// Since when owners (by component) and on-calls (by team) hold, from
    /// the entries so far: built on the walker thread and sent with each
    /// batch (`SinceDelta`), so the UI thread only adds and looks up.
    owners: Arc<HashMap<String, Since>>,
    oncalls: Arc<HashMap<String, Since>>,
    /// Finds the deltas for batches handed in without one (`on_batch`:
    /// tests and benchmarks that walk in-process).
    tracker: SinceTracker,
    /// The maps as of an older moment (an "as of" card, a commit shown),
    /// built once per moment and walk state, not once per card: at
    /// 200,000 components a build is tens of milliseconds.
    as_of_maps: std::cell::RefCell<Option<(AsOfKey, SinceMaps)>>,
}

/// What the "since" maps as of a moment depend on.
type AsOfKey = (DateTime<FixedOffset>, usize, bool, bool, Option<String>);

impl Walk {
    /// Starts (or restarts) the walk; the request is for the run loop.
    pub fn start(&mut self) -> Request {
        let generation = self.generation + 1;
        let old = std::mem::replace(
            self,
            Walk {
                generation,
                started: true,
                ..Default::default()
            },
        );
        super::drop_later::drop_later(old);
        Request::History { generation }
    }

    /// Walks again after HEAD moved, keeping the old entries on screen
    /// until the first batch of the new walk arrives.
    pub fn restart(&mut self) -> Request {
        let old = std::mem::take(&mut self.entries);
        let owners = std::mem::take(&mut self.owners);
        let oncalls = std::mem::take(&mut self.oncalls);
        let request = self.start();
        self.entries = old;
        self.owners = owners;
        self.oncalls = oncalls;
        self.stale = true;
        request
    }

    /// A batch without its "since" delta: found here, on the calling
    /// thread (the dashboard's walker sends it; see `on_batch_with_since`).
    pub fn on_batch(&mut self, generation: u64, entries: Vec<HistoryEntry>, progress: Progress) {
        if generation != self.generation {
            return;
        }
        let since = self.tracker.next(&entries);
        self.on_batch_with_since(generation, entries, progress, since);
    }

    /// A batch and what it adds to the "since" maps, both from the walker.
    pub fn on_batch_with_since(
        &mut self,
        generation: u64,
        entries: Vec<HistoryEntry>,
        progress: Progress,
        since: SinceDelta,
    ) {
        if generation != self.generation {
            return;
        }
        self.drop_stale();
        self.done = progress.done;
        self.progress = Some(progress);
        self.entries.extend(entries);
        // The smaller side is inserted into the larger: the founding
        // commit's batch brings every component (hashed on the walker).
        if !since.owners.is_empty() {
            merge_into(Arc::make_mut(&mut self.owners), since.owners);
        }
        if !since.oncalls.is_empty() {
            merge_into(Arc::make_mut(&mut self.oncalls), since.oncalls);
        }
    }

    /// The previous walk's entries and maps, kept on screen until now.
    fn drop_stale(&mut self) {
        if self.stale {
            self.entries.clear();
            self.owners = Arc::default();
            self.oncalls = Arc::default();
            self.stale = false;
        }
    }

    pub fn on_end(&mut self, generation: u64, error: Option<String>) {
        if generation != self.generation {
            return;
        }
        self.drop_stale();
        self.done = true;
        self.error = error;
    }

    /// A series from walk `generation`.
    pub fn on_trends(
        &mut self,
        generation: u64,
        data: TrendsData,
        prepared: Option<crate::trends::view::Prepared>,
    ) {
        if generation == self.generation {
            let data = Arc::new(data);
            let more = Arc::new(OnceLock::new());
            // Every other view of it, off the UI thread: at 4,000 teams
            // each took the tab's first draw of it hundreds of milliseconds.
            let series = Arc::downgrade(&data);
            let done = prepared.as_ref().map(|p| (p.by, p.figure));
            let slot = Arc::clone(&more);
            super::drop_later::run_later(move || {
                // A newer series replaced it meanwhile: not worth a view.
                let Some(series) = series.upgrade() else {
                    return;
                };
                let views = crate::trends::view::other_views(&series.month, &series.quarter, done);
                let _ = slot.set(views);
            });
            // The series it replaces can be large (every team, every
            // period): freed off the UI thread.
            super::drop_later::drop_later(self.trends.replace(data));
            super::drop_later::drop_later(std::mem::replace(
                &mut self.trends_view,
                prepared.map(Box::new),
            ));
            super::drop_later::drop_later(std::mem::replace(&mut self.trends_more, more));
        }
    }

    /// "since 2026-05-18 by Priya Natarajan (a62b987)": since when the
    /// current owner of component `id` owns it (kind Component), or the
    /// on-call of team `id` is as it is (kind Team), from the history the
    /// walker has delivered. `holder` is the owner team or rotation shown:
    /// when the newest change names another (the data shown is an older
    /// commit), nothing is said rather than something wrong. None when
    /// there is no history, or the change is older than what was walked.
    pub fn since(&self, kind: SubjectKind, id: &str, holder: Option<&str>) -> Option<String> {
        if !self.started {
            return None;
        }
        let map = match kind {
            SubjectKind::Team => &self.oncalls,
            _ => &self.owners,
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
            None if !self.done => Some("since ? (reading the history…)".into()),
            None => None,
        }
    }

    /// The triage cards' "since", from the history walked so far, for the
    /// data as of `moment` (None: the newest data, HEAD's line).
    pub fn since_maps(&self, moment: Option<DateTime<FixedOffset>>) -> Rc<SinceMaps> {
        if !self.started {
            return Rc::new(SinceMaps::unknown("the history was not read"));
        }
        if let Some(error) = &self.error {
            return Rc::new(SinceMaps::unknown(error));
        }
        let complete = self.done && !self.stale;
        let missing = (!complete).then_some("reading the history…");
        let first = complete
            .then(|| self.entries.last().map(|e| e.commit.id.clone()))
            .flatten();
        match moment {
            // An older version: only the commits up to it tell its "since".
            Some(moment) => {
                let key = (
                    moment,
                    self.entries.len(),
                    self.done,
                    self.stale,
                    first.clone(),
                );
                let mut memo = self.as_of_maps.borrow_mut();
                if let Some((k, maps)) = memo.as_ref()
                    && *k == key
                {
                    return Rc::new(maps.clone());
                }
                let from = self
                    .entries
                    .iter()
                    .position(|e| e.commit.time <= moment)
                    .unwrap_or(self.entries.len());
                // The maps of every entry walked, told how they differ as
                // of the moment: only the ids changed since are looked up
                // in the older entries (building maps of the older entries
                // took seconds at 200,000 components).
                let then = SinceThen::of(&self.entries[..from], &self.entries[from..]);
                let maps = SinceMaps::from_shared_then(
                    self.owners.clone(),
                    self.oncalls.clone(),
                    then,
                    first,
                    missing,
                );
                *memo = Some((key, maps.clone()));
                Rc::new(maps)
            }
            // The newest data: the maps the walker sent, shared as they are.
            None => Rc::new(SinceMaps::from_shared(
                self.owners.clone(),
                self.oncalls.clone(),
                first,
                missing,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{WalkOptions, collect};
    use crate::repo::Repo;

    /// A triage card built from `findings_about` its subject is the card
    /// built from every finding, for every subject of the sample.
    #[test]
    fn cards_from_the_findings_about_their_subject_equal_cards_from_all() {
        let dir = tempfile::tempdir().unwrap();
        crate::sample::build(dir.path()).unwrap();
        let repo = Repo::open(dir.path(), None).unwrap();
        let loaded = crate::repo::load(&repo, &crate::repo::Source::WorkTree).unwrap();
        assert!(loaded.diagnostics.iter().any(|d| d.subject.is_some()));
        let data = Data {
            loaded: Some(std::sync::Arc::new(loaded)),
            findings: 1,
            ..Data::default()
        };
        let loaded = data.loaded.as_ref().unwrap();
        let model = &loaded.model;
        let subjects = model.component_team_scenario_subjects();
        let mut alerts = 0;
        for subject in subjects {
            let all = crate::triage::build_card(model, &loaded.diagnostics, &subject);
            let some = crate::triage::build_card(model, &data.findings_about(&subject), &subject);
            assert_eq!(some, all, "{subject:?}");
            alerts += data.findings_about(&subject).len();
        }
        assert!(alerts > 0, "the sample's findings name subjects");
    }

    /// The "since" maps as of a moment, kept between cards, always equal
    /// maps built afresh from the entries walked so far.
    #[test]
    fn as_of_maps_kept_between_cards_equal_fresh_ones() {
        let dir = tempfile::tempdir().unwrap();
        crate::sample::build(dir.path()).unwrap();
        let repo = Repo::open(dir.path(), None).unwrap();
        let (entries, summary) = collect(&repo, WalkOptions::default()).unwrap();
        assert!(entries.len() > 4);
        let moments: Vec<_> = entries.iter().map(|e| e.commit.time).collect();
        // Every id the history names, and one it does not.
        let mut ids: Vec<String> = entries
            .iter()
            .flat_map(|e| &e.changes)
            .map(|c| c.subject.id.clone())
            .collect();
        ids.push("never-named".into());
        ids.sort();
        ids.dedup();
        // The same "since" for every id, and the same cards' words.
        fn same_maps(got: &SinceMaps, want: &SinceMaps, ids: &[String]) {
            for id in ids {
                assert_eq!(got.owner(id), want.owner(id), "owner of {id}");
                assert_eq!(got.oncall(id), want.oncall(id), "on-call of {id}");
            }
        }
        let mut walk = Walk::default();
        let generation = match walk.start() {
            Request::History { generation } => generation,
            other => panic!("{other:?}"),
        };
        let half = entries.len() / 2;
        let fresh = |walk: &Walk, moment| {
            let from = walk
                .entries
                .iter()
                .position(|e| e.commit.time <= moment)
                .unwrap_or(walk.entries.len());
            let complete = walk.done && !walk.stale;
            let first = complete
                .then(|| walk.entries.last().map(|e| e.commit.id.clone()))
                .flatten();
            let missing = (!complete).then_some("reading the history…");
            SinceMaps::build(&walk.entries[from..], first, missing)
        };
        let mut progress = summary.progress.clone();
        progress.done = false;
        for (chunk, done) in [(&entries[..half], false), (&entries[half..], true)] {
            progress.done = done;
            walk.on_batch(generation, chunk.to_vec(), progress.clone());
            for &moment in &moments {
                // Twice: built, then kept.
                for _ in 0..2 {
                    same_maps(&walk.since_maps(Some(moment)), &fresh(&walk, moment), &ids);
                }
            }
        }
    }
}
