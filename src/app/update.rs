//! How the state changes: keys become actions, actions change state.

use super::derive;
use super::worker::Request;
use super::{Action, App, Event, Popup, Scroll, SortColumn, Tab, Target};
use crate::model::facts::Facts;
use crate::repo::{Error, Loaded, Source};
use crossterm::event::{Event as Input, KeyEventKind, MouseButton, MouseEventKind};

impl App {
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
                if let Some((_, ticks)) = &mut self.message {
                    *ticks = ticks.saturating_sub(1);
                    if *ticks == 0 {
                        self.message = None;
                    }
                }
            }
            Event::Loaded(result) => self.on_loaded_with_facts(*result),
            Event::HistoryBatch { generation, batch } => {
                self.on_history_batch(generation, batch.entries, batch.progress)
            }
            Event::HistoryEnd { generation, error } => self.on_history_end(generation, error),
            Event::Trends { generation, data } => self.on_trends(generation, *data),
            Event::SearchResults(results) => self.on_search_results(*results),
            // Taken by the run loop for the search worker; nothing to show.
            Event::SearchIndex(_) => {}
            // Taken by the run loop (the terminal, the exit); nothing to show.
            Event::Signal(_) => {}
            Event::Aside { aside, result } => self.on_aside(aside, *result),
        }
    }

    pub fn on_key(&mut self, key: crossterm::event::KeyEvent) {
        if matches!(self.popup, Some(Popup::Search(_))) && self.search_key(&key) {
            return;
        }
        if self.tab == Tab::History && self.popup.is_none() && self.type_history_text(&key) {
            return;
        }
        if self.tab == Tab::Triage && self.popup.is_none() && self.type_triage_text(&key) {
            return;
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
        match result {
            Ok((loaded, facts)) => {
                // HEAD moved (a commit, a checkout): the history walked so
                // far is of another line, so walk again, by itself.
                let moved = self.history.started && facts.head != self.facts.head;
                let keep = self.selected_ids();
                self.facts = facts;
                self.loaded = Some(loaded);
                self.generation += 1;
                self.error = None;
                self.restore_ids(keep);
                // The history feeds the Triage cards and the "since" lines
                // of Components and Teams too: walk it from the first load.
                if !self.history.started {
                    self.start_history();
                } else if moved {
                    self.restart_history();
                }
                // The work tree read aside for "what differs now" may be
                // stale too: read it again with the data shown.
                if self.now_model.is_some() && self.shown != Source::WorkTree {
                    self.requests
                        .push(Request::Aside(super::worker::Aside::Now));
                }
            }
            Err(e) if self.loaded.is_none() => self.fatal = Some(e.0),
            Err(e) => self.error = Some(e.0),
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
        match action {
            Action::DetailDown => self.detail = self.detail.saturating_add(3).min(MAX_DETAIL),
            Action::DetailUp => self.detail = self.detail.saturating_sub(3),
            Action::Quit => self.quit = true,
            Action::Help => self.popup = Some(Popup::Help { scroll: 0 }),
            Action::Findings => {
                self.popup = Some(Popup::Findings {
                    rows: Scroll::default(),
                })
            }
            Action::Reload => {
                self.requests.push(Request::Reload);
                if self.history.started {
                    self.start_history();
                }
                self.say("Reloading…");
            }
            Action::Now if self.shown != self.launch => self.travel(self.launch.clone()),
            Action::Now => self.say("Already showing the data you opened."),
            Action::NextTab => self.tab = Tab::from_index(self.tab.index() + 1),
            Action::PrevTab => self.tab = Tab::from_index(self.tab.index() + Tab::ALL.len() - 1),
            Action::Pillars => self.tab = Tab::Pillars,
            Action::Layers => self.tab = Tab::Layers,
            Action::Teams => self.tab = Tab::Teams,
            Action::Components => self.tab = Tab::Components,
            Action::History => self.show_history(),
            Action::Triage => self.tab = Tab::Triage,
            Action::Trends => self.show_trends(),
            Action::TrendsBy => self.trends_toggle_by(),
            Action::TrendsFigure => self.trends_next_figure(),
            Action::TrendsBusiest => self.trends_next_busiest(),
            Action::TriageSubject => self.triage_selected(),
            Action::HistoryOf => self.history_of_selected(),
            Action::Search => self.open_search(),
            Action::HistoryKind => self.cycle_history_kind(),
            Action::HistoryText => self.history.typing = true,
            Action::TriageFind => {
                self.triage.editing = Some(super::TriageInput::Find);
                self.triage.pinned = None;
            }
            Action::TriageAt => {
                self.triage.editing = Some(super::TriageInput::At);
                self.triage.at_error = None;
                self.triage.at_text = self
                    .as_of
                    .as_ref()
                    .map_or(String::new(), |a| a.when.clone());
            }
            Action::CopyPager => self.copy_pager(),
            Action::HistoryClear => {
                self.history.filter = Default::default();
                self.history.rows = Scroll::default();
            }
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-self.page()),
            Action::PageDown => self.move_by(self.page()),
            Action::Top => self.move_by(-isize::MAX / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::Left => self.sideways(-1),
            Action::Right => self.sideways(1),
            Action::Open => self.open(),
            Action::Back => self.go_back(),
            Action::ByKind => {
                self.layers.by_kind = !self.layers.by_kind;
                self.layers.col = 0;
            }
            Action::NextMatrix => {
                let count = 1 + self.model().map_or(0, |m| m.matrices.len());
                self.layers.matrix = (self.layers.matrix + 1) % count;
                self.layers.row = 0;
                self.layers.col = 0;
            }
            Action::Sort => self.components.sort = self.components.sort.next(),
            Action::Reverse => self.components.descending = !self.components.descending,
            Action::FilterLayer
            | Action::FilterPillar
            | Action::FilterOwner
            | Action::FilterTier => self.cycle_filter(action),
            Action::ClearFilters => self.components.filters = Default::default(),
        }
        if matches!(
            self.tab,
            Tab::History | Tab::Triage | Tab::Teams | Tab::Components | Tab::Trends
        ) && !self.history.started
        {
            self.start_history();
        }
        self.clamp();
    }

    /// Keys while a popup is open; false lets the action through.
    fn apply_in_popup(&mut self, action: Action) -> bool {
        let findings = self.loaded.as_ref().map_or(0, |l| l.diagnostics.len());
        let page = self.page();
        match (&mut self.popup, action) {
            (_, Action::Quit) => return false,
            // The search popup takes its keys itself (search_key).
            (Some(Popup::Search(_)), _) => {}
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
            Source::At(at) => at.clone(),
            Source::WorkTree => "the work tree".to_string(),
        };
        self.say(format!("Loading {what}…"));
        self.requests.push(Request::Load(source.clone()));
        self.shown = source;
    }

    fn page(&self) -> isize {
        (self.size.1 as isize - 10).max(1)
    }

    fn click(&mut self, target: Target) {
        self.detail = 0;
        match target {
            Target::Tab(tab) => {
                self.popup = None;
                self.tab = tab;
            }
            Target::Row(i) => match &mut self.popup {
                Some(Popup::Findings { rows }) => rows.selected = i,
                Some(Popup::Help { .. }) => {}
                Some(Popup::Search(s)) => s.rows.selected = i,
                None => self.set_row(i),
            },
            Target::Pillar(i) => {
                self.pillars.pillar = i;
                self.pillars.rows = Scroll::default();
            }
            Target::Cell(row, col) => {
                self.layers.row = row;
                self.layers.col = col;
            }
        }
        self.clamp();
    }

    fn set_row(&mut self, i: usize) {
        match self.tab {
            Tab::Pillars => self.pillars.rows.selected = i,
            Tab::Teams => self.teams.rows.selected = i,
            Tab::Components => self.components.rows.selected = i,
            Tab::Triage => self.triage.rows.selected = i,
            Tab::History => self.history.rows.selected = i,
            Tab::Trends => self.trends.rows.selected = i,
            Tab::Layers => self.layers.row = i,
        }
    }

    fn move_by(&mut self, delta: isize) {
        let lens = self.lengths();
        match self.tab {
            Tab::Pillars => self.pillars.rows.step(delta, lens.pillar_rows),
            Tab::Layers => {
                let row = (self.layers.row as isize + delta)
                    .clamp(0, lens.matrix_rows.max(1) as isize - 1);
                self.layers.row = row as usize;
            }
            Tab::Teams => self.teams.rows.step(delta, lens.teams),
            Tab::Components => self.components.rows.step(delta, lens.components),
            Tab::Triage => self.triage.rows.step(delta, lens.triage),
            Tab::History => self.history.rows.step(delta, lens.history),
            Tab::Trends => self.trends.rows.step(delta, lens.trends),
        }
    }

    fn sideways(&mut self, delta: isize) {
        let lens = self.lengths();
        match self.tab {
            Tab::Pillars => {
                let n = lens.pillars.max(1) as isize;
                self.pillars.pillar =
                    (self.pillars.pillar as isize + delta).clamp(0, n - 1) as usize;
                self.pillars.rows = Scroll::default();
            }
            Tab::Layers => {
                let n = lens.matrix_cols.max(1) as isize;
                self.layers.col = (self.layers.col as isize + delta).clamp(0, n - 1) as usize;
            }
            Tab::Trends => self.trends_step_team(delta),
            _ => {}
        }
    }

    fn cycle_filter(&mut self, action: Action) {
        let Some(model) = self.model() else { return };
        let f = &self.components.filters;
        let next = match action {
            Action::FilterLayer => {
                let values = derive::filter_values(model, |c| c.layer.clone());
                (derive::cycle(&f.layer, &values), None, None, None)
            }
            Action::FilterPillar => {
                let values = derive::filter_values(model, |c| c.pillar.clone());
                (None, derive::cycle(&f.pillar, &values), None, None)
            }
            Action::FilterOwner => {
                let values = derive::filter_values(model, |c| Some(c.owner.clone()));
                (None, None, derive::cycle(&f.owner, &values), None)
            }
            _ => {
                let values = derive::filter_values(model, |c| c.tier.map(|t| t.to_string()));
                let current = f.tier.map(|t| t.to_string());
                (None, None, None, derive::cycle(&current, &values))
            }
        };
        let f = &mut self.components.filters;
        match action {
            Action::FilterLayer => f.layer = next.0,
            Action::FilterPillar => f.pillar = next.1,
            Action::FilterOwner => {
                f.owner = next.2;
                f.kind = None;
            }
            _ => f.tier = next.3.and_then(|t| t.parse().ok()),
        }
        self.components.rows = Scroll::default();
    }

    /// Keeps every selection inside what the model has.
    pub(super) fn clamp(&mut self) {
        // The pillar and the matrix first: the lengths of their rows depend on them.
        let (pillars, matrices) = self
            .model()
            .map_or((0, 0), |m| (m.pillars.len(), m.matrices.len()));
        self.pillars.pillar = self.pillars.pillar.min(pillars.saturating_sub(1));
        if self.layers.matrix > matrices {
            self.layers.matrix = 0;
        }
        let lens = self.lengths();
        self.pillars.rows.clamp(lens.pillar_rows);
        self.teams.rows.clamp(lens.teams);
        self.components.rows.clamp(lens.components);
        self.triage.rows.clamp(lens.triage);
        self.history.rows.clamp(lens.history);
        self.trends.rows.clamp(lens.trends);
        self.layers.row = self.layers.row.min(lens.matrix_rows.saturating_sub(1));
        self.layers.col = self.layers.col.min(lens.matrix_cols.saturating_sub(1));
    }

    fn lengths(&self) -> Lengths {
        let Some(model) = self.model() else {
            return Lengths::default();
        };
        let (matrix_rows, matrix_cols) = match self.layers.matrix {
            0 => (
                model.layers.len(),
                derive::matrix_columns(model, self.layers.by_kind).len(),
            ),
            i => model
                .matrices
                .get(i - 1)
                .map_or((0, 0), |m| (m.rows.len(), m.parties.len())),
        };
        Lengths {
            pillars: model.pillars.len(),
            pillar_rows: model
                .pillars
                .get(self.pillars.pillar)
                .map_or(0, |p| derive::pillar_rows(model, p).len()),
            teams: model.teams.len(),
            components: self.components_shown().len(),
            triage: self.triage_rows().len(),
            history: self.history.shown().len(),
            trends: self.trends_len(),
            matrix_rows,
            matrix_cols,
        }
    }
}

/// How far a detail pane scrolls at most (the drawing clamps to its text).
const MAX_DETAIL: u16 = 1000;

#[derive(Default)]
struct Lengths {
    pillars: usize,
    pillar_rows: usize,
    teams: usize,
    components: usize,
    triage: usize,
    history: usize,
    trends: usize,
    matrix_rows: usize,
    matrix_cols: usize,
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

impl SortColumn {
    pub fn title(self) -> &'static str {
        match self {
            SortColumn::Id => "id",
            SortColumn::Name => "name",
            SortColumn::Layer => "layer",
            SortColumn::Pillar => "pillar",
            SortColumn::Owner => "owner",
            SortColumn::Tier => "tier",
        }
    }
}
