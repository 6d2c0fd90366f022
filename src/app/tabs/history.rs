//! The History tab: the semantic history (see `Data::walk`), filtered by
//! team, component, kind and text; Enter time travels the whole dashboard
//! to the selected commit.

use crate::app::action::{Action, Context};
use crate::app::data::Walk;
use crate::app::date_range::DateRange;
use crate::app::filters::HistoryFilter;
use crate::app::line_edit::{Edit, edit};
use crate::app::list::{Memo, Scroll};
use crate::app::picker::{Choice, PickFor, Picker};
use crate::app::tab::filter_keys;
use crate::app::tab::{Ctx, Go, Keys, Out, TabState};
use crate::history::ChangeKind;
use crate::model::{Subject, SubjectKind};
use crate::repo::Source;
use crossterm::event::KeyEvent;
use std::rc::Rc;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryTab {
    pub rows: Scroll,
    pub filter: HistoryFilter,
    /// True while the text filter is being typed.
    pub typing: bool,
    /// The date range being typed (`d`), while it is.
    pub dates_input: Option<String>,
    /// Why the range typed was rejected, shown beside it (the input stays).
    pub dates_error: Option<String>,
    /// The entries shown, for (walk, entries so far, filter).
    shown: Memo<(u64, usize, HistoryFilter), Vec<usize>>,
    /// The widest author of the entries shown, in cells, for the same key
    /// as `shown`: the view measures it (it knows how text is drawn), once
    /// per change of what is shown, not once per frame.
    pub author_width: Memo<(u64, usize, HistoryFilter), usize>,
}

impl HistoryTab {
    /// Indices of the walk's entries shown under the filter.
    pub fn shown(&self, walk: &Walk) -> Rc<Vec<usize>> {
        self.shown.get(self.shown_key(walk), || {
            (0..walk.entries.len())
                .filter(|&i| self.filter.keeps(&walk.entries[i]))
                .collect()
        })
    }

    /// The key of what is shown: the walk, how far it has read, the filter.
    pub fn shown_key(&self, walk: &Walk) -> (u64, usize, HistoryFilter) {
        (walk.generation, walk.entries.len(), self.filter.clone())
    }

    /// Shows the history under `filter`, from its first row.
    pub fn filter_by(&mut self, filter: HistoryFilter) {
        self.filter = filter;
        self.rows = Scroll::default();
    }

    /// The kind picker: every kind the walk has found, with how many
    /// changes of it there are, the current one selected.
    fn kind_picker(&self, walk: &Walk) -> Picker {
        let mut counts: Vec<(ChangeKind, usize)> = Vec::new();
        for c in walk.entries.iter().flat_map(|e| &e.changes) {
            match counts.iter_mut().find(|(k, _)| *k == c.kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((c.kind, 1)),
            }
        }
        counts.sort();
        let choices = counts
            .into_iter()
            .map(|(kind, n)| {
                let detail = format!("{n} change{}", if n == 1 { "" } else { "s" });
                Choice::new(kind.as_str(), kind.as_str().replace('_', " "), detail)
            })
            .collect();
        Picker::new("change kind", choices, self.filter.kind.map(|k| k.as_str()))
    }

    /// A kind picked (None: any kind).
    pub fn set_kind(&mut self, kind: Option<&str>) {
        self.filter.kind =
            kind.and_then(|k| ChangeKind::ALL.iter().copied().find(|x| x.as_str() == k));
        self.rows = Scroll::default();
    }

    /// The selected commit.
    pub fn selected<'a>(&self, walk: &'a Walk) -> Option<&'a crate::history::HistoryEntry> {
        let &i = self.shown(walk).get(self.rows.selected)?;
        walk.entries.get(i)
    }

    /// The subject History was opened for (`h`), if any.
    pub fn focus(&self) -> Option<Subject> {
        match (&self.filter.component, &self.filter.team) {
            (Some(c), _) => Some(Subject::new(SubjectKind::Component, c)),
            (None, Some(t)) => Some(Subject::new(SubjectKind::Team, t)),
            (None, None) => None,
        }
    }

    /// Keys while the date range is typed: Enter applies a range that
    /// parses (empty: no range), Esc leaves it as it was.
    fn type_dates(&mut self, key: &KeyEvent) -> bool {
        let Some(text) = &mut self.dates_input else {
            return false;
        };
        match edit(text, key) {
            Edit::Changed => self.dates_error = None,
            Edit::Cancel => {
                self.dates_input = None;
                self.dates_error = None;
            }
            Edit::Submit => {
                let typed = text.trim().to_string();
                if typed.is_empty() {
                    self.filter.dates = None;
                } else {
                    match DateRange::parse(&typed) {
                        Ok(range) => self.filter.dates = Some(range),
                        Err(why) => {
                            self.dates_error = Some(why);
                            return true;
                        }
                    }
                }
                self.dates_input = None;
                self.dates_error = None;
                self.rows = Scroll::default();
            }
            Edit::Ignored => return false,
        }
        true
    }
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

    fn apply(&mut self, action: Action, cx: &Ctx, out: &mut Out) {
        match action {
            Action::HistoryKind => {
                out.picker = Some((PickFor::ChangeKind, self.kind_picker(&cx.data.walk)))
            }
            Action::HistoryText => self.typing = true,
            Action::HistoryDates => {
                self.dates_input = Some(self.filter.dates.map_or(String::new(), |d| d.label()));
                self.dates_error = None;
            }
            Action::HistoryClear => self.filter_by(HistoryFilter::default()),
            _ => {}
        }
    }

    /// `f` here is the History's own words filter (it looks at messages,
    /// authors and change sentences too).
    fn start_filter(&mut self) -> bool {
        self.typing = true;
        true
    }

    /// Keys while the words filter (Enter keeps, Esc clears) or the date
    /// range is typed.
    fn type_key(&mut self, key: &KeyEvent, _cx: &Ctx, _out: &mut Out) -> bool {
        if self.type_dates(key) {
            return true;
        }
        if !self.typing {
            return false;
        }
        match edit(&mut self.filter.text, key) {
            Edit::Changed => {}
            Edit::Submit => self.typing = false,
            Edit::Cancel => {
                self.typing = false;
                self.filter.text.clear();
            }
            Edit::Ignored => return false,
        }
        self.rows = Scroll::default();
        true
    }

    /// `y`: the selected commit's full id.
    fn copy_id(&self, cx: &Ctx) -> Option<String> {
        self.selected(&cx.data.walk).map(|e| e.commit.id.clone())
    }

    /// `t` and `e`: the subject History was opened for, else the subject
    /// of the selected commit's first change.
    fn subject(&self, cx: &Ctx) -> Option<Subject> {
        self.focus().or_else(|| {
            self.selected(&cx.data.walk)?
                .changes
                .first()
                .map(|c| c.subject.clone())
        })
    }

    fn typing(&self) -> bool {
        self.typing || self.dates_input.is_some()
    }

    fn keys(&self) -> Keys {
        if self.typing {
            return filter_keys();
        }
        if self.dates_input.is_some() {
            return vec![
                (vec![Action::Open], "apply range"),
                (vec![Action::Back], "cancel"),
            ];
        }
        vec![
            (vec![Action::Up, Action::Down], "move"),
            (vec![Action::Open], "travel"),
            (vec![Action::HistoryText], "filter"),
            (vec![Action::HistoryKind], "kind"),
            (vec![Action::HistoryDates], "dates"),
            (vec![Action::HistoryClear], "clear"),
        ]
    }

    fn uses_history(&self) -> bool {
        true
    }
}
