//! `cargo bench --bench load -- --dashboard`: the dashboard as a user meets
//! it, without a terminal. The same workers as `demarc` (the loader, the
//! history walker, the search worker) run on their threads; this thread
//! plays the UI thread of `dashboard::run`: it takes the events as they
//! come (a burst at a time), hands the app's requests to the workers and
//! draws a frame (ratatui's TestBackend) after each burst. Keys are typed
//! at a human pace from a script, once while the history is still being
//! walked and once after, and every turn of the UI thread is timed.
//!
//! It prints: the time from nothing to the first frame with data (the
//! whole-repository load included), the slowest turn of each key (a tab's
//! first visit included), the slowest turn that was not a key (a key typed
//! meanwhile waits for it), and this process's peak resident set.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use demarc::app::action::Action;
use demarc::app::keymap::Keymap;
use demarc::app::msg::{Event, LoadRequest, Request};
use demarc::app::{App, popup};
use demarc::dashboard::{loader, walker};
use demarc::repo::{Repo, Source};
use demarc::search::{Index, SearchWorker};
use demarc::ui::{self, theme::Theme};
use ratatui::{Terminal, backend::TestBackend, layout::Rect};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

const FRAME: (u16, u16) = (160, 48);
/// A key every this often: a quick typist.
const PACE: Duration = Duration::from_millis(120);

/// One scripted key: what it is for (the row of the table) and the key.
struct Step {
    label: String,
    key: KeyEvent,
    /// Wait for this before typing the next key (an answer of a worker).
    then_wait: Option<Wait>,
}

#[derive(Clone, Copy, PartialEq)]
enum Wait {
    AsOf,
}

fn key_of(keymap: &Keymap, action: Action) -> KeyEvent {
    let key = keymap.keys(action)[0];
    let mut modifiers = KeyModifiers::NONE;
    if key.ctrl {
        modifiers |= KeyModifiers::CONTROL;
    }
    if key.alt {
        modifiers |= KeyModifiers::ALT;
    }
    KeyEvent::new(key.code, modifiers)
}

fn typed(text: &str) -> Vec<KeyEvent> {
    text.chars()
        .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
        .collect()
}

/// Every tab, a few moves in each, a search typed, and the Triage cards
/// as of a typed moment, moved through.
fn script(keymap: &Keymap, at: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let push = |steps: &mut Vec<Step>, label: &str, key: KeyEvent| {
        steps.push(Step {
            label: label.to_string(),
            key,
            then_wait: None,
        })
    };
    let down = key_of(keymap, Action::Down);
    for (action, name) in [
        (Action::Pillars, "Pillars"),
        (Action::Layers, "Layers"),
        (Action::Teams, "Teams"),
        (Action::Components, "Components"),
        (Action::History, "History"),
        (Action::Triage, "Triage"),
        (Action::Trends, "Trends"),
    ] {
        push(
            &mut steps,
            &format!("{name}: the tab"),
            key_of(keymap, action),
        );
        for _ in 0..3 {
            push(&mut steps, &format!("{name}: down"), down);
        }
    }
    // Every other figure, by month then by quarter: each a view the tab
    // has not drawn before.
    for _ in 0..3 {
        push(
            &mut steps,
            "Trends: another figure",
            key_of(keymap, Action::TrendsFigure),
        );
    }
    push(
        &mut steps,
        "Trends: by quarter",
        key_of(keymap, Action::TrendsBy),
    );
    for _ in 0..4 {
        push(
            &mut steps,
            "Trends: another figure, by quarter",
            key_of(keymap, Action::TrendsFigure),
        );
    }
    push(
        &mut steps,
        "Trends: by month",
        key_of(keymap, Action::TrendsBy),
    );
    // Back to the figure the tab opens on, so the second pass's first
    // visit is the view the walker prepares.
    push(
        &mut steps,
        "Trends: another figure",
        key_of(keymap, Action::TrendsFigure),
    );
    push(&mut steps, "search: open", key_of(keymap, Action::Search));
    for key in typed("checkout postgres") {
        push(&mut steps, "search: a key typed", key);
    }
    push(
        &mut steps,
        "search: close",
        KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
    );
    push(
        &mut steps,
        "Triage: the tab",
        key_of(keymap, Action::Triage),
    );
    push(
        &mut steps,
        "Triage as of: open",
        key_of(keymap, Action::TriageAt),
    );
    for key in typed(at) {
        push(&mut steps, "Triage as of: a key typed", key);
    }
    push(
        &mut steps,
        "Triage as of: enter",
        KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
    );
    steps.last_mut().expect("a step").then_wait = Some(Wait::AsOf);
    for _ in 0..5 {
        push(&mut steps, "Triage as of: down", down);
    }
    push(
        &mut steps,
        "Triage as of: back to now",
        key_of(keymap, Action::TriageAt),
    );
    // The input opens on the moment in force: erased, Enter means now.
    push(
        &mut steps,
        "Triage as of: back to now",
        KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
    );
    push(
        &mut steps,
        "Triage as of: back to now",
        KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
    );
    push(
        &mut steps,
        "Pillars: the tab",
        key_of(keymap, Action::Pillars),
    );
    steps
}

