//! A pane of text that scrolls: its lines wrapped to the pane's width with
//! hanging indents, and the scroll clamped to what the wrapped text needs.

use super::scroll::clamp_scroll;
use super::wrap::wrap_lines;
use ratatui::text::Line;

/// What a scrolling pane shows.
pub struct Pane {
    /// The rows in sight.
    pub rows: Vec<Line<'static>>,
    /// The offset actually used (the asked one, clamped).
    pub offset: usize,
    /// How many rows the wrapped text takes.
    pub total: usize,
    /// The furthest it may scroll: zero when everything fits.
    pub max: usize,
}

impl Pane {
    /// Wraps `lines` to `width`, then takes the `height` rows from
    /// `offset`, clamped so the last row never leaves the bottom.
    pub fn new(lines: &[Line<'_>], width: usize, height: usize, offset: usize) -> Pane {
        let wrapped = wrap_lines(lines, width);
        let total = wrapped.len();
        let max = total.saturating_sub(height);
        let offset = clamp_scroll(offset, total, height);
        let rows = wrapped.into_iter().skip(offset).take(height).collect();
        Pane {
            rows,
            offset,
            total,
            max,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_fits_does_not_scroll_and_the_end_stays_at_the_bottom() {
        let lines: Vec<Line> = (0..5).map(|i| Line::from(format!("line {i}"))).collect();
        let p = Pane::new(&lines, 20, 10, 3);
        assert_eq!((p.offset, p.max, p.rows.len()), (0, 0, 5));
        let p = Pane::new(&lines, 20, 3, 99);
        assert_eq!((p.offset, p.max), (2, 2));
        assert_eq!(p.rows.last().unwrap().to_string(), "line 4");
        // Wrapping counts: one long line takes five rows of 10 (its
        // continuation rows indented by two).
        let long = [Line::from("aaaa bbbb cccc dddd eeee ffff")];
        let p = Pane::new(&long, 10, 2, 9);
        assert_eq!((p.total, p.max, p.offset), (5, 3, 3));
        assert_eq!(p.rows[1].to_string(), "  ffff");
    }
}
