//! A fast path for component files: the subset of TOML they are written
//! in (`[[component]]` and `[[component.duty]]` headers, bare known keys,
//! plain strings, small integers, dates, one-level arrays of strings,
//! comments), read in one pass straight into the raw shapes.
//!
//! At 200,000 components, the `toml` crate's two passes (a document tree
//! of spanned keys and values, then serde over it) were 60 % of `check`.
//! This reader answers only when it is sure the full parser would give the
//! same raw shapes; on anything else (an escape, an unknown or repeated
//! key, an inline table, a float, a syntax error ...) it answers None and
//! the caller runs the full parser, so every finding, message, line and
//! column stays the full parser's. It never recurses and reads each byte
//! a bounded number of times, so hostile input costs linear time and no
//! more memory than what it returns.

use super::{RawComponent, RawComponents, RawDuty};
use std::ops::Range;
use toml::Spanned;

/// The components of `text`, or None when the full parser must decide.
pub(super) fn components(text: &str) -> Option<RawComponents> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    // Sized by the headers there are (or may be: one in a comment counts
    // too): grown by doubling, these large entries were copied over and
    // over, a fourteenth of `check` at 200,000 components.
    let mut done: Vec<Spanned<RawComponent>> =
        Vec::with_capacity(memchr::memmem::find_iter(text.as_bytes(), b"[[component]]").count());
    let mut open: Option<Open> = None;
    loop {
        reader.skip_blank();
        let Some(b) = reader.peek() else { break };
        match b {
            b'\n' | b'\r' | b'#' => reader.end_of_line()?,
            b'[' => {
                let start = reader.at;
                if reader.eat(b"[[component]]") {
                    if let Some(open) = open.take() {
                        done.push(open.close());
                    }
                    open = Some(Open {
                        header: start..reader.at,
                        component: empty_component(),
                        seen: 0,
                        duty: None,
                    });
                } else if reader.eat(b"[[component.duty]]") {
                    let open = open.as_mut()?;
                    if let Some((duty, _)) = open.duty.take() {
                        open.component.duty.push(duty);
                    }
                    open.duty = Some((
                        RawDuty {
                            party: None,
                            covers: Vec::new(),
                        },
                        0,
                    ));
                } else {
                    return None;
                }
                reader.end_of_line()?;
            }
            _ => {
                let open = open.as_mut()?;
                let key = reader.bare_key()?;
                reader.skip_blank();
                if !reader.eat(b"=") {
                    return None;
                }
                reader.skip_blank();
                match &mut open.duty {
                    Some((duty, seen)) => reader.duty_value(key, duty, seen)?,
                    None => reader.component_value(key, &mut open.component, &mut open.seen)?,
                }
                reader.end_of_line()?;
            }
        }
    }
    if let Some(open) = open.take() {
        done.push(open.close());
    }
    Some(RawComponents { component: done })
}

/// The component being read: its header's span, the keys it has so far
/// (a bit each, to refuse a repeated key) and its open duty table.
struct Open {
    header: Range<usize>,
    component: RawComponent,
    seen: u32,
    duty: Option<(RawDuty, u32)>,
}

impl Open {
    fn close(mut self) -> Spanned<RawComponent> {
        if let Some((duty, _)) = self.duty.take() {
            self.component.duty.push(duty);
        }
        Spanned::new(self.header, self.component)
    }
}

fn empty_component() -> RawComponent {
    RawComponent {
        id: None,
        name: None,
        layer: None,
        pillar: None,
        owner: None,
        tier: None,
        consumers: Vec::new(),
        runbook: None,
        tags: Vec::new(),
        reviewed: None,
        duty: Vec::new(),
        paths: Vec::new(),
        repo: None,
    }
}

/// Whether `YYYY-MM-DD` (digits where they belong, checked by the caller)
/// names a day of the proleptic Gregorian calendar: the test `toml`'s date
/// parser makes (months 01 to 12, days to the month's last, 29 February
/// in leap years only), without its lexer (a tenth of a date's cost).
fn is_calendar_date(date: &[u8]) -> bool {
    let number = |digits: &[u8]| {
        digits
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
    };
    let (year, month, day) = (
        number(&date[0..4]),
        number(&date[5..7]),
        number(&date[8..10]),
    );
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let last = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1..=last).contains(&day)
}

