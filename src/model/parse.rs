//! Parsing: one file at a time into a `ParsedFile` (so history can cache them
//! by blob id), then `assemble` joins the parsed files into a `Model`.
//!
//! A file that does not parse yields a `parse` diagnostic with its line and
//! column and contributes nothing; every other file still loads.

use super::diag::{Diagnostic, Location, Subject, SubjectKind};
use super::party::Party;
use super::types::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use toml::Spanned;

mod fast;

/// Which part of the format a file holds, decided by its path in the data folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Settings,
    Team,
    Components,
    Pillars,
    Layers,
    Scenarios,
    Matrix,
}

impl FileKind {
    /// The kind of a path relative to the data folder (`/`-separated), or
    /// None when the path is not part of the format (a README, say).
    pub fn of_path(path: &str) -> Option<FileKind> {
        let (dir, name) = match path.split_once('/') {
            Some((dir, rest)) if !rest.contains('/') => (Some(dir), rest),
            Some(_) => return None,
            None => (None, path),
        };
        let stem = name.strip_suffix(".toml")?;
        if stem.is_empty() || stem.starts_with('.') {
            return None;
        }
        match (dir, name) {
            (None, "demarc.toml") => Some(FileKind::Settings),
            (None, "pillars.toml") => Some(FileKind::Pillars),
            (None, "layers.toml") => Some(FileKind::Layers),
            (Some("teams"), _) => Some(FileKind::Team),
            (Some("components"), _) => Some(FileKind::Components),
            (Some("scenarios"), _) => Some(FileKind::Scenarios),
            (Some("matrices"), _) => Some(FileKind::Matrix),
            _ => None,
        }
    }

    /// The folders whose files are part of the format.
    pub const FOLDERS: &'static [&'static str] = &["teams", "components", "scenarios", "matrices"];
}

/// The settings, a team and a matrix are boxed so the enum is the size of a
/// list: the history walk keeps a `ParsedFile` per component table (200,000
/// at 200,000 components), and a `Team` inline made each 400 bytes, not 80
/// (`a_parsed_file_is_small`).
#[derive(Debug, Clone, PartialEq)]
pub enum FileContent {
    Settings(Box<Settings>),
    Team(Box<Team>),
    Components(Vec<Component>),
    Pillars(Vec<Pillar>),
    Layers(Vec<Layer>),
    Scenarios(Vec<Scenario>),
    Matrix(Box<Matrix>),
}

/// One file of the data folder after parsing. `content` is None when it did
/// not parse; `diagnostics` then holds the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFile {
    pub path: String,
    pub content: Option<FileContent>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedFile {
    pub fn is_broken(&self) -> bool {
        self.content.is_none()
    }

    /// How many components the file declares (0 for other kinds of file):
    /// what a list of every file's components is sized by.
    pub fn component_count(&self) -> usize {
        match &self.content {
            Some(FileContent::Components(c)) => c.len(),
            _ => 0,
        }
    }

    /// The first parse error, for history's "broken commit" record.
    pub fn parse_error(&self) -> Option<&Diagnostic> {
        self.diagnostics.iter().find(|d| d.code == "parse")
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    LineIndex::new().line_col(text, offset)
}

/// Locates offsets of one text, many of them in increasing order (the
/// entries of a file, top to bottom): each lookup counts the line breaks
/// between the previous offset and this one, so a file's lookups read it
/// about once. An offset before the previous one (a component's `repo`
/// written above its `paths`, which are read first) counts back from the
/// previous one, never from the top: from the top, a file that did so in
/// every component would be read once per component. (A table of
/// every line's start, built first, was a thirtieth of `check` at 200,000
/// components, most of its lines never asked for.)
struct LineIndex {
    /// The last offset asked for, its line (1-based) and where that line starts.
    at: std::cell::Cell<(usize, u32, usize)>,
}

impl LineIndex {
    fn new() -> LineIndex {
        LineIndex {
            at: std::cell::Cell::new((0, 1, 0)),
        }
    }

    fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let bytes = text.as_bytes();
        let (from, mut line, mut line_start) = self.at.get();
        if offset < from {
            line -= memchr::memchr_iter(b'\n', &bytes[offset..from]).count() as u32;
            line_start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
        } else {
            for i in memchr::memchr_iter(b'\n', &bytes[from..offset]) {
                line += 1;
                line_start = from + i + 1;
            }
        }
        self.at.set((offset, line, line_start));
        let column = String::from_utf8_lossy(&text.as_bytes()[line_start..offset])
            .chars()
            .count()
            + 1;
        (line, column as u32)
    }
}

