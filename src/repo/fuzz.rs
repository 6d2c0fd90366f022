//! The loader as a fuzzing target: arbitrary bytes in, never a panic or a
//! hang out (fuzz/fuzz_targets/toml_loader.rs; its committed corpus is
//! replayed on stable by tests/fuzz_corpus_toml_loader.rs).

use super::read::DataFile;
use super::{Origin, Snapshot, load_snapshot};
use chrono::NaiveDate;

/// Where each NUL-separated part of the input goes: one file of every
/// kind, so references across files (owners, layers, scenarios) are
/// checked too. TOML cannot hold a NUL, so nothing is lost by splitting.
const PATHS: &[&str] = &[
    "demarc.toml",
    "teams/a.toml",
    "components/a.toml",
    "scenarios/a.toml",
    "pillars.toml",
    "layers.toml",
    "matrices/a.toml",
    "teams/b.toml",
    "components/b.toml",
];

/// Parses, assembles and checks `data` as an ownership repository of up to
/// nine files (split at NUL bytes), as `check` would.
pub fn toml_loader(data: &[u8]) {
    let files = data
        .split(|b| *b == 0)
        .zip(PATHS)
        .map(|(bytes, path)| DataFile {
            path: path.to_string(),
            bytes: bytes.to_vec(),
            blob: None,
        })
        .collect();
    let snapshot = Snapshot {
        origin: Origin::Folder,
        files,
        diagnostics: Vec::new(),
    };
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date");
    let loaded = load_snapshot(snapshot, today);
    // The findings are printed: their text must format.
    for d in &loaded.diagnostics {
        let _ = format!("{}: {}", d.location, d.message);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn any_bytes_load_without_a_panic() {
        super::toml_loader(b"schema = 1\norg = \"A\"\0name = \"T\"\nkind = \"other\"\0[[component]]\nid = \"c\"\nowner = \"a\"\n");
        super::toml_loader(b"\xff\0\0\0[[[\0");
        super::toml_loader(b"");
    }
}