/// The search worker, as `dashboard::run` keeps it.
#[derive(Default)]
struct Search {
    worker: Option<SearchWorker>,
    pending: Option<Index>,
    /// A query typed before the index came.
    waiting: Option<String>,
}

impl Search {
    fn query(&mut self, tx: &mpsc::Sender<Event>, query: &str) -> u64 {
        if self.worker.is_none()
            && let Some(index) = self.pending.take()
        {
            let tx = tx.clone();
            self.worker = Some(SearchWorker::spawn(index, move |results| {
                let _ = tx.send(Event::SearchResults(Box::new(results)));
            }));
        }
        self.worker
            .as_ref()
            .map_or(0, |w| w.query(query, popup::LIMIT))
    }
}

/// Slowest and count of the turns of one kind.
#[derive(Default, Clone)]
struct Worst {
    turns: usize,
    worst: Duration,
    total: Duration,
}

impl Worst {
    fn add(&mut self, d: Duration) {
        self.turns += 1;
        self.total += d;
        self.worst = self.worst.max(d);
    }
}

struct Report {
    data_on_screen: Duration,
    /// `check`'s findings in (they follow the data).
    findings_on_screen: Option<Duration>,
    rss_at_data_mb: f64,
    /// CPU seconds of the loader's threads when the data was on screen.
    loader_cpu_at_data: f64,
    history_done: Option<Duration>,
    /// (phase, label) -> turns, in the order first seen.
    keys: Vec<(String, Worst)>,
    /// Turns with no key: (phase, worst).
    other: Vec<(String, Worst)>,
    peak_mb: f64,
}

pub fn run(dir: &Path, data: &str, at: &str) {
    // DEMARC_BENCH_STEPS=0: the dashboard alone (to profile its threads).
    // The steps run in a process of their own (this bench again, with
    // DEMARC_BENCH_STEPS=only): run here, they loaded the whole data once
    // more before the dashboard started, and the memory they left to the
    // allocator (about 350 MB at 200,000 components) was counted as the
    // dashboard's.
    match std::env::var("DEMARC_BENCH_STEPS").as_deref() {
        Ok("0") => {}
        Ok("only") => return loader_phases(dir, data),
        _ => {
            let status = std::process::Command::new(std::env::current_exe().expect("this bench"))
                .args(std::env::args_os().skip(1))
                .env("DEMARC_BENCH_STEPS", "only")
                .status()
                .expect("the steps run");
            assert!(status.success(), "the steps failed: {status}");
        }
    }
    // Every file of the repository read once first, as the peers are
    // measured (`cat`, `git log` run warm): a cold page cache made the data
    // on screen at 200,000 components 3.3 s instead of 1.5 s (round 10).
    warm_the_page_cache(dir);
    let report = measure(dir, data, at);
    println!(
        "## The dashboard, without a terminal ({}x{})",
        FRAME.0, FRAME.1
    );
    println!();
    println!(
        "- data on screen (open, read, parse, check, facts, first frame with data): {} ms",
        report.data_on_screen.as_millis()
    );
    println!(
        "- resident set then: {:.0} MB; peak of the whole run: {:.0} MB",
        report.rss_at_data_mb, report.peak_mb
    );
    println!(
        "- the loader thread's CPU time until then: {:.2} s (user+sys)",
        report.loader_cpu_at_data
    );
    if let Some(d) = report.findings_on_screen {
        println!(
            "- findings on screen (`check` after the data): {} ms",
            d.as_millis()
        );
    }
    match report.history_done {
        Some(d) => println!(
            "- history walked (all batches in): {:.1} s",
            d.as_secs_f64()
        ),
        None => println!("- the history walk did not end"),
    }
    println!();
    println!("| UI thread turn | turns | slowest, ms | mean, ms |");
    println!("|---|---|---|---|");
    let line = |label: &str, w: &Worst| {
        println!(
            "| {label} | {} | {:.1} | {:.1} |",
            w.turns,
            w.worst.as_secs_f64() * 1e3,
            w.total.as_secs_f64() * 1e3 / w.turns.max(1) as f64
        )
    };
    for (label, w) in &report.other {
        line(label, w);
    }
    for (label, w) in &report.keys {
        line(label, w);
    }
    let worst_key = report
        .keys
        .iter()
        .max_by_key(|(_, w)| w.worst)
        .map(|(l, w)| format!("{} ms ({l})", w.worst.as_millis()))
        .unwrap_or_default();
    let worst_other = report
        .other
        .iter()
        .max_by_key(|(_, w)| w.worst)
        .map(|(l, w)| format!("{} ms ({l})", w.worst.as_millis()))
        .unwrap_or_default();
    println!();
    println!("- slowest key turn: {worst_key}");
    println!("- slowest other turn (a key typed meanwhile waits for it): {worst_other}");
}

