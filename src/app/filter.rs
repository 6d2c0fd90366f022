//! Filter in place, as k9s and lazygit do it: one key starts typing, every
//! key narrows the list at once, Enter keeps the filter and gives the keys
//! back to the list, Esc clears it. The words are looked for in the text
//! each row shows (not in hidden fields), so what matches is what the user
//! can see; every word must appear, in any order, ignoring case.
//!
//! One type for every list and table, so they all behave the same; the
//! tabs own one each and say what a row's shown text is.

use super::line_edit::{self, Edit};
use crossterm::event::KeyEvent;

/// A list's filter: the words typed, and whether keys go to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextFilter {
    text: String,
    typing: bool,
}

/// What a key did to the filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKey {
    /// The words changed: the rows shown change, the selection goes to the
    /// first of them.
    Changed,
    /// Enter: typing is over, the filter stays.
    Kept,
    /// Esc: the filter is gone and typing is over.
    Cleared,
    /// Not a key of the input (an arrow, Ctrl-C…): the caller decides, so
    /// the selection can move while the filter is typed.
    Ignored,
}

impl TextFilter {
    /// Starts typing, keeping the words already there (to refine them).
    pub fn start(&mut self) {
        self.typing = true;
    }

    /// True while keys go to the filter.
    pub fn is_typing(&self) -> bool {
        self.typing
    }

    /// The words as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True when some rows may be hidden.
    pub fn is_active(&self) -> bool {
        !self.text.trim().is_empty()
    }

    /// Empties the filter and stops typing.
    pub fn clear(&mut self) {
        self.text.clear();
        self.typing = false;
    }

    /// Sets the words (a filter restored, or set by a test).
    pub fn set(&mut self, text: &str) {
        self.text = text.to_string();
    }

    /// A key while typing; `Ignored` when not typing.
    pub fn key(&mut self, key: &KeyEvent) -> FilterKey {
        if !self.typing {
            return FilterKey::Ignored;
        }
        match line_edit::edit(&mut self.text, key) {
            Edit::Changed => FilterKey::Changed,
            Edit::Submit => {
                self.typing = false;
                FilterKey::Kept
            }
            Edit::Cancel => {
                self.clear();
                FilterKey::Cleared
            }
            Edit::Ignored => FilterKey::Ignored,
        }
    }

    /// Esc outside the input: clears an active filter (true), so the first
    /// Esc undoes the filter and only the next one walks back the trail.
    pub fn back(&mut self) -> bool {
        let was = self.is_active() || self.typing;
        self.clear();
        was
    }

    /// The matcher for the words typed now.
    pub fn matcher(&self) -> Matcher {
        Matcher::new(&self.text)
    }

    /// The indices of the rows whose shown text matches, in their order.
    pub fn keep<T>(&self, rows: &[T], shown: impl Fn(&T) -> String) -> Vec<usize> {
        let matcher = self.matcher();
        rows.iter()
            .enumerate()
            .filter(|(_, row)| matcher.matches(&shown(row)))
            .map(|(i, _)| i)
            .collect()
    }

    /// The filter as titles show it (`/kafka`), with a caret while typing;
    /// None when there is nothing to show.
    pub fn label(&self) -> Option<String> {
        match (self.typing, self.is_active()) {
            (true, _) => Some(format!("/{}▏", self.text)),
            (false, true) => Some(format!("/{}", self.text.trim())),
            (false, false) => None,
        }
    }
}

/// The words of a filter, folded for matching without case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matcher {
    words: Vec<Vec<char>>,
}

impl Matcher {
    pub fn new(text: &str) -> Matcher {
        Matcher {
            words: text
                .split_whitespace()
                .map(|w| w.chars().map(fold).collect())
                .collect(),
        }
    }

    /// True when there are no words: everything matches.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Does `shown` contain every word (ignoring case)?
    pub fn matches(&self, shown: &str) -> bool {
        if self.words.is_empty() {
            return true;
        }
        let folded: Vec<char> = shown.chars().map(fold).collect();
        self.words.iter().all(|w| find(&folded, w, 0).is_some())
    }

