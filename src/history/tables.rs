//! Large component files parsed table by table. A data commit usually edits
//! one component of a file that holds a hundred; the walk must parse the
//! file's older version, and parsing 50 KB of TOML per commit is what a
//! long history spends its time on. Split at the `[[component]]` headers,
//! each table parses on its own, and tables whose bytes were seen before
//! (in the newer version, almost all of them) come from a cache, shared
//! between versions without a copy.
//!
//! A review re-dates components (`reviewed = 2026-01-01` becomes another
//! date) and so changes the bytes of every table it touches, though not
//! what the table means otherwise. Tables are therefore cached by their
//! text with the date left out, and a table that differs from a cached one
//! only in that date is the cached parse with the date set (a clone, not a
//! parse). Only where that is exactly what the parser would give: the
//! line is `reviewed = YYYY-MM-DD` alone, at the table's top level (no
//! `{` before it, no other header), the table names `reviewed` nowhere
//! else, the date is one the parser accepts, and the cached parse took its
//! date from that line (see `review_date` and `Table::redatable`).
//!
//! Only for files plainly made of `[[component]]` tables: any other
//! top-level header, a multi-line string (which could hide a header-like
//! line) or a table that does not parse sends the file to the ordinary
//! whole-file parse, so errors and their locations are exactly the
//! parser's.

use crate::model::parse::FileContent;
use crate::model::{FileKind, ParsedFile, parse_file};
use memchr::memmem::{self, Finder};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, LazyLock};

/// Smaller files are parsed whole: splitting would not pay.
pub const MIN_BYTES: usize = 8 * 1024;
/// Tables the cache may hold beyond those in use (see `TableCache::sweep`).
const SPARE: usize = 4_000;
/// Tables kept per hash value: a crafted file whose tables share a hash
/// costs at most this many comparisons per table.
const BUCKET: usize = 4;
/// `YYYY-MM-DD`.
const DATE: usize = 10;
const REVIEWED: &str = "reviewed = ";

/// A table's text (as a digest), what it parsed to, and (when another
/// version that differs only in its review date may reuse the parse) where
/// the date is.
///
/// The text itself is not kept: it was only ever compared, and at 200,000
/// components the texts of the walk's first version were 75 MB held for
/// the whole walk (issue 17). A SHA-256 digest compares as the text did
/// (a collision, crafted or not, is not known to be findable), in 32 bytes.
struct Table {
    /// SHA-256 of the text, or, with `review`, of the text without its
    /// review date (the bytes before it, then those after it).
    digest: [u8; 32],
    len: usize,
    review: Option<usize>,
    /// The review date's bytes (with `review`; zeros otherwise).
    date: [u8; DATE],
    parsed: Arc<ParsedFile>,
}

impl Table {
    /// Does this entry hold `probe`'s text, or that text with another
    /// review date?
    fn holds(&self, path: &str, probe: &Probe) -> bool {
        if self.parsed.path != path || self.len != probe.text.len() {
            return false;
        }
        match (self.review, probe.review) {
            (Some(a), Some(b)) if a == b => self.digest == probe.digest(Some(a)),
            // The same text has the same review line: a table kept with
            // one and a text without (or with it elsewhere) differ.
            (Some(_), _) => false,
            (None, _) => self.digest == probe.digest(None),
        }
    }
}

/// A table looked up in the cache: its text, its review date, and its
/// digests, each computed once and only when a cached table of the same
/// path and length asks for it (or the table is kept).
struct Probe<'a> {
    text: &'a str,
    review: Option<usize>,
    whole: std::cell::OnceCell<[u8; 32]>,
    undated: std::cell::OnceCell<[u8; 32]>,
}

impl<'a> Probe<'a> {
    fn new(text: &'a str, review: Option<usize>) -> Probe<'a> {
        Probe {
            text,
            review,
            whole: std::cell::OnceCell::new(),
            undated: std::cell::OnceCell::new(),
        }
    }

    /// The digest of the text, or (`at`: where its review date starts, one
    /// `review_date` found) of the text without the date.
    fn digest(&self, at: Option<usize>) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        match at {
            Some(at) => *self.undated.get_or_init(|| {
                let mut hasher = Sha256::new();
                hasher.update(&self.text.as_bytes()[..at]);
                hasher.update(&self.text.as_bytes()[at + DATE..]);
                hasher.finalize().into()
            }),
            None => *self
                .whole
                .get_or_init(|| Sha256::digest(self.text.as_bytes()).into()),
        }
    }

