//! Escaping repository text for the formats that interpret it: GitHub
//! workflow commands (a newline would start a new command) and Markdown
//! (a `|` would split a table cell, `<` could open HTML, `@` could ping).
//! Control and bidi characters are made visible first, as everywhere.

use crate::sanitize;

/// The message of a workflow command (`::warning ...::MESSAGE`).
pub fn github_data(text: &str) -> String {
    sanitize::line(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value of a workflow command (`file=`, `title=`).
pub fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Markdown punctuation that could change the meaning of prose.
const MARKDOWN_SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '#', '!', '|', '~', '@', '&', '$',
];

/// Prose for Markdown, one line: every character Markdown might act on is
/// backslash-escaped, so the text reads as written and links, HTML,
/// mentions and table cells cannot be forged.
pub fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in sanitize::line(text).chars() {
        if MARKDOWN_SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An id or value as inline code. A backtick inside would end the span,
/// so it is replaced; `|` is escaped because GitHub splits table cells on
/// it even inside code.
pub fn md_code(text: &str) -> String {
    let clean = sanitize::line(text).replace('`', "'").replace('|', "\\|");
    format!("`{clean}`")
}

/// A finding's message: the demarc-written parts are prose, the parts in
/// backticks are ids and stay inline code. With an odd number of
/// backticks nothing is trusted to be code.
pub fn md_message(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return md_text(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                md_code(part)
            } else {
                md_text(part)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newline_cannot_start_another_workflow_command() {
        let escaped = github_data("fine\n::error::forged");
        assert!(!escaped.contains('\n'));
        assert_eq!(github_property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn markdown_prose_cannot_open_html_links_or_cells() {
        assert_eq!(
            md_text("<img> [x](y) | @team"),
            "\\<img\\> \\[x\\](y) \\| \\@team"
        );
    }

    #[test]
    fn ids_in_backticks_stay_code_and_odd_backticks_are_prose() {
        assert_eq!(
            md_message("component `kafka` is <b>"),
            "component `kafka` is \\<b\\>"
        );
        assert_eq!(md_message("a `b"), "a \\`b");
        assert_eq!(md_code("a|b`c"), "`a\\|b'c`");
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert!(!md_text("a\u{1b}[31mb").contains('\u{1b}'));
        assert!(!github_data("a\u{202e}b").contains('\u{202e}'));
    }
}
