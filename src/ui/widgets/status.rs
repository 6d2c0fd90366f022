//! The status bar: the keys that matter here (read from the key map), then
//! a message or the last load error, and the count of check findings.

use crate::app::popup::Popup;
use crate::app::{Action, App};
use crate::ui::Ui;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The actions the status bar offers, with a short label, for where we are.
pub fn context_keys(app: &App) -> Vec<(Vec<Action>, &'static str)> {
    let mut keys: Vec<(Vec<Action>, &'static str)> = match (app.popup(), app.tab()) {
        (Some(Popup::Help { .. }), _) => vec![
            (vec![Action::Up, Action::Down], "scroll"),
            (vec![Action::Back], "close"),
        ],
        (Some(Popup::Search(_)), _) => vec![
            (vec![Action::Up, Action::Down], "move"),
            (vec![Action::Open], "jump"),
            (vec![Action::Back], "close"),
        ],
        (Some(Popup::Findings { .. }), _) => vec![
            (vec![Action::Up, Action::Down], "move"),
            (vec![Action::Open], "jump to subject"),
            (vec![Action::TriageSubject], "triage"),
            (vec![Action::Edit], "edit"),
            (vec![Action::Back], "close"),
        ],
        (Some(Popup::Picker { .. }), _) => vec![
            (vec![Action::Up, Action::Down], "move"),
            (vec![Action::Open], "pick"),
            (vec![Action::Back], "cancel"),
        ],
        (None, tab) => app.tabs().get(tab).keys(),
    };
    // In an input every key types: only the input's own keys are offered.
    if typing(app) {
        return keys;
    }
    if app.popup().is_none() && app.can_go_back() {
        keys.push((vec![Action::Back], "back"));
    }
    if app.popup().is_none() && app.tabs().get(app.tab()).follows_selection() {
        keys.push((vec![Action::TriageSubject], "triage"));
        keys.push((vec![Action::HistoryOf], "history"));
    }
    if app.data().shown != app.data().launch {
        keys.push((vec![Action::Now], "now"));
    }
    if app.popup().is_none() {
        keys.push((vec![Action::Search], "search"));
        keys.push((vec![Action::Help], "help"));
        keys.push((vec![Action::Quit], "quit"));
    }
    keys
}

/// Is a text input taking every key (the search popup, a picker's
/// type-ahead, a tab's input: a filter in place, History's words or date
/// range, Triage's find or "as of")? The bar then offers only the input's
/// own keys and the line-editing ones, never a letter that would be typed
/// (`? help`, `q quit`, `n now`).
pub fn typing(app: &App) -> bool {
    match app.popup() {
        Some(Popup::Search(_)) | Some(Popup::Picker { .. }) => true,
        Some(_) => false,
        None => app.tabs().get(app.tab()).typing(),
    }
}

/// The line-editing keys every input shares (src/app/line_edit.rs).
const EDIT_KEYS: &[(&str, &str)] = &[("Ctrl-U", "erase"), ("Ctrl-W", "word")];

/// The bar's entries: keys, label, and whether it stays when room is
/// short (`? help`: the way to every other key).
fn entries(app: &Ui) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for (actions, label) in context_keys(app) {
        let keys: Vec<String> = actions
            .iter()
            .map(|a| app.keymap().first_key(*a))
            .filter(|k| !k.is_empty())
            .collect();
        if keys.is_empty() {
            continue;
        }
        let sep = if keys.iter().all(|k| k.chars().count() == 1) {
            ""
        } else {
            "/"
        };
        let pinned = actions == [Action::Help];
        out.push((keys.join(sep), label.to_string(), pinned));
    }
    if typing(app) {
        for (key, label) in EDIT_KEYS {
            out.push((key.to_string(), label.to_string(), false));
        }
    }
    out
}

pub fn draw(frame: &mut Frame, app: &Ui, area: Rect) {
    let t = app.theme;
    let right = right_side(app);
    let right_width: u16 = right.iter().map(|s| s.width() as u16).sum();
    // Whole entries only: one that does not fit is left out, never cut.
    let room = area.width.saturating_sub(right_width) as usize;
    // Whole entries only, in order; `? help` always.
    let entries = entries(app);
    let widths: Vec<(usize, bool)> = entries
        .iter()
        .map(|(keys, label, pinned)| {
            (
                crate::ui::fit::width(keys) + crate::ui::fit::width(label) + 3,
                *pinned,
            )
        })
        .collect();
    let shown = crate::ui::fit::bar::choose(&widths, room.saturating_sub(1));
    let mut left = vec![Span::styled(" ", t.status)];
    for ((keys, label, _), show) in entries.into_iter().zip(shown) {
        if show {
            left.push(Span::styled(keys, t.status_key));
            left.push(Span::styled(format!(" {label}  "), t.status));
        }
    }
    let [l, r] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(right_width)]).areas(area);
    frame.render_widget(Paragraph::new(Line::from(left)).style(t.status), l);
    frame.render_widget(Paragraph::new(Line::from(right)).style(t.status), r);
}

/// A message or the last load error, then the count of findings.
fn right_side(app: &Ui) -> Vec<Span<'static>> {
    let t = app.theme;

    let mut right: Vec<Span> = Vec::new();
    if let Some(err) = app.error() {
        right.push(Span::styled(format!(" {} ", super::clean(err)), t.error));
    } else if let Some(msg) = app.message() {
        right.push(Span::styled(format!(" {msg} "), t.accent));
    }
    if app.data().loaded.is_some() {
        let (e, w) = app.data().finding_counts();
        let key = app.keymap().first_key(Action::Findings);
        let style = if e > 0 {
            t.error
        } else if w > 0 {
            t.warning
        } else {
            t.ok
        };
        let text = match (e, w) {
            // Shown before `check` ran (its findings follow): only the
            // files that did not load are known.
            (0, 0) if app.data().checking => "checking…".to_string(),
            (0, 0) => "no findings".to_string(),
            (e, 0) => format!("{e} error{}", plural(e)),
            (0, w) => format!("{w} warning{}", plural(w)),
            (e, w) => format!("{e} error{}, {w} warning{}", plural(e), plural(w)),
        };
        let text = if app.data().checking && (e, w) != (0, 0) {
            format!("{text}, checking…")
        } else {
            text
        };
        right.push(Span::styled(format!(" {key} "), t.status_key));
        right.push(Span::styled(format!("{text} "), style));
    }
    right
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
