//! The indexes the dashboard builds off the UI thread equal what the UI
//! thread would build itself, on the sample and on a generated repository:
//! the findings by subject (built on the loader with `check`'s findings,
//! sent in `Event::Checked`), and the owner and on-call moves the Triage
//! list reads its rows' warnings from (instead of building each row's card).

use demarc::app::App;
use demarc::app::keymap::Keymap;
use demarc::app::msg::Event;
use demarc::app::tabs::triage::Moves;
use demarc::dashboard::loader;
use demarc::history::{WalkOptions, collect};
use demarc::model::{Model, Subject, SubjectKind};
use demarc::repo::{FindingsBySubject, Repo, Source};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

fn sample() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    demarc::sample::build(dir.path()).unwrap();
    // A finding only `check` makes, about a component.
    std::fs::write(
        dir.path().join("components/zz-extra.toml"),
        "[[component]]\nid = \"zz-extra\"\nname = \"Extra\"\nowner = \"nobody-declared\"\n",
    )
    .unwrap();
    let path = dir.path().to_path_buf();
    (dir, path)
}

fn generated() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("repo");
    let params = demarc::synth::Params {
        teams: 20,
        components: 300,
        commits: 120,
        data_share: 0.5,
        // The data at the root: `Repo::open` finds it without `--dir`.
        dir: String::new(),
        seed: 17,
        broken_share: 0.0,
    };
    demarc::synth::generate(&out, &params).unwrap();
    (tmp, out)
}

/// Every subject a card can be of, and one that is in no model.
fn subjects(model: &Model) -> Vec<Subject> {
    let mut all: Vec<Subject> = model
        .component_team_scenario_subjects()
        .chain(
            model
                .pillars
                .iter()
                .map(|p| Subject::new(SubjectKind::Pillar, &p.id)),
        )
        .collect();
    all.push(Subject::new(SubjectKind::Component, "never-declared"));
    all
}

/// The real loader, until `check`'s findings are in.
fn open(dir: &Path) -> App {
    let repo = Repo::open(dir, None).unwrap();
    let (tx, rx) = mpsc::channel();
    let _loader = loader::spawn(repo, Source::WorkTree, tx);
    let mut app = App::new(Keymap::default());
    app.open_on(Source::WorkTree);
    loop {
        let event = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("the loader answers");
        let checked = matches!(event, Event::Checked { .. });
        app.on_event(event, |_, _, _| None);
        if checked {
            return app;
        }
    }
}

fn findings_by_subject_as_sent_equal_the_ui_threads(dir: &Path) {
    let app = open(dir);
    let data = app.data();
    let loaded = data.loaded.as_ref().unwrap();
    let sent = data
        .findings_by_subject_sent()
        .expect("the loader sent the index with the findings");
    let here = FindingsBySubject::build(&loaded.diagnostics);
    assert_eq!(*sent, here);
    let mut about = 0;
    for subject in subjects(&loaded.model) {
        let got = data.findings_about(&subject);
        assert_eq!(
            got,
            here.about(&loaded.model, &loaded.diagnostics, &subject),
            "{subject:?}"
        );
        // And what a card reads of every finding: the same cards.
        let all = demarc::triage::build_card(&loaded.model, &loaded.diagnostics, &subject);
        let some = demarc::triage::build_card(&loaded.model, &got, &subject);
        assert_eq!(some, all, "{subject:?}");
        about += got.len();
    }
    assert!(about > 0, "some findings are about a subject");
}

#[test]
fn findings_by_subject_from_the_loader_on_the_sample() {
    let (_tmp, dir) = sample();
    findings_by_subject_as_sent_equal_the_ui_threads(&dir);
}

#[test]
fn findings_by_subject_from_the_loader_on_a_generated_repository() {
    let (_tmp, dir) = generated();
    findings_by_subject_as_sent_equal_the_ui_threads(&dir);
}

