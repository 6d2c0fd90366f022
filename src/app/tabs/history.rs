//! The History tab: the semantic history (see `Data::walk`), filtered by
//! team, component, kind and text; Enter time travels the whole dashboard
//! to the selected commit.

use crate::app::action::{Action, Context};
use crate::app::data::Walk;
use crate::app::filters::HistoryFilter;
use crate::app::line_edit::{Edit, edit};
use crate::app::list::{Memo, Scroll};
use crate::app::tab::{Ctx, Go, Keys, Out, TabState};
use crate::history::ChangeKind;
use crate::repo::Source;
use crossterm::event::KeyEvent;
use std::rc::Rc;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryTab {
    pub rows: Scroll,
    pub filter: HistoryFilter,
    /// True while the text filter is being typed.
    pub typing: bool,
    /// The entries shown, for (walk, entries so far, filter).
    shown: Memo<(u64, usize, HistoryFilter), Vec<usize>>,
}

impl HistoryTab {
    /// Indices of the walk's entries shown under the filter.
    pub fn shown(&self, walk: &Walk) -> Rc<Vec<usize>> {
        let key = (walk.generation, walk.entries.len(), self.filter.clone());
        self.shown.get(key, || {
            (0..walk.entries.len())
                .filter(|&i| self.filter.keeps(&walk.entries[i]))
                .collect()
        })
    }

    /// Shows the history under `filter`, from its first row.
    pub fn filter_by(&mut self, filter: HistoryFilter) {
        self.filter = filter;
        self.rows = Scroll::default();
    }

    fn cycle_kind(&mut self, walk: &Walk) {
        let kinds = kinds(walk);
        self.filter.kind = match self.filter.kind {
            None => kinds.first().copied(),
            Some(k) => kinds
                .iter()
                .position(|x| *x == k)
                .and_then(|i| kinds.get(i + 1))
                .copied(),
        };
        self.rows = Scroll::default();
    }
}

/// The change kinds present, for cycling the kind filter.
fn kinds(walk: &Walk) -> Vec<ChangeKind> {
    let mut kinds: Vec<ChangeKind> = walk
        .entries
        .iter()
        .flat_map(|e| e.changes.iter().map(|c| c.kind))
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

impl TabState for HistoryTab {
    fn context(&self) -> Option<Context> {
        Some(Context::History)
    }

    fn scroll(&mut self) -> Option<&mut Scroll> {
        Some(&mut self.rows)
    }

    fn len(&self, cx: &Ctx) -> usize {
        self.shown(&cx.data.walk).len()
    }

    /// Enter on a commit: the whole dashboard shows that version.
    fn open(&mut self, cx: &Ctx, _out: &mut Out) -> Option<Go> {
        let walk = &cx.data.walk;
        let &i = self.shown(walk).get(self.rows.selected)?;
        Some(Go::Travel(Source::Rev(walk.entries[i].commit.id.clone())))
    }

    fn apply(&mut self, action: Action, cx: &Ctx, _out: &mut Out) {
        match action {
            Action::HistoryKind => self.cycle_kind(&cx.data.walk),
            Action::HistoryText => self.typing = true,
            Action::HistoryClear => self.filter_by(HistoryFilter::default()),
            _ => {}
        }
    }

    /// Keys while the text filter is typed.
    fn type_key(&mut self, key: &KeyEvent, _cx: &Ctx, _out: &mut Out) -> bool {
        if !self.typing {
            return false;
        }
        match edit(&mut self.filter.text, key) {
            Edit::Changed => {}
            Edit::Submit | Edit::Cancel => self.typing = false,
            Edit::Ignored => return false,
        }
        self.rows = Scroll::default();
        true
    }

    fn typing(&self) -> bool {
        self.typing
    }

    fn keys(&self) -> Keys {
        if self.typing {
            return vec![(vec![Action::Open], "done typing")];
        }
        vec![
            (vec![Action::Up, Action::Down], "move"),
            (vec![Action::Open], "travel"),
            (vec![Action::HistoryKind], "kind"),
            (vec![Action::HistoryText], "text"),
            (vec![Action::HistoryClear], "clear"),
        ]
    }

    fn uses_history(&self) -> bool {
        true
    }
}
