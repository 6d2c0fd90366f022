//! The data folder at one commit, as the walk carries it backwards: the
//! tree ids of the folder and of its format folders, and every format file
//! with its blob id and parsed content.
//!
//! Stepping to an older commit compares tree ids first and descends only
//! into folders whose id changed; only blobs that changed are parsed, and
//! parsed files are cached by blob id and path (a team's id is its file
//! stem, so the same bytes under another name are another file).

use super::tables::TableCache;
use crate::model::{Diagnostic, FileKind, ParsedFile, parse_file};
use git2::{ObjectType, Oid, Repository, Tree, TreeEntry};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

/// Files larger than this are skipped, as the loader does.
use crate::repo::{BlobError, PackReader, read_blob_bounded};

#[derive(Clone)]
struct FileState {
    blob: Oid,
    parsed: Arc<FileVersion>,
}

#[derive(Default)]
struct FolderState {
    tree: Option<Oid>,
    /// File name -> file.
    files: HashMap<String, FileState>,
}

/// One version of one file: parsed whole, or (a large component file)
/// table by table, each table a part (see `tables.rs`).
#[derive(Debug)]
pub struct FileVersion {
    pub path: String,
    pub parts: Vec<Arc<ParsedFile>>,
    pub how: HowRead,
}

/// How a `FileVersion` came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HowRead {
    /// `parse_file` of the blob's bytes: one part.
    Whole,
    /// Split into its `[[component]]` tables, each parsed alone (see
    /// `tables.rs`): the whole file parses with no `parse` finding.
    Tables,
    /// The blob could not be read (too large, missing): one part saying so.
    Unread,
}

impl FileVersion {
    fn whole(file: ParsedFile) -> FileVersion {
        FileVersion {
            path: file.path.clone(),
            parts: vec![Arc::new(file)],
            how: HowRead::Whole,
        }
    }

    fn unread(file: ParsedFile) -> FileVersion {
        FileVersion {
            how: HowRead::Unread,
            ..FileVersion::whole(file)
        }
    }

    fn tables(path: &str, parts: Vec<Arc<ParsedFile>>) -> FileVersion {
        FileVersion {
            path: path.to_string(),
            parts,
            how: HowRead::Tables,
        }
    }

    pub fn parse_error(&self) -> Option<&Diagnostic> {
        self.parts.iter().find_map(|p| p.parse_error())
    }
}

/// A path that differs between two versions, with its newer content (None
/// where the newer version has no such file). The older content is in the
/// state after the step.
pub struct PathDelta {
    pub path: String,
    pub newer: Option<Arc<FileVersion>>,
}

/// Parsed files by blob id; bounded so a very long history cannot grow it
/// without end (it is only a cache: the state holds what is in use).
#[derive(Default)]
pub struct ParseCache {
    files: HashMap<Oid, Vec<Arc<FileVersion>>>,
    len: usize,
    /// Tables of large component files (see `tables.rs`).
    tables: TableCache,
    /// Files parsed before the walk (the version `who` loaded), taken for
    /// the first version read instead of parsing it again.
    seed: HashMap<Oid, Vec<Arc<FileVersion>>>,
    /// Blobs read from the packs with the bases rebuilt on the way kept
    /// (see `repo::PackReader`); opened at the first read.
    packs: Option<PackReader>,
    /// The most bytes `packs` keeps of rebuilt objects.
    pack_cache: PackCacheBytes,
    pub parsed: usize,
    pub hits: usize,
}

/// `PackReader`'s own limit unless a walk asks for another.
struct PackCacheBytes(usize);

impl Default for PackCacheBytes {
    fn default() -> PackCacheBytes {
        PackCacheBytes(crate::repo::PACK_CACHE_BYTES)
    }
}

/// The cache is emptied when it holds this many files. Hits are rare when
/// walking backwards (a reverted file, a fix that restores the bytes from
/// before a break), while a long history of large files would otherwise
/// keep every version ever parsed: the state holds the files in use.
const CACHE_LIMIT: usize = 256;

/// Below this many new files, parsing on other threads is not worth it.
const PARALLEL_FROM: usize = 256;

/// Blobs read ahead of the threads that parse them (see `get_many`).
const READ_AHEAD: usize = 64;

impl ParseCache {
    /// A cache whose pack reader keeps at most `bytes` of rebuilt objects.
    pub fn with_pack_cache(bytes: usize) -> ParseCache {
        ParseCache {
            pack_cache: PackCacheBytes(bytes),
            ..ParseCache::default()
        }
    }

