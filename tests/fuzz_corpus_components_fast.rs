//! Replays the committed cargo-fuzz corpus of the component files' fast
//! path on stable (fuzz/corpus/components_fast/): every input must read
//! the same through the fast path and the full `toml` parser, in a
//! bounded time (the replay runs in a child process with a timeout).

#[path = "support/corpus.rs"]
mod corpus;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/components_fast");

#[test]
fn the_fast_path_agrees_on_every_corpus_input() {
    corpus::replay_in_child(
        "the_fast_path_agrees_on_every_corpus_input",
        CORPUS,
        10,
        demarc::model::parse::fuzz_components_fast,
    );
}
