//! Property tests over the loader: files from the committed seed corpus
//! (tests/fuzz-seeds/), mutated at random, are parsed, assembled and
//! checked. Whatever the bytes, nothing panics, and a file that parses
//! gives the same model twice (parsing is deterministic).
//!
//! Bounded for CI: PROPTEST_CASES (default 256 here) cases per property.
//! A failing case is saved by proptest under tests/fuzz_loader.proptest-regressions;
//! commit that file, and add the case as a named regression test below.

use demarc::model::{self, FileKind};
use proptest::prelude::*;

const SEEDS: &[(&str, &[u8])] = &[
    ("demarc.toml", include_bytes!("fuzz-seeds/demarc.toml")),
    (
        "components/streaming.toml",
        include_bytes!("fuzz-seeds/components-streaming.toml"),
    ),
    (
        "components/odd.toml",
        include_bytes!("fuzz-seeds/components-odd.toml"),
    ),
    ("pillars.toml", include_bytes!("fuzz-seeds/pillars.toml")),
    ("layers.toml", include_bytes!("fuzz-seeds/layers.toml")),
    (
        "teams/platform-streaming.toml",
        include_bytes!("fuzz-seeds/team.toml"),
    ),
    (
        "scenarios/incidents.toml",
        include_bytes!("fuzz-seeds/scenarios.toml"),
    ),
    (
        "matrices/collaboration.toml",
        include_bytes!("fuzz-seeds/matrix.toml"),
    ),
];

/// Bytes that matter to TOML's grammar, or to a terminal.
const TOKENS: &[&[u8]] = &[
    b"[",
    b"]",
    b"[[component]]\n",
    b"[[component.duty]]\n",
    b"\"",
    b"'''",
    b"=",
    b"\n",
    b"{",
    b"}",
    b",",
    b"#",
    b"\\u0000",
    b"\x1b",
    b"\xff",
    b"\xc3",
    b"1979-05-27T07:32:00Z",
    b"-1",
    b"@consumers",
    b"id = \"x\"\n",
];

#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, usize),
    Delete(usize, usize),
    Truncate(usize),
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Flip(p, b)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(p, t)| Edit::Insert(p, t)),
        (any::<usize>(), 1usize..40).prop_map(|(p, n)| Edit::Delete(p, n)),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let len = bytes.len().max(1);
        match *edit {
            Edit::Flip(p, b) => {
                if !bytes.is_empty() {
                    bytes[p % len] = b;
                }
            }
            Edit::Insert(p, t) => {
                let at = p % (bytes.len() + 1);
                bytes.splice(at..at, TOKENS[t].iter().copied());
            }
            Edit::Delete(p, n) => {
                let at = p % len;
                let end = (at + n).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Edit::Truncate(p) => bytes.truncate(p % len),
        }
    }
    bytes
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_files_never_panic(seed in 0..SEEDS.len(), edits in prop::collection::vec(edit_strategy(), 0..12)) {
        let (path, bytes) = SEEDS[seed];
        prop_assert!(FileKind::of_path(path).is_some());
        let mutated = apply(bytes.to_vec(), &edits);
        let first = model::parse_file(path, &mutated);
        let again = model::parse_file(path, &mutated);
        prop_assert_eq!(&first, &again);
        for d in &first.diagnostics {
            prop_assert_eq!(&d.location.file, path);
        }
        // The whole repository with this one file mutated still assembles and checks.
        let files: Vec<(&str, &[u8])> = SEEDS
            .iter()
            .map(|(p, b)| if *p == path { (*p, mutated.as_slice()) } else { (*p, *b) })
            .collect();
        let (m, _) = model::parse_all(files);
        let _ = model::check(&m, today());
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(128),
        ..ProptestConfig::default()
    })]

    /// The semantic diff between two mutated versions never panics, a
    /// version compared with itself has no changes, and every change has a
    /// summary a person can read.
    #[test]
    fn the_semantic_diff_of_mutated_versions_never_panics(
        seed in 0..SEEDS.len(),
        old_edits in prop::collection::vec(edit_strategy(), 0..8),
        new_edits in prop::collection::vec(edit_strategy(), 0..8),
    ) {
        let version = |edits: &[Edit]| {
            let files: Vec<(String, Vec<u8>)> = SEEDS
                .iter()
                .enumerate()
                .map(|(i, (p, b))| {
                    let bytes = if i == seed { apply(b.to_vec(), edits) } else { b.to_vec() };
                    (p.to_string(), bytes)
                })
                .collect();
            model::parse_all(files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))).0
        };
        let old = version(&old_edits);
        let new = version(&new_edits);
        prop_assert!(demarc::history::diff_models(&old, &old).is_empty());
        for change in demarc::history::diff_models(&old, &new) {
            prop_assert!(!change.summary().is_empty());
        }
    }
}

#[test]
fn the_seeds_themselves_parse() {
    for (path, bytes) in SEEDS {
        let f = model::parse_file(path, bytes);
        assert!(!f.is_broken(), "{path}: {:?}", f.diagnostics);
    }
}
