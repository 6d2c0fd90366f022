//! Git deltas between two versions of one file, made the cheap way.
//!
//! The generator knows which object is the previous version of each file,
//! and a new version differs from it in a few lines (an owner moved, a
//! review date), so a delta is found by matching whole records (lines of a
//! blob, entries of a tree) against the base instead of libgit2's search of
//! every object against ten others (most of the generator's time before).
//! A match is confirmed byte for byte, so a delta is always exact, whatever
//! the hash says; a poor match only makes it larger.
//!
//! The format is git's (`Documentation/gitformat-pack.txt`, "Deltified
//! representation"): the base's size and the result's size as varints, then
//! copies of base ranges and literal inserts.

use foldhash::{HashMap, HashMapExt};
use std::hash::{BuildHasher, Hasher};

/// What the bytes are, which says how they split into records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Records {
    /// Lines, each with its `\n`.
    Lines,
    /// Git tree entries: `mode name\0` and a 20-byte id.
    TreeEntries,
}

/// Copies shorter than this are written as literals: a copy op costs up to
/// eight bytes.
const MIN_COPY: usize = 8;
/// How far a chain of equal-hash records is followed for one lookup, so a
/// line repeated thousands of times cannot make a delta quadratic.
const MAX_CHAIN: usize = 64;
/// One copy op covers at most this much (git's own limit, which every
/// reader accepts).
const MAX_COPY_OP: usize = 0x10000;
/// One insert op carries at most this many bytes (the format's limit).
const MAX_INSERT_OP: usize = 127;

/// The records of `data` as `(start, end)` byte ranges covering it all.
fn split(data: &[u8], kind: Records) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    match kind {
        Records::Lines => {
            for nl in memchr::memchr_iter(b'\n', data) {
                out.push((start, nl + 1));
                start = nl + 1;
            }
        }
        Records::TreeEntries => {
            while start < data.len() {
                // An entry ends 20 bytes after its name's NUL; anything that
                // does not parse is one last record (still exact, only larger).
                match memchr::memchr(0, &data[start..]) {
                    Some(nul) if start + nul + 21 <= data.len() => {
                        let end = start + nul + 21;
                        out.push((start, end));
                        start = end;
                    }
                    _ => break,
                }
            }
        }
    }
    if start < data.len() {
        out.push((start, data.len()));
    }
    out
}

fn hash(state: &foldhash::fast::FixedState, bytes: &[u8]) -> u64 {
    let mut h = state.build_hasher();
    h.write(bytes);
    h.finish()
}

/// The delta that turns `base` into `target`, in git's format.
pub fn make(base: &[u8], target: &[u8], kind: Records) -> Vec<u8> {
    // A fixed seed: the same inputs give the same delta on every run.
    let state = foldhash::fast::FixedState::with_seed(0x64656d617263);
    let base_recs = split(base, kind);
    let target_recs = split(target, kind);

    // Records by hash: the first index of each hash, then a chain from each
    // index to the next one with the same hash.
    let mut first: HashMap<u64, u32> = HashMap::with_capacity(base_recs.len());
    let mut next = vec![u32::MAX; base_recs.len()];
    for (i, &(s, e)) in base_recs.iter().enumerate().rev() {
        let h = hash(&state, &base[s..e]);
        if let Some(old) = first.insert(h, i as u32) {
            next[i] = old;
        }
    }
    let rec = |i: usize| &base[base_recs[i].0..base_recs[i].1];

    let mut out = Vec::with_capacity(target.len() / 8 + 16);
    varint(&mut out, base.len());
    varint(&mut out, target.len());
    let mut literal_from = 0; // target bytes not yet written
    let mut cursor = 0; // the base record expected next
    let mut t = 0;
    while t < target_recs.len() {
        let (ts, te) = target_recs[t];
        let line = &target[ts..te];
        // The record where the base was left off (or the one after, when a
        // record was replaced), else the first with the same bytes at or
        // after it, else the first anywhere.
        let found = if cursor < base_recs.len() && rec(cursor) == line {
            Some(cursor)
        } else if cursor + 1 < base_recs.len() && rec(cursor + 1) == line {
            // The record before was replaced.
            Some(cursor + 1)
        } else {
            let mut at = first.get(&hash(&state, line)).copied();
            let mut fallback = None;
            let mut steps = 0;
            let mut pick = None;
            while let Some(i) = at.filter(|&i| i != u32::MAX) {
                let i = i as usize;
                if rec(i) == line {
                    if i >= cursor {
                        pick = Some(i);
                        break;
                    }
                    fallback.get_or_insert(i);
                }
                steps += 1;
                if steps >= MAX_CHAIN {
                    break;
                }
                at = Some(next[i]);
            }
            pick.or(fallback)
        };
        let Some(b) = found else {
            t += 1;
            continue;
        };
        // Extend the match over the records that follow in both.
        let mut k = 1;
        while t + k < target_recs.len()
            && b + k < base_recs.len()
            && rec(b + k) == &target[target_recs[t + k].0..target_recs[t + k].1]
        {
            k += 1;
        }
        let (from, to) = (base_recs[b].0, base_recs[b + k - 1].1);
        if to - from >= MIN_COPY {
            insert(&mut out, &target[literal_from..ts]);
            copy(&mut out, from, to - from);
            literal_from = target_recs[t + k - 1].1;
        }
        cursor = b + k;
        t += k;
    }
    insert(&mut out, &target[literal_from..]);
    out
}

