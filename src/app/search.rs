//! The search popup: `/` from any view. Each key sends the query to the
//! search worker (off the UI thread); answers older than the latest query
//! are dropped; Enter jumps to the subject; Up on the first row recalls the
//! previous queries.

use super::line_edit::{self, Edit};
use super::worker::Request;
use super::{App, Popup, Scroll};
use crate::search::Results;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How many hits the popup asks for.
pub const LIMIT: usize = 50;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchState {
    pub query: String,
    /// The sequence number of the latest query sent (set by the run loop).
    pub seq: u64,
    pub results: Option<Results>,
    pub rows: Scroll,
    /// Which past query Up has recalled (0: the last one).
    pub recalled: Option<usize>,
}

impl App {
    pub(super) fn open_search(&mut self) {
        self.popup = Some(Popup::Search(Box::default()));
    }

    /// The run loop tells which sequence number the query got.
    pub fn search_sent(&mut self, seq: u64) {
        if let Some(Popup::Search(s)) = &mut self.popup {
            s.seq = seq;
        }
    }

    pub fn on_search_results(&mut self, results: Results) {
        if let Some(Popup::Search(s)) = &mut self.popup
            && results.seq == s.seq
            && results.query == s.query
        {
            s.results = Some(results);
            s.rows = Scroll::default();
        }
    }

    /// Keys while the search popup is open; false lets Ctrl-C through.
    pub(super) fn search_key(&mut self, key: &KeyEvent) -> bool {
        let Some(Popup::Search(s)) = &mut self.popup else {
            return false;
        };
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return false;
        }
        let len = s.results.as_ref().map_or(0, |r| r.hits.len());
        let mut changed = false;
        match key.code {
            KeyCode::Up if s.rows.selected == 0 => {
                let next = s.recalled.map_or(0, |i| i + 1);
                if let Some(q) = self.search_history.iter().rev().nth(next) {
                    s.query = q.clone();
                    s.recalled = Some(next);
                    changed = true;
                }
            }
            KeyCode::Up => s.rows.step(-1, len),
            KeyCode::Down => s.rows.step(1, len),
            KeyCode::PageUp => s.rows.step(-10, len),
            KeyCode::PageDown => s.rows.step(10, len),
            _ => match line_edit::edit(&mut s.query, key) {
                Edit::Changed => {
                    s.recalled = None;
                    changed = true;
                }
                Edit::Cancel => {
                    self.popup = None;
                    return true;
                }
                Edit::Submit => {
                    // Nothing to jump to yet (no answer, or no hit): stay open.
                    let Some(subject) = s
                        .results
                        .as_ref()
                        .and_then(|r| r.hits.get(s.rows.selected))
                        .map(|h| h.subject.clone())
                    else {
                        return true;
                    };
                    let query = s.query.trim().to_string();
                    if !query.is_empty() && self.search_history.last() != Some(&query) {
                        self.search_history.push(query);
                    }
                    self.popup = None;
                    self.go_subject(&subject);
                    return true;
                }
                Edit::Ignored => {}
            },
        }
        if changed {
            let query = s.query.clone();
            if query.trim().is_empty() {
                s.results = None;
            } else {
                self.requests.push(Request::Search { query });
            }
        }
        true
    }
}
