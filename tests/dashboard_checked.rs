//! The dashboard shows the data before `check` has run (seconds at
//! 200,000 components): the loader sends the model with the reader's and
//! the parser's findings, then `check`'s in `Event::Checked`. Once they are
//! in, the app holds exactly what a checked load holds, the status bar
//! says "checking…" only meanwhile, and a version opened with `--at` (the
//! Triage tab's "as of" shares it) gets them too.

use demarc::app::App;
use demarc::app::data::AsOfState;
use demarc::app::keymap::Keymap;
use demarc::app::msg::Event;
use demarc::dashboard::loader;
use demarc::model::Diagnostic;
use demarc::repo::{self, Repo, Source, When};
use ratatui::{Terminal, backend::TestBackend};
use std::sync::mpsc;
use std::time::Duration;

/// A sample repository with one more finding that only `check` makes (a
/// component owned by a team nobody declared) and one the parser makes (a
/// file that does not parse).
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    demarc::sample::build(dir.path()).unwrap();
    let data = dir.path().join("components");
    std::fs::write(
        data.join("zz-extra.toml"),
        "[[component]]\nid = \"zz-extra\"\nname = \"Extra\"\nowner = \"nobody-declared\"\n",
    )
    .unwrap();
    std::fs::write(data.join("zz-broken.toml"), "[[component]\nid = \n").unwrap();
    dir
}

fn status_line(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(160, 30)).unwrap();
    let theme = demarc::ui::theme::Theme::default_dark();
    terminal.draw(|f| demarc::ui::draw(f, app, &theme)).unwrap();
    let buffer = terminal.backend().buffer();
    let y = buffer.area.height - 1;
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol().to_string())
        .collect()
}

/// Runs the loader on `source` until the findings are in; returns the app
/// and the status line drawn between the data and the findings.
fn open(dir: &std::path::Path, source: Source) -> (App, String) {
    let repo = Repo::open(dir, None).unwrap();
    let (tx, rx) = mpsc::channel();
    let _loader = loader::spawn(repo, source.clone(), tx);
    let mut app = App::new(Keymap::default());
    app.open_on(source);
    let wait = Duration::from_secs(60);
    let mut before = None;
    let mut shown: Option<*const demarc::repo::Loaded> = None;
    loop {
        let event = rx.recv_timeout(wait).expect("the loader answers");
        let checked = matches!(event, Event::Checked { .. });
        let loaded = matches!(event, Event::Loaded(_));
        app.on_event(event, |_, _, _| None);
        if loaded {
            assert!(app.data().checking, "findings follow the data");
            before = Some(status_line(&app));
            shown = app.data().loaded.as_ref().map(std::sync::Arc::as_ptr);
        }
        if checked {
            // Put into the version shown, not into a copy of it.
            assert_eq!(
                shown,
                app.data().loaded.as_ref().map(std::sync::Arc::as_ptr)
            );
            break;
        }
    }
    (app, before.expect("the data came first"))
}

fn checked_load(dir: &std::path::Path, source: &Source) -> Vec<Diagnostic> {
    let repo = Repo::open(dir, None).unwrap();
    repo::load_for_answers(&repo, source)
        .unwrap()
        .loaded
        .diagnostics
}

#[test]
fn the_findings_follow_the_data_and_equal_a_checked_load() {
    let dir = repository();
    let (app, before) = open(dir.path(), Source::WorkTree);
    let want = checked_load(dir.path(), &Source::WorkTree);
    let loaded = app.data().loaded.as_ref().unwrap();
    assert_eq!(loaded.diagnostics, want);
    assert!(!app.data().checking);
    assert!(
        want.iter().any(|d| d.message.contains("nobody-declared")),
        "the check's own finding is there"
    );
    // Meanwhile: the parser's error was already counted, and the bar said
    // the rest was coming.
    assert!(before.contains("checking…"), "{before}");
    assert!(before.contains("1 error"), "{before}");
    let after = status_line(&app);
    assert!(!after.contains("checking…"), "{after}");
}

#[test]
fn a_version_opened_at_a_time_gets_its_findings_in_the_as_of_card_too() {
    let dir = repository();
    let source = Source::At(When::parse("2026-05-01").unwrap());
    let (app, _) = open(dir.path(), source.clone());
    let want = checked_load(dir.path(), &source);
    let loaded = app.data().loaded.as_ref().unwrap();
    assert_eq!(loaded.diagnostics, want);
    match &app.data().as_of.as_ref().unwrap().state {
        AsOfState::Ready { loaded: then, .. } => {
            assert!(std::sync::Arc::ptr_eq(then, loaded), "still one version");
            assert_eq!(then.diagnostics, want);
        }
        _ => panic!("the as-of card is the version opened"),
    }
}