pub fn parse_file(path: &str, bytes: &[u8]) -> ParsedFile {
    parse_file_with(path, bytes, Reader::FastWhenSure)
}

/// `parse_file` with the `toml` crate's parser for every file, never the
/// fast path: what the fast path is tested against.
pub fn parse_file_full(path: &str, bytes: &[u8]) -> ParsedFile {
    parse_file_with(path, bytes, Reader::Full)
}

/// Runs `bytes` as a component file through both readers and panics if
/// they disagree: the fuzz target `components_fast` and its corpus replay.
pub fn fuzz_components_fast(bytes: &[u8]) {
    let fast = parse_file("components/fuzz.toml", bytes);
    let full = parse_file_full("components/fuzz.toml", bytes);
    assert_eq!(fast, full, "the fast path differs from the full parser");
}

/// Which reader parses a component file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// `fast::components`, falling back to the full parser when it is
    /// not sure (anything outside its subset, and every error).
    FastWhenSure,
    Full,
}

fn parse_file_with(path: &str, bytes: &[u8], reader: Reader) -> ParsedFile {
    let mut out = ParsedFile {
        path: path.to_string(),
        content: None,
        diagnostics: Vec::new(),
    };
    let Some(kind) = FileKind::of_path(path) else {
        return out;
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            let (line, column) = line_col(valid, valid.len());
            out.diagnostics.push(Diagnostic::error(
                "parse",
                Location::at(path, line, column),
                format!("the file is not valid UTF-8 (byte {})", e.valid_up_to()),
            ));
            return out;
        }
    };
    // Refused before the parser runs: it would hold every item at once.
    // Each item takes at least one byte, so a text no longer than the
    // limit cannot pass it and is not counted (the count was a tenth of
    // `check` at 200,000 components, whose files are 60 KB each).
    if text.len() > super::budget::MAX_ITEMS
        && let Err(over) = super::budget::check_items(text, super::budget::MAX_ITEMS)
    {
        let (line, column) = super::budget::line_col(text, over.offset);
        out.diagnostics.push(Diagnostic::error(
            "too_large",
            Location::at(path, line, column),
            format!(
                "the file holds more than {} keys, values and lines (the count passes it here); \
                 demarc parses up to that many per file: split it into smaller files",
                super::budget::MAX_ITEMS
            ),
        ));
        return out;
    }
    let mut cx = FileCx {
        path,
        text,
        lines: LineIndex::new(),
        diagnostics: &mut out.diagnostics,
    };
    out.content = match kind {
        FileKind::Settings => cx
            .parse::<RawSettings>()
            .map(|raw| FileContent::Settings(Box::new(cx.settings(raw)))),
        FileKind::Team => cx
            .parse::<RawTeam>()
            .map(|raw| FileContent::Team(Box::new(cx.team(raw)))),
        FileKind::Components => match reader {
            Reader::FastWhenSure => fast::components(text),
            Reader::Full => None,
        }
        .or_else(|| cx.parse::<RawComponents>())
        .map(|raw| {
            FileContent::Components(raw.component.into_iter().map(|c| cx.component(c)).collect())
        }),
        FileKind::Pillars => cx.parse::<RawPillars>().map(|raw| {
            FileContent::Pillars(raw.pillar.into_iter().map(|p| cx.pillar(p)).collect())
        }),
        FileKind::Layers => cx
            .parse::<RawLayers>()
            .map(|raw| FileContent::Layers(raw.layer.into_iter().map(|l| cx.layer(l)).collect())),
        FileKind::Scenarios => cx.parse::<RawScenarios>().map(|raw| {
            FileContent::Scenarios(raw.scenario.into_iter().map(|s| cx.scenario(s)).collect())
        }),
        FileKind::Matrix => cx
            .parse::<RawMatrix>()
            .map(|raw| FileContent::Matrix(Box::new(cx.matrix(raw)))),
    };
    out
}

/// Joins parsed files (in any order) into a model. Diagnostics of the files
/// are not repeated here; `check` collects them with its own.
pub fn assemble(files: &[Arc<ParsedFile>]) -> Model {
    assemble_owned(files.to_vec())
}

/// `assemble`, moving the content of the files no one else holds rather
/// than copying it (`parse_all`'s own files: at 200,000 components the
/// copy and the drop of the originals were a tenth of `check`).
pub fn assemble_owned(files: Vec<Arc<ParsedFile>>) -> Model {
    assemble_owned_ranges(files).0
}

