//! One channel for everything the UI thread reacts to: terminal input,
//! ticks, and what the workers report. The UI thread blocks on it and never
//! on git or the file system.

use crate::history::Batch;
use crate::model::facts::Facts;
use crate::repo::{Error, Loaded};
use std::sync::mpsc::Sender;
use std::thread;
use std::time::Duration;

#[derive(Debug)]
pub enum Event {
    Input(crossterm::event::Event),
    /// Once a second: expires status messages.
    Tick,
    /// The loader worker read a version of the model, with its indexes
    /// built off the UI thread too (or failed to read it).
    Loaded(Box<Result<(Loaded, Facts), Error>>),
    /// The next entries of history walk `generation`, newest first.
    HistoryBatch {
        generation: u64,
        batch: Batch,
    },
    /// Walk `generation` is over (with why, if it failed).
    HistoryEnd {
        generation: u64,
        error: Option<String>,
    },
    /// The trends series of walk `generation`, so far (sent every few
    /// batches and at the end, computed on the walker thread).
    Trends {
        generation: u64,
        data: Box<super::trends::TrendsData>,
    },
    /// A source read beside the one shown (the Triage tab's "as of"), with
    /// the moment it stands for.
    Aside {
        aside: super::worker::Aside,
        result: Box<Result<(Loaded, chrono::DateTime<chrono::FixedOffset>), Error>>,
    },
    /// The search worker's answer to one query.
    SearchResults(Box<crate::search::Results>),
    /// The search index of the model just loaded, built by the loader after
    /// it sent `Loaded`, so neither the first data on screen nor the UI
    /// thread waits for it. The run loop hands it to the search worker.
    SearchIndex(Box<crate::search::Index>),
    /// A signal the run loop acts on (see `terminal::handle_signals`).
    Signal(i32),
}

/// Reads terminal input on its own thread until the channel closes.
pub fn spawn_input(tx: Sender<Event>) {
    thread::spawn(move || {
        loop {
            match crossterm::event::read() {
                Ok(ev) => {
                    if tx.send(Event::Input(ev)).is_err() {
                        return;
                    }
                }
                // The terminal went away: nothing more will come.
                Err(_) => return,
            }
        }
    });
}

pub fn spawn_ticks(tx: Sender<Event>, every: Duration) {
    thread::spawn(move || {
        while tx.send(Event::Tick).is_ok() {
            thread::sleep(every);
        }
    });
}
