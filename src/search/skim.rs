//! SkimMatcherV2's score, computed on bytes without allocating: the fast
//! path for ASCII text and patterns, which is nearly all of a catalog once
//! folded. It follows fuzzy-matcher 0.3.7's `SkimMatcherV2::fuzzy` with
//! `with_pos = false` and exact case, step for step (two-row matrix,
//! affine gaps, the same bonuses and resets), so it returns the very same
//! scores; a test compares the two on thousands of generated strings.
//!
//! Why: fuzzy-matcher collects chars and allocates twice per call, which is
//! most of the cost when a first keystroke scores 100,000 entries. Anything
//! non-ASCII, and every highlight (positions), still goes to fuzzy-matcher.

const SCORE_MATCH: i32 = 16;
const GAP_START: i32 = -3;
const GAP_EXTENSION: i32 = -1;
const FIRST_CHAR_MULTIPLIER: i32 = 2;
const BONUS_HEAD: i32 = SCORE_MATCH / 2;
const BONUS_BREAK: i32 = SCORE_MATCH / 2 + GAP_EXTENSION;
const BONUS_CAMEL: i32 = SCORE_MATCH / 2 + 2 * GAP_EXTENSION;
const BONUS_CONSECUTIVE: i32 = -(GAP_START + GAP_EXTENSION);
const NEG_INFINITY: i32 = i16::MIN as i32;

