//! A table row from cells and the widths `fit_columns` gave them: each cell
//! padded (or cut with `…`) to its width, hidden columns left out.

use super::text::{pad, pad_left};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Which side of its column a cell keeps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One cell: its text, style and alignment.
pub struct Cell<'a> {
    pub text: &'a str,
    pub style: Style,
    pub align: Align,
}

impl<'a> Cell<'a> {
    pub fn left(text: &'a str, style: Style) -> Cell<'a> {
        Cell {
            text,
            style,
            align: Align::Left,
        }
    }

    pub fn right(text: &'a str, style: Style) -> Cell<'a> {
        Cell {
            text,
            style,
            align: Align::Right,
        }
    }
}

/// The row: shown cells at their widths, `gap` spaces between them.
pub fn row(cells: &[Cell<'_>], widths: &[usize], gap: usize) -> Line<'static> {
    let mut spans = Vec::with_capacity(cells.len() * 2);
    for (cell, &w) in cells.iter().zip(widths) {
        if w == 0 {
            continue;
        }
        if !spans.is_empty() && gap > 0 {
            spans.push(Span::raw(" ".repeat(gap)));
        }
        let text = match cell.align {
            Align::Left => pad(cell.text, w),
            Align::Right => pad_left(cell.text, w),
        };
        spans.push(Span::styled(text, cell.style));
    }
    Line::from(spans)
}

/// A block title of parts, most important first, in `width` cells (the
/// block's corners excluded): parts are dropped from the end until the
/// rest fits, then the first is cut with `…`.
pub fn title(parts: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let room = width.saturating_sub(2);
    let mut parts = parts;
    while parts.len() > 1 && parts.iter().map(|p| p.width()).sum::<usize>() > room {
        parts.pop();
    }
    if let Some(first) = parts.first_mut()
        && first.width() > room
    {
        first.content = super::truncate(&first.content, room).into_owned().into();
    }
    Line::from(parts)
}

/// A block title of a first part kept whole and a note after it (a
/// filter's words) cut with `…` to what is left of `width`; parts after
/// the note are dropped when they do not fit (see `title`).
pub fn title_with_note(mut parts: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let room = width.saturating_sub(2);
    let first = parts.first().map_or(0, |p| p.width());
    if let Some(note) = parts.get_mut(1) {
        let left = room.saturating_sub(first);
        if note.width() > left {
            note.content = super::truncate(&note.content, left).into_owned().into();
        }
    }
    title(parts, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_drop_their_least_part_first() {
        let parts = || {
            vec![
                Span::raw(" Layer matrix "),
                Span::raw("· columns 1-7 of 17 "),
                Span::raw("· m: matrices "),
            ]
        };
        assert_eq!(
            title(parts(), 60).to_string(),
            " Layer matrix · columns 1-7 of 17 · m: matrices "
        );
        assert_eq!(
            title(parts(), 40).to_string(),
            " Layer matrix · columns 1-7 of 17 "
        );
        assert_eq!(title(parts(), 12).to_string(), " Layer ma…");
    }

    #[test]
    fn a_note_is_cut_after_a_whole_first_part() {
        let parts = || {
            vec![
                Span::raw(" Components 3/67 "),
                Span::raw("· layer=service owner=platform-data /kafka "),
            ]
        };
        assert_eq!(
            title_with_note(parts(), 40).to_string(),
            " Components 3/67 · layer=service owne…"
        );
        assert_eq!(
            title_with_note(parts(), 80).to_string(),
            " Components 3/67 · layer=service owner=platform-data /kafka "
        );
    }

    #[test]
    fn cells_take_their_widths_and_hidden_ones_vanish() {
        let s = Style::default();
        let cells = [
            Cell::left("platform-streaming", s),
            Cell::left("Kafka message queues", s),
            Cell::left("service", s),
            Cell::right("1", s),
        ];
        let line = row(&cells, &[18, 10, 0, 4], 1);
        assert_eq!(line.to_string(), "platform-streaming Kafka mes…    1");
        assert_eq!(line.width(), 18 + 1 + 10 + 1 + 4);
    }
}
