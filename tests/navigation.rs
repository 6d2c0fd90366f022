//! k9s-grade navigation on the sample (issue 18), driven key by key as a
//! user would: filter in place, pickers with type-ahead, `y`, `e`, `q` in
//! popups, the search popup's recall, empty query and matrix rows, Esc
//! after number keys, `t` on a History commit, History's date range and
//! its subject-first detail.

mod support;

use crossterm::event::{Event as Input, KeyCode, KeyEvent, KeyModifiers};
use demarc::app::keymap::Keymap;
use demarc::app::msg::Request;
use demarc::app::popup::Popup;
use demarc::app::{App, Event, Tab};
use demarc::repo::{Repo, Source};
use demarc::ui::{self, theme::Theme};
use ratatui::{Terminal, backend::TestBackend};
use support::screens::{app, load, sample, sample_dir};

/// Runs the history walk synchronously, as the walker thread would.
fn walk(app: &mut App) {
    let asked = app.take_requests_where(|r| matches!(r, Request::History { .. }));
    if asked.is_empty() {
        return;
    }
    let repo = Repo::open(sample_dir(), None).unwrap();
    let (entries, summary) = demarc::history::collect(&repo, Default::default()).unwrap();
    let generation = app.data().walk.generation;
    app.on_history_batch(generation, entries, summary.progress);
    app.on_history_end(generation, None);
}

fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    let event = Event::Input(Input::Key(KeyEvent::new(code, modifiers)));
    app.on_event(event, |_, _, _| None);
}

fn key(app: &mut App, code: KeyCode) {
    press(app, code, KeyModifiers::NONE);
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn render(app: &mut App, w: u16, h: u16) -> String {
    app.resize(w, h);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| ui::draw(f, app, &Theme::default_dark()))
        .unwrap();
    let buffer = term.backend().buffer().clone();
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn selected_team(app: &App) -> Option<String> {
    app.selected_subject().map(|s| s.id)
}

#[test]
fn teams_filter_in_place_enter_keeps_and_esc_clears() {
    let mut app = app();
    keys(&mut app, "3f");
    keys(&mut app, "platform");
    let screen = render(&mut app, 120, 40);
    let shown = app.tabs().teams.order(app.data()).len();
    assert!(shown > 1 && shown < 17, "{shown} teams shown");
    assert!(
        screen.contains(&format!("Teams {shown}/17 · /platform▏")),
        "{screen}"
    );
    assert!(!screen.contains("payments "), "{screen}");
    // Arrows move among the teams shown while typing.
    key(&mut app, KeyCode::Down);
    let second = selected_team(&app).unwrap();
    assert!(second.contains("platform"), "{second}");
    // Enter keeps the filter; letters are the list's keys again.
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "j");
    assert!(selected_team(&app).unwrap().contains("platform"));
    assert!(render(&mut app, 120, 40).contains(&format!("Teams {shown}/17 · /platform ")));
    // Enter on a filtered team opens the right one's components.
    let team = selected_team(&app).unwrap();
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab(), Tab::Components);
    assert_eq!(
        app.tabs().components.filters.owner.as_deref(),
        Some(team.as_str())
    );
    // Back: the filter is still there; the first Esc clears it, the
    // selection stays on a team.
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.tab(), Tab::Teams);
    assert!(app.tabs().teams.filter.is_active());
    key(&mut app, KeyCode::Esc);
    assert!(!app.tabs().teams.filter.is_active());
    assert!(render(&mut app, 120, 40).contains("Teams (17)"));
}

#[test]
fn a_filter_that_matches_nothing_says_so_and_the_status_bar_offers_the_input_keys() {
    let mut app = app();
    keys(&mut app, "3fzzzz");
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("No team matches the filter; Esc clears it."),
        "{screen}"
    );
    assert!(screen.contains("Teams 0/17"), "{screen}");
    let bar = screen.lines().last().unwrap();
    assert!(
        bar.contains("keep filter") && !bar.contains("quit"),
        "{bar}"
    );
    // Ctrl-C still quits from an input.
    press(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(app.quit());
}

#[test]
fn components_filter_in_place_looks_at_every_shown_column() {
    let mut app = app();
    keys(&mut app, "4f");
    keys(&mut app, "sre");
    key(&mut app, KeyCode::Enter);
    let cx = app.ctx();
    let shown = app.tabs().components.shown(&cx);
    assert!(!shown.is_empty());
    assert!(shown.iter().all(|c| {
        demarc::app::tabs::components::row_text(c)
            .to_lowercase()
            .contains("sre")
    }));
    assert!(render(&mut app, 120, 40).contains("/sre"));
}

