//! Replaying a committed cargo-fuzz corpus on stable Rust, in a child
//! process with a deadline: a thread with a deadline would not stop a hang,
//! and a hang must fail the test, not block CI.
//!
//! A test file includes this one alone (`#[path = "support/corpus.rs"]`),
//! so it does not compile the other support modules.

use std::path::Path;
use std::time::{Duration, Instant};

/// Set in the child process: the test then replays instead of spawning.
const CHILD: &str = "DEMARC_FUZZ_REPLAY_CHILD";

/// Runs `each` over every file of `corpus` (sorted, at least `min_inputs`
/// of them). Called from the test named `test_name`: in the parent it runs
/// that test again as a child and fails if the child fails or outlives
/// two minutes; in the child it does the replay.
pub fn replay_in_child(test_name: &str, corpus: &str, min_inputs: usize, each: fn(&[u8])) {
    if std::env::var_os(CHILD).is_some() {
        return replay_all(corpus, min_inputs, each);
    }
    let exe = std::env::current_exe().unwrap();
    let mut child = std::process::Command::new(exe)
        .args(["--exact", test_name, "--nocapture"])
        .env(CHILD, "1")
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
    assert!(status.success(), "an input of {corpus} failed: {status:?}");
}

fn replay_all(corpus: &str, min_inputs: usize, each: fn(&[u8])) {
    let mut inputs: Vec<_> = std::fs::read_dir(Path::new(corpus))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= min_inputs,
        "the corpus is committed: {inputs:?}"
    );
    for input in inputs {
        let bytes = std::fs::read(&input).unwrap();
        eprintln!("{}", input.display());
        each(&bytes);
    }
}
