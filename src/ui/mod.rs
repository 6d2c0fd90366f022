//! Drawing only: every function here is pure from an `App` to a frame.

pub mod fit;
pub mod popups;
pub mod seal;
pub mod theme;
pub mod views;
pub mod widgets;
pub mod words;

use crate::app::{App, Tab, Target};
use crate::repo::Origin;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use theme::Theme;
use widgets::clean;

/// Below this the dashboard shows a note instead of a squeezed layout.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub struct Frame4 {
    pub title: Rect,
    pub tabs: Rect,
    pub body: Rect,
    pub status: Rect,
}

pub fn frame_areas(area: Rect) -> Frame4 {
    let [title, tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Frame4 {
        title,
        tabs,
        body,
        status,
    }
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// What drawing reads: the app's state, and the theme it is drawn in
/// (which is the terminal's business, not the state's). Derefs to the
/// `App`, so views read state as `app.tabs()` and colours as `app.theme`.
pub struct Ui<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl std::ops::Deref for Ui<'_> {
    type Target = App;

    fn deref(&self) -> &App {
        self.app
    }
}

/// Draws the whole screen, then seals it (`seal`): whatever a view drew,
/// no unsafe character reaches the terminal.
pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    draw_screen(frame, app, theme);
    seal::seal(frame.buffer_mut());
}

fn draw_screen(frame: &mut Frame, app: &App, theme: &Theme) {
    let app = &Ui { app, theme };
    let area = frame.area();
    if too_small(area) {
        let note = format!(
            "Terminal too small: {}x{}, demarc needs {MIN_WIDTH}x{MIN_HEIGHT}.",
            area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(note)
                .style(app.theme.warning)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let areas = frame_areas(area);
    draw_title(frame, app, areas.title);
    draw_tabs(frame, app, areas.tabs);
    views::draw(frame, app, areas.body);
    widgets::status::draw(frame, app, areas.status);
    popups::draw(frame, app, area);
}

fn draw_title(frame: &mut Frame, app: &Ui, area: Rect) {
    let t = app.theme;
    let mut spans = vec![Span::styled(" demarc ", t.title)];
    let style = match app.data().loaded.as_ref().map(|l| &l.origin) {
        Some(Origin::Commit(_)) => t.title_commit,
        _ => t.title,
    };
    match &app.data().loaded {
        None => spans.push(Span::styled(" loading… ", style)),
        Some(loaded) => {
            spans.push(Span::styled(
                format!("│ {} │ ", clean(&loaded.model.settings.org)),
                style,
            ));
            // Missing data is said before anything else on the screen.
            let incomplete = app.data().incomplete();
            if !incomplete.is_empty() {
                let files: Vec<String> = incomplete.iter().map(|i| clean(&i.place())).collect();
                spans.push(Span::styled(
                    format!("⚠ INCOMPLETE: {} did not load │ ", files.join(", ")),
                    style.patch(t.error),
                ));
            }
            match &loaded.origin {
                Origin::WorkTree { dirty } if dirty.is_empty() => {
                    spans.push(Span::styled("work tree ", style))
                }
                Origin::WorkTree { dirty } => {
                    spans.push(Span::styled("work tree ", style));
                    spans.push(Span::styled(
                        format!("● {} modified ", dirty.len()),
                        style.patch(t.dirty),
                    ));
                }
                Origin::Folder => spans.push(Span::styled("folder (no git) ", style)),
                Origin::Commit(info) => {
                    spans.push(Span::styled(
                        format!(
                            "commit {} {} ",
                            info.short_id(),
                            info.time.format("%Y-%m-%d %H:%M")
                        ),
                        style,
                    ));
                    // The way back comes before the summary, which may be long.
                    if app.data().shown != app.data().launch {
                        let key = app.keymap().first_key(crate::app::Action::Now);
                        spans.push(Span::styled(format!("· {key}: back to now "), style));
                    }
                    spans.push(Span::styled(format!("· {} ", clean(info.summary())), style));
                }
            }
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(style), area);
}

/// Each tab's label and the columns it spans on a screen `width` wide,
/// shared by drawing and clicks. Narrow screens drop the padding.
pub fn tab_spans(width: u16) -> Vec<(Tab, String, u16, u16)> {
    let mut x = 0u16;
    let mut out = Vec::new();
    for tab in Tab::ALL {
        let label = if width >= 72 {
            format!(" {} {} ", tab.index() + 1, tab.title())
        } else {
            format!("{} {}", tab.index() + 1, tab.title())
        };
        let w = label.chars().count() as u16;
        out.push((tab, label, x, x + w));
        x += w + 1;
    }
    out
}

fn draw_tabs(frame: &mut Frame, app: &Ui, area: Rect) {
    let t = app.theme;
    let mut spans = Vec::new();
    for (i, (tab, label, _, _)) in tab_spans(area.width).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", t.border));
        }
        let style = if tab == app.tab() {
            t.tab_selected
        } else {
            t.tab
        };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// What is under the pointer at (x, y) on a screen of `area`.
pub fn hit_test(app: &App, area: Rect, x: u16, y: u16) -> Option<Target> {
    if too_small(area) {
        return None;
    }
    let areas = frame_areas(area);
    if y == areas.tabs.y {
        return tab_spans(area.width)
            .into_iter()
            .find(|(_, _, from, to)| x >= *from && x < *to)
            .map(|(tab, ..)| Target::Tab(tab));
    }
    if app.popup().is_some() {
        return popups::hit_test(app, area, x, y);
    }
    views::hit_test(app, areas.body, x, y)
}

/// True when (x, y) is inside `r`.
pub fn contains(r: Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.x.saturating_add(r.width) && y >= r.y && y < r.y.saturating_add(r.height)
}
