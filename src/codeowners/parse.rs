//! Reading a CODEOWNERS file: GitHub's flavour (pattern, then owners) and
//! GitLab's sections (`[Section]`, `^[Optional]`, `[Section][2]`, default
//! owners after the heading). Every mistake is a `SyntaxError` with its
//! line and column; the rest of the file still counts, as on GitHub, which
//! skips the lines it cannot read.

use super::syntax::{check_owner, check_pattern};

/// An owner as written, and where (1-based character column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub handle: String,
    pub column: u32,
}

/// One `pattern owners...` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// As written, escapes included.
    pub pattern: String,
    pub line: u32,
    pub column: u32,
    /// Empty: the rule clears ownership of what it matches.
    pub owners: Vec<Owner>,
    /// Index into `CodeownersFile::sections` (0: before any heading).
    pub section: usize,
    /// The owners are the section heading's defaults (GitLab).
    pub default_owners: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Empty for the part of the file before any heading.
    pub name: String,
    /// `^[Name]`: approval is optional (GitLab).
    pub optional: bool,
    /// `[Name][2]`: approvals required (GitLab).
    pub approvals: Option<u32>,
    /// Owners written after the heading: used by entries that name none.
    pub owners: Vec<Owner>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeownersFile {
    /// The usable rules, in file order (lines with a bad pattern are left
    /// out, as GitHub leaves them out).
    pub rules: Vec<Rule>,
    /// Always at least the unnamed section 0.
    pub sections: Vec<Section>,
    pub errors: Vec<SyntaxError>,
}

impl CodeownersFile {
    /// GitLab's flavour: the file has section headings.
    pub fn has_sections(&self) -> bool {
        self.sections.len() > 1
    }
}

/// Lines longer than this are reported and skipped, so a hostile file
/// cannot make one rule cost megabytes of glob.
pub const MAX_LINE_CHARS: usize = 4096;

/// Rules past this many are reported and ignored, so matching stays bounded
/// in time and memory (GitHub's 3 MB limit holds about this many lines).
pub const MAX_RULES: usize = 200_000;

/// Parses bytes that should be UTF-8 text; invalid UTF-8 is a syntax error
/// at the first bad byte and the valid lines before it still count.
pub fn parse_bytes(bytes: &[u8]) -> CodeownersFile {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            // Only whole lines before the bad byte.
            let whole = valid.rfind('\n').map_or("", |i| &valid[..=i]);
            let mut file = parse(whole);
            let line = valid.matches('\n').count() as u32 + 1;
            let column = valid[whole.len()..].chars().count() as u32 + 1;
            file.errors.push(SyntaxError {
                line,
                column,
                message: format!(
                    "the file is not valid UTF-8 (byte {}); the rest is ignored",
                    e.valid_up_to()
                ),
            });
            file
        }
    }
}

pub fn parse(text: &str) -> CodeownersFile {
    let mut file = CodeownersFile {
        rules: Vec::new(),
        sections: vec![Section {
            name: String::new(),
            optional: false,
            approvals: None,
            owners: Vec::new(),
            line: 0,
        }],
        errors: Vec::new(),
    };
    for (i, raw) in text.lines().enumerate() {
        let line = i as u32 + 1;
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        if raw.chars().count() > MAX_LINE_CHARS {
            file.errors.push(SyntaxError {
                line,
                column: 1,
                message: format!("the line is longer than {MAX_LINE_CHARS} characters (skipped)"),
            });
            continue;
        }
        if let Some(heading) = section_heading(raw) {
            read_heading(&mut file, line, heading);
            continue;
        }
        let tokens = tokenize(raw);
        let Some(first) = tokens.first() else {
            continue;
        };
        if file.rules.len() == MAX_RULES {
            file.errors.push(SyntaxError {
                line,
                column: 1,
                message: format!("more than {MAX_RULES} rules: this one and the rest are ignored"),
            });
            break;
        }
        read_rule(&mut file, line, first, &tokens[1..]);
    }
    file
}

/// A word of a line and its 1-based character column. Words are separated
/// by unescaped whitespace; a word starting with `#` starts a comment.
#[derive(Debug)]
struct Token<'a> {
    text: &'a str,
    column: u32,
}

fn tokenize(line: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut start: Option<(usize, u32)> = None;
    let mut escaped = false;
    let mut column = 0u32;
    for (byte, c) in line.char_indices() {
        column += 1;
        if escaped {
            escaped = false;
            continue;
        }
        if c.is_whitespace() {
            if let Some((s, col)) = start.take() {
                tokens.push(Token {
                    text: &line[s..byte],
                    column: col,
                });
            }
            continue;
        }
        if start.is_none() {
            if c == '#' {
                break;
            }
            start = Some((byte, column));
        }
        escaped = c == '\\';
    }
    if let Some((s, col)) = start {
        tokens.push(Token {
            text: &line[s..],
            column: col,
        });
    }
    tokens
}

struct Heading<'a> {
    name: &'a str,
    optional: bool,
    approvals: Option<&'a str>,
    name_column: u32,
    owners: Vec<Token<'a>>,
}

