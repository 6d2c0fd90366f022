//! Triage: the pinned subject and every scenario on the left; the selected
//! one's triage card on the right, the same card `demarc who` prints.

use crate::app::derive;
use crate::app::{Action, App, Target};
use crate::model::{Model, Subject, SubjectKind};
use crate::triage;
use crate::ui::theme::Theme;
use crate::ui::widgets::{block, clean, inner, selected_if, window, wrap_words};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn areas(body: Rect) -> [Rect; 2] {
    let left = if body.width >= 100 { 38 } else { 28 };
    Layout::horizontal([Constraint::Length(left), Constraint::Fill(1)]).areas(body)
}

fn label(model: &Model, subject: &Subject) -> String {
    match subject.kind {
        SubjectKind::Scenario => model
            .scenario(&subject.id)
            .map_or(subject.id.clone(), |s| s.title.clone()),
        kind => format!("{} {}", kind.as_str(), subject.id),
    }
}

pub fn draw(frame: &mut Frame, app: &App, model: &Model, body: Rect) {
    let t = &app.theme;
    let [list_area, card_area] = areas(body);
    let rows = derive::triage_rows(model, app.triage.pinned.as_ref());
    let list = inner(list_area);
    let mut lines = Vec::new();
    for i in window(&app.triage.rows, list.height as usize, rows.len()) {
        let sel = selected_if(i == app.triage.rows.selected, t);
        let pinned = rows[i].kind != SubjectKind::Scenario;
        let style = if pinned { t.accent } else { t.text };
        let mark = if pinned { "▸ " } else { "  " };
        lines.push(
            Line::from(Span::styled(
                format!("{mark}{}", clean(&label(model, &rows[i]))),
                style.patch(sel),
            ))
            .style(sel),
        );
    }
    let key = app.keymap.first_key(Action::TriageSubject);
    if rows.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("No scenarios. Press {key} on a component or team in another view."),
            t.dim,
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(format!(" Triage · {key} on any subject "), true, t)),
        list_area,
    );
    let card = rows.get(app.triage.rows.selected).and_then(|s| {
        app.loaded
            .as_ref()
            .and_then(|l| triage::build_card(model, &l.diagnostics, s))
    });
    let text = match &card {
        Some(card) => {
            let mut out = String::new();
            triage::render::render_card(&mut out, card);
            out
        }
        None => String::new(),
    };
    let title = super::detail_title("Card", app);
    let lines = card_lines(t, &text, inner(card_area).width as usize);
    let scroll = super::detail_scroll(app, lines.len());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(title, false, t))
            .scroll((scroll, 0)),
        card_area,
    );
}

/// Styles the plain card and wraps it to `width` with a hanging indent, so
/// a long value stays right of its label: headings (lines that do not start
/// with a space) stand out, labels are dim, findings are warnings.
fn card_lines<'a>(t: &Theme, text: &str, width: usize) -> Vec<Line<'a>> {
    const LABEL: usize = 13;
    let mut out = Vec::new();
    for raw in text.lines() {
        let line = clean(raw);
        let leading = line.chars().take_while(|c| *c == ' ').count();
        let heading = leading == 0 && !line.is_empty();
        let indent = if heading {
            2
        } else {
            leading.max(LABEL).min(line.chars().count())
        };
        let (label, rest): (String, String) = if heading {
            (String::new(), line.clone())
        } else {
            (
                line.chars().take(indent).collect(),
                line.chars().skip(indent).collect(),
            )
        };
        let style = if heading {
            t.accent
        } else if rest.starts_with("! ") {
            t.warning
        } else {
            t.text
        };
        let first_width = width.saturating_sub(label.chars().count()).max(8);
        let pieces = wrap_words(
            &rest,
            first_width.min(width.saturating_sub(indent).max(8)),
            usize::MAX,
        );
        if pieces.is_empty() {
            out.push(Line::from(Span::styled(label.clone(), t.dim)));
        }
        for (i, piece) in pieces.into_iter().enumerate() {
            let lead = if i == 0 {
                label.clone()
            } else {
                " ".repeat(indent)
            };
            out.push(Line::from(vec![
                Span::styled(lead, t.dim),
                Span::styled(piece, style),
            ]));
        }
    }
    out
}

pub fn hit_test(app: &App, model: &Model, body: Rect, x: u16, y: u16) -> Option<Target> {
    let [list, _] = areas(body);
    let len = derive::triage_rows(model, app.triage.pinned.as_ref()).len();
    super::row_at(inner(list), app.triage.rows.offset.get(), len, x, y)
}
