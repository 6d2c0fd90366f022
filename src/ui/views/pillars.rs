//! Pillars: the six pillars side by side; below, the selected one's duties
//! per party, its components grouped by owner, and its findings.

use crate::app::derive;
use crate::app::tabs::pillars::PillarRow;
use crate::app::{App, Target};
use crate::model::{Model, Pillar};
use crate::ui::Ui;
use crate::ui::fit;
use crate::ui::fit::table::{self, Cell as TableCell};
use crate::ui::widgets::{block, clean, inner, selected_if, window};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

struct Areas {
    cards: Vec<Rect>,
    duties: Rect,
    components: Rect,
    findings: Rect,
    wide: bool,
}

/// All cards in one row when every title fits a card that narrow; else
/// rows of three (or two), owners wrapped under the title, one line for the
/// boundary. Narrow cards are as tall as their longest owner list.
fn areas(model: &Model, body: Rect) -> Areas {
    let n = model.pillars.len().max(1);
    let titles: Vec<usize> = model
        .pillars
        .iter()
        .map(|p| fit::width(&clean(&p.name)))
        .collect();
    let per_row = fit::cards_per_row(&titles, body.width as usize, &[n, 3, 2]);
    let wide = per_row >= n && n > 3 && body.width >= 120;
    let per_row = if per_row >= n && !wide {
        n.min(3)
    } else {
        per_row
    };
    let card_width = (body.width / per_row as u16).saturating_sub(2) as usize;
    // Each row of cards as tall as its longest owner list, plus the
    // boundary and two borders; never more than a third of the body.
    let heights: Vec<u16> = model
        .pillars
        .chunks(per_row)
        .map(|row| {
            if wide {
                return (body.height / 2).clamp(3, 9);
            }
            let owners = row
                .iter()
                .map(|p| owner_lines(p, card_width).len().max(1))
                .max()
                .unwrap_or(1);
            (owners as u16 + 3).min((body.height / 3).max(4))
        })
        .collect();
    let [top, bottom] = Layout::vertical([
        Constraint::Length(heights.iter().sum()),
        Constraint::Fill(1),
    ])
    .areas(body);
    let rows = Layout::vertical(heights.iter().map(|h| Constraint::Length(*h))).split(top);
    let mut cards = Vec::new();
    for row in rows.iter() {
        let cols = per_row as u32;
        cards.extend(
            Layout::horizontal((0..cols).map(|_| Constraint::Ratio(1, cols)))
                .split(*row)
                .iter(),
        );
    }
    cards.truncate(n);
    let [duties, components, findings] = Layout::horizontal([
        Constraint::Percentage(34),
        Constraint::Percentage(40),
        Constraint::Fill(1),
    ])
    .areas(bottom);
    Areas {
        cards,
        duties,
        components,
        findings,
        wide,
    }
}

/// A pillar's primary owners as lines of at most `width` cells, broken
/// between owners (never inside one; an id wider than the card is cut
/// with `…`).
fn owner_lines(pillar: &Pillar, width: usize) -> Vec<String> {
    let owners: Vec<String> = pillar
        .primary
        .iter()
        .map(|p| clean(&p.to_string()))
        .collect();
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, owner) in owners.iter().enumerate() {
        let piece = if i + 1 < owners.len() {
            format!("{owner},")
        } else {
            owner.clone()
        };
        let needed = fit::width(&current) + usize::from(!current.is_empty()) + fit::width(&piece);
        if !current.is_empty() && needed > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&piece);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
        .into_iter()
        .map(|l| fit::truncate(&l, width).into_owned())
        .collect()
}

pub fn draw(frame: &mut Frame, app: &Ui, model: &Model, body: Rect) {
    let t = app.theme;
    let a = areas(model, body);
    if model.pillars.is_empty() {
        let text = model.no_pillars();
        frame.render_widget(
            Paragraph::new(text).block(block(" Pillars ", false, t)),
            body,
        );
        return;
    }
    for (i, (pillar, area)) in model.pillars.iter().zip(&a.cards).enumerate() {
        let selected = i == app.tabs().pillars.pillar;
        let inside = inner(*area).width as usize;
        let mut lines: Vec<Line> = if a.wide {
            pillar
                .primary
                .iter()
                .map(|p| {
                    let owner = clean(&p.to_string());
                    Line::from(Span::styled(
                        fit::truncate(&owner, inside).into_owned(),
                        t.accent,
                    ))
                })
                .collect()
        } else {
            owner_lines(pillar, inside)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, t.accent)))
                .collect()
        };
        if pillar.primary.is_empty() {
            lines.push(Line::from(Span::styled("no primary owner", t.warning)));
        }
        if let Some(b) = &pillar.boundary {
            let boundary = clean(b);
            let text = if a.wide {
                boundary
            } else {
                fit::truncate(&boundary, inside.saturating_sub(2)).into_owned()
            };
            lines.push(Line::from(vec![
                Span::styled("⇥ ", t.dim),
                Span::styled(text, t.text),
            ]));
        }
        let title = card_title(pillar, selected, t, area.width);
        let card = if a.wide {
            if let Some(s) = &pillar.shared {
                lines.push(Line::from(Span::styled(clean(s), t.dim)));
            }
            Paragraph::new(lines).wrap(Wrap { trim: true })
        } else {
            Paragraph::new(lines)
        };
        frame.render_widget(card.block(block(title, selected, t)), *area);
    }
    let Some(pillar) = model.pillars.get(app.tabs().pillars.pillar) else {
        return;
    };
    draw_duties(frame, app, model, pillar, a.duties);
    draw_components(frame, app, model, a.components);
    draw_findings(frame, app, a.findings);
}

