//! A Backstage software catalog as demarc's data: `catalog-info.yaml` files
//! (Group, User, Component, Resource, API, System, Domain entities) read
//! from the work tree or any commit, mapped onto the ownership model, so
//! every command and view, history included, works on a catalog.
//!
//! - `yaml`: a bounded YAML reader with a place on every node;
//! - `entity`: one file's documents as entities (cacheable per blob);
//! - `refs`: `[kind:][namespace/]name` references;
//! - `settings`: demarc.toml's `source = "backstage"` and `[backstage]`;
//! - `map`: entities to teams and components, and the catalog's findings;
//! - `files`: which files are the catalog, on disk and in commits;
//! - `history`: the walk's catalog step (whole versions resolved, the
//!   components that differ built and diffed by id);
//! - `import`: a native TOML repository written from a catalog.
//!
//! docs/backstage.md documents the mapping.

pub mod entity;
pub mod files;
pub mod history;
pub mod import;
pub mod map;
pub mod refs;
pub mod sample;
pub mod settings;
pub mod yaml;

use crate::model::{Diagnostic, Model};
use crate::repo::Snapshot;
use entity::CatalogFile;
use std::sync::Arc;

/// Which reader a data folder takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DataSource {
    /// demarc's own TOML format.
    #[default]
    Native,
    /// A Backstage catalog.
    Backstage,
}

/// Is this snapshot a catalog's? Native snapshots hold only the format's
/// `.toml` files, so YAML (or a demarc.toml saying so) decides.
pub fn is_catalog_snapshot(snapshot: &Snapshot) -> bool {
    snapshot.files.iter().any(|f| {
        files::is_yaml(&f.path) || (f.path == "demarc.toml" && settings::says_backstage(&f.bytes))
    })
}

/// One version of a catalog: its read files and its demarc.toml's bytes.
#[derive(Debug, Clone, Default)]
pub struct Version {
    pub files: Vec<Arc<CatalogFile>>,
    pub settings: Option<Vec<u8>>,
}

impl Version {
    /// Reads a version from (path, bytes) pairs; a large catalog on every
    /// core, as the TOML loader does.
    pub fn read<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Version {
        let mut version = Version::default();
        let mut yaml: Vec<(&str, &[u8])> = Vec::new();
        for (path, bytes) in files {
            if path == "demarc.toml" {
                version.settings = Some(bytes.to_vec());
            } else if files::is_yaml(path) {
                yaml.push((path, bytes));
            }
        }
        version.files = read_all(&yaml);
        version
    }

    /// The mapped model with the reading and mapping findings (not yet
    /// the model checks: see `check`).
    pub fn map(&self) -> (Model, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mapping = self.mapping(&mut diagnostics);
        let catalog: Vec<&CatalogFile> = self.catalog().map(|f| f.as_ref()).collect();
        for f in &catalog {
            diagnostics.extend(f.diagnostics.iter().cloned());
        }
        let mapped = map::map(&catalog, &mapping);
        diagnostics.extend(mapped.diagnostics);
        (mapped.model, diagnostics)
    }

    /// `map`, the entities' strings moved into the model's components
    /// (`map::map_owned`) when no one else holds the files (a version just
    /// read); `map` otherwise. The entities are spent after it.
    pub fn map_owned(&mut self) -> (Model, Vec<Diagnostic>) {
        if self
            .files
            .iter()
            .any(|f| Arc::strong_count(f) + Arc::weak_count(f) > 1)
        {
            return self.map();
        }
        let mut diagnostics = Vec::new();
        let mapping = self.mapping(&mut diagnostics);
        for f in self.catalog() {
            diagnostics.extend(f.diagnostics.iter().cloned());
        }
        let mut catalog: Vec<&mut CatalogFile> = self
            .files
            .iter_mut()
            .filter(|f| f.is_catalog)
            .filter_map(Arc::get_mut)
            .collect();
        let (model, found) = map::map_owned(&mut catalog, &mapping);
        diagnostics.extend(found);
        (model, diagnostics)
    }

    /// The settings of demarc.toml (the defaults without one); what is
    /// wrong with them goes to `diagnostics`.
    pub fn mapping(&self, diagnostics: &mut Vec<Diagnostic>) -> settings::Mapping {
        match &self.settings {
            Some(bytes) => settings::read(bytes, diagnostics),
            None => settings::Mapping::default(),
        }
    }

    /// The files that hold catalog entities, in the order given.
    pub fn catalog(&self) -> impl Iterator<Item = &Arc<CatalogFile>> {
        self.files.iter().filter(|f| f.is_catalog)
    }

    /// The first error that stopped a file from being read, if any.
    pub fn parse_error(&self) -> Option<&Diagnostic> {
        self.files.iter().find_map(|f| f.parse_error())
    }
}

