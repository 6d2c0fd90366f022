//! The picker popup: what is picked and the words typed, then the values
//! best first, the part of each that matched the words in the match style,
//! and how many rows each keeps, dimmed.

use crate::app::Target;
use crate::app::picker::{Fit, Picker};
use crate::ui::fit;
use crate::ui::theme::Theme;
use crate::ui::widgets::{block, clean, inner, selected_if, window};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// The popup: as wide as its longest row (within reason), as tall as its
/// rows, centred.
pub fn popup_area(picker: &Picker, area: Rect) -> Rect {
    let widest = picker
        .shown()
        .map(|(c, _)| fit::width(&clean(&c.label)) + fit::width(&clean(&c.detail)) + 4)
        .chain([fit::width(&title(picker)) + 2, 30])
        .max()
        .unwrap_or(30);
    let width = (widest + 2).min(72) as u16;
    let height = (picker.len() + 4).min(u16::MAX as usize) as u16;
    super::centered(
        area,
        width,
        height.min(area.height.saturating_sub(4).max(6)),
    )
}

/// The rows' area: the popup's inside below the query line.
fn list_area(picker: &Picker, area: Rect) -> Rect {
    let i = inner(popup_area(picker, area));
    Rect {
        y: i.y + 2,
        height: i.height.saturating_sub(2),
        ..i
    }
}

fn title(picker: &Picker) -> String {
    format!(
        " {} · {}/{} · Enter picks · Esc cancels ",
        picker.what,
        picker.len(),
        picker.total() + 1
    )
}

pub fn draw(frame: &mut Frame, picker: &Picker, theme: &Theme, area: Rect) {
    let t = theme;
    let popup = popup_area(picker, area);
    let list = list_area(picker, area);
    let width = list.width as usize;
    let mut lines = vec![
        Line::from(vec![
            Span::styled("› ", t.accent),
            Span::styled(clean(&picker.query), t.text),
            Span::styled("▏", t.accent),
        ]),
        Line::from(""),
    ];
    let query = picker.query.trim().to_lowercase();
    let shown: Vec<_> = picker.shown().collect();
    for i in window(&picker.rows, list.height as usize, shown.len()) {
        let (choice, fit) = shown[i];
        let sel = selected_if(i == picker.rows.selected, t);
        let label = clean(&choice.label);
        let detail = clean(&choice.detail);
        let base = if choice.value.is_none() {
            t.dim
        } else {
            t.text
        };
        // The count stays whole beside the label, which is cut with `…`
        // when the two do not fit; on a very narrow popup the count goes.
        let detail_w = fit::width(&detail);
        let label_room = width.saturating_sub(detail_w + 2);
        let (shown_label, detail) = if label_room >= 6 || detail.is_empty() {
            (fit::truncate(&label, label_room.max(1)), detail)
        } else {
            (fit::truncate(&label, width), String::new())
        };
        let cut = shown_label != label.as_str();
        let mut marks = matched_chars(&label, &query, fit);
        if cut {
            // The `…` stands for what was cut, not for a matched letter.
            marks.truncate(shown_label.chars().count().saturating_sub(1));
        }
        let mut spans: Vec<Span> = shown_label
            .chars()
            .zip(marks.into_iter().chain(std::iter::repeat(false)))
            .map(|(c, m)| Span::styled(c.to_string(), if m { t.matched } else { base }.patch(sel)))
            .collect();
        let used = fit::width(&shown_label);
        let gap = width.saturating_sub(used + fit::width(&detail)).max(2);
        spans.push(Span::styled(" ".repeat(gap), sel));
        spans.push(Span::styled(detail, t.dim.patch(sel)));
        lines.push(Line::from(spans).style(sel));
    }
    if picker.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("No {} matches; Backspace to widen.", picker.what),
            t.dim,
        )));
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(block(title(picker), true, t)),
        popup,
    );
}