/// `assemble_owned`, also saying where each file's components went in the
/// model: the range at the file's position in `files` (empty for a file
/// of another kind).
pub fn assemble_owned_ranges(files: Vec<Arc<ParsedFile>>) -> (Model, Vec<std::ops::Range<usize>>) {
    // By path; a stable sort, as the files' own order decides ties.
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by(|&a, &b| files[a].path.cmp(&files[b].path));
    let mut ranges = vec![0..0; files.len()];
    let mut assembly = Assembly::sized_for(files.iter().map(|f| f.component_count()).sum());
    let mut files: Vec<Option<Arc<ParsedFile>>> = files.into_iter().map(Some).collect();
    for i in order {
        if let Some(file) = files[i].take() {
            ranges[i] = assembly.add(file);
        }
    }
    (assembly.finish(), ranges)
}

/// A model put together a file at a time, in path order, as the files
/// come (`assemble_owned_ranges` has them all; the Triage "as of" read
/// adds each run of files as soon as it is parsed, so the parsed files and
/// the model never both hold every component: issue 17).
pub struct Assembly {
    model: Model,
}

impl Assembly {
    /// Room for `components` components, sized once: grown by doubling,
    /// the list of 200,000 components was copied over and over (and each
    /// copy faulted in fresh pages).
    pub fn sized_for(components: usize) -> Assembly {
        let mut model = Model::default();
        model.components.reserve_exact(components);
        Assembly { model }
    }

    /// Moves the content of `file` into the model (copies it, when someone
    /// else holds the file too); returns where its components went.
    pub fn add(&mut self, file: Arc<ParsedFile>) -> std::ops::Range<usize> {
        let model = &mut self.model;
        let content = match Arc::try_unwrap(file) {
            Ok(file) => file.content,
            Err(shared) => shared.content.clone(),
        };
        let start = model.components.len();
        match content {
            Some(FileContent::Settings(s)) => model.settings = *s,
            Some(FileContent::Team(t)) => model.teams.push(*t),
            Some(FileContent::Components(c)) => model.components.extend(c),
            Some(FileContent::Pillars(p)) => model.pillars.extend(p),
            Some(FileContent::Layers(l)) => model.layers.extend(l),
            Some(FileContent::Scenarios(s)) => model.scenarios.extend(s),
            Some(FileContent::Matrix(m)) => model.matrices.push(*m),
            None => {}
        }
        start..model.components.len()
    }

    /// The model, its teams sorted and its lists in stack order.
    pub fn finish(self) -> Model {
        let mut model = self.model;
        // Sized from a guess (`[[component]]` headers counted in the
        // bytes, some perhaps in strings or comments): room far beyond
        // what was filled is given back rather than held with the model.
        if model.components.capacity() > model.components.len() + model.components.len() / 8 {
            model.components.shrink_to_fit();
        }
        model.teams.sort_by(|a, b| a.id.cmp(&b.id));
        model.reindex();
        // Stack order: the standard layers top to bottom, then any others as declared.
        model.layers.sort_by_key(|l| {
            STANDARD_LAYERS
                .iter()
                .position(|s| *s == l.id)
                .unwrap_or(STANDARD_LAYERS.len())
        });
        model.pillars.sort_by_key(|p| {
            STANDARD_PILLARS
                .iter()
                .position(|s| *s == p.id)
                .unwrap_or(STANDARD_PILLARS.len())
        });
        model
    }
}

/// Parses and assembles in one go: the files of a data folder as (path, bytes).
pub fn parse_all<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> (Model, Vec<Diagnostic>) {
    let files: Vec<(&str, &[u8])> = files.into_iter().collect();
    let parsed = parse_files(&files);
    let diagnostics = parsed
        .iter()
        .flat_map(|f| f.diagnostics.iter().cloned())
        .collect();
    (assemble_owned(parsed), diagnostics)
}

