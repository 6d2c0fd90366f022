//! The search popup before the search index has come (issue 17): the
//! loader builds the index after the data is shown, about a second later
//! at 200,000 components, and the run loop keeps a query typed meanwhile
//! (`search_sent(0)`) until it comes. The popup says it is searching, not
//! "Nothing matches" nor an empty list, and shows the results once they
//! come.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use demarc::app::App;
use demarc::app::msg::Request;
use demarc::app::popup::Popup;
use demarc::search::{Index, Searcher};
use demarc::ui::{self, theme::Theme};
use ratatui::{Terminal, backend::TestBackend};
use support::screens::app;

fn render(app: &mut App, w: u16, h: u16) -> String {
    app.resize(w, h);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| ui::draw(f, app, &Theme::default_dark()))
        .unwrap();
    term.backend().to_string()
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

/// What the run loop does with each query while the index is not there:
/// no sequence number (the query is kept for the index).
fn send_without_index(app: &mut App) -> Vec<String> {
    let queries: Vec<String> = app
        .take_requests()
        .into_iter()
        .filter_map(|r| match r {
            Request::Search { query } => Some(query),
            _ => None,
        })
        .collect();
    for _ in &queries {
        app.search_sent(0);
    }
    queries
}

fn waiting(app: &App) -> bool {
    match app.popup() {
        Some(Popup::Search(s)) => s.waiting_for_index,
        _ => panic!("the search popup is open"),
    }
}

#[test]
fn a_query_typed_before_the_index_says_it_is_searching_until_the_results_come() {
    let mut app = app();
    keys(&mut app, "/kf");
    assert_eq!(send_without_index(&mut app), ["", "k", "kf"]);
    assert!(waiting(&app));
    let screen = render(&mut app, 120, 40);
    insta::assert_snapshot!("search_waiting_for_the_index_120x40", screen);
    assert!(screen.contains("the search index is still loading"));
    assert!(!screen.contains("Nothing matches"));
    assert!(!screen.contains("0 found"), "nothing was searched yet");

    // The index comes: the run loop sends the kept query, whose results
    // replace the note.
    app.search_sent(3);
    assert!(!waiting(&app));
    let mut results = Searcher::new(Index::build(app.model().unwrap())).search("kf", 50);
    results.seq = 3;
    let first = results.hits[0].name.clone();
    app.on_search_results(results);
    let screen = render(&mut app, 120, 40);
    assert!(!screen.contains("still loading"), "{screen}");
    assert!(screen.contains(&first), "{screen}");
    assert!(screen.contains(" found "), "{screen}");
}

#[test]
fn a_query_with_a_number_is_not_waiting() {
    // The usual case (the index came long before the key): no note.
    let mut app = app();
    keys(&mut app, "/");
    app.take_requests();
    app.search_sent(1);
    assert!(!waiting(&app));
    let screen = render(&mut app, 120, 40);
    assert!(!screen.contains("still loading"), "{screen}");
    assert!(screen.contains("Type to search"), "{screen}");
}
