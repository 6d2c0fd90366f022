//! Replays the committed cargo-fuzz corpus of the `catalog_owned` target
//! on stable (fuzz/corpus/catalog_owned/: the catalog corpus and the demo
//! catalog's files): mapping a version's files in place, as a load does,
//! must give the model and findings that mapping shared files gives, in a
//! bounded time (the replay runs in a child process with a timeout).

#[path = "support/corpus.rs"]
mod corpus;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/catalog_owned");

#[test]
fn mapping_in_place_agrees_on_every_corpus_input() {
    corpus::replay_in_child(
        "mapping_in_place_agrees_on_every_corpus_input",
        CORPUS,
        16,
        demarc::backstage::fuzz_catalog_owned,
    );
}
