//! Writes a synthetic ownership repository (a monorepo with years of
//! history) for benchmarks and experiments:
//!
//!     cargo run --release --example gen -- --teams 400 --components 20000 \
//!         --commits 20000 --data-share 0.1 --out /tmp/big
//!     demarc -C /tmp/big --dir ownership check

use clap::Parser;
use demarc::synth::{self, Params};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(about = "Write a synthetic ownership repository (deterministic for a seed)")]
struct Args {
    /// Teams in the founding commit
    #[arg(long, default_value_t = 400)]
    teams: usize,
    /// Components in the founding commit
    #[arg(long, default_value_t = 20_000)]
    components: usize,
    /// Commits in all
    #[arg(long, default_value_t = 20_000)]
    commits: usize,
    /// Share of commits that change the data folder (0 to 1)
    #[arg(long, default_value_t = 0.1)]
    data_share: f64,
    /// The data folder inside the repository ("." for the root)
    #[arg(long, default_value = "ownership")]
    dir: String,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of data commits left unparsable (and fixed by the next commit)
    #[arg(long, default_value_t = 0.004)]
    broken_share: f64,
    /// Where to write the repository (absent or an empty folder)
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let params = Params {
        teams: args.teams,
        components: args.components,
        commits: args.commits,
        data_share: args.data_share,
        dir: args.dir,
        seed: args.seed,
        broken_share: args.broken_share,
    };
    let started = Instant::now();
    match synth::generate(&args.out, &params) {
        Ok(s) => {
            let dir = if s.dir.is_empty() {
                String::new()
            } else {
                format!(" --dir {}", s.dir)
            };
            println!(
                "wrote {} in {:.1} s: {} commits ({} change the data, {} broken and fixed), \
                 {} teams, {} components in {} data files, {} other files; HEAD {}",
                args.out.display(),
                started.elapsed().as_secs_f64(),
                s.commits,
                s.data_commits,
                s.broken_commits,
                s.teams,
                s.components,
                s.data_files,
                s.other_files,
                s.head
            );
            println!("try: demarc -C {}{dir} check", args.out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen: {e}");
            ExitCode::from(2)
        }
    }
}
