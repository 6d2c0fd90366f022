//! The dashboard's application layer: the state of every tab and what
//! crosses tabs, changed only by events. Nothing here draws, starts a
//! thread or touches the terminal: `crate::ui` draws from an `App`, and
//! `crate::dashboard` runs the loop, the workers and the terminal.
//!
//! Where things live: a tab's state and behaviour in `tabs/<name>.rs`
//! (see `TabState` in `tab.rs`); the data every tab reads in `data.rs`;
//! messages in `msg.rs`; the key map in `keymap.rs`. `App` keeps only
//! what crosses tabs: the data, the active tab, the popup, the back
//! stack, what goes out (requests, a message, the clipboard).

pub mod action;
pub mod data;
pub mod date_range;
pub mod derive;
pub mod drop_later;
pub mod editor;
pub mod filter;
pub mod filters;
pub mod focus;
pub mod keymap;
pub mod line_edit;
pub mod list;
pub mod msg;
mod navigate;
pub mod picker;
pub mod popup;
pub mod tab;
pub mod tabs;

pub use action::{Action, Context};
pub use msg::{Event, Request};
pub use tab::{Tab, Target};

use crate::model::facts::Facts;
use crate::model::{Model, Subject, SubjectKind};
use crate::repo::{Error, Loaded, Source};
use chrono::{DateTime, FixedOffset};
use crossterm::event::{Event as Input, KeyEvent, KeyEventKind, MouseButton, MouseEventKind};
use data::{AsOf, AsOfState, Data};
use filter::FilterKey;
use filters::HistoryFilter;
use keymap::Keymap;
use list::Scroll;
use msg::{Aside, LoadRequest};
use picker::{PickFor, PickerKey};
use popup::{Popup, SearchKey};
use std::sync::Arc;
use tab::{Ctx, Go, Out};
use tabs::Tabs;

/// Where the user is: what Esc goes back to. History and Trends are not
/// part of it: their filters stay as the last jump set them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Place {
    tab: Tab,
    pillars: tabs::pillars::PillarsTab,
    layers: tabs::layers::LayersTab,
    teams: tabs::teams::TeamsTab,
    components: tabs::components::ComponentsTab,
    triage: tabs::triage::TriageTab,
}

pub struct App {
    data: Data,
    tabs: Tabs,
    tab: Tab,
    popup: Option<Popup>,
    /// Where Esc goes back to, newest last.
    back: Vec<Place>,
    out: Out,
    keymap: Keymap,
    /// How far the current detail pane (a team's scope, a component, a
    /// card, a pillar's duties) is scrolled.
    detail: u16,
    /// How far the detail pane drawn last can scroll (its wrapped text
    /// less its height): `J` stops there, so `K` works at once after it.
    detail_max: std::cell::Cell<u16>,
    /// Queries entered in the search popup, oldest first (Up recalls them).
    search_history: Vec<String>,
    /// The last load failure, shown in the status bar while the previous
    /// model stays on screen.
    error: Option<String>,
    /// Set when the very first load fails: the dashboard closes and the
    /// error is printed like any command's.
    fatal: Option<String>,
    /// The terminal's size, for page moves.
    size: (u16, u16),
    quit: bool,
}

/// How far a detail pane scrolls at most (the drawing clamps to its text).
const MAX_DETAIL: u16 = 1000;

impl App {
    pub fn new(keymap: Keymap) -> App {
        App {
            data: Data::default(),
            tabs: Tabs::default(),
            tab: Tab::default(),
            popup: None,
            back: Vec::new(),
            out: Out::default(),
            keymap,
            detail: 0,
            search_history: Vec::new(),
            error: None,
            fatal: None,
            detail_max: std::cell::Cell::new(u16::MAX),
            size: (80, 24),
            quit: false,
        }
    }

    // What the views and the run loop read.

    pub fn data(&self) -> &Data {
        &self.data
    }

    pub fn model(&self) -> Option<&Model> {
        self.data.model()
    }

    pub fn tabs(&self) -> &Tabs {
        &self.tabs
    }

