//! Replays the committed cargo-fuzz corpus of the TOML loader on stable
//! (fuzz/corpus/toml_loader/): every input must load without a panic,
//! each in a bounded time (a child thread with a deadline would not stop a
//! hang, so the whole replay runs in a child process with a timeout).

use std::path::Path;
use std::time::{Duration, Instant};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/toml_loader");

#[test]
fn every_corpus_input_loads_without_a_panic() {
    if std::env::var_os("DEMARC_FUZZ_REPLAY_CHILD").is_some() {
        return replay_all();
    }
    let exe = std::env::current_exe().unwrap();
    let mut child = std::process::Command::new(exe)
        .args([
            "--exact",
            "every_corpus_input_loads_without_a_panic",
            "--nocapture",
        ])
        .env("DEMARC_FUZZ_REPLAY_CHILD", "1")
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("replaying the corpus did not finish: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "an input of {CORPUS} failed: {status:?}");
}

fn replay_all() {
    let mut inputs: Vec<_> = std::fs::read_dir(Path::new(CORPUS))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 10, "the corpus is committed: {inputs:?}");
    for input in inputs {
        let bytes = std::fs::read(&input).unwrap();
        eprintln!("{}", input.display());
        demarc::repo::fuzz::toml_loader(&bytes);
    }
}
