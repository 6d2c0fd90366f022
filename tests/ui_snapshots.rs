//! The dashboard drawn into ratatui's TestBackend from the sample
//! repository: every view at 120x40 and 80x24, the popups, the "too small"
//! note; and the behaviour behind the keys (follow and back, reload keeping
//! the selection, mouse, every size without a panic).

mod support;

use crossterm::event::{
    Event as Input, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use demarc::app::keymap::Keymap;
use demarc::app::{App, Event, Tab, Target};
use demarc::repo::{self, Repo, Source};
use demarc::ui::{self, theme::Theme};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::{Terminal, backend::TestBackend};
use support::screens::{app, load, sample, sample_dir};

/// Runs the history walk the History tab asked for, synchronously.
fn walk(app: &mut App) {
    use demarc::app::msg::Request;
    let asked = app.take_requests_where(|r| matches!(r, Request::History { .. }));
    if asked.is_empty() {
        return;
    }
    let repo = Repo::open(sample_dir(), None).unwrap();
    let (entries, summary) = demarc::history::collect(&repo, Default::default()).unwrap();
    let generation = app.data().walk.generation;
    app.on_history_batch(generation, entries, summary.progress);
    // The trends series the walker thread would send from the same walk.
    let trends = demarc::trends::collect(&repo, Default::default(), Default::default(), None);
    let trends = trends.unwrap();
    let data = demarc::app::msg::TrendsData {
        month: trends.series_by(demarc::trends::By::Month),
        quarter: trends.series_by(demarc::trends::By::Quarter),
        done: true,
    };
    app.on_trends(generation, data);
    app.on_history_end(generation, None);
}

fn terminal(w: u16, h: u16) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(w, h)).unwrap()
}

fn render(app: &mut App, w: u16, h: u16) -> String {
    app.resize(w, h);
    let mut term = terminal(w, h);
    term.draw(|f| ui::draw(f, app, &Theme::default_dark()))
        .unwrap();
    term.backend().to_string()
}

fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

#[test]
fn every_view_at_two_sizes() {
    for tab in Tab::ALL {
        for (w, h) in [(120, 40), (80, 24)] {
            let mut app = app();
            key(
                &mut app,
                KeyCode::Char(char::from(b'1' + tab.index() as u8)),
            );
            assert_eq!(app.tab(), tab);
            walk(&mut app);
            let screen = render(&mut app, w, h);
            insta::assert_snapshot!(format!("{}_{w}x{h}", tab.title().to_lowercase()), screen);
        }
    }
}

#[test]
fn views_with_a_selection_moved() {
    let mut app = app();
    // Pillars: the third pillar, fourth row.
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    keys(&mut app, "jjj");
    insta::assert_snapshot!("pillars_security_120x40", render(&mut app, 120, 40));
    // Layers by kind, on the orchestration row.
    keys(&mut app, "2vjj");
    insta::assert_snapshot!("layers_by_kind_120x40", render(&mut app, 120, 40));
    // The first optional matrix.
    keys(&mut app, "m");
    insta::assert_snapshot!("layers_matrix_120x40", render(&mut app, 120, 40));
    // Components sorted by owner, filtered to a layer picked with
    // type-ahead.
    keys(&mut app, "4ssssL");
    insta::assert_snapshot!("components_layer_picker_120x40", render(&mut app, 120, 40));
    keys(&mut app, "app");
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(
        "components_sorted_filtered_120x40",
        render(&mut app, 120, 40)
    );
}

#[test]
fn help_overlay() {
    let mut app = app();
    keys(&mut app, "?");
    insta::assert_snapshot!("help_120x40", render(&mut app, 120, 40));
    insta::assert_snapshot!("help_80x24", render(&mut app, 80, 24));
}

#[test]
fn findings_panel() {
    let mut app = app();
    keys(&mut app, "!");
    insta::assert_snapshot!("findings_120x40", render(&mut app, 120, 40));
    insta::assert_snapshot!("findings_80x24", render(&mut app, 80, 24));
}

