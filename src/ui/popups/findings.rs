//! The findings panel: everything `demarc check` reports, with file:line;
//! Enter jumps to the finding's subject. Each finding takes three lines:
//! where and about what, then the message over two.

use crate::app::list::Scroll;
use crate::app::{App, Target};
use crate::ui::Ui;
use crate::ui::widgets::{block, clean, inner, selected_if, window, wrap_words};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

const LINES_PER_FINDING: u16 = 3;

fn popup_area(area: Rect) -> Rect {
    super::centered(
        area,
        area.width.saturating_sub(8).max(40),
        area.height.saturating_sub(6).max(6),
    )
}

pub fn draw(frame: &mut Frame, app: &Ui, rows: &Scroll, area: Rect) {
    let t = app.theme;
    let Some(loaded) = &app.data().loaded else {
        return;
    };
    let popup = popup_area(area);
    let list = inner(popup);
    let fits = (list.height / LINES_PER_FINDING).max(1) as usize;
    let mut lines = Vec::new();
    for i in window(rows, fits, loaded.diagnostics.len()) {
        let d = &loaded.diagnostics[i];
        let sel = selected_if(i == rows.selected, t);
        let (mark, style) = if d.is_error() {
            ("error", t.error)
        } else {
            ("warning", t.warning)
        };
        let subject = d
            .subject
            .as_ref()
            .map(|s| format!("  → {} {}", s.kind.as_str(), clean(&s.id)))
            .unwrap_or_default();
        lines.push(
            Line::from(vec![
                Span::styled(format!("{mark} "), style.patch(sel)),
                Span::styled(clean(&d.location.to_string()), t.accent.patch(sel)),
                Span::styled(subject, t.dim.patch(sel)),
            ])
            .style(sel),
        );
        let text = crate::ui::words::unquote(&clean(&d.message));
        let mut message = wrap_words(&text, list.width.saturating_sub(2) as usize, 2);
        message.resize(2, String::new());
        for m in message {
            lines.push(Line::from(Span::styled(format!("  {m}"), t.text.patch(sel))).style(sel));
        }
    }
    let checking = app.data().checking;
    if checking {
        // The reader's and the parser's findings are in; `check`'s follow.
        lines.push(Line::from(Span::styled(
            "Checking… the findings of `demarc check` come in a moment.",
            t.dim,
        )));
    } else if loaded.diagnostics.is_empty() {
        lines.push(Line::from(Span::styled(
            "No findings: the repository checks clean.",
            t.ok,
        )));
    }
    let title = format!(
        " Findings{}: {}, {} · Enter jumps to the subject ",
        if checking { " so far" } else { "" },
        crate::ui::words::count(loaded.errors(), "error", "errors"),
        crate::ui::words::count(loaded.warnings(), "warning", "warnings")
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block(title, true, t)), popup);
}

pub fn hit_test(app: &App, rows: &Scroll, area: Rect, x: u16, y: u16) -> Option<Target> {
    let len = app.data().loaded.as_ref()?.diagnostics.len();
    let list = inner(popup_area(area));
    if !crate::ui::contains(list, x, y) {
        return None;
    }
    let i = rows.offset.get() + ((y - list.y) / LINES_PER_FINDING) as usize;
    (i < len).then_some(Target::Row(i))
}
