//! History: the timeline of boundary changes, newest first, filling in while
//! the walk runs; the selected commit's changes; Enter time travels.

use crate::app::{Action, App, Target};
use crate::history::{ChangeKind, HistoryEntry};
use crate::ui::Ui;
use crate::ui::widgets::{block, clean, inner, selected_if, window};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn areas(body: Rect) -> [Rect; 2] {
    if body.width >= 110 {
        Layout::horizontal([Constraint::Percentage(55), Constraint::Fill(1)]).areas(body)
    } else {
        Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]).areas(body)
    }
}

/// Per-commit counts by kind, most frequent first: "2 owner changed, 1 duty moved".
pub fn counts(entry: &HistoryEntry) -> String {
    let mut counts: Vec<(ChangeKind, usize)> = Vec::new();
    for c in &entry.changes {
        match counts.iter_mut().find(|(k, _)| *k == c.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((c.kind, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
        .iter()
        .map(|(k, n)| format!("{n} {}", k.as_str().replace('_', " ")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn status_line(app: &Ui) -> String {
    let h = &app.tabs().history;
    let walk = &app.data().walk;
    let shown = h.shown(walk).len();
    let walked = walk.progress.as_ref().map_or(0, |p| p.commits_walked);
    let state = if let Some(e) = &walk.error {
        format!("stopped: {}", clean(e))
    } else if walk.done {
        format!("{} commits changed the data", walk.entries.len())
    } else {
        format!("walking… {} commits read", walked)
    };
    let mut filters = Vec::new();
    if let Some(t) = &h.filter.team {
        filters.push(format!("team={}", clean(t)));
    }
    if let Some(c) = &h.filter.component {
        filters.push(format!("component={}", clean(c)));
    }
    if let Some(p) = h.filter.period {
        filters.push(format!("period={p}"));
    }
    if let Some(k) = h.filter.kind {
        filters.push(format!("kind={}", k.as_str()));
    }
    if let Some(d) = h.filter.dates {
        filters.push(format!("dates={}", d.label()));
    }
    if !h.filter.text.is_empty() || h.typing {
        let cursor = if h.typing { "▏" } else { "" };
        filters.push(format!("/{}{cursor}", clean(&h.filter.text)));
    }
    if let Some(typed) = &h.dates_input {
        let why = h
            .dates_error
            .as_ref()
            .map_or(String::new(), |e| format!(" ✗ {}", clean(e)));
        return format!(" History · dates FROM..TO: {}▏{why} ", clean(typed));
    }
    if filters.is_empty() {
        format!(" History · {state} ")
    } else {
        format!(
            " History · {shown} shown · {} · {state} ",
            filters.join(" ")
        )
    }
}

pub fn draw(frame: &mut Frame, app: &Ui, body: Rect) {
    let t = app.theme;
    let h = &app.tabs().history;
    let walk = &app.data().walk;
    let [list_area, detail_area] = areas(body);
    let shown = h.shown(walk);
    let list = inner(list_area);
    let author_w = author_width(list.width as usize);
    let mut lines = Vec::new();
    for i in window(&h.rows, list.height as usize, shown.len()) {
        let e = &walk.entries[shown[i]];
        let sel = selected_if(i == h.rows.selected, t);
        // The number of changes in a fixed column, so it never scrolls out
        // of sight behind a long summary; the counts by kind come last.
        let (count, count_style, note, note_style) = if e.is_broken() {
            (
                "  ✗".to_string(),
                t.error,
                "does not parse".to_string(),
                t.error,
            )
        } else if e.changes.is_empty() {
            (
                "  ·".to_string(),
                t.dim,
                "no boundary change".to_string(),
                t.dim,
            )
        } else {
            (
                format!("{:>3}", e.changes.len()),
                t.warning,
                counts(e),
                t.dim,
            )
        };
        lines.push(
            Line::from(vec![
                Span::styled(
                    format!("{} ", e.commit.time.format("%Y-%m-%d")),
                    t.dim.patch(sel),
                ),
                Span::styled(format!("{} ", e.commit.short_id()), t.accent.patch(sel)),
                Span::styled(author_cell(&e.commit.author, author_w), t.dim.patch(sel)),
                Span::styled(format!("{count} "), count_style.patch(sel)),
                Span::styled(
                    format!("{}  ", clean(e.commit.summary())),
                    t.text.patch(sel),
                ),
                Span::styled(note, note_style.patch(sel)),
            ])
            .style(sel),
        );
    }
    if shown.is_empty() {
        let text = match (&walk.error, walk.done) {
            (Some(e), _) => clean(e),
            (None, true) if !h.filter.is_empty() => {
                let key = app.keymap().first_key(Action::HistoryClear);
                format!("No commit matches; {key} clears the filters.")
            }
            (None, true) => "No commit changed the data.".to_string(),
            (None, false) => "Reading the history…".to_string(),
        };
        lines.push(Line::from(Span::styled(text, t.dim)));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(status_line(app), true, t)),
        list_area,
    );

    let mut detail = Vec::new();
    if let Some(e) = shown.get(h.rows.selected).map(|&i| &walk.entries[i]) {
        detail.push(Line::from(vec![
            Span::styled(format!("{} ", e.commit.short_id()), t.accent),
            Span::styled(
                format!(
                    "{} · {}",
                    clean(&e.commit.author),
                    e.commit.time.format("%Y-%m-%d %H:%M %:z")
                ),
                t.dim,
            ),
        ]));
        // A message of a million lines: only those the pane could show
        // are cleaned (the pane cuts the rest again, see `draw_detail`).
        let room = usize::from(app.detail()) + usize::from(detail_area.height);
        let mut message = e.commit.message.lines();
        for line in message.by_ref().take(room) {
            detail.push(Line::from(Span::styled(clean(line), t.text)));
        }
        if message.next().is_some() {
            detail.push(Line::from(Span::styled(crate::ui::widgets::MORE, t.dim)));
        }
        detail.push(Line::from(""));
        if let Some(err) = e.error() {
            detail.push(Line::from(Span::styled(
                format!("✗ {}", clean(&err)),
                t.error,
            )));
        }
        // Opened for one subject: its changes first, marked; then the rest.
        let scope = crate::history::Filter {
            component: h.filter.component.clone(),
            team: h.filter.team.clone(),
        };
        let order = crate::app::focus::subject_first(&e.changes, &scope);
        let mine = order.iter().filter(|(_, m)| *m).count();
        if mine > 0 && mine < e.changes.len() {
            let who = h.focus().map_or(String::new(), |s| clean(&s.id));
            detail.push(Line::from(Span::styled(
                format!("{mine} of {} changes are about {who}:", e.changes.len()),
                t.header,
            )));
        }
        for (n, &(i, marked)) in order.iter().enumerate() {
            let c = &e.changes[i];
            if n == mine && mine > 0 && mine < e.changes.len() {
                detail.push(Line::from(Span::styled(
                    "The commit's other changes:",
                    t.header,
                )));
            }
            let (mark, style) = if marked {
                ("▸ ", t.accent)
            } else {
                ("  ", t.text)
            };
            let mark = if mine == 0 { "" } else { mark };
            detail.push(Line::from(vec![
                Span::styled(mark.to_string(), t.accent),
                Span::styled(format!("{} ", c.kind.as_str()), t.header),
                Span::styled(clean(&c.line()), style),
            ]));
        }
        let key = app.keymap().first_key(Action::Open);
        detail.push(Line::from(""));
        detail.push(Line::from(Span::styled(
            format!("{key}: show the whole dashboard as of this commit"),
            t.dim,
        )));
    }
    super::draw_detail(frame, app, detail, "Commit", detail_area);
}

/// How wide the author column is in a list `width` wide: up to 14
/// characters, and none when the summaries would keep fewer than 36 (the
/// commit's detail names its author anyway).
fn author_width(width: usize) -> usize {
    // Date, short id and change count, each with its space.
    const FIXED: usize = 11 + 8 + 4;
    const SUMMARY: usize = 36;
    let room = width.saturating_sub(FIXED + SUMMARY + 1).min(14);
    if room < 6 { 0 } else { room }
}

/// The author column, cut with `…` (empty when it has no room).
fn author_cell(author: &str, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let name = clean(author);
    let name = if name.chars().count() <= width {
        name
    } else {
        name.chars().take(width - 1).collect::<String>() + "…"
    };
    format!("{name:<width$} ")
}

pub fn hit_test(app: &App, body: Rect, x: u16, y: u16) -> Option<Target> {
    let [list, _] = areas(body);
    super::row_at(
        inner(list),
        app.tabs().history.rows.offset.get(),
        app.tabs().history.shown(&app.data().walk).len(),
        x,
        y,
    )
}