#[test]
fn too_small_note() {
    let mut app = app();
    insta::assert_snapshot!("too_small_40x8", render(&mut app, 40, 8));
}

#[test]
fn no_size_panics() {
    let mut app = app();
    keys(&mut app, "5");
    walk(&mut app);
    keys(&mut app, "4t");
    for tab in Tab::ALL {
        app.show(tab);
        for popup in [None, Some("?"), Some("!"), Some("/kafka")] {
            app.close_popup();
            if let Some(c) = popup {
                keys(&mut app, c);
            }
            for w in (1..=130).step_by(7) {
                for h in (1..=42).step_by(3) {
                    render(&mut app, w, h);
                }
            }
        }
    }
}

#[test]
fn enter_follows_the_owner_and_esc_comes_back() {
    let mut app = app();
    keys(&mut app, "4");
    keys(&mut app, "j");
    let model = app.model().unwrap();
    let rows = demarc::app::tabs::components::component_rows(model, &app.tabs().components);
    let owner = rows[1].owner.clone();
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab(), Tab::Teams);
    let team = &app.model().unwrap().teams[app.tabs().teams.rows.selected];
    assert_eq!(team.id, owner);
    // Enter on a team shows its components.
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab(), Tab::Components);
    assert_eq!(
        app.tabs().components.filters.owner.as_deref(),
        Some(owner.as_str())
    );
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.tab(), Tab::Teams);
    key(&mut app, KeyCode::Backspace);
    assert_eq!(app.tab(), Tab::Components);
    assert_eq!(app.tabs().components.rows.selected, 1);
    assert!(!app.can_go_back());
}

#[test]
fn a_layer_cell_opens_its_components() {
    let mut app = app();
    keys(&mut app, "2");
    // Find a cell with components and go there.
    let model = app.model().unwrap().clone();
    let facts = app.data().facts.clone();
    let cols = demarc::app::tabs::layers::matrix_columns(&model, false);
    let (row, col) = (0..model.layers.len())
        .flat_map(|r| (0..cols.len()).map(move |c| (r, c)))
        .find(|&(r, c)| {
            !demarc::app::tabs::layers::matrix_cell(&model, &facts, &model.layers[r], &cols[c])
                .components
                .is_empty()
        })
        .unwrap();
    for _ in 0..row {
        key(&mut app, KeyCode::Down);
    }
    for _ in 0..col {
        key(&mut app, KeyCode::Right);
    }
    let expected =
        demarc::app::tabs::layers::matrix_cell(&model, &facts, &model.layers[row], &cols[col])
            .components
            .len();
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab(), Tab::Components);
    let shown = demarc::app::tabs::components::component_rows(&model, &app.tabs().components).len();
    assert_eq!(shown, expected);
}

