//! Replays the committed cargo-fuzz corpus of the catalog's fast YAML
//! reader on stable (fuzz/corpus/catalog_fast/): whenever the fast path is
//! sure of an input it must read exactly what saphyr-parser reads, in a
//! bounded time (the replay runs in a child process with a timeout).

#[path = "support/corpus.rs"]
mod corpus;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/catalog_fast");

#[test]
fn the_fast_yaml_reader_agrees_on_every_corpus_input() {
    corpus::replay_in_child(
        "the_fast_yaml_reader_agrees_on_every_corpus_input",
        CORPUS,
        16,
        demarc::backstage::fuzz_catalog_fast,
    );
}
