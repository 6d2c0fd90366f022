//! History: the timeline of boundary changes, newest first, filling in while
//! the walk runs; the selected commit's changes; Enter time travels.

use crate::app::{Action, App, Target};
use crate::history::{ChangeKind, HistoryEntry};
use crate::ui::Ui;
use crate::ui::fit;
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

/// Per-commit counts by kind, most frequent first: "2 owners changed, 1 duty moved".
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
        .map(|(k, n)| crate::ui::words::kind_count(*k, *n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The list's title: "History", how many are shown, then the filters and
/// the walk's state (cut with `…` when the list is narrow).
fn status_line(app: &Ui) -> Vec<Span<'static>> {
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
        return vec![
            Span::raw(" History "),
            Span::raw(format!("· dates FROM..TO: {}▏{why} ", clean(typed))),
        ];
    }
    if filters.is_empty() {
        vec![Span::raw(" History "), Span::raw(format!("· {state} "))]
    } else {
        vec![
            Span::raw(format!(" History · {shown} shown ")),
            Span::raw(format!("· {} · {state} ", filters.join(" "))),
        ]
    }
}

pub fn draw(frame: &mut Frame, app: &Ui, body: Rect) {
    let t = app.theme;
    let h = &app.tabs().history;
    let walk = &app.data().walk;
    let [list_area, detail_area] = areas(body);
    let shown = h.shown(walk);
    let list = inner(list_area);
    let mut lines = Vec::new();
    // Date, id and count never cut; the summary and the counts by kind
    // share the rest, the counts giving way first, each cut with `…`.
    let width = list.width as usize;
    let widths = fit::fit_columns(
        &[
            fit::Column::keep(10),
            fit::Column::keep(7),
            fit::Column::keep(3),
            fit::Column::flexible(width, 16, 1).growing(),
        ],
        width,
        1,
    );
    // The author takes what the summary can spare beyond 36 cells, up to
    // the widest author shown (20 cells at most), and is left out when
    // that is under 8 (the commit's detail names its author anyway).
    let authors = h.author_width.get(h.shown_key(walk), || {
        shown
            .iter()
            .map(|&i| fit::width(&clean(&walk.entries[i].commit.author)))
            .max()
            .unwrap_or(0)
    });
    let spare = widths[3].saturating_sub(SUMMARY + 1);
    let author_w = match (*authors).min(AUTHOR).min(spare) {
        w if w < 8 => 0,
        w => w,
    };
    let text_room = match author_w {
        0 => widths[3],
        w => widths[3] - w - 1,
    };
    for i in window(&h.rows, list.height as usize, shown.len()) {
        let e = &walk.entries[shown[i]];
        let sel = selected_if(i == h.rows.selected, t);
        // The number of changes in a fixed column, so it never scrolls out
        // of sight behind a long summary; the counts by kind come last.
        let (count, count_style, note, note_style) = if e.is_broken() {
            (
                "✗".to_string(),
                t.error,
                "does not parse".to_string(),
                t.error,
            )
        } else if e.changes.is_empty() {
            (
                "·".to_string(),
                t.dim,
                "no boundary change".to_string(),
                t.dim,
            )
        } else {
            (e.changes.len().to_string(), t.warning, counts(e), t.dim)
        };
        let summary = clean(e.commit.summary());
        // The summary first, whole when it fits; the counts by kind in what
        // is left when that is at least 12 cells (the count column says how
        // many changes there are either way).
        let summary_w = fit::width(&summary);
        let (summary_room, note_room) = if summary_w + 2 + 12 <= text_room {
            (summary_w, text_room - summary_w - 2)
        } else {
            (text_room, 0)
        };
        let mut spans = vec![
            Span::styled(
                format!("{} ", e.commit.time.format("%Y-%m-%d")),
                t.dim.patch(sel),
            ),
            Span::styled(format!("{} ", e.commit.short_id()), t.accent.patch(sel)),
        ];
        if author_w > 0 {
            spans.push(Span::styled(
                format!("{} ", fit::pad(&clean(&e.commit.author), author_w)),
                t.dim.patch(sel),
            ));
        }
        spans.push(Span::styled(
            format!("{} ", fit::pad_left(&count, 3)),
            count_style.patch(sel),
        ));
        spans.push(Span::styled(
            fit::truncate(&summary, summary_room).into_owned(),
            t.text.patch(sel),
        ));
        if note_room > 0 {
            spans.push(Span::styled("  ", sel));
            spans.push(Span::styled(
                fit::truncate(&note, note_room).into_owned(),
                note_style.patch(sel),
            ));
        }
        lines.push(Line::from(spans).style(sel));
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
        Paragraph::new(lines).block(block(
            fit::table::title_with_note(status_line(app), list_area.width as usize),
            true,
            t,
        )),
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
        // are cleaned (the pane cuts the rest again, see `draw_detail`);
        // prose wraps flush left (no hanging indent).
        let room = usize::from(app.detail()) + usize::from(detail_area.height);
        let width = inner(detail_area).width as usize;
        let mut message = paragraphs(&e.commit.message).into_iter();
        let mut rows = 0;
        for paragraph in message.by_ref() {
            let line = Line::from(Span::styled(clean(&paragraph), t.text));
            let wrapped = fit::wrap_line(&line, width, 0);
            rows += wrapped.len();
            detail.extend(wrapped);
            if rows >= room {
                break;
            }
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
                Span::styled(
                    format!("{} ", crate::ui::words::kind_name(c.kind)),
                    t.header,
                ),
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

/// A commit message as paragraphs: the lines git wrapped at 72 columns
/// joined again, so the pane wraps them to its own width; blank lines and
/// list items ("- ", "* ", "1. ") still start a new line. At most
/// `MAX_PARAGRAPHS` are read: a message of a million lines costs a
/// screenful (the pane shows no more).
fn paragraphs(message: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    let mut read = 0;
    for line in message.lines() {
        read += line.len();
        if read > crate::ui::widgets::MAX_SHOWN * 4 {
            break;
        }
        let trimmed = line.trim_start();
        let item = trimmed.starts_with("- ")
            || trimmed.starts_with("* ")
            || trimmed
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if line.trim().is_empty() {
            out.push(String::new());
            open = false;
        } else if open && !item && !line.starts_with(' ') {
            let last = out.last_mut().expect("open paragraph");
            last.push(' ');
            last.push_str(line.trim());
        } else {
            if out.len() >= MAX_PARAGRAPHS {
                break;
            }
            out.push(line.to_string());
            open = true;
        }
    }
    out
}

/// The summary's room before an author column is given any.
const SUMMARY: usize = 36;
/// The widest an author column grows.
const AUTHOR: usize = 20;

/// More paragraphs than any pane shows.
const MAX_PARAGRAPHS: usize = 2_000;

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