    fn packs(&mut self, git: &Repository) -> &mut PackReader {
        let limit = self.pack_cache.0;
        self.packs
            .get_or_insert_with(|| PackReader::for_repository(git).with_cache_limit(limit))
    }

    /// Files already parsed elsewhere, for the first version read.
    pub fn seed(&mut self, files: &crate::repo::ParsedFiles) {
        for (blob, file) in files.iter() {
            self.seed
                .entry(blob)
                .or_default()
                .push(Arc::new(FileVersion {
                    path: file.path.clone(),
                    parts: vec![file.clone()],
                    how: HowRead::Whole,
                }));
        }
    }

    /// Lets the seed go once the first version is read: the state holds
    /// what is still in use.
    pub fn drop_seed(&mut self) {
        self.seed = HashMap::new();
    }

    /// The re-dated tables handed out since the last call, with the tables
    /// they were re-dated from (see `TableCache::take_aliases`).
    pub fn take_aliases(&mut self) -> Vec<(Arc<ParsedFile>, Arc<ParsedFile>)> {
        self.tables.take_aliases()
    }

    pub fn clear_aliases(&mut self) {
        self.tables.clear_aliases();
    }

    fn lookup(&mut self, blob: Oid, path: &str) -> Option<Arc<FileVersion>> {
        if let Some(seeded) = self
            .seed
            .get(&blob)
            .and_then(|files| files.iter().find(|f| f.path == path).cloned())
        {
            return Some(seeded);
        }
        let hit = self
            .files
            .get(&blob)?
            .iter()
            .find(|f| f.path == path)?
            .clone();
        self.hits += 1;
        Some(hit)
    }

    fn insert(&mut self, blob: Oid, parsed: Arc<FileVersion>) {
        self.parsed += 1;
        if self.len >= CACHE_LIMIT {
            self.files.clear();
            self.len = 0;
        }
        self.files.entry(blob).or_default().push(parsed);
        self.len += 1;
    }

    fn get(&mut self, git: &Repository, blob: Oid, path: &str) -> Arc<FileVersion> {
        if let Some(hit) = self.lookup(blob, path) {
            return hit;
        }
        let packs = self.packs(git);
        let parsed = Arc::new(match read_blob(git, packs, blob, path) {
            Ok(bytes) => match self.tables.parse(path, &bytes) {
                Some(parts) => FileVersion::tables(path, parts),
                None => FileVersion::whole(parse_file(path, &bytes)),
            },
            Err(unreadable) => FileVersion::unread(*unreadable),
        });
        self.insert(blob, parsed.clone());
        parsed
    }

    /// Many files at once (the first version read parses every file): the
    /// blobs are read here, where the repository lives, and parsed on
    /// several threads.
    fn get_many(&mut self, git: &Repository, wanted: &[(String, Oid)]) -> Vec<Arc<FileVersion>> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        if wanted.len() < PARALLEL_FROM || threads < 2 {
            return wanted
                .iter()
                .map(|(path, blob)| self.get(git, *blob, path))
                .collect();
        }
        let mut out: Vec<Option<Arc<FileVersion>>> =
            wanted.iter().map(|(p, b)| self.lookup(*b, p)).collect();
        let todo: Vec<usize> = (0..wanted.len()).filter(|&i| out[i].is_none()).collect();
        let packs = self.packs(git);
        // The blobs are read here (the repository is not shared between
        // threads) while the workers parse those read before: reading
        // overlaps parsing, and at most `READ_AHEAD` blobs' bytes wait at
        // any time (read all first, a 200,000-component version held its
        // 100 MB of text on top of everything parsed from it).
        let (send, receive) = std::sync::mpsc::sync_channel::<(usize, BlobRead)>(READ_AHEAD);
        // Held only by the workers: were every one of them gone, the
        // receiver goes with them and `send` below fails instead of
        // waiting on a full channel for ever.
        let receive = Arc::new(std::sync::Mutex::new(receive));
        // Large component files are split into tables here too (each thread
        // with its own cache, merged after), so the first change to such a
        // file finds its tables cached instead of parsing them all again.
        let parsed: Vec<(Vec<(usize, FileVersion)>, TableCache)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let receive = Arc::clone(&receive);
                    scope.spawn(move || {
                        let mut tables = TableCache::unbounded();
                        let mut files = Vec::new();
                        loop {
                            // The lock is held only to take the next blob.
                            let next = receive.lock().ok().and_then(|r| r.recv().ok());
                            let Some((i, read)) = next else { break };
                            let path = wanted[i].0.as_str();
                            // A worker outlives a panic in a parse, so the
                            // others' blobs are still taken. The file is
                            // left as a hole, parsed again below (where the
                            // panic surfaces).
                            let file = std::panic::catch_unwind(AssertUnwindSafe(|| match read {
                                Ok(bytes) => match tables.parse(path, &bytes) {
                                    Some(parts) => FileVersion::tables(path, parts),
                                    None => FileVersion::whole(parse_file(path, &bytes)),
                                },
                                Err(unreadable) => FileVersion::unread(*unreadable),
                            }));
                            if let Ok(file) = file {
                                files.push((i, file));
                            }
                        }
                        (files, tables)
                    })
                })
                .collect();
            drop(receive);
            for &i in &todo {
                let (path, blob) = &wanted[i];
                if send.send((i, read_blob(git, packs, *blob, path))).is_err() {
                    break; // every worker is gone (panicked): parsed below
                }
            }
            drop(send);
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        for (files, tables) in parsed {
            self.tables.absorb(tables);
            for (i, file) in files {
                let file = Arc::new(file);
                self.insert(wanted[i].1, file.clone());
                out[i] = Some(file);
            }
        }
        // A thread that panicked leaves holes: parse those here.
        out.into_iter()
            .zip(wanted)
            .map(|(f, (path, blob))| f.unwrap_or_else(|| self.get(git, *blob, path)))
            .collect()
    }
}

