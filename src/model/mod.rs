//! The ownership model and its validation: serde types, no git, no terminal.

pub mod budget;
pub mod check;
pub mod checks;
pub mod diag;
pub mod facts;
pub mod hygiene;
pub mod incomplete;
pub mod parse;
pub mod party;
pub mod scope;
pub mod types;

pub use check::{Boundaries, check, check_with};
pub use diag::{Diagnostic, Location, Severity, Subject, SubjectKind};
pub use incomplete::{Incomplete, Unloaded, incomplete_line};
pub use parse::{FileKind, ParsedFile, assemble, parse_all, parse_file};
pub use party::Party;
pub use types::*;
