//! Printing: everything that reaches stdout goes through here, so repository
//! text is sanitized on the way out, in plain and JSON output alike.

use serde::Serialize;
use std::io::Write;

/// JSON with bidirectional controls escaped: serde_json already escapes
/// control characters, but prints U+202E and friends raw.
pub fn to_json<T: Serialize>(value: &T) -> String {
    let raw =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
        {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

pub fn print_json<T: Serialize>(value: &T) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", to_json(value));
}

/// Prints plain text made of repository text: every line sanitized.
pub fn print_text(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = write!(stdout, "{}", crate::sanitize::text(text));
}