    fn date(&self, at: usize) -> [u8; DATE] {
        let mut date = [0; DATE];
        date.copy_from_slice(&self.text.as_bytes()[at..at + DATE]);
        date
    }
}

#[derive(Default)]
pub struct TableCache {
    tables: HashMap<u64, Vec<Table>>,
    len: usize,
    /// At this many tables the cache is swept (see `sweep`); never below
    /// `SPARE`.
    limit: usize,
    pub parsed: usize,
    pub hits: usize,
    /// Hits that differed from the cached table in the review date only.
    pub redated: usize,
    /// Each re-dated table handed out since the last `take_aliases`, with
    /// the table it was re-dated from: the two mean the same apart from
    /// the review date, which is no boundary, so the diff may treat them
    /// as one shared table (see `diff::diff_parts_aliased`). Held as `Arc`s
    /// so an address is never reused while it is listed here.
    aliases: Vec<(Arc<ParsedFile>, Arc<ParsedFile>)>,
}

impl TableCache {
    /// The file's tables parsed one by one, or None when it must be parsed
    /// whole. The tables' line numbers count from their own header (history
    /// compares content, never locations, and shifting them would cost a
    /// copy of every component).
    pub fn parse(&mut self, path: &str, bytes: &[u8]) -> Option<Vec<Arc<ParsedFile>>> {
        if bytes.len() < MIN_BYTES || FileKind::of_path(path) != Some(FileKind::Components) {
            return None;
        }
        let text = std::str::from_utf8(bytes).ok()?;
        let starts = table_starts(text)?;
        let mut parts = Vec::with_capacity(starts.len());
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let parsed = self.table(path, &text[start..end]);
            if parsed.parse_error().is_some()
                || !matches!(parsed.content, Some(FileContent::Components(_)))
            {
                return None;
            }
            parts.push(parsed);
        }
        Some(parts)
    }

    /// A cache that is never emptied, for a worker that parses the first
    /// version's files (it holds no more than those files' tables).
    pub fn unbounded() -> TableCache {
        TableCache {
            limit: usize::MAX,
            ..TableCache::default()
        }
    }

    /// The re-dated tables handed out since the last call, each with the
    /// table it was re-dated from (newest version's first).
    pub fn take_aliases(&mut self) -> Vec<(Arc<ParsedFile>, Arc<ParsedFile>)> {
        std::mem::take(&mut self.aliases)
    }

    /// Forgets the re-dated tables listed so far (no diff will ask).
    pub fn clear_aliases(&mut self) {
        self.aliases.clear();
    }

    /// Takes in another cache's tables (one filled on another thread).
    pub fn absorb(&mut self, other: TableCache) {
        self.parsed += other.parsed;
        self.hits += other.hits;
        self.redated += other.redated;
        for (key, tables) in other.tables {
            for table in tables {
                let bucket = self
                    .tables
                    .entry(key)
                    .or_insert_with(|| Vec::with_capacity(1));
                if bucket.len() < BUCKET {
                    bucket.push(table);
                    self.len += 1;
                }
            }
        }
        self.limit = self.limit.max(self.len.saturating_add(SPARE));
    }

    /// Lets go of the tables no version in use holds (the walk's current
    /// version, a commit waiting for its diff, the file cache): those are
    /// the ones the next versions share, and the rest are older texts that
    /// come back only when a change is reverted. The next sweep comes after
    /// `SPARE` more tables, so the cache holds at most that many tables
    /// beyond those in use, at any history length (emptying it instead
    /// would parse every table of the next changed files again), and
    /// sweeping costs one look at each table per `SPARE` tables parsed.
    fn sweep(&mut self) {
        self.tables.retain(|_, bucket| {
            bucket.retain(|t| Arc::strong_count(&t.parsed) > 1);
            !bucket.is_empty()
        });
        self.len = self.tables.values().map(Vec::len).sum();
        self.limit = self.len.saturating_add(SPARE);
    }

    fn table(&mut self, path: &str, table: &str) -> Arc<ParsedFile> {
        let review = review_date(table);
        let key = key_of(table, review);
        let probe = Probe::new(table, review);
        if let Some(entry) = self
            .tables
            .get_mut(&key)
            .and_then(|v| v.iter_mut().find(|e| e.holds(path, &probe)))
        {
            self.hits += 1;
            if let Some(at) = entry.review
                && entry.date != probe.date(at)
            {
                // Keep the newest dates: the versions walked next share them.
                self.redated += 1;
                let redated = Arc::new(redate(&entry.parsed, &table[at..at + DATE]));
                let from = std::mem::replace(&mut entry.parsed, redated.clone());
                self.aliases.push((redated, from));
                entry.date = probe.date(at);
            }
            return entry.parsed.clone();
        }
        let parsed = Arc::new(lean(parse_file(path, table.as_bytes())));
        self.parsed += 1;
        if self.len >= self.limit.max(SPARE) {
            self.sweep();
        }
        let review = review.filter(|&at| redatable(&parsed, &table[at..at + DATE]));
        // Most keys hold one table: a bucket grown by `push` would hold
        // room for four (160 bytes a table, 24 MB at 200,000 components).
        let bucket = self
            .tables
            .entry(key)
            .or_insert_with(|| Vec::with_capacity(1));
        if bucket.len() >= BUCKET {
            bucket.remove(0);
            self.len -= 1;
        }
        bucket.push(Table {
            digest: probe.digest(review),
            len: table.len(),
            review,
            date: review.map_or([0; DATE], |at| probe.date(at)),
            parsed: parsed.clone(),
        });
        self.len += 1;
        parsed
    }
}