    /// What a tab reads of the data.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            data: &self.data,
            teams_selected: self.tabs.teams.model_index(&self.data),
        }
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    pub fn popup(&self) -> Option<&Popup> {
        self.popup.as_ref()
    }

    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    pub fn detail(&self) -> u16 {
        self.detail
    }

    /// Tells the app how far the detail pane just drawn can scroll.
    pub fn set_detail_max(&self, max: usize) {
        self.detail_max.set(max.min(u16::MAX as usize) as u16);
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn message(&self) -> Option<&str> {
        self.out.message.as_ref().map(|(m, _)| m.as_str())
    }

    /// Is there a place Esc goes back to?
    pub fn can_go_back(&self) -> bool {
        !self.back.is_empty()
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    pub fn quit(&self) -> bool {
        self.quit
    }

    /// Queries entered in the search popup, oldest first.
    pub fn search_history(&self) -> &[String] {
        &self.search_history
    }

    /// The requests not yet taken by the run loop.
    pub fn requests(&self) -> &[Request] {
        &self.out.requests
    }

    // What the run loop (and tests) take or set.

    pub fn take_requests(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.out.requests)
    }

    /// Takes the requests `which` picks, leaving the others.
    pub fn take_requests_where(&mut self, which: impl Fn(&Request) -> bool) -> Vec<Request> {
        let (taken, left) = std::mem::take(&mut self.out.requests)
            .into_iter()
            .partition(|r| which(r));
        self.out.requests = left;
        taken
    }

    pub fn take_clipboard(&mut self) -> Option<String> {
        self.out.clipboard.take()
    }

    pub fn take_fatal(&mut self) -> Option<String> {
        self.fatal.take()
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
    }

    /// Shows a tab, as its number key does.
    pub fn show(&mut self, tab: Tab) {
        self.tab = tab;
    }

    pub fn close_popup(&mut self) {
        self.popup = None;
    }

    /// Fixes "now" (tests, so screens do not move with the calendar).
    pub fn set_clock(&mut self, now: DateTime<FixedOffset>) {
        self.data.clock = Some(now);
    }

    /// The tabs' state, for tests that set a selection directly.
    pub fn tabs_mut(&mut self) -> &mut Tabs {
        &mut self.tabs
    }

    /// The data the dashboard opens on. `--at WHEN`: the Triage tab shows
    /// its cards as of that moment too, with what differs in the work tree
    /// now.
    pub fn open_on(&mut self, source: Source) {
        self.data.launch = source.clone();
        self.data.shown = source.clone();
        if let Source::At(when) = &source {
            // The data shown is that moment: the first load fills the
            // Triage tab's "as of" too (`on_loaded`), rather than the loader
            // reading and checking the same commit a second time.
            self.data.asides += 1;
            self.data.as_of = Some(AsOf {
                when: when.to_string(),
                state: AsOfState::Reading,
            });
            self.out
                .requests
                .push(Request::Load(LoadRequest::Aside(Aside::Now)));
        }
    }

    /// The contexts whose keys apply now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        let own = self.tabs.get(self.tab).context();
        own.into_iter()
            .chain([Context::Move, Context::Global])
            .collect()
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.out.say(text);
    }

    /// Handles one event. Mouse clicks need to know what is under the
    /// pointer: `hit` is `ui::hit_test` bound to the current screen.
    pub fn on_event(&mut self, event: Event, hit: impl Fn(&App, u16, u16) -> Option<Target>) {
        match event {
            Event::Input(Input::Key(key)) if key.kind != KeyEventKind::Release => self.on_key(key),
            Event::Input(Input::Mouse(mouse)) => match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => {
                    if let Some(target) = hit(self, mouse.column, mouse.row) {
                        self.click(target);
                    }
                }
                MouseEventKind::ScrollDown => self.apply(Action::Down),
                MouseEventKind::ScrollUp => self.apply(Action::Up),
                _ => {}
            },
            Event::Input(Input::Resize(w, h)) => self.size = (w, h),
            Event::Input(_) => {}
            Event::Tick => {
                if let Some((_, ticks)) = &mut self.out.message {
                    *ticks = ticks.saturating_sub(1);
                    if *ticks == 0 {
                        self.out.message = None;
                    }
                }
            }
            Event::Loaded(result) => self.on_loaded_shared(*result),
            Event::Checked {
                of,
                findings,
                by_subject,
            } => self.on_checked_indexed(of, findings, Some(*by_subject)),
            Event::HistoryBatch {
                generation,
                batch,
                since,
            } => {
                self.data
                    .walk
                    .on_batch_with_since(generation, batch.entries, batch.progress, since)
            }
            Event::HistoryEnd { generation, error } => self.on_history_end(generation, error),
            Event::Trends {
                generation,
                data,
                prepared,
            } => self.on_trends_prepared(generation, *data, prepared.map(|p| *p)),
            Event::SearchResults(results) => self.on_search_results(*results),
            // Taken by the run loop for the search worker; nothing to show.
            Event::SearchIndex(_) => {}
            // Taken by the run loop (the terminal, the exit); nothing to show.
            Event::Signal(_) => {}
            Event::Aside { aside, result } => self.on_aside(aside, *result),
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        // Ctrl-C quits from anywhere, popups and inputs included.
        if key
            .modifiers
            .contains(crossterm::event::KeyModifiers::CONTROL)
            && key.code == crossterm::event::KeyCode::Char('c')
        {
            self.quit = true;
            return;
        }
        if let Some(Popup::Picker { picker, .. }) = &mut self.popup {
            match picker.key(&key) {
                PickerKey::Changed | PickerKey::Ignored => {}
                PickerKey::Cancelled => self.popup = None,
                PickerKey::Picked(value) => self.picked(value),
            }
            return;
        }
        if let Some(Popup::Search(s)) = &mut self.popup {
            match s.key(&key, &self.search_history) {
                SearchKey::Unused => {}
                SearchKey::Used => return,
                SearchKey::Query(query) => {
                    self.out.requests.push(Request::Search { query });
                    return;
                }
                SearchKey::Close => {
                    self.popup = None;
                    return;
                }
                SearchKey::Jump {
                    subject,
                    query,
                    row,
                } => {
                    if !query.is_empty() && self.search_history.last() != Some(&query) {
                        self.search_history.push(query);
                    }
                    self.popup = None;
                    self.go_subject(&subject);
                    if let (Some(row), Some(model)) = (row, self.data.model()) {
                        self.tabs.layers.show_matrix_row(model, &subject.id, &row);
                    }
                    return;
                }
            }
        }
        if self.popup.is_none() && self.filter_key(&key) {
            return;
        }
        if self.popup.is_none() {
            let cx = Ctx {
                data: &self.data,
                teams_selected: self.tabs.teams.model_index(&self.data),
            };
            if self
                .tabs
                .get_mut(self.tab)
                .type_key(&key, &cx, &mut self.out)
            {
                self.after_tab_update();
                self.detail = 0;
                return;
            }
        }
        if let Some(action) = self.keymap.action_for(&key, &self.contexts()) {
            self.apply(action);
        }
    }

    /// A new version of the model (building its indexes here).
    pub fn on_loaded(&mut self, result: Result<Loaded, Error>) {
        self.on_loaded_with_facts(result.map(|loaded| {
            let facts = Facts::build(&loaded.model);
            (loaded, facts)
        }))
    }

    pub fn on_loaded_with_facts(&mut self, result: Result<(Loaded, Facts), Error>) {
        self.on_loaded_shared(result.map(|(loaded, facts)| (Arc::new(loaded), facts)))
    }

    /// A new version from the loader. When its findings are still being
    /// found (`facts.checking`), a `Checked` follows (`on_checked`).
    pub fn on_loaded_shared(&mut self, result: Result<(Arc<Loaded>, Facts), Error>) {
        // A progress note ("Reloading…", "Loading commit …") ends in an
        // ellipsis and lasts until what it announces is on screen: the
        // next frame draws the data (or the error), so it goes now.
        if self.message().is_some_and(|m| m.ends_with('…')) {
            self.out.message = None;
        }
        match result {
            Ok((loaded, facts)) => {
                // HEAD moved (a commit, a checkout): the history walked so
                // far is of another line, so walk again, by itself.
                let moved = self.data.walk.started && facts.head != self.data.facts.head;
                let keep = self.selected_ids();
                self.data.checking = facts.checking;
                self.data.findings += 1;
                if self.data.loaded.is_none() {
                    self.launch_as_of(&loaded);
                }
                // The old version goes to the background to be freed.
                drop_later::drop_later(std::mem::replace(&mut self.data.facts, facts));
                drop_later::drop_later(self.data.loaded.replace(loaded));
                self.data.generation += 1;
                self.error = None;
                self.restore_ids(keep);
                // The history feeds the Triage cards and the "since" lines
                // of Components and Teams too: walk it from the first load.
                if !self.data.walk.started {
                    self.start_history();
                } else if moved {
                    let request = self.data.walk.restart();
                    self.tabs.history.rows = Scroll::default();
                    self.out.requests.push(request);
                }
                // The work tree read aside for "what differs now" may be
                // stale too: read it again with the data shown.
                if self.data.now_model.is_some() && self.data.shown != Source::WorkTree {
                    self.out
                        .requests
                        .push(Request::Load(LoadRequest::Aside(Aside::Now)));
                }
            }
            Err(e) if self.data.loaded.is_none() => self.fatal = Some(e.0),
            Err(e) => self.error = Some(e.0),
        }
    }

    /// `check`'s findings for version `of`: they replace the ones it was
    /// shown with (the reader's and the parser's), unless another version
    /// is shown by now.
    pub fn on_checked(
        &mut self,
        of: std::sync::Weak<Loaded>,
        findings: Vec<crate::model::Diagnostic>,
    ) {
        self.on_checked_indexed(of, findings, None)
    }

    /// `on_checked`, with the findings' index by subject when it was built
    /// with them (off the UI thread); without it, the Triage cards build it
    /// on first use.
    pub fn on_checked_indexed(
        &mut self,
        of: std::sync::Weak<Loaded>,
        findings: Vec<crate::model::Diagnostic>,
        by_subject: Option<crate::repo::FindingsBySubject>,
    ) {
        let Some(current) = self.data.loaded.as_mut() else {
            return drop_later::drop_later((findings, by_subject));
        };
        if !std::ptr::eq(Arc::as_ptr(current), of.as_ptr()) {
            return drop_later::drop_later((findings, by_subject));
        }
        // A weak reference alive makes `Arc::get_mut` refuse (and the
        // version would be copied: a second at 200,000 components).
        drop(of);
        // The Triage tab's "as of" may share this version (`--at`): it is
        // let go of while the findings go in, so the version is not copied.
        let shared_as_of = self.data.as_of.as_mut().and_then(|a| match &a.state {
            AsOfState::Ready { loaded, moment } if Arc::ptr_eq(loaded, current) => {
                let moment = *moment;
                a.state = AsOfState::Reading;
                Some(moment)
            }
            _ => None,
        });
        match Arc::get_mut(current) {
            Some(loaded) => {
                drop_later::drop_later(std::mem::replace(&mut loaded.diagnostics, findings));
            }
            // Held elsewhere (nothing does today): a copy rather than
            // findings that never show. The tests check it is not taken.
            None => {
                let mut copy = Loaded::clone(current);
                copy.diagnostics = findings;
                drop_later::drop_later(std::mem::replace(current, Arc::new(copy)));
            }
        }
        if let (Some(moment), Some(as_of)) = (shared_as_of, self.data.as_of.as_mut()) {
            as_of.state = AsOfState::Ready {
                loaded: Arc::clone(current),
                moment,
            };
            self.data.asides += 1;
        }
        self.data.checking = false;
        self.data.findings += 1;
        if let Some(index) = by_subject {
            self.data.set_findings_by_subject(index);
        }
    }

    /// Opened with `--at`: the first load is the version the Triage tab's
    /// "as of" asked for (see `open_on`), so it fills it, unless another
    /// moment was typed meanwhile.
    fn launch_as_of(&mut self, loaded: &Arc<Loaded>) {
        let Source::At(when) = &self.data.launch else {
            return;
        };
        let Some(as_of) = self.data.as_of.as_mut() else {
            return;
        };
        if as_of.when == when.text() && matches!(as_of.state, AsOfState::Reading) {
            as_of.state = AsOfState::Ready {
                loaded: Arc::clone(loaded),
                moment: when.time(),
            };
            self.data.asides += 1;
        }
    }

    /// Starts (or restarts) the history walk on a worker.
    pub fn start_history(&mut self) {
        let request = self.data.walk.start();
        self.tabs.history.rows = Scroll::default();
        self.out.requests.push(request);
    }

    pub fn on_history_batch(
        &mut self,
        generation: u64,
        entries: Vec<crate::history::HistoryEntry>,
        progress: crate::history::Progress,
    ) {
        self.data.walk.on_batch(generation, entries, progress);
    }

    pub fn on_history_end(&mut self, generation: u64, error: Option<String>) {
        self.data.walk.on_end(generation, error);
    }

    pub fn on_trends(&mut self, generation: u64, data: msg::TrendsData) {
        self.data.walk.on_trends(generation, data, None);
    }

    /// A series with the Trends tab's first view of it, from the walker.
    pub fn on_trends_prepared(
        &mut self,
        generation: u64,
        data: msg::TrendsData,
        prepared: Option<crate::trends::view::Prepared>,
    ) {
        self.data.walk.on_trends(generation, data, prepared);
    }

    /// The run loop tells which sequence number the query got.
    pub fn search_sent(&mut self, seq: u64) {
        // No number with data shown: the run loop keeps the query until the
        // search index of that data comes, and sends it then.
        let waiting = seq == 0 && self.model().is_some();
        if let Some(Popup::Search(s)) = &mut self.popup {
            s.seq = seq;
            s.waiting_for_index = waiting;
        }
    }

    pub fn on_search_results(&mut self, results: crate::search::Results) {
        if let Some(Popup::Search(s)) = &mut self.popup {
            s.on_results(results);
        }
    }

    /// Shows triage cards as of `when` (None: back to now). The time is
    /// resolved to a commit by the loader, never here.
    pub fn set_triage_at(&mut self, when: Option<crate::repo::When>) {
        self.data.asides += 1;
        drop_later::drop_later(self.data.as_of.take());
        let Some(when) = when else {
            self.say("Triage cards show the data as it is now.");
            return;
        };
        self.data.as_of = Some(AsOf {
            when: when.to_string(),
            state: AsOfState::Reading,
        });
        self.out
            .requests
            .push(Request::Load(LoadRequest::Aside(Aside::Then(when))));
        if self.data.shown != Source::WorkTree && self.data.now_model.is_none() {
            self.out
                .requests
                .push(Request::Load(LoadRequest::Aside(Aside::Now)));
        }
    }

    /// A model read beside the one shown has arrived.
    pub fn on_aside(
        &mut self,
        aside: Aside,
        result: Result<(Loaded, DateTime<FixedOffset>), Error>,
    ) {
        self.data.asides += 1;
        match aside {
            Aside::Now => drop_later::drop_later(std::mem::replace(
                &mut self.data.now_model,
                result.ok().map(|(l, _)| Box::new(l)),
            )),
            Aside::Then(when) => {
                let Some(as_of) = self.data.as_of.as_mut().filter(|a| a.when == when.text()) else {
                    // An answer to an older question.
                    return drop_later::drop_later(result);
                };
                let state = match result {
                    Ok((loaded, moment)) => AsOfState::Ready {
                        loaded: Arc::new(loaded),
                        moment,
                    },
                    Err(e) => AsOfState::Failed(e.0),
                };
                drop_later::drop_later(std::mem::replace(&mut as_of.state, state));
            }
        }
    }

    pub fn apply(&mut self, action: Action) {
        if self.popup.is_some() && self.apply_in_popup(action) {
            return;
        }
        // The detail pane starts at its top whenever what it shows may change.
        if !matches!(action, Action::DetailUp | Action::DetailDown) {
            self.detail = 0;
        }
        let page = self.page();
        match action {
            Action::DetailDown => {
                self.detail = self
                    .detail
                    .saturating_add(3)
                    .min(MAX_DETAIL)
                    .min(self.detail_max.get())
            }
            Action::DetailUp => self.detail = self.detail.saturating_sub(3),
            Action::Quit => self.quit = true,
            Action::Help => self.popup = Some(Popup::Help { scroll: 0 }),
            Action::Findings => {
                self.popup = Some(Popup::Findings {
                    rows: Scroll::default(),
                })
            }
            Action::Reload => {
                self.out.requests.push(Request::Load(LoadRequest::Reload));
                if self.data.walk.started {
                    self.start_history();
                }
                self.say("Reloading…");
            }
            Action::Now if self.data.shown != self.data.launch => {
                self.travel(self.data.launch.clone())
            }
            Action::Now => self.say("Already showing the data you opened."),
            Action::NextTab => self.switch_to(Tab::from_index(self.tab.index() + 1)),
            Action::PrevTab => {
                self.switch_to(Tab::from_index(self.tab.index() + Tab::ALL.len() - 1))
            }
            Action::Pillars => self.switch_to(Tab::Pillars),
            Action::Layers => self.switch_to(Tab::Layers),
            Action::Teams => self.switch_to(Tab::Teams),
            Action::Components => self.switch_to(Tab::Components),
            Action::History => self.switch_to(Tab::History),
            Action::Triage => self.switch_to(Tab::Triage),
            Action::Trends => self.switch_to(Tab::Trends),
            Action::Filter => {
                if !self.tabs.get_mut(self.tab).start_filter() {
                    self.say("Nothing to filter here: f filters Teams, Components, History, the Triage list and the rows of Layers.");
                }
            }
            Action::CopyId => self.copy_id(),
            Action::Edit => self.edit(),
            Action::TriageSubject => self.triage_selected(),
            Action::HistoryOf => self.history_of_selected(),
            Action::Search => {
                // The empty query is asked at once: it lists everything.
                self.popup = Some(Popup::Search(Box::default()));
                self.out.requests.push(Request::Search {
                    query: String::new(),
                });
            }
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-page),
            Action::PageDown => self.move_by(page),
            Action::Top => self.move_by(-isize::MAX / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::Left => self.sideways(-1),
            Action::Right => self.sideways(1),
            Action::Open => self.open(),
            Action::Back => {
                // The first Esc clears the list's filter in place; the next
                // walks back the trail.
                let cleared = self
                    .tabs
                    .get_mut(self.tab)
                    .filter()
                    .is_some_and(|f| f.back());
                if !cleared {
                    self.go_back();
                }
            }
            // The rest are a tab's own (the key map offers them only there).
            own => {
                let cx = Ctx {
                    data: &self.data,
                    teams_selected: self.tabs.teams.model_index(&self.data),
                };
                self.tabs.get_mut(self.tab).apply(own, &cx, &mut self.out);
                self.after_tab_update();
            }
        }
        if self.tabs.get(self.tab).uses_history() && !self.data.walk.started {
            self.start_history();
        }
        self.clamp();
    }

    /// What a tab asked of the app while it handled a key.
    fn after_tab_update(&mut self) {
        if let Some(when) = self.out.as_of.take() {
            self.set_triage_at(when);
        }
        if let Some((purpose, picker)) = self.out.picker.take() {
            self.open_picker(purpose, picker);
        }
    }

    /// Keys while a popup is open; false lets the action through.
    fn apply_in_popup(&mut self, action: Action) -> bool {
        let findings = self.data.loaded.as_ref().map_or(0, |l| l.diagnostics.len());
        let page = self.page();
        match (&mut self.popup, action) {
            // `q` closes a popup rather than losing the user's place (Ctrl-C
            // still quits: see `on_key`).
            (Some(_), Action::Quit) => self.popup = None,
            // The search popup and the picker take their keys themselves.
            (Some(Popup::Search(_) | Popup::Picker { .. }), _) => {}
            (Some(Popup::Findings { .. }), Action::Edit | Action::CopyId) => return false,
            (Some(Popup::Findings { .. }), Action::TriageSubject) => return false,
            (_, Action::Back) => self.popup = None,
            (Some(Popup::Help { .. }), Action::Help)
            | (Some(Popup::Findings { .. }), Action::Findings) => self.popup = None,
            (Some(Popup::Help { .. }), Action::Findings)
            | (Some(Popup::Findings { .. }), Action::Help) => {
                return false;
            }
            (Some(Popup::Help { scroll }), _) => {
                let delta = move_delta(action, page);
                *scroll = (*scroll as isize + delta).clamp(0, 200) as usize;
            }
            (Some(Popup::Findings { rows }), Action::Open) => {
                let selected = rows.selected;
                let subject = self
                    .data
                    .loaded
                    .as_ref()
                    .and_then(|l| l.diagnostics.get(selected))
                    .and_then(|d| d.subject.clone());
                self.popup = None;
                match subject {
                    Some(s) => self.go_subject(&s),
                    None => self.say("This finding is about a file, not a subject."),
                }
            }
            (Some(Popup::Findings { rows }), _) => rows.step(move_delta(action, page), findings),
            (None, _) => return false,
        }
        true
    }

    /// Shows another version of the data everywhere: the loader reads it and
    /// every view redraws from it, keeping selections by id.
    pub fn travel(&mut self, source: Source) {
        let what = match &source {
            Source::Rev(rev) => rev.get(..7).unwrap_or(rev).to_string(),
            Source::At(at) => at.to_string(),
            Source::WorkTree => "the work tree".to_string(),
        };
        self.say(format!("Loading {what}…"));
        self.out
            .requests
            .push(Request::Load(LoadRequest::Source(source.clone())));
        self.data.shown = source;
    }

    fn page(&self) -> isize {
        (self.size.1 as isize - 10).max(1)
    }

    fn click(&mut self, target: Target) {
        self.detail = 0;
        match target {
            Target::Tab(tab) => {
                self.popup = None;
                self.switch_to(tab);
            }
            Target::Row(i) => match &mut self.popup {
                Some(Popup::Picker { picker, .. }) => {
                    if let Some(PickerKey::Picked(value)) = picker.pick_row(i) {
                        self.picked(value);
                    }
                }
                Some(Popup::Findings { rows }) => rows.selected = i,
                Some(Popup::Help { .. }) => {}
                Some(Popup::Search(s)) => s.rows.selected = i,
                None => self.tabs.get_mut(self.tab).select(i),
            },
            Target::Pillar(i) => self.tabs.pillars.pick(i),
            Target::Cell(row, col) => self.tabs.layers.select_cell(row, col),
        }
        self.clamp();
    }

    fn move_by(&mut self, delta: isize) {
        let cx = Ctx {
            data: &self.data,
            teams_selected: self.tabs.teams.model_index(&self.data),
        };
        self.tabs.get_mut(self.tab).move_by(delta, &cx);
    }

    fn sideways(&mut self, delta: isize) {
        let cx = Ctx {
            data: &self.data,
            teams_selected: self.tabs.teams.model_index(&self.data),
        };
        self.tabs.get_mut(self.tab).sideways(delta, &cx);
    }

    /// Enter: follow what the selection refers to.
    fn open(&mut self) {
        let cx = Ctx {
            data: &self.data,
            teams_selected: self.tabs.teams.model_index(&self.data),
        };
        let go = self.tabs.get_mut(self.tab).open(&cx, &mut self.out);
        match go {
            Some(Go::Subject(subject)) => self.go_subject(&subject),
            Some(Go::Components(filters)) => {
                self.push_place();
                self.tab = Tab::Components;
                self.tabs.components.filter_by(filters);
            }
            Some(Go::History(filter)) => self.show_history(filter),
            Some(Go::Travel(source)) => self.travel(source),
            None => {}
        }
    }

    /// The History tab under `filter`, remembering where we were.
    fn show_history(&mut self, filter: HistoryFilter) {
        self.push_place();
        self.tabs.history.filter_by(filter);
        self.tab = Tab::History;
    }

    /// Keeps every selection inside what the model has.
    fn clamp(&mut self) {
        let cx = Ctx {
            data: &self.data,
            teams_selected: self.tabs.teams.model_index(&self.data),
        };
        for tab in Tab::ALL {
            self.tabs.get_mut(tab).clamp(&cx);
        }
    }

    /// The subject under the selection of the current view (or the open
    /// findings panel), if it has a triage card.
    pub fn selected_subject(&self) -> Option<Subject> {
        if let Some(Popup::Findings { rows }) = &self.popup {
            let loaded = self.data.loaded.as_ref()?;
            return loaded.diagnostics.get(rows.selected)?.subject.clone();
        }
        self.tabs.get(self.tab).subject(&self.ctx())
    }

    /// `t`: the Triage tab, on the selected subject's card when there is one.
    fn triage_selected(&mut self) {
        let subject = self.selected_subject();
        self.popup = None;
        let Some(subject) = subject else {
            // Never a card pinned earlier for something else.
            if self.tab != Tab::Triage {
                self.say("Nothing selected here has a triage card.");
            }
            return;
        };
        self.push_place();
        self.tab = Tab::Triage;
        self.tabs.triage.pin(self.data.model(), subject);
    }

    /// `h`: the History tab, filtered to the selected team or component.
    fn history_of_selected(&mut self) {
        let subject = self.selected_subject();
        self.popup = None;
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
        self.show_history(filter);
        if !self.data.walk.started {
            self.start_history();
        }
    }
}

