//! The parsed files of one version, kept by blob id so another version
//! read in the same process parses only the files that differ: `who --at`
//! reads the commit, the work tree beside it ("what differs now") and the
//! history walk's start, which share most of their files.

use crate::model::{Diagnostic, Model, ParsedFile, parse};
use git2::Oid;
use std::collections::HashMap;
use std::sync::Arc;

use super::Snapshot;

/// Parsed files by blob id (and path: a team's id is its file stem, so the
/// same bytes under another name are another file).
#[derive(Debug, Clone, Default)]
pub struct ParsedFiles {
    by_blob: HashMap<Oid, Vec<Arc<ParsedFile>>>,
    /// Files parsed to build this set (the rest were reused).
    pub parsed: usize,
}

impl ParsedFiles {
    /// The file at `path` whose content is `blob`, if it was parsed.
    pub fn get(&self, blob: Oid, path: &str) -> Option<&Arc<ParsedFile>> {
        self.by_blob.get(&blob)?.iter().find(|f| f.path == path)
    }

    /// Every file, with its blob id.
    pub fn iter(&self) -> impl Iterator<Item = (Oid, &Arc<ParsedFile>)> {
        self.by_blob
            .iter()
            .flat_map(|(blob, files)| files.iter().map(move |f| (*blob, f)))
    }

    pub fn is_empty(&self) -> bool {
        self.by_blob.is_empty()
    }

    fn insert(&mut self, blob: Oid, file: Arc<ParsedFile>) {
        let files = self.by_blob.entry(blob).or_default();
        if !files.iter().any(|f| f.path == file.path) {
            files.push(file);
        }
    }
}

/// Parses a native snapshot's files, taking each one `reuse` has (same
/// blob, same path) instead of parsing it again; returns the model, the
/// parse findings in file order, and the parsed files for the next reader.
pub fn parse_reusing(
    snapshot: &Snapshot,
    reuse: Option<&ParsedFiles>,
) -> (Model, Vec<Diagnostic>, ParsedFiles) {
    let mut slots: Vec<Option<Arc<ParsedFile>>> = snapshot
        .files
        .iter()
        .map(|f| {
            let blob = f.blob?;
            reuse?.get(blob, &f.path).cloned()
        })
        .collect();
    let todo: Vec<(usize, (&str, &[u8]))> = snapshot
        .files
        .iter()
        .enumerate()
        .filter(|(i, _)| slots[*i].is_none())
        .map(|(i, f)| (i, (f.path.as_str(), f.bytes.as_slice())))
        .collect();
    let inputs: Vec<(&str, &[u8])> = todo.iter().map(|(_, f)| *f).collect();
    let fresh = parse::parse_files(&inputs);
    let mut out = ParsedFiles {
        parsed: fresh.len(),
        ..ParsedFiles::default()
    };
    for ((i, _), file) in todo.iter().zip(fresh) {
        slots[*i] = Some(file);
    }
    let files: Vec<Arc<ParsedFile>> = slots.into_iter().flatten().collect();
    let diagnostics = files
        .iter()
        .flat_map(|f| f.diagnostics.iter().cloned())
        .collect();
    let model = parse::assemble(&files);
    for (file, data) in files.into_iter().zip(&snapshot.files) {
        if let Some(blob) = data.blob {
            out.insert(blob, file);
        }
    }
    (model, diagnostics, out)
}
