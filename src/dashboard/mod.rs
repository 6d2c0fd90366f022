//! The running dashboard, above both `app` (state) and `ui` (drawing):
//! set the terminal up, draw, wait on the event channel, update, hand the
//! app's requests to the workers, and restore the terminal however the
//! loop ends (a panic or a signal included: see `terminal.rs`).

pub mod clipboard;
pub mod input;
pub mod input_gate;
pub mod loader;
pub mod terminal;
pub mod walker;

use crate::app::keymap::Keymap;
use crate::app::msg::{Event, Request};
use crate::app::{App, popup};
use crate::repo::{Repo, Source};
use crate::search::{Index, SearchWorker};
use crate::ui::{self, theme::Theme};
use ratatui::layout::Rect;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Sender};
use std::time::Duration;
use terminal::Term;

/// How the dashboard ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The user quit.
    Quit,
    /// A signal ended it (SIGTERM, SIGHUP, SIGINT, SIGQUIT): exit 128 + n.
    Signal(i32),
}

/// Runs the dashboard until the user quits or a signal ends it. Err: the
/// first load failed or the terminal could not be used; the message is for
/// stderr. The terminal is given back before this returns.
pub fn run(repo: Repo, source: Source, keymap: Keymap, theme: Theme) -> Result<Ended, String> {
    let (tx, rx) = mpsc::channel();
    // The walker threads open their own copy of the repository.
    let walk_repo = repo.reopener();
    let walking = Arc::new(AtomicU64::new(0));
    // The data folder on disk, for `e` (None for a bare repository).
    let data_folder = repo.root().map(|root| root.join(repo.data_dir()));
    let events = tx.clone();
    let loader = loader::spawn(repo, source.clone(), tx.clone());
    terminal::handle_signals(tx.clone()).map_err(|e| format!("Cannot watch for signals: {e}."))?;
    let mut terminal = match terminal::enter() {
        Ok(t) => t,
        Err(e) => {
            terminal::leave();
            return Err(format!("Cannot use this terminal: {e}."));
        }
    };
    let gate = input_gate::InputGate::new();
    input::spawn_input(tx.clone(), gate.clone());
    input::spawn_ticks(tx, Duration::from_secs(1));

    let mut search = Search {
        events: Some(events.clone()),
        ..Search::default()
    };
    let mut app = App::new(keymap);
    app.open_on(source);
    if let Ok(size) = terminal.size() {
        app.resize(size.width, size.height);
    }
    let forced = test_failure_requested();
    let result = (|| -> Result<Ended, String> {
        loop {
            terminal
                .draw(|frame| ui::draw(frame, &app, &theme))
                .map_err(|e| format!("Cannot draw: {e}."))?;
            match forced {
                Some(Forced::Panic) => {
                    panic!("DEMARC_TEST_PANIC: a forced panic after the first frame")
                }
                Some(Forced::Abort) => std::process::abort(),
                None => {}
            }
            let Ok(first) = rx.recv() else {
                return Ok(Ended::Quit);
            };
            let mut next = Some(first);
            // Take whatever else is waiting before drawing again, so a burst
            // of keys or wheel events costs one frame, not one each.
            for _ in 0..64 {
                let Some(ev) = next.take().or_else(|| rx.try_recv().ok()) else {
                    break;
                };
                if let Event::Signal(signal) = ev {
                    if let Some(ended) = on_signal(&mut terminal, signal) {
                        return Ok(ended);
                    }
                    continue;
                }
                dispatch(&mut app, &mut search, ev);
            }
            for request in app.take_requests() {
                match request {
                    Request::History { generation } => {
                        walking.store(generation, Ordering::SeqCst);
                        walker::spawn(
                            walk_repo.clone(),
                            generation,
                            Arc::clone(&walking),
                            events.clone(),
                        );
                    }
                    Request::Search { query } => {
                        let seq = search.query(&app, &query);
                        app.search_sent(seq);
                    }
                    Request::Load(load) => loader.send(load),
                    Request::Edit(location) => {
                        let outcome = edit(&mut terminal, &gate, data_folder.as_deref(), &location);
                        app.say(outcome.unwrap_or_else(|e| e));
                        // Stops and continues of the editor (Ctrl-Z in it)
                        // reached demarc's signal pipe too: they are over.
                        for ev in rx.try_iter().collect::<Vec<_>>() {
                            match ev {
                                Event::Signal(s) if is_stop_or_continue(s) => {}
                                Event::Signal(signal) => {
                                    if let Some(ended) = on_signal(&mut terminal, signal) {
                                        return Ok(ended);
                                    }
                                }
                                other => dispatch(&mut app, &mut search, other),
                            }
                        }
                    }
                }
            }
            if let Some(text) = app.take_clipboard() {
                use std::io::Write;
                let writer = terminal.backend_mut();
                let _ = writer.write_all(clipboard::osc52(&text).as_bytes());
                let _ = writer.flush();
            }
            if app.quit() {
                return Ok(Ended::Quit);
            }
            if let Some(fatal) = app.take_fatal() {
                return Err(fatal);
            }
        }
    })();
    terminal::leave();
    result
}

