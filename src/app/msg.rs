//! The messages of the dashboard, in one leaf module that imports nothing
//! else of `app`: what the UI thread reacts to (`Event`: terminal input,
//! ticks, what the workers report), what it asks of the workers
//! (`Request`, and the loader's own `LoadRequest`). The UI thread blocks on the event channel and never on git
//! or the file system.

use crate::history::Batch;
use crate::model::facts::Facts;
use crate::repo::{Error, Loaded, Source, When};
use crate::trends::{By, Series};
use chrono::{DateTime, FixedOffset};
use std::sync::{Arc, Weak};

#[derive(Debug)]
pub enum Event {
    Input(crossterm::event::Event),
    /// Once a second: expires status messages.
    Tick,
    /// The loader worker read a version of the model, with its indexes
    /// built off the UI thread too (or failed to read it). A version it
    /// has not checked yet (`Facts::checking`) is followed by `Checked`.
    Loaded(Box<Result<(Arc<Loaded>, Facts), Error>>),
    /// `check`'s findings for the version `of` (the one `Loaded` just
    /// brought): every finding, sorted, to replace its own. At 200,000
    /// components `check` takes seconds, so the data is shown without them
    /// first. `of` is weak: the loader keeps nothing alive.
    Checked {
        of: Weak<Loaded>,
        findings: Vec<crate::model::Diagnostic>,
        /// Their index by subject (the Triage cards read it), built with
        /// them on the loader: tens of thousands of findings at 200,000
        /// components.
        by_subject: Box<crate::repo::FindingsBySubject>,
    },
    /// The next entries of history walk `generation`, newest first.
    HistoryBatch {
        generation: u64,
        batch: Batch,
        /// What the batch adds to the "since" maps, found on the walker
        /// thread so the UI thread only adds it.
        since: crate::history::ownership::SinceDelta,
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
        data: Box<TrendsData>,
        /// The Trends tab's first view of `data.month` (its default
        /// figure), derived on the walker thread too.
        prepared: Option<Box<crate::trends::view::Prepared>>,
    },
    /// A source read beside the one shown (the Triage tab's "as of"), with
    /// the moment it stands for.
    Aside {
        aside: Aside,
        result: Box<Result<(Loaded, DateTime<FixedOffset>), Error>>,
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

/// What the app asks for; the run loop takes these after every event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// For the loader thread.
    Load(LoadRequest),
    /// Walk the history (the run loop starts a walker).
    History { generation: u64 },
    /// Open this file of the data folder at its line in the user's editor
    /// (`e`; the run loop gives the terminal to the editor and takes it
    /// back). Only asked while the work tree is shown.
    Edit(crate::model::Location),
    /// Search (the run loop's search worker).
    Search { query: String },
}

/// What the loader thread is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadRequest {
    /// Read the current source again now.
    Reload,
    /// Read another source from now on (time travel, and back).
    Source(Source),
    /// Read a source beside the one shown, for the Triage tab: the model as
    /// of an incident, or the work tree to compare it with.
    Aside(Aside),
}

/// What an aside read is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Aside {
    /// The model as of WHEN (as `--at` reads it), parsed where it was typed.
    Then(When),
    /// The work tree, "now".
    Now,
}

/// What the history worker sends: the same walk grouped two ways, so
/// switching between months and quarters costs the UI nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendsData {
    pub month: Series,
    pub quarter: Series,
    /// False while the walk is still going (older periods are missing).
    pub done: bool,
}

impl TrendsData {
    pub fn by(&self, by: By) -> &Series {
        match by {
            By::Month => &self.month,
            By::Quarter => &self.quarter,
        }
    }
}
