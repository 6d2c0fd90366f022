//! Help: every action with its keys, read from the live key map, grouped by
//! where it applies.

use crate::app::keymap::Keymap;
use crate::app::{Action, Context};
use crate::ui::Ui;
use crate::ui::widgets::block;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// The help text as (context, keys, description) rows: also what
/// docs/dashboard.md's key table is checked against.
pub fn rows(keymap: &Keymap) -> Vec<(Context, String, &'static str)> {
    let mut out = Vec::new();
    for ctx in [
        Context::Global,
        Context::Move,
        Context::Layers,
        Context::Components,
        Context::History,
        Context::Triage,
    ] {
        for (action, keys) in &keymap.bindings {
            if action.context() != ctx {
                continue;
            }
            let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            let keys = if keys.is_empty() {
                "(unbound)".to_string()
            } else {
                keys.join(", ")
            };
            out.push((ctx, keys, action.description()));
        }
    }
    out
}

pub fn draw(frame: &mut Frame, app: &Ui, scroll: usize, area: Rect) {
    let t = app.theme;
    let mut lines = Vec::new();
    let mut last = None;
    for (ctx, keys, description) in rows(app.keymap()) {
        if last != Some(ctx) {
            if last.is_some() {
                lines.push(Line::from(""));
            }
            lines.push(Line::from(Span::styled(ctx.title(), t.header)));
            last = Some(ctx);
        }
        lines.push(Line::from(vec![
            Span::styled(format!("  {keys:<20} "), t.accent),
            Span::styled(description, t.text),
        ]));
    }
    let popup = super::centered(area, 84, area.height.saturating_sub(4));
    let visible = popup.height.saturating_sub(2) as usize;
    let scroll = scroll.min(lines.len().saturating_sub(visible));
    let close = app.keymap().first_key(Action::Back);
    let title = format!(" Keys · {close} closes · config: docs/dashboard.md ");
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(block(title, true, t)),
        popup,
    );
}