/// Reads every file under `dir` into nothing, so the measured run finds
/// them in the page cache (and this process holds none of their bytes).
fn warm_the_page_cache(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => warm_the_page_cache(&path),
            Ok(t) if t.is_file() => {
                if let Ok(mut file) = std::fs::File::open(&path) {
                    let _ = std::io::copy(&mut file, &mut std::io::sink());
                }
            }
            _ => {}
        }
    }
}

fn measure(dir: &Path, data: &str, at: &str) -> Report {
    let started = Instant::now();
    let repo = Repo::open(dir, Some(data)).expect("the repository opens");
    let walk_repo = repo.reopener();
    let (tx, rx) = mpsc::channel();
    let walking = Arc::new(AtomicU64::new(0));
    let loader = loader::spawn(repo, Source::WorkTree, tx.clone());
    let keymap = Keymap::default();
    let steps = script(&keymap, at);
    let mut app = App::new(keymap);
    app.open_on(Source::WorkTree);
    app.resize(FRAME.0, FRAME.1);
    let mut terminal = Terminal::new(TestBackend::new(FRAME.0, FRAME.1)).expect("a terminal");
    let theme = Theme::default_dark();
    let mut search = Search::default();
    let mut draw = |app: &App| {
        terminal
            .draw(|frame| ui::draw(frame, app, &theme))
            .expect("a frame draws");
    };
    draw(&app);

    let mut data_on_screen = None;
    let mut rss_at_data_mb = 0.0;
    let mut loader_cpu_at_data = 0.0;
    let mut history_done = None;
    let mut findings_on_screen = None;
    let mut keys: Vec<(String, Worst)> = Vec::new();
    let mut other: Vec<(String, Worst)> = Vec::new();
    let add = |list: &mut Vec<(String, Worst)>, label: String, d: Duration| match list
        .iter_mut()
        .find(|(l, _)| *l == label)
    {
        Some((_, w)) => w.add(d),
        None => {
            let mut w = Worst::default();
            w.add(d);
            list.push((label, w));
        }
    };
    // Phase 0: during the walk; phase 1: after it.
    let mut phase = 0;
    let mut step = 0;
    let mut next_key = Instant::now();
    let mut waiting: Option<Wait> = None;
    let mut waiting_since = Instant::now();
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        if Instant::now() > deadline {
            eprintln!("load --dashboard: gave up after 10 minutes");
            break;
        }
        let phase_name = if phase == 0 {
            "while walking"
        } else {
            "after the walk"
        };
        let loaded = data_on_screen.is_some();
        let key_due = loaded && waiting.is_none() && step < steps.len();
        let timeout = if key_due {
            next_key.saturating_duration_since(Instant::now())
        } else {
            Duration::from_millis(200)
        };
        let first = match rx.recv_timeout(timeout) {
            Ok(ev) => Some(ev),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let turn = Instant::now();
        let mut label: Option<String> = None;
        let mut events = Vec::new();
        match first {
            Some(ev) => {
                events.push(ev);
                events.extend(rx.try_iter().take(63));
            }
            None if key_due => {
                let s = &steps[step];
                step += 1;
                label = Some(format!("{phase_name}: {}", s.label));
                waiting = s.then_wait;
                next_key = Instant::now() + PACE;
                events.push(Event::Input(crossterm::event::Event::Key(s.key)));
            }
            None => {}
        }
        let mut kinds = Vec::new();
        for ev in events {
            kinds.push(kind(&ev));
            if let Event::Checked { .. } = ev {
                findings_on_screen = Some(started.elapsed());
            }
            if let Event::HistoryEnd { .. } = ev {
                history_done.get_or_insert(started.elapsed());
            }
            if let Event::Aside { .. } = ev
                && waiting == Some(Wait::AsOf)
            {
                waiting = None;
            }
            match ev {
                Event::SearchIndex(index) => {
                    match &search.worker {
                        Some(w) => w.set_index(*index),
                        None => search.pending = Some(*index),
                    }
                    if let Some(query) = search.waiting.take() {
                        let seq = search.query(&tx, &query);
                        app.search_sent(seq);
                    }
                }
                other => {
                    let area = Rect::new(0, 0, FRAME.0, FRAME.1);
                    app.on_event(other, |app, x, y| ui::hit_test(app, area, x, y));
                }
            }
        }
        let requests = app.take_requests();
        // A key that was to wait for an answer of the loader waits only if
        // it asked for one (an "as of" the app already holds asks nothing).
        if label.is_some()
            && waiting == Some(Wait::AsOf)
            && !requests
                .iter()
                .any(|r| matches!(r, Request::Load(LoadRequest::Aside(_))))
        {
            eprintln!("load --dashboard: the as-of key asked the loader nothing");
            waiting = None;
        }
        if waiting.is_some() && label.is_some() {
            waiting_since = Instant::now();
        }
        if waiting.is_some() && waiting_since.elapsed() > Duration::from_secs(120) {
            eprintln!("load --dashboard: no as-of answer after 2 minutes; going on");
            waiting = None;
        }
        for request in requests {
            match request {
                Request::History { generation } => {
                    walking.store(generation, Ordering::SeqCst);
                    walker::spawn(
                        walk_repo.clone(),
                        generation,
                        Arc::clone(&walking),
                        tx.clone(),
                    );
                }
                Request::Search { query } => {
                    // As `dashboard::run` does: a query before the index
                    // waits for it.
                    if search.worker.is_none() && search.pending.is_none() {
                        search.waiting = Some(query);
                        continue;
                    }
                    let seq = search.query(&tx, &query);
                    app.search_sent(seq);
                }
                Request::Load(load) => loader.send(load),
                Request::Edit(_) => {}
            }
        }
        if label.is_none() && kinds.is_empty() {
            continue;
        }
        draw(&app);
        let took = turn.elapsed();
        if data_on_screen.is_none() && app.model().is_some() {
            data_on_screen = Some(started.elapsed());
            rss_at_data_mb = rss_now_mb();
            loader_cpu_at_data = threads_cpu_s(loader::THREAD);
            next_key = Instant::now() + PACE;
        }
        match label {
            Some(label) => add(&mut keys, label, took),
            None => {
                kinds.sort();
                kinds.dedup();
                add(
                    &mut other,
                    format!("{phase_name}: {}", kinds.join(" + ")),
                    took,
                )
            }
        }
        // The script again once the walk is over; then done.
        if step == steps.len() && waiting.is_none() {
            if phase == 1 {
                break;
            }
            if history_done.is_some() {
                phase = 1;
                step = 0;
                next_key = Instant::now() + PACE;
            }
        }
    }
    Report {
        data_on_screen: data_on_screen.unwrap_or_default(),
        findings_on_screen,
        rss_at_data_mb,
        loader_cpu_at_data,
        history_done,
        keys,
        other,
        peak_mb: peak_mb(),
    }
}

