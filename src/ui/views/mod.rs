//! The tabs' bodies, one module each.

pub mod components;
mod history;
pub mod layers;
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

/// A detail pane's title: its name, then the keys that scroll it when its
/// text runs past the bottom, all within `width` cells (the scroll keys go
/// first, then the name is cut with `…`).
pub fn detail_title(name: &str, app: &Ui, scrolls: bool, width: u16) -> String {
    let room = (width as usize).saturating_sub(4);
    if scrolls {
        let down = app.keymap().first_key(crate::app::Action::DetailDown);
        let up = app.keymap().first_key(crate::app::Action::DetailUp);
        let full = format!("{name} · {down}/{up} scroll");
        if crate::ui::fit::width(&full) <= room {
            return format!(" {full} ");
        }
    }
    format!(" {} ", crate::ui::fit::truncate(name, room))
}

/// A detail pane: its lines wrapped with hanging indents, in a block
/// titled with the scroll keys, scrolled by `J`/`K` no further than its
/// last row (and not at all when it fits). Every view's right-hand pane is
/// one of these.
pub fn draw_detail(
    frame: &mut ratatui::Frame,
    app: &Ui,
    lines: Vec<ratatui::text::Line<'_>>,
    name: &str,
    area: ratatui::layout::Rect,
) {
    let inside = crate::ui::widgets::inner(area);
    let (width, height) = (inside.width as usize, inside.height as usize);
    let offset = app.detail() as usize;
    // Only what the pane can show is wrapped: the rows scrolled past and
    // the rows inside the borders, so a 10 MB description costs a
    // screenful, with `…` at the bottom where it was cut (the bound only
    // overestimates: wrapping at words takes more rows than `fit` counts).
    let (lines, cut) = crate::ui::widgets::fit_cut(lines, inside.width, offset + height);
    let pane = crate::ui::fit::Pane::new(&lines, width, height, offset);
    // What was cut lies below: `J` may go on into it.
    let max = if cut {
        pane.max.max(offset + 3)
    } else {
        pane.max
    };
    app.set_detail_max(max);
    frame.render_widget(
        ratatui::widgets::Paragraph::new(pane.rows).block(crate::ui::widgets::block(
            detail_title(name, app, max > 0, area.width),
            false,
            app.theme,
        )),
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

/// `line` (a row as drawn: cells already padded or cut with `…`) with what
/// a filter in place matched patched with the match style, each span
/// keeping its own style: the highlights are positioned on the text that
/// is drawn, so a match cut off by `…` is simply not marked.
pub fn highlight_line(
    line: ratatui::text::Line<'static>,
    matcher: &crate::app::filter::Matcher,
    theme: &crate::ui::theme::Theme,
) -> ratatui::text::Line<'static> {
    use ratatui::text::Span;
    if matcher.is_empty() {
        return line;
    }
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let marks = matcher.highlights(&text);
    let mut marks = marks.into_iter();
    let mut spans: Vec<Span<'static>> = Vec::with_capacity(line.spans.len());
    for span in &line.spans {
        let mut run = String::new();
        let mut run_marked = false;
        for c in span.content.chars() {
            let marked = marks.next().unwrap_or(false);
            if marked != run_marked && !run.is_empty() {
                let style = if run_marked {
                    span.style.patch(theme.matched)
                } else {
                    span.style
                };
                spans.push(Span::styled(std::mem::take(&mut run), style));
            }
            run_marked = marked;
            run.push(c);
        }
        if !run.is_empty() {
            let style = if run_marked {
                span.style.patch(theme.matched)
            } else {
                span.style
            };
            spans.push(Span::styled(run, style));
        }
    }
    let mut out = ratatui::text::Line::from(spans).style(line.style);
    out.alignment = line.alignment;
    out
}
