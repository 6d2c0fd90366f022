//! A small picker with type-ahead: the values a filter can take (a layer, a
//! pillar, an owner, a tier, a change kind), each with how many rows it
//! keeps. Typing narrows the list at once (names that start with the
//! words first, then names with a word starting so, then names containing
//! them, then scattered letters); Enter picks; Esc leaves the filter as it
//! was. The first row, "any", clears the filter. Every printable key types
//! (`q` and `j` included): the list moves with the arrows.

use super::line_edit::{self, Edit};
use super::list::Scroll;
use crossterm::event::{KeyCode, KeyEvent};

/// Which filter a picker sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickFor {
    Layer,
    Pillar,
    Owner,
    Tier,
    ChangeKind,
}

/// One value to pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What the filter is set to; None for "any" (no filter).
    pub value: Option<String>,
    /// What is shown and matched (cleaned of control characters when the
    /// value comes from the repository).
    pub label: String,
    /// Shown dimmed on the right: how many rows the value keeps.
    pub detail: String,
}

impl Choice {
    pub fn new(
        value: impl Into<String>,
        label: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Choice {
            value: Some(value.into()),
            label: label.into(),
            detail: detail.into(),
        }
    }
}

/// How a label matched the query, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fit {
    Prefix,
    WordPrefix,
    Contains,
    Scattered,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    /// What is picked: "layer", "owner", "change kind"…
    pub what: String,
    /// "any", then the values in the caller's order.
    choices: Vec<Choice>,
    pub query: String,
    pub rows: Scroll,
    /// The choices shown for the query, best first: (index, fit).
    shown: Vec<(usize, Option<Fit>)>,
}

/// What a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerKey {
    /// The query or the selection changed.
    Changed,
    /// Enter on a row: set the filter to this (None: no filter).
    Picked(Option<String>),
    /// Esc: close, the filter unchanged.
    Cancelled,
    /// Not the picker's key (Ctrl-C…).
    Ignored,
}

impl Picker {
    /// A picker over `choices`, with the current value selected.
    pub fn new(what: &str, choices: Vec<Choice>, current: Option<&str>) -> Picker {
        let mut all = vec![Choice {
            value: None,
            label: format!("any {what}"),
            detail: "clears the filter".into(),
        }];
        all.extend(choices);
        let mut picker = Picker {
            what: what.to_string(),
            choices: all,
            query: String::new(),
            rows: Scroll::default(),
            shown: Vec::new(),
        };
        picker.narrow();
        picker.rows.selected = picker
            .shown
            .iter()
            .position(|(i, _)| picker.choices[*i].value.as_deref() == current)
            .unwrap_or(0);
        picker
    }

    /// The choices shown, best first, with how each matched.
    pub fn shown(&self) -> impl Iterator<Item = (&Choice, Option<Fit>)> {
        self.shown.iter().map(|&(i, fit)| (&self.choices[i], fit))
    }

