//! demarc's man pages, generated from the same clap definitions as the
//! command line, so they never drift from `--help`. Not built with demarc:
//!
//! ```sh
//! cargo run --example man > demarc.1            # the main page
//! cargo run --example man -- --out DIR          # plus one page per command
//! man ./demarc.1
//! ```

use clap::CommandFactory;
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let command = demarc::cli::Cli::command();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => clap_mangen::Man::new(command).render(&mut std::io::stdout().lock()),
        [flag, dir] if flag == "--out" => {
            let dir = PathBuf::from(dir);
            std::fs::create_dir_all(&dir)?;
            clap_mangen::generate_to(command, &dir)?;
            eprintln!("Wrote the man pages to {}.", dir.display());
            Ok(())
        }
        _ => {
            eprintln!("usage: cargo run --example man [-- --out DIR]");
            std::process::exit(2);
        }
    }
}
