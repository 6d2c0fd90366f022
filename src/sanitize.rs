//! Text from the repository (names, commit messages) is shown to people in a
//! terminal. Nothing in it may drive that terminal: control characters and
//! bidirectional overrides are replaced before anything is printed or drawn.

use std::borrow::Cow;

/// Characters that reorder or hide text (Trojan Source, CVE-2021-42574).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters terminals draw at another width than the layout counts
/// (so stale cells stay on screen), or that hide text: the line and
/// paragraph separators and the Unicode tag characters (invisible, used to
/// smuggle text past a reader).
fn is_width_trap(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}' | '\u{E0000}'..='\u{E007F}')
}

/// A character that must not reach a terminal raw.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_width_trap(c)
}

/// One line of text: every control character (newlines and tabs included)
/// and every bidi control is replaced by a visible escape such as `\u{1b}`.
pub fn line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push(' '),
            c if is_unsafe(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Several lines (a commit message): newlines are kept, everything else as in `line`.
pub fn text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.split('\n')
            .map(|l| line(l).into_owned())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        let s = line("a\x1b[31mred\x07\r\u{202E}b");
        assert!(!s.chars().any(|c| c.is_control() || c == '\u{202E}'), "{s}");
        assert!(s.contains("\\u{1b}[31mred"));
    }

    #[test]
    fn escapes_separators_and_tag_characters() {
        let s = line("a\u{2028}b\u{2029}c\u{E0041}\u{E007F}d");
        assert_eq!(s, "a\\u{2028}b\\u{2029}c\\u{e0041}\\u{e007f}d");
        assert_eq!(text("x\u{2028}y\nz"), "x\\u{2028}y\nz");
    }

    #[test]
    fn keeps_plain_text_borrowed() {
        assert!(matches!(line("Managed PostgreSQL é"), Cow::Borrowed(_)));
        assert_eq!(text("a\nb"), "a\nb");
        assert_eq!(text("a\n\x1bb"), "a\n\\u{1b}b");
    }
}