/// Which characters of `label` to draw as matched: the first occurrence of
/// the query for a prefix, word or substring fit, the first letters in
/// order for scattered letters.
fn matched_chars(label: &str, query: &str, fit: Option<Fit>) -> Vec<bool> {
    let lower: Vec<char> = label
        .chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect();
    let q: Vec<char> = query.chars().filter(|c| !c.is_whitespace()).collect();
    let mut marks = vec![false; lower.len()];
    match fit {
        None => {}
        Some(Fit::Scattered) => {
            let mut at = 0;
            for qc in &q {
                while at < lower.len() && lower[at] != *qc {
                    at += 1;
                }
                if at < lower.len() {
                    marks[at] = true;
                    at += 1;
                }
            }
        }
        Some(_) => {
            let q: Vec<char> = query.chars().collect();
            if let Some(start) =
                (0..=lower.len().saturating_sub(q.len())).find(|&i| lower[i..].starts_with(&q))
            {
                for m in &mut marks[start..start + q.len()] {
                    *m = true;
                }
            }
        }
    }
    marks
}

/// A click on a row of the picker.
pub fn hit_test(picker: &Picker, area: Rect, x: u16, y: u16) -> Option<Target> {
    crate::ui::views::row_at(
        list_area(picker, area),
        picker.rows.offset.get(),
        picker.len(),
        x,
        y,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::picker::Choice;
    use ratatui::{Terminal, backend::TestBackend};

    fn screen(picker: &Picker) -> String {
        let mut terminal = Terminal::new(TestBackend::new(80, 20)).unwrap();
        let theme = Theme::default_dark();
        terminal
            .draw(|f| draw(f, picker, &theme, f.area()))
            .unwrap();
        let buffer = terminal.backend().buffer().clone();
        (0..20)
            .map(|y| {
                (0..80)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn draws_the_query_the_values_and_their_counts() {
        let choices = vec![
            Choice::new("application", "Application", "12 components"),
            Choice::new("service", "Service", "30 components"),
            Choice::new("evil", "Evil\x1b[2J", "1 component"),
        ];
        let mut p = Picker::new("layer", choices, None);
        let s = screen(&p);
        assert!(
            s.contains(" layer · 4/4 · Enter picks · Esc cancels "),
            "{s}"
        );
        assert!(s.contains("any layer"), "{s}");
        assert!(s.contains("30 components"), "{s}");
        assert!(!s.contains('\x1b') && s.contains("Evil\\u{1b}[2J"), "{s}");
        p.query = "serv".into();
        let _ = p.key(&crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('i'),
            crossterm::event::KeyModifiers::NONE,
        ));
        let s = screen(&p);
        assert!(s.contains("› servi"), "{s}");
        assert!(s.contains(" layer · 1/4 "), "{s}");
        assert!(!s.contains("Application"), "{s}");
    }

    #[test]
    fn a_long_label_is_cut_with_an_ellipsis_and_the_count_stays_whole() {
        let long = "a-component-whose-name-goes-on-and-on-far-past-any-popup-width-at-all";
        let choices = vec![Choice::new(long, long, "12 components")];
        let p = Picker::new("owner", choices, None);
        let s = screen(&p);
        assert!(s.contains("a-component-whose-name"), "{s}");
        assert!(s.contains("…"), "{s}");
        assert!(s.contains("12 components"), "{s}");
        assert!(!s.contains("any-popup-width-at-all"), "{s}");
    }

    #[test]
    fn matched_characters_follow_the_fit() {
        let m = matched_chars("platform-data", "da", Some(Fit::WordPrefix));
        assert_eq!(m.iter().filter(|x| **x).count(), 2);
        assert!(m[9] && m[10]);
        let m = matched_chars("owner_changed", "och", Some(Fit::Scattered));
        let at: Vec<usize> = (0..m.len()).filter(|&i| m[i]).collect();
        assert_eq!(at, vec![0, 6, 7]);
        assert!(matched_chars("x", "", None).iter().all(|m| !m));
    }
}