    pub fn len(&self) -> usize {
        self.shown.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// How many values there are (without "any").
    pub fn total(&self) -> usize {
        self.choices.len() - 1
    }

    pub fn key(&mut self, key: &KeyEvent) -> PickerKey {
        let len = self.shown.len();
        match key.code {
            KeyCode::Up => self.rows.step(-1, len),
            KeyCode::Down => self.rows.step(1, len),
            KeyCode::PageUp => self.rows.step(-10, len),
            KeyCode::PageDown => self.rows.step(10, len),
            KeyCode::Home => self.rows.step(-(len as isize), len),
            KeyCode::End => self.rows.step(len as isize, len),
            _ => match line_edit::edit(&mut self.query, key) {
                Edit::Changed => {
                    self.narrow();
                    self.rows = Scroll::default();
                }
                Edit::Submit => {
                    return match self.selected() {
                        Some(choice) => PickerKey::Picked(choice.value.clone()),
                        // Nothing matches: stay open, the query can be fixed.
                        None => PickerKey::Changed,
                    };
                }
                Edit::Cancel => return PickerKey::Cancelled,
                Edit::Ignored => return PickerKey::Ignored,
            },
        }
        PickerKey::Changed
    }

    /// A click on the shown row `i`: picks it.
    pub fn pick_row(&mut self, i: usize) -> Option<PickerKey> {
        let &(index, _) = self.shown.get(i)?;
        self.rows.selected = i;
        Some(PickerKey::Picked(self.choices[index].value.clone()))
    }

    pub fn selected(&self) -> Option<&Choice> {
        self.shown
            .get(self.rows.selected)
            .map(|&(i, _)| &self.choices[i])
    }

    fn narrow(&mut self) {
        let query = self.query.trim().to_lowercase();
        if query.is_empty() {
            self.shown = (0..self.choices.len()).map(|i| (i, None)).collect();
            return;
        }
        let mut shown: Vec<(usize, Option<Fit>)> = self
            .choices
            .iter()
            .enumerate()
            // "any" is for an empty query; typing looks for a value.
            .filter(|(_, c)| c.value.is_some())
            .filter_map(|(i, c)| fit(&c.label, &query).map(|f| (i, Some(f))))
            .collect();
        // Stable: within a fit, the caller's order.
        shown.sort_by_key(|&(_, fit)| fit);
        self.shown = shown;
    }
}

/// How `label` matches a lowercase `query`, if at all.
pub fn fit(label: &str, query: &str) -> Option<Fit> {
    let label = label.to_lowercase();
    if label.starts_with(query) {
        return Some(Fit::Prefix);
    }
    let word_start = label
        .match_indices(query)
        .any(|(at, _)| label[..at].ends_with(|c: char| !c.is_alphanumeric()));
    if word_start {
        return Some(Fit::WordPrefix);
    }
    if label.contains(query) {
        return Some(Fit::Contains);
    }
    let mut rest = label.chars();
    query
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|q| rest.any(|c| c == q))
        .then_some(Fit::Scattered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn press(p: &mut Picker, code: KeyCode) -> PickerKey {
        p.key(&KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn owners() -> Picker {
        let choices = [
            "app-checkout",
            "payments",
            "platform-data",
            "platform-devex",
            "sre",
        ]
        .iter()
        .map(|t| Choice::new(*t, *t, "3 components"))
        .collect();
        Picker::new("owner", choices, Some("platform-data"))
    }

    fn labels(p: &Picker) -> Vec<&str> {
        p.shown().map(|(c, _)| c.label.as_str()).collect()
    }

    #[test]
    fn opens_on_the_current_value_with_any_first() {
        let p = owners();
        assert_eq!(p.total(), 5);
        assert_eq!(labels(&p)[0], "any owner");
        assert_eq!(
            p.selected().unwrap().value.as_deref(),
            Some("platform-data")
        );
    }

    #[test]
    fn typing_narrows_best_first_and_q_types() {
        let mut p = owners();
        press(&mut p, KeyCode::Char('d'));
        // "platform-data" and "platform-devex" have a word starting with d;
        // "app-checkout" has no d at all.
        assert_eq!(labels(&p), vec!["platform-data", "platform-devex"]);
        press(&mut p, KeyCode::Backspace);
        for c in "pa".chars() {
            press(&mut p, KeyCode::Char(c));
        }
        assert_eq!(
            labels(&p),
            vec!["payments", "platform-data", "platform-devex"]
        );
        assert_eq!(
            p.shown().map(|(_, f)| f.unwrap()).collect::<Vec<_>>(),
            vec![Fit::Prefix, Fit::Scattered, Fit::Scattered]
        );
        assert_eq!(press(&mut p, KeyCode::Char('q')), PickerKey::Changed);
        assert_eq!(p.query, "paq");
        assert!(p.is_empty());
        // Enter on nothing stays open.
        assert_eq!(press(&mut p, KeyCode::Enter), PickerKey::Changed);
    }

    #[test]
    fn enter_picks_the_selected_row_and_any_clears() {
        let mut p = owners();
        for c in "sre".chars() {
            press(&mut p, KeyCode::Char(c));
        }
        assert_eq!(
            press(&mut p, KeyCode::Enter),
            PickerKey::Picked(Some("sre".into()))
        );
        let mut p = owners();
        press(&mut p, KeyCode::Home);
        assert_eq!(press(&mut p, KeyCode::Enter), PickerKey::Picked(None));
        let mut p = owners();
        press(&mut p, KeyCode::Down);
        assert_eq!(
            press(&mut p, KeyCode::Enter),
            PickerKey::Picked(Some("platform-devex".into()))
        );
        assert_eq!(press(&mut owners(), KeyCode::Esc), PickerKey::Cancelled);
        assert_eq!(
            owners().pick_row(1),
            Some(PickerKey::Picked(Some("app-checkout".into())))
        );
        assert_eq!(owners().pick_row(9), None);
    }

    #[test]
    fn fits_rank_prefix_word_contains_scattered() {
        assert_eq!(fit("Application", "app"), Some(Fit::Prefix));
        assert_eq!(fit("Cloud foundation", "fou"), Some(Fit::WordPrefix));
        assert_eq!(fit("tier 1", "er"), Some(Fit::Contains));
        assert_eq!(fit("owner_changed", "och"), Some(Fit::Scattered));
        assert_eq!(fit("sre", "x"), None);
    }
}
