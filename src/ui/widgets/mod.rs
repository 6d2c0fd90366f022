//! Small drawing helpers shared by the views.

pub mod status;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders};

/// Repository text made safe for the terminal (see `crate::sanitize`).
pub fn clean(text: &str) -> String {
    crate::sanitize::line(text).into_owned()
}

pub fn block<'a>(
    title: impl Into<Line<'a>>,
    focused: bool,
    theme: &crate::ui::theme::Theme,
) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(if focused {
            theme.border_focus
        } else {
            theme.border
        })
        .title(title)
        .title_style(if focused { theme.accent } else { theme.header })
}

/// The inside of a bordered block.
pub fn inner(area: Rect) -> Rect {
    Rect {
        x: area.x.saturating_add(1),
        y: area.y.saturating_add(1),
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    }
}

/// The selection's style, or none.
pub fn selected_if(yes: bool, theme: &crate::ui::theme::Theme) -> Style {
    if yes {
        theme.selection
    } else {
        Style::default()
    }
}

/// A window of `len` items of which `height` fit, keeping `selected` in view;
/// the offset is remembered in the list's `Scroll`.
pub fn window(
    scroll: &crate::app::list::Scroll,
    height: usize,
    len: usize,
) -> std::ops::Range<usize> {
    let offset = scroll.visible_offset(height, len);
    offset..(offset + height).min(len)
}

/// Splits text into at most `max_lines` lines of at most `width` characters
/// at spaces; the last line ends with `…` when text is left over.
pub fn wrap_words(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let needed = if current.is_empty() {
            word.chars().count()
        } else {
            current.chars().count() + 1 + word.chars().count()
        };
        if needed <= width || current.is_empty() {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        } else {
            lines.push(std::mem::take(&mut current));
            current.push_str(word);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    let mut lines: Vec<String> = lines
        .into_iter()
        .map(|l| {
            if l.chars().count() > width {
                l.chars().take(width).collect()
            } else {
                l
            }
        })
        .collect();
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let keep = width.saturating_sub(1).min(last.chars().count());
            *last = last.chars().take(keep).collect::<String>() + "…";
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap_words;

    #[test]
    fn wraps_at_spaces_and_marks_what_is_cut() {
        assert_eq!(
            wrap_words("a bb ccc dddd", 6, 3),
            vec!["a bb", "ccc", "dddd"]
        );
        assert_eq!(wrap_words("a bb ccc dddd", 6, 2), vec!["a bb", "ccc…"]);
        assert_eq!(wrap_words("abcdefgh", 4, 2), vec!["abcd"]);
        assert!(wrap_words("", 4, 2).is_empty());
    }
}
