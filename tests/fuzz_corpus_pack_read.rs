//! Replays every file of the pack reader's fuzz corpus (fuzz/corpus/pack_read)
//! through the fuzz target's function, so a crash found by `cargo fuzz`
//! and committed as a seed stays fixed on stable Rust in `cargo test`.

use std::path::Path;

#[test]
fn every_seed_reads_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/pack_read");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("the corpus folder") {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        demarc::repo::fuzz_pack_read(&bytes);
        // The same bytes give the same answer (nothing depends on state).
        let cut = bytes
            .first()
            .map_or(0, |b| usize::from(*b))
            .min(bytes.len());
        let (base, delta) = bytes.split_at(cut);
        assert_eq!(
            demarc::repo::apply_delta(base, delta, 1 << 16),
            demarc::repo::apply_delta(base, delta, 1 << 16),
            "{}",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 5, "the corpus has {seen} seeds");
}

/// The seed that copies then inserts builds what git would.
#[test]
fn the_copy_and_insert_seed_builds_its_text() {
    let base = b"abcd";
    let delta = [4, 6, 0x90, 3, 3, b'x', b'y', b'z'];
    assert_eq!(
        demarc::repo::apply_delta(base, &delta, 100).as_deref(),
        Some(&b"abcxyz"[..])
    );
}