#[test]
fn a_finding_jumps_to_its_subject() {
    let mut app = app();
    let loaded = sample();
    let i = loaded
        .diagnostics
        .iter()
        .position(|d| {
            d.subject
                .as_ref()
                .is_some_and(|s| s.kind == demarc::model::SubjectKind::Component)
        })
        .unwrap();
    let subject = loaded.diagnostics[i].subject.clone().unwrap();
    keys(&mut app, "!");
    for _ in 0..i {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    assert!(app.popup().is_none());
    assert_eq!(app.tab(), Tab::Components);
    let model = app.model().unwrap();
    let rows = demarc::app::tabs::components::component_rows(model, &app.tabs().components);
    assert_eq!(rows[app.tabs().components.rows.selected].id, subject.id);
}

#[test]
fn reload_keeps_the_selection_by_id() {
    let mut app = app();
    keys(&mut app, "4jjjj");
    let before = {
        let model = app.model().unwrap();
        demarc::app::tabs::components::component_rows(model, &app.tabs().components)[4]
            .id
            .clone()
    };
    // A new version whose first component is gone: the index shifts, the id stays.
    let mut next = sample();
    next.model.components.retain(|c| c.id != "ai-gateway");
    app.on_loaded(Ok(next));
    let model = app.model().unwrap();
    let rows = demarc::app::tabs::components::component_rows(model, &app.tabs().components);
    assert_eq!(rows[app.tabs().components.rows.selected].id, before);
    assert_eq!(app.tabs().components.rows.selected, 3);
    // A failed reload keeps the model and says why.
    app.on_loaded(Err(demarc::repo::Error("teams/x.toml vanished.".into())));
    assert!(app.model().is_some());
    assert!(render(&mut app, 120, 40).contains("teams/x.toml vanished."));
}

#[test]
fn mouse_clicks_tabs_and_rows_and_the_wheel_scrolls() {
    let mut app = app();
    app.resize(120, 40);
    let area = Rect::new(0, 0, 120, 40);
    render(&mut app, 120, 40);
    let click = |app: &mut App, x: u16, y: u16| {
        let ev = Input::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        });
        app.on_event(Event::Input(ev), |app, x, y| ui::hit_test(app, area, x, y));
    };
    let (_, _, x, _) = ui::tab_spans(120)[3];
    click(&mut app, x + 2, 1);
    assert_eq!(app.tab(), Tab::Components);
    render(&mut app, 120, 40);
    // The table's header is at row 3; row 4 is the first component.
    click(&mut app, 10, 7);
    assert_eq!(app.tabs().components.rows.selected, 3);
    assert_eq!(ui::hit_test(&app, area, 10, 4), Some(Target::Row(0)));
    let wheel = Input::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 10,
        row: 10,
        modifiers: KeyModifiers::NONE,
    });
    app.on_event(Event::Input(wheel), |_, _, _| None);
    assert_eq!(app.tabs().components.rows.selected, 4);
}