#[test]
fn the_owner_picker_narrows_as_you_type_and_enter_sets_the_filter() {
    let mut app = app();
    keys(&mut app, "4O");
    let Some(Popup::Picker { picker, .. }) = app.popup() else {
        panic!("no picker");
    };
    assert_eq!(picker.total(), 17 - count_teams_without_components(&app));
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("any owner"), "{screen}");
    // `q` and `j` type: the picker is an input.
    keys(&mut app, "streamq");
    assert!(matches!(app.popup(), Some(Popup::Picker { .. })));
    assert!(!app.quit());
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Enter);
    assert!(app.popup().is_none());
    assert_eq!(
        app.tabs().components.filters.owner.as_deref(),
        Some("platform-streaming")
    );
    // Esc in a picker leaves the filter as it was; "any" clears it.
    keys(&mut app, "O");
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.tabs().components.filters.owner.as_deref(),
        Some("platform-streaming")
    );
    keys(&mut app, "O");
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tabs().components.filters.owner, None);
}

fn count_teams_without_components(app: &App) -> usize {
    let model = app.model().unwrap();
    model
        .teams
        .iter()
        .filter(|t| !model.components.iter().any(|c| c.owner == t.id))
        .count()
}

#[test]
fn the_kind_picker_of_history() {
    let mut app = app();
    keys(&mut app, "5");
    walk(&mut app);
    keys(&mut app, "c");
    keys(&mut app, "owner ch");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.tabs().history.filter.kind,
        Some(demarc::history::ChangeKind::OwnerChanged)
    );
    let screen = render(&mut app, 140, 40);
    assert!(screen.contains("kind=owner_changed"), "{screen}");
}

