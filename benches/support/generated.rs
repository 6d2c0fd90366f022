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
    let root = cache_root();
    let path = root.join(params.key());
    let done = root.join(format!("{}.done", params.key()));
    if let Ok(text) = std::fs::read_to_string(&done)
        && path.is_dir()
    {
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}=")))
                .unwrap_or("")
                .to_string()
        };
        return Ok(Generated {
            path,
            head: field("head"),
            commits: field("commits").parse().unwrap_or(0),
            data_commits: field("data_commits").parse().unwrap_or(0),
            took: None,
        });
    }
    // Generate beside the final place and rename, so an interrupted run
    // never leaves a half-written repository that looks complete.
    let partial = root.join(format!("{}.partial", params.key()));
    let _ = std::fs::remove_dir_all(&partial);
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&root).map_err(|e| e.to_string())?;
    let t0 = Instant::now();
    let summary = synth::generate(&partial, params).map_err(|e| e.to_string())?;
    let took = t0.elapsed();
    std::fs::rename(&partial, &path).map_err(|e| e.to_string())?;
    std::fs::write(
        &done,
        format!(
            "head={}\ncommits={}\ndata_commits={}\n",
            summary.head, summary.commits, summary.data_commits
        ),
    )
    .map_err(|e| e.to_string())?;
    Ok(Generated {
        path,
        head: summary.head,
        commits: summary.commits,
        data_commits: summary.data_commits,
        took: Some(took),
    })
}