/// `[Name]`, `^[Name]`, `[Name][2]`, then owners; the name may hold
/// spaces. None when the line is not a heading (then it is a rule whose
/// pattern holds `[`, which the pattern check reports).
fn section_heading(raw: &str) -> Option<Heading<'_>> {
    let rest = raw.trim_start();
    let (optional, rest) = match rest.strip_prefix('^') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let inner = rest.strip_prefix('[')?;
    let close = inner.find(']')?;
    let name = &inner[..close];
    let mut after = &inner[close + 1..];
    let approvals = match after.strip_prefix('[') {
        Some(a) => {
            let end = a.find(']')?;
            after = &a[end + 1..];
            Some(&a[..end])
        }
        None => None,
    };
    if after.chars().next().is_some_and(|c| !c.is_whitespace()) {
        return None;
    }
    let column_of = |s: &str| raw[..raw.len() - s.len()].chars().count() as u32;
    let after_column = column_of(after);
    let owners = tokenize(after)
        .into_iter()
        .map(|t| Token {
            text: t.text,
            column: t.column + after_column,
        })
        .collect();
    Some(Heading {
        name,
        optional,
        approvals,
        name_column: column_of(inner) + 1,
        owners,
    })
}

fn read_heading(file: &mut CodeownersFile, line: u32, h: Heading<'_>) {
    let name = h.name.trim();
    if name.is_empty() {
        file.errors.push(SyntaxError {
            line,
            column: h.name_column,
            message: "a section heading needs a name between `[` and `]`".into(),
        });
    }
    let approvals = match h.approvals {
        None => None,
        Some(n) => match n.parse::<u32>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                file.errors.push(SyntaxError {
                    line,
                    column: h.name_column,
                    message: format!(
                        "`[{n}]` after a section name must be a number of approvals (1 or more)"
                    ),
                });
                None
            }
        },
    };
    let owners = read_owners(file, line, &h.owners);
    file.sections.push(Section {
        name: name.to_string(),
        optional: h.optional,
        approvals,
        owners,
        line,
    });
}

fn read_rule(file: &mut CodeownersFile, line: u32, pattern: &Token, owners: &[Token]) {
    if let Err(p) = check_pattern(pattern.text) {
        file.errors.push(SyntaxError {
            line,
            column: pattern.column + p.offset as u32,
            message: p.message,
        });
        return;
    }
    let mut owners = read_owners(file, line, owners);
    let section = file.sections.len() - 1;
    let default_owners = owners.is_empty() && !file.sections[section].owners.is_empty();
    if default_owners {
        owners = file.sections[section].owners.clone();
    }
    file.rules.push(Rule {
        pattern: pattern.text.to_string(),
        line,
        column: pattern.column,
        owners,
        section,
        default_owners,
    });
}

fn read_owners(file: &mut CodeownersFile, line: u32, tokens: &[Token]) -> Vec<Owner> {
    let mut owners = Vec::new();
    for t in tokens {
        match check_owner(t.text) {
            Ok(()) => owners.push(Owner {
                handle: t.text.to_string(),
                column: t.column,
            }),
            Err(p) => file.errors.push(SyntaxError {
                line,
                column: t.column + p.offset as u32,
                message: p.message,
            }),
        }
    }
    owners
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(file: &CodeownersFile) -> Vec<(&str, Vec<&str>)> {
        file.rules
            .iter()
            .map(|r| {
                (
                    r.pattern.as_str(),
                    r.owners.iter().map(|o| o.handle.as_str()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn comments_escapes_and_ownerless_rules() {
        let file = parse(
            "# a comment\n\n*.js @js-owner #This is an inline comment.\nmy\\ dir/ @a @b\n/apps/github\n  \t\n",
        );
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        assert_eq!(
            patterns(&file),
            [
                ("*.js", vec!["@js-owner"]),
                ("my\\ dir/", vec!["@a", "@b"]),
                ("/apps/github", vec![]),
            ]
        );
        assert_eq!(file.rules[1].line, 4);
        assert_eq!(file.rules[1].owners[1].column, 13);
        assert!(!file.has_sections());
    }

    #[test]
    fn sections_carry_default_owners_and_approvals() {
        let file = parse(
            "* @all\n[Backend Team] @acme/be\n/api/\n/api/v2/ @acme/v2\n^[Docs][2] @acme/docs\n*.md\n",
        );
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        assert_eq!(file.sections.len(), 3);
        assert_eq!(file.sections[1].name, "Backend Team");
        assert_eq!(file.sections[1].owners[0].column, 16);
        assert!(file.sections[2].optional);
        assert_eq!(file.sections[2].approvals, Some(2));
        let api = &file.rules[1];
        assert_eq!((api.section, api.default_owners), (1, true));
        assert_eq!(api.owners[0].handle, "@acme/be");
        assert!(!file.rules[2].default_owners);
        assert_eq!(file.rules[3].section, 2);
    }

    #[test]
    fn mistakes_have_a_line_and_column_and_the_rest_counts() {
        let file = parse("!x @a\n  src/[ab] @b\n/ok/ @c bad\n[]\n[S][0]\n");
        let at: Vec<(u32, u32)> = file.errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(1, 1), (2, 7), (3, 9), (4, 2), (5, 2)]);
        assert_eq!(patterns(&file), [("/ok/", vec!["@c"])]);
    }

    #[test]
    fn invalid_utf8_keeps_the_lines_before_it() {
        let file = parse_bytes(b"/a/ @x\n/b/ \xff @y\n");
        assert_eq!(file.rules.len(), 1);
        assert_eq!((file.errors[0].line, file.errors[0].column), (2, 5));
    }
}