#[test]
fn q_closes_a_popup_and_ctrl_c_quits() {
    let mut app = app();
    keys(&mut app, "?");
    assert!(app.popup().is_some());
    keys(&mut app, "q");
    assert!(app.popup().is_none() && !app.quit());
    keys(&mut app, "!q");
    assert!(app.popup().is_none() && !app.quit());
    keys(&mut app, "!");
    press(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(app.quit());
    let mut fresh = self::app();
    keys(&mut fresh, "q");
    assert!(fresh.quit(), "q outside a popup still quits");
}

#[test]
fn y_copies_the_selected_id_everywhere() {
    let mut app = app();
    keys(&mut app, "3jy");
    let team = selected_team(&app).unwrap();
    assert_eq!(app.take_clipboard().as_deref(), Some(team.as_str()));
    assert_eq!(
        app.message(),
        Some(format!("copied {team} to the clipboard").as_str())
    );
    keys(&mut app, "4y");
    let component = app.selected_subject().unwrap().id;
    assert_eq!(app.take_clipboard(), Some(component));
    keys(&mut app, "2y");
    let layer = app.model().unwrap().layers[0].id.clone();
    assert_eq!(app.take_clipboard(), Some(layer));
    keys(&mut app, "5");
    walk(&mut app);
    keys(&mut app, "y");
    let copied = app.take_clipboard().unwrap();
    assert_eq!(copied.len(), 40, "a commit's full id: {copied}");
    // In Triage `y` is still the pager.
    keys(&mut app, "6y");
    let pager = app.take_clipboard().unwrap_or_default();
    assert!(pager.contains(':'), "{pager}");
}

#[test]
fn e_asks_the_run_loop_for_the_file_at_its_line_and_a_commit_is_read_only() {
    let mut app = app();
    keys(&mut app, "4e");
    let component = app.selected_subject().unwrap().id;
    let model = app.model().unwrap();
    let location = model.component(&component).unwrap().location.clone();
    let asked = app.take_requests_where(|r| matches!(r, Request::Edit(_)));
    assert_eq!(asked, vec![Request::Edit(location)]);
    // From the findings: the finding's own line.
    keys(&mut app, "!e");
    let asked = app.take_requests_where(|r| matches!(r, Request::Edit(_)));
    let first = sample().diagnostics[0].location.clone();
    assert_eq!(asked, vec![Request::Edit(first)]);
    // A commit: read-only, said, nothing asked.
    let mut at_commit = App::new(Keymap::default());
    let head = Source::Rev("HEAD~1".into());
    at_commit.open_on(head.clone());
    at_commit.on_loaded(Ok(load(&head)));
    keys(&mut at_commit, "4e");
    assert!(
        at_commit
            .take_requests_where(|r| matches!(r, Request::Edit(_)))
            .is_empty()
    );
    let said = at_commit.message().unwrap_or_default().to_string();
    assert!(
        said.contains("is read-only: e edits the work tree"),
        "{said}"
    );
    // Time travelling from the work tree: the way back is named.
    let mut travelled = App::new(Keymap::default());
    travelled.on_loaded(Ok(load(&head)));
    keys(&mut travelled, "4e");
    let said = travelled.message().unwrap_or_default().to_string();
    assert!(
        said.ends_with("is read-only: e edits the work tree; n goes back to it."),
        "{said}"
    );
}

#[test]
fn search_up_never_replaces_typed_words_and_an_empty_query_is_asked() {
    let mut app = app();
    keys(&mut app, "/");
    let asked = app.take_requests_where(|r| matches!(r, Request::Search { .. }));
    assert_eq!(
        asked,
        vec![Request::Search {
            query: String::new()
        }],
        "opening the popup lists everything"
    );
    keys(&mut app, "kafka");
    key(&mut app, KeyCode::Enter); // no answer yet: stays open
    let Some(Popup::Search(s)) = app.popup() else {
        panic!()
    };
    assert_eq!(s.query, "kafka");
    // Remember a query, then type new words: Up keeps them.
    let mut history = vec!["redis".to_string()];
    let mut state = demarc::app::popup::SearchState {
        query: "pay".into(),
        ..Default::default()
    };
    let up = KeyEvent::new(KeyCode::Up, KeyModifiers::NONE);
    state.key(&up, &history);
    assert_eq!(state.query, "pay");
    // From an empty query, Up recalls; Up again goes further back.
    history.insert(0, "older".into());
    let mut state = demarc::app::popup::SearchState::default();
    state.key(&up, &history);
    assert_eq!(state.query, "redis");
    state.key(&up, &history);
    assert_eq!(state.query, "older");
    // Emptying the query asks for everything again.
    let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert_eq!(
        state.key(&ctrl_u, &history),
        demarc::app::popup::SearchKey::Query(String::new())
    );
}

#[test]
fn a_search_hit_on_a_matrix_row_opens_the_matrix_on_that_row() {
    let mut app = app();
    let model = app.model().unwrap().clone();
    let matrix = model.matrices.iter().find(|m| m.rows.len() > 2).unwrap();
    let row = matrix.rows[2].name.clone();
    let index = demarc::search::Index::build(&model);
    let results = demarc::search::Searcher::new(index).search(&row, 50);
    let at = results
        .hits
        .iter()
        .position(|h| h.kind == demarc::search::EntryKind::MatrixRow && h.name == row)
        .expect("the row is a hit");
    keys(&mut app, "/");
    keys(&mut app, &row);
    let mut answer = results.clone();
    answer.query = row.clone();
    if let Some(Popup::Search(s)) = app.popup() {
        answer.seq = s.seq;
    }
    app.on_search_results(answer);
    for _ in 0..at {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab(), Tab::Layers);
    let layers = &app.tabs().layers;
    let i = model
        .matrices
        .iter()
        .position(|m| m.id == matrix.id)
        .unwrap();
    assert_eq!((layers.matrix, layers.row), (i + 1, 2));
}

#[test]
fn esc_after_number_keys_follows_no_stale_trail_nor_clears_a_filter() {
    let mut app = app();
    // A trail: Teams -> Enter -> Components filtered by owner.
    keys(&mut app, "3");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab(), Tab::Components);
    let owner = app.tabs().components.filters.owner.clone();
    assert!(owner.is_some());
    // Number keys away and back: a new start. Esc stays on Components
    // (no trail: it clears the filters, as a filtered table's Esc does).
    keys(&mut app, "54");
    assert_eq!(app.tabs().components.filters.owner, owner);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.tab(), Tab::Components, "Esc followed a stale trail");
    keys(&mut app, "2");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.tab(), Tab::Layers);
    // Enter still leaves a trail Esc follows.
    keys(&mut app, "3");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.tab(), Tab::Teams);
}

#[test]
fn t_on_a_history_commit_shows_its_subjects_card_not_an_old_pin() {
    let mut app = app();
    // Pin a team first.
    keys(&mut app, "3t");
    let pinned = app.tabs().triage.pinned.clone();
    assert!(pinned.is_some());
    keys(&mut app, "5");
    walk(&mut app);
    // The founding commit: its first change's subject.
    key(&mut app, KeyCode::End);
    let first = app.data().walk.entries.last().unwrap().changes[0]
        .subject
        .clone();
    keys(&mut app, "t");
    assert_eq!(app.tab(), Tab::Triage);
    assert_eq!(app.tabs().triage.pinned.as_ref(), Some(&first));
    assert_ne!(app.tabs().triage.pinned, pinned);
    // A commit with no boundary change has no card: said, no old pin.
    keys(&mut app, "5");
    let walk = &app.data().walk;
    if let Some(i) = walk.entries.iter().position(|e| e.changes.is_empty()) {
        let row = app
            .tabs()
            .history
            .shown(walk)
            .iter()
            .position(|&x| x == i)
            .unwrap();
        key(&mut app, KeyCode::Home);
        for _ in 0..row {
            key(&mut app, KeyCode::Down);
        }
        keys(&mut app, "t");
        assert_eq!(app.tab(), Tab::History);
        assert_eq!(
            app.message(),
            Some("Nothing selected here has a triage card.")
        );
    }
}

