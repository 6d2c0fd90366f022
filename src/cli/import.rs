//! `demarc import backstage [SRC] --out DIR`: a native ownership repository
//! written from a Backstage catalog (see docs/backstage.md).

use super::{Cli, EXIT_OK, fail};
use crate::backstage::{DataSource, import};
use crate::repo::{self, Repo};
use std::path::Path;
use std::process::ExitCode;

pub fn run(cli: &Cli, src: Option<&Path>, out: &Path) -> ExitCode {
    let opened = match src {
        Some(src) => Repo::open(src, cli.dir.as_deref()),
        None => cli.open_repo(),
    };
    let repo = match opened {
        Ok(r) => r.with_source(DataSource::Backstage),
        Err(e) => return fail(e),
    };
    let loaded = match cli.source().and_then(|source| repo::load(&repo, &source)) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let imported = import::import(&loaded.model, &loaded.diagnostics);
    let source_root = repo.root().map(Path::to_path_buf);
    if let Err(e) = import::write(out, source_root.as_deref(), &imported) {
        return fail(e);
    }
    let clean = |s: &str| crate::sanitize::line(s).into_owned();
    println!(
        "Wrote a native ownership repository to {}: {} teams, {} components, {} files.",
        clean(&out.display().to_string()),
        imported.teams,
        imported.components,
        imported.files.len()
    );
    if !imported.not_mapped.is_empty() {
        println!("\nNot mapped ({}):", imported.not_mapped.len());
        for line in &imported.not_mapped {
            println!("  - {}", clean(line));
        }
    }
    println!(
        "\nNext: demarc -C {} check",
        clean(&out.display().to_string())
    );
    ExitCode::from(EXIT_OK)
}
