//! What parsing one file may cost, checked before the TOML parser runs.
//!
//! The parser keeps every key, value, table and separator of a document in
//! memory at once, at tens to hundreds of bytes each; a file made of tiny
//! items (`[1,1,1,…]`, a million `a=1` lines) cost 100 times its size, so
//! the 16 MiB cap on file size still let one file take 1.6 GB. A scan as
//! cheap as reading the bytes counts the items (strings and comments
//! skipped, as the parser reads them) and refuses a file with more than
//! `MAX_ITEMS`: real data has one item per 10 bytes or so, and stays
//! below it up to the size cap.

/// The most syntax items (keys and values, table headers, array and inline
/// table separators, line breaks) one file may hold. Ordinary component
/// files hold about one item per 10 bytes (a 15 MiB file of 76,000
/// components holds 1.5 million), so any ordinary file under the 16 MiB
/// size cap passes; a file of tiny items at the limit costs about 400 MB
/// to parse, where 16 MiB of them cost 1.6 GB.
pub const MAX_ITEMS: usize = 2_000_000;

/// The file holds more items than allowed; `offset` is the byte where the
/// count went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyItems {
    pub offset: usize,
}

/// Counts the items of a TOML text up to `max`; Err at the first one over.
pub fn check_items(text: &str, max: usize) -> Result<usize, TooManyItems> {
    let bytes = text.as_bytes();
    let mut count = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'=' | b',' | b'[' | b'{' | b'\n' => {
                count += 1;
                if count > max {
                    return Err(TooManyItems { offset: i });
                }
                i += 1;
            }
            // A comment runs to the line break, which counts.
            b'#' => i = line_end(bytes, i),
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i = skip_string(bytes, i + 3, b"\"\"\"", true)
            }
            b'\'' if bytes[i..].starts_with(b"'''") => i = skip_string(bytes, i + 3, b"'''", false),
            b'"' => i = skip_string(bytes, i + 1, b"\"", true),
            b'\'' => i = skip_string(bytes, i + 1, b"'", false),
            _ => i += 1,
        }
    }
    Ok(count)
}

/// The index of the first line break at or after `from`, or the text's end.
fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// 1-based line and column (in characters) of a byte offset, without the
/// line index the parser builds (which costs 8 bytes a line).
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line as u32, column as u32)
}

/// Past the string that starts at `from` (after its opening quote): up to
/// its closing `end`, backslash escapes skipped in basic strings. A
/// one-line string also ends at a line break (the parser reports it).
fn skip_string(bytes: &[u8], from: usize, end: &[u8], escapes: bool) -> usize {
    let multi = end.len() == 3;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if escapes && b == b'\\' {
            i += 2;
            continue;
        }
        if !multi && b == b'\n' {
            return i;
        }
        if bytes[i..].starts_with(end) {
            return i + end.len();
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// No text holds more items than bytes: `parse_file` counts only
        /// texts longer than the limit.
        #[test]
        fn a_text_holds_no_more_items_than_bytes(text in "[=,\\[{\n#\"'a ]{0,64}") {
            proptest::prop_assert!(check_items(&text, text.len()).is_ok());
        }
    }

    #[test]
    fn items_in_strings_and_comments_do_not_count() {
        let text = "a = \"x=,[{\" # b=,[{\nc = 'y,=' \nd = \"\"\"\n=,\n\"\"\"\ne = '''=,[\n'''\n";
        // Four `=`, four line breaks outside strings (the two inside the
        // multi-line strings do not count).
        assert_eq!(check_items(text, 100), Ok(8));
    }

    #[test]
    fn an_escaped_quote_does_not_end_a_string() {
        assert_eq!(check_items("a = \"\\\",=\"\n", 100), Ok(2));
        // An unterminated one-line string ends at the line break.
        assert_eq!(check_items("a = \"x\nb = 1\n", 100), Ok(4));
    }

    #[test]
    fn the_count_stops_at_the_first_item_over() {
        assert_eq!(
            check_items("x = [1,1,1]\n", 3),
            Err(TooManyItems { offset: 8 })
        );
        assert_eq!(line_col("a\nbc = [1,1]", 9), (2, 8));
        // A comment without a line break ends the text.
        assert_eq!(check_items("a = 1 # =,=", 100), Ok(1));
        assert_eq!(check_items("x = [1,1,1]\n", 5), Ok(5));
    }
}