/// A blob's bytes, or the file as demarc records it when it cannot be read.
type BlobRead = Result<Vec<u8>, Box<ParsedFile>>;

/// A blob's bytes, or the file as demarc records it when it cannot be read
/// (too large: skipped, as the loader does; missing: a parse error).
fn read_blob(git: &Repository, packs: &mut PackReader, blob: Oid, path: &str) -> BlobRead {
    if let Some(bytes) = packs.read_blob(blob) {
        return Ok(bytes);
    }
    let unreadable = |why: String| {
        Err(Box::new(ParsedFile {
            path: path.to_string(),
            content: None,
            diagnostics: vec![Diagnostic::error(
                "parse",
                crate::model::Location::file(path),
                format!("the file's object {blob} cannot be read: {why}"),
            )],
        }))
    };
    // The size comes from the object's header, before anything is inflated.
    match read_blob_bounded(git, blob) {
        Ok(bytes) => Ok(bytes),
        Err(BlobError::TooLarge(_)) => Err(Box::new(ParsedFile {
            path: path.to_string(),
            content: None,
            diagnostics: Vec::new(),
        })),
        Err(BlobError::Missing) => unreadable("it is missing from the repository".to_string()),
        Err(BlobError::Unreadable(why)) => unreadable(why),
    }
}

fn is_plain_file(mode: i32) -> bool {
    mode == i32::from(git2::FileMode::Blob) || mode == i32::from(git2::FileMode::BlobExecutable)
}