fn move_delta(action: Action, page: isize) -> isize {
    match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -page,
        Action::PageDown => page,
        Action::Top => -isize::MAX / 2,
        Action::Bottom => isize::MAX / 2,
        _ => 0,
    }
}

impl App {
    /// A tab chosen directly (its number, Tab, a click): a new start, so
    /// Esc does not walk a trail left from before, nor undo a filter on
    /// the way.
    fn switch_to(&mut self, tab: Tab) {
        if tab != self.tab {
            self.back.clear();
        }
        self.tab = tab;
    }

    /// A key while the current list's filter is typed; true when used.
    fn filter_key(&mut self, key: &KeyEvent) -> bool {
        let tab = self.tabs.get_mut(self.tab);
        let Some(filter) = tab.filter() else {
            return false;
        };
        match filter.key(key) {
            FilterKey::Changed => {
                if let Some(rows) = tab.scroll() {
                    *rows = Scroll::default();
                }
                self.detail = 0;
                self.clamp();
                true
            }
            FilterKey::Kept | FilterKey::Cleared => {
                self.clamp();
                true
            }
            FilterKey::Ignored => false,
        }
    }

    /// `y`: the selected id (the one the command line takes) onto the
    /// clipboard; a finding's subject (or file:line) from the findings.
    fn copy_id(&mut self) {
        let id = match &self.popup {
            Some(Popup::Findings { rows }) => self.data.loaded.as_ref().and_then(|l| {
                let d = l.diagnostics.get(rows.selected)?;
                Some(match &d.subject {
                    Some(s) => s.id.clone(),
                    None => d.location.to_string(),
                })
            }),
            _ => self.tabs.get(self.tab).copy_id(&self.ctx()),
        };
        match id {
            Some(id) => {
                let id = crate::sanitize::line(&id).into_owned();
                self.say(format!("copied {id} to the clipboard"));
                self.out.clipboard = Some(id);
            }
            None => self.say("Nothing selected here has an id to copy."),
        }
    }