/// Below this many bytes in all, reading on other threads does not pay.
const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// Reads files in order, on several threads when there is enough to read.
pub(crate) fn read_all(files: &[(&str, &[u8])]) -> Vec<Arc<CatalogFile>> {
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if total < PARALLEL_FROM_BYTES || threads < 2 || files.len() < 2 {
        return files
            .iter()
            .map(|(path, bytes)| Arc::new(entity::read_file(path, bytes)))
            .collect();
    }
    // Contiguous shares of about equal bytes, one per thread: a catalog's
    // files differ in size by hundreds of times (a Group file against a
    // folder's components), and equal counts of files in path order left
    // one thread nearly all the bytes.
    let share = total.div_ceil(threads);
    let mut parts = Vec::with_capacity(threads);
    let mut rest = files;
    while !rest.is_empty() {
        let mut bytes = 0;
        let cut = rest
            .iter()
            .position(|(_, b)| {
                bytes += b.len();
                bytes >= share
            })
            .map_or(rest.len(), |i| i + 1);
        let (part, tail) = rest.split_at(cut);
        parts.push(part);
        rest = tail;
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = parts
            .into_iter()
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(path, bytes)| Arc::new(entity::read_file(path, bytes)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// The model checks that mean something for a catalog: the catalog's own
/// findings already say what is unowned or dangling (with a better place),
/// and pillars, layer roles and ids in demarc's spelling are not a
/// catalog's to have.
pub fn check(model: &Model, today: chrono::NaiveDate) -> Vec<Diagnostic> {
    const NOT_FOR_CATALOGS: &[&str] = &[
        "unknown_reference",
        "missing_owner",
        "missing_pillar",
        "missing_layer",
        "invalid_id",
    ];
    // A catalog declares no layer roles, so every owner would "violate":
    // the boundary check is not run at all.
    crate::model::check_with(model, today, crate::model::Boundaries::Skip)
        .into_iter()
        .filter(|d| !NOT_FOR_CATALOGS.contains(&d.code))
        .collect()
}

/// Parses and maps a snapshot's files: the model and every finding of
/// reading and mapping (what `repo::parse_snapshot` gives for TOML).
pub fn parse_snapshot(snapshot: &Snapshot) -> (Model, Vec<Diagnostic>) {
    let mut version = Version::read(
        snapshot
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.bytes.as_slice())),
    );
    let mapped = version.map_owned();
    drop_aside(version);
    mapped
}

/// Entities from which freeing a version is left to another thread.
const DROP_ASIDE_FROM: usize = 2_000;

/// Frees a large version on a thread of its own: at 20,000 entities,
/// freeing them was 8 % of a load, all of it on the thread that goes on
/// to check and print. Nothing waits for it.
fn drop_aside(version: Version) {
    let entities: usize = version.files.iter().map(|f| f.entities.len()).sum();
    if entities < DROP_ASIDE_FROM {
        return;
    }
    // If no thread can be started, the version is freed here.
    let _ = std::thread::Builder::new()
        .name("catalog-drop".into())
        .spawn(move || drop(version));
}

/// The fuzz target's entry: reads arbitrary bytes as a catalog file and
/// maps it. Must never panic, hang or grow without bound.
pub fn fuzz_catalog(bytes: &[u8]) {
    let version = Version {
        files: vec![Arc::new(entity::read_file("catalog-info.yaml", bytes))],
        settings: None,
    };
    let (model, _) = version.map();
    let _ = check(&model, chrono::NaiveDate::MIN);
}

/// The `catalog_fast` fuzz target's entry: whenever the fast YAML reader
/// is sure of a file, it must read exactly what saphyr-parser reads
/// (documents, places, duplicate keys). Panics when they differ.
pub fn fuzz_catalog_fast(bytes: &[u8]) {
    if let Some(fast) = yaml::read_fast_only(bytes) {
        let full = yaml::read_saphyr(bytes);
        assert_eq!(fast, full, "the fast YAML reader differs from saphyr");
    }
}

/// The `catalog_owned` fuzz target's entry: mapping a version whose
/// files are the mapper's to spend (`Version::map_owned`, what a load
/// does) must give exactly what mapping shared files gives (`map`, what
/// history does). The bytes are read as two files, the second (first in
/// path order) their latter half, so entities also meet across files.
/// Panics when they differ.
pub fn fuzz_catalog_owned(bytes: &[u8]) {
    let files = [
        ("z/catalog-info.yaml", bytes),
        ("a/catalog-info.yaml", &bytes[bytes.len() / 2..]),
    ];
    let shared = Version::read(files).map();
    let owned = Version::read(files).map_owned();
    assert!(shared == owned, "map_owned differs from map");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A component entity, `n` of them in one document stream.
    fn components(prefix: &str, n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {prefix}-{i}\n  tags: [a, b]\nspec:\n  type: service\n  owner: team-{}\n  lifecycle: production\n---\n",
                    i % 7
                )
            })
            .collect()
    }

    /// Files of very different sizes (one holding most of the bytes, in
    /// first, middle and last place) are read on several threads exactly
    /// as one thread reads them in turn, in the same order.
    #[test]
    fn reading_on_threads_equals_reading_in_turn() {
        let big = components("big", 12_000);
        assert!(
            big.len() > PARALLEL_FROM_BYTES,
            "the big file must be over the threshold"
        );
        let small: Vec<(String, String)> = (0..40)
            .map(|i| {
                (
                    format!("catalog/small-{i:02}.yaml"),
                    components(&format!("s{i}"), 3),
                )
            })
            .collect();
        for big_at in [0, 20, 40] {
            let mut files: Vec<(&str, &[u8])> = small
                .iter()
                .map(|(p, b)| (p.as_str(), b.as_bytes()))
                .collect();
            files.insert(big_at, ("catalog/big.yaml", big.as_bytes()));
            let in_turn: Vec<CatalogFile> = files
                .iter()
                .map(|(path, bytes)| entity::read_file(path, bytes))
                .collect();
            let on_threads: Vec<CatalogFile> = read_all(&files)
                .into_iter()
                .map(|f| Arc::try_unwrap(f).unwrap_or_else(|f| (*f).clone()))
                .collect();
            assert_eq!(on_threads, in_turn, "big file at {big_at}");
        }
    }
}
