//! The dashboard's component detail shows its code paths and what the
//! repository's CODEOWNERS says about each, as the loader worked it out.

use demarc::app::App;
use demarc::app::keymap::Keymap;
use demarc::model::facts::Facts;
use demarc::model::{Subject, SubjectKind};
use demarc::repo::{self, Repo, Source};
use demarc::ui::{self, theme::Theme};
use ratatui::{Terminal, backend::TestBackend};

fn render(app: &mut App, w: u16, h: u16) -> String {
    app.resize(w, h);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| ui::draw(f, app, &Theme::default_dark()))
        .unwrap();
    term.backend().to_string()
}

#[test]
fn a_component_shows_whether_codeowners_agrees() {
    let dir = tempfile::tempdir().unwrap();
    demarc::sample::build(dir.path()).unwrap();
    let repo = Repo::open(dir.path(), None).unwrap();
    let loaded = repo::load(&repo, &Source::WorkTree).unwrap();
    // What the loader does beside the model.
    let mut facts = Facts::build(&loaded.model);
    facts.codeowners =
        demarc::codeowners::review_repo(&repo, &Source::WorkTree, &loaded.model).map(Into::into);
    assert!(facts.codeowners.is_some());
    let mut app = App::new(Keymap::default());
    app.on_loaded_with_facts(Ok((loaded.clone(), facts)));

    app.go_subject(&Subject::new(SubjectKind::Component, "kafka"));
    let screen = render(&mut app, 160, 50);
    assert!(screen.contains("Code · .github/CODEOWNERS"), "{screen}");
    assert!(
        screen.contains("✓ platform/kafka/ agrees (line 55)"),
        "{screen}"
    );
    assert!(
        screen.contains("✗ charts/kafka/ names @northwind/platform-data (line 85)"),
        "{screen}"
    );

    // Without a CODEOWNERS file the paths are still listed, with no verdict.
    let mut app = App::new(Keymap::default());
    app.on_loaded(Ok(loaded));
    app.go_subject(&Subject::new(SubjectKind::Component, "kafka"));
    let screen = render(&mut app, 160, 50);
    assert!(screen.contains("· charts/kafka/"), "{screen}");
    assert!(!screen.contains("CODEOWNERS"), "{screen}");
}
