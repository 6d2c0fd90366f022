//! The data folder at one commit, as the walk carries it backwards: the
//! tree ids of the folder and of its format folders, and every format file
//! with its blob id and parsed content.
//!
//! Stepping to an older commit compares tree ids first and descends only
//! into folders whose id changed; only blobs that changed are parsed, and
//! parsed files are cached by blob id and path (a team's id is its file
//! stem, so the same bytes under another name are another file).

use crate::model::{Diagnostic, FileKind, ParsedFile, parse_file};
use git2::{ObjectType, Oid, Repository};
use std::collections::HashMap;
use std::sync::Arc;

/// Files larger than this are skipped, as the loader does.
use crate::repo::MAX_FILE_BYTES;

#[derive(Clone)]
struct FileState {
    blob: Oid,
    parsed: Arc<ParsedFile>,
}

#[derive(Default)]
struct FolderState {
    tree: Option<Oid>,
    /// File name -> file.
    files: HashMap<String, FileState>,
}

/// A path that differs between two versions, with its newer content (None
/// where the newer version has no such file). The older content is in the
/// state after the step.
pub struct PathDelta {
    pub path: String,
    pub newer: Option<Arc<ParsedFile>>,
}

/// Parsed files by blob id; bounded so a very long history cannot grow it
/// without end (it is only a cache: the state holds what is in use).
#[derive(Default)]
pub struct ParseCache {
    files: HashMap<Oid, Vec<Arc<ParsedFile>>>,
    len: usize,
    pub parsed: usize,
    pub hits: usize,
}

const CACHE_LIMIT: usize = 50_000;

impl ParseCache {
    fn get(&mut self, git: &Repository, blob: Oid, path: &str) -> Arc<ParsedFile> {
        if let Some(hit) = self
            .files
            .get(&blob)
            .and_then(|v| v.iter().find(|f| f.path == path))
        {
            self.hits += 1;
            return hit.clone();
        }
        let parsed = Arc::new(match git.find_blob(blob) {
            Ok(b) if b.size() as u64 > MAX_FILE_BYTES => ParsedFile {
                path: path.to_string(),
                content: None,
                diagnostics: Vec::new(),
            },
            Ok(b) => parse_file(path, b.content()),
            Err(e) => ParsedFile {
                path: path.to_string(),
                content: None,
                diagnostics: vec![Diagnostic::error(
                    "parse",
                    crate::model::Location::file(path),
                    format!("the file's object {blob} cannot be read: {}", e.message()),
                )],
            },
        });
        self.parsed += 1;
        if self.len >= CACHE_LIMIT {
            self.files.clear();
            self.len = 0;
        }
        self.files.entry(blob).or_default().push(parsed.clone());
        self.len += 1;
        parsed
    }
}

/// The format's entries of a data tree: top-level files, and the format
/// folders' tree ids. Symbolic links and submodules are not files, as in
/// the loader.
fn top_entries(
    git: &Repository,
    tree: Option<Oid>,
) -> (Vec<(String, Oid)>, HashMap<&'static str, Oid>) {
    let mut files = Vec::new();
    let mut folders = HashMap::new();
    let Some(tree) = tree.and_then(|t| git.find_tree(t).ok()) else {
        return (files, folders);
    };
    for entry in tree.iter() {
        let Ok(name) = entry.name() else { continue };
        match entry.kind() {
            Some(ObjectType::Tree) => {
                if let Some(folder) = FileKind::FOLDERS.iter().find(|f| **f == name) {
                    folders.insert(*folder, entry.id());
                }
            }
            Some(ObjectType::Blob)
                if is_plain_file(entry.filemode()) && FileKind::of_path(name).is_some() =>
            {
                files.push((name.to_string(), entry.id()));
            }
            _ => {}
        }
    }
    (files, folders)
}

fn is_plain_file(mode: i32) -> bool {
    mode == i32::from(git2::FileMode::Blob) || mode == i32::from(git2::FileMode::BlobExecutable)
}

/// The format files directly inside one format folder.
fn folder_entries(git: &Repository, folder: &str, tree: Option<Oid>) -> Vec<(String, Oid)> {
    let Some(tree) = tree.and_then(|t| git.find_tree(t).ok()) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(tree.len());
    let mut path = String::new();
    for entry in tree.iter() {
        let Ok(name) = entry.name() else { continue };
        if entry.kind() != Some(ObjectType::Blob) || !is_plain_file(entry.filemode()) {
            continue;
        }
        path.clear();
        path.push_str(folder);
        path.push('/');
        path.push_str(name);
        if FileKind::of_path(&path).is_some() {
            out.push((name.to_string(), entry.id()));
        }
    }
    out
}

