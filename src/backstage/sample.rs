//! The embedded sample Backstage catalog (`sample-backstage/`) and
//! `demarc demo --backstage`: replayed into a real git repository as the
//! native sample is, so its history (an owner change, a file move, a
//! pager that disagrees) shows on a fresh machine.

use crate::repo::Error;
use crate::sample::{Built, build_from};
use include_dir::{Dir, include_dir};
use std::path::Path;

static SAMPLE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/sample-backstage");

/// Builds the sample catalog repository in `out`, which must be empty or absent.
pub fn build(out: &Path) -> Result<Built, Error> {
    build_from(&SAMPLE, out)
}
