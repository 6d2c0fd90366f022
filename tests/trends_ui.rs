//! The Trends tab drawn into ratatui's TestBackend from the sample: two
//! sizes and the mono theme (the selected team's line must stand out
//! without colour), and its keys: periods, teams, month/quarter, the
//! busiest period, and Enter into History filtered to the period.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use demarc::app::keymap::Keymap;
use demarc::app::msg::TrendsData;
use demarc::app::{App, Tab};
use demarc::repo::Repo;
use demarc::trends::By;
use demarc::ui::{self, theme::Theme};
use ratatui::style::Modifier;
use ratatui::{Terminal, backend::TestBackend};
use support::screens::{sample, sample_dir};

/// The dashboard on the sample, with the history walk and its trends
/// delivered as the walker thread would deliver them.
fn walked_app() -> App {
    let mut app = App::new(Keymap::default());
    app.on_loaded(Ok(sample()));
    let repo = Repo::open(sample_dir(), None).unwrap();
    let (entries, summary) = demarc::history::collect(&repo, Default::default()).unwrap();
    let collector = demarc::trends::collect(&repo, Default::default(), By::Month, None).unwrap();
    let generation = app.data().walk.generation;
    app.on_history_batch(generation, entries, summary.progress);
    app.on_trends(
        generation,
        TrendsData {
            month: collector.series_by(By::Month),
            quarter: collector.series_by(By::Quarter),
            done: true,
        },
    );
    app.on_history_end(generation, None);
    app.take_requests();
    app
}

fn render(app: &mut App, w: u16, h: u16) -> (String, ratatui::buffer::Buffer) {
    render_in(app, &Theme::default_dark(), w, h)
}

fn render_in(app: &mut App, theme: &Theme, w: u16, h: u16) -> (String, ratatui::buffer::Buffer) {
    app.resize(w, h);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| ui::draw(f, app, theme)).unwrap();
    (term.backend().to_string(), term.backend().buffer().clone())
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
fn trends_at_two_sizes_on_a_team() {
    let mut app = walked_app();
    // Start from payments in the Teams tab: the chart singles it out.
    keys(&mut app, "3");
    let payments = app
        .model()
        .unwrap()
        .teams
        .iter()
        .position(|t| t.id == "payments")
        .unwrap();
    app.tabs_mut().teams.rows.selected = payments;
    keys(&mut app, "7");
    assert_eq!(app.tab(), Tab::Trends);
    assert_eq!(
        app.tabs().trends.team(&app.ctx()).as_deref(),
        Some("payments")
    );
    let (wide, _) = render(&mut app, 120, 40);
    assert!(wide.contains("payments: 2 in 2026-11"), "{wide}");
    insta::assert_snapshot!("trends_payments_120x40", wide);
    let (narrow, _) = render(&mut app, 80, 24);
    insta::assert_snapshot!("trends_payments_80x24", narrow);
}

#[test]
fn mono_marks_the_selected_team_without_colour() {
    let mut app = walked_app();
    keys(&mut app, "7");
    let (screen, buffer) = render_in(&mut app, &Theme::mono(), 120, 40);
    insta::assert_snapshot!("trends_mono_120x40", screen);
    // The selected team's line is drawn in blocks, the others in dots
    // (a chart's points take no modifiers, so the marker tells them
    // apart); its legend entry is bold. No cell relies on colour.
    let chart = 3..20u16;
    let (mut blocks, mut dots) = (0, 0);
    for y in chart {
        for x in 8..119u16 {
            let cell = &buffer[(x, y)];
            match cell.symbol() {
                "█" => blocks += 1,
                "•" => dots += 1,
                _ => {}
            }
            assert_eq!(cell.fg, ratatui::style::Color::Reset, "{x},{y}: {cell:?}");
        }
    }
    assert!(blocks > 50 && dots > 50, "blocks {blocks}, dots {dots}");
    let team = app.tabs().trends.team(&app.ctx()).unwrap();
    let legend = format!("█ {team}");
    let (x, y) = screen
        .lines()
        .enumerate()
        .find_map(|(y, line)| line.find(&legend).map(|b| (line[..b].chars().count(), y)))
        .expect("the legend names the selected team");
    let name = &buffer[(x as u16 + 1, y as u16)];
    assert!(name.modifier.contains(Modifier::BOLD), "{name:?}");
}

#[test]
fn keys_pick_periods_teams_and_the_busiest() {
    let mut app = walked_app();
    keys(&mut app, "7");
    let series = app.tabs().trends.series(&app.ctx()).unwrap().clone();
    let newest = series.periods.len() - 1;
    assert_eq!(
        app.tabs().trends.period(&app.ctx()),
        Some(newest),
        "starts on the newest period"
    );
    key(&mut app, KeyCode::Down);
    assert_eq!(app.tabs().trends.period(&app.ctx()), Some(newest - 1));
    // b: the busiest period, then the next busiest, and round again.
    let busiest = series.busiest(3);
    assert_eq!(busiest.len(), 3);
    for &expected in busiest.iter().chain(busiest.first()) {
        keys(&mut app, "b");
        assert_eq!(app.tabs().trends.period(&app.ctx()), Some(expected));
    }
    // Right steps to the next team in id order.
    let teams = series.teams();
    let first = app.tabs().trends.team(&app.ctx()).unwrap();
    key(&mut app, KeyCode::Right);
    let i = teams.iter().position(|t| *t == first).unwrap();
    assert_eq!(
        app.tabs().trends.team(&app.ctx()).unwrap(),
        teams[(i + 1) % teams.len()]
    );
    // m: quarters, keeping the moment selected.
    let month = series.periods[busiest[0]].period;
    keys(&mut app, "m");
    let quarters = app.tabs().trends.series(&app.ctx()).unwrap();
    assert_eq!(quarters.by, By::Quarter);
    let q = quarters.periods[app.tabs().trends.period(&app.ctx()).unwrap()].period;
    assert!(q.first_day() <= month.first_day() && month.last_day() <= q.last_day());
    // f: the next figure.
    keys(&mut app, "f");
    let (screen, _) = render(&mut app, 120, 40);
    assert!(
        screen.contains("Load over time · tier-1 components owned"),
        "{screen}"
    );
}

#[test]
fn enter_opens_history_filtered_to_the_period_and_esc_comes_back() {
    let mut app = walked_app();
    keys(&mut app, "7b");
    let series = app.tabs().trends.series(&app.ctx()).unwrap().clone();
    let busiest = &series.periods[series.busiest(1)[0]];
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tab(), Tab::History);
    assert_eq!(app.tabs().history.filter.period, Some(busiest.period));
    let shown = app.tabs().history.shown(&app.data().walk);
    assert_eq!(shown.len(), busiest.commits);
    for &i in shown.iter() {
        assert!(
            busiest
                .period
                .contains(&app.data().walk.entries[i].commit.time)
        );
    }
    let (screen, _) = render(&mut app, 120, 40);
    assert!(
        screen.contains(&format!("period={}", busiest.period)),
        "{screen}"
    );
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.tab(), Tab::Trends);
}

#[test]
fn before_the_walk_the_tab_says_it_is_reading() {
    let mut app = App::new(Keymap::default());
    app.on_loaded(Ok(sample()));
    keys(&mut app, "7");
    let (screen, _) = render(&mut app, 80, 24);
    assert!(screen.contains("Reading the history"), "{screen}");
    // Every size draws without a panic, the walk done or not.
    let mut done = walked_app();
    keys(&mut done, "7");
    for (w, h) in [(60, 16), (61, 17), (200, 60), (100, 30)] {
        render(&mut app, w, h);
        render(&mut done, w, h);
    }
}
