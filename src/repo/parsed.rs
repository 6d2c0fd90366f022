//! The parsed files of one version, kept by blob id so another version
//! read in the same process parses only the files that differ: `who --at`
//! reads the commit, the work tree beside it ("what differs now") and the
//! history walk's start, which share most of their files.

use crate::model::parse::FileContent;
use crate::model::{Diagnostic, Model, ParsedFile, parse};
use git2::Oid;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::Snapshot;

/// Parsed files by blob id (and path: a team's id is its file stem, so the
/// same bytes under another name are another file).
///
/// The components of the component files parsed to build the set are
/// moved into the model, not copied: most readers (`search`, the
/// dashboard) drop the set at once, and at 200,000 components the copy
/// and its drop were a sixth of `search`. Those files are offered (by
/// `get` and `iter`) only after `fill_from` copies them back from that
/// model; until then a reader of the set parses them itself.
#[derive(Debug, Clone, Default)]
pub struct ParsedFiles {
    by_blob: HashMap<Oid, Vec<Arc<ParsedFile>>>,
    /// Component files whose components went to the model: the file
    /// without its content, and where its components are in the model.
    moved: Vec<(Oid, ParsedFile, Range<usize>)>,
    /// Files parsed to build this set (the rest were reused).
    pub parsed: usize,
}

impl ParsedFiles {
    /// Copies back the components `parse_reusing` moved into `model`,
    /// which must be the model it returned with this set, so that every
    /// file is offered. A range `model` does not have is left out (its
    /// file is parsed again by whoever needs it, never taken wrong).
    pub fn fill_from(&mut self, model: &Model) {
        for (blob, mut file, range) in std::mem::take(&mut self.moved) {
            if let Some(components) = model.components.get(range) {
                file.content = Some(FileContent::Components(components.to_vec()));
                self.insert(blob, Arc::new(file));
            }
        }
    }

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
        self.by_blob.is_empty() && self.moved.is_empty()
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
    // A component file parsed here gives its components to the model (and
    // is kept without them); every other file is kept as it is, and the
    // model copies from it (small files, or files `reuse` shares).
    let mut moved = Vec::new();
    for (i, (file, data)) in files.iter().zip(&snapshot.files).enumerate() {
        let Some(blob) = data.blob else { continue };
        if Arc::strong_count(file) == 1 && matches!(file.content, Some(FileContent::Components(_)))
        {
            let hollow = ParsedFile {
                path: file.path.clone(),
                content: None,
                diagnostics: file.diagnostics.clone(),
            };
            moved.push((i, blob, hollow));
        } else {
            out.insert(blob, file.clone());
        }
    }
    let (model, ranges) = parse::assemble_owned_ranges(files);
    out.moved = moved
        .into_iter()
        .map(|(i, blob, hollow)| (blob, hollow, ranges[i].clone()))
        .collect();
    (model, diagnostics, out)
}
