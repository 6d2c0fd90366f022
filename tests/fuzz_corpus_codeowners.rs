//! Replays every file of the CODEOWNERS fuzz corpus (fuzz/corpus/codeowners)
//! through the fuzz target's function, so a crash found by `cargo fuzz`
//! and committed as a seed stays fixed on stable Rust in `cargo test`.

use std::path::Path;

#[test]
fn every_seed_parses_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/codeowners");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("the corpus folder") {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        demarc::codeowners::fuzz_parse(&bytes);
        // Parsing is deterministic, and every finding points into the file.
        let a = demarc::codeowners::parse_bytes(&bytes);
        assert_eq!(
            a,
            demarc::codeowners::parse_bytes(&bytes),
            "{}",
            path.display()
        );
        let lines = bytes.split(|b| *b == b'\n').count() as u32;
        for e in &a.errors {
            assert!(
                e.line >= 1 && e.line <= lines && e.column >= 1,
                "{e:?} in {}",
                path.display()
            );
        }
        seen += 1;
    }
    assert!(seen >= 5, "the corpus has {seen} seeds");
}

/// A file with more rules than demarc matches: the rest is reported and
/// ignored instead of costing time and memory without bound.
#[test]
fn rules_past_the_limit_are_reported_and_ignored() {
    use demarc::codeowners::parse::MAX_RULES;
    let text: String = (0..MAX_RULES + 10)
        .map(|i| format!("/d{i}/ @o\n"))
        .collect();
    let file = demarc::codeowners::parse(&text);
    assert_eq!(file.rules.len(), MAX_RULES);
    let e = &file.errors[0];
    assert_eq!((e.line, e.column), (MAX_RULES as u32 + 1, 1));
    assert!(e.message.contains("ignored"), "{}", e.message);
}
