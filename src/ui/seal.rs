//! The last line of defence between repository text and the terminal.
//!
//! Every view cleans what it draws (`widgets::clean`, which escapes a
//! control character visibly, as `\u{1b}`, and keeps the layout's widths
//! right); `tests/hostile_screens.rs` proves each one does. This pass runs
//! once per frame over the finished buffer, after every view and popup, so
//! a view that forgets to clean still cannot drive the terminal: any cell
//! holding a control character, a bidi override, a line separator or a tag
//! character is replaced by U+FFFD before the frame is flushed.

use crate::sanitize::is_unsafe;
use ratatui::buffer::Buffer;

/// What stands in for a cell that held an unsafe character.
pub const REPLACEMENT: &str = "\u{FFFD}";

/// Replaces every unsafe cell of the buffer; returns how many there were.
/// A few microseconds for a full screen: one scan of its cells' symbols,
/// which are almost all one ASCII byte.
pub fn seal(buffer: &mut Buffer) -> usize {
    let mut replaced = 0;
    for cell in &mut buffer.content {
        if cell.symbol().chars().any(is_unsafe) {
            cell.set_symbol(REPLACEMENT);
            replaced += 1;
        }
    }
    replaced
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn a_raw_bidi_override_or_separator_never_leaves_the_buffer() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 20, 2));
        // Drawn raw, as a careless view would: ratatui itself drops C0
        // controls but keeps bidi overrides and U+2028.
        buffer.set_string(
            0,
            0,
            "a\u{202E}b\u{2028}c",
            ratatui::style::Style::default(),
        );
        buffer[(0, 1)].set_symbol("\x1b");
        let unsafe_cells = buffer
            .content
            .iter()
            .filter(|c| c.symbol().chars().any(is_unsafe))
            .count();
        assert!(unsafe_cells >= 2, "the test must start from unsafe cells");
        assert_eq!(seal(&mut buffer), unsafe_cells);
        assert!(
            buffer
                .content
                .iter()
                .all(|c| !c.symbol().chars().any(is_unsafe))
        );
        assert_eq!(buffer[(0, 0)].symbol(), "a");
    }

    #[test]
    fn a_clean_buffer_is_left_as_it_is() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 10, 1));
        buffer.set_string(0, 0, "émoji 🦀", ratatui::style::Style::default());
        let before = buffer.clone();
        assert_eq!(seal(&mut buffer), 0);
        assert_eq!(buffer, before);
    }
}
