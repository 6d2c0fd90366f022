//! Small drawing helpers shared by the views.

pub mod status;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders};

/// Repository text made safe for the terminal (see `crate::sanitize`),
/// and cut to what any screen could show: a 10 MB description costs no
/// more to clean, lay out and draw than a screenful.
pub fn clean(text: &str) -> String {
    let (shown, cut) = clip(text, MAX_SHOWN);
    let mut out = crate::sanitize::line(shown).into_owned();
    if cut {
        out.push_str(MORE);
    }
    out
}

/// More characters than a terminal has cells (a 400x160 screen has 64,000).
pub const MAX_SHOWN: usize = 100_000;

/// The mark that text goes on past what is drawn.
pub const MORE: &str = "…";

/// The first `max` characters of `text`, and whether anything was cut.
pub fn clip(text: &str, max: usize) -> (&str, bool) {
    match text.char_indices().nth(max) {
        Some((at, _)) => (&text[..at], true),
        None => (text, false),
    }
}

/// The lines a pane `width` wide shows in its first `rows` rows (after
/// wrapping), cut before they are wrapped: a line keeps at most what fits
/// in the rows left (`rows x width` characters at most, as no row holds
/// more than `width`), with `MORE` where it was cut, and lines below the
/// last row are dropped. Wrapping costs what is shown, not what exists.
pub fn fit(lines: Vec<Line<'_>>, width: u16, rows: usize) -> Vec<Line<'_>> {
    fit_cut(lines, width, rows).0
}

/// `fit`, and whether it left anything out (a line cut or dropped): the
/// pane then has more below than it laid out.
pub fn fit_cut(lines: Vec<Line<'_>>, width: u16, rows: usize) -> (Vec<Line<'_>>, bool) {
    let width = usize::from(width.max(1));
    let total = lines.len();
    let mut any_cut = false;
    let mut left = rows;
    let mut out = Vec::new();
    for mut line in lines {
        if left == 0 {
            break;
        }
        // Continuation rows start under the line's hanging indent, so they
        // hold fewer characters than the first (see `ui::fit::wrap`).
        let rest = width - hang_of(&line, width);
        let capacity = |rows: usize| width + rows.saturating_sub(1) * rest;
        let mut budget = capacity(left);
        let mut cut = false;
        line.spans.retain_mut(|span| {
            if cut {
                return false;
            }
            if clip(&span.content, budget).1 {
                // The mark takes the last place, so it is drawn.
                let kept = clip(&span.content, budget.saturating_sub(1)).0;
                span.content = format!("{kept}{MORE}").into();
                cut = true;
            }
            budget = budget.saturating_sub(span.content.chars().count());
            true
        });
        any_cut |= cut;
        let chars: usize = line.spans.iter().map(|s| s.content.chars().count()).sum();
        let rows = 1 + chars.saturating_sub(width).div_ceil(rest);
        left = left.saturating_sub(rows);
        out.push(line);
    }
    let dropped = out.len() < total;
    (out, any_cut || dropped)
}

/// The hanging indent `ui::fit::wrap_line` gives `line`'s continuation
/// rows in a pane `width` wide (read from its first characters only: a
/// 10 MB line is not copied to find it), leaving at least one cell a row.
fn hang_of(line: &Line<'_>, width: usize) -> usize {
    let head: String = line
        .spans
        .iter()
        .flat_map(|s| s.content.chars())
        .take(64)
        .collect();
    let hang = crate::ui::fit::hanging_indent(&Line::from(head));
    hang.min(width / 2)
        .min(width.saturating_sub(2))
        .min(width - 1)
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
    use super::*;

    fn chars(lines: &[Line]) -> usize {
        lines
            .iter()
            .flat_map(|l| &l.spans)
            .map(|s| s.content.chars().count())
            .sum()
    }

    #[test]
    fn fit_lays_out_no_more_than_the_pane_shows() {
        // A 10 MB line and a million short ones, in a 40x10 pane.
        let huge = "x".repeat(10_000_000);
        let many: Vec<Line> = (0..1_000_000)
            .map(|i| Line::from(format!("line {i}")))
            .collect();
        let fitted = fit(vec![Line::from(huge.as_str())], 40, 10);
        assert_eq!(fitted.len(), 1);
        // The first row holds 40, each of the nine below 38 (under a
        // hanging indent of two).
        assert_eq!(chars(&fitted), 40 + 9 * 38);
        assert!(fitted[0].spans[0].content.ends_with(MORE));
        let fitted = fit(many, 40, 10);
        assert_eq!(fitted.len(), 10);
        // What fits is kept whole, unmarked.
        let small = fit(vec![Line::from("a b c"), Line::from("d")], 40, 10);
        assert_eq!(chars(&small), 6);
    }

    #[test]
    fn clean_cuts_what_no_screen_could_show() {
        let huge = "\x1b".to_string() + &"y".repeat(10_000_000);
        let shown = clean(&huge);
        assert!(shown.chars().count() <= MAX_SHOWN + 8);
        assert!(shown.ends_with(MORE));
        assert_eq!(clean("short"), "short");
    }

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
