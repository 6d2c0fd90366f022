//! What every tab is to the app: `Tab` names one, `TabState` is what the
//! app asks of its state (length, moves, Enter, its keys), `Ctx` is what a
//! tab may read of the data, `Out` what it may send, and `Go` where Enter
//! leads when that is another tab. Each tab implements `TabState` in its
//! own module under `tabs/`. `Target` is what a click landed on.

use super::action::{Action, Context};
use super::data::Data;
use super::filter::TextFilter;
use super::filters::{Filters, HistoryFilter};
use super::list::Scroll;
use super::msg::Request;
use crate::model::{Location, Model, Subject};
use crate::repo::Source;
use crossterm::event::KeyEvent;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Pillars,
    Layers,
    Teams,
    Components,
    History,
    Triage,
    Trends,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Pillars,
        Tab::Layers,
        Tab::Teams,
        Tab::Components,
        Tab::History,
        Tab::Triage,
        Tab::Trends,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Pillars => "Pillars",
            Tab::Layers => "Layers",
            Tab::Teams => "Teams",
            Tab::Components => "Components",
            Tab::History => "History",
            Tab::Triage => "Triage",
            Tab::Trends => "Trends",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn from_index(i: usize) -> Tab {
        Tab::ALL[i % Tab::ALL.len()]
    }
}

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

/// What a tab may read: the data, and the one thing another tab decides
/// (the team selected in the Teams tab, which Trends singles out).
pub struct Ctx<'a> {
    pub data: &'a Data,
    pub teams_selected: usize,
}

impl<'a> Ctx<'a> {
    pub fn model(&self) -> Option<&'a Model> {
        self.data.model()
    }

    /// The id of the team selected in the Teams tab.
    pub fn team(&self) -> Option<&'a str> {
        self.model()?
            .teams
            .get(self.teams_selected)
            .map(|t| t.id.as_str())
    }
}

/// What the app sends out after an update: requests for the workers, a
/// note for the status bar, text for the clipboard.
#[derive(Debug, Default)]
pub struct Out {
    pub requests: Vec<Request>,
    /// A short note in the status bar, and how many ticks it has left.
    pub message: Option<(String, u8)>,
    /// Text to put on the clipboard, taken by the run loop, which writes it
    /// to the terminal as OSC 52.
    pub clipboard: Option<String>,
    /// The Triage tab asks for its cards as of this time, parsed where it
    /// was typed (`Some(None)`: now); the app starts the read.
    pub as_of: Option<Option<crate::repo::When>>,
    /// A tab asks for a picker for one of its filters; the app opens it.
    pub picker: Option<(super::picker::PickFor, super::picker::Picker)>,
}

impl Out {
    pub fn say(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), 4));
    }
}

/// Where following a selection leads when it leaves the tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Go {
    /// The subject in its own tab.
    Subject(Subject),
    /// The Components tab under these filters.
    Components(Filters),
    /// The History tab under this filter.
    History(HistoryFilter),
    /// The whole dashboard shows another version of the data.
    Travel(Source),
}

/// The keys the status bar offers, with a short label.
pub type Keys = Vec<(Vec<Action>, &'static str)>;

/// The status bar while a list's filter is typed: the keys that work in
/// the input (letters type, so `? help` and `q quit` are not offered).
pub fn filter_keys() -> Keys {
    vec![
        (vec![Action::Up, Action::Down], "move"),
        (vec![Action::Open], "keep filter"),
        (vec![Action::Back], "clear"),
    ]
}

/// A tab's state and behaviour. Most tabs are one list: they give their
/// `Scroll` and length, and moving, clicking and clamping come with it.
pub trait TabState {
    /// The key-map context of this tab's own keys, if it has any.
    fn context(&self) -> Option<Context> {
        None
    }

    /// The main list's selection (None: the tab is not one list).
    fn scroll(&mut self) -> Option<&mut Scroll>;

    /// How many rows the main list has.
    fn len(&self, cx: &Ctx) -> usize;

    /// Up/Down/Page/Top/Bottom.
    fn move_by(&mut self, delta: isize, cx: &Ctx) {
        let len = self.len(cx);
        if let Some(s) = self.scroll() {
            s.step(delta, len);
        }
    }

    /// Left/Right.
    fn sideways(&mut self, _delta: isize, _cx: &Ctx) {}

    /// A click on row `i`.
    fn select(&mut self, i: usize) {
        if let Some(s) = self.scroll() {
            s.selected = i;
        }
    }

    /// Keeps the selection inside what the data has.
    fn clamp(&mut self, cx: &Ctx) {
        let len = self.len(cx);
        if let Some(s) = self.scroll() {
            s.clamp(len);
        }
    }

    /// Enter.
    fn open(&mut self, cx: &Ctx, out: &mut Out) -> Option<Go>;

    /// The subject under the selection, for `t` and `h`.
    fn subject(&self, _cx: &Ctx) -> Option<Subject> {
        None
    }

    /// An action of this tab's own context.
    fn apply(&mut self, _action: Action, _cx: &Ctx, _out: &mut Out) {}

    /// A key while one of this tab's inputs has the focus; true when used.
    fn type_key(&mut self, _key: &KeyEvent, _cx: &Ctx, _out: &mut Out) -> bool {
        false
    }

    /// The keys the status bar offers here (before the global ones).
    fn keys(&self) -> Keys;

    /// Does one of this tab's inputs have the focus (every key types)?
    /// The status bar then offers the input's keys, not `? help q quit`.
    fn typing(&self) -> bool {
        false
    }

    /// The list's filter in place (`f`), if the tab has one.
    fn filter(&mut self) -> Option<&mut TextFilter> {
        None
    }

    /// `f`: starts filtering in place; false when there is nothing to
    /// filter here.
    fn start_filter(&mut self) -> bool {
        match self.filter() {
            Some(f) => {
                f.start();
                true
            }
            None => false,
        }
    }

    /// What `y` copies: the id the command line takes for the selection.
    fn copy_id(&self, cx: &Ctx) -> Option<String> {
        self.subject(cx).map(|s| s.id)
    }

    /// What `e` opens: where the selection is declared.
    fn location(&self, cx: &Ctx) -> Option<Location> {
        let subject = self.subject(cx)?;
        super::editor::location_of(cx.model()?, &subject).cloned()
    }

    /// Does `t` / `h` follow this tab's selection?
    fn follows_selection(&self) -> bool {
        false
    }

    /// Does this tab show what the history walk finds?
    fn uses_history(&self) -> bool {
        false
    }
}
