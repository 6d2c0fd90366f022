//! The generated repositories the benches share: made once by
//! `demarc::synth` into `target/demarc-bench-cache/<parameters>` and reused,
//! so a warm run measures demarc, not the generator.

use demarc::synth::{self, Params};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a generated repository holds, kept next to it in the cache.
pub struct Generated {
    pub path: PathBuf,
    pub head: String,
    pub commits: usize,
    pub data_commits: usize,
    /// None when the repository came from the cache.
    pub took: Option<Duration>,
}

pub fn cache_root() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("demarc-bench-cache")
}

/// The cached repository for these parameters, generated when missing.
pub fn ensure_repository(params: &Params) -> Result<Generated, String> {
    if let Some(cached) = cached(params) {
        return Ok(cached);
    }
    let root = cache_root();
    // Generated in a child process (this bench's own binary, see
    // `generate_if_child`), never here: Linux keeps a process's peak
    // resident set across `exec`, so every process a bench starts would
    // report at least this one's peak, and the generator's is hundreds of
    // MB (the 2,000-component dashboard measured at 306 MB).
    std::fs::create_dir_all(&root).map_err(|e| e.to_string())?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let t0 = Instant::now();
    let status = std::process::Command::new(exe)
        .arg(GENERATE_CHILD)
        .args(encode(params))
        .status()
        .map_err(|e| format!("cannot start the generator's process: {e}"))?;
    let took = t0.elapsed();
    if !status.success() {
        return Err(format!("the generator's process failed ({status})"));
    }
    let mut generated =
        cached(params).ok_or("the generator's process left no repository in the cache")?;
    generated.took = Some(took);
    Ok(generated)
}

/// The repository for `params` if the cache holds it whole.
fn cached(params: &Params) -> Option<Generated> {
    let root = cache_root();
    let path = root.join(params.key());
    let done = root.join(format!("{}.done", params.key()));
    let text = std::fs::read_to_string(&done).ok()?;
    if !path.is_dir() {
        return None;
    }
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .unwrap_or("")
            .to_string()
    };
    Some(Generated {
        path,
        head: field("head"),
        commits: field("commits").parse().unwrap_or(0),
        data_commits: field("data_commits").parse().unwrap_or(0),
        took: None,
    })
}

/// The argument `ensure_repository` starts the bench's binary with.
const GENERATE_CHILD: &str = "--demarc-generate-child";

/// Called first in a bench's `main`: in the process `ensure_repository`
/// starts, generates the repository it names and exits.
pub fn generate_if_child() {
    let args: Vec<String> = std::env::args().collect();
    let Some(i) = args.iter().position(|a| a == GENERATE_CHILD) else {
        return;
    };
    let params = decode(&args[i + 1..]).expect("the parent encodes every parameter");
    match generate(&params) {
        Ok(()) => std::process::exit(0),
        Err(e) => {
            eprintln!("generator: {e}");
            std::process::exit(1);
        }
    }
}

fn encode(params: &Params) -> [String; 7] {
    [
        params.teams.to_string(),
        params.components.to_string(),
        params.commits.to_string(),
        params.data_share.to_string(),
        params.dir.clone(),
        params.seed.to_string(),
        params.broken_share.to_string(),
    ]
}

fn decode(args: &[String]) -> Option<Params> {
    let [
        teams,
        components,
        commits,
        data_share,
        dir,
        seed,
        broken_share,
    ] = args.get(..7)?
    else {
        return None;
    };
    Some(Params {
        teams: teams.parse().ok()?,
        components: components.parse().ok()?,
        commits: commits.parse().ok()?,
        data_share: data_share.parse().ok()?,
        dir: dir.clone(),
        seed: seed.parse().ok()?,
        broken_share: broken_share.parse().ok()?,
    })
}

/// Writes the repository and its mark in the cache.
fn generate(params: &Params) -> Result<(), String> {
    let root = cache_root();
    let path = root.join(params.key());
    let done = root.join(format!("{}.done", params.key()));
    // Generate beside the final place and rename, so an interrupted run
    // never leaves a half-written repository that looks complete.
    let partial = root.join(format!("{}.partial", params.key()));
    let _ = std::fs::remove_dir_all(&partial);
    let _ = std::fs::remove_dir_all(&path);
    let summary = synth::generate(&partial, params).map_err(|e| e.to_string())?;
    std::fs::rename(&partial, &path).map_err(|e| e.to_string())?;
    std::fs::write(
        &done,
        format!(
            "head={}\ncommits={}\ndata_commits={}\n",
            summary.head, summary.commits, summary.data_commits
        ),
    )
    .map_err(|e| e.to_string())
}
