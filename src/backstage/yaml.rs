//! A bounded YAML reader: the documents of one file as small trees whose
//! every node knows its line and column.
//!
//! Built on saphyr-parser's event stream rather than a serde layer so that
//! demarc, not the YAML library, decides what hostile input may cost: the
//! nesting depth, the number of nodes (aliases count by what they expand
//! to, so an alias bomb stops at the budget) and the file size (the loader
//! caps it) are all bounded, and each limit is a finding with a place, never
//! a hang, a crash or unbounded memory.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::borrow::Cow;
use std::collections::HashMap;

mod fast;

/// Deeper nesting than this is refused: no catalog entity comes close.
pub const MAX_DEPTH: usize = 64;

/// Nodes per file, aliases counted by their expansion. A catalog entity is
/// a few dozen nodes, so this admits files of tens of thousands of entities.
pub const MAX_NODES: usize = 2_000_000;

/// A node of a file's text `'a`: scalars and keys borrow from the text
/// where they are written as they read (most of a catalog), so a file of
/// thousands of entities is not a string allocated per key and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub value: Value<'a>,
    /// 1-based line and column of the node's first character.
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    /// Every scalar is kept as its text: the catalog's fields are strings.
    Scalar(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    /// Entries in file order; keys that are not scalars are dropped.
    Map(Vec<(Cow<'a, str>, Node<'a>)>),
}

impl<'a> Node<'a> {
    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a scalar (numbers and booleans as written).
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(Cow<'a, str>, Node<'a>)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    fn size(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::size).sum(),
            Value::Map(entries) => entries.iter().map(|(_, v)| v.size()).sum(),
            _ => 0,
        }
    }
}

/// Why a file stopped being read: a message and where (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// A duplicate key: kept first, reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    pub line: u32,
    pub column: u32,
}

/// The documents of a file that parsed, and the error that stopped the
/// rest (documents before the error are complete and kept).
#[derive(Debug, Default, PartialEq)]
pub struct Documents<'a> {
    pub docs: Vec<Node<'a>>,
    pub error: Option<YamlError>,
    pub duplicate_keys: Vec<DuplicateKey>,
}

enum Frame<'a> {
    Seq {
        items: Vec<Node<'a>>,
        anchor: usize,
        at: (u32, u32),
    },
    Map {
        entries: Vec<(Cow<'a, str>, Node<'a>)>,
        key: Option<Option<Cow<'a, str>>>,
        /// The keys so far, once the mapping is large enough that a scan
        /// per key would make a hostile file quadratic.
        seen: Option<std::collections::HashSet<Cow<'a, str>>>,
        anchor: usize,
        at: (u32, u32),
    },
}

fn position(span: &Span) -> (u32, u32) {
    (
        u32::try_from(span.start.line()).unwrap_or(u32::MAX),
        u32::try_from(span.start.col() + 1).unwrap_or(u32::MAX),
    )
}

/// Reads every document of `bytes`. Non-UTF-8 input is an error at the
/// first bad byte. The common catalog subset goes through `fast`, the
/// rest (and every error) through saphyr-parser: the same `Documents`.
pub fn read(bytes: &[u8]) -> Documents<'_> {
    read_with(bytes, read_str)
}

/// `read` through saphyr-parser alone: the reference `fast` is held to.
pub fn read_saphyr(bytes: &[u8]) -> Documents<'_> {
    read_with(bytes, read_str_saphyr)
}

/// What the fast path read, when it was sure (None when saphyr must).
pub fn read_fast_only(bytes: &[u8]) -> Option<Documents<'_>> {
    fast::read(std::str::from_utf8(bytes).ok()?)
}

fn read_with<'a>(bytes: &'a [u8], read_str: fn(&'a str) -> Documents<'a>) -> Documents<'a> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            return Documents {
                error: Some(YamlError {
                    line: line as u32,
                    column: column as u32,
                    message: format!("the file is not valid UTF-8 (byte {})", e.valid_up_to()),
                }),
                ..Documents::default()
            };
        }
    };
    read_str(text)
}

pub fn read_str(text: &str) -> Documents<'_> {
    fast::read(text).unwrap_or_else(|| read_str_saphyr(text))
}

fn read_str_saphyr(text: &str) -> Documents<'_> {
    let mut reader = Reader::default();
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_event() {
            None => break,
            Some(Err(e)) => {
                let m = e.marker();
                reader.out.error = Some(YamlError {
                    line: u32::try_from(m.line()).unwrap_or(u32::MAX),
                    column: u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
                    message: e.info().to_string(),
                });
                break;
            }
            Some(Ok((event, span))) => {
                if let Err(error) = reader.event(event, &span) {
                    reader.out.error = Some(error);
                    break;
                }
                if reader.done {
                    break;
                }
            }
        }
    }
    reader.out
}

#[derive(Default)]
struct Reader<'a> {
    stack: Vec<Frame<'a>>,
    anchors: HashMap<usize, Node<'a>>,
    nodes: usize,
    out: Documents<'a>,
    done: bool,
}

