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
//! Speed matters at 200,000 components and 100,000 commits, so objects go
//! to an in-memory object database (libgit2's mempack) flushed now and then
//! to a pack the generator writes itself, each version of a file a delta
//! on the one before it (`pack`, `delta`); each commit rebuilds only the
//! trees on the paths it changed (`tree::Dir`); the branch is set once at
//! the end and the work tree written once.

mod catalog;
mod code;
mod delta;
mod events;
mod names;
mod org;
mod pack;
mod render;
mod rng;
mod tree;

pub use org::FileRef;
pub use rng::Rng;

use chrono::NaiveDate;
use git2::{Oid, Repository, RepositoryInitOptions, Signature, Time};
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
pub const GENERATOR_VERSION: u32 = 2;

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
const FLUSH_BYTES: usize = 64 * 1024 * 1024;
const FLUSH_COMMITS: usize = 2_500;
const QUARTER_SECS: i64 = 91 * 86_400;
/// Time zones of the authors, in minutes east of UTC.
const OFFSETS: [i32; 8] = [0, 60, 120, -300, -360, 330, 540, -180];

struct Author {
    name: String,
    email: String,
    offset: i32,
}

/// Writes objects into the in-memory object database and keeps the tree
/// of the next commit; `flush` moves them into a pack on disk.
///
/// `repo` is a repository over that in-memory database alone, not over
/// the repository on disk: libgit2 looks for every object it writes in
/// every backend first, and when it is not found (a new object always)
/// it re-reads the pack folder and looks again, a folder listing per
/// object that grew with the number of packs, that is with the history.
struct Objects<'r> {
    repo: &'r Repository,
    odb: git2::Odb<'r>,
    /// Where packs go: the repository on disk's `objects/pack`.
    pack_dir: std::path::PathBuf,
    root: tree::Dir,
    /// The last commit, kept as an object: after a flush the in-memory
    /// database no longer has it to look up.
    head: Option<git2::Commit<'r>>,
    /// Objects written since the last flush, with the path each is at.
    new: Vec<(Oid, String)>,
    /// Blob bytes since the last flush.
    pending: usize,
}

impl<'r> Objects<'r> {
    fn file(&mut self, path: &str, text: &str) -> Result<(), Error> {
        let oid = self.repo.blob(text.as_bytes())?;
        self.pending += text.len();
        self.root.set(path, oid);
        self.new.push((oid, path.to_string()));
        Ok(())
    }

    /// Commits the tree as it stands on top of the last commit.
    fn commit(&mut self, author: &Author, time: i64, message: &str) -> Result<Oid, Error> {
        let tree = self
            .repo
            .find_tree(self.root.write(&self.odb, &mut self.new)?)?;
        let signature =
            Signature::new(&author.name, &author.email, &Time::new(time, author.offset))?;
        let parents: Vec<&git2::Commit> = self.head.iter().collect();
        let commit = self
            .repo
            .commit(None, &signature, &signature, message, &tree, &parents)?;
        self.head = Some(self.repo.find_commit(commit)?);
        self.new.push((commit, String::new()));
        Ok(commit)
    }

    /// Moves the objects written since the last flush from memory into a
    /// pack (each version of a file a delta against the one before it, see
    /// `pack.rs`), then forgets them.
    fn flush(&mut self, mempack: &git2::Mempack) -> Result<(), Error> {
        pack::write(&self.odb, &self.new, &self.pack_dir)?;
        mempack.reset()?;
        self.new.clear();
        self.pending = 0;
        Ok(())
    }
}

/// How the data folder is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// demarc's TOML format.
    #[default]
    Native,
    /// The same organisation as a Backstage catalog (see `catalog.rs`).
    Backstage,
}

impl Format {
    fn path_of(self, org: &org::Org, file: &FileRef) -> String {
        match self {
            Format::Native => org.path_of(file),
            Format::Backstage => catalog::path_of(org, file),
        }
    }

    fn render(self, org: &org::Org, file: &FileRef) -> Option<String> {
        match self {
            Format::Native => org.render(file),
            Format::Backstage => catalog::render(org, file),
        }
    }

    fn break_syntax(self, text: &str) -> Option<String> {
        match self {
            Format::Native => render::break_syntax(text),
            Format::Backstage => catalog::break_syntax(text),
        }
    }
}

/// Writes a new repository at `out` (absent or an empty folder).
pub fn generate(out: &Path, params: &Params) -> Result<Summary, Error> {
    generate_as(out, params, Format::Native)
}

