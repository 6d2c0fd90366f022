//! Printing: everything that reaches stdout goes through here, so repository
//! text is sanitized on the way out, in plain and JSON output alike.

use serde::Serialize;
use std::io::Write;

/// JSON with nothing in it that could drive a terminal: serde_json escapes
/// C0 controls, but prints DEL, C1 controls (U+0080..U+009F, CSI among them)
/// and bidi overrides raw. Outside strings, pretty JSON holds only spaces
/// and newlines, so any such character is inside a string and `\uXXXX` is
/// a valid escape for it.
pub fn to_json<T: Serialize>(value: &T) -> String {
    let raw =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    escape_unsafe(&raw)
}

/// Serialized JSON with every character that could drive a terminal
/// written as a `\uXXXX` escape (newlines between values stay). Valid for
/// JSON from serde_json only: there, such a character can only be inside
/// a string.
pub fn escape_unsafe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c != '\n' && crate::sanitize::is_unsafe(c) {
            // Above U+FFFF (the tag characters), JSON wants a surrogate pair.
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
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

/// A writer for JSON that serde_json writes piece by piece (a streamed
/// document): passes it on with `escape_unsafe` applied, as `to_json` does,
/// holding back at most one incomplete UTF-8 character between writes.
pub struct EscapedJson<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

/// Bytes gathered before they are escaped and passed on.
const ESCAPE_CHUNK: usize = 64 * 1024;

impl<W: Write> EscapedJson<W> {
    pub fn new(inner: W) -> EscapedJson<W> {
        EscapedJson {
            inner,
            pending: Vec::with_capacity(ESCAPE_CHUNK),
        }
    }

    fn pass_on(&mut self) -> std::io::Result<()> {
        let complete = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            // A character cut in two by the chunking: wait for its end.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            // Not UTF-8 at all (serde_json never writes that): as is, lossily.
            Err(_) => {
                let text = String::from_utf8_lossy(&self.pending).into_owned();
                self.pending.clear();
                return self.inner.write_all(escape_unsafe(&text).as_bytes());
            }
        };
        let text = std::str::from_utf8(&self.pending[..complete]).unwrap_or_default();
        self.inner.write_all(escape_unsafe(text).as_bytes())?;
        self.pending.drain(..complete);
        Ok(())
    }
}

impl<W: Write> Write for EscapedJson<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= ESCAPE_CHUNK {
            self.pass_on()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.pass_on()?;
        self.inner.flush()
    }
}