/// The pillar's name between the card's corners, cut with `…` when the
/// card is narrower than the name.
fn card_title<'a>(
    pillar: &Pillar,
    selected: bool,
    t: &crate::ui::theme::Theme,
    card_width: u16,
) -> Span<'a> {
    let room = (card_width as usize).saturating_sub(4);
    Span::styled(
        format!(" {} ", fit::truncate(&clean(&pillar.name), room)),
        selected_if(selected, t),
    )
}

fn draw_duties(frame: &mut Frame, app: &Ui, model: &Model, pillar: &Pillar, area: Rect) {
    let t = app.theme;
    let mut lines = Vec::new();
    for (party, duties) in &pillar.duties {
        lines.push(Line::from(Span::styled(
            clean(&derive::party_label(model, party, None)),
            t.accent,
        )));
        for d in duties {
            lines.push(Line::from(vec![
                Span::styled("  • ", t.dim),
                Span::styled(clean(d), t.text),
            ]));
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("No duties listed.", t.dim)));
    }
    let name = format!("{} · duties", clean(&pillar.name));
    super::draw_detail(frame, app, lines, &name, area);
}

fn draw_components(frame: &mut Frame, app: &Ui, model: &Model, area: Rect) {
    let t = app.theme;
    let view = app.tabs().pillars.view(&app.ctx());
    let list = inner(area);
    let count = view.components;
    // Ids and tiers are never cut; the name takes the rest, with `…`.
    let width = list.width as usize;
    let tab = &app.tabs().pillars;
    let ids = tab.id_width(&app.ctx());
    let widths = fit::fit_columns(
        &[
            fit::Column::keep(1),
            fit::Column::keep(*ids),
            fit::Column::keep(2),
            fit::Column::flexible(width, 4, 1).growing(),
        ],
        width,
        1,
    );
    let mut lines = Vec::new();
    for i in window(&app.tabs().pillars.rows, list.height as usize, view.len()) {
        let sel = selected_if(i == app.tabs().pillars.rows.selected, t);
        let Some(row) = view.row(model, i) else {
            continue;
        };
        let line = match &row {
            PillarRow::Owner { team, count } => {
                let count = format!("({count})");
                let room = width.saturating_sub(fit::width(&count) + 1);
                Line::from(vec![
                    Span::styled(
                        format!("{} ", fit::truncate(&clean(team), room)),
                        t.header.patch(sel),
                    ),
                    Span::styled(count, t.dim.patch(sel)),
                ])
            }
            PillarRow::Component(c) => {
                let tier = c.tier.map(|n| format!("T{n}")).unwrap_or_default();
                let tier_style = if c.tier == Some(1) { t.tier1 } else { t.dim };
                let (id, name) = (clean(&c.id), clean(&c.name));
                // An empty first cell and the gap: the two-space indent.
                table::row(
                    &[
                        TableCell::left("", sel),
                        TableCell::left(&id, t.text.patch(sel)),
                        TableCell::left(&tier, tier_style.patch(sel)),
                        TableCell::left(&name, t.dim.patch(sel)),
                    ],
                    &widths,
                    1,
                )
            }
        };
        lines.push(line.style(sel));
    }
    if view.is_empty() {
        lines.push(Line::from(Span::styled(
            "No component in this pillar.",
            t.dim,
        )));
    }
    let title = format!(" Components by owner ({count}) ");
    frame.render_widget(Paragraph::new(lines).block(block(title, true, t)), area);
}

fn draw_findings(frame: &mut Frame, app: &Ui, area: Rect) {
    let t = app.theme;
    let Some(loaded) = &app.data().loaded else {
        return;
    };
    let view = app.tabs().pillars.view(&app.ctx());
    let related = view.findings.iter().map(|&i| &loaded.diagnostics[i]);
    // Only what fits is built and wrapped: a large repository has thousands
    // of findings, and wrapping them all cost most of this view's frame.
    let room = area.height.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    let total = view.findings.len();
    for d in related.take(room) {
        let style = if d.is_error() { t.error } else { t.warning };
        let text = if d.subject.is_none() {
            format!("{}: {}", d.location, d.message)
        } else {
            d.message.clone()
        };
        let mut spans = vec![Span::styled(if d.is_error() { "✗ " } else { "⚠ " }, style)];
        spans.extend(crate::ui::words::code_spans(
            &clean(&text),
            t.text,
            t.accent,
        ));
        lines.push(Line::from(spans));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("None.", t.ok)));
    }
    let title = if total > 1 {
        format!(" Findings ({total}) ")
    } else {
        " Findings ".to_string()
    };
    // Wrapped under the text after the mark, only what fits drawn.
    let inside = inner(area);
    let rows = fit::Pane::new(&lines, inside.width as usize, inside.height as usize, 0).rows;
    frame.render_widget(Paragraph::new(rows).block(block(title, false, t)), area);
}

pub fn hit_test(app: &App, model: &Model, body: Rect, x: u16, y: u16) -> Option<Target> {
    let a = areas(model, body);
    if let Some(i) = a.cards.iter().position(|r| crate::ui::contains(*r, x, y)) {
        return (i < model.pillars.len()).then_some(Target::Pillar(i));
    }
    let len = app.tabs().pillars.view(&app.ctx()).len();
    super::row_at(
        inner(a.components),
        app.tabs().pillars.rows.offset.get(),
        len,
        x,
        y,
    )
}