impl<'a> Reader<'a> {
    fn budget(&mut self, n: usize, at: (u32, u32)) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(YamlError {
                line: at.0,
                column: at.1,
                message: format!(
                    "the file has more than {MAX_NODES} YAML nodes (aliases counted as what they expand to); demarc stops reading it here"
                ),
            });
        }
        Ok(())
    }

    fn event(&mut self, event: Event<'a>, span: &Span) -> Result<(), YamlError> {
        let at = position(span);
        match event {
            Event::StreamEnd => self.done = true,
            Event::DocumentStart(_) => self.anchors.clear(),
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
            Event::Scalar(text, style, anchor, _tag) => {
                self.budget(1, at)?;
                let null = style == ScalarStyle::Plain
                    && matches!(&*text, "" | "~" | "null" | "Null" | "NULL");
                let value = if null {
                    Value::Null
                } else {
                    Value::Scalar(text)
                };
                let node = Node {
                    value,
                    line: at.0,
                    column: at.1,
                };
                self.finish(node, anchor);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.budget(1, at)?;
                if self.stack.len() >= MAX_DEPTH {
                    return Err(YamlError {
                        line: at.0,
                        column: at.1,
                        message: format!(
                            "the YAML nests deeper than {MAX_DEPTH} levels; demarc stops reading the file here"
                        ),
                    });
                }
                self.stack
                    .push(if matches!(event, Event::SequenceStart(..)) {
                        Frame::Seq {
                            items: Vec::new(),
                            anchor,
                            at,
                        }
                    } else {
                        Frame::Map {
                            entries: Vec::new(),
                            key: None,
                            seen: None,
                            anchor,
                            at,
                        }
                    });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq { items, anchor, at }) => (
                        Node {
                            value: Value::Seq(items),
                            line: at.0,
                            column: at.1,
                        },
                        anchor,
                    ),
                    Some(Frame::Map {
                        entries,
                        anchor,
                        at,
                        ..
                    }) => (
                        Node {
                            value: Value::Map(entries),
                            line: at.0,
                            column: at.1,
                        },
                        anchor,
                    ),
                    None => return Ok(()),
                };
                self.finish(node, anchor);
            }
            Event::Alias(id) => {
                let Some(size) = self.anchors.get(&id).map(Node::size) else {
                    return Err(YamlError {
                        line: at.0,
                        column: at.1,
                        message: "an alias names an anchor that is not defined before it".into(),
                    });
                };
                self.budget(size, at)?;
                let mut node = self.anchors[&id].clone();
                node.line = at.0;
                node.column = at.1;
                self.finish(node, 0);
            }
        }
        Ok(())
    }

    /// A complete node: remembered under its anchor, then placed in its parent.
    fn finish(&mut self, node: Node<'a>, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.out.docs.push(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries, key, seen, ..
            }) => match key.take() {
                None => {
                    *key = Some(match node.value {
                        Value::Scalar(s) => Some(s),
                        Value::Null => Some(Cow::Borrowed("")),
                        _ => None,
                    })
                }
                Some(None) => {} // a complex key: its entry is dropped
                Some(Some(k)) => {
                    const SCAN_UP_TO: usize = 16;
                    if seen.is_none() && entries.len() >= SCAN_UP_TO {
                        *seen = Some(entries.iter().map(|(k, _)| k.clone()).collect());
                    }
                    let duplicate = match seen {
                        Some(set) => !set.insert(k.clone()),
                        None => entries.iter().any(|(existing, _)| *existing == k),
                    };
                    if duplicate {
                        self.out.duplicate_keys.push(DuplicateKey {
                            key: k.into_owned(),
                            line: node.line,
                            column: node.column,
                        });
                    } else {
                        entries.push((k, node));
                    }
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_keep_their_places() {
        let d = read(b"a: 1\nb:\n  - x\n  - y\n---\nkind: Group\n");
        assert!(d.error.is_none(), "{:?}", d.error);
        assert_eq!(d.docs.len(), 2);
        let b = d.docs[0].get("b").unwrap();
        assert_eq!((b.line, b.column), (3, 3));
        assert_eq!(d.docs[1].get("kind").unwrap().as_str(), Some("Group"));
        assert_eq!(d.docs[1].line, 6);
    }

    #[test]
    fn an_alias_bomb_stops_at_the_budget() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..30 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let d = read(text.as_bytes());
        let e = d.error.expect("the bomb is refused");
        assert!(e.message.contains("YAML nodes"), "{e:?}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        // Flow nesting: the scanner's own limit or ours, either a finding.
        let text = "[".repeat(10_000);
        let e = read(text.as_bytes()).error.unwrap();
        assert_eq!(e.line, 1, "{e:?}");
        // Block nesting, one level per line: ours.
        let text: String = (0..200)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        let e = read(text.as_bytes()).error.unwrap();
        assert!(e.message.contains("nests deeper"), "{e:?}");
    }

    #[test]
    fn non_utf8_has_a_line_and_column() {
        let e = read(b"a: 1\nb: \xff\n").error.unwrap();
        assert_eq!((e.line, e.column), (2, 4));
    }

    #[test]
    fn syntax_errors_keep_earlier_documents() {
        let d = read(b"a: 1\n---\nb: [1, 2\n");
        assert_eq!(d.docs.len(), 1);
        assert!(d.error.is_some());
    }

    #[test]
    fn duplicate_keys_are_reported_and_the_first_kept() {
        let d = read(b"a: 1\na: 2\n");
        assert_eq!(d.docs[0].get("a").unwrap().as_str(), Some("1"));
        assert_eq!(d.duplicate_keys[0].line, 2);
    }
}
