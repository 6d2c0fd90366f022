//! Fuzzy search across everything the model names: teams, components,
//! pillars, layers, scenarios, matrices and their rows.
//!
//! `Index::build(&model)` makes the entries; a `Searcher` matches queries
//! against them (fzf-style words, SkimMatcherV2 scores, smart case) and
//! narrows incrementally while the user types; a `SearchWorker` runs a
//! searcher on its own thread for the dashboard. `demarc search` is the same
//! searcher, printed. No terminal or git here.

mod class;
mod fold;
mod index;
mod matcher;
mod skim;
mod worker;

pub use class::MatchClass;
pub use index::{Entry, EntryKind, EntryView, Field, FieldText, Index};
pub use matcher::{FieldHit, Hit, Results, Searcher};
pub use worker::SearchWorker;

/// How many results `demarc search` prints by default.
pub const DEFAULT_LIMIT: usize = 20;
