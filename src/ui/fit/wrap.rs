//! Word wrap for styled lines, with a hanging indent: a line's
//! continuation rows start under its text, not at the pane's edge, so a
//! bullet's wrapped words stay under the bullet's text. Words are broken
//! only at spaces; a word longer than a whole row is split between
//! graphemes (never inside a wide character). A no-break space (`glue`)
//! holds an escalation rung to its number: "2.\u{a0}head-of-data" moves to
//! the next row whole.
//!
//! Views wrap their lines here rather than asking ratatui's `Paragraph` to,
//! so they know how many rows the text takes and can clamp scrolling to it.

use super::text::grapheme_width;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// A space that never breaks; drawn as a plain space.
pub const GLUE: char = '\u{a0}';

/// `text` made unbreakable: its spaces become no-break spaces.
pub fn glue(text: &str) -> String {
    text.replace(' ', "\u{a0}")
}

/// Marks that start a list item; continuation rows go under the text after
/// them.
const MARKERS: &[&str] = &["•", "·", "-", "*", "✓", "✗", "⚠", "!", "→", "?"];

/// The continuation indent of `line`: its leading spaces, plus a list mark
/// ("• ", "✗ ", "3. ") and the spaces after it when there is one, else
/// plus two.
pub fn hanging_indent(line: &Line<'_>) -> usize {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let rest = text.trim_start_matches(' ');
    let lead = text.len() - rest.len();
    let (mark, after) = match rest.split_once(' ') {
        Some((mark, after)) => (mark, after),
        None => return lead + 2,
    };
    let numbered = mark.len() > 1
        && (mark.ends_with('.') || mark.ends_with(')'))
        && mark[..mark.len() - 1].bytes().all(|b| b.is_ascii_digit());
    if MARKERS.contains(&mark) || numbered {
        let spaces = 1 + after.len() - after.trim_start_matches(' ').len();
        lead + super::width(mark) + spaces
    } else {
        lead + 2
    }
}

/// "2." or "10)": a number that belongs to the word after it.
fn is_number_mark(word: &[Cell]) -> bool {
    let n = word.len();
    (2..=4).contains(&n)
        && matches!(word[n - 1].symbol, "." | ")")
        && word[..n - 1]
            .iter()
            .all(|c| c.symbol.len() == 1 && c.symbol.as_bytes()[0].is_ascii_digit())
}

/// One grapheme of a line being wrapped.
#[derive(Clone, Copy)]
struct Cell<'a> {
    symbol: &'a str,
    style: Style,
    width: usize,
}

impl Cell<'_> {
    fn is_space(&self) -> bool {
        self.symbol == " "
    }
}

/// Wraps `line` into rows of at most `width` cells, continuation rows
/// indented by `hang` cells (at most half the width). A line that fits is
/// returned as it is.
pub fn wrap_line(line: &Line<'_>, width: usize, hang: usize) -> Vec<Line<'static>> {
    let cells: Vec<Cell> = line
        .spans
        .iter()
        .flat_map(|span| span.styled_graphemes(Style::default()))
        .map(|g| Cell {
            symbol: g.symbol,
            style: g.style,
            width: grapheme_width(g.symbol),
        })
        .filter(|c| c.width > 0)
        .collect();
    let total: usize = cells.iter().map(|c| c.width).sum();
    if total <= width || width == 0 {
        return vec![owned(line, &cells, 0)];
    }
    // Continuation rows keep at least two cells, room for a wide character.
    let hang = hang.min(width / 2).min(width.saturating_sub(2));
    // Words: runs of non-space cells, with the spaces before each.
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new()];
    let mut used = 0;
    let mut i = 0;
    // The line's own leading spaces stay on its first row (as many as
    // leave half of it for text).
    while i < cells.len() && cells[i].is_space() {
        if used < width / 2 {
            rows[0].push(cells[i]);
            used += cells[i].width;
        }
        i += 1;
    }
    let limit = |row: usize| if row == 0 { width } else { width - hang };
    while i < cells.len() {
        let spaces_from = i;
        while i < cells.len() && cells[i].is_space() {
            i += 1;
        }
        let word_from = i;
        while i < cells.len() && !cells[i].is_space() {
            i += 1;
        }
        // A rung or list number ("2.", "10)") moves with the word after it.
        if is_number_mark(&cells[word_from..i]) {
            while i < cells.len() && cells[i].is_space() {
                i += 1;
            }
            while i < cells.len() && !cells[i].is_space() {
                i += 1;
            }
        }
        let spaces = &cells[spaces_from..word_from];
        let word = &cells[word_from..i];
        let spaces_w: usize = spaces.iter().map(|c| c.width).sum();
        let word_w: usize = word.iter().map(|c| c.width).sum();
        let row = rows.len() - 1;
        let row_has_text = rows[row].iter().any(|c| !c.is_space());
        if used + spaces_w + word_w <= limit(row) || (!row_has_text && word.is_empty()) {
            rows[row].extend_from_slice(spaces);
            rows[row].extend_from_slice(word);
            used += spaces_w + word_w;
            continue;
        }
        if word.is_empty() {
            // Trailing spaces that do not fit are dropped.
            break;
        }
        // The word goes on; it starts a new row unless this one is empty.
        if row_has_text {
            rows.push(Vec::new());
            used = 0;
        } else {
            rows[row].extend_from_slice(spaces);
            used += spaces_w;
        }
        for cell in word {
            let row = rows.len() - 1;
            if used + cell.width > limit(row) && !rows[row].is_empty() {
                rows.push(Vec::new());
                used = 0;
            }
            let row = rows.len() - 1;
            rows[row].push(*cell);
            used += cell.width;
        }
    }
    rows.iter()
        .enumerate()
        .map(|(k, row)| owned(line, row, if k == 0 { 0 } else { hang }))
        .collect()
}

