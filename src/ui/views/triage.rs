//! Triage: the pinned subject and every scenario on the left; the selected
//! one's triage card on the right, the same card `demarc who` prints.

use crate::app::tabs::triage::TriageInput;
use crate::app::{Action, App, Target};
use crate::model::{Model, Subject, SubjectKind};
use crate::triage;
use crate::ui::Ui;
use crate::ui::fit::{self, wrap_line};
use crate::ui::theme::Theme;
use crate::ui::widgets::{block, clean, inner, selected_if, window};
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

/// The list's rows start one line into the block, under the find input.
fn rows_area(list: Rect) -> Rect {
    let i = inner(list);
    Rect {
        y: i.y + 1,
        height: i.height.saturating_sub(1),
        ..i
    }
}

/// An input line: its label, the text, and a cursor while it has the focus.
fn input_line<'a>(t: &Theme, label: &str, text: &str, focused: bool, hint: String) -> Line<'a> {
    let mut spans = vec![Span::styled(format!("{label} "), t.dim)];
    if text.is_empty() && !focused {
        spans.push(Span::styled(hint, t.dim));
    } else {
        spans.push(Span::styled(
            clean(text),
            if focused { t.accent } else { t.text },
        ));
    }
    if focused {
        spans.push(Span::styled("▏", t.accent));
    }
    Line::from(spans)
}

pub fn draw(frame: &mut Frame, app: &Ui, model: &Model, body: Rect) {
    let t = app.theme;
    let [list_area, card_area] = areas(body);
    let cx = app.ctx();
    let triage = &app.tabs().triage;
    let listed = triage.list(&cx);
    let rows = &listed.rows;
    let list = rows_area(list_area);
    let find_key = app.keymap().first_key(Action::TriageFind);
    let mut lines = vec![input_line(
        t,
        "find",
        &app.tabs().triage.query,
        app.tabs().triage.editing == Some(TriageInput::Find),
        format!("({find_key}) component, symptom, team"),
    )];
    let classes = &listed.classes;
    for i in window(&app.tabs().triage.rows, list.height as usize, rows.len()) {
        let sel = selected_if(i == app.tabs().triage.rows.selected, t);
        let pinned = rows[i].kind != SubjectKind::Scenario;
        // A fuzzy row is a guess: dim, marked `?` and labelled, so it is
        // never read as an answer.
        let fuzzy = classes
            .get(i)
            .copied()
            .flatten()
            .is_some_and(|c| c.is_fuzzy());
        let style = if fuzzy {
            t.dim
        } else if pinned {
            t.accent
        } else {
            t.text
        };
        let mark = if fuzzy {
            "? "
        } else if pinned {
            "▸ "
        } else {
            "  "
        };
        // The marks after the label stay; the label is cut with `…`.
        let fuzzy_note = if fuzzy { " (fuzzy)" } else { "" };
        let warns = if triage.row_warns(&cx, &rows[i]) {
            " !"
        } else {
            ""
        };
        let room =
            (list.width as usize).saturating_sub(fit::width(mark) + fuzzy_note.len() + warns.len());
        let mut spans = vec![Span::styled(
            format!(
                "{mark}{}",
                fit::truncate(&clean(&label(model, &rows[i])), room)
            ),
            style.patch(sel),
        )];
        if fuzzy {
            spans.push(Span::styled(fuzzy_note, t.dim.patch(sel)));
        }
        if !warns.is_empty() {
            spans.push(Span::styled(warns, t.warning.patch(sel)));
        }
        lines.push(Line::from(spans).style(sel));
    }
    if let Some(sentence) = app.tabs().triage.unloaded(&app.ctx()) {
        lines.push(Line::from(Span::styled(
            format!("{}.", clean(&sentence)),
            t.warning,
        )));
    }
    let key = app.keymap().first_key(Action::TriageSubject);
    if rows.is_empty() && app.tabs().triage.query.trim().is_empty() {
        lines.push(Line::from(Span::styled(
            format!("No scenarios. Press {key} on a component or team in another view."),
            t.dim,
        )));
    } else if rows.is_empty() && app.tabs().triage.unloaded(&app.ctx()).is_none() {
        let closest = triage::suggest(model, &app.tabs().triage.query, 3);
        let text = if closest.is_empty() {
            "Nothing matches.".to_string()
        } else {
            format!("Nothing matches. Closest: {}.", closest.join(", "))
        };
        lines.push(Line::from(Span::styled(clean(&text), t.dim)));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(format!(" Triage · {key} on any subject "), true, t)),
        list_area,
    );
    let view = app.tabs().triage.card_view(&app.ctx());
    let mut text = String::new();
    // The banner: what did not load is missing from every card below.
    if let Some(line) = crate::model::incomplete_line(&app.data().incomplete()) {
        text.push_str(&format!("! {line}\n"));
    }
    if let Some(card) = &view.card {
        triage::render::render_card(&mut text, card);
    }
    let mut name = "Card".to_string();
    if let Some((label, diffs)) = &view.as_of {
        name = format!("Card {}", clean(label));
        match diffs {
            Ok(Some(diffs)) if diffs.is_empty() => {
                text.push_str("  Since then nothing has changed\n")
            }
            Ok(Some(diffs)) => {
                for (j, d) in diffs.iter().enumerate() {
                    let label = if j == 0 { "Since then" } else { "" };
                    text.push_str(&format!("  {label:<11}{d}\n"));
                }
            }
            Ok(None) => {}
            Err(e) => text.push_str(&format!("  As of      ! {e}\n")),
        }
    }
    let card_inner = inner(card_area);
    let mut lines = Vec::new();
    let at_key = app.keymap().first_key(Action::TriageAt);
    let at_text = match &app.data().as_of {
        _ if app.tabs().triage.editing == Some(TriageInput::At) => {
            app.tabs().triage.at_text.clone()
        }
        Some(a) => a.when.clone(),
        None => String::new(),
    };
    let mut at_line = input_line(
        t,
        "as of",
        &at_text,
        app.tabs().triage.editing == Some(TriageInput::At),
        format!("now ({at_key}: as of an incident)"),
    );
    // A rejected time: the reason right next to what was typed.
    if let Some(error) = &app.tabs().triage.at_error {
        at_line
            .spans
            .push(Span::styled(format!("  ✗ {}", clean(error)), t.error));
    }
    lines.push(at_line);
    lines.extend(card_lines(t, &text, card_inner.width as usize));
    super::draw_detail(frame, app, lines, &name, card_area);
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
        let line = Line::from(vec![Span::styled(label, t.dim), Span::styled(rest, style)]);
        out.extend(wrap_line(&line, width, indent));
    }
    out
}

pub fn hit_test(app: &App, model: &Model, body: Rect, x: u16, y: u16) -> Option<Target> {
    let [list, _] = areas(body);
    let _ = model;
    let len = app.tabs().triage.list(&app.ctx()).rows.len();
    super::row_at(
        rows_area(list),
        app.tabs().triage.rows.offset.get(),
        len,
        x,
        y,
    )
}
