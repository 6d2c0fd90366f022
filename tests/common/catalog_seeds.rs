//! Catalog files for the property tests that compare two ways of mapping
//! a catalog: the committed `catalog` fuzz corpus as seeds, mutated by a
//! few byte edits and spread over folders.

use proptest::prelude::*;

pub const SEEDS: &[&[u8]] = &[
    include_bytes!("../../fuzz/corpus/catalog/org.yaml"),
    include_bytes!("../../fuzz/corpus/catalog/payments.yaml"),
    include_bytes!("../../fuzz/corpus/catalog/messy.yaml"),
    include_bytes!("../../fuzz/corpus/catalog/platform.yaml"),
    include_bytes!("../../fuzz/corpus/catalog/location.yaml"),
    include_bytes!("../../fuzz/corpus/catalog/tags-and-anchors.yaml"),
];

/// One picked file: a seed, a folder and byte edits (position, byte).
pub type Pick = (usize, String, Vec<(u16, u8)>);

/// Between one and `max_files - 1` picked files.
pub fn picks(max_files: usize) -> impl Strategy<Value = Vec<Pick>> {
    proptest::collection::vec(
        (
            0..SEEDS.len(),
            "[a-c]{1,2}",
            proptest::collection::vec((any::<u16>(), any::<u8>()), 0..6),
        ),
        1..max_files,
    )
}

/// The picked files, edited, as (path, bytes).
pub fn mutated_files(picks: Vec<Pick>) -> Vec<(String, Vec<u8>)> {
    picks
        .into_iter()
        .enumerate()
        .map(|(n, (seed, dir, edits))| {
            let mut bytes = SEEDS[seed].to_vec();
            for (at, byte) in edits {
                let i = at as usize % bytes.len();
                bytes[i] = byte;
            }
            (format!("{dir}/{n}.yaml"), bytes)
        })
        .collect()
}

/// One entity document of `kind` named `name`, `body` after its metadata.
pub fn entity(kind: &str, name: &str, body: &str) -> String {
    format!(
        "---\napiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}\n{body}"
    )
}