fn kind(ev: &Event) -> &'static str {
    match ev {
        Event::Input(_) => "input",
        Event::Tick => "tick",
        Event::Loaded(_) => "the data loaded",
        Event::Checked { .. } => "the findings",
        Event::HistoryBatch { .. } => "a history batch",
        Event::HistoryEnd { .. } => "the history's end",
        Event::Trends { .. } => "trends series",
        Event::Aside { .. } => "the as-of data",
        Event::SearchResults(_) => "search results",
        Event::SearchIndex(_) => "the search index",
        Event::Signal(_) => "signal",
    }
}

/// What the loader does before the data goes to the screen, step by step
/// on this thread (the same calls as `loader::load`), each with its wall
/// and CPU time: what to move or shorten.
fn loader_phases(dir: &Path, data: &str) {
    use demarc::model::facts::Facts;
    let repo = Repo::open(dir, Some(data)).expect("the repository opens");
    let mut rows: Vec<(&str, Duration, f64)> = Vec::new();
    let mut timed = |label: &'static str, f: &mut dyn FnMut()| {
        let (wall, cpu) = (Instant::now(), thread_cpu_s());
        f();
        rows.push((label, wall.elapsed(), thread_cpu_s() - cpu));
    };
    timed("fingerprint of the data folder (the poll)", &mut || {
        std::hint::black_box(loader::fingerprint(&repo, &Source::WorkTree));
    });
    let mut fa = None;
    timed(
        "read and parse (`load_for_answers_with`, no check)",
        &mut || {
            fa = Some(
                demarc::repo::load_for_answers_with(
                    &repo,
                    &Source::WorkTree,
                    demarc::repo::Checks::Skip,
                )
                .expect("loads"),
            );
        },
    );
    let fa = fa.expect("loaded");
    let model = &fa.loaded.model;
    let mut facts = None;
    timed("`Facts::build`", &mut || facts = Some(Facts::build(model)));
    let facts = facts.expect("built");
    timed("CODEOWNERS review", &mut || {
        std::hint::black_box(demarc::codeowners::review_repo(
            &repo,
            &Source::WorkTree,
            model,
        ));
    });
    timed("the prepared views (`loader::prepare`)", &mut || {
        std::hint::black_box(loader::prepare(model, &facts));
    });
    // Its parts.
    let first = demarc::app::tabs::components::ComponentsTab::default();
    let mut order = Vec::new();
    timed("- of which the Components order", &mut || {
        order = demarc::app::tabs::components::component_order(model, &first);
    });
    timed("- of which the Components widths", &mut || {
        std::hint::black_box(demarc::ui::views::components::cell_widths(
            order.iter().map(|&i| &model.components[i]),
        ));
    });
    timed("- of which the Layers columns", &mut || {
        let columns = demarc::app::tabs::layers::matrix_columns(model, false);
        std::hint::black_box(demarc::ui::views::layers::layer_wants_of(
            &facts, model, &columns,
        ));
    });
    timed("- of which the Pillars groups", &mut || {
        for p in &model.pillars {
            std::hint::black_box(demarc::app::tabs::pillars::owner_groups(model, p));
        }
    });
    timed("the search index (beside the above)", &mut || {
        std::hint::black_box(Index::build(model));
    });
    let later = fa.deferred_check().expect("not checked yet");
    let mut findings = Vec::new();
    timed("`check` (after the data is sent)", &mut || {
        findings = later.findings(&fa.loaded)
    });
    // What `repo::FindingsBySubject::build` does (the Triage cards'
    // index; on the UI thread before round 7), spelled out so this table
    // runs on older versions too.
    timed("the findings by subject (after `check`)", &mut || {
        let mut map: std::collections::HashMap<_, Vec<usize>> = Default::default();
        for (i, d) in findings.iter().enumerate() {
            if let Some(s) = &d.subject {
                map.entry(s.clone()).or_default().push(i);
            }
        }
        std::hint::black_box(map);
    });
    println!("## What the loader does, step by step (one thread)");
    println!();
    println!("| step | wall, ms | CPU, ms |");
    println!("|---|---|---|");
    for (label, wall, cpu) in rows {
        println!(
            "| {label} | {:.0} | {:.0} |",
            wall.as_secs_f64() * 1e3,
            cpu * 1e3
        );
    }
    println!();
    demarc::app::drop_later::drop_later((fa, facts, findings));
}

/// This thread's CPU time, in seconds.
fn thread_cpu_s() -> f64 {
    // SAFETY: timespec is plain data that clock_gettime fills in.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: writes only into the local.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

/// The CPU time (user+sys, seconds) of this process's threads named `name`.
fn threads_cpu_s(name: &str) -> f64 {
    // SAFETY: sysconf reads a constant.
    let tick = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    let mut total = 0.0;
    for task in tasks.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim() != name {
            continue;
        }
        let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
        // The fields after the command's closing parenthesis; utime and
        // stime are the 14th and 15th of the whole line.
        let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        total += (ticks(11) + ticks(12)) / tick;
    }
    total
}

fn rss_now_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn peak_mb() -> f64 {
    // SAFETY: rusage is plain data that getrusage fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: writes only into the local.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}