#[test]
fn mono_shows_the_selection_in_reverse_video() {
    let mut app = app();
    keys(&mut app, "3");
    app.resize(120, 40);
    let mut term = terminal(120, 40);
    term.draw(|f| ui::draw(f, &app, &Theme::mono())).unwrap();
    let buffer = term.backend().buffer();
    // The first team's row (y = 4) is selected.
    let cell = &buffer[(5, 4)];
    assert!(cell.modifier.contains(Modifier::REVERSED), "{cell:?}");
    assert!(!buffer[(5, 5)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn repository_text_is_sanitized_before_drawing() {
    let mut loaded = sample();
    loaded.model.settings.org = "Evil\x1b[2J Corp".into();
    let mut app = App::new(Keymap::default());
    app.on_loaded(Ok(loaded));
    let screen = render(&mut app, 120, 40);
    assert!(!screen.contains('\x1b'));
    assert!(screen.contains("Evil\\u{1b}[2J Corp"));
}

/// docs/dashboard.md's key table is the key map's: a row per action.
#[test]
fn the_documented_key_table_is_the_key_map() {
    let keymap = Keymap::default();
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/dashboard.md")).unwrap();
    let mut expected = String::new();
    let mut missing = Vec::new();
    for (action, _) in &keymap.bindings {
        let keys: Vec<String> = keymap
            .keys(*action)
            .iter()
            .map(|k| format!("`{k}`"))
            .collect();
        let row = format!(
            "| {} | {} | `{}` | {} |",
            keys.join(" "),
            action.context().title(),
            action.name(),
            action.description()
        );
        if !docs.contains(&row) {
            missing.push(row.clone());
        }
        expected.push_str(&row);
        expected.push('\n');
    }
    assert!(
        missing.is_empty(),
        "docs/dashboard.md lacks:\n{}\nThe whole table:\n{expected}",
        missing.join("\n")
    );
    // And nothing else: the table is the key map's, row for row, in its
    // order (a key taken out of the map leaves no stale row behind).
    let header = "| keys | where | action | what it does |\n|---|---|---|---|\n";
    let table = docs
        .split_once(header)
        .map(|(_, rest)| rest)
        .expect("docs/dashboard.md has the key table");
    let rows: String = table
        .lines()
        .take_while(|l| l.starts_with('|'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        rows, expected,
        "docs/dashboard.md's key table is not the key map's"
    );
}

/// The README's key table is a summary (keys grouped by what they do), but
/// every key of the default key map is in it: a key added to the map and
/// not to the README fails here.
#[test]
fn the_readme_key_table_names_every_key_of_the_key_map() {
    let keymap = Keymap::default();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table: String = readme
        .split_once("### Keys\n")
        .expect("the README has a Keys section")
        .1
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut missing = Vec::new();
    for (action, _) in &keymap.bindings {
        for key in keymap.keys(*action) {
            let key = key.to_string();
            // `1`…`7` stands for the seven tab keys.
            let ranged =
                key.len() == 1 && key.as_bytes()[0].is_ascii_digit() && table.contains("`1`…`7`");
            if !ranged && !table.contains(&format!("`{key}`")) {
                missing.push(format!("`{key}` ({})", action.name()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "the README's key table lacks: {}",
        missing.join(", ")
    );
}

#[test]
fn t_pins_the_selected_subject_in_triage_and_esc_comes_back() {
    let mut app = app();
    keys(&mut app, "4jj");
    let id = {
        let model = app.model().unwrap();
        demarc::app::tabs::components::component_rows(model, &app.tabs().components)[2]
            .id
            .clone()
    };
    keys(&mut app, "t");
    assert_eq!(app.tab(), Tab::Triage);
    assert_eq!(
        app.tabs().triage.pinned.as_ref().map(|s| s.id.as_str()),
        Some(id.as_str())
    );
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains(&format!("▸ component {id}")), "{screen}");
    insta::assert_snapshot!("triage_pinned_120x40", screen);
    // Enter on a scenario row opens its first component.
    keys(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab(), Tab::Components);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.tab(), Tab::Triage);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.tab(), Tab::Components);
    assert_eq!(app.tabs().components.rows.selected, 2);
    // From the findings panel, t takes the finding's subject.
    keys(&mut app, "!t");
    assert!(app.popup().is_none());
    assert_eq!(app.tab(), Tab::Triage);
    assert!(app.tabs().triage.pinned.is_some());
}

#[test]
fn j_and_k_scroll_the_detail_pane_and_a_move_resets_it() {
    let mut app = app();
    keys(&mut app, "3");
    let top = render(&mut app, 80, 24);
    keys(&mut app, "J");
    assert_eq!(app.detail(), 3);
    let scrolled = render(&mut app, 80, 24);
    assert_ne!(top, scrolled);
    // The team list does not move; only the scope does.
    assert_eq!(app.tabs().teams.rows.selected, 0);
    keys(&mut app, "K");
    assert_eq!(render(&mut app, 80, 24), top);
    keys(&mut app, "JJj");
    assert_eq!(app.detail(), 0);
    // Scrolling never runs past the text.
    for _ in 0..500 {
        keys(&mut app, "J");
    }
    assert!(render(&mut app, 80, 24).contains("Scope"));
}

#[test]
fn time_travel_shows_the_commit_in_the_title_and_n_comes_back() {
    use demarc::app::msg::{LoadRequest, Request};
    let mut app = app();
    walk(&mut app);
    app.travel(Source::Rev("HEAD~3".into()));
    assert!(
        matches!(app.requests(), [Request::Load(LoadRequest::Source(Source::Rev(r)))] if r == "HEAD~3")
    );
    app.take_requests();
    app.on_loaded(Ok(load(&Source::Rev("HEAD~3".into()))));
    let screen = render(&mut app, 120, 40);
    insta::assert_snapshot!("time_travel_title_120x40", screen.lines().next().unwrap());
    assert!(screen.contains("n: back to now"));
    keys(&mut app, "n");
    assert!(matches!(
        app.requests(),
        [Request::Load(LoadRequest::Source(Source::WorkTree))]
    ));
    assert_eq!(app.data().shown, Source::WorkTree);
    app.take_requests();
    keys(&mut app, "n");
    assert!(app.requests().is_empty());
}

#[test]
fn history_fills_in_filters_and_time_travels() {
    use demarc::app::msg::{LoadRequest, Request};
    let mut app = app();
    keys(&mut app, "5");
    assert!(matches!(
        app.requests(),
        [Request::History { generation: 1 }]
    ));
    // Batches of an older walk are dropped.
    app.on_history_batch(0, Vec::new(), Default::default());
    walk(&mut app);
    let all = app.tabs().history.shown(&app.data().walk).len();
    assert!(all >= 20, "{all}");
    // The kind filter (picked: the first kind after "any") keeps only
    // commits with such a change.
    keys(&mut app, "c");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let kind = app.tabs().history.filter.kind.unwrap();
    let shown = app.tabs().history.shown(&app.data().walk);
    assert!(!shown.is_empty() && shown.len() < all);
    assert!(shown.iter().all(|&i| {
        app.data().walk.entries[i]
            .changes
            .iter()
            .any(|c| c.kind == kind)
    }));
    keys(&mut app, "x");
    // Typed words filter by message, author and change text; Enter ends typing.
    keys(&mut app, "fkafka");
    assert_eq!(app.tabs().history.filter.text, "kafka");
    key(&mut app, KeyCode::Enter);
    assert!(!app.tabs().history.typing);
    assert!(app.tabs().history.shown(&app.data().walk).len() < all);
    insta::assert_snapshot!("history_text_filter_120x40", render(&mut app, 120, 40));
    // Enter time travels to the selected commit.
    let id = app.data().walk.entries[app.tabs().history.shown(&app.data().walk)[0]]
        .commit
        .id
        .clone();
    key(&mut app, KeyCode::Enter);
    assert!(
        matches!(app.requests(), [Request::Load(LoadRequest::Source(Source::Rev(r)))] if *r == id)
    );
}

#[test]
fn h_opens_the_history_of_the_selected_team() {
    let mut app = app();
    keys(&mut app, "3jjj");
    let team = app.model().unwrap().teams[3].id.clone();
    keys(&mut app, "h");
    assert_eq!(app.tab(), Tab::History);
    assert_eq!(
        app.tabs().history.filter.team.as_deref(),
        Some(team.as_str())
    );
    walk(&mut app);
    let shown = app.tabs().history.shown(&app.data().walk);
    assert!(!shown.is_empty());
    assert!(shown.iter().all(|&i| {
        app.data().walk.entries[i]
            .changes
            .iter()
            .any(|c| c.involves_team(&team))
    }));
    insta::assert_snapshot!("history_of_team_80x24", render(&mut app, 80, 24));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.tab(), Tab::Teams);
}

#[test]
fn search_popup_results_update_each_key_and_enter_jumps() {
    use demarc::app::msg::Request;
    use demarc::search::{Index, Searcher};
    let mut app = app();
    let mut searcher = Searcher::new(Index::build(app.model().unwrap()));
    keys(&mut app, "/");
    assert!(matches!(
        app.popup(),
        Some(demarc::app::popup::Popup::Search(_))
    ));
    // Typed keys are the query, not commands (q does not quit).
    keys(&mut app, "kfq");
    assert!(!app.quit());
    key(&mut app, KeyCode::Backspace);
    let queries: Vec<String> = app
        .take_requests()
        .into_iter()
        .filter_map(|r| match r {
            Request::Search { query } => Some(query),
            _ => None,
        })
        .collect();
    // Opening asks the empty query (everything), then each key its own.
    assert_eq!(queries, ["", "k", "kf", "kfq", "kf"]);
    // A stale answer (an older sequence number) is dropped.
    app.search_sent(7);
    let mut old = searcher.search("k", 50);
    old.seq = 6;
    app.on_search_results(old);
    let Some(demarc::app::popup::Popup::Search(s)) = app.popup() else {
        panic!()
    };
    assert!(s.results.is_none());
    let mut fresh = searcher.search("kf", 50);
    fresh.seq = 7;
    let first = fresh.hits[0].subject.clone();
    app.on_search_results(fresh);
    insta::assert_snapshot!("search_120x40", render(&mut app, 120, 40));
    key(&mut app, KeyCode::Enter);
    assert!(app.popup().is_none());
    assert_eq!(app.search_history(), ["kf"]);
    let shown = match first.kind {
        demarc::model::SubjectKind::Component => app
            .tabs()
            .components
            .selected(&app.ctx())
            .unwrap()
            .id
            .clone(),
        demarc::model::SubjectKind::Team => app.model().unwrap().teams
            [app.tabs().teams.rows.selected]
            .id
            .clone(),
        _ => first.id.clone(),
    };
    assert_eq!(shown, first.id);
    // Up recalls the last query.
    keys(&mut app, "/");
    key(&mut app, KeyCode::Up);
    let Some(demarc::app::popup::Popup::Search(s)) = app.popup() else {
        panic!()
    };
    assert_eq!(s.query, "kf");
    key(&mut app, KeyCode::Esc);
    assert!(app.popup().is_none());
}

/// Runs the loader's "aside" reads (the Triage tab's "as of") synchronously.
fn read_asides(app: &mut App) {
    use demarc::app::msg::{LoadRequest, Request};
    use demarc::dashboard::loader::read_aside;
    let asides: Vec<_> = app
        .take_requests_where(|r| matches!(r, Request::Load(LoadRequest::Aside(_))))
        .into_iter()
        .filter_map(|r| match r {
            Request::Load(LoadRequest::Aside(a)) => Some(a),
            _ => None,
        })
        .collect();
    let repo = Repo::open(sample_dir(), None).unwrap();
    for aside in asides {
        app.on_event(read_aside(&repo, aside), |_, _, _| None);
    }
}

/// A triage app "now" = 2026-06-01, two weeks after kafka moved from
/// platform-data to platform-streaming, with the history walked.
fn triage_app() -> App {
    let mut app = app();
    app.set_clock(chrono::DateTime::parse_from_rfc3339("2026-06-01T12:00:00Z").unwrap());
    key(&mut app, KeyCode::Char('6'));
    walk(&mut app);
    app
}

#[test]
fn triage_input_finds_a_symptom_and_the_card_shows_recent_moves() {
    let mut app = triage_app();
    keys(&mut app, "iconsumer lag");
    // While the input has the focus, letters type (q does not quit).
    assert!(!app.quit());
    key(&mut app, KeyCode::Enter);
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("find consumer lag"), "{screen}");
    assert!(
        screen.contains("Kafka consumer lag  [scenario]"),
        "{screen}"
    );
    // A shared component: the kafka card, with the owner move 14 days ago.
    keys(&mut app, "i");
    for _ in 0.."consumer lag".len() {
        key(&mut app, KeyCode::Backspace);
    }
    keys(&mut app, "kafka");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.tab(), Tab::Triage, "Esc leaves the input, not the tab");
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("pagerduty:PS3T8W"), "{screen}");
    assert!(screen.contains("WARNING"), "{screen}");
    assert!(screen.contains("platform-data"), "{screen}");
    insta::assert_snapshot!("triage_kafka_recent_120x40", screen);
    // y copies the owner's pager through OSC 52 (the run loop writes it).
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(app.take_clipboard().as_deref(), Some("pagerduty:PS3T8W"));
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("copied pagerduty:PS3T8W (platform-streaming's pager) to the clipboard"),
        "{screen}"
    );
}

