//! Layout that never hides what matters (issue 18): every tab of the
//! sample, at the common terminal sizes, is drawn into a TestBackend and
//! its buffer read back; no id, owner, title or count may be cut without
//! `…`. The check reads the screen as a user would: a word on screen that
//! is the start of a repository name or id but not a word of the
//! repository itself was cut.

mod support;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use demarc::app::{App, Tab};
use demarc::repo::{self, Loaded, Repo, Source};
use demarc::ui::{self, theme::Theme};
use ratatui::{Terminal, backend::TestBackend};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;
use support::screens::{app, sample, sample_dir};

const SIZES: [(u16, u16); 5] = [(80, 24), (100, 30), (120, 40), (140, 45), (200, 60)];

/// The history walk and trends series of the sample, computed once.
fn walked() -> &'static (
    Vec<demarc::history::HistoryEntry>,
    demarc::history::Progress,
    demarc::app::msg::TrendsData,
) {
    static WALKED: OnceLock<(
        Vec<demarc::history::HistoryEntry>,
        demarc::history::Progress,
        demarc::app::msg::TrendsData,
    )> = OnceLock::new();
    WALKED.get_or_init(|| {
        let repo = Repo::open(sample_dir(), None).unwrap();
        let (entries, summary) = demarc::history::collect(&repo, Default::default()).unwrap();
        let trends =
            demarc::trends::collect(&repo, Default::default(), Default::default(), None).unwrap();
        let data = demarc::app::msg::TrendsData {
            month: trends.series_by(demarc::trends::By::Month),
            quarter: trends.series_by(demarc::trends::By::Quarter),
            done: true,
        };
        (entries, summary.progress, data)
    })
}

/// Answers the history walk the tab asked for, as the walker thread would.
fn walk(app: &mut App) {
    use demarc::app::msg::Request;
    let asked = app.take_requests_where(|r| matches!(r, Request::History { .. }));
    if asked.is_empty() {
        return;
    }
    let (entries, progress, trends) = walked().clone();
    let generation = app.data().walk.generation;
    app.on_history_batch(generation, entries, progress);
    app.on_trends(generation, trends);
    app.on_history_end(generation, None);
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

/// The screen, one string per row.
fn screen(app: &mut App, w: u16, h: u16) -> Vec<String> {
    app.resize(w, h);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| ui::draw(f, app, &Theme::default_dark()))
        .unwrap();
    let buf = term.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect()
}

/// What must never be cut: ids, owners, names and titles of the model.
fn must_show(loaded: &Loaded) -> BTreeSet<String> {
    let m = &loaded.model;
    let mut out = BTreeSet::new();
    let mut add = |s: &str| {
        for w in s.split_whitespace() {
            out.insert(trim(w).to_string());
        }
    };
    for t in &m.teams {
        add(&t.id);
        add(&t.name);
        add(&t.kind);
    }
    for c in &m.components {
        add(&c.id);
        add(&c.name);
        add(&c.owner);
    }
    for p in &m.pillars {
        add(&p.id);
        add(&p.name);
        for party in &p.primary {
            add(&party.to_string());
        }
    }
    for l in &m.layers {
        add(&l.id);
        add(&l.name);
    }
    for x in &m.matrices {
        add(&x.title);
        for p in &x.parties {
            add(&p.to_string());
        }
        for r in &x.rows {
            add(&r.name);
        }
    }
    for s in &m.scenarios {
        add(&s.id);
        add(&s.title);
    }
    out.retain(|w| w.chars().count() >= 2);
    out
}