/// Wraps every line at `width`, each with its own hanging indent.
pub fn wrap_lines(lines: &[Line<'_>], width: usize) -> Vec<Line<'static>> {
    lines
        .iter()
        .flat_map(|l| wrap_line(l, width, hanging_indent(l)))
        .collect()
}

/// A row of cells as an owned line: neighbouring cells of one style make
/// one span; glue is drawn as a space; the line keeps its own style.
fn owned(line: &Line<'_>, cells: &[Cell], indent: usize) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    if indent > 0 {
        spans.push(Span::raw(" ".repeat(indent)));
    }
    let mut text = String::new();
    let mut style: Option<Style> = None;
    for c in cells {
        if style.is_some_and(|s| s != c.style) {
            spans.push(Span::styled(
                std::mem::take(&mut text),
                style.unwrap_or_default(),
            ));
        }
        style = Some(c.style);
        if c.symbol.contains(GLUE) {
            text.push_str(&c.symbol.replace(GLUE, " "));
        } else {
            text.push_str(c.symbol);
        }
    }
    if let Some(style) = style {
        spans.push(Span::styled(text, style));
    }
    let mut out = Line::from(spans).style(line.style);
    out.alignment = line.alignment;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::style::Color;

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn a_bullet_wraps_under_its_text() {
        let line = Line::from("  • Run Kafka, Connect and the schema registry");
        assert_eq!(hanging_indent(&line), 4);
        let rows = wrap_lines(&[line], 30);
        assert_eq!(
            text(&rows),
            vec!["  • Run Kafka, Connect and the", "    schema registry"]
        );
    }

    #[test]
    fn a_numbered_item_and_a_plain_line_hang_as_they_should() {
        assert_eq!(hanging_indent(&Line::from("12. twelve")), 4);
        assert_eq!(hanging_indent(&Line::from("  Members Sofia, Daniel")), 4);
        assert_eq!(hanging_indent(&Line::from("")), 2);
    }

    #[test]
    fn a_glued_rung_never_splits_from_its_number() {
        let ladder = [
            glue("1. payments-oncall"),
            glue("2. payments-lead"),
            glue("3. head of engineering"),
        ]
        .join(" → ");
        let line = Line::from(format!("  Escalation {ladder}"));
        for width in 20..60 {
            for row in text(&wrap_line(&line, width, 4)) {
                let row = row.trim();
                // No row ends with a bare rung number, none starts with the
                // name it belongs to.
                for n in ["1.", "2.", "3."] {
                    assert!(!row.ends_with(n), "{width}: {row:?}");
                }
                for name in ["payments-oncall", "payments-lead", "head"] {
                    assert!(!row.starts_with(name), "{width}: {row:?}");
                }
                assert!(!row.contains('\u{a0}'));
            }
        }
    }

    #[test]
    fn a_rung_number_moves_with_its_name_without_glue() {
        let line = Line::from(
            "  Escalate   1. platform-data-secondary → 2. sre-incident-commander → 3. head-of-platform",
        );
        for width in 30..90 {
            for row in text(&wrap_line(&line, width, 13)) {
                for n in ["1.", "2.", "3."] {
                    assert!(!row.trim_end().ends_with(n), "{width}: {row:?}");
                }
            }
        }
    }

    #[test]
    fn styles_survive_wrapping() {
        let line = Line::from(vec![
            Span::styled("Owner ", Style::default().fg(Color::Gray)),
            Span::styled(
                "platform-devex and more words",
                Style::default().fg(Color::Blue),
            ),
        ]);
        let rows = wrap_line(&line, 16, 2);
        assert_eq!(
            text(&rows),
            vec!["Owner", "  platform-devex", "  and more words"]
        );
        assert_eq!(rows[1].spans[1].style.fg, Some(Color::Blue));
        assert_eq!(rows[0].spans[0].style.fg, Some(Color::Gray));
    }

    #[test]
    fn a_word_longer_than_a_row_is_split_between_graphemes() {
        let rows = wrap_line(&Line::from("東京都東京都 x"), 5, 0);
        assert_eq!(text(&rows), vec!["東京", "都東", "京都", "x"]);
    }

    #[test]
    fn a_line_that_fits_is_unchanged() {
        let line = Line::from("  data-warehouse       T3 Data");
        assert_eq!(
            text(&wrap_line(&line, 40, 2)),
            vec!["  data-warehouse       T3 Data"]
        );
    }

    fn words() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                "[a-z]{1,12}",
                Just("東京".to_string()),
                Just("e\u{301}".to_string()),
                Just(glue("2. lead")),
                Just("  ".to_string()),
            ],
            0..20,
        )
        .prop_map(|w| w.join(" "))
    }

    proptest! {
        #[test]
        fn rows_fit_and_no_word_is_lost(s in words(), width in 2usize..50, hang in 0usize..10) {
            let line = Line::from(s.clone());
            let rows = wrap_line(&line, width, hang);
            for row in &rows {
                prop_assert!(row.width() <= width, "{row:?} wider than {width}");
            }
            // The same non-space text, in the same order.
            let squash = |t: &str| t.replace([' ', GLUE], "");
            let joined: String = rows.iter().map(|r| r.to_string()).collect();
            prop_assert_eq!(squash(&joined), squash(&s));
        }
    }
}
