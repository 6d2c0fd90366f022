//! The terminal loop: set the terminal up, draw, wait on the event channel,
//! update, and restore the terminal however the loop ends (a panic included).

use super::event::{self, Event};
use super::worker::Request;
use super::{App, walker, worker};
use crate::config::Keymap;
use crate::repo::{Repo, Source};
use crate::search::{Index, SearchWorker};
use crate::ui::{self, theme::Theme};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::{cursor::Show, execute};
use ratatui::layout::Rect;
use std::io::stdout;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Sender};
use std::time::Duration;

/// Runs the dashboard until the user quits. Err: the first load failed or
/// the terminal could not be used; the message is for stderr.
pub fn run(repo: Repo, source: Source, keymap: Keymap, theme: Theme) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    // The walker threads open their own copy of the repository from this one.
    let walk_repo = repo.reopen().ok();
    let walking = Arc::new(AtomicU64::new(0));
    let events = tx.clone();
    let loader = worker::spawn(repo, source.clone(), tx.clone());
    let mut terminal =
        ratatui::try_init().map_err(|e| format!("Cannot use this terminal: {e}."))?;
    install_panic_hook();
    let _ = execute!(stdout(), EnableMouseCapture);
    event::spawn_input(tx.clone());
    event::spawn_ticks(tx, Duration::from_secs(1));

    let mut search = Search::default();
    let mut app = App::new(keymap, theme);
    app.launch = source.clone();
    app.shown = source.clone();
    // `--at WHEN`: the Triage tab shows its cards as of that moment too,
    // with what differs in the work tree now.
    if let Source::At(when) = &source {
        app.set_triage_at(when);
        app.message = None;
    }
    if let Ok(size) = terminal.size() {
        app.size = (size.width, size.height);
    }
    let forced_panic = test_panic_requested();
    let result = (|| -> Result<(), String> {
        loop {
            terminal
                .draw(|frame| ui::draw(frame, &app))
                .map_err(|e| format!("Cannot draw: {e}."))?;
            if forced_panic {
                panic!("DEMARC_TEST_PANIC: a forced panic after the first frame");
            }
            let Ok(first) = rx.recv() else { return Ok(()) };
            dispatch(&mut app, &mut search, first);
            // Take whatever else is waiting before drawing again, so a burst
            // of keys or wheel events costs one frame, not one each.
            for _ in 0..64 {
                match rx.try_recv() {
                    Ok(ev) => dispatch(&mut app, &mut search, ev),
                    Err(_) => break,
                }
            }
            for request in std::mem::take(&mut app.requests) {
                match request {
                    Request::History { generation } => {
                        walking.store(generation, Ordering::SeqCst);
                        match walk_repo.as_ref().map(|r| r.reopen()) {
                            Some(Ok(repo)) => walker::spawn(
                                repo,
                                generation,
                                Arc::clone(&walking),
                                events.clone(),
                            ),
                            Some(Err(e)) => app.on_history_end(generation, Some(e.0)),
                            None => app.on_history_end(
                                generation,
                                Some("The repository cannot be reopened.".into()),
                            ),
                        }
                    }
                    Request::Search { query } => {
                        let seq = search.query(&app, &events, &query);
                        app.search_sent(seq);
                    }
                    other => loader.send(other),
                }
            }
            if let Some(text) = app.clipboard.take() {
                use std::io::Write;
                let writer = terminal.backend_mut();
                let _ = writer.write_all(super::clipboard::osc52(&text).as_bytes());
                let _ = writer.flush();
            }
            if app.quit {
                return Ok(());
            }
            if let Some(fatal) = app.fatal.take() {
                return Err(fatal);
            }
        }
    })();
    restore();
    result
}

/// A test hook (docs/security.md): `DEMARC_TEST_PANIC=1` in the
/// environment makes a debug build panic after its first frame, so a test
/// can check the terminal is restored before the message. Only the
/// environment of the process can set it, never repository content, and
/// release builds ignore it.
fn test_panic_requested() -> bool {
    cfg!(debug_assertions) && std::env::var_os("DEMARC_TEST_PANIC").is_some_and(|v| v == "1")
}

/// The search index goes to the search worker; everything else to the app.
fn dispatch(app: &mut App, search: &mut Search, event: Event) {
    match event {
        // Sent right after the `Loaded` it belongs to, so the app's
        // generation already counts that load.
        Event::SearchIndex(index) => search.set_index(*index, app.generation),
        other => handle(app, other),
    }
}

fn handle(app: &mut App, event: Event) {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    app.on_event(event, |app, x, y| ui::hit_test(app, area, x, y));
}

fn restore() {
    let _ = execute!(stdout(), DisableMouseCapture, Show);
    ratatui::restore();
}

/// ratatui's hook leaves the alternate screen and raw mode; this one also
/// releases the mouse and shows the cursor first, then lets it print.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture, Show);
        previous(info);
    }));
}

/// The search worker, started on the first query. Its index comes from the
/// loader (`Event::SearchIndex`) after every load, so the UI thread never
/// builds one; only a query sent before the first index arrived builds it
/// here, once.
#[derive(Default)]
struct Search {
    worker: Option<SearchWorker>,
    /// The newest index, waiting for the worker to start.
    pending: Option<Index>,
    /// The generation of the model the index was built from.
    generation: u64,
}

impl Search {
    fn set_index(&mut self, index: Index, generation: u64) {
        self.generation = generation;
        match &self.worker {
            Some(worker) => worker.set_index(index),
            None => self.pending = Some(index),
        }
    }

    /// Sends a query; returns its sequence number (0: nothing to search).
    fn query(&mut self, app: &App, events: &Sender<Event>, query: &str) -> u64 {
        let Some(model) = app.model() else { return 0 };
        if self.worker.is_none() {
            let index = match self.pending.take() {
                Some(index) if self.generation == app.generation => index,
                _ => Index::build(model),
            };
            let events = events.clone();
            self.worker = Some(SearchWorker::spawn(index, move |results| {
                let _ = events.send(Event::SearchResults(Box::new(results)));
            }));
            self.generation = app.generation;
        }
        self.worker
            .as_ref()
            .map_or(0, |w| w.query(query, super::search::LIMIT))
    }
}
