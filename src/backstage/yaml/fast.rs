//! The common subset of catalog YAML read without saphyr-parser: block
//! mappings and sequences, single-line plain and quoted scalars, flow
//! sequences of scalars on one line, `{}`, comments and `---` lines.
//!
//! Why: saphyr's scanner works a character at a time and allocates per
//! token, and at 20,000 entities it was most of a catalog's load. This
//! reader works a line at a time and builds the same `Documents` (same
//! nodes, lines, columns, duplicate keys) as `yaml::read_saphyr`.
//!
//! It is only ever sure or silent: on anything outside the subset (tabs,
//! carriage returns, control characters, anchors, aliases, tags, block
//! scalars, multi-line scalars, flow mappings that are not `{}`, flow
//! sequences over several lines, `...`, directives, deep nesting, many
//! nodes, long keys) and on every error it returns `None`, and the caller
//! reads the file with saphyr, whose messages and places (and the bounds
//! of docs/security.md) are then the ones given. The bounds are kept
//! here too: nesting stops well below `MAX_DEPTH`, the nodes at
//! `MAX_NODES`, and the work is linear in the bytes (no backtracking: a
//! line is looked at a bounded number of times).

use super::{Documents, DuplicateKey, MAX_DEPTH, MAX_NODES, Node, Value};
use std::borrow::Cow;
use std::collections::HashSet;

/// Collections nested deeper than this go to saphyr (which refuses past
/// `MAX_DEPTH` with its own finding); a catalog entity is 4 or 5 deep.
const DEPTH: usize = if MAX_DEPTH < 32 { MAX_DEPTH } else { 32 };

/// saphyr refuses a simple key whose `:` is more than 1024 characters
/// after its start; longer keys than this are left to it.
const KEY_BYTES: usize = 1000;

/// "Not sure": the caller reads the file with saphyr.
struct Bail;

type Sure<T> = Result<T, Bail>;

/// The documents of `text`, or None when saphyr must read it.
pub(super) fn read(text: &str) -> Option<Documents<'_>> {
    let ascii = plain_characters(text)?;
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        ascii,
        next: 0,
        next_no: 1,
        cur: None,
        counted: (usize::MAX, 0, 0),
        nodes: 0,
        out: Documents::default(),
        entries: Vec::new(),
        items: Vec::new(),
    };
    parser.documents().ok()?;
    Some(parser.out)
}

/// Is every character one this reader knows saphyr treats as text (no
/// tabs, carriage returns, control characters, byte order marks, C1
/// controls or Unicode line separators)? Some(whether it is all ASCII).
fn plain_characters(text: &str) -> Option<bool> {
    // Without a branch per byte, so that the loop is vectorised: it reads
    // every byte of every file.
    let mut high = 0u8;
    for chunk in text.as_bytes().chunks(4096) {
        let mut bad = false;
        for &b in chunk {
            bad |= (b < 0x20 && b != b'\n') | (b == 0x7f);
            high |= b;
        }
        if bad {
            return None;
        }
    }
    let ascii = high < 0x80;
    if !ascii
        && text.chars().any(|c| {
            matches!(
                c,
                '\u{80}'
                    ..='\u{9f}' | '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}'
            )
        })
    {
        return None;
    }
    Some(ascii)
}

/// A line that is neither blank nor only a comment.
#[derive(Clone, Copy)]
struct Line {
    /// Byte offsets of its first character and of its end (the `\n` or
    /// the end of the text).
    start: usize,
    end: usize,
    /// Leading spaces.
    indent: usize,
    /// 1-based.
    no: u32,
    /// A `---` line (a document starts).
    marker: bool,
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// The text is all ASCII, so a column is a byte offset.
    ascii: bool,
    /// Where the line after `cur` starts, and its number.
    next: usize,
    next_no: u32,
    /// The current content line; None at the end of the text.
    cur: Option<Line>,
    /// The last column counted: (line start, byte, characters before it).
    counted: (usize, usize, usize),
    nodes: usize,
    out: Documents<'a>,
    /// The entries of the mappings and the items of the sequences being
    /// read, innermost last: each collection is moved out into a `Vec`
    /// of its exact size when it ends (one allocation, not one per
    /// doubling).
    entries: Vec<(Cow<'a, str>, Node<'a>)>,
    items: Vec<Node<'a>>,
}

