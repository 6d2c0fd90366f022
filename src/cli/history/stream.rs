//! `history --json` and plain `history`, written commit by commit as the
//! walk hands them out: a long history is never held whole in memory, nor
//! its JSON built as one string. The bytes are those of the collected
//! answer (`HistoryAnswer`), which `demarc mcp` and `--format markdown`
//! still use.
//!
//! With `--team` or `--component`, an id found in no version of the data
//! is a usage error that must come before any output: the kept entries
//! (few, filtered) wait for the walk's end, and only the subject ids of the
//! dropped ones are remembered.
//!
//! A walk that fails part way (a parent line looping back through grafts)
//! still ends its JSON document: stdout stays valid JSON, the error goes to
//! stderr, and the exit code is the usual 2.

use super::super::ids::{self, Seen};
use super::super::{Cli, output};
use super::{
    Args, BoundaryJson, Prepared, prepare, render_end, render_entry, start_incomplete_reusing,
};
use crate::history::{Filter, HistoryEntry, Summary, Walker};
use crate::model::{Incomplete, incomplete_line};
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::cell::RefCell;
use std::io::Write;

/// Where the entries come from: the live walk, or (with a filter) the
/// entries kept once the walk is over.
enum Entries<'r> {
    Live(Box<Walker<'r>>),
    Kept(Vec<HistoryEntry>, Box<Summary>),
}

struct State<'r> {
    entries: Entries<'r>,
    /// The walk's error, when it failed part way.
    error: Option<String>,
    /// stdout went away (`history | head`): stop walking.
    closed: bool,
}

impl State<'_> {
    /// Calls `each` with every entry, newest first, until it returns false.
    fn for_each(&mut self, mut each: impl FnMut(&HistoryEntry) -> bool) {
        match &mut self.entries {
            Entries::Kept(list, _) => {
                for entry in list.iter() {
                    if !each(entry) {
                        return;
                    }
                }
            }
            Entries::Live(walker) => loop {
                match walker.next_batch() {
                    Ok(Some(batch)) => {
                        if !batch.entries.iter().all(&mut each) {
                            return;
                        }
                    }
                    Ok(None) => return,
                    Err(e) => {
                        self.error = Some(e.0);
                        return;
                    }
                }
            },
        }
    }

    fn summary(&self) -> Summary {
        match &self.entries {
            Entries::Live(walker) => walker.summary(),
            Entries::Kept(_, summary) => (**summary).clone(),
        }
    }
}

pub fn run(cli: &Cli, args: Args, json: bool) -> Result<(), String> {
    let Prepared {
        repo,
        options,
        complete,
    } = prepare(cli, &args)?;
    let filter = Filter {
        component: args.component,
        team: args.team,
    };
    let start = options.start.clone();
    let mut walker = Walker::new(&repo, options).map_err(|e| e.to_string())?;
    let incomplete = start_incomplete_reusing(&repo, start.as_deref(), &walker);
    let entries = if filter.is_empty() {
        Entries::Live(Box::new(walker))
    } else {
        let mut seen = Seen::default();
        let mut kept = Vec::new();
        while let Some(batch) = walker.next_batch().map_err(|e| e.to_string())? {
            seen.add(&batch.entries);
            kept.extend(filter.apply(batch.entries));
        }
        let summary = walker.summary();
        let complete = complete && summary.shallow_boundary.is_none();
        ids::check_seen(&repo, &filter, &[], &seen, complete)?;
        std::mem::forget(walker); // see the end of `run`
        Entries::Kept(kept, Box::new(summary))
    };
    let state = RefCell::new(State {
        entries,
        error: None,
        closed: false,
    });
    let stdout = std::io::stdout().lock();
    if json {
        let mut out = output::EscapedJson::new(stdout);
        let document = Document {
            incomplete: &incomplete,
            state: &state,
        };
        let mut serializer = serde_json::Serializer::pretty(&mut out);
        let written = document
            .serialize(&mut serializer)
            .is_ok()
            .then(|| writeln!(out).and_then(|_| out.flush()));
        if !matches!(written, Some(Ok(()))) {
            state.borrow_mut().closed = true;
        }
    } else {
        write_plain(stdout, &incomplete, &state, &filter);
    }
    let state = state.into_inner();
    let result = match &state.error {
        Some(error) => Err(error.clone()),
        None => Ok(()),
    };
    // The process ends here: freeing the walk's parsed versions and
    // caches piece by piece is work the OS does at once (as `check` does).
    std::mem::forget(state);
    std::mem::forget(repo);
    result
}

/// Plain text: the commits' blocks as they come, then the notes.
fn write_plain(
    mut stdout: impl Write,
    incomplete: &[Incomplete],
    state: &RefCell<State>,
    filter: &Filter,
) {
    let mut print = |text: &str| stdout.write_all(crate::sanitize::text(text).as_bytes());
    if let Some(line) = incomplete_line(incomplete)
        && print(&format!("{line}\n")).is_err()
    {
        return;
    }
    let mut any = false;
    let mut block = String::new();
    let mut state = state.borrow_mut();
    let mut closed = false;
    state.for_each(|entry| {
        any = true;
        block.clear();
        render_entry(&mut block, entry);
        closed = print(&block).is_err();
        !closed
    });
    state.closed = closed;
    if closed {
        return;
    }
    block.clear();
    render_end(&mut block, !any, &state.summary(), filter);
    let _ = print(&block);
}

/// The `history --json` document (`HistoryJson`), its commits pulled from
/// the walk while it is written.
struct Document<'a, 'r> {
    incomplete: &'a [Incomplete],
    state: &'a RefCell<State<'r>>,
}

/// The `commits` array of `Document`.
struct Commits<'a, 'r>(&'a RefCell<State<'r>>);

impl Serialize for Document<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("HistoryJson", 4)?;
        s.serialize_field("incomplete", self.incomplete)?;
        s.serialize_field("commits", &Commits(self.state))?;
        let summary = self.state.borrow().summary();
        let boundary = summary.shallow_boundary.as_ref().map(|c| BoundaryJson {
            commit: c.id.clone(),
            time: c.time.to_rfc3339(),
        });
        s.serialize_field("shallow_boundary", &boundary)?;
        s.serialize_field("notes", &summary.notes)?;
        s.end()
    }
}

impl Serialize for Commits<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        let mut failed = None;
        self.0
            .borrow_mut()
            .for_each(|entry| match seq.serialize_element(entry) {
                Ok(()) => true,
                Err(e) => {
                    failed = Some(e);
                    false
                }
            });
        if let Some(e) = failed {
            return Err(e);
        }
        seq.end()
    }
}