#[test]
fn history_for_one_subject_has_an_author_column_dates_and_its_changes_first() {
    let mut app = app();
    keys(&mut app, "5");
    walk(&mut app);
    // A component the founding commit added among many other changes.
    let founding = app.data().walk.entries.last().unwrap().clone();
    assert!(founding.changes.len() > 2);
    let subject = founding
        .changes
        .iter()
        .rev()
        .find(|c| c.subject.kind == demarc::model::SubjectKind::Component)
        .unwrap()
        .subject
        .clone();
    let component = subject.id.clone();
    app.go_subject(&subject);
    keys(&mut app, "h");
    assert_eq!(app.tab(), Tab::History);
    // The oldest commit (the founding one) changes many things.
    key(&mut app, KeyCode::End);
    let screen = render(&mut app, 200, 60);
    assert!(
        screen.contains(&format!("changes are about {component}:")),
        "{screen}"
    );
    assert!(screen.contains("▸ component added"), "{screen}");
    assert!(screen.contains("The commit's other changes:"), "{screen}");
    // The author column.
    let entry = &app.data().walk.entries.last().unwrap().commit;
    let author: String = entry.author.chars().take(10).collect();
    assert!(screen.contains(&author), "{screen}");
    // A date range: a bad one is said in place, a good one applies.
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "x5d");
    keys(&mut app, "2026-13-01");
    key(&mut app, KeyCode::Enter);
    let screen = render(&mut app, 200, 60);
    assert!(screen.contains("is not a time"), "{screen}");
    press(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    keys(&mut app, "..2026-02-01");
    key(&mut app, KeyCode::Enter);
    let dates = app.tabs().history.filter.dates.unwrap();
    let walk = &app.data().walk;
    let shown = app.tabs().history.shown(walk);
    assert!(!shown.is_empty());
    assert!(
        shown
            .iter()
            .all(|&i| dates.contains(&walk.entries[i].commit.time))
    );
    assert!(shown.len() < walk.entries.len());
    assert!(render(&mut app, 200, 60).contains("dates=..2026-02-01"));
}

#[test]
fn layers_and_matrices_filter_their_rows_in_place() {
    let mut app = app();
    let model = app.model().unwrap().clone();
    keys(&mut app, "2f");
    keys(&mut app, "cloud");
    let layers = &app.tabs().layers;
    let shown = layers.shown_rows(&model);
    assert!(!shown.is_empty() && shown.len() < model.layers.len());
    assert_eq!(layers.row, shown[0], "the selection is on a row shown");
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains(&format!(
            "rows {}/{} · /cloud▏",
            shown.len(),
            model.layers.len()
        )),
        "{screen}"
    );
    key(&mut app, KeyCode::Enter);
    // Down stays among the rows shown.
    for _ in 0..5 {
        key(&mut app, KeyCode::Down);
    }
    assert!(shown.contains(&app.tabs().layers.row));
    // The next matrix starts unfiltered.
    keys(&mut app, "m");
    assert!(!app.tabs().layers.filter.is_active());
    let matrix = &model.matrices[0];
    let word = matrix
        .rows
        .last()
        .unwrap()
        .name
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    keys(&mut app, "f");
    keys(&mut app, &word);
    let rows = app.tabs().layers.shown_rows(&model);
    assert!(rows.iter().all(|&r| {
        let row = &matrix.rows[r];
        format!("{} {}", row.name, row.roles.join(" "))
            .to_lowercase()
            .contains(&word.to_lowercase())
    }));
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.tabs().layers.shown_rows(&model).len(),
        matrix.rows.len()
    );
}

#[test]
fn search_hits_show_the_cli_id_and_the_field_that_matched() {
    let mut app = app();
    let model = app.model().unwrap().clone();
    let team = model
        .teams
        .iter()
        .find(|t| t.oncall.as_ref().is_some_and(|o| o.pager.is_some()) && t.id != t.name)
        .unwrap();
    let pager = team.oncall.as_ref().unwrap().pager.clone().unwrap();
    let index = demarc::search::Index::build(&model);
    let mut results = demarc::search::Searcher::new(index).search(&pager, 50);
    keys(&mut app, "/");
    keys(&mut app, &pager);
    if let Some(Popup::Search(s)) = app.popup() {
        results.seq = s.seq;
    }
    app.on_search_results(results);
    let screen = render(&mut app, 160, 40);
    let line = screen
        .lines()
        .find(|l| l.contains(&format!("  {}  ", team.id)))
        .unwrap_or_else(|| panic!("no hit shows the id {}:\n{screen}", team.id));
    assert!(line.contains("[pager: "), "{line}");
    assert!(line.contains(&team.name), "{line}");
}
