//! Display width and truncation with `…`.

use ratatui::buffer::CellWidth;
use std::borrow::Cow;
use unicode_segmentation::UnicodeSegmentation;

/// What marks text that was cut.
pub const ELLIPSIS: char = '…';

/// The cells one grapheme takes, as ratatui's buffer counts them: control
/// characters and zero-width graphemes are not drawn at all.
pub fn grapheme_width(g: &str) -> usize {
    if g.contains(char::is_control) {
        0
    } else {
        g.cell_width() as usize
    }
}

/// The cells `text` takes on screen.
pub fn width(text: &str) -> usize {
    if text.is_ascii() && !text.bytes().any(|b| b.is_ascii_control()) {
        return text.len();
    }
    text.graphemes(true).map(grapheme_width).sum()
}

/// `text` cut to at most `max` cells: unchanged when it fits, else the
/// longest prefix of whole graphemes that leaves room for `…`, then `…`.
/// The ellipsis is there exactly when something was cut.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if width(text) <= max {
        return Cow::Borrowed(text);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let room = max - 1;
    let mut used = 0;
    let mut end = 0;
    for (at, g) in text.grapheme_indices(true) {
        let w = grapheme_width(g);
        if used + w > room {
            break;
        }
        used += w;
        end = at + g.len();
    }
    // A cut right after a space reads as a finished word: drop the space.
    let kept = text[..end].trim_end();
    let mut out = String::with_capacity(kept.len() + ELLIPSIS.len_utf8());
    out.push_str(kept);
    out.push(ELLIPSIS);
    Cow::Owned(out)
}

/// `text` in exactly `cells` cells: truncated with `…` when too long,
/// padded with spaces on the right otherwise.
pub fn pad(text: &str, cells: usize) -> String {
    let cut = truncate(text, cells);
    let w = width(&cut);
    let mut out = String::with_capacity(cut.len() + cells.saturating_sub(w));
    out.push_str(&cut);
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    out
}

/// `text` in exactly `cells` cells, aligned right (numbers).
pub fn pad_left(text: &str, cells: usize) -> String {
    let cut = truncate(text, cells);
    let w = width(&cut);
    let mut out: String = std::iter::repeat_n(' ', cells.saturating_sub(w)).collect();
    out.push_str(&cut);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fits_are_untouched_and_cuts_end_in_an_ellipsis() {
        assert_eq!(
            truncate("Security & Compliance", 21),
            "Security & Compliance"
        );
        assert_eq!(
            truncate("Security & Compliance", 20),
            "Security & Complian…"
        );
        // The space before the cut goes, so the ellipsis follows the word.
        assert_eq!(truncate("Security & Compliance", 12), "Security &…");
        assert_eq!(truncate("abc", 1), "…");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("", 0), "");
    }

    #[test]
    fn wide_characters_are_never_split() {
        // Each of these takes two cells.
        assert_eq!(width("東京都"), 6);
        assert_eq!(truncate("東京都", 5), "東京…");
        assert_eq!(truncate("東京都", 4), "東…");
        assert_eq!(pad("東京都", 4), "東… ");
        assert_eq!(width(&pad("東京都", 4)), 4);
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        let text = "cafe\u{301} noir";
        assert_eq!(width(text), 9);
        assert_eq!(truncate(text, 5), "cafe\u{301}…");
    }

    #[test]
    fn pads_to_the_exact_width() {
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad_left("12", 4), "  12");
        assert_eq!(pad("abcdef", 4), "abc…");
        assert_eq!(pad_left("abcdef", 4), "abc…");
    }

    fn text() -> impl Strategy<Value = String> {
        // ASCII, accented, CJK, emoji, combining marks and spaces.
        proptest::collection::vec(
            prop_oneof![
                "[a-z ]",
                Just("é".to_string()),
                Just("東".to_string()),
                Just("👍".to_string()),
                Just("e\u{301}".to_string()),
                Just("…".to_string()),
            ],
            0..30,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn truncation_never_exceeds_the_limit(s in text(), max in 0usize..40) {
            let cut = truncate(&s, max);
            prop_assert!(width(&cut) <= max);
            let was_cut = width(&s) > max;
            // `…` ends the text exactly when it was cut (the input may hold
            // its own ellipsis, hence the comparison with the input).
            prop_assert_eq!(cut != s.as_str(), was_cut);
            if was_cut && max > 0 {
                prop_assert!(cut.ends_with(ELLIPSIS));
                let kept = cut.strip_suffix(ELLIPSIS).unwrap();
                prop_assert!(s.starts_with(kept));
            } else if !was_cut {
                prop_assert_eq!(&*cut, s.as_str());
            }
        }

        #[test]
        fn padding_is_exact(s in text(), cells in 0usize..40) {
            prop_assert_eq!(width(&pad(&s, cells)), cells);
            prop_assert_eq!(width(&pad_left(&s, cells)), cells);
        }
    }
}
