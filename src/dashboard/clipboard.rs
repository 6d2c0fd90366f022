//! Copying to the clipboard through the terminal: OSC 52, which terminals
//! (and tmux with `set-clipboard on`) pass to the system clipboard, so it
//! works over ssh and needs no clipboard library or display server.

/// Standard base64 with padding (RFC 4648), enough for a pager handle.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The OSC 52 sequence that sets the clipboard to `text`. The text comes
/// from the repository: control characters are stripped first (the base64
/// output itself can hold no escape, so nothing reaches the terminal raw).
pub fn osc52(text: &str) -> String {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    format!("\x1b]52;c;{}\x07", base64(clean.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
    }

    #[test]
    fn the_osc52_sequence_carries_the_pager_in_base64() {
        assert_eq!(osc52("pagerduty:PX1"), "\x1b]52;c;cGFnZXJkdXR5OlBYMQ==\x07");
    }

    #[test]
    fn controls_in_repository_text_are_stripped_before_encoding() {
        // An escape that would end the sequence early and run a command.
        let hostile = "pd:P1\x07\x1b]0;owned\x07\n";
        let seq = osc52(hostile);
        assert_eq!(seq, osc52("pd:P1]0;owned"));
        let body = &seq[7..seq.len() - 1];
        assert!(
            body.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        );
    }
}
