//! Replays the committed cargo-fuzz corpus of the component files' fast
//! path on stable (fuzz/corpus/components_fast/): every input must read
//! the same through the fast path and the full `toml` parser, in a
//! bounded time (the replay runs in a child process with a timeout, as a
//! thread with a deadline would not stop a hang).

use std::path::Path;
use std::time::{Duration, Instant};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/components_fast");

#[test]
fn the_fast_path_agrees_on_every_corpus_input() {
    if std::env::var_os("DEMARC_FUZZ_REPLAY_CHILD").is_some() {
        return replay_all();
    }
    let exe = std::env::current_exe().unwrap();
    let mut child = std::process::Command::new(exe)
        .args([
            "--exact",
            "the_fast_path_agrees_on_every_corpus_input",
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
        demarc::model::parse::fuzz_components_fast(&bytes);
    }
}