/// For every subject and many moments, a row warns exactly when its card,
/// built with its recent changes as the card pane builds it, has warnings.
fn moves_warn_as_the_cards_do(dir: &Path) {
    let repo = Repo::open(dir, None).unwrap();
    let loaded = demarc::repo::load(&repo, &Source::WorkTree).unwrap();
    let model = &loaded.model;
    let (entries, _) = collect(&repo, WalkOptions::default()).unwrap();
    assert!(entries.len() > 4);
    let mut moments: Vec<_> = entries.iter().map(|e| e.commit.time).collect();
    // Just after each commit and long after the newest (nothing in the window).
    let later: Vec<_> = moments
        .iter()
        .map(|t| *t + chrono::Duration::hours(1))
        .collect();
    moments.extend(later);
    moments.push(moments[0] + chrono::Duration::days(400));
    let subjects = subjects(model);
    let mut warned = 0;
    let mut quiet = 0;
    for &moment in &moments {
        // Also with only the newest part walked, as while the walk runs.
        for walked in [&entries[..entries.len() / 2], &entries[..]] {
            let moves = Moves::in_window(walked, moment);
            for subject in &subjects {
                let card = demarc::triage::build_card(model, &loaded.diagnostics, subject).map(
                    |mut card| {
                        demarc::triage::recent::attach(&mut card, walked, moment);
                        card
                    },
                );
                let want = card.is_some_and(|c| !c.warnings().is_empty());
                assert_eq!(moves.warns(model, subject), want, "{subject:?} at {moment}");
                if want {
                    warned += 1;
                } else {
                    quiet += 1;
                }
            }
        }
    }
    assert!(warned > 0 && quiet > 0, "{warned} warned, {quiet} quiet");
}

#[test]
fn row_warnings_from_the_moves_equal_the_cards_on_the_sample() {
    let (_tmp, dir) = sample();
    moves_warn_as_the_cards_do(&dir);
}

#[test]
fn row_warnings_from_the_moves_equal_the_cards_on_a_generated_repository() {
    let (_tmp, dir) = generated();
    moves_warn_as_the_cards_do(&dir);
}

/// The loader groups every pillar's components by owner in one pass; the
/// tab's own grouping (a pass per pillar) gives the same.
fn pillar_groups_in_one_pass_equal_a_pass_per_pillar(dir: &Path) {
    use demarc::app::tabs::pillars::{owner_groups, owner_groups_all};
    let repo = Repo::open(dir, None).unwrap();
    let loaded = demarc::repo::load(&repo, &Source::WorkTree).unwrap();
    let model = &loaded.model;
    assert!(!model.pillars.is_empty());
    let each: Vec<_> = model
        .pillars
        .iter()
        .map(|p| owner_groups(model, p))
        .collect();
    assert!(each.iter().any(|g| !g.is_empty()));
    assert_eq!(owner_groups_all(model), each);
}

#[test]
fn pillar_groups_on_the_sample() {
    let (_tmp, dir) = sample();
    pillar_groups_in_one_pass_equal_a_pass_per_pillar(&dir);
}

#[test]
fn pillar_groups_on_a_generated_repository() {
    let (_tmp, dir) = generated();
    pillar_groups_in_one_pass_equal_a_pass_per_pillar(&dir);
}

/// The Trends tab's other views (each figure, by month and by quarter),
/// derived on a background thread when a series comes in, equal the views
/// the tab derives itself (`TrendsTab::view` takes them when they match).
fn trends_views_derived_later_equal_the_tabs(dir: &Path) {
    use demarc::app::msg::TrendsData;
    use demarc::trends::By;
    use demarc::trends::view::{BUSIEST, FIGURES, TrendsView};
    let repo = Repo::open(dir, None).unwrap();
    let collector = demarc::trends::collect(&repo, Default::default(), By::Month, None).unwrap();
    let data = TrendsData {
        month: collector.series_by(By::Month),
        quarter: collector.series_by(By::Quarter),
        done: true,
    };
    let loaded = demarc::repo::load(&repo, &Source::WorkTree).unwrap();
    let mut app = App::new(Keymap::default());
    app.on_loaded(Ok(loaded));
    let generation = app.data().walk.generation;
    app.on_trends(generation, data.clone());
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    let views = loop {
        if let Some(views) = app.data().walk.trends_more.get() {
            break views.clone();
        }
        assert!(std::time::Instant::now() < deadline, "never derived");
        std::thread::sleep(Duration::from_millis(10));
    };
    // Every (by, figure): the walker prepared none here.
    assert_eq!(views.len(), 2 * FIGURES.len());
    for p in &views {
        let series = data.by(p.by);
        assert!(!series.periods.is_empty());
        assert_eq!(p.view, TrendsView::build(series, p.figure, BUSIEST));
    }
}

#[test]
fn trends_views_on_the_sample() {
    let (_tmp, dir) = sample();
    trends_views_derived_later_equal_the_tabs(&dir);
}

#[test]
fn trends_views_on_a_generated_repository() {
    let (_tmp, dir) = generated();
    trends_views_derived_later_equal_the_tabs(&dir);
}