/// The most SkimMatcherV2 can score a pattern of `len` chars: each char
/// earns the match score plus at most a word-head bonus, or twice that
/// when the pattern's first char can match the text's first char (the
/// first-char bonus then carries along a consecutive run); the first char
/// also pays one gap extension. Lets a scan skip what cannot rank.
pub fn upper_bound(len: usize, first_chars_equal: bool) -> i64 {
    let bonus = if first_chars_equal {
        BONUS_HEAD * FIRST_CHAR_MULTIPLIER
    } else {
        BONUS_HEAD
    };
    (len as i64) * (SCORE_MATCH + bonus) as i64 + GAP_EXTENSION as i64
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CharType {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

fn char_type(b: u8) -> CharType {
    match b {
        0 => CharType::Empty,
        b' ' | b'/' | b'\\' | b'|' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => CharType::HardSep,
        b'!'..=b'\'' | b'*'..=b'.' | b':'..=b'@' | b'^'..=b'`' | b'~' => CharType::SoftSep,
        b'0'..=b'9' => CharType::Number,
        b'A'..=b'Z' => CharType::Upper,
        _ => CharType::Lower,
    }
}

fn in_place_bonus(prev: CharType, cur: CharType) -> i32 {
    match (prev, cur) {
        (CharType::Empty, _) | (CharType::HardSep, _) => BONUS_HEAD,
        (CharType::SoftSep, _) => BONUS_BREAK,
        (CharType::Lower, CharType::Upper) | (CharType::Number, CharType::Upper) => BONUS_CAMEL,
        _ => 0,
    }
}

#[derive(Clone, Copy)]
struct Cell {
    m: i32,
    p: i32,
    bonus: i32,
}

const RESET: Cell = Cell {
    m: NEG_INFINITY,
    p: NEG_INFINITY,
    bonus: 0,
};

/// Reusable buffers: one per thread doing a scan.
#[derive(Default)]
pub struct AsciiSkim {
    cells: Vec<Cell>,
    bonus: Vec<i32>,
    first: Vec<usize>,
}

impl AsciiSkim {
    /// The score SkimMatcherV2 (exact case) gives `pattern` in `choice`, or
    /// None when it is not a subsequence. Both must be ASCII.
    pub fn score(&mut self, choice: &[u8], pattern: &[u8]) -> Option<i64> {
        debug_assert!(choice.is_ascii() && pattern.is_ascii());
        if pattern.is_empty() {
            return Some(0);
        }
        // First positions where each pattern byte matches, in order.
        self.first.clear();
        let mut next = 0;
        for (i, &c) in choice.iter().enumerate() {
            if next == pattern.len() {
                break;
            }
            if c == pattern[next] {
                self.first.push(i);
                next += 1;
            }
        }
        if next < pattern.len() {
            return None;
        }
        if let [p] = pattern {
            return Some(Self::score_one(choice, *p, self.first[0]));
        }
        let cols = choice.len() + 1;
        // Nothing left of the first match is ever read: bonuses and cells
        // start there.
        let start = self.first[0];
        self.bonus.clear();
        self.bonus.resize(cols, 0);
        let mut prev = if start == 0 {
            CharType::Empty
        } else {
            char_type(choice[start - 1])
        };
        for (j, &c) in choice.iter().enumerate().skip(start) {
            let cur = char_type(c);
            self.bonus[j + 1] = in_place_bonus(prev, cur);
            prev = cur;
        }
        if start == 0 {
            self.bonus[1] *= FIRST_CHAR_MULTIPLIER;
        }
        self.cells.clear();
        self.cells.resize(2 * cols, RESET);
        let (even, odd) = self.cells.split_at_mut(cols);
        // Row 0: nothing matched yet, a skip costs one gap extension.
        for cell in &mut even[start..] {
            cell.p = GAP_EXTENSION;
        }
        for (i, &p) in pattern.iter().enumerate() {
            // Pattern char i fills row (i + 1) % 2 from row i % 2.
            let (row, prev) = if i & 1 == 0 {
                (&mut *odd, &*even)
            } else {
                (&mut *even, &*odd)
            };
            let skip = self.first[i];
            // `last` is the cell left of the one being filled (col - 1).
            let mut last = row[skip];
            for (j, &c) in choice[skip..].iter().enumerate() {
                let col = skip + j + 1;
                let diag = prev[col - 1];
                let mut cur = row[col];
                if c == p {
                    let in_place = self.bonus[col];
                    let consecutive = last.bonus.max(in_place.max(BONUS_CONSECUTIVE));
                    last.bonus = consecutive;
                    let score_match = diag.m + consecutive;
                    let score_skip = diag.p + in_place;
                    cur.m = score_match.max(score_skip) + SCORE_MATCH;
                } else {
                    cur.m = NEG_INFINITY;
                    cur.bonus = 0;
                }
                cur.p = (GAP_START + GAP_EXTENSION + last.m).max(GAP_EXTENSION + last.p);
                row[col - 1] = last;
                row[col] = cur;
                last = cur;
            }
        }
        let cells = &self.cells;
        let row = pattern.len() & 1;
        let from = self.first[pattern.len() - 1];
        let best = cells[row * cols + from..row * cols + cols]
            .iter()
            .map(|c| c.m)
            .max()?;
        Some(best as i64)
    }
}

impl AsciiSkim {
    /// One char: the matrix has a single row and each match is scored on
    /// its own (skip from row 0, so a gap extension plus the in-place
    /// bonus): the best occurrence wins.
    fn score_one(choice: &[u8], p: u8, first: usize) -> i64 {
        let mut best = i32::MIN;
        let mut at = first;
        while let Some(offset) = memchr::memchr(p, &choice[at..]) {
            let j = at + offset;
            let prev = if j == 0 {
                CharType::Empty
            } else {
                char_type(choice[j - 1])
            };
            let mut bonus = in_place_bonus(prev, char_type(p));
            if j == 0 {
                bonus *= FIRST_CHAR_MULTIPLIER;
            }
            best = best.max(GAP_EXTENSION + bonus + SCORE_MATCH);
            at = j + 1;
        }
        best as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fuzzy_matcher::skim::SkimMatcherV2;

    /// Strings over a small alphabet (so matches are common) with every
    /// char type: lower, upper, digits, hard and soft separators.
    fn generated(seed: &mut u64, len: usize) -> String {
        const ALPHABET: &[u8] = b"aabkkfttoopic-_ ./KAFT019";
        (0..len)
            .map(|_| {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                ALPHABET[(*seed % ALPHABET.len() as u64) as usize] as char
            })
            .collect()
    }

    #[test]
    fn scores_exactly_as_fuzzy_matcher_does() {
        let skim = SkimMatcherV2::default().respect_case();
        let mut fast = AsciiSkim::default();
        let mut seed = 0x2545_F491_4F6C_DD1D;
        let mut matched = 0;
        for n in 0..20_000 {
            let choice = generated(&mut seed, 1 + n % 40);
            let pattern = generated(&mut seed, 1 + n % 6);
            let expected = skim.fuzzy(&choice, &pattern, false).map(|(s, _)| s);
            assert_eq!(
                fast.score(choice.as_bytes(), pattern.as_bytes()),
                expected,
                "{pattern:?} in {choice:?}"
            );
            if let Some(score) = expected {
                let bound =
                    upper_bound(pattern.len(), choice.as_bytes()[0] == pattern.as_bytes()[0]);
                assert!(
                    score <= bound,
                    "{score} > {bound}: {pattern:?} in {choice:?}"
                );
                matched += 1;
            }
        }
        assert!(matched > 2_000, "the test must exercise matches: {matched}");
    }

    #[test]
    fn scores_real_names_as_fuzzy_matcher_does() {
        let skim = SkimMatcherV2::default().respect_case();
        let mut fast = AsciiSkim::default();
        for choice in [
            "kafka",
            "Kafka message queues",
            "checkout-kafka-consumer-12",
            "https://runbooks.example/kafka",
        ] {
            for pattern in ["k", "kafka", "kmq", "Kq", "ka", "cons", "x"] {
                let expected = skim.fuzzy(choice, pattern, false).map(|(s, _)| s);
                assert_eq!(
                    fast.score(choice.as_bytes(), pattern.as_bytes()),
                    expected,
                    "{pattern:?} in {choice:?}"
                );
            }
        }
    }
}