    /// `e`: the selected subject's file at its line in the user's editor
    /// (the run loop runs it). A commit is read-only.
    fn edit(&mut self) {
        let Some(loaded) = self.data.loaded.as_ref() else {
            return;
        };
        if let Some(why) = editor::read_only(&loaded.origin) {
            let message = if self.data.launch == crate::repo::Source::WorkTree {
                let key = self.keymap.first_key(Action::Now);
                format!("{}; {key} goes back to it.", why.trim_end_matches('.'))
            } else {
                why
            };
            return self.say(message);
        }
        let location = match &self.popup {
            Some(Popup::Findings { rows }) => loaded
                .diagnostics
                .get(rows.selected)
                .map(|d| d.location.clone()),
            _ => self.tabs.get(self.tab).location(&self.ctx()),
        };
        match location {
            Some(location) if !location.file.is_empty() => {
                self.popup = None;
                self.out.requests.push(Request::Edit(location));
            }
            _ => self.say("Nothing selected here is declared in a file."),
        }
    }

    /// Opens a picker for a filter of the current tab.
    pub(crate) fn open_picker(&mut self, purpose: PickFor, picker: picker::Picker) {
        self.popup = Some(Popup::Picker {
            purpose,
            picker: Box::new(picker),
        });
    }

    /// Enter in a picker: the filter it was opened for takes the value.
    fn picked(&mut self, value: Option<String>) {
        let Some(Popup::Picker { purpose, .. }) = self.popup.take() else {
            return;
        };
        match purpose {
            PickFor::ChangeKind => self.tabs.history.set_kind(value.as_deref()),
            other => self.tabs.components.set_filter(other, value),
        }
        self.clamp();
    }
}
