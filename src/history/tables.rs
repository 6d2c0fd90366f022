//! Large component files parsed table by table. A data commit usually edits
//! one component of a file that holds a hundred; the walk must parse the
//! file's older version, and parsing 50 KB of TOML per commit is what a
//! long history spends its time on. Split at the `[[component]]` headers,
//! each table parses on its own, and tables whose bytes were seen before
//! (in the newer version, almost all of them) come from a cache, shared
//! between versions without a copy.
//!
//! Only for files plainly made of `[[component]]` tables: any other
//! top-level header, a multi-line string (which could hide a header-like
//! line) or a table that does not parse sends the file to the ordinary
//! whole-file parse, so errors and their locations are exactly the
//! parser's.

use crate::model::parse::FileContent;
use crate::model::{FileKind, ParsedFile, parse_file};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

/// Smaller files are parsed whole: splitting would not pay.
pub const MIN_BYTES: usize = 8 * 1024;
/// The cache is emptied when it holds this many tables.
const LIMIT: usize = 40_000;

/// A table's text (to rule out hash collisions) and what it parsed to.
type Table = (Box<str>, Arc<ParsedFile>);

#[derive(Default)]
pub struct TableCache {
    tables: HashMap<u64, Vec<Table>>,
    len: usize,
    pub parsed: usize,
    pub hits: usize,
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

    fn table(&mut self, path: &str, table: &str) -> Arc<ParsedFile> {
        let mut hasher = DefaultHasher::new();
        table.hash(&mut hasher);
        let key = hasher.finish();
        if let Some((_, hit)) = self
            .tables
            .get(&key)
            .and_then(|v| v.iter().find(|(t, p)| &**t == table && p.path == path))
        {
            self.hits += 1;
            return hit.clone();
        }
        let parsed = Arc::new(parse_file(path, table.as_bytes()));
        self.parsed += 1;
        if self.len >= LIMIT {
            self.tables.clear();
            self.len = 0;
        }
        self.tables
            .entry(key)
            .or_default()
            .push((table.into(), parsed.clone()));
        self.len += 1;
        parsed
    }
}

/// Byte offsets where the `[[component]]` tables start, or None when the
/// file is not plainly a list of them (see the module comment).
fn table_starts(text: &str) -> Option<Vec<usize>> {
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

    /// The components of some parts, locations aside.
    fn components(parts: &[Arc<ParsedFile>]) -> Vec<crate::model::Component> {
        parts
            .iter()
            .flat_map(|p| match &p.content {
                Some(FileContent::Components(list)) => list.clone(),
                _ => Vec::new(),
            })
            .map(|mut c| {
                c.location = Default::default();
                c
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
}