/// A table's parse with only what history reads of it: the fields the
/// diff compares (see `diff::components`: owner, layer, pillar, tier,
/// consumers, duties), the id, and the review date (the trends' overdue
/// figure, and `redatable`). The name, runbook, tags, code paths, repository
/// and locations are no boundary, and at 200,000 components they were a
/// fifth of the walk's memory. A component read whole (a small file, or one
/// not split) keeps them: the diff treats a lean and a whole component that
/// differ only there as no change.
fn lean(mut file: ParsedFile) -> ParsedFile {
    if let Some(FileContent::Components(list)) = &mut file.content {
        for c in list {
            c.name = String::new();
            c.runbook = None;
            c.tags = Vec::new();
            c.paths = Vec::new();
            c.path_locations = Vec::new();
            c.repo = None;
            c.location = Default::default();
        }
    }
    file
}

/// The cache key: the table's text, without its review date when it has
/// one that may be masked (so versions that differ there meet).
fn key_of(table: &str, review: Option<usize>) -> u64 {
    let mut hasher = FxHasher::default();
    match review {
        Some(at) => {
            table[..at].hash(&mut hasher);
            table[at + DATE..].hash(&mut hasher);
        }
        None => table.hash(&mut hasher),
    }
    hasher.finish()
}

/// rustc's Fx hash, eight bytes a step: a hit is confirmed by comparing
/// the text's digest (`Table::holds`), and buckets are bounded (`BUCKET`), so the key needs speed
/// rather than SipHash's resistance to crafted collisions (SipHash over
/// table texts was 3 % of a long walk).
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut add = |word: u64| self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            add(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        add(u64::from_le_bytes(tail) ^ rest.len() as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Where the date of the table's `reviewed = YYYY-MM-DD` line starts, when
/// that line may be masked: the only mention of `reviewed` in the table, at
/// the start of a line of the table's own keys (before any sub-table
/// header, with no `{` before it that could open a multi-line inline
/// table), the date alone on the line and one the TOML parser accepts
/// (same code: `toml::value::Datetime`). The line start is never inside a
/// string or comment: files with multi-line strings are not split.
fn review_date(table: &str) -> Option<usize> {
    // Built once: a searcher built per call was 2 % of a long walk.
    static REVIEWED_LINE: LazyLock<Finder<'static>> =
        LazyLock::new(|| Finder::new(REVIEWED.as_bytes()));
    static REVIEWED_WORD: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"reviewed"));
    static HEADER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\n["));
    let bytes = table.as_bytes();
    let line = REVIEWED_LINE.find(bytes)?;
    if line == 0 || bytes[line - 1] != b'\n' {
        return None;
    }
    if REVIEWED_WORD.find(&bytes[line + 1..]).is_some()
        || memchr::memchr(b'{', &bytes[..line]).is_some()
    {
        return None;
    }
    // Sub-table headers start a line; the table's own header is line one.
    let first_line_end = memchr::memchr(b'\n', bytes)?;
    if HEADER.find(&bytes[first_line_end..line]).is_some() {
        return None;
    }
    let at = line + REVIEWED.len();
    let date = table.get(at..at + DATE)?;
    let rest = &table[at + DATE..];
    if !(rest.is_empty() || rest.starts_with('\n') || rest.starts_with("\r\n")) {
        return None;
    }
    let shape = date.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        _ => b.is_ascii_digit(),
    });
    if !shape {
        return None;
    }
    is_plain_date(date).then_some(at)
}

