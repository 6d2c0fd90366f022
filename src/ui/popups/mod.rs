//! Overlays: help (generated from the key map) and the findings panel.

mod findings;
pub mod help;
pub mod picker;
mod search;

use crate::app::popup::Popup;
use crate::app::{App, Target};
use crate::ui::Ui;
use ratatui::Frame;
use ratatui::layout::Rect;

pub fn draw(frame: &mut Frame, app: &Ui, area: Rect) {
    match app.popup() {
        Some(Popup::Help { scroll }) => help::draw(frame, app, *scroll, area),
        Some(Popup::Findings { rows }) => findings::draw(frame, app, rows, area),
        Some(Popup::Search(s)) => search::draw(frame, app, s, area),
        Some(Popup::Picker { picker: p, .. }) => picker::draw(frame, p, app.theme, area),
        None => {}
    }
}

pub fn hit_test(app: &App, area: Rect, x: u16, y: u16) -> Option<Target> {
    match app.popup() {
        Some(Popup::Findings { rows }) => findings::hit_test(app, rows, area, x, y),
        Some(Popup::Search(s)) => search::hit_test(s, area, x, y),
        Some(Popup::Picker { picker: p, .. }) => picker::hit_test(p, area, x, y),
        _ => None,
    }
}

/// A centred rectangle of at most `width` x `height` inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width.saturating_sub(2)).max(1);
    let h = height.min(area.height.saturating_sub(2)).max(1);
    Rect {
        x: area.x + (area.width.saturating_sub(w)) / 2,
        y: area.y + (area.height.saturating_sub(h)) / 2,
        width: w.min(area.width),
        height: h.min(area.height),
    }
}
