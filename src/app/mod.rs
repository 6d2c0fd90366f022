//! The dashboard's application layer: state, actions and their effects, the
//! event channel and the workers. Nothing here draws; `crate::ui` draws from
//! an `App` and nothing else.

pub mod action;
pub mod clipboard;
pub mod derive;
pub mod event;
pub mod line_edit;
mod navigate;
pub mod run;
pub mod search;
pub mod state;
pub mod terminal;
pub mod timeline;
pub mod trends;
pub mod triage;
mod update;
pub mod walker;
pub mod worker;

pub use action::{Action, Context};
pub use event::Event;
pub use state::*;

use crate::config::Keymap;
use crate::repo::{Loaded, Source};
use crate::ui::theme::Theme;
use worker::Request;

/// What a mouse click landed on, as found by `ui::hit_test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Tab(Tab),
    /// A row of the current view's main list (or the open popup's list).
    Row(usize),
    Pillar(usize),
    /// A layer-matrix cell: (row, column).
    Cell(usize, usize),
}

pub struct App {
    /// The model shown; None until the first load.
    pub loaded: Option<Loaded>,
    /// Indexes over the loaded model, rebuilt with it.
    pub facts: crate::model::facts::Facts,
    /// Bumped on every load, so caches know when the model changed.
    pub generation: u64,
    /// The components table's order for (generation, filters, sort): the
    /// table is sorted once, not once per frame and key.
    rows_cache: std::cell::RefCell<RowsCache>,
    /// The Triage list for (generation, query, pinned): `triage::find`
    /// over a large model costs tens of milliseconds, so once per change,
    /// not once per frame and lookup.
    triage_cache: std::cell::RefCell<TriageCache>,
    /// Which Triage rows' cards carry a warning, for (generation, walk,
    /// entries): building a card per row per frame would be wasted work.
    warn_cache: std::cell::RefCell<WarnCache>,
    /// The last load failure, shown in the status bar while the previous
    /// model stays on screen.
    pub error: Option<String>,
    /// Set when the very first load fails: the dashboard closes and the
    /// error is printed like any command's.
    pub fatal: Option<String>,
    pub tab: Tab,
    pub pillars: PillarsState,
    pub layers: LayersState,
    pub teams: TeamsState,
    pub components: ComponentsState,
    pub triage: TriageState,
    pub history: timeline::HistoryState,
    pub trends: trends::TrendsView,
    /// How far the current detail pane (a team's scope, a component, a
    /// card, a pillar's duties) is scrolled.
    pub detail: u16,
    pub popup: Option<Popup>,
    /// Queries entered in the search popup, oldest first (Up recalls them).
    pub search_history: Vec<String>,
    /// Where Esc goes back to, newest last.
    pub back: Vec<Place>,
    pub keymap: Keymap,
    pub theme: Theme,
    /// A short note in the status bar, and how many ticks it has left.
    pub message: Option<(String, u8)>,
    /// The terminal's size, for page moves.
    pub size: (u16, u16),
    pub quit: bool,
    /// The data the dashboard was opened on (`--rev`, `--at`, or the work
    /// tree), and the data shown now (another commit while time travelling).
    pub launch: Source,
    pub shown: Source,
    /// Requests for the loader, taken by the run loop.
    pub requests: Vec<Request>,
    /// The Triage tab's "as of the incident" model, read by the loader.
    pub as_of: Option<triage::AsOf>,
    /// The work tree's model, read beside the one shown while time
    /// travelling, so an "as of" card can say what differs now.
    pub now_model: Option<Box<crate::repo::Loaded>>,
    /// "Now" for the recent-changes window; None: the wall clock (tests
    /// fix it so snapshots do not move with the calendar).
    pub clock: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Text to put on the clipboard, taken by the run loop, which writes it
    /// to the terminal as OSC 52.
    pub clipboard: Option<String>,
}

impl App {
    pub fn new(keymap: Keymap, theme: Theme) -> App {
        App {
            loaded: None,
            facts: crate::model::facts::Facts::default(),
            generation: 0,
            rows_cache: Default::default(),
            triage_cache: Default::default(),
            warn_cache: Default::default(),
            error: None,
            fatal: None,
            tab: Tab::default(),
            pillars: PillarsState::default(),
            layers: LayersState::default(),
            teams: TeamsState::default(),
            components: ComponentsState::default(),
            triage: TriageState::default(),
            history: Default::default(),
            trends: Default::default(),
            detail: 0,
            popup: None,
            search_history: Vec::new(),
            back: Vec::new(),
            keymap,
            theme,
            message: None,
            size: (80, 24),
            quit: false,
            launch: Source::WorkTree,
            shown: Source::WorkTree,
            requests: Vec::new(),
            as_of: None,
            now_model: None,
            clock: None,
            clipboard: None,
        }
    }

    pub fn model(&self) -> Option<&crate::model::Model> {
        self.loaded.as_ref().map(|l| &l.model)
    }

    /// The contexts whose keys apply now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match self.tab {
            Tab::Layers => vec![Context::Layers, Context::Move, Context::Global],
            Tab::Components => vec![Context::Components, Context::Move, Context::Global],
            Tab::History => vec![Context::History, Context::Move, Context::Global],
            Tab::Triage => vec![Context::Triage, Context::Move, Context::Global],
            Tab::Trends => vec![Context::Trends, Context::Move, Context::Global],
            _ => vec![Context::Move, Context::Global],
        }
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), 4));
    }
}

#[derive(Default)]
struct TriageCache {
    key: Option<(u64, String, Option<crate::model::Subject>)>,
    rows: Vec<crate::model::Subject>,
    /// Each row's match class (None for rows listed without a query).
    classes: Vec<Option<crate::search::MatchClass>>,
}

#[derive(Default)]
struct WarnCache {
    key: (u64, u64, usize),
    warns: std::collections::HashMap<crate::model::Subject, bool>,
}

#[derive(Default)]
struct RowsCache {
    key: Option<(u64, Filters, SortColumn, bool)>,
    rows: Vec<usize>,
}

impl App {
    /// The components table as shown: filtered and sorted, from a cache.
    pub fn components_shown(&self) -> Vec<&crate::model::Component> {
        let Some(model) = self.model() else {
            return Vec::new();
        };
        let key = (
            self.generation,
            self.components.filters.clone(),
            self.components.sort,
            self.components.descending,
        );
        let mut cache = self.rows_cache.borrow_mut();
        if cache.key.as_ref() != Some(&key) {
            cache.rows = derive::component_order(model, &self.components);
            cache.key = Some(key);
        }
        cache.rows.iter().map(|&i| &model.components[i]).collect()
    }
}
