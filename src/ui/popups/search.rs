//! The search popup: the query, then hits best first with matched
//! characters highlighted, each with its kind and context.

use crate::app::Target;
use crate::app::popup::SearchState;
use crate::ui::Ui;
use crate::ui::widgets::{block, clean, inner, selected_if, window};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

fn popup_area(area: Rect) -> Rect {
    super::centered(area, 90, area.height.saturating_sub(6).max(8))
}

/// The hits' list: the popup's inside below the query line.
fn list_area(area: Rect) -> Rect {
    let i = inner(popup_area(area));
    Rect {
        y: i.y + 2,
        height: i.height.saturating_sub(2),
        ..i
    }
}

pub fn draw(frame: &mut Frame, app: &Ui, s: &SearchState, area: Rect) {
    let t = app.theme;
    let popup = popup_area(area);
    let list = list_area(area);
    let mut lines = vec![
        Line::from(vec![
            Span::styled("/ ", t.accent),
            Span::styled(clean(&s.query), t.text),
            Span::styled("▏", t.accent),
        ]),
        Line::from(""),
    ];
    let hits = s.results.as_ref().map_or(&[][..], |r| r.hits.as_slice());
    for i in window(&s.rows, list.height as usize, hits.len()) {
        let hit = &hits[i];
        let sel = selected_if(i == s.rows.selected, t);
        // Scattered letters only: a guess, marked and dimmed.
        let query = s.results.as_ref().map_or("", |r| r.query.as_str());
        let fuzzy = hit.class(query).is_fuzzy();
        let mut spans = vec![Span::styled(
            format!(
                "{}{:<10} ",
                if fuzzy { "? " } else { "  " },
                hit.kind.as_str()
            ),
            t.dim.patch(sel),
        )];
        // Matched characters stand out; everything else is plain. The
        // matcher's positions are in the name as it is; each character is
        // cleaned on its own, so a highlight falls on what stands for that
        // character on screen (all of `\u{1b}` for an escape).
        for (ci, ch) in hit.name.chars().enumerate() {
            let style = if hit.indices.contains(&ci) {
                t.matched
            } else if fuzzy {
                t.dim
            } else {
                t.text
            };
            let mut buf = [0u8; 4];
            spans.push(Span::styled(
                clean(ch.encode_utf8(&mut buf)),
                style.patch(sel),
            ));
        }
        // The id the command line takes (`demarc who ID`, `--team ID`).
        if hit.id != hit.name {
            spans.push(Span::styled(
                format!("  {}", clean(&hit.id)),
                t.accent.patch(sel),
            ));
        }
        // Where the words matched, when not in the name.
        if let Some(field) = &hit.field {
            spans.push(Span::styled(
                format!(
                    "  [{}: {}]",
                    field.field.as_str(),
                    clean(&excerpt(&field.text, &field.indices))
                ),
                t.dim.patch(sel),
            ));
        }
        spans.push(Span::styled(
            format!("  {}", clean(&hit.context)),
            t.dim.patch(sel),
        ));
        lines.push(Line::from(spans).style(sel));
    }
    if s.waiting_for_index {
        // Not "Nothing matches": nothing has been searched yet.
        lines.push(Line::from(Span::styled(
            "Searching… (the search index is still loading; results follow)",
            t.dim,
        )));
    } else if s.query.trim().is_empty() && hits.is_empty() {
        lines.push(Line::from(Span::styled(
            "Type to search teams, components, pillars, layers, scenarios and matrices; ↑ recalls past queries.",
            t.dim,
        )));
    } else if s.results.as_ref().is_some_and(|r| r.hits.is_empty()) {
        lines.push(Line::from(Span::styled("Nothing matches.", t.dim)));
    }
    let title = if s.waiting_for_index {
        " Search · index loading · Esc closes ".to_string()
    } else {
        let total = s.results.as_ref().map_or(0, |r| r.total);
        format!(" Search · {total} found · Enter jumps · Esc closes ")
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block(title, true, t)), popup);
}

/// A few words of a long field around where it matched, cut with `…`.
fn excerpt(text: &str, matched: &[usize]) -> String {
    const BEFORE: usize = 10;
    const WIDTH: usize = 32;
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= WIDTH {
        return text.to_string();
    }
    let first = matched.iter().copied().min().unwrap_or(0);
    let start = first.saturating_sub(BEFORE).min(chars.len() - WIDTH);
    let end = start + WIDTH;
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

pub fn hit_test(s: &SearchState, area: Rect, x: u16, y: u16) -> Option<Target> {
    let len = s.results.as_ref().map_or(0, |r| r.hits.len());
    crate::ui::views::row_at(list_area(area), s.rows.offset.get(), len, x, y)
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn a_long_field_is_cut_around_the_match() {
        assert_eq!(excerpt("tags: a, b", &[6]), "tags: a, b");
        let text = "Run managed databases and caches; backups and restores; query tuning";
        let at = text.find("backups").unwrap();
        let cut = excerpt(text, &[at]);
        assert!(cut.starts_with('…') && cut.ends_with('…'), "{cut}");
        assert!(cut.contains("backups"), "{cut}");
        assert_eq!(cut.chars().count(), 34);
    }
}
