//! Replays the committed cargo-fuzz corpus of the TOML loader on stable
//! (fuzz/corpus/toml_loader/): every input must load without a panic,
//! each in a bounded time (the replay runs in a child process with a
//! timeout).

#[path = "support/corpus.rs"]
mod corpus;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/toml_loader");

#[test]
fn every_corpus_input_loads_without_a_panic() {
    corpus::replay_in_child(
        "every_corpus_input_loads_without_a_panic",
        CORPUS,
        10,
        demarc::repo::fuzz::toml_loader,
    );
}
