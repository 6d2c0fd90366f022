//! A synthetic ownership repository, large and deterministic: the generator
//! behind `examples/gen.rs`, the benchmark (`benches/perf.rs`) and tests.
//!
//! It writes a monorepo with git2: a data folder (by default `ownership/`)
//! holding an organisation of hundreds of teams and tens of thousands of
//! components, plus `src/` and `docs/` files; then years of history where
//! a given share of commits change the data (owners move, duties move,
//! on-call changes, teams come and go, quarterly reviews, the odd broken
//! commit fixed in the next one) and the rest touch the other files.
//!
//! The same parameters and seed give the same bytes, so the same commit
//! ids: signatures and times derive from the seed, never from a clock.
//!
//! Speed matters at 20,000 commits, so objects go to an in-memory object
//! database (libgit2's mempack) flushed to pack files now and then; each
//! commit rebuilds only the trees on the paths it changed (`tree::Dir`);
//! the branch is set once at the end and the work tree written once.

mod code;
mod events;
mod names;
mod org;
mod render;
mod rng;
mod tree;

pub use org::FileRef;
pub use rng::Rng;

use chrono::NaiveDate;
use git2::{Buf, Repository, RepositoryInitOptions, Signature, Time};
use std::fmt;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Teams in the founding commit (history adds and removes a few).
    pub teams: usize,
    /// Components in the founding commit (history adds and removes some).
    pub components: usize,
    /// Commits in all, the founding one included.
    pub commits: usize,
    /// The share of commits after the founding one that change the data folder.
    pub data_share: f64,
    /// The data folder inside the repository, `/`-separated; "" for the root.
    pub dir: String,
    pub seed: u64,
    /// The share of data commits that leave a file unparsable (a slip a
    /// real history has); the next commit always fixes it.
    pub broken_share: f64,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            teams: 40,
            components: 2_000,
            commits: 2_000,
            data_share: 0.1,
            dir: "ownership".to_string(),
            seed: 1,
            broken_share: 0.004,
        }
    }
}

impl Params {
    /// A short stable name for these parameters, for cache folders.
    pub fn key(&self) -> String {
        let dir = if self.dir.is_empty() {
            "root"
        } else {
            &self.dir
        };
        format!(
            "t{}-c{}-n{}-d{}-b{}-{}-s{}-v{}",
            self.teams,
            self.components,
            self.commits,
            (self.data_share * 1000.0).round() as u64,
            (self.broken_share * 10000.0).round() as u64,
            dir.replace('/', "_"),
            self.seed,
            GENERATOR_VERSION
        )
    }
}

/// Bumped whenever the output for given parameters changes, so cached
/// benchmark repositories are rebuilt.
pub const GENERATOR_VERSION: u32 = 1;

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// HEAD's commit id.
    pub head: String,
    pub commits: usize,
    /// Commits that changed the data folder (the founding one included).
    pub data_commits: usize,
    /// Data commits whose files do not parse (each fixed by the next commit).
    pub broken_commits: usize,
    /// At HEAD.
    pub teams: usize,
    pub components: usize,
    /// Files at HEAD: in the data folder, and elsewhere.
    pub data_files: usize,
    pub other_files: usize,
    /// The data folder, as `--dir` takes it ("" for the root).
    pub dir: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Error {
        Error(format!("git: {}", e.message()))
    }
}

/// History ends here whatever the size, so dates look alike across sizes.
fn history_end() -> i64 {
    NaiveDate::from_ymd_opt(2026, 9, 30)
        .and_then(|d| d.and_hms_opt(16, 0, 0))
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0)
}
/// About four and a half years of history.
const HISTORY_SPAN_SECS: i64 = 1_640 * 86_400;
/// Objects are packed and dropped from memory after this many bytes of blobs.
const FLUSH_BYTES: usize = 96 * 1024 * 1024;
const FLUSH_COMMITS: usize = 4_000;
const QUARTER_SECS: i64 = 91 * 86_400;
/// Time zones of the authors, in minutes east of UTC.
const OFFSETS: [i32; 8] = [0, 60, 120, -300, -360, 330, 540, -180];