/// `generate`, with the data folder written in `format`.
pub fn generate_as(out: &Path, params: &Params, format: Format) -> Result<Summary, Error> {
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

    // Every tree entry and parent written here was just written by this
    // function: libgit2's check that each exists (a lookup in every pack
    // for every entry of every tree) only made generation superlinear in
    // the number of packs, that is in commits.
    git2::opts::strict_object_creation(false);
    // Objects are read back only from memory, to be packed, right after
    // libgit2 hashed them on the way in; re-hashing them on the way out
    // (libgit2's default) was a fifth of the generator's time. Each is
    // read back once: libgit2's object cache (up to 256 MiB) only kept
    // every small tree and commit, the most of a 100,000-commit run's peak
    // memory. Both settings are process-wide, so libgit2's defaults come
    // back when generation ends (a bench that generates, then measures in
    // the same process, measures what a fresh process would).
    git2::opts::strict_hash_verification(false);
    git2::opts::enable_caching(false);
    let _defaults = RestoreDefaults;
    let repo = Repository::init_opts(out, RepositoryInitOptions::new().initial_head("main"))?;
    let memory = Repository::from_odb(git2::Odb::new()?)?;
    let odb = memory.odb()?;
    let mempack = odb.add_new_mempack_backend(1)?;
    let mut objects = Objects {
        repo: &memory,
        odb: memory.odb()?,
        pack_dir: repo.path().join("objects").join("pack"),
        root: tree::Dir::default(),
        head: None,
        new: Vec::new(),
        pending: 0,
    };

    let mut rng = Rng::new(params.seed);
    let mut time = history_end() - HISTORY_SPAN_SECS;
    let mut org = org::Org::new(
        &mut rng,
        params.seed,
        params.teams,
        params.components,
        date_of(time),
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

    // The founding commit: everything at once.
    for file in org.all_files() {
        if let Some(text) = format.render(&org, &file) {
            objects.file(&data_path(&format.path_of(&org, &file)), &text)?;
        }
    }
    for i in 0..code.files.len() {
        objects.file(&code.files[i].path.clone(), &code.render(i))?;
    }
    objects.file("README.md", &readme(&org.org_name, &dir))?;

    let avg_step = HISTORY_SPAN_SECS / params.commits as i64;
    let mut next_review = time + QUARTER_SECS;
    let mut quarter = 0usize;
    let mut since_review = 0usize;
    let mut since_flush = 0usize;
    let mut parent: Option<Oid> = None;
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
            if let Some(file) = pending_fix.take() {
                data_commits += 1;
                let path = format.path_of(&org, &file);
                if let Some(text) = format.render(&org, &file) {
                    objects.file(&data_path(&path), &text)?;
                }
                let language = match format {
                    Format::Native => "TOML",
                    Format::Backstage => "YAML",
                };
                format!("Fix the {language} syntax in {path}")
            } else if rng.chance(params.data_share) {
                data_commits += 1;
                // A review now and then, not every data commit of a short history.
                let change = if time >= next_review && since_review >= 5 {
                    next_review = time + QUARTER_SECS;
                    quarter += 1;
                    since_review = 0;
                    org.review_pass(quarter, date_of(time))
                } else {
                    since_review += 1;
                    org.mutate(&mut rng, date_of(time))
                };
                let break_one = n + 1 < params.commits && rng.chance(params.broken_share);
                for file in &change.touched {
                    let path = data_path(&format.path_of(&org, file));
                    let Some(text) = format.render(&org, file) else {
                        objects.root.remove(&path);
                        continue;
                    };
                    let broken = (break_one
                        && pending_fix.is_none()
                        && matches!(file, FileRef::Components(_)))
                    .then(|| format.break_syntax(&text))
                    .flatten();
                    match broken {
                        Some(bad) => {
                            pending_fix = Some(file.clone());
                            broken_commits += 1;
                            objects.file(&path, &bad)?;
                        }
                        None => objects.file(&path, &text)?,
                    }
                }
                change.message
            } else {
                let (message, files) = code.edit(&mut rng);
                for i in files {
                    objects.file(&code.files[i].path.clone(), &code.render(i))?;
                }
                message
            }
        };
        let author = &authors[rng.below(authors.len())];
        parent = Some(objects.commit(author, time, &message)?);
        since_flush += 1;
        if objects.pending >= FLUSH_BYTES || since_flush >= FLUSH_COMMITS {
            objects.flush(&mempack)?;
            since_flush = 0;
        }
    }
    objects.flush(&mempack)?;
    let head = parent.ok_or_else(|| Error("no commit was written".into()))?;
    // The repository on disk learns of the packs written meanwhile.
    repo.odb()?.refresh()?;
    repo.reference(
        "refs/heads/main",
        head,
        true,
        "demarc synth: generated history",
    )?;
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))?;
    let (data_files, other_files) = count_files(&repo, head, &dir, format)?;
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

/// Puts back libgit2's defaults for the settings `generate_as` changes.
struct RestoreDefaults;

impl Drop for RestoreDefaults {
    fn drop(&mut self) {
        git2::opts::strict_hash_verification(true);
        git2::opts::enable_caching(true);
    }
}

fn date_of(time: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp(time, 0)
        .unwrap_or_default()
        .date_naive()
}

/// Files at `commit`: (in the format, in the data folder; all others).
fn count_files(
    repo: &Repository,
    commit: Oid,
    dir: &str,
    format: Format,
) -> Result<(usize, usize), Error> {
    let tree = repo.find_commit(commit)?.tree()?;
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let (mut data, mut other) = (0, 0);
    tree.walk(git2::TreeWalkMode::PreOrder, |folder, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            let rel = folder
                .strip_prefix(&prefix)
                .map(|f| format!("{f}{}", entry.name().unwrap_or("")));
            match rel {
                Some(rel)
                    if match format {
                        Format::Native => crate::model::FileKind::of_path(&rel).is_some(),
                        Format::Backstage => crate::backstage::files::is_catalog_path(&rel),
                    } =>
                {
                    data += 1
                }
                _ => other += 1,
            }
        }
        git2::TreeWalkResult::Ok
    })?;
    Ok((data, other))
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
