//! Replays every file of the catalog fuzz corpus (fuzz/corpus/catalog/)
//! through the fuzz target's function on stable Rust: none may panic or
//! hang (each file has a deadline, so a regression fails instead of
//! blocking CI).

use std::sync::mpsc;
use std::time::Duration;

#[test]
fn every_corpus_file_reads_without_panic_or_hang() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/catalog");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the corpus folder")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 8, "the corpus has its seeds");
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let (tx, rx) = mpsc::channel();
        let name = path.display().to_string();
        std::thread::spawn(move || {
            demarc::backstage::fuzz_catalog(&bytes);
            let _ = tx.send(());
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(()) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => panic!("{name} hung"),
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{name} panicked"),
        }
    }
}