/// Every word the repository holds (any file, any commit message) and
/// every word of demarc's own source (its labels): a word on screen that
/// is one of these was not cut, even when it starts a longer one.
fn known_words() -> BTreeSet<String> {
    fn words(text: &str, out: &mut BTreeSet<String>) {
        for w in text.split(|c: char| c.is_whitespace() || "\"=[]{}<>".contains(c)) {
            out.insert(trim(w).to_string());
        }
    }
    fn visit(dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if path.is_dir() {
                visit(&path, out);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                words(&text, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    visit(sample_dir(), &mut out);
    visit(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    for e in &walked().0 {
        words(&e.commit.message, &mut out);
    }
    out
}

/// A word without the punctuation around it.
fn trim(w: &str) -> &str {
    w.trim_start_matches(['(', '`', '\'', '"', '[', '@', '⇥'])
        .trim_end_matches([',', ';', ':', ')', '`', '\'', '"', ']', '.'])
}

fn is_frame(c: char) -> bool {
    c.is_whitespace() || ('\u{2500}'..='\u{257f}').contains(&c)
}

/// The rows of a popup (a picker, the search) drawn over a view, cropped
/// to its box; None when no popup is open.
fn popup(rows: &[String]) -> Option<Vec<String>> {
    let grid: Vec<Vec<char>> = rows.iter().map(|r| r.chars().collect()).collect();
    let (top, left) = grid.iter().enumerate().find_map(|(y, row)| {
        let text: String = row.iter().collect();
        let at = text.find("╭ Search").or_else(|| {
            text.find(" · Enter picks")
                .and_then(|end| text[..end].rfind('╭'))
        })?;
        Some((y, text[..at].chars().count()))
    })?;
    let right = (left + 1..grid[top].len()).find(|&x| grid[top][x] == '╮')?;
    let bottom = (top + 1..grid.len()).find(|&y| grid[y].get(left) == Some(&'╰'))?;
    Some(
        grid[top..=bottom]
            .iter()
            .map(|row| row[left..=right.min(row.len() - 1)].iter().collect())
            .collect(),
    )
}

/// The words of `rows` that are a proper start of a word that must show
/// and no word of the repository: text cut without `…`. Counts cut open
/// ("(1" of "(18)") too.
fn cuts(rows: &[String], must: &BTreeSet<String>, known: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for (y, row) in rows.iter().enumerate() {
        for raw in row.split(is_frame).filter(|w| !w.is_empty()) {
            if raw.contains('…') {
                continue;
            }
            let open_count = raw.starts_with('(')
                && raw.len() > 1
                && raw[1..].bytes().all(|b| b.is_ascii_digit());
            let word = trim(raw);
            let cut = word.chars().count() >= 2
                && !known.contains(word)
                && !must.contains(word)
                && must.iter().any(|m| m.starts_with(word));
            if cut || open_count {
                found.push(format!("row {y}: {raw:?} in {row:?}"));
            }
        }
    }
    found
}

/// The states a user reaches on each tab: the tab as it opens, and the
/// ones whose columns or titles differ (every pillar, the matrices, the
/// layer matrix by kind, the sort marker on the last column).
fn states() -> Vec<(&'static str, &'static str)> {
    vec![
        ("pillars", "1"),
        ("pillar 2", "1l"),
        ("pillar 3", "1ll"),
        ("pillar 4", "1lll"),
        ("pillar 5", "1llll"),
        ("pillar 6", "1lllll"),
        ("layers", "2"),
        ("layers, last columns", "2llllllllllllllll"),
        ("layers by kind", "2v"),
        ("matrix 1", "2m"),
        ("matrix 2", "2mm"),
        ("matrix 3", "2mmm"),
        ("teams", "3"),
        ("teams, last", "3G"),
        ("components", "4"),
        ("components by tier", "4sssss"),
        ("components, last", "4G"),
        ("history", "5"),
        ("triage", "6"),
        ("triage, a card", "4t"),
        ("trends", "7"),
    ]
}

#[test]
fn no_id_owner_title_or_count_is_cut_without_an_ellipsis() {
    let loaded = sample();
    let must = must_show(&loaded);
    let known = known_words();
    let mut failures = Vec::new();
    for (w, h) in SIZES {
        // The tabs, and the inputs over them: filter bars, pickers.
        for (name, path) in states().into_iter().chain(inputs()) {
            let mut app = app();
            keys(&mut app, &path[..1]);
            walk(&mut app);
            keys(&mut app, &path[1..]);
            let rows = screen(&mut app, w, h);
            // Over a popup only the popup is read: the table it covers is
            // hidden, not cut.
            let rows = popup(&rows).unwrap_or(rows);
            for cut in cuts(&rows, &must, &known) {
                failures.push(format!("{w}x{h} {name}: {cut}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} cuts without …:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_tab_is_visited() {
    let visited: BTreeSet<char> = states()
        .iter()
        .map(|(_, p)| p.as_bytes()[0] as char)
        .collect();
    for tab in Tab::ALL {
        let digit = char::from(b'1' + tab.index() as u8);
        assert!(visited.contains(&digit), "{} is not checked", tab.title());
    }
}

#[test]
fn the_check_sees_a_cut() {
    let must: BTreeSet<String> = ["platform-streaming", "Compliance", "(18)"]
        .map(String::from)
        .into();
    let known: BTreeSet<String> = ["platform"].map(String::from).into();
    let rows = vec![
        "│platform-streamin platform        3│".to_string(),
        "╭ Security & Complianc╮╭ Components by owner (1╮".to_string(),
        "│platform-stream… platform  Complian…│".to_string(),
    ];
    let found = cuts(&rows, &must, &known);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].contains("platform-streamin"));
    assert!(found[1].contains("Complianc"));
    assert!(found[2].contains("(1"));
}

#[test]
fn a_popup_is_read_alone() {
    for (path, title) in [("4L", "layer ·"), ("/", "Search")] {
        let mut a = app();
        keys(&mut a, path);
        let rows = popup(&screen(&mut a, 80, 24)).expect("the popup's box");
        assert!(rows[0].contains(title), "{rows:#?}");
        assert!(rows.last().unwrap().starts_with('╰'), "{rows:#?}");
    }
    let mut a = app();
    keys(&mut a, "4");
    assert!(popup(&screen(&mut a, 80, 24)).is_none());
}

/// Prints a screen: `SHOW=80x24:1ll cargo test --test layout_fit show -- --ignored --nocapture`.
#[test]
#[ignore = "a tool for looking, not a check"]
fn show() {
    let Ok(spec) = std::env::var("SHOW") else {
        return;
    };
    let (size, path) = spec.split_once(':').unwrap();
    let (w, h) = size.split_once('x').unwrap();
    let mut app = app();
    keys(&mut app, &path[..1]);
    walk(&mut app);
    keys(&mut app, &path[1..]);
    for row in screen(&mut app, w.parse().unwrap(), h.parse().unwrap()) {
        println!("{row}");
    }
}

fn status_bar(app: &mut App, w: u16, h: u16) -> String {
    screen(app, w, h).pop().unwrap()
}

#[test]
fn help_stays_on_the_bar_at_80_columns_and_inputs_show_their_own_keys() {
    for (name, path) in states() {
        let mut a = app();
        keys(&mut a, &path[..1]);
        walk(&mut a);
        keys(&mut a, &path[1..]);
        let line = status_bar(&mut a, 80, 24);
        assert!(line.contains("? help"), "{name}: {line:?}");
    }
    // Typing in the Triage find input: every key types, so the bar offers
    // the input's keys and not `? help  q quit`.
    let mut a = app();
    keys(&mut a, "6i");
    let line = status_bar(&mut a, 80, 24);
    assert!(!line.contains("help") && !line.contains("quit"), "{line:?}");
    assert!(
        line.contains("Enter done") && line.contains("Ctrl-U erase"),
        "{line:?}"
    );
    // The same in History's words and in the search popup.
    let mut a = app();
    keys(&mut a, "5");
    walk(&mut a);
    keys(&mut a, "f");
    let line = status_bar(&mut a, 100, 30);
    assert!(
        !line.contains("quit") && line.contains("Ctrl-W word"),
        "{line:?}"
    );
    let mut a = app();
    keys(&mut a, "/");
    let line = status_bar(&mut a, 100, 30);
    assert!(
        !line.contains("quit") && line.contains("Ctrl-U erase"),
        "{line:?}"
    );
}

/// Every text input a user can type in, reached as a user would: the
/// filters in place, the pickers' type-ahead, History's words and date
/// range, Triage's find and "as of", the search popup.
fn inputs() -> Vec<(&'static str, &'static str)> {
    vec![
        ("teams_filter", "3fplat"),
        ("components_filter", "4fkafka"),
        ("layers_filter", "2fserv"),
        ("components_layer_picker", "4Lser"),
        ("components_owner_picker", "4Oplat"),
        ("components_pillar_picker", "4P"),
        ("components_tier_picker", "4T"),
        ("history_words", "5fkafka"),
        ("history_kind_picker", "5cown"),
        ("history_dates", "5d2026-01..2026-03"),
        ("triage_find", "6ikafka"),
        ("triage_as_of", "6@2026-05-18"),
        ("search", "/kafka"),
    ]
}

#[test]
fn every_input_shows_its_own_keys_on_the_bar() {
    for (name, path) in inputs() {
        let mut a = app();
        keys(&mut a, &path[..1]);
        walk(&mut a);
        keys(&mut a, &path[1..]);
        for (w, h) in [(80, 24), (120, 40)] {
            let line = status_bar(&mut a, w, h);
            // Nothing that would be typed into the field instead.
            for typed in [
                "? help", "q quit", "/ search", "n now", "t triage", "x clear",
            ] {
                assert!(
                    !line.contains(typed),
                    "{name} {w}x{h}: {typed:?} in {line:?}"
                );
            }
            // What leaves the input, both ways.
            assert!(
                line.contains("Enter ") && line.contains("Esc "),
                "{name} {w}x{h}: {line:?}"
            );
            if w == 120 {
                assert!(line.contains("Ctrl-U erase"), "{name}: {line:?}");
                insta::assert_snapshot!(format!("input_bar_{name}"), line.trim_end());
            }
        }
    }
}

#[test]
fn a_picker_while_time_travelling_does_not_offer_now() {
    // `n` types into the picker's query: the bar must not offer it.
    let mut a = app();
    keys(&mut a, "5");
    walk(&mut a);
    a.travel(Source::Rev("HEAD~3".into()));
    a.take_requests();
    let repo = Repo::open(sample_dir(), None).unwrap();
    let snapshot = repo.snapshot(&Source::Rev("HEAD~3".into())).unwrap();
    a.on_loaded(Ok(repo::load_snapshot(
        snapshot,
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
    )));
    keys(&mut a, "4");
    let line = status_bar(&mut a, 120, 40);
    assert!(line.contains("n now"), "outside the picker: {line:?}");
    keys(&mut a, "L");
    let line = status_bar(&mut a, 120, 40);
    assert!(!line.contains("now"), "{line:?}");
    keys(&mut a, "n");
    assert_eq!(a.data().shown, Source::Rev("HEAD~3".into()), "n typed");
}

#[test]
fn reloading_clears_the_moment_the_data_arrives() {
    let mut a = app();
    keys(&mut a, "r");
    assert_eq!(a.message(), Some("Reloading…"));
    a.on_loaded(Ok(sample()));
    assert_eq!(a.message(), None);
    assert!(!status_bar(&mut a, 120, 40).contains("Reloading"));
}

#[test]
fn j_stops_at_the_end_and_k_answers_at_once_and_text_that_fits_does_not_scroll() {
    // A team's scope at 80x24 runs past the bottom.
    let mut a = app();
    keys(&mut a, "3");
    walk(&mut a);
    keys(&mut a, "jjjjjjjjj");
    let top = screen(&mut a, 80, 24);
    for _ in 0..100 {
        keys(&mut a, "J");
        screen(&mut a, 80, 24);
    }
    let end = a.detail();
    assert!(end > 0, "the scope scrolls");
    let bottom = screen(&mut a, 80, 24);
    assert_ne!(top, bottom);
    keys(&mut a, "K");
    assert!(a.detail() < end, "K moves at once after J hit the end");
    // One more J goes back to the end, not past it.
    keys(&mut a, "JJJ");
    screen(&mut a, 80, 24);
    assert_eq!(a.detail(), end);
    // At 200x60 a pillar's duties fit: J does not move them.
    let mut a = app();
    keys(&mut a, "1");
    screen(&mut a, 200, 60);
    keys(&mut a, "J");
    assert_eq!(a.detail(), 0);
}