/// Git's size varint: seven bits a byte, least significant first.
fn varint(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn insert(out: &mut Vec<u8>, bytes: &[u8]) {
    for chunk in bytes.chunks(MAX_INSERT_OP) {
        out.push(chunk.len() as u8);
        out.extend_from_slice(chunk);
    }
}

fn copy(out: &mut Vec<u8>, mut offset: usize, mut len: usize) {
    while len > 0 {
        let n = len.min(MAX_COPY_OP);
        let at = out.len();
        out.push(0x80);
        // Offset bytes 0..4 (flags 0x01..0x08), size bytes 0..3 (0x10..0x40);
        // zero bytes are left out, and a size of 0x10000 is written as none.
        for (i, byte) in (offset as u32).to_le_bytes().into_iter().enumerate() {
            if byte != 0 {
                out[at] |= 1 << i;
                out.push(byte);
            }
        }
        if n != 0x10000 {
            for (i, byte) in (n as u32).to_le_bytes().into_iter().take(3).enumerate() {
                if byte != 0 {
                    out[at] |= 0x10 << i;
                    out.push(byte);
                }
            }
        }
        offset += n;
        len -= n;
    }
}

/// Applies a delta (the tests' reference reader; the repository's readers
/// are libgit2 and git). None when the delta is malformed or does not fit.
#[cfg(test)]
pub fn apply(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    let mut at = 0;
    let mut read_varint = || {
        let mut n = 0usize;
        let mut shift = 0;
        loop {
            let byte = *delta.get(at)?;
            at += 1;
            n |= ((byte & 0x7f) as usize) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                return Some(n);
            }
        }
    };
    let base_len = read_varint()?;
    let target_len = read_varint()?;
    if base_len != base.len() {
        return None;
    }
    let mut out = Vec::with_capacity(target_len);
    while at < delta.len() {
        let op = delta[at];
        at += 1;
        if op & 0x80 != 0 {
            let mut offset = 0usize;
            let mut len = 0usize;
            for i in 0..4 {
                if op & (1 << i) != 0 {
                    offset |= (*delta.get(at)? as usize) << (8 * i);
                    at += 1;
                }
            }
            for i in 0..3 {
                if op & (0x10 << i) != 0 {
                    len |= (*delta.get(at)? as usize) << (8 * i);
                    at += 1;
                }
            }
            if len == 0 {
                len = 0x10000;
            }
            out.extend_from_slice(base.get(offset..offset.checked_add(len)?)?);
        } else if op != 0 {
            let n = op as usize;
            out.extend_from_slice(delta.get(at..at + n)?);
            at += n;
        } else {
            return None;
        }
    }
    (out.len() == target_len).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn roundtrip(base: &[u8], target: &[u8], kind: Records) -> Vec<u8> {
        let delta = make(base, target, kind);
        assert_eq!(apply(base, &delta).as_deref(), Some(target));
        delta
    }

    #[test]
    fn a_changed_line_costs_about_its_own_size() {
        let base: String = (0..2_000)
            .map(|i| format!("[[component]]\nid = \"c{i}\"\nreviewed = 2024-01-01\n"))
            .collect();
        let target = base.replacen("id = \"c777\"", "id = \"c777-moved\"", 1);
        let delta = roundtrip(base.as_bytes(), target.as_bytes(), Records::Lines);
        assert!(delta.len() < 60, "{} bytes", delta.len());
        // A review: a quarter of the dates change, scattered.
        let reviewed: String = (0..2_000)
            .map(|i| {
                let date = if i % 4 == 0 {
                    "2025-03-03"
                } else {
                    "2024-01-01"
                };
                format!("[[component]]\nid = \"c{i}\"\nreviewed = {date}\n")
            })
            .collect();
        let delta = roundtrip(base.as_bytes(), reviewed.as_bytes(), Records::Lines);
        // 500 changed lines of 22 bytes: about a copy and a literal each.
        assert!(delta.len() < 2 * 500 * 22, "{} bytes", delta.len());
    }

    #[test]
    fn tree_entries_match_as_records() {
        let entry = |name: &str, id: u8| {
            let mut e = format!("100644 {name}\0").into_bytes();
            e.extend_from_slice(&[id; 20]);
            e
        };
        // Ids of newline bytes: an entry is not split at a `\n`.
        let base: Vec<u8> = (0..500)
            .flat_map(|i| entry(&format!("f{i}.toml"), b'\n'))
            .collect();
        let target: Vec<u8> = (0..500)
            .flat_map(|i| entry(&format!("f{i}.toml"), if i == 250 { 7 } else { b'\n' }))
            .collect();
        let delta = roundtrip(&base, &target, Records::TreeEntries);
        assert!(delta.len() < 80, "{} bytes", delta.len());
    }

    #[test]
    fn long_copies_and_inserts_are_cut_to_the_format_limits() {
        let base = vec![b'x'; 200_000];
        roundtrip(&base, &base, Records::Lines);
        let target: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        roundtrip(&base, &target, Records::TreeEntries);
        roundtrip(b"", &target, Records::Lines);
        roundtrip(&target, b"", Records::Lines);
        // A copy at an offset past 16 MiB uses the fourth offset byte.
        let mut out = Vec::new();
        copy(&mut out, 0x0102_0304, 0x10000);
        assert_eq!(out, [0x8f, 4, 3, 2, 1]);
    }

    fn lines() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec(
            prop_oneof![
                Just(String::new()),
                Just("[[component]]".to_string()),
                Just("tier = 2".to_string()),
                "[a-z =\"]{0,30}",
            ],
            0..60,
        )
    }

    proptest! {
        #[test]
        fn a_delta_rebuilds_the_target_exactly(
            base in lines(),
            edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, "[a-z =]{0,12}"), 0..8),
            trailing in any::<bool>(),
        ) {
            let mut target = base.clone();
            for (at, op, text) in edits {
                let i = if target.is_empty() { 0 } else { at.index(target.len()) };
                match op {
                    0 => target.insert(i, text),
                    1 if !target.is_empty() => { target.remove(i); }
                    _ if !target.is_empty() => target[i] = text,
                    _ => target.push(text),
                }
            }
            let base = base.join("\n");
            let mut target = target.join("\n");
            if trailing {
                target.push('\n');
            }
            roundtrip(base.as_bytes(), target.as_bytes(), Records::Lines);
            roundtrip(base.as_bytes(), target.as_bytes(), Records::TreeEntries);
        }

        #[test]
        fn any_bytes_against_any_bytes(base in prop::collection::vec(any::<u8>(), 0..600),
                                       target in prop::collection::vec(any::<u8>(), 0..600)) {
            roundtrip(&base, &target, Records::Lines);
            roundtrip(&base, &target, Records::TreeEntries);
        }
    }
}
