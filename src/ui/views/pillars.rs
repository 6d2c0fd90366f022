//! Pillars: the six pillars side by side; below, the selected one's duties
//! per party, its components grouped by owner, and its findings.

use crate::app::derive;
use crate::app::tabs::pillars::PillarRow;
use crate::app::{App, Target};
use crate::model::{Model, Pillar};
use crate::ui::Ui;
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

/// Six cards in a row when wide; two rows of three, one line each for the
/// owners and the boundary, when narrow.
fn areas(model: &Model, body: Rect) -> Areas {
    let wide = body.width >= 120;
    let per_row = if wide { 6 } else { 3 };
    let n = model.pillars.len().max(1);
    let card_rows = n.div_ceil(per_row) as u16;
    let card_height = if wide {
        (body.height / 2).clamp(3, 9)
    } else {
        4
    };
    let [top, bottom] = Layout::vertical([
        Constraint::Length(card_height * card_rows),
        Constraint::Fill(1),
    ])
    .areas(body);
    let rows = Layout::vertical((0..card_rows).map(|_| Constraint::Length(card_height))).split(top);
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
        let mut lines: Vec<Line> = if a.wide {
            pillar
                .primary
                .iter()
                .map(|p| Line::from(Span::styled(clean(&p.to_string()), t.accent)))
                .collect()
        } else {
            let owners: Vec<String> = pillar
                .primary
                .iter()
                .map(|p| clean(&p.to_string()))
                .collect();
            vec![Line::from(Span::styled(owners.join(", "), t.accent))]
        };
        if pillar.primary.is_empty() {
            lines.push(Line::from(Span::styled("no primary owner", t.warning)));
        }
        if let Some(b) = &pillar.boundary {
            lines.push(Line::from(vec![
                Span::styled("⇥ ", t.dim),
                Span::styled(clean(b), t.text),
            ]));
        }
        let title = card_title(pillar, selected, t);
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

fn card_title<'a>(pillar: &Pillar, selected: bool, t: &crate::ui::theme::Theme) -> Span<'a> {
    Span::styled(
        format!(" {} ", clean(&pillar.name)),
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
    let mut lines = Vec::new();
    for i in window(&app.tabs().pillars.rows, list.height as usize, view.len()) {
        let sel = selected_if(i == app.tabs().pillars.rows.selected, t);
        let Some(row) = view.row(model, i) else {
            continue;
        };
        let line = match &row {
            PillarRow::Owner { team, count } => Line::from(vec![
                Span::styled(format!("{} ", clean(team)), t.header.patch(sel)),
                Span::styled(format!("({count})"), t.dim.patch(sel)),
            ]),
            PillarRow::Component(c) => {
                let tier = c.tier.map(|n| format!("T{n}")).unwrap_or_default();
                let tier_style = if c.tier == Some(1) { t.tier1 } else { t.dim };
                Line::from(vec![
                    Span::styled(format!("  {:<20} ", clean(&c.id)), t.text.patch(sel)),
                    Span::styled(format!("{tier:<3}"), tier_style.patch(sel)),
                    Span::styled(clean(&c.name), t.dim.patch(sel)),
                ])
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
        lines.push(Line::from(vec![
            Span::styled(if d.is_error() { "✗ " } else { "⚠ " }, style),
            Span::styled(clean(&text), t.text),
        ]));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("None.", t.ok)));
    }
    let title = if total > 1 {
        format!(" Findings ({total}) ")
    } else {
        " Findings ".to_string()
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(title, false, t))
            .wrap(Wrap { trim: true }),
        area,
    );
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