#[test]
fn triage_as_of_an_incident_shows_then_and_what_differs_now() {
    let mut app = triage_app();
    keys(&mut app, "ikafka");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "@2026-05-01");
    key(&mut app, KeyCode::Enter);
    // The time is resolved by the loader, not on the UI thread.
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("reading 2026-05-01"), "{screen}");
    read_asides(&mut app);
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("as of 2026-05-01 23:59"), "{screen}");
    assert!(
        screen.contains("owner: platform-data → platform-streaming (now)"),
        "{screen}"
    );
    insta::assert_snapshot!("triage_kafka_as_of_120x40", screen);
    // A time that cannot be read is rejected in place: the input stays
    // open with the reason beside it, and the card stays as of 2026-05-01.
    keys(&mut app, "@");
    app.on_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    keys(&mut app, "yesterday");
    key(&mut app, KeyCode::Enter);
    assert!(app.requests().is_empty(), "nothing is sent to the loader");
    assert_eq!(app.data().as_of.as_ref().unwrap().when, "2026-05-01");
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("as of yesterday▏"), "{screen}");
    assert!(screen.contains("✗ `yesterday` is not a time"), "{screen}");
    assert!(screen.contains("as of 2026-05-01 23:59"), "{screen}");
    // Ctrl-W deletes the word; Esc cancels and the previous moment stays.
    app.on_key(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
    assert_eq!(app.tabs().triage.at_text, "");
    key(&mut app, KeyCode::Esc);
    assert!(app.tabs().triage.editing.is_none());
    assert_eq!(app.data().as_of.as_ref().unwrap().when, "2026-05-01");
    // Empty: back to now.
    keys(&mut app, "@");
    app.on_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    key(&mut app, KeyCode::Enter);
    assert!(app.data().as_of.is_none());
    assert!(!render(&mut app, 120, 40).contains("Since then"));
    // Before the first commit: an empty version, said so in the header.
    keys(&mut app, "@2025-01-01");
    key(&mut app, KeyCode::Enter);
    read_asides(&mut app);
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("before the first commit: no data yet"),
        "{screen}"
    );
    assert!(screen.contains("It did not exist then."), "{screen}");
}

