//! The popups: help, the check findings, and the search popup (`/` from
//! any view). Each key of the search popup sends the query to the search
//! worker (off the UI thread); answers older than the latest query are
//! dropped; Enter jumps to the subject; Up on the first row recalls the
//! previous queries.

use super::line_edit::{self, Edit};
use super::list::Scroll;
use crate::model::Subject;
use crate::search::Results;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How many hits the search popup asks for.
pub const LIMIT: usize = 50;

#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    Help {
        scroll: usize,
    },
    Findings {
        rows: Scroll,
    },
    Search(Box<SearchState>),
    /// A filter's values with type-ahead, for the filter `purpose` names.
    Picker {
        purpose: super::picker::PickFor,
        picker: Box<super::picker::Picker>,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchState {
    pub query: String,
    /// The sequence number of the latest query sent (set by the run loop).
    pub seq: u64,
    pub results: Option<Results>,
    pub rows: Scroll,
    /// Which past query Up has recalled (0: the last one).
    pub recalled: Option<usize>,
    /// The query waits for the search index, which the loader builds after
    /// the data is shown (about a second later at 200,000 components): the
    /// popup says so rather than show nothing.
    pub waiting_for_index: bool,
}

/// What a key did in the search popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchKey {
    /// Not the popup's (Ctrl-C): the key map decides.
    Unused,
    /// Used; nothing else to do.
    Used,
    /// The query changed: send it.
    Query(String),
    /// Esc: close the popup.
    Close,
    /// Enter on a hit: close, remember the query, show the subject (on
    /// `row` of a matrix, for a hit on a matrix row).
    Jump {
        subject: Subject,
        query: String,
        row: Option<String>,
    },
}

impl SearchState {
    pub fn on_results(&mut self, results: Results) {
        if results.seq == self.seq && results.query == self.query {
            self.results = Some(results);
            self.rows = Scroll::default();
        }
    }

    /// A key while the popup is open; `history` is the past queries,
    /// oldest first.
    pub fn key(&mut self, key: &KeyEvent, history: &[String]) -> SearchKey {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return SearchKey::Unused;
        }
        let len = self.results.as_ref().map_or(0, |r| r.hits.len());
        let mut changed = false;
        match key.code {
            // Up on the first row recalls a past query, but never replaces
            // words being typed: only from an empty or recalled query.
            KeyCode::Up
                if self.rows.selected == 0
                    && (self.query.trim().is_empty() || self.recalled.is_some()) =>
            {
                let next = self.recalled.map_or(0, |i| i + 1);
                if let Some(q) = history.iter().rev().nth(next) {
                    self.query = q.clone();
                    self.recalled = Some(next);
                    changed = true;
                }
            }
            KeyCode::Up => self.rows.step(-1, len),
            KeyCode::Down => self.rows.step(1, len),
            KeyCode::PageUp => self.rows.step(-10, len),
            KeyCode::PageDown => self.rows.step(10, len),
            _ => match line_edit::edit(&mut self.query, key) {
                Edit::Changed => {
                    self.recalled = None;
                    changed = true;
                }
                Edit::Cancel => return SearchKey::Close,
                Edit::Submit => {
                    // Nothing to jump to yet (no answer, or no hit): stay open.
                    let Some(hit) = self
                        .results
                        .as_ref()
                        .and_then(|r| r.hits.get(self.rows.selected))
                    else {
                        return SearchKey::Used;
                    };
                    let row =
                        (hit.kind == crate::search::EntryKind::MatrixRow).then(|| hit.name.clone());
                    return SearchKey::Jump {
                        subject: hit.subject.clone(),
                        query: self.query.trim().to_string(),
                        row,
                    };
                }
                Edit::Ignored => {}
            },
        }
        if !changed {
            return SearchKey::Used;
        }
        // An empty query is sent too: it lists everything.
        SearchKey::Query(self.query.clone())
    }
}