/// Characters that cannot start a plain scalar (or start something this
/// reader leaves to saphyr: `-`, `?` and `:` may start one when a
/// non-blank follows, but not here).
fn indicator(b: u8) -> bool {
    matches!(
        b,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

/// A plain scalar's value: the YAML nulls are Null, the rest text.
fn plain(text: &str) -> Value<'_> {
    match text {
        "~" | "null" | "Null" | "NULL" => Value::Null,
        _ => Value::Scalar(Cow::Borrowed(text)),
    }
}

impl<'a> Parser<'a> {
    /// Moves `cur` to the next content line.
    fn advance(&mut self) -> Sure<()> {
        let bytes = self.bytes;
        loop {
            if self.next >= bytes.len() {
                self.cur = None;
                return Ok(());
            }
            let start = self.next;
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            let no = self.next_no;
            self.next = end + 1;
            self.next_no = self.next_no.checked_add(1).ok_or(Bail)?;
            let mut first = start;
            while first < end && bytes[first] == b' ' {
                first += 1;
            }
            if first == end || bytes[first] == b'#' {
                continue; // blank, or only a comment
            }
            let indent = first - start;
            let mut marker = false;
            if indent == 0 {
                let head = &bytes[start..end];
                let three = |c: u8| {
                    head.len() >= 3
                        && head[..3] == [c, c, c]
                        && (head.len() == 3 || head[3] == b' ')
                };
                if three(b'.') || head[0] == b'%' {
                    return Err(Bail); // a document end or a directive
                }
                if three(b'-') {
                    // `---` alone or before a comment; content after it is saphyr's.
                    self.rest_is_comment(start + 3, end)?;
                    marker = true;
                } else if head.starts_with(b"---") || head.starts_with(b"...") {
                    return Err(Bail);
                }
            }
            self.cur = Some(Line {
                start,
                end,
                indent,
                no,
                marker,
            });
            return Ok(());
        }
    }

    /// The 1-based column of byte `at` of `line`, in characters. Outside
    /// ASCII, counted on from the last column asked for on the same line
    /// (places are asked for left to right), so that a long line of many
    /// nodes is not counted over again for each.
    fn column(&mut self, line: &Line, at: usize) -> u32 {
        let n = if self.ascii {
            at - line.start
        } else {
            let (from, chars) = match self.counted {
                (start, byte, chars) if start == line.start && byte <= at => (byte, chars),
                _ => (line.start, 0),
            };
            let chars = chars + self.text[from..at].chars().count();
            self.counted = (line.start, at, chars);
            chars
        };
        u32::try_from(n + 1).unwrap_or(u32::MAX)
    }

    fn node(&mut self, value: Value<'a>, line: &Line, at: usize) -> Sure<Node<'a>> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(Bail);
        }
        Ok(Node {
            value,
            line: line.no,
            column: self.column(line, at),
        })
    }

    /// Nothing but spaces from `at` to `end`, or spaces then a comment.
    fn rest_is_comment(&self, at: usize, end: usize) -> Sure<()> {
        let mut i = at;
        while i < end && self.bytes[i] == b' ' {
            i += 1;
        }
        if i == end || (i > at && self.bytes[i] == b'#') {
            Ok(())
        } else {
            Err(Bail)
        }
    }

    fn skip_spaces(&self, mut i: usize, end: usize) -> usize {
        while i < end && self.bytes[i] == b' ' {
            i += 1;
        }
        i
    }

    /// `-` then a space or the line's end, at byte `at`.
    fn is_entry(&self, at: usize, end: usize) -> bool {
        self.bytes[at] == b'-' && (at + 1 == end || self.bytes[at + 1] == b' ')
    }

    fn documents(&mut self) -> Sure<()> {
        self.advance()?;
        // A `---` whose document has no content yet.
        let mut open = false;
        loop {
            match self.cur {
                None => {
                    if open {
                        // saphyr's stream end: the line after the last.
                        let newlines = memchr::memchr_iter(b'\n', self.bytes).count();
                        let last = if self.bytes.last() == Some(&b'\n') {
                            newlines + 1
                        } else {
                            newlines + 2
                        };
                        let line = u32::try_from(last).map_err(|_| Bail)?;
                        self.nodes += 1;
                        self.out.docs.push(Node {
                            value: Value::Null,
                            line,
                            column: 1,
                        });
                    }
                    return Ok(());
                }
                Some(line) if line.marker => {
                    if open {
                        let null = self.node(Value::Null, &line, line.start)?;
                        self.out.docs.push(null);
                    }
                    open = true;
                    self.advance()?;
                }
                Some(line) => {
                    let root = self.block(line, 0)?;
                    self.out.docs.push(root);
                    open = false;
                    if self.cur.is_some_and(|l| !l.marker) {
                        return Err(Bail); // content after the root: saphyr says what
                    }
                }
            }
        }
    }

    /// A block collection starting at the first character of `line`.
    fn block(&mut self, line: Line, depth: usize) -> Sure<Node<'a>> {
        let at = line.start + line.indent;
        if self.is_entry(at, line.end) {
            self.sequence(line, depth, false)
        } else {
            self.mapping(line, at, depth)
        }
    }

    /// Where saphyr puts an entry's `-` token: after the `-` and the
    /// spaces (and a comment) that follow it on its line.
    fn entry_mark(&self, line: &Line, at: usize) -> usize {
        if at == line.end || self.bytes[at] == b'#' {
            line.end
        } else {
            at
        }
    }

    /// A block sequence whose first `-` starts `line`; it takes every
    /// following entry at the same indent. An indentless one (the value
    /// of a key at the key's indent) starts, for saphyr, where its first
    /// entry's content does; the others at their first `-`.
    fn sequence(&mut self, first: Line, depth: usize, indentless: bool) -> Sure<Node<'a>> {
        if depth >= DEPTH {
            return Err(Bail);
        }
        let n = first.indent;
        let start = if indentless {
            let at = self.skip_spaces(first.start + n + 1, first.end);
            self.entry_mark(&first, at)
        } else {
            first.start + n
        };
        let mut seq = self.node(Value::Null, &first, start)?;
        let base = self.items.len();
        while let Some(line) = self.cur {
            if line.marker || line.indent != n || !self.is_entry(line.start + n, line.end) {
                break;
            }
            let at = self.skip_spaces(line.start + n + 1, line.end);
            if at == line.end || self.bytes[at] == b'#' {
                // The entry's node is on the lines below, or there is none.
                self.advance()?;
                let item = match self.cur {
                    Some(next) if !next.marker && next.indent > n => self.block(next, depth + 1)?,
                    _ => self.node(Value::Null, &line, line.end)?,
                };
                self.items.push(item);
            } else if self.is_entry(at, line.end) {
                return Err(Bail); // `- - x`
            } else {
                let item = self.inline(line, at, depth + 1, true)?;
                self.items.push(item);
            }
            if self.cur.is_some_and(|l| !l.marker && l.indent > n) {
                return Err(Bail); // a continuation line, or bad indentation
            }
        }
        seq.value = Value::Seq(self.items.drain(base..).collect());
        Ok(seq)
    }

    /// A node that starts at byte `at` of `line` after a key's `: ` or a
    /// `- ` (`in_sequence`: where `key: value` starts a compact mapping).
    /// Leaves `cur` on the line after what it read.
    fn inline(&mut self, line: Line, at: usize, depth: usize, in_sequence: bool) -> Sure<Node<'a>> {
        let bytes = self.bytes;
        let text: &'a str = self.text;
        let node = match bytes[at] {
            b'[' => self.flow_sequence(&line, at, depth)?,
            b'{' => {
                if depth >= DEPTH {
                    return Err(Bail);
                }
                let close = self.skip_spaces(at + 1, line.end);
                if close == line.end || bytes[close] != b'}' {
                    return Err(Bail);
                }
                self.rest_is_comment(close + 1, line.end)?;
                self.node(Value::Map(Vec::new()), &line, at)?
            }
            b'\'' | b'"' => {
                let (text, after) = self.quoted(at, line.end)?;
                if in_sequence && self.colon_at(after, line.end) {
                    return self.mapping(line, at, depth);
                }
                self.rest_is_comment(after, line.end)?;
                self.node(Value::Scalar(text), &line, at)?
            }
            b if indicator(b) => return Err(Bail),
            _ => {
                let (end, colon) = self.scan_plain(at, line.end);
                if colon.is_some() {
                    if in_sequence {
                        return self.mapping(line, at, depth);
                    }
                    return Err(Bail); // `a: b: c`
                }
                self.node(plain(&text[at..end]), &line, at)?
            }
        };
        self.advance()?;
        Ok(node)
    }

    /// `:` at byte `at`, followed by a space or the line's end.
    fn colon_at(&self, at: usize, end: usize) -> bool {
        at < end && self.bytes[at] == b':' && (at + 1 == end || self.bytes[at + 1] == b' ')
    }

    /// A plain scalar from `at` (not an indicator) to the line's end, in
    /// block context: where its text ends (a comment cut, trailing spaces
    /// trimmed) and the `:` that makes it a key, if one does.
    fn scan_plain(&self, at: usize, end: usize) -> (usize, Option<usize>) {
        let bytes = self.bytes;
        let trim = |mut i: usize| {
            while i > at && bytes[i - 1] == b' ' {
                i -= 1;
            }
            i
        };
        let mut i = at;
        while i < end {
            match bytes[i] {
                b':' if i + 1 == end || bytes[i + 1] == b' ' => return (trim(i), Some(i)),
                b'#' if bytes[i - 1] == b' ' => return (trim(i), None),
                _ => {}
            }
            i += 1;
        }
        (trim(end), None)
    }

    /// A block mapping whose first key starts at byte `at` of `first`; it
    /// takes every following key at the same column.
    fn mapping(&mut self, first: Line, at: usize, depth: usize) -> Sure<Node<'a>> {
        if depth >= DEPTH {
            return Err(Bail);
        }
        // Only spaces and `- ` come before `at`, so bytes are columns.
        let n = at - first.start;
        let mut map = self.node(Value::Null, &first, at)?;
        let base = self.entries.len();
        let mut seen: Option<HashSet<Cow<'a, str>>> = None;
        let (mut line, mut at) = (first, at);
        loop {
            let (key, colon) = self.key(&line, at)?;
            let value_at = self.skip_spaces(colon + 1, line.end);
            let value = if value_at == line.end || self.bytes[value_at] == b'#' {
                // The value is on the lines below, or there is none.
                self.advance()?;
                match self.cur {
                    Some(next) if !next.marker && next.indent > n => self.block(next, depth + 1)?,
                    Some(next)
                        if !next.marker
                            && next.indent == n
                            && self.is_entry(next.start + n, next.end) =>
                    {
                        self.sequence(next, depth + 1, true)?
                    }
                    _ => self.node(Value::Null, &line, colon)?,
                }
            } else {
                self.inline(line, value_at, depth + 1, false)?
            };
            // As `yaml::Reader::finish`: the first of a duplicate key is
            // kept, the later one reported at its value.
            const SCAN_UP_TO: usize = 16;
            let entries = &self.entries[base..];
            if seen.is_none() && entries.len() >= SCAN_UP_TO {
                seen = Some(entries.iter().map(|(k, _)| k.clone()).collect());
            }
            let duplicate = match &mut seen {
                Some(set) => !set.insert(key.clone()),
                None => entries.iter().any(|(existing, _)| *existing == key),
            };
            if duplicate {
                self.out.duplicate_keys.push(DuplicateKey {
                    key: key.into_owned(),
                    line: value.line,
                    column: value.column,
                });
            } else {
                self.entries.push((key, value));
            }
            match self.cur {
                Some(next) if !next.marker && next.indent == n => {
                    line = next;
                    at = next.start + n;
                }
                Some(next) if !next.marker && next.indent > n => return Err(Bail),
                _ => break,
            }
        }
        map.value = Value::Map(self.entries.drain(base..).collect());
        Ok(map)
    }

    /// The key starting at byte `at` of `line` (a plain or quoted scalar
    /// on one line, then `:` and a space or the line's end) and where its
    /// `:` is.
    fn key(&mut self, line: &Line, at: usize) -> Sure<(Cow<'a, str>, usize)> {
        let bytes = self.bytes;
        let text: &'a str = self.text;
        let (key, colon) = match bytes[at] {
            b'\'' | b'"' => {
                let (text, after) = self.quoted(at, line.end)?;
                if !self.colon_at(after, line.end) {
                    return Err(Bail);
                }
                (text, after)
            }
            b if indicator(b) => return Err(Bail),
            _ => {
                let (end, colon) = self.scan_plain(at, line.end);
                let colon = colon.ok_or(Bail)?;
                // A plain null key is the empty key, as `yaml::Reader` has it.
                let key = match plain(&text[at..end]) {
                    Value::Scalar(s) => s,
                    _ => Cow::Borrowed(""),
                };
                (key, colon)
            }
        };
        if colon - at > KEY_BYTES {
            return Err(Bail);
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(Bail);
        }
        Ok((key, colon))
    }

    /// A quoted scalar starting at byte `at` (its quote) and closed on the
    /// same line: its text and the byte after the closing quote.
    fn quoted(&self, at: usize, end: usize) -> Sure<(Cow<'a, str>, usize)> {
        let bytes = self.bytes;
        let text: &'a str = self.text;
        let quote = bytes[at];
        let mut i = at + 1;
        // Without an escape (or a doubled `'`) the text is the file's own.
        {
            let rel = if quote == b'\'' {
                memchr::memchr(b'\'', &bytes[i..end])
            } else {
                memchr::memchr2(b'"', b'\\', &bytes[i..end])
            }
            .ok_or(Bail)?;
            let j = i + rel;
            let doubled = quote == b'\'' && j + 1 < end && bytes[j + 1] == b'\'';
            if bytes[j] == quote && !doubled {
                return Ok((Cow::Borrowed(&text[i..j]), j + 1));
            }
        }
        let mut out = String::new();
        loop {
            let rel = if quote == b'\'' {
                memchr::memchr(b'\'', &bytes[i..end])
            } else {
                memchr::memchr2(b'"', b'\\', &bytes[i..end])
            }
            .ok_or(Bail)?; // not closed on this line: saphyr folds or refuses
            let j = i + rel;
            out.push_str(&self.text[i..j]);
            if quote == b'\'' {
                if j + 1 < end && bytes[j + 1] == b'\'' {
                    out.push('\'');
                    i = j + 2;
                    continue;
                }
                return Ok((Cow::Owned(out), j + 1));
            }
            if bytes[j] == b'"' {
                return Ok((Cow::Owned(out), j + 1));
            }
            // An escape, as saphyr resolves it.
            let code = *bytes.get(j + 1).filter(|_| j + 1 < end).ok_or(Bail)?;
            let simple = match code {
                b'0' => Some('\0'),
                b'a' => Some('\x07'),
                b'b' => Some('\x08'),
                b't' => Some('\t'),
                b'n' => Some('\n'),
                b'v' => Some('\x0b'),
                b'f' => Some('\x0c'),
                b'r' => Some('\r'),
                b'e' => Some('\x1b'),
                b' ' => Some(' '),
                b'"' => Some('"'),
                b'/' => Some('/'),
                b'\\' => Some('\\'),
                b'N' => Some('\u{85}'),
                b'_' => Some('\u{a0}'),
                b'L' => Some('\u{2028}'),
                b'P' => Some('\u{2029}'),
                _ => None,
            };
            if let Some(c) = simple {
                out.push(c);
                i = j + 2;
                continue;
            }
            let digits = match code {
                b'x' => 2,
                b'u' => 4,
                b'U' => 8,
                _ => return Err(Bail),
            };
            let hex = bytes.get(j + 2..j + 2 + digits).ok_or(Bail)?;
            if j + 2 + digits > end || !hex.iter().all(u8::is_ascii_hexdigit) {
                return Err(Bail);
            }
            let value = hex.iter().fold(0u32, |v, h| {
                (v << 4) | char::from(*h).to_digit(16).unwrap_or(0)
            });
            out.push(char::from_u32(value).ok_or(Bail)?);
            i = j + 2 + digits;
        }
    }

    /// `[a, 'b', "c"]` or `[]` on one line, starting at byte `at`.
    fn flow_sequence(&mut self, line: &Line, at: usize, depth: usize) -> Sure<Node<'a>> {
        if depth >= DEPTH {
            return Err(Bail);
        }
        let bytes = self.bytes;
        let text: &'a str = self.text;
        let end = line.end;
        let mut seq = self.node(Value::Null, line, at)?;
        let base = self.items.len();
        let mut i = self.skip_spaces(at + 1, end);
        if i < end && bytes[i] == b']' {
            i += 1;
        } else {
            loop {
                if i >= end {
                    return Err(Bail); // over several lines
                }
                let item = match bytes[i] {
                    b'\'' | b'"' => {
                        let (text, after) = self.quoted(i, end)?;
                        let item = self.node(Value::Scalar(text), line, i)?;
                        i = after;
                        item
                    }
                    b if indicator(b) => return Err(Bail),
                    _ => {
                        // Plain, in flow context: up to `,` or `]`; anything
                        // that could make it more than that is saphyr's.
                        // A `:` followed by text stays in it (`component:x`).
                        let mut j = i;
                        while j < end {
                            match bytes[j] {
                                b',' | b']' | b'[' | b'{' | b'}' | b'#' | b'\'' | b'"' => break,
                                b':' if j + 1 == end
                                    || matches!(
                                        bytes[j + 1],
                                        b' ' | b',' | b'[' | b']' | b'{' | b'}'
                                    ) =>
                                {
                                    break;
                                }
                                // saphyr refuses ` -]` and the like: a
                                // word that starts with `-` before a flow
                                // indicator.
                                b'-' if bytes[j - 1] == b' '
                                    && j + 1 < end
                                    && matches!(bytes[j + 1], b',' | b'[' | b']' | b'{' | b'}') =>
                                {
                                    return Err(Bail);
                                }
                                _ => j += 1,
                            }
                        }
                        if j == end || !matches!(bytes[j], b',' | b']') {
                            return Err(Bail);
                        }
                        let mut text_end = j;
                        while bytes[text_end - 1] == b' ' {
                            text_end -= 1;
                        }
                        let item = self.node(plain(&text[i..text_end]), line, i)?;
                        i = j;
                        item
                    }
                };
                self.items.push(item);
                i = self.skip_spaces(i, end);
                match bytes.get(i).filter(|_| i < end) {
                    Some(b',') => {
                        i = self.skip_spaces(i + 1, end);
                        if i < end && bytes[i] == b']' {
                            return Err(Bail); // a trailing comma
                        }
                    }
                    Some(b']') => {
                        i += 1;
                        break;
                    }
                    _ => return Err(Bail),
                }
            }
        }
        self.rest_is_comment(i, end)?;
        seq.value = Value::Seq(self.items.drain(base..).collect());
        Ok(seq)
    }
}