/// Does the TOML parser read `date` (`YYYY-MM-DD`) as that local date and
/// nothing else? Asked of every table of every version read, with a few
/// distinct dates in all: the answers are kept (per thread, bounded).
fn is_plain_date(date: &str) -> bool {
    const KEEP: usize = 4096;
    thread_local! {
        static ANSWERS: RefCell<HashMap<[u8; DATE], bool>> = RefCell::new(HashMap::new());
    }
    let Ok(key) = <[u8; DATE]>::try_from(date.as_bytes()) else {
        return false;
    };
    ANSWERS.with_borrow_mut(|answers| {
        if let Some(&known) = answers.get(&key) {
            return known;
        }
        let plain = date.parse::<toml::value::Datetime>().is_ok_and(|parsed| {
            parsed.date.is_some()
                && parsed.time.is_none()
                && parsed.offset.is_none()
                && parsed.to_string() == date
        });
        if answers.len() >= KEEP {
            answers.clear();
        }
        answers.insert(key, plain);
        plain
    })
}

/// Did this parse take its (one component's) review date from `date`, so
/// that the same text with another date parses to it with that date?
fn redatable(parsed: &ParsedFile, date: &str) -> bool {
    match &parsed.content {
        Some(FileContent::Components(list)) => {
            parsed.parse_error().is_none()
                && list.len() == 1
                && list[0].reviewed.as_deref() == Some(date)
        }
        _ => false,
    }
}

/// `parsed` (see `redatable`) with the review date `date`.
fn redate(parsed: &ParsedFile, date: &str) -> ParsedFile {
    let mut file = parsed.clone();
    if let Some(FileContent::Components(list)) = &mut file.content {
        for component in list {
            component.reviewed = Some(date.to_string());
        }
    }
    file
}

/// Byte offsets where the `[[component]]` tables start, or None when the
/// file is not plainly a list of them (see the module comment). Up to the
/// first header every line is looked at (only blank lines and comments
/// may come before it); after it only lines that start with `[` matter,
/// found by searching for the bracket rather than walking every line.
fn table_starts(text: &str) -> Option<Vec<usize>> {
    let bytes = text.as_bytes();
    if memmem::find(bytes, b"\"\"\"").is_some() || memmem::find(bytes, b"'''").is_some() {
        return None;
    }
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with('[') {
            break;
        }
        let t = line.trim();
        if !(t.is_empty() || t.starts_with('#')) {
            return None;
        }
        offset += line.len();
    }
    let mut at = offset;
    while at < text.len() {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i + 1);
        let bare = text[at..end].trim_end();
        if bare == "[[component]]" {
            starts.push(at);
        } else if !(bare.starts_with("[[component.") || bare.starts_with("[component."))
            || starts.is_empty()
        {
            return None;
        }
        at = next_bracket_line(bytes, end);
    }
    (!starts.is_empty()).then_some(starts)
}