#[derive(Default)]
pub struct DataState {
    /// The data folder's tree id; None where the folder does not exist.
    tree: Option<Oid>,
    top: HashMap<String, FileState>,
    folders: HashMap<&'static str, FolderState>,
    /// How many files do not parse (a commit with any is "broken").
    broken: usize,
}

fn is_broken(file: &ParsedFile) -> bool {
    file.parse_error().is_some()
}

impl DataState {
    pub fn is_broken(&self) -> bool {
        self.broken > 0
    }

    /// The first parse error, in path order, of a broken state.
    pub fn first_parse_error(&self) -> Option<Diagnostic> {
        let mut errors: Vec<&Diagnostic> = self
            .top
            .values()
            .chain(self.folders.values().flat_map(|f| f.files.values()))
            .filter_map(|f| f.parsed.parse_error())
            .collect();
        errors.sort_by(|a, b| {
            (&a.location.file, a.location.line).cmp(&(&b.location.file, b.location.line))
        });
        errors.first().map(|d| (*d).clone())
    }

    /// The parsed file at `path`, if this version has it.
    pub fn file(&self, path: &str) -> Option<&Arc<ParsedFile>> {
        match path.split_once('/') {
            Some((folder, name)) => self.folders.get(folder)?.files.get(name).map(|f| &f.parsed),
            None => self.top.get(path).map(|f| &f.parsed),
        }
    }

    /// Moves this state to the data tree `older` (an older commit's), and
    /// returns the format files that differ. Unchanged trees are skipped by
    /// id without being read.
    pub fn step_to(
        &mut self,
        git: &Repository,
        cache: &mut ParseCache,
        older: Option<Oid>,
    ) -> Vec<PathDelta> {
        let mut deltas = Vec::new();
        if older == self.tree {
            return deltas;
        }
        self.tree = older;
        let (top_files, folder_trees) = top_entries(git, older);
        let newer_top = std::mem::take(&mut self.top);
        self.top = self.swap_files("", top_files, newer_top, git, cache, &mut deltas);
        for folder in FileKind::FOLDERS {
            let older_tree = folder_trees.get(folder).copied();
            let state = self.folders.entry(folder).or_default();
            if state.tree == older_tree {
                continue;
            }
            state.tree = older_tree;
            let newer_files = std::mem::take(&mut state.files);
            let entries = folder_entries(git, folder, older_tree);
            let files = self.swap_files(folder, entries, newer_files, git, cache, &mut deltas);
            if let Some(state) = self.folders.get_mut(folder) {
                state.files = files;
            }
        }
        deltas
    }

    /// The older version of one folder's files, reusing every unchanged file
    /// of the newer one; records the differences in `deltas`.
    fn swap_files(
        &mut self,
        folder: &str,
        entries: Vec<(String, Oid)>,
        mut newer: HashMap<String, FileState>,
        git: &Repository,
        cache: &mut ParseCache,
        deltas: &mut Vec<PathDelta>,
    ) -> HashMap<String, FileState> {
        let path_of = |name: &str| {
            if folder.is_empty() {
                name.to_string()
            } else {
                format!("{folder}/{name}")
            }
        };
        let mut older = HashMap::with_capacity(entries.len());
        for (name, blob) in entries {
            let previous = newer.remove(&name);
            if let Some(prev) = previous.as_ref().filter(|p| p.blob == blob) {
                older.insert(name, prev.clone());
                continue;
            }
            let path = path_of(&name);
            let parsed = cache.get(git, blob, &path);
            if is_broken(&parsed) {
                self.broken += 1;
            }
            let newer_parsed = previous.map(|p| p.parsed);
            if newer_parsed.as_deref().is_some_and(is_broken) {
                self.broken -= 1;
            }
            deltas.push(PathDelta {
                path,
                newer: newer_parsed,
            });
            older.insert(name, FileState { blob, parsed });
        }
        for (name, gone) in newer {
            if is_broken(&gone.parsed) {
                self.broken -= 1;
            }
            deltas.push(PathDelta {
                path: path_of(&name),
                newer: Some(gone.parsed),
            });
        }
        older
    }
}