#[test]
fn components_and_teams_say_since_when_and_by_whom() {
    use demarc::model::{Subject, SubjectKind};
    let mut app = app();
    // Before the walker has delivered, the line says it is coming.
    app.go_subject(&Subject::new(SubjectKind::Component, "kafka"));
    assert_eq!(app.tab(), Tab::Components);
    assert!(render(&mut app, 120, 40).contains("Owner since ? (reading the history…)"));
    walk(&mut app);
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("Owner since 2026-05-18 by Priya Natarajan (a62b987)"),
        "{screen}"
    );
    insta::assert_snapshot!("components_owner_since_120x40", screen);
    app.go_subject(&Subject::new(SubjectKind::Team, "payments"));
    assert_eq!(app.tab(), Tab::Teams);
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("On call since 2026-10-27 by Amara Nwosu (661145d)"),
        "{screen}"
    );
    insta::assert_snapshot!("teams_oncall_since_120x40", screen);
    // Time travelling to before the move: the history (from HEAD) names
    // another owner than the one shown, so nothing is claimed.
    app.go_subject(&Subject::new(SubjectKind::Component, "kafka"));
    app.travel(Source::Rev("a62b987~1".into()));
    app.on_loaded(Ok(load(&Source::Rev("a62b987~1".into()))));
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("platform-data"), "{screen}");
    assert!(!screen.contains("Owner since"), "{screen}");
}