/// The offset of the first line at or after `from` (a line start) that
/// starts with `[`, or the end of the text.
fn next_bracket_line(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(j) = memchr::memchr(b'[', &bytes[i..]) {
        let at = i + j;
        if at == from || bytes[at - 1] == b'\n' {
            return at;
        }
        i = at + 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big_file(n: usize) -> String {
        let mut text = String::from("# components\n\n");
        for i in 0..n {
            text.push_str(&format!(
                "[[component]]\nid = \"c{i}\"\nname = \"Component {i} with a long enough name\"\nowner = \"t{}\"\ntier = 2\nconsumers = [\"a\", \"b\"]\nreviewed = 2026-01-01\n\n[[component.duty]]\nparty = \"t{}\"\ncovers = [\"run\", \"upgrade\"]\n\n",
                i % 7,
                i % 7
            ));
        }
        text
    }

    /// The components of some parts, with only what history keeps of them
    /// (see `lean`): a whole-file parse compares with the tables' parts.
    fn components(parts: &[Arc<ParsedFile>]) -> Vec<crate::model::Component> {
        parts
            .iter()
            .flat_map(|p| match lean(ParsedFile::clone(p)).content {
                Some(FileContent::Components(list)) => list,
                _ => Vec::new(),
            })
            .collect()
    }

    #[test]
    fn table_by_table_equals_the_whole_file() {
        let text = big_file(80);
        assert!(text.len() > MIN_BYTES);
        let whole = Arc::new(parse_file("components/big.toml", text.as_bytes()));
        let mut cache = TableCache::default();
        let split = cache
            .parse("components/big.toml", text.as_bytes())
            .expect("split");
        assert_eq!(split.len(), 80);
        assert_eq!(components(&split), components(&[whole]));
        // The second version differs in one table: one table parsed.
        let edited = text.replacen("owner = \"t3\"", "owner = \"t9\"", 1);
        let before = cache.parsed;
        let again = cache
            .parse("components/big.toml", edited.as_bytes())
            .unwrap();
        assert_eq!(cache.parsed - before, 1);
        let whole = Arc::new(parse_file("components/big.toml", edited.as_bytes()));
        assert_eq!(components(&again), components(&[whole]));
    }

    #[test]
    fn anything_unusual_is_parsed_whole() {
        let mut cache = TableCache::default();
        let text = big_file(80);
        let broken = text.replacen("consumers = [\"a\", \"b\"]", "consumers = [\"a\", \"b\"", 1);
        assert!(
            cache
                .parse("components/big.toml", broken.as_bytes())
                .is_none()
        );
        let other_table = format!("{text}[meta]\nx = 1\n");
        assert!(
            cache
                .parse("components/big.toml", other_table.as_bytes())
                .is_none()
        );
        let multiline = text.replacen(
            "name = \"Component 1 ",
            "name = \"\"\"Component 1 \"\"\"\nx = \"",
            1,
        );
        assert!(
            cache
                .parse("components/big.toml", multiline.as_bytes())
                .is_none()
        );
        assert!(cache.parse("scenarios/big.toml", text.as_bytes()).is_none());
        assert!(
            cache
                .parse("components/small.toml", big_file(2).as_bytes())
                .is_none()
        );
    }

    #[test]
    fn a_review_redates_cached_tables_without_parsing() {
        let text = big_file(80);
        let mut cache = TableCache::default();
        cache.parse("components/big.toml", text.as_bytes()).unwrap();
        let parsed = cache.parsed;
        let reviewed = text.replace("reviewed = 2026-01-01", "reviewed = 2026-04-01");
        let again = cache
            .parse("components/big.toml", reviewed.as_bytes())
            .unwrap();
        assert_eq!(cache.parsed, parsed, "no table parsed again");
        assert_eq!(cache.redated, 80);
        let whole = Arc::new(parse_file("components/big.toml", reviewed.as_bytes()));
        assert_eq!(components(&again), components(&[whole]));
        assert!(
            components(&again)
                .iter()
                .all(|c| c.reviewed.as_deref() == Some("2026-04-01"))
        );
        // A date the parser refuses is parsed, and the file falls back.
        let bad = reviewed.replacen("reviewed = 2026-04-01", "reviewed = 2026-02-30", 1);
        assert!(cache.parse("components/big.toml", bad.as_bytes()).is_none());
    }

    /// The digest stands for the text: one byte more, less or other (a
    /// table of the same path and length) is another table; the same text,
    /// or with another review date where that may be masked, is the same.
    #[test]
    fn a_table_holds_its_text_and_no_other() {
        let text = table_text(1, "2026-01-01", 0);
        let review = review_date(&text);
        assert!(review.is_some());
        let parsed = Arc::new(lean(parse_file(PATH, text.as_bytes())));
        let kept = |review: Option<usize>| {
            let probe = Probe::new(&text, review);
            Table {
                digest: probe.digest(review),
                len: text.len(),
                review,
                date: review.map_or([0; DATE], |at| probe.date(at)),
                parsed: parsed.clone(),
            }
        };
        for masked in [review, None] {
            let table = kept(masked);
            assert!(table.holds(PATH, &Probe::new(&text, review)));
            assert!(!table.holds("components/other.toml", &Probe::new(&text, review)));
            let redated = text.replace("2026-01-01", "2025-10-08");
            // Another date is the same table only where the date is masked.
            assert_eq!(
                table.holds(PATH, &Probe::new(&redated, review_date(&redated))),
                masked.is_some()
            );
            for (i, _) in text.char_indices() {
                for edit in [
                    format!("{}x{}", &text[..i], &text[i + 1..]),
                    format!("{}{}", &text[..i], &text[i + 1..]),
                    format!("{} {}", &text[..i], &text[i..]),
                ] {
                    if edit == text || edit == redated {
                        continue;
                    }
                    let probe = Probe::new(&edit, review_date(&edit));
                    let same_but_date = masked.is_some()
                        && probe.review == review
                        && edit.len() == text.len()
                        && edit[..review.unwrap()] == text[..review.unwrap()]
                        && edit[review.unwrap() + DATE..] == text[review.unwrap() + DATE..];
                    assert_eq!(table.holds(PATH, &probe), same_but_date, "{edit:?}");
                }
            }
        }
    }

    #[test]
    fn a_sweep_keeps_the_tables_in_use_and_frees_the_rest() {
        let mut cache = TableCache::default();
        let text = big_file(80);
        let held = cache.parse("components/big.toml", text.as_bytes()).unwrap();
        let other = text.replace("Component ", "Part ");
        let dropped = cache
            .parse("components/big.toml", other.as_bytes())
            .unwrap();
        assert_eq!(cache.len, 160);
        drop(dropped);
        cache.sweep();
        assert_eq!(cache.len, 80, "only the tables a version holds stay");
        assert_eq!(cache.limit, 80 + SPARE);
        let parsed = cache.parsed;
        let again = cache.parse("components/big.toml", text.as_bytes()).unwrap();
        assert_eq!(cache.parsed, parsed, "the kept tables are still hits");
        assert!(again.iter().zip(&held).all(|(a, b)| Arc::ptr_eq(a, b)));
        cache
            .parse("components/big.toml", other.as_bytes())
            .unwrap();
        assert_eq!(cache.parsed, parsed + 80, "the freed ones are parsed again");
    }

    const PATH: &str = "components/prop.toml";
    /// Valid dates, and some of the right shape the parser refuses.
    const DATES: [&str; 8] = [
        "2025-10-08",
        "2026-01-01",
        "2024-02-29",
        "0000-01-01",
        "2025-02-29",
        "2025-13-01",
        "2025-00-10",
        "2025-04-31",
    ];
    const STYLES: u8 = 12;

    /// One component table in one of the shapes the fast path must get
    /// right or leave alone.
    fn table_text(i: usize, date: &str, style: u8) -> String {
        let head = format!(
            "[[component]]\nid = \"c{i}\"\nname = \"Component {i}\"\nowner = \"t{}\"\nrunbook = \"https://runbooks.example/a-long-enough-path/c{i}\"\n",
            i % 5
        );
        let duty = "\n[[component.duty]]\nparty = \"@platform\"\ncovers = [\"run\"]\n\n";
        let body = match style {
            0 => format!("reviewed = {date}\n{duty}"),
            1 => format!("# reviewed = 2020-01-01, by someone\nreviewed = {date}\n{duty}"),
            2 => format!("{duty}reviewed = {date}\n\n"),
            3 => format!("reviewed = \"{date}\"\n{duty}"),
            4 => format!("extra = {{\nreviewed = {date}\n}}\n{duty}"),
            5 => format!("reviewed = {date}\nconsumers = [\"a\"\n{duty}"),
            6 => format!("reviewed = {date} # last review\n{duty}"),
            7 => format!("reviewed = {date}\r\n{duty}"),
            8 => format!("tags = [\n\"a\",\nreviewed = {date}\n]\n{duty}"),
            9 => format!("description = \"\"\"\nreviewed = {date}\n\"\"\"\n{duty}"),
            10 => format!("reviewed = {date}\nreviewed = {date}\n{duty}"),
            _ => format!("tier = 2\nreviewed = {date}"),
        };
        head + &body
    }

    proptest::proptest! {
        /// Every table the cache hands out (a cached parse, or one with its
        /// review date set) equals a fresh parse of that table (with what
        /// history keeps of it, see `lean`), and a file
        /// split into tables has the components of the whole-file parse,
        /// through versions that re-date, break and fix tables.
        #[test]
        fn cached_and_redated_tables_equal_a_fresh_parse(
            styles in proptest::collection::vec(0..STYLES, 50..60),
            rounds in proptest::collection::vec(
                proptest::collection::vec(
                    (0usize..60, 0usize..DATES.len(), proptest::bool::ANY),
                    0..30,
                ),
                1..6,
            ),
        ) {
            let n = styles.len();
            let mut dates = vec![0usize; n];
            let mut styles = styles;
            let mut cache = TableCache::default();
            for round in std::iter::once(Vec::new()).chain(rounds) {
                for (t, d, restyle) in round {
                    dates[t % n] = d;
                    if restyle {
                        styles[t % n] = (styles[t % n] + 1) % STYLES;
                    }
                }
                let tables: Vec<String> = (0..n)
                    .map(|i| table_text(i, DATES[dates[i]], styles[i]))
                    .collect();
                for table in &tables {
                    let got = cache.table(PATH, table);
                    proptest::prop_assert_eq!(&*got, &lean(parse_file(PATH, table.as_bytes())));
                }
                let file = format!("# components\n\n{}", tables.concat());
                proptest::prop_assert!(file.len() > MIN_BYTES);
                let whole = parse_file(PATH, file.as_bytes());
                if let Some(parts) = cache.parse(PATH, file.as_bytes()) {
                    proptest::prop_assert!(whole.parse_error().is_none());
                    proptest::prop_assert_eq!(components(&parts), components(&[Arc::new(whole)]));
                }
            }
        }
    }

    #[test]
    fn split_finds_the_same_tables_as_walking_every_line() {
        // The line-by-line reading `table_starts` replaced, kept as the
        // reference for its cases.
        fn by_lines(text: &str) -> Option<Vec<usize>> {
            if text.contains("\"\"\"") || text.contains("'''") {
                return None;
            }
            let mut starts = Vec::new();
            let mut offset = 0;
            for line in text.split_inclusive('\n') {
                let bare = line.trim_end();
                if bare == "[[component]]" {
                    starts.push(offset);
                } else if line.starts_with('[') {
                    if !(bare.starts_with("[[component.") || bare.starts_with("[component."))
                        || starts.is_empty()
                    {
                        return None;
                    }
                } else if starts.is_empty() {
                    let t = bare.trim_start();
                    if !(t.is_empty() || t.starts_with('#')) {
                        return None;
                    }
                }
                offset += line.len();
            }
            (!starts.is_empty()).then_some(starts)
        }
        let base = big_file(3);
        let cases = [
            base.clone(),
            format!("x = 1\n{base}"),
            format!("  # note\n\n{base}"),
            format!("{base}[meta]\n"),
            format!("[[component.duty]]\n{base}"),
            base.replace("[[component]]\n", "[[component]]  \r\n"),
            base.replace("consumers = [", "consumers = [\n[\"x\"],"),
            format!("{base}[[component]]"),
            format!("{base}[component.extra]\nx = 1\n"),
            base.replacen("[[component]]", "[[component]] # c", 1),
            String::new(),
            "# only a comment\n".to_string(),
            format!("{base}\n["),
            format!("{base}name = \"\"\"x\"\"\"\n"),
        ];
        for text in cases {
            assert_eq!(table_starts(&text), by_lines(&text), "{text:?}");
        }
    }

    /// A file read table by table in one version and whole in the other
    /// (it shrank under `MIN_BYTES`, or a table broke) compares lean
    /// components with whole ones: the same changes as two whole parses.
    #[test]
    fn lean_and_whole_components_diff_as_whole_ones() {
        use crate::history::diff::diff_parts;
        let text = big_file(80);
        let edited = text
            .replacen("owner = \"t3\"", "owner = \"t9\"", 1)
            .replacen("name = \"Component 5 ", "name = \"Renamed 5 ", 1);
        let mut cache = TableCache::default();
        let tables = cache.parse(PATH, edited.as_bytes()).expect("split");
        let whole_old = Arc::new(parse_file(PATH, text.as_bytes()));
        let whole_new = Arc::new(parse_file(PATH, edited.as_bytes()));
        let expected = diff_parts(&[&whole_old], &[&whole_new]);
        assert_eq!(expected.len(), 1, "the owner change; a name is no boundary");
        let lean_new: Vec<&Arc<ParsedFile>> = tables.iter().collect();
        assert_eq!(diff_parts(&[&whole_old], &lean_new), expected);
        let unchanged = cache.parse(PATH, text.as_bytes()).expect("split");
        let lean_old: Vec<&Arc<ParsedFile>> = unchanged.iter().collect();
        assert_eq!(diff_parts(&lean_old, &[&whole_new]), expected);
        assert!(diff_parts(&lean_old, &[&whole_old]).is_empty());
    }
}
