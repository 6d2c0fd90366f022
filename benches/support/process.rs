//! Whole processes measured as a user runs them: wall time, CPU time
//! (user + system, all threads) and peak resident set, from `wait4`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug)]
pub struct Sample {
    pub wall: Duration,
    pub cpu: Duration,
    pub peak_kb: u64,
    pub success: bool,
}

/// `BIN -C DIR --dir DATA ARGS…`: demarc (or another build of it) on a
/// repository's data folder.
pub fn demarc_on(bin: impl AsRef<OsStr>, dir: &Path, data: &str, args: &[&str]) -> Command {
    let mut command = Command::new(bin);
    command.arg("-C").arg(dir).args(["--dir", data]).args(args);
    command
}

/// Runs `command` to its end with its output discarded.
pub fn run(command: &mut Command) -> Sample {
    let start = Instant::now();
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    wait(child, start)
}

/// Waits for a child spawned at `start` and reads its rusage.
// wait4 reaps the child (for its rusage), which clippy cannot see.
#[allow(clippy::zombie_processes)]
pub fn wait(child: Child, start: Instant) -> Sample {
    let mut status = 0;
    // SAFETY: a zeroed rusage is valid; wait4 fills it in for our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own unreaped child; both pointers are valid.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4 failed");
    let wall = start.elapsed();
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Sample {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        peak_kb: usage.ru_maxrss as u64,
        success: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1,
    }
}

/// The median by wall time of `n` runs (the CPU and peak of that run).
pub fn median_of(n: usize, mut f: impl FnMut() -> Sample) -> Sample {
    let mut samples: Vec<Sample> = (0..n.max(1)).map(|_| f()).collect();
    samples.sort_by_key(|s| s.wall);
    samples[samples.len() / 2]
}

/// The 1-minute load average: how busy the machine was.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// Every `.toml` file of the data folder and its sub-folders, sorted.
pub fn data_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => todo.push(path),
                Ok(t) if t.is_file() && path.extension().is_some_and(|e| e == "toml") => {
                    out.push(path)
                }
                _ => {}
            }
        }
    }
    out.sort();
    out
}

/// The `id` of the first component of the first file under `components/`.
pub fn first_component_id(files: &[PathBuf]) -> Option<String> {
    let file = files
        .iter()
        .find(|f| f.parent().and_then(Path::file_name) == Some("components".as_ref()))?;
    let text = std::fs::read_to_string(file).ok()?;
    text.lines().find_map(|line| {
        let value = line.strip_prefix("id = \"")?.strip_suffix('"')?;
        Some(value.to_string())
    })
}

/// The day (`YYYY-MM-DD`, UTC) of the commit `rev` names in the repository
/// at `dir`; None when it names none (a short history).
pub fn commit_day(dir: &Path, rev: &str) -> Option<String> {
    let git = git2::Repository::open(dir).ok()?;
    let commit = git.revparse_single(rev).ok()?.peel_to_commit().ok()?;
    let time = chrono::DateTime::from_timestamp(commit.time().seconds(), 0)?;
    Some(time.format("%Y-%m-%d").to_string())
}