/// `e`: the file in the user's editor, with the terminal given to it and
/// taken back (the input thread steps aside meanwhile, and the next frame
/// redraws every cell). Ok or Err: the sentence for the status bar.
fn edit(
    terminal: &mut Term,
    gate: &input_gate::InputGate,
    data_folder: Option<&std::path::Path>,
    location: &crate::model::Location,
) -> Result<String, String> {
    use crate::app::editor::{self, Editor};
    let target = editor::target(data_folder, location)?;
    let editor = Editor::from_env()?;
    gate.pause();
    terminal::leave();
    let result = editor.run(&target);
    terminal::resume(terminal);
    gate.resume();
    result?;
    let at = target.line.map_or(String::new(), |l| format!(":{l}"));
    Ok(format!(
        "Edited {}{at}; the dashboard reloads when it is saved.",
        crate::sanitize::line(&target.shown)
    ))
}

fn is_stop_or_continue(signal: i32) -> bool {
    use signal_hook::consts::{SIGCONT, SIGTSTP};
    signal == SIGTSTP || signal == SIGCONT
}

/// What a signal does to the loop: Some(ended) to return.
fn on_signal(terminal: &mut Term, signal: i32) -> Option<Ended> {
    use signal_hook::consts::{SIGCONT, SIGTSTP};
    match signal {
        SIGTSTP => terminal::suspend(terminal),
        // Continued after a stop we did not see coming (SIGSTOP): take the
        // terminal again and redraw everything.
        SIGCONT => terminal::resume(terminal),
        s if terminal::ENDING.contains(&s) => return Some(Ended::Signal(s)),
        _ => {}
    }
    None
}

enum Forced {
    Panic,
    Abort,
}

/// A test hook (docs/security.md): `DEMARC_TEST_PANIC=1` in the
/// environment makes a debug build panic after its first frame (`abort`:
/// abort), so a test can check the terminal is restored. Only the
/// environment of the process can set it, never repository content, and
/// release builds ignore it.
fn test_failure_requested() -> Option<Forced> {
    if !cfg!(debug_assertions) {
        return None;
    }
    match std::env::var("DEMARC_TEST_PANIC").ok()?.as_str() {
        "1" => Some(Forced::Panic),
        "abort" => Some(Forced::Abort),
        _ => None,
    }
}

/// The search index goes to the search worker; everything else to the app.
fn dispatch(app: &mut App, search: &mut Search, event: Event) {
    match event {
        // The layout never works with more than is drawn.
        Event::Input(crossterm::event::Event::Resize(w, h)) => {
            let (w, h) = terminal::clamp(w, h);
            handle(app, Event::Input(crossterm::event::Event::Resize(w, h)))
        }
        // Sent right after the `Loaded` it belongs to, so the app's
        // generation already counts that load.
        // A query typed before it came was kept for it.
        Event::SearchIndex(index) => {
            search.set_index(*index, app.data().generation);
            if let Some(query) = search.waiting.take() {
                let seq = search.query(app, &query);
                app.search_sent(seq);
            }
        }
        other => handle(app, other),
    }
}

fn handle(app: &mut App, event: Event) {
    let (width, height) = app.size();
    let area = Rect::new(0, 0, width, height);
    app.on_event(event, |app, x, y| ui::hit_test(app, area, x, y));
}

/// The search worker, started on the first query. Its index comes from the
/// loader (`Event::SearchIndex`) after every load, so the UI thread never
/// builds one: a query sent before the index of the data shown arrived
/// waits for it (`waiting`).
#[derive(Default)]
struct Search {
    worker: Option<SearchWorker>,
    /// The newest index, waiting for the worker to start.
    pending: Option<Index>,
    /// The generation of the model the index was built from.
    generation: u64,
    /// The query sent before the first index came, sent when it does.
    waiting: Option<String>,
    /// Where the worker sends its results.
    events: Option<Sender<Event>>,
}

impl Search {
    fn set_index(&mut self, index: Index, generation: u64) {
        self.generation = generation;
        match &self.worker {
            Some(worker) => worker.set_index(index),
            None => self.pending = Some(index),
        }
    }

    /// Sends a query; returns its sequence number (0: nothing to search,
    /// or the query waits for the index).
    fn query(&mut self, app: &App, query: &str) -> u64 {
        if app.model().is_none() {
            return 0;
        }
        if self.worker.is_none() {
            let index = match self.pending.take() {
                Some(index) if self.generation == app.data().generation => index,
                // The loader sends the index right behind the data.
                stale => {
                    self.pending = stale;
                    self.waiting = Some(query.to_string());
                    return 0;
                }
            };
            let events = self.events.clone();
            self.worker = Some(SearchWorker::spawn(index, move |results| {
                if let Some(events) = &events {
                    let _ = events.send(Event::SearchResults(Box::new(results)));
                }
            }));
        }
        self.worker
            .as_ref()
            .map_or(0, |w| w.query(query, popup::LIMIT))
    }
}