/// Below this many bytes in all, parsing on other threads does not pay.
const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// Parses independent files, on every core when there is enough to parse
/// (a large organisation's data folder is megabytes of TOML).
pub fn parse_files(files: &[(&str, &[u8])]) -> Vec<Arc<ParsedFile>> {
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if total < PARALLEL_FROM_BYTES || threads < 2 || files.len() < 2 {
        return files
            .iter()
            .map(|(path, bytes)| Arc::new(parse_file(path, bytes)))
            .collect();
    }
    // Hand out files in turn so large and small ones spread evenly.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<Option<Arc<ParsedFile>>> = vec![None; files.len()];
    let results: Vec<Vec<(usize, ParsedFile)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((path, bytes)) = files.get(i) else {
                            break;
                        };
                        done.push((i, parse_file(path, bytes)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    for (i, file) in results.into_iter().flatten() {
        slots[i] = Some(Arc::new(file));
    }
    slots.into_iter().flatten().collect()
}

// ---------------------------------------------------------------------------
// Raw serde shapes: everything optional, so one missing key is a finding on
// one entry rather than a file that does not load.

#[derive(Deserialize)]
struct RawSettings {
    schema: Option<i64>,
    org: Option<String>,
    /// A number of days, or a table by tier: `1 = 90`, `default = 365`.
    review_every_days: Option<toml::Value>,
    placeholder_owners: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct RawOnCall {
    rotation: Option<String>,
    pager: Option<String>,
    hours: Option<String>,
    #[serde(default)]
    escalation: Vec<String>,
}

#[derive(Deserialize)]
struct RawTeam {
    name: Option<String>,
    kind: Option<String>,
    description: Option<String>,
    lead: Option<String>,
    #[serde(default)]
    members: Vec<String>,
    channel: Option<String>,
    oncall: Option<RawOnCall>,
    #[serde(default)]
    codeowners: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
struct RawComponents {
    #[serde(default)]
    component: Vec<Spanned<RawComponent>>,
}

#[derive(Deserialize)]
struct RawDuty {
    party: Option<String>,
    #[serde(default)]
    covers: Vec<String>,
}

#[derive(Deserialize)]
struct RawComponent {
    id: Option<String>,
    name: Option<String>,
    layer: Option<String>,
    pillar: Option<String>,
    owner: Option<String>,
    tier: Option<i64>,
    #[serde(default)]
    consumers: Vec<String>,
    runbook: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    reviewed: Option<toml::Value>,
    #[serde(default)]
    duty: Vec<RawDuty>,
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    repo: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Deserialize)]
struct RawPillars {
    #[serde(default)]
    pillar: Vec<Spanned<RawPillar>>,
}

#[derive(Deserialize)]
struct RawPillar {
    id: Option<String>,
    name: Option<String>,
    primary: Option<OneOrMany>,
    shared: Option<String>,
    boundary: Option<String>,
    #[serde(default)]
    duties: toml::Table,
}

#[derive(Deserialize)]
struct RawLayers {
    #[serde(default)]
    layer: Vec<Spanned<RawLayer>>,
}

#[derive(Deserialize)]
struct RawLayer {
    id: Option<String>,
    name: Option<String>,
    scope: Option<String>,
    #[serde(default)]
    roles: toml::Table,
}

#[derive(Deserialize)]
struct RawScenarios {
    #[serde(default)]
    scenario: Vec<Spanned<RawScenario>>,
}

#[derive(Deserialize)]
struct RawScenario {
    id: Option<String>,
    title: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    components: Vec<String>,
    first: Option<String>,
    platform_asks: Option<String>,
    application_asks: Option<String>,
    resolution: Option<String>,
    escalate: Option<String>,
}

#[derive(Deserialize)]
struct RawRow {
    name: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
}

#[derive(Deserialize)]
struct RawMatrix {
    id: Option<String>,
    title: Option<String>,
    #[serde(default)]
    parties: Vec<String>,
    #[serde(default)]
    row: Vec<RawRow>,
}

// ---------------------------------------------------------------------------

/// Per-file context: the text for line numbers and where findings go.
struct FileCx<'a> {
    path: &'a str,
    text: &'a str,
    lines: LineIndex,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl FileCx<'_> {
    fn parse<T: DeserializeOwned>(&mut self) -> Option<T> {
        let mut unknown: Vec<String> = Vec::new();
        let result = toml::Deserializer::parse(self.text)
            .and_then(|de| serde_ignored::deserialize(de, |path| unknown.push(path.to_string())));
        match result {
            Ok(value) => {
                for key_path in unknown {
                    let key = key_path.rsplit('.').next().unwrap_or(&key_path).to_string();
                    let location = self.find_key(&key);
                    self.diagnostics.push(Diagnostic::warning(
                        "unknown_key",
                        location,
                        format!("unknown key `{key_path}` (ignored)"),
                    ));
                }
                Some(value)
            }
            Err(e) => {
                let location = match e.span() {
                    Some(span) => {
                        let (line, column) = line_col(self.text, span.start);
                        Location::at(self.path, line, column)
                    }
                    // A depth limit hit while deserializing has no span:
                    // point at the most deeply nested line instead.
                    None => match self.deepest_line() {
                        Some(line) => Location::at(self.path, line, 1),
                        None => Location::file(self.path),
                    },
                };
                let mut message = e.message().trim().to_string();
                if e.span().is_none() && location.line.is_some() {
                    message
                        .push_str(": keys or values nest too deeply (the deepest is on this line)");
                }
                self.diagnostics
                    .push(Diagnostic::error("parse", location, message));
                None
            }
        }
    }

    /// The line (1-based) with the most nesting (dots of a dotted key,
    /// brackets and braces), when one nests at all.
    fn deepest_line(&self) -> Option<u32> {
        self.text
            .lines()
            .enumerate()
            .map(|(i, l)| {
                (
                    l.bytes()
                        .filter(|b| matches!(b, b'.' | b'[' | b'{'))
                        .count(),
                    i,
                )
            })
            .filter(|(depth, _)| *depth > 0)
            .max_by_key(|(depth, i)| (*depth, std::cmp::Reverse(*i)))
            .map(|(_, i)| i as u32 + 1)
    }

    /// Best effort: the first line that assigns `key`, for unknown-key findings.
    fn find_key(&self, key: &str) -> Location {
        for (i, line) in self.text.lines().enumerate() {
            let trimmed = line.trim_start();
            let bare = trimmed.trim_start_matches('"');
            if let Some(rest) = bare.strip_prefix(key) {
                let rest = rest.trim_start_matches('"').trim_start();
                if rest.starts_with('=') || rest.starts_with(']') || rest.starts_with('.') {
                    let column = (line.len() - trimmed.len()) as u32 + 1;
                    return Location::at(self.path, i as u32 + 1, column);
                }
            }
            if let Some(header) = trimmed.strip_prefix('[') {
                let header = header.trim_start_matches('[').trim();
                if header.trim_end_matches(']').trim() == key {
                    return Location::at(self.path, i as u32 + 1, 1);
                }
            }
        }
        Location::file(self.path)
    }

    fn loc(&self, span: &std::ops::Range<usize>) -> Location {
        let (line, column) = self.lines.line_col(self.text, span.start);
        Location::at(self.path, line, column)
    }

    fn missing(&mut self, location: &Location, what: &str, key: &str, subject: Option<Subject>) {
        let mut d = Diagnostic::error(
            "missing_field",
            location.clone(),
            format!("{what} has no `{key}`"),
        );
        d.subject = subject;
        self.diagnostics.push(d);
    }

    fn settings(&mut self, raw: RawSettings) -> Settings {
        let location = Location::at(self.path, 1, 1);
        let schema = match raw.schema {
            // Negative or zero: not a version (it used to wrap to 4294967295).
            Some(n) if n < 1 => {
                let line = self
                    .text
                    .lines()
                    .position(|l| l.trim_start().starts_with("schema"))
                    .map_or(1, |i| i as u32 + 1);
                self.diagnostics.push(Diagnostic::error(
                    "invalid_schema",
                    Location::at(self.path, line, 1),
                    format!("`schema = {n}` is not a schema version; versions start at 1"),
                ));
                0
            }
            Some(n) => u32::try_from(n).unwrap_or(u32::MAX),
            None => {
                self.missing(&location, "demarc.toml", "schema", None);
                0
            }
        };
        let (review_every_days, review_every_days_by_tier) = match raw.review_every_days {
            None => (None, Vec::new()),
            Some(toml::Value::Integer(n)) => (u32::try_from(n).ok(), Vec::new()),
            Some(toml::Value::Table(table)) => self.cadence_by_tier(&table),
            Some(other) => {
                let location = self.find_key("review_every_days");
                self.diagnostics.push(Diagnostic::warning(
                    "invalid_cadence",
                    location,
                    format!(
                        "`review_every_days = {other}` is neither a number of days nor a table by tier; it is ignored"
                    ),
                ));
                (None, Vec::new())
            }
        };
        Settings {
            schema,
            org: raw.org.unwrap_or_default(),
            review_every_days,
            review_every_days_by_tier,
            placeholder_owners: raw.placeholder_owners,
            backstage: false,
        }
    }

    /// `[review_every_days]`: tiers 1 to 4 and `default`, each a number
    /// of days; anything else is a finding and is left out.
    fn cadence_by_tier(&mut self, table: &toml::Table) -> (Option<u32>, Vec<(u8, u32)>) {
        let mut default = None;
        let mut by_tier = Vec::new();
        for (key, value) in table {
            let days = value.as_integer().and_then(|n| u32::try_from(n).ok());
            let tier = key.parse::<u8>().ok().filter(|t| (1..=4).contains(t));
            match (key.as_str(), tier, days) {
                ("default", _, Some(days)) => default = Some(days),
                (_, Some(tier), Some(days)) => by_tier.push((tier, days)),
                _ => {
                    let location = self.find_key(key);
                    self.diagnostics.push(Diagnostic::warning(
                        "invalid_cadence",
                        location,
                        format!(
                            "`review_every_days.{key} = {value}` is not a tier from 1 to 4 (or `default`) with a number of days; it is ignored"
                        ),
                    ));
                }
            }
        }
        by_tier.sort();
        (default, by_tier)
    }

    fn team(&mut self, raw: RawTeam) -> Team {
        let id = self
            .path
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".toml"))
            .unwrap_or_default()
            .to_string();
        let location = Location::at(self.path, 1, 1);
        let subject = || Subject::new(SubjectKind::Team, &id);
        if raw.name.is_none() {
            self.missing(&location, &format!("team `{id}`"), "name", Some(subject()));
        }
        if raw.kind.is_none() {
            self.missing(&location, &format!("team `{id}`"), "kind", Some(subject()));
        }
        let codeowners: Vec<(String, Location)> = (raw.codeowners.into_iter())
            .filter_map(|handle| {
                self.valid_value(
                    handle,
                    "invalid_handle",
                    &subject,
                    crate::codeowners::syntax::check_owner,
                )
            })
            .collect();
        Team {
            name: raw.name.unwrap_or_else(|| id.clone()),
            id,
            kind: raw.kind.unwrap_or_else(|| "other".into()),
            description: raw.description,
            lead: raw.lead,
            members: raw.members,
            channel: raw.channel,
            oncall: raw.oncall.map(|o| OnCall {
                rotation: o.rotation,
                pager: o.pager,
                hours: o.hours,
                escalation: o.escalation,
            }),
            codeowners: codeowners.into_iter().map(|(h, _)| h).collect(),
            location,
        }
    }

    fn component(&mut self, raw: Spanned<RawComponent>) -> Component {
        let location = self.loc(&raw.span());
        let raw = raw.into_inner();
        let id = match raw.id {
            Some(id) => id,
            None => {
                self.missing(&location, "a component", "id", None);
                String::new()
            }
        };
        // A finding's subject (a copy of the id) is made only for a
        // finding: made up front, it was two or three allocations per
        // component for nothing.
        let subject = || Subject::new(SubjectKind::Component, &id);
        if raw.name.is_none() {
            self.missing(
                &location,
                &format!("component `{id}`"),
                "name",
                Some(subject()),
            );
        }
        let reviewed = raw.reviewed.map(|v| match v {
            toml::Value::String(s) => s,
            // Display on the date itself: Value's runs the whole serializer.
            toml::Value::Datetime(d) => d.to_string(),
            other => other.to_string(),
        });
        let mut duties = Vec::with_capacity(raw.duty.len());
        for duty in raw.duty {
            match duty.party {
                Some(party) => duties.push(Duty {
                    party: party_of(party),
                    covers: duty.covers,
                }),
                None => self.missing(
                    &location,
                    &format!("a duty of component `{id}`"),
                    "party",
                    Some(subject()),
                ),
            }
        }
        let mut paths = Vec::with_capacity(raw.paths.len());
        let mut path_locations = Vec::with_capacity(raw.paths.len());
        for path in raw.paths {
            if let Some((path, location)) = self.valid_value(
                path,
                "invalid_path",
                &subject,
                crate::codeowners::syntax::check_pattern,
            ) {
                paths.push(path);
                path_locations.push(location);
            }
        }
        let repo = raw.repo.and_then(|repo| {
            self.valid_value(
                repo,
                "invalid_repo",
                &subject,
                crate::codeowners::syntax::check_repo,
            )
            .map(|(r, _)| r)
        });
        Component {
            name: raw.name.unwrap_or_else(|| id.clone()),
            id,
            layer: raw.layer,
            pillar: raw.pillar,
            owner: raw.owner.unwrap_or_default(),
            tier: raw.tier.map(|t| u8::try_from(t).unwrap_or(u8::MAX)),
            consumers: raw.consumers,
            runbook: raw.runbook,
            tags: raw.tags,
            reviewed,
            duties,
            paths,
            path_locations,
            repo,
            location,
        }
    }

    /// One value of a list, with where it was written, when it passes
    /// `valid`; otherwise a warning at its line and column (the column of
    /// the offending character inside the string), about `subject()`.
    fn valid_value(
        &mut self,
        value: Spanned<String>,
        code: &'static str,
        subject: &dyn Fn() -> Subject,
        valid: impl Fn(&str) -> Result<(), crate::codeowners::syntax::Problem>,
    ) -> Option<(String, Location)> {
        let mut location = self.loc(&value.span());
        let value = value.into_inner();
        match valid(&value) {
            Ok(()) => Some((value, location)),
            Err(problem) => {
                // Past the opening quote, to the offending character.
                location.column = location.column.map(|c| c + 1 + problem.offset as u32);
                let mut d =
                    Diagnostic::warning(code, location, format!("{} (ignored)", problem.message));
                d.subject = Some(subject());
                self.diagnostics.push(d);
                None
            }
        }
    }

    /// A `party = value` table (pillar duties, layer roles) in file order.
    fn party_table<T>(
        &mut self,
        table: toml::Table,
        location: &Location,
        what: &str,
        convert: impl Fn(toml::Value) -> Option<T>,
    ) -> Vec<(Party, T)> {
        let mut out = Vec::new();
        for (party, value) in table {
            match convert(value) {
                Some(v) => out.push((Party::parse(&party), v)),
                None => self.diagnostics.push(Diagnostic::error(
                    "parse",
                    location.clone(),
                    format!("{what}: the entry for `{party}` has the wrong type"),
                )),
            }
        }
        out
    }

    fn pillar(&mut self, raw: Spanned<RawPillar>) -> Pillar {
        let location = self.loc(&raw.span());
        let raw = raw.into_inner();
        let id = raw.id.unwrap_or_else(|| {
            self.missing(&location, "a pillar", "id", None);
            String::new()
        });
        let duties = self.party_table(
            raw.duties,
            &location,
            &format!("pillar `{id}` duties"),
            |v| match v {
                toml::Value::Array(items) => items
                    .into_iter()
                    .map(|i| i.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>(),
                toml::Value::String(s) => Some(vec![s]),
                _ => None,
            },
        );
        Pillar {
            name: raw.name.unwrap_or_else(|| id.clone()),
            id,
            primary: raw
                .primary
                .map(OneOrMany::into_vec)
                .unwrap_or_default()
                .iter()
                .map(|p| Party::parse(p))
                .collect(),
            shared: raw.shared,
            boundary: raw.boundary,
            duties,
            location,
        }
    }

    fn layer(&mut self, raw: Spanned<RawLayer>) -> Layer {
        let location = self.loc(&raw.span());
        let raw = raw.into_inner();
        let id = raw.id.unwrap_or_else(|| {
            self.missing(&location, "a layer", "id", None);
            String::new()
        });
        let roles = self.party_table(raw.roles, &location, &format!("layer `{id}` roles"), |v| {
            v.as_str().map(str::to_string)
        });
        Layer {
            name: raw.name.unwrap_or_else(|| id.clone()),
            id,
            scope: raw.scope,
            roles,
            location,
        }
    }

    fn scenario(&mut self, raw: Spanned<RawScenario>) -> Scenario {
        let location = self.loc(&raw.span());
        let raw = raw.into_inner();
        let id = raw.id.unwrap_or_else(|| {
            self.missing(&location, "a scenario", "id", None);
            String::new()
        });
        Scenario {
            title: raw.title.unwrap_or_else(|| id.clone()),
            id,
            keywords: raw.keywords,
            components: raw.components,
            first: raw.first.as_deref().map(Party::parse),
            platform_asks: raw.platform_asks,
            application_asks: raw.application_asks,
            resolution: raw.resolution,
            escalate: raw.escalate.as_deref().map(Party::parse),
            location,
        }
    }

    fn matrix(&mut self, raw: RawMatrix) -> Matrix {
        let location = Location::at(self.path, 1, 1);
        let stem = self
            .path
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".toml"))
            .unwrap_or_default()
            .to_string();
        let id = raw.id.unwrap_or(stem);
        Matrix {
            title: raw.title.unwrap_or_else(|| id.clone()),
            id,
            parties: raw.parties.iter().map(|p| Party::parse(p)).collect(),
            rows: raw
                .row
                .into_iter()
                .map(|r| MatrixRow {
                    name: r.name.unwrap_or_default(),
                    roles: r.roles,
                })
                .collect(),
            location,
        }
    }
}