    /// Which characters of `shown` (by char index) a word matched, for
    /// highlighting: every occurrence of every word.
    pub fn highlights(&self, shown: &str) -> Vec<bool> {
        let folded: Vec<char> = shown.chars().map(fold).collect();
        let mut marked = vec![false; folded.len()];
        for word in &self.words {
            let mut from = 0;
            while let Some(at) = find(&folded, word, from) {
                for m in &mut marked[at..at + word.len()] {
                    *m = true;
                }
                from = at + word.len().max(1);
            }
        }
        marked
    }
}

/// One character folded for a match without case; one char in, one char
/// out, so char indices of the folded text are those of the shown text.
fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn find(haystack: &[char], needle: &[char], from: usize) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    (from..=haystack.len() - needle.len()).find(|&i| haystack[i..i + needle.len()] == *needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn press(f: &mut TextFilter, code: KeyCode) -> FilterKey {
        f.key(&KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn typed(f: &mut TextFilter, text: &str) {
        for c in text.chars() {
            assert_eq!(press(f, KeyCode::Char(c)), FilterKey::Changed);
        }
    }

    #[test]
    fn every_word_must_appear_in_any_order_ignoring_case() {
        let m = Matcher::new("KAFKA  stream");
        assert!(m.matches("kafka-connect  Kafka Connect  platform-streaming"));
        assert!(m.matches("platform-streaming owns Kafka"));
        assert!(!m.matches("kafka-connect  Kafka Connect  platform-data"));
        assert!(Matcher::new("   ").matches("anything"));
        assert!(Matcher::new("é").matches("Équipe"));
    }

    #[test]
    fn keys_type_enter_keeps_and_esc_clears() {
        let mut f = TextFilter::default();
        assert_eq!(press(&mut f, KeyCode::Char('x')), FilterKey::Ignored);
        assert!(!f.is_active());
        f.start();
        typed(&mut f, "pay");
        assert_eq!(f.label().as_deref(), Some("/pay▏"));
        // Arrows are the list's, even while typing.
        assert_eq!(press(&mut f, KeyCode::Down), FilterKey::Ignored);
        assert_eq!(press(&mut f, KeyCode::Enter), FilterKey::Kept);
        assert!(!f.is_typing() && f.is_active());
        assert_eq!(f.label().as_deref(), Some("/pay"));
        // Once typing is over, letters are the list's keys again.
        assert_eq!(press(&mut f, KeyCode::Char('j')), FilterKey::Ignored);
        assert_eq!(f.text(), "pay");
        f.start();
        typed(&mut f, "x");
        assert_eq!(press(&mut f, KeyCode::Esc), FilterKey::Cleared);
        assert!(!f.is_active() && !f.is_typing());
        assert_eq!(f.label(), None);
    }

    #[test]
    fn esc_outside_the_input_clears_first_then_lets_back_through() {
        let mut f = TextFilter::default();
        f.set("redis");
        assert!(f.back());
        assert!(!f.back(), "nothing left to clear: Esc goes back");
    }

    #[test]
    fn keep_lists_the_matching_rows_in_order() {
        let rows = [
            "kafka  platform-streaming",
            "redis  platform-data",
            "kafka-connect",
        ];
        let mut f = TextFilter::default();
        f.set("kafka");
        assert_eq!(f.keep(&rows, |r| r.to_string()), vec![0, 2]);
        f.set("");
        assert_eq!(f.keep(&rows, |r| r.to_string()), vec![0, 1, 2]);
    }

    #[test]
    fn highlights_mark_every_occurrence_by_char_index() {
        let m = Matcher::new("ka");
        let marks = m.highlights("Kafka é ka");
        let at: Vec<usize> = (0..marks.len()).filter(|&i| marks[i]).collect();
        assert_eq!(at, vec![0, 1, 3, 4, 8, 9]);
        assert!(Matcher::new("").highlights("abc").iter().all(|m| !m));
    }
}
