//! The tabs' bodies, one module each.

mod components;
mod history;
mod layers;
mod pillars;
mod teams;
mod trends;
mod triage;

use crate::app::{App, Tab, Target};
use crate::ui::Ui;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(frame: &mut Frame, app: &Ui, area: Rect) {
    let Some(loaded) = &app.data().loaded else {
        let text = "Reading the ownership repository…";
        frame.render_widget(
            Paragraph::new(text)
                .style(app.theme.dim)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    };
    let model = &loaded.model;
    match app.tab() {
        Tab::Pillars => pillars::draw(frame, app, model, area),
        Tab::Layers => layers::draw(frame, app, model, area),
        Tab::Teams => teams::draw(frame, app, model, area),
        Tab::Components => components::draw(frame, app, model, area),
        Tab::Triage => triage::draw(frame, app, model, area),
        Tab::History => history::draw(frame, app, area),
        Tab::Trends => trends::draw(frame, app, area),
    }
}

pub fn hit_test(app: &App, body: Rect, x: u16, y: u16) -> Option<Target> {
    let model = app.model()?;
    match app.tab() {
        Tab::Pillars => pillars::hit_test(app, model, body, x, y),
        Tab::Layers => layers::hit_test(app, model, body, x, y),
        Tab::Teams => teams::hit_test(app, body, x, y),
        Tab::Components => components::hit_test(app, body, x, y),
        Tab::Triage => triage::hit_test(app, model, body, x, y),
        Tab::History => history::hit_test(app, body, x, y),
        Tab::Trends => trends::hit_test(app, body, x, y),
    }
}

/// The row of a list drawn at `list` (its inside, below any header) that
/// (x, y) falls on, given the list's scroll offset.
pub fn row_at(list: Rect, offset: usize, len: usize, x: u16, y: u16) -> Option<Target> {
    if !crate::ui::contains(list, x, y) {
        return None;
    }
    let i = offset + (y - list.y) as usize;
    (i < len).then_some(Target::Row(i))
}

/// A detail pane's title with the keys that scroll it.
pub fn detail_title(name: &str, app: &Ui) -> String {
    let down = app.keymap().first_key(crate::app::Action::DetailDown);
    let up = app.keymap().first_key(crate::app::Action::DetailUp);
    format!(" {name} · {down}/{up} scroll ")
}

/// The detail pane's scroll, kept within its `lines` (before wrapping).
pub fn detail_scroll(app: &Ui, lines: usize) -> u16 {
    app.detail().min(lines.saturating_sub(1) as u16)
}

/// A detail pane: wrapped lines in a block titled with the scroll keys,
/// scrolled by `J`/`K`. Every view's right-hand pane is one of these.
pub fn draw_detail(
    frame: &mut ratatui::Frame,
    app: &Ui,
    lines: Vec<ratatui::text::Line<'_>>,
    name: &str,
    area: ratatui::layout::Rect,
) {
    let scroll = detail_scroll(app, lines.len());
    // Only what the pane can show is wrapped: the rows scrolled past and
    // the rows inside the borders.
    let inside = crate::ui::widgets::inner(area);
    let lines = crate::ui::widgets::fit(
        lines,
        inside.width,
        usize::from(scroll) + usize::from(inside.height),
    );
    frame.render_widget(
        ratatui::widgets::Paragraph::new(lines)
            .block(crate::ui::widgets::block(
                detail_title(name, app),
                false,
                app.theme,
            ))
            .wrap(ratatui::widgets::Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

/// A row's text with what a filter in place matched drawn in the match
/// style (the text is already cleaned: it is what the row shows).
pub fn highlighted<'a>(
    text: &str,
    matcher: &crate::app::filter::Matcher,
    style: ratatui::style::Style,
    theme: &crate::ui::theme::Theme,
) -> ratatui::text::Line<'a> {
    use ratatui::text::{Line, Span};
    if matcher.is_empty() {
        return Line::from(Span::styled(text.to_string(), style));
    }
    let marks = matcher.highlights(text);
    let mut spans: Vec<Span> = Vec::new();
    let mut run = String::new();
    let mut run_marked = false;
    for (c, marked) in text.chars().zip(marks) {
        if marked != run_marked && !run.is_empty() {
            let s = if run_marked {
                style.patch(theme.matched)
            } else {
                style
            };
            spans.push(Span::styled(std::mem::take(&mut run), s));
        }
        run_marked = marked;
        run.push(c);
    }
    if !run.is_empty() {
        let s = if run_marked {
            style.patch(theme.matched)
        } else {
            style
        };
        spans.push(Span::styled(run, s));
    }
    Line::from(spans)
}