struct Author {
    name: String,
    email: String,
    offset: i32,
}

/// Writes a new repository at `out` (absent or an empty folder).
pub fn generate(out: &Path, params: &Params) -> Result<Summary, Error> {
    if params.commits == 0 {
        return Err(Error("--commits must be at least 1.".into()));
    }
    if !(0.0..=1.0).contains(&params.data_share) || !(0.0..=1.0).contains(&params.broken_share) {
        return Err(Error(
            "--data-share and --broken-share must be between 0 and 1.".into(),
        ));
    }
    if out.exists()
        && std::fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Error(format!(
            "{} exists and is not an empty folder.",
            out.display()
        )));
    }
    let dir = params
        .dir
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/");
    let data_path = |rel: &str| {
        if dir.is_empty() {
            rel.to_string()
        } else {
            format!("{dir}/{rel}")
        }
    };

    let repo = Repository::init_opts(out, RepositoryInitOptions::new().initial_head("main"))?;
    let odb = repo.odb()?;
    let mempack = odb.add_new_mempack_backend(1000)?;

    let mut rng = Rng::new(params.seed);
    let span = HISTORY_SPAN_SECS;
    let mut time = history_end() - span;
    let start_date = chrono::DateTime::from_timestamp(time, 0)
        .unwrap_or_default()
        .date_naive();
    let mut org = org::Org::new(
        &mut rng,
        params.seed,
        params.teams,
        params.components,
        start_date,
    );
    let mut code = code::Code::new(&mut rng, (params.components / 10).clamp(40, 2_500));
    let authors: Vec<Author> = (0..60)
        .map(|i| {
            let name = org.person(&mut rng);
            Author {
                email: format!(
                    "{}@{}.example",
                    names::email_local(&name),
                    org_slug(params.seed)
                ),
                name,
                offset: OFFSETS[i % OFFSETS.len()],
            }
        })
        .collect();

    let mut root = tree::Dir::default();
    let mut pending_bytes = 0usize;
    let mut since_flush = 0usize;
    let write_blob =
        |root: &mut tree::Dir, path: &str, text: &str, pending: &mut usize| -> Result<(), Error> {
            let oid = repo.blob(text.as_bytes())?;
            *pending += text.len();
            root.set(path, oid);
            Ok(())
        };

    // The founding commit: everything at once.
    for file in org.all_files() {
        if let Some(text) = org.render(&file) {
            write_blob(
                &mut root,
                &data_path(&org.path_of(&file)),
                &text,
                &mut pending_bytes,
            )?;
        }
    }
    for i in 0..code.files.len() {
        write_blob(
            &mut root,
            &code.files[i].path.clone(),
            &code.render(i),
            &mut pending_bytes,
        )?;
    }
    write_blob(
        &mut root,
        "README.md",
        &readme(&org.org_name, &dir),
        &mut pending_bytes,
    )?;

    let avg_step = span / params.commits as i64;
    let mut next_review = time + QUARTER_SECS;
    let mut quarter = 0usize;
    let mut since_review = 0usize;
    let mut parent: Option<git2::Oid> = None;
    let mut data_commits = 0;
    let mut broken_commits = 0;
    let mut pending_fix: Option<FileRef> = None;
    for n in 0..params.commits {
        let message = if n == 0 {
            data_commits += 1;
            format!(
                "Found the ownership repository of {}\n\n{} teams and {} components to start with.",
                org.org_name,
                org.teams.len(),
                org.component_count()
            )
        } else {
            time += ((avg_step as f64) * (0.2 + 1.6 * rng.unit())) as i64;
            let today = chrono::DateTime::from_timestamp(time, 0)
                .unwrap_or_default()
                .date_naive();
            if let Some(file) = pending_fix.take() {
                data_commits += 1;
                let path = org.path_of(&file);
                if let Some(text) = org.render(&file) {
                    write_blob(&mut root, &data_path(&path), &text, &mut pending_bytes)?;
                }
                format!("Fix the TOML syntax in {path}")
            } else if rng.chance(params.data_share) {
                data_commits += 1;
                // A review now and then, not every data commit of a short history.
                let change = if time >= next_review && since_review >= 5 {
                    next_review = time + QUARTER_SECS;
                    quarter += 1;
                    since_review = 0;
                    org.review_pass(quarter, today)
                } else {
                    since_review += 1;
                    org.mutate(&mut rng, today)
                };
                let break_one = n + 1 < params.commits && rng.chance(params.broken_share);
                let mut broke = false;
                for file in &change.touched {
                    let path = data_path(&org.path_of(file));
                    match org.render(file) {
                        Some(text) => {
                            let broken =
                                (break_one && !broke && matches!(file, FileRef::Components(_)))
                                    .then(|| render::break_syntax(&text))
                                    .flatten();
                            if let Some(bad) = broken {
                                broke = true;
                                pending_fix = Some(file.clone());
                                write_blob(&mut root, &path, &bad, &mut pending_bytes)?;
                            } else {
                                write_blob(&mut root, &path, &text, &mut pending_bytes)?;
                            }
                        }
                        None => {
                            root.remove(&path);
                        }
                    }
                }
                if broke {
                    broken_commits += 1;
                }
                change.message
            } else {
                let (message, files) = code.edit(&mut rng);
                for i in files {
                    write_blob(
                        &mut root,
                        &code.files[i].path.clone(),
                        &code.render(i),
                        &mut pending_bytes,
                    )?;
                }
                message
            }
        };
        let tree = repo.find_tree(root.write(&repo)?)?;
        let author = &authors[rng.below(authors.len())];
        let signature =
            Signature::new(&author.name, &author.email, &Time::new(time, author.offset))?;
        let parents = match parent {
            Some(p) => vec![repo.find_commit(p)?],
            None => Vec::new(),
        };
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        parent = Some(repo.commit(None, &signature, &signature, &message, &tree, &parent_refs)?);
        since_flush += 1;
        if pending_bytes >= FLUSH_BYTES || since_flush >= FLUSH_COMMITS {
            flush(&repo, &odb, &mempack)?;
            pending_bytes = 0;
            since_flush = 0;
        }
    }
    flush(&repo, &odb, &mempack)?;
    let head = parent.ok_or_else(|| Error("no commit was written".into()))?;
    repo.reference(
        "refs/heads/main",
        head,
        true,
        "demarc synth: generated history",
    )?;
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))?;

    let head_tree = repo.find_commit(head)?.tree()?;
    let (mut data_files, mut other_files) = (0, 0);
    head_tree.walk(git2::TreeWalkMode::PreOrder, |folder, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            let in_data = dir.is_empty() || folder.starts_with(&format!("{dir}/"));
            let is_format = crate::model::FileKind::of_path(&format!(
                "{}{}",
                folder.strip_prefix(&format!("{dir}/")).unwrap_or(folder),
                entry.name().unwrap_or("")
            ))
            .is_some();
            if in_data && is_format {
                data_files += 1;
            } else {
                other_files += 1;
            }
        }
        git2::TreeWalkResult::Ok
    })?;
    Ok(Summary {
        head: head.to_string(),
        commits: params.commits,
        data_commits,
        broken_commits,
        teams: org.teams.len(),
        components: org.component_count(),
        data_files,
        other_files,
        dir,
    })
}

/// Moves the objects written so far from memory into a pack file.
fn flush(repo: &Repository, odb: &git2::Odb, mempack: &git2::Mempack) -> Result<(), Error> {
    let mut buf = Buf::new();
    mempack.dump(repo, &mut buf)?;
    let mut writer = odb.packwriter()?;
    std::io::Write::write_all(&mut writer, &buf)
        .map_err(|e| Error(format!("cannot write a pack: {e}")))?;
    writer.commit()?;
    mempack.reset()?;
    Ok(())
}

fn org_slug(seed: u64) -> String {
    format!("synthetic{seed}")
}

fn readme(org: &str, dir: &str) -> String {
    let data = if dir.is_empty() { "this folder" } else { dir };
    format!(
        "# {org} monorepo (synthetic)\n\nMade by demarc's generator for benchmarks and tests. \
         The ownership data lives in `{data}`; `src/` and `docs/` stand in for the rest of the code.\n"
    )
}