/// The format files directly in `tree` (the data folder when `folder` is
/// "", else one format folder), as (name, blob id). Symbolic links and
/// submodules are not files, as in the loader.
fn for_each_format_file(tree: Option<&Tree>, folder: &str, mut f: impl FnMut(&str, &str, Oid)) {
    let Some(tree) = tree else { return };
    let mut path = String::new();
    for entry in tree.iter() {
        if entry.kind() != Some(ObjectType::Blob) || !is_plain_file(entry.filemode()) {
            continue;
        }
        let Ok(name) = entry.name() else { continue };
        path.clear();
        if !folder.is_empty() {
            path.push_str(folder);
            path.push('/');
        }
        path.push_str(name);
        if FileKind::of_path(&path).is_some() {
            f(name, &path, entry.id());
        }
    }
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

fn is_broken(file: &FileVersion) -> bool {
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

    /// Does the data folder exist in this version?
    pub fn exists(&self) -> bool {
        self.tree.is_some()
    }

    /// The data folder's tree id: equal ids, equal data.
    pub fn tree_id(&self) -> Option<Oid> {
        self.tree
    }

    /// Every parsed file (or table of a large file) of this version, in no
    /// particular order, for an observer of the walk (`Walker::observe`).
    pub fn parts_borrowed(&self) -> impl Iterator<Item = &ParsedFile> {
        self.top
            .values()
            .chain(self.folders.values().flat_map(|f| f.files.values()))
            .flat_map(|f| f.parsed.parts.iter().map(|p| p.as_ref()))
    }

    /// The file at `path` if this version has it with content `blob`.
    pub fn file_with_blob(&self, path: &str, blob: git2::Oid) -> Option<&Arc<FileVersion>> {
        let state = match path.split_once('/') {
            Some((folder, name)) => self.folders.get(folder)?.files.get(name),
            None => self.top.get(path),
        }?;
        (state.blob == blob).then_some(&state.parsed)
    }

    /// The parsed file at `path`, if this version has it.
    pub fn file(&self, path: &str) -> Option<&Arc<FileVersion>> {
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
        let newer_data = self.tree.and_then(|t| git.find_tree(t).ok());
        self.tree = older;
        let data = older.and_then(|t| git.find_tree(t).ok());
        let mut top = std::mem::take(&mut self.top);
        let trees = (newer_data.as_ref(), data.as_ref());
        update_files(
            &mut top,
            trees,
            "",
            git,
            cache,
            &mut self.broken,
            &mut deltas,
        );
        self.top = top;
        for folder in FileKind::FOLDERS {
            let older_tree = data
                .as_ref()
                .and_then(|d| d.get_name(folder))
                .filter(|e| e.kind() == Some(ObjectType::Tree))
                .map(|e| e.id());
            let state = self.folders.entry(folder).or_default();
            if state.tree == older_tree {
                continue;
            }
            let newer_tree = state.tree.and_then(|t| git.find_tree(t).ok());
            state.tree = older_tree;
            let tree = older_tree.and_then(|t| git.find_tree(t).ok());
            let trees = (newer_tree.as_ref(), tree.as_ref());
            update_files(
                &mut state.files,
                trees,
                folder,
                git,
                cache,
                &mut self.broken,
                &mut deltas,
            );
        }
        deltas
    }
}

/// Git's tree order: names compared bytewise, a folder's name as if it
/// ended with `/`.
fn git_order(a: &TreeEntry, b: &TreeEntry) -> Ordering {
    let key = |e: &TreeEntry| {
        let slash: &[u8] = if e.kind() == Some(ObjectType::Tree) {
            b"/"
        } else {
            b""
        };
        e.name_bytes()
            .iter()
            .chain(slash.iter())
            .copied()
            .collect::<Vec<u8>>()
    };
    if a.name_bytes() == b.name_bytes() {
        return Ordering::Equal;
    }
    key(a).cmp(&key(b))
}

/// The entries of two versions of a folder that are not identical in both
/// (same name, same id), found by walking both sorted trees side by side:
/// unchanged entries cost a comparison, no lookup. Returns the older
/// version's (name, id, is a plain file) and the newer version's names.
fn changed_entries(newer: &Tree, older: Option<&Tree>) -> (Vec<(String, Oid, bool)>, Vec<String>) {
    let mut olds = Vec::new();
    let mut news = Vec::new();
    let name = |e: &TreeEntry| String::from_utf8_lossy(e.name_bytes()).into_owned();
    let old = |e: &TreeEntry| {
        let plain = e.kind() == Some(ObjectType::Blob) && is_plain_file(e.filemode());
        (name(e), e.id(), plain)
    };
    let mut a = newer.iter().peekable();
    let mut b = older.map(|t| t.iter()).into_iter().flatten().peekable();
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(_), None) => news.extend(a.by_ref().map(|e| name(&e))),
            (None, Some(_)) => olds.extend(b.by_ref().map(|e| old(&e))),
            (Some(x), Some(y)) => match git_order(x, y) {
                Ordering::Equal => {
                    if x.id() != y.id() || x.filemode() != y.filemode() {
                        news.push(name(x));
                        olds.push(old(y));
                    }
                    a.next();
                    b.next();
                }
                Ordering::Less => {
                    news.push(name(x));
                    a.next();
                }
                Ordering::Greater => {
                    olds.push(old(y));
                    b.next();
                }
            },
        }
    }
    (olds, news)
}