/// Marks `bit` in `seen`; None when the key was already there.
fn first_time(seen: &mut u32, bit: u32) -> Option<()> {
    if *seen & (1 << bit) != 0 {
        return None;
    }
    *seen |= 1 << bit;
    Some(())
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, expected: &[u8]) -> bool {
        if self.bytes[self.at..].starts_with(expected) {
            self.at += expected.len();
            true
        } else {
            false
        }
    }

    /// Spaces and tabs.
    fn skip_blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// An optional comment, then a line break or the end of the text.
    fn end_of_line(&mut self) -> Option<()> {
        self.skip_blank();
        if self.peek() == Some(b'#') {
            self.comment()?;
        }
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.at += 1;
                Some(())
            }
            Some(b'\r') if self.bytes.get(self.at + 1) == Some(&b'\n') => {
                self.at += 2;
                Some(())
            }
            _ => None,
        }
    }

    /// A comment up to (not including) its line break; None for a byte
    /// TOML does not allow in comments.
    fn comment(&mut self) -> Option<()> {
        self.at += 1;
        while let Some(b) = self.peek() {
            match b {
                b'\n' | b'\r' => break,
                b'\t' | 0x20..=0x7e | 0x80..=0xff => self.at += 1,
                _ => return None,
            }
        }
        Some(())
    }

    /// Blanks, line breaks and comments, as allowed inside an array.
    fn skip_array_space(&mut self) -> Option<()> {
        loop {
            match self.peek()? {
                b' ' | b'\t' | b'\n' => self.at += 1,
                b'\r' if self.bytes.get(self.at + 1) == Some(&b'\n') => self.at += 2,
                b'#' => self.comment()?,
                _ => return Some(()),
            }
        }
    }

    fn bare_key(&mut self) -> Option<&'static str> {
        let start = self.at;
        while matches!(
            self.peek(),
            Some(b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-')
        ) {
            self.at += 1;
        }
        // Only the keys this reader fills; any other goes to the full parser.
        Some(match &self.bytes[start..self.at] {
            b"id" => "id",
            b"name" => "name",
            b"layer" => "layer",
            b"pillar" => "pillar",
            b"owner" => "owner",
            b"tier" => "tier",
            b"consumers" => "consumers",
            b"runbook" => "runbook",
            b"tags" => "tags",
            b"reviewed" => "reviewed",
            b"paths" => "paths",
            b"repo" => "repo",
            b"party" => "party",
            b"covers" => "covers",
            _ => return None,
        })
    }

    fn component_value(&mut self, key: &str, c: &mut RawComponent, seen: &mut u32) -> Option<()> {
        const KEYS: [&str; 12] = [
            "id",
            "name",
            "layer",
            "pillar",
            "owner",
            "tier",
            "consumers",
            "runbook",
            "tags",
            "reviewed",
            "paths",
            "repo",
        ];
        let bit = KEYS.iter().position(|k| *k == key)?;
        first_time(seen, bit as u32)?;
        match key {
            "id" => c.id = Some(self.string()?.0),
            "name" => c.name = Some(self.string()?.0),
            "layer" => c.layer = Some(self.string()?.0),
            "pillar" => c.pillar = Some(self.string()?.0),
            "owner" => c.owner = Some(self.string()?.0),
            "tier" => c.tier = Some(self.integer()?),
            "consumers" => c.consumers = self.strings()?,
            "runbook" => c.runbook = Some(self.string()?.0),
            "tags" => c.tags = self.strings()?,
            "reviewed" => c.reviewed = Some(self.date_or_string()?),
            "paths" => c.paths = self.spanned_strings()?,
            _ => {
                let (value, span) = self.string()?;
                c.repo = Some(Spanned::new(span, value));
            }
        }
        Some(())
    }

    fn duty_value(&mut self, key: &str, duty: &mut RawDuty, seen: &mut u32) -> Option<()> {
        let bit = ["party", "covers"].iter().position(|k| *k == key)?;
        first_time(seen, bit as u32)?;
        match key {
            "party" => duty.party = Some(self.string()?.0),
            _ => duty.covers = self.strings()?,
        }
        Some(())
    }

    /// A basic string without escapes or a literal string, with its span
    /// (quotes included, as the full parser's). None for anything else.
    fn string(&mut self) -> Option<(String, Range<usize>)> {
        let start = self.at;
        let quote = self.peek()?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        self.at += 1;
        loop {
            let b = self.peek()?;
            match b {
                _ if b == quote => break,
                b'\\' if quote == b'"' => return None,
                b'\t' | 0x20..=0x7e | 0x80..=0xff => self.at += 1,
                _ => return None,
            }
        }
        let value = self.text[start + 1..self.at].to_string();
        self.at += 1;
        // `""` or `''` right before another quote opens a multi-line string.
        if self.peek() == Some(quote) {
            return None;
        }
        Some((value, start..self.at))
    }

    /// A decimal integer without sign or underscores, small enough for
    /// `i64`.
    fn integer(&mut self) -> Option<i64> {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        let digits = &self.text[start..self.at];
        if digits.is_empty() || digits.len() > 18 || (digits.len() > 1 && digits.starts_with('0')) {
            return None;
        }
        digits.parse().ok()
    }

    /// `reviewed`: a string, or a date `YYYY-MM-DD` on its own (a time
    /// after it goes to the full parser).
    fn date_or_string(&mut self) -> Option<toml::Value> {
        if matches!(self.peek(), Some(b'"' | b'\'')) {
            return Some(toml::Value::String(self.string()?.0));
        }
        let date = self.text.get(self.at..self.at + 10)?;
        let shape = date.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
        if !shape {
            return None;
        }
        // Checked as the full parser checks it (no 30 February), then
        // kept as the text: the model holds the date as `Datetime`'s
        // display, which for a bare `YYYY-MM-DD` is that same text, and
        // formatting 200,000 dates was a fiftieth of `check`.
        if !is_calendar_date(date.as_bytes()) {
            return None;
        }
        self.at += 10;
        Some(toml::Value::String(date.to_string()))
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        self.array(|value, _| value)
    }

    fn spanned_strings(&mut self) -> Option<Vec<Spanned<String>>> {
        self.array(|value, span| Spanned::new(span, value))
    }

    /// `[ "a", 'b', ]` over any number of lines, with comments.
    fn array<T>(&mut self, make: impl Fn(String, Range<usize>) -> T) -> Option<Vec<T>> {
        if !self.eat(b"[") {
            return None;
        }
        let mut out = Vec::new();
        // Grown a push at a time, a list of one to three holds room for
        // four: tags, consumers and covers kept 19 MB unused at 200,000
        // components, in the model and again in the history walk's tables.
        let done = |mut out: Vec<T>| {
            out.shrink_to_fit();
            Some(out)
        };
        loop {
            self.skip_array_space()?;
            if self.eat(b"]") {
                return done(out);
            }
            let (value, span) = self.string()?;
            out.push(make(value, span));
            self.skip_array_space()?;
            if self.eat(b"]") {
                return done(out);
            }
            if !self.eat(b",") {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_file, parse_file_full};
    use super::components;
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;

    const PATH: &str = "components/x.toml";

    /// Both readers give the same parsed file (content, findings, lines
    /// and columns); returns whether the fast path answered by itself.
    fn same_as_full(text: &str) -> bool {
        assert_eq!(
            parse_file(PATH, text.as_bytes()),
            parse_file_full(PATH, text.as_bytes()),
            "fast path and full parser differ on:\n{text}"
        );
        components(text).is_some()
    }

    #[test]
    fn every_sample_component_file_takes_the_fast_path_and_agrees() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data/commits");
        let mut files = 0;
        for commit in std::fs::read_dir(root).unwrap().flatten() {
            let Ok(dir) = std::fs::read_dir(commit.path().join("components")) else {
                continue;
            };
            for file in dir.flatten() {
                let text = std::fs::read_to_string(file.path()).unwrap();
                let fast = same_as_full(&text);
                // The sample is written in the subset; one that is not
                // (a broken file in the story) is the full parser's.
                if text.contains("\\") || toml::from_str::<toml::Table>(&text).is_err() {
                    continue;
                }
                assert!(fast, "not taken on {}", file.path().display());
                files += 1;
            }
        }
        assert!(files > 10, "only {files} sample files read");
    }

    /// The lists hold no room beyond their items (see `array`): a model
    /// of 200,000 components keeps them all.
    #[test]
    fn lists_are_read_without_spare_room() {
        let text = "[[component]]\nid = \"a\"\nowner = \"t\"\ntags = [\"x\"]\n\
                    consumers = [\"b\", \"c\"]\n[[component.duty]]\nparty = \"t\"\n\
                    covers = [\"on-call\", \"fixes\", \"deploys\"]\n";
        assert!(components(text).is_some(), "the fast path reads it");
        let file = parse_file(PATH, text.as_bytes());
        let Some(super::super::FileContent::Components(list)) = &file.content else {
            panic!("{file:?}");
        };
        let (c, duty) = (&list[0], &list[0].duties[0]);
        for (len, cap) in [
            (c.tags.len(), c.tags.capacity()),
            (c.consumers.len(), c.consumers.capacity()),
            (duty.covers.len(), duty.covers.capacity()),
        ] {
            assert_eq!(cap, len);
        }
    }

    #[test]
    fn a_date_is_a_calendar_date_exactly_when_toml_reads_it() {
        for year in [
            0, 1, 4, 100, 400, 1900, 1999, 2000, 2023, 2024, 2100, 2400, 9999,
        ] {
            for month in 0..=19 {
                for day in 0..=39 {
                    let date = format!("{year:04}-{month:02}-{day:02}");
                    assert_eq!(
                        super::is_calendar_date(date.as_bytes()),
                        date.parse::<toml::value::Datetime>().is_ok(),
                        "{date}"
                    );
                }
            }
        }
    }

    #[test]
    fn what_the_fast_path_leaves_to_the_full_parser() {
        let refused = [
            "id = \"a\"\n",                                    // a key before any table
            "[[component.duty]]\nparty = \"a\"\n",             // a duty before its component
            "[[component]]\nid = \"a\"\nid = \"b\"\n",         // a repeated key
            "[[component]]\ncolour = \"red\"\n",               // an unknown key
            "[[component]]\nid = \"a\\u0041\"\n",              // an escape
            "[[component]]\nname = \"\"\"x\"\"\"\n",           // a multi-line string
            "[[component]]\ntier = 1_0\n",                     // underscores
            "[[component]]\ntier = 01\n",                      // a leading zero
            "[[component]]\ntier = 2.5\n",                     // a float
            "[[component]]\nreviewed = 2026-02-30\n",          // no such day
            "[[component]]\nreviewed = 2026-02-07 10:00:00\n", // a time
            "[[component]]\ntags = [\"a\" \"b\"]\n",           // no comma
            "[[component]]\ntags = [\"a\", 1]\n",              // mixed
            "[[component]]\nid = \"a\"\r",                     // a lone CR
            "[[ component ]]\nid = \"a\"\n",                   // spaced header
            "[[component]]\n\"id\" = \"a\"\n",                 // a quoted key
            "[[component]]\nid = \"a\" # \u{7f}\n",            // DEL in a comment
            "[[component]]\nduty = []\n",                      // duty as a key
            "\u{feff}[[component]]\nid = \"a\"\n",             // a byte-order mark
        ];
        for text in refused {
            same_as_full(text);
            assert!(components(text).is_none(), "taken: {text:?}");
        }
        let taken = [
            "",
            "# only a comment",
            "[[component]]",
            "[[component]] # c\r\n\tid='a\\b' # c\r\nreviewed = 2024-02-29\n",
            "[[component]]\ntags = [\n  \"a\", # one\n  'b',\n]\npaths = [\"/x\", \"bad path\"]\n",
            "[[component]]\nid = \"a\"\n[[component.duty]]\nparty = \"t\"\n[[component.duty]]\ncovers = []\n[[component]]\nid = \"é\"\n",
        ];
        for text in taken {
            assert!(same_as_full(text), "not taken: {text:?}");
        }
    }

    /// A value as the format's files write it, or one of the ways it
    /// may go wrong.
    fn value() -> impl Strategy<Value = String> {
        let text = "[a-z0-9 /*.@#:\\-]{0,12}";
        prop_oneof![
            4 => text.prop_map(|s| format!("\"{s}\"")),
            1 => text.prop_map(|s| format!("'{s}'")),
            1 => "[\\\\\"'\\t\u{1}\u{7f}é\u{202e}a]{0,4}".prop_map(|s| format!("\"{s}\"")),
            1 => "[\\\\\"'\\t\u{1}é]{0,4}".prop_map(|s| format!("'{s}'")),
            2 => prop_oneof![
                Just("0"), Just("3"), Just("01"), Just("-1"), Just("+2"), Just("1_0"),
                Just("2.5"), Just("1e3"), Just("99999999999999999999"), Just("123456789012345678"),
                Just("true"), Just("0x1f"), Just("nan"),
            ]
            .prop_map(str::to_string),
            2 => (1990u32..2100, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
            // Leap years by the century rules, and the calendar's ends.
            1 => (prop_oneof![Just(0u32), Just(1900), Just(2000), Just(2100), Just(2400), Just(9999)], 1u32..13, 27u32..33)
                .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
            1 => prop_oneof![
                Just("2026-02-07T10:00:00"), Just("2026-02-07 10:00:00"), Just("2026-2-7"),
                Just("2026-02-07Z"), Just("10:00:00"), Just("1979-05-27T07:32:00-08:00"),
            ]
            .prop_map(str::to_string),
            3 => proptest::collection::vec((text, 0usize..4), 0..4).prop_map(|items| {
                let seps = [", ", ",\n  ", " ,# c\n", ",\r\n"];
                let body: Vec<String> = items.iter().map(|(s, _)| format!("\"{s}\"")).collect();
                let sep = seps[items.first().map_or(0, |(_, k)| *k)];
                let trailing = if items.len() % 2 == 1 { "," } else { "" };
                format!("[{}{trailing}]", body.join(sep))
            }),
            1 => prop_oneof![
                Just("[\"a\" \"b\"]"), Just("[,]"), Just("[\"a\", [\"b\"]]"), Just("[\"a\", 1]"),
                Just("{ x = 1 }"), Just("\"\"\"a\"\"\""), Just("'''a'''"), Just("\"open"), Just("["),
                Just(""), Just("[\n# c\n]"), Just("[\"a\"\r]"),
            ]
            .prop_map(str::to_string),
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            12 => prop_oneof![
                Just("id"), Just("name"), Just("layer"), Just("pillar"), Just("owner"),
                Just("tier"), Just("consumers"), Just("runbook"), Just("tags"),
                Just("reviewed"), Just("paths"), Just("repo"), Just("party"), Just("covers"),
            ],
            1 => prop_oneof![
                Just("duty"), Just("colour"), Just("\"id\""), Just("id.x"), Just("component"),
                Just("Id"), Just(""), Just("id-"),
            ],
        ]
        .prop_map(str::to_string)
    }

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => Just("[[component]]".to_string()),
            2 => Just("[[component.duty]]".to_string()),
            1 => prop_oneof![
                Just("[component]"), Just("[[ component ]]"), Just("[[component.duty.x]]"),
                Just("[[component]] x"), Just("[[component]]]"), Just("[ [component]]"),
                Just("[[component.duty]] # c"), Just("[other]"),
            ]
            .prop_map(str::to_string),
            12 => (key(), "[ \t]{0,2}", "[ \t]{0,2}", value())
                .prop_map(|(k, a, b, v)| format!("{k}{a}={b}{v}")),
            1 => "# [a-z \t\u{1}\u{7f}é\r]{0,8}".prop_map(|s| s),
            1 => Just(String::new()),
        ]
    }

    /// A file written in the subset: components with distinct keys of
    /// the right types, and their duties.
    fn clean_file() -> impl Strategy<Value = String> {
        let text = "[a-z0-9 /*.@:\\-]{0,12}";
        let string = prop_oneof![
            4 => text.prop_map(|s| format!("\"{s}\"")),
            1 => text.prop_map(|s| format!("'{s}'")),
        ];
        let strings = proptest::collection::vec(string.clone(), 0..4).prop_map(|items| {
            let trailing = if items.len() % 2 == 1 { ",\n" } else { "" };
            format!("[{}{trailing}]", items.join(", "))
        });
        let date = (1990u32..2100, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
        let field = prop_oneof![
            (
                prop_oneof![
                    Just("id"),
                    Just("name"),
                    Just("layer"),
                    Just("pillar"),
                    Just("owner"),
                    Just("runbook"),
                    Just("repo")
                ],
                string.clone()
            )
                .prop_map(|(k, v)| (k, v)),
            (
                prop_oneof![Just("consumers"), Just("tags"), Just("paths")],
                strings.clone()
            ),
            (Just("tier"), (0u32..9).prop_map(|t| t.to_string())),
            (Just("reviewed"), prop_oneof![date, string.clone()]),
        ];
        let duty = (proptest::option::of(string), proptest::option::of(strings));
        let component = (
            proptest::collection::vec(field, 0..8),
            proptest::collection::vec(duty, 0..3),
        )
            .prop_map(|(fields, duties)| {
                let mut out = vec!["[[component]]".to_string()];
                let mut seen = Vec::new();
                for (key, value) in fields {
                    if !seen.contains(&key) {
                        seen.push(key);
                        out.push(format!("{key} = {value}"));
                    }
                }
                for (party, covers) in duties {
                    out.push("[[component.duty]]".to_string());
                    out.extend(party.map(|p| format!("party = {p}")));
                    out.extend(covers.map(|c| format!("covers = {c}")));
                }
                out
            });
        (
            proptest::collection::vec(component, 0..5),
            prop_oneof![3 => Just("\n"), 1 => Just("\r\n")],
            "[ \t]{0,1}",
        )
            .prop_map(|(components, eol, indent)| {
                let lines: Vec<String> = components
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, l)| {
                        if i % 3 == 1 {
                            format!("{indent}{l} # c")
                        } else {
                            l
                        }
                    })
                    .collect();
                lines.join(eol)
            })
    }

    /// Lines in any order, each well formed or not.
    fn messy_file() -> impl Strategy<Value = String> {
        (
            proptest::collection::vec(
                (
                    line(),
                    "[ \t]{0,1}",
                    prop_oneof![8 => Just(""), 1 => Just(" # note"), 1 => Just(" ")],
                ),
                0..24,
            ),
            prop_oneof![6 => Just("\n"), 1 => Just("\r\n"), 1 => Just("\r")],
            any::<bool>(),
        )
            .prop_map(|(lines, eol, final_eol)| {
                let mut text: String = lines
                    .iter()
                    .map(|(l, indent, tail)| format!("{indent}{l}{tail}"))
                    .collect::<Vec<_>>()
                    .join(eol);
                if final_eol {
                    text.push_str(eol);
                }
                text
            })
    }

    fn file() -> impl Strategy<Value = String> {
        prop_oneof![clean_file(), messy_file()]
    }

    /// The generated files are not all refused (or all taken): the
    /// property below compares both readers on both kinds.
    #[test]
    fn the_generated_files_exercise_both_paths() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut taken, mut with_components) = (0, 0);
        for _ in 0..1000 {
            let text = file().new_tree(&mut runner).unwrap().current();
            if let Some(raw) = components(&text) {
                taken += 1;
                with_components += usize::from(!raw.component.is_empty());
            }
        }
        assert!((100..900).contains(&taken), "{taken} of 1000 taken");
        assert!(with_components > 50, "{with_components} with components");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// On any file, the fast path's answer is the full parser's.
        #[test]
        fn the_fast_path_agrees_with_the_full_parser(text in file()) {
            same_as_full(&text);
        }

        /// A file cut or changed anywhere still agrees.
        #[test]
        fn a_changed_byte_still_agrees(
            text in file(),
            at in any::<prop::sample::Index>(),
            with in prop_oneof![Just(""), Just("\""), Just("\n"), Just("["), Just("]"), Just("="), Just(","), Just("#"), Just("\\"), Just("'")],
        ) {
            let mut text = text;
            let mut cut = at.index(text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.insert_str(cut, with);
            same_as_full(&text);
            text.truncate(cut);
            same_as_full(&text);
        }
    }
}
