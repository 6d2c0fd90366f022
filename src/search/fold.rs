//! Text folding for matching: a lowercase, accent-free copy of a string with
//! exactly one char per char of the original, so that char positions found in
//! the copy are char positions in the original (highlighting needs that).
//! Also the cheap prefilter helpers that run before the fuzzy scorer.

/// The base letter of a Latin letter with a diacritic, case kept
/// (`é` -> `e`, `Ü` -> `U`); `None` for everything else.
fn strip_accent(c: char) -> Option<char> {
    let base = match c {
        'À'..='Å' | 'Ā' | 'Ă' | 'Ą' => 'A',
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => 'C',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'Ď' | 'Đ' | 'Ð' => 'D',
        'ď' | 'đ' | 'ð' => 'd',
        'È'..='Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => 'E',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => 'G',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'Ĥ' | 'Ħ' => 'H',
        'ĥ' | 'ħ' => 'h',
        'Ì'..='Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => 'I',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'Ĵ' => 'J',
        'ĵ' => 'j',
        'Ķ' => 'K',
        'ķ' => 'k',
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => 'L',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' => 'N',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => 'O',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'Ŕ' | 'Ŗ' | 'Ř' => 'R',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => 'S',
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ß' => 's',
        'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => 'T',
        'ţ' | 'ť' | 'ŧ' | 'ț' => 't',
        'Ù'..='Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => 'U',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'Ŵ' => 'W',
        'ŵ' => 'w',
        'Ý' | 'Ŷ' | 'Ÿ' => 'Y',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'Ź' | 'Ż' | 'Ž' => 'Z',
        'ź' | 'ż' | 'ž' => 'z',
        _ => return None,
    };
    Some(base)
}

/// One char folded: accents stripped, then lowercased. A char whose
/// lowercase is several chars (rare: `İ`) keeps its first, so the folded
/// copy stays aligned with the original.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let c = strip_accent(c).unwrap_or(c);
    c.to_lowercase().next().unwrap_or(c)
}

/// The folded copy of a string: same number of chars as `text`.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// Smart case: a query word with an uppercase letter is matched exactly
/// (case and accents); an all-lowercase word matches any case and accent.
pub fn has_upper(text: &str) -> bool {
    text.chars().any(char::is_uppercase)
}

/// A bit per ASCII letter and digit present: the first, constant-time
/// rejection (a word needing a `k` skips every entry without one).
pub fn char_mask(folded: &str) -> u64 {
    let mut mask = 0u64;
    for b in folded.bytes() {
        match b {
            b'a'..=b'z' => mask |= 1 << (b - b'a'),
            b'0'..=b'9' => mask |= 1 << (26 + b - b'0'),
            _ => {}
        }
    }
    mask
}

/// Is every byte of `needle` present in `haystack`, in order? On folded
/// UTF-8 text this is implied by a char subsequence, so it never rejects
/// a real match; the rare multibyte false positive goes on to the scorer.
pub fn is_subsequence(needle: &[u8], haystack: &[u8]) -> bool {
    let mut rest = haystack;
    for &b in needle {
        match memchr::memchr(b, rest) {
            Some(at) => rest = &rest[at + 1..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_one_char_per_char() {
        for text in [
            "Tomás Núñez",
            "Zürich Ops",
            "Straße",
            "İstanbul",
            "Łódź",
            "日本 ops",
        ] {
            assert_eq!(fold(text).chars().count(), text.chars().count(), "{text}");
        }
        assert_eq!(fold("Tomás Núñez"), "tomas nunez");
        assert_eq!(fold("ZÜRICH"), "zurich");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("ΑΘΗΝΑ"), "αθηνα");
    }

    #[test]
    fn smart_case_looks_at_any_uppercase_letter() {
        assert!(!has_upper("zürich"));
        assert!(has_upper("Zürich"));
        assert!(has_upper("zÜrich"));
        assert!(!has_upper("kafka-2"));
    }

    #[test]
    fn prefilter_needs_every_char_in_order() {
        assert!(is_subsequence(b"kfk", b"kafka"));
        assert!(is_subsequence(b"", b"kafka"));
        assert!(!is_subsequence(b"kk", b"ka"));
        assert!(!is_subsequence(b"fk a", b"kafka"));
        let mask = char_mask("kafka topics");
        assert_eq!(char_mask("kat") & !mask, 0);
        assert_ne!(char_mask("kz") & !mask, 0);
    }
}