/// Turns one folder's files into their older version in place; changed,
/// added and removed files are recorded in `deltas` with their newer
/// content. With the newer tree at hand only the entries that differ are
/// looked at; without it (the first version read) every entry is.
fn update_files(
    files: &mut HashMap<String, FileState>,
    (newer_tree, tree): (Option<&Tree>, Option<&Tree>),
    folder: &str,
    git: &Repository,
    cache: &mut ParseCache,
    broken: &mut usize,
    deltas: &mut Vec<PathDelta>,
) {
    if let Some(newer_tree) = newer_tree {
        let (olds, news) = changed_entries(newer_tree, tree);
        // The older version's changed format files, then the newer names it lacks.
        let olds: Vec<(String, Oid)> = olds
            .into_iter()
            .filter(|(name, _, plain)| {
                let path = if folder.is_empty() {
                    name.clone()
                } else {
                    format!("{folder}/{name}")
                };
                *plain && FileKind::of_path(&path).is_some()
            })
            .map(|(name, blob, _)| (name, blob))
            .collect();
        let gone: Vec<String> = news
            .into_iter()
            .filter(|n| !olds.iter().any(|(o, _)| o == n))
            .collect();
        apply(files, olds, gone, folder, git, cache, broken, deltas);
        return;
    }
    full_update(files, tree, folder, git, cache, broken, deltas);
}

/// Applies the older version's changed files and removes the gone ones.
#[allow(clippy::too_many_arguments)]
fn apply(
    files: &mut HashMap<String, FileState>,
    olds: Vec<(String, Oid)>,
    gone: Vec<String>,
    folder: &str,
    git: &Repository,
    cache: &mut ParseCache,
    broken: &mut usize,
    deltas: &mut Vec<PathDelta>,
) {
    let path_of = |name: &str| {
        if folder.is_empty() {
            name.to_string()
        } else {
            format!("{folder}/{name}")
        }
    };
    for name in gone {
        if let Some(file) = files.remove(&name) {
            *broken -= usize::from(is_broken(&file.parsed));
            deltas.push(PathDelta {
                path: path_of(&name),
                newer: Some(file.parsed),
            });
        }
    }
    for (name, blob) in olds {
        let path = path_of(&name);
        match files.get_mut(&name) {
            Some(file) if file.blob == blob => {}
            Some(file) => {
                let parsed = cache.get(git, blob, &path);
                *broken += usize::from(is_broken(&parsed));
                *broken -= usize::from(is_broken(&file.parsed));
                let newer = std::mem::replace(&mut file.parsed, parsed);
                file.blob = blob;
                deltas.push(PathDelta {
                    path,
                    newer: Some(newer),
                });
            }
            None => {
                let parsed = cache.get(git, blob, &path);
                *broken += usize::from(is_broken(&parsed));
                deltas.push(PathDelta { path, newer: None });
                files.insert(name, FileState { blob, parsed });
            }
        }
    }
}

/// `update_files` without the newer tree: every entry is looked up.
fn full_update(
    files: &mut HashMap<String, FileState>,
    tree: Option<&Tree>,
    folder: &str,
    git: &Repository,
    cache: &mut ParseCache,
    broken: &mut usize,
    deltas: &mut Vec<PathDelta>,
) {
    let mut matched = 0;
    let mut added: Vec<(String, String, Oid)> = Vec::new();
    for_each_format_file(tree, folder, |name, path, blob| match files.get_mut(name) {
        Some(file) => {
            matched += 1;
            if file.blob != blob {
                let parsed = cache.get(git, blob, path);
                *broken += usize::from(is_broken(&parsed));
                *broken -= usize::from(is_broken(&file.parsed));
                let newer = std::mem::replace(&mut file.parsed, parsed);
                file.blob = blob;
                deltas.push(PathDelta {
                    path: path.to_string(),
                    newer: Some(newer),
                });
            }
        }
        None => added.push((name.to_string(), path.to_string(), blob)),
    });
    if matched < files.len() {
        // Some files of the newer version are not in the older one.
        let mut present: HashSet<String> = HashSet::new();
        for_each_format_file(tree, folder, |name, _, _| {
            present.insert(name.to_string());
        });
        files.retain(|name, file| {
            if present.contains(name) {
                return true;
            }
            *broken -= usize::from(is_broken(&file.parsed));
            let path = if folder.is_empty() {
                name.clone()
            } else {
                format!("{folder}/{name}")
            };
            deltas.push(PathDelta {
                path,
                newer: Some(file.parsed.clone()),
            });
            false
        });
    }
    let wanted: Vec<(String, Oid)> = added
        .iter()
        .map(|(_, path, blob)| (path.clone(), *blob))
        .collect();
    let parsed = cache.get_many(git, &wanted);
    for ((name, path, blob), parsed) in added.into_iter().zip(parsed) {
        *broken += usize::from(is_broken(&parsed));
        deltas.push(PathDelta { path, newer: None });
        files.insert(name, FileState { blob, parsed });
    }
}
