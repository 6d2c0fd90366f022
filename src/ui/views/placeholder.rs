//! History: its content comes with the history engine.

use crate::app::App;
use crate::ui::widgets::block;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let (title, what) = (
        "History",
        "The History view is not built yet: it arrives with the semantic history engine (boundary changes per commit, newest first, and time travel to any commit).",
    );
    let lines = vec![
        Line::from(""),
        Line::from(Span::styled(what, t.text)),
        Line::from(""),
        Line::from(Span::styled(
            "Until then: Pillars, Layers, Teams, Components and Triage show the current model.",
            t.dim,
        )),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(format!(" {title} "), false, t))
            .wrap(Wrap { trim: true }),
        area,
    );
}