/// `Party::parse`, keeping the text itself for a plain team id (no
/// blanks around it, no `@`) rather than copying it: one allocation less
/// per duty.
fn party_of(text: String) -> Party {
    if text.starts_with('@') || text.trim().len() != text.len() {
        Party::parse(&text)
    } else {
        Party::Team(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_party_is_read_as_party_parse_reads_it() {
        for text in [
            "team",
            " team ",
            "@product",
            "@consumers",
            "",
            " ",
            "@",
            "a b",
            "\tx",
        ] {
            assert_eq!(party_of(text.to_string()), Party::parse(text), "{text:?}");
        }
    }

    /// Line and column of an offset, counted from the top.
    fn naive_line_col(text: &str, offset: usize) -> (u32, u32) {
        let before = &text.as_bytes()[..offset.min(text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
        (line as u32, column as u32)
    }

    proptest::proptest! {
        /// Offsets asked in any order (forward, backward, past the end,
        /// inside a character) are located as counting from the top does.
        #[test]
        fn offsets_in_any_order_are_located_as_from_the_top(
            text in "[a\n\r é]{0,40}",
            offsets in proptest::collection::vec(0usize..50, 0..12),
        ) {
            let index = LineIndex::new();
            for offset in offsets {
                proptest::prop_assert_eq!(index.line_col(&text, offset), naive_line_col(&text, offset));
            }
        }
    }

    #[test]
    fn file_kinds_follow_the_layout() {
        assert_eq!(FileKind::of_path("demarc.toml"), Some(FileKind::Settings));
        assert_eq!(FileKind::of_path("teams/a.toml"), Some(FileKind::Team));
        assert_eq!(
            FileKind::of_path("components/x.toml"),
            Some(FileKind::Components)
        );
        assert_eq!(FileKind::of_path("components/deep/x.toml"), None);
        assert_eq!(FileKind::of_path("README.md"), None);
        assert_eq!(FileKind::of_path("other.toml"), None);
    }

    #[test]
    fn a_syntax_error_has_line_and_column() {
        let f = parse_file(
            "components/a.toml",
            b"[[component]]\nid = \"x\"\nname = \"oops\n",
        );
        assert!(f.is_broken());
        let d = f.parse_error().unwrap();
        assert_eq!(d.location.file, "components/a.toml");
        assert_eq!(d.location.line, Some(3));
        assert!(d.location.column.is_some());
    }

    #[test]
    fn unknown_keys_are_warnings_with_a_line() {
        let f = parse_file(
            "teams/a.toml",
            b"name = \"A\"\nkind = \"platform\"\ncolour = \"red\"\n",
        );
        assert!(!f.is_broken());
        let d = &f.diagnostics[0];
        assert_eq!(d.code, "unknown_key");
        assert_eq!(d.location.line, Some(3));
    }

    #[test]
    fn components_keep_their_line_and_duties() {
        let text = "[[component]]\nid = \"a\"\nname = \"A\"\nowner = \"t\"\n\n[[component]]\nid = \"b\"\nname = \"B\"\nowner = \"t\"\nreviewed = 2026-01-02\n[[component.duty]]\nparty = \"@consumers\"\ncovers = [\"schema\"]\n";
        let f = parse_file("components/a.toml", text.as_bytes());
        let Some(FileContent::Components(c)) = f.content else {
            panic!()
        };
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].reviewed.as_deref(), Some("2026-01-02"));
        assert_eq!(c[1].duties[0].party, Party::Consumers);
        assert!(c[1].location.line.unwrap() >= 6, "{:?}", c[1].location);
    }

    /// The history walk keeps one `ParsedFile` per component table (see
    /// `FileContent`): a large variant unboxed would make each of them as
    /// large as it.
    #[test]
    fn a_parsed_file_is_small() {
        assert!(std::mem::size_of::<ParsedFile>() <= 96);
    }

    #[test]
    fn non_utf8_is_a_parse_error() {
        let f = parse_file("teams/a.toml", b"name = \"A\xff\"\n");
        assert_eq!(f.parse_error().unwrap().location.line, Some(1));
    }
}