/// A copy of the sample whose components/data.toml (postgres, redis, …)
/// does not parse, read as the loader reads it.
#[test]
fn a_file_that_did_not_load_is_said_in_the_title_and_on_the_card_and_never_guessed() {
    let dir = tempfile::tempdir().unwrap();
    demarc::sample::build(dir.path()).unwrap();
    let file = dir.path().join("components/data.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("owner = \"platform-data\"", "owner = \"platform-data", 1),
    )
    .unwrap();
    let repo = Repo::open(dir.path(), None).unwrap();
    let fa = repo::load_for_answers(&repo, &Source::WorkTree).unwrap();
    let mut facts = demarc::model::facts::Facts::build(&fa.loaded.model);
    facts.unloaded = fa.unloaded;
    let mut app = App::new(Keymap::default());
    app.on_loaded_with_facts(Ok((fa.loaded, facts)));
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("⚠ INCOMPLETE: components/data.toml:"),
        "{screen}"
    );
    key(&mut app, KeyCode::Char('6'));
    keys(&mut app, "iredis");
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("redis is defined in"), "{screen}");
    assert!(
        screen.contains("! Incomplete data: 1 file did not load"),
        "{screen}"
    );
    // No fuzzy stand-in for redis in the list.
    assert!(!screen.contains("(fuzzy)"), "{screen}");
    // Another query: fuzzy rows are marked as guesses.
    app.on_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    keys(&mut app, "kbrnts");
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("? component"), "{screen}");
    assert!(screen.contains("(fuzzy)"), "{screen}");
}
