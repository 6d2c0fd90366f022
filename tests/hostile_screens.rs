//! Repository text never reaches the screen raw, on any tab: every free
//! text of the sample (names, descriptions, kinds, duties, scenario
//! steps, findings, commit messages and authors) carries an escape
//! sequence, a bidi override and a line separator, and every tab, with
//! its detail pane and the popups, is drawn into a TestBackend; no cell
//! may hold one of those characters. A view that draws a field without
//! cleaning it fails here, naming the tab and the line.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use demarc::app::keymap::Keymap;
use demarc::app::msg::{Request, TrendsData};
use demarc::app::{App, Tab};
use demarc::repo::{Loaded, Repo, Source};
use demarc::sanitize::is_unsafe;
use demarc::ui::{self, theme::Theme};
use ratatui::{Terminal, backend::TestBackend};

/// An escape sequence, a right-to-left override and a line separator.
const HOSTILE: &str = "\x1b[2J\u{202E}evil\u{2028}";

fn taint(s: &mut String) {
    s.push_str(HOSTILE);
}

fn taint_all(v: &mut [String]) {
    v.iter_mut().for_each(taint);
}

fn taint_opt(s: &mut Option<String>) {
    if let Some(s) = s {
        taint(s);
    }
}

/// The sample with every free text made hostile.
fn hostile(mut loaded: Loaded) -> Loaded {
    let m = &mut loaded.model;
    taint(&mut m.settings.org);
    for t in &mut m.teams {
        taint(&mut t.name);
        taint(&mut t.kind);
        taint_opt(&mut t.description);
        taint_opt(&mut t.lead);
        taint_all(&mut t.members);
        taint_opt(&mut t.channel);
        if let Some(o) = &mut t.oncall {
            taint_opt(&mut o.rotation);
            taint_opt(&mut o.pager);
            taint_opt(&mut o.hours);
            taint_all(&mut o.escalation);
        }
    }
    for c in &mut m.components {
        taint(&mut c.name);
        taint_opt(&mut c.runbook);
        taint_all(&mut c.tags);
        for d in &mut c.duties {
            taint_all(&mut d.covers);
        }
    }
    for p in &mut m.pillars {
        taint(&mut p.name);
        taint_opt(&mut p.shared);
        taint_opt(&mut p.boundary);
        for (_, duties) in &mut p.duties {
            taint_all(duties);
        }
    }
    for l in &mut m.layers {
        taint(&mut l.name);
        taint_opt(&mut l.scope);
        for (_, role) in &mut l.roles {
            taint(role);
        }
    }
    for s in &mut m.scenarios {
        taint(&mut s.title);
        taint_all(&mut s.keywords);
        taint_opt(&mut s.platform_asks);
        taint_opt(&mut s.application_asks);
        taint_opt(&mut s.resolution);
    }
    for x in &mut m.matrices {
        taint(&mut x.title);
        for r in &mut x.rows {
            taint(&mut r.name);
            taint_all(&mut r.roles);
        }
    }
    for d in &mut loaded.diagnostics {
        taint(&mut d.message);
    }
    loaded
}

/// The dashboard on the hostile sample, with its history walked (commit
/// messages and authors hostile too) as the walker would deliver it.
fn app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    demarc::sample::build(dir.path()).unwrap();
    let repo = Repo::open(dir.path(), None).unwrap();
    let loaded = demarc::repo::load(&repo, &Source::WorkTree).unwrap();
    let mut app = App::new(Keymap::default());
    app.on_loaded(Ok(hostile(loaded)));
    app.take_requests_where(|r| matches!(r, Request::History { .. }));
    let (mut entries, summary) = demarc::history::collect(&repo, Default::default()).unwrap();
    for e in &mut entries {
        taint(&mut e.commit.message);
        taint(&mut e.commit.author);
    }
    let trends =
        demarc::trends::collect(&repo, Default::default(), Default::default(), None).unwrap();
    let generation = app.data().walk.generation;
    app.on_history_batch(generation, entries, summary.progress);
    app.on_trends(
        generation,
        TrendsData {
            month: trends.series_by(demarc::trends::By::Month),
            quarter: trends.series_by(demarc::trends::By::Quarter),
            done: true,
        },
    );
    app.on_history_end(generation, None);
    (app, dir)
}

fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// Draws the screen and fails on any unsafe character, naming where.
/// Returns the screen as text.
fn check(app: &mut App, what: &str) -> String {
    let (w, h) = (160, 48);
    app.resize(w, h);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| ui::draw(f, app, &Theme::default_dark()))
        .unwrap();
    let buffer = term.backend().buffer();
    for y in 0..h {
        let line: String = (0..w).map(|x| buffer[(x, y)].symbol()).collect();
        assert!(
            !line.chars().any(is_unsafe),
            "{what}: line {y} draws repository text raw: {line:?}"
        );
        // The seal at the end of `ui::draw` replaces what a view drew raw
        // with U+FFFD; views escape visibly (`\u{1b}`), so a U+FFFD here
        // means a view forgot to clean and only the seal saved it.
        assert!(
            !line.contains(ui::seal::REPLACEMENT),
            "{what}: line {y} drew repository text raw (the seal replaced it): {line:?}"
        );
    }
    term.backend().to_string()
}

#[test]
fn no_tab_draws_repository_text_raw() {
    let (mut app, _dir) = app();
    let mut escaped = 0;
    for tab in Tab::ALL {
        app.show(tab);
        // The first rows, one further down, and the detail pane of each.
        for step in 0..4 {
            let screen = check(&mut app, &format!("{} (row {step})", tab.title()));
            escaped += screen.matches("\\u{1b}").count();
            key(&mut app, KeyCode::Down);
            if tab == Tab::Pillars || tab == Tab::Layers {
                key(&mut app, KeyCode::Right);
            }
        }
    }
    // The popups: help, the findings, search with hits.
    app.show(Tab::Components);
    for (open, what) in [('?', "help"), ('!', "findings")] {
        key(&mut app, KeyCode::Char(open));
        escaped += check(&mut app, what).matches("\\u{1b}").count();
        key(&mut app, KeyCode::Esc);
    }
    // The hostile text was on screen, escaped: the check saw it.
    assert!(escaped > 20, "only {escaped} escaped sequences were drawn");
}

#[test]
fn the_check_fails_on_raw_text() {
    // A buffer holding raw repository text is what `check` rejects.
    let raw = format!("team {HOSTILE}");
    assert!(raw.chars().any(is_unsafe));
    assert!(!demarc::sanitize::line(&raw).chars().any(is_unsafe));
}

/// A 10 MB team description and a 1 MB commit message, selected: the
/// detail panes lay out what they can show and mark the rest (the cut is
/// counted in `ui::widgets::fit`'s own test; here, the real screens).
#[test]
fn huge_texts_are_cut_to_the_pane_with_a_mark() {
    let (mut app, _dir) = app();
    let mut loaded = app.data().loaded.as_deref().cloned().unwrap();
    loaded.model.teams[0].description = Some("Z".repeat(10_000_000));
    app.on_loaded(Ok(loaded));
    app.show(Tab::Teams);
    app.tabs_mut().teams.rows.selected = 0;
    let screen = check(&mut app, "Teams with a 10 MB description");
    assert!(screen.contains("ZZZZ…"), "{screen}");

    let mut entries = app.data().walk.entries.clone();
    entries[0].commit.message = "M".repeat(1_000_000);
    let generation = app.data().walk.generation + 1;
    app.start_history();
    app.take_requests();
    assert_eq!(app.data().walk.generation, generation);
    app.on_history_batch(generation, entries, Default::default());
    app.on_history_end(generation, None);
    app.show(Tab::History);
    let screen = check(&mut app, "History with a 1 MB commit message");
    assert!(screen.contains("MMMM…"), "{screen}");
}
