//! Shared helpers for integration tests: real git repositories in temp dirs
//! and a way to run the real binary.
#![allow(dead_code)]

pub mod mcp;
pub mod pty;
pub mod screens;

use git2::{Repository, Signature, Time};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct TestRepo {
    pub dir: tempfile::TempDir,
    pub git: Option<Repository>,
}

/// A minimal valid ownership repository: two teams, two components.
pub const MINIMAL: &[(&str, &str)] = &[
    ("demarc.toml", "schema = 1\norg = \"Testco\"\n"),
    (
        "teams/platform-data.toml",
        "name = \"Data Platform\"\nkind = \"platform\"\nchannel = \"#platform-data\"\n[oncall]\nrotation = \"data-primary\"\npager = \"pd:DATA\"\nescalation = [\"data-secondary\", \"head-of-platform\"]\n",
    ),
    (
        "teams/checkout.toml",
        "name = \"Checkout\"\nkind = \"product\"\n",
    ),
    (
        "components/data.toml",
        "[[component]]\nid = \"postgres\"\nname = \"Managed PostgreSQL\"\nlayer = \"service\"\npillar = \"infrastructure\"\nowner = \"platform-data\"\ntier = 1\nrunbook = \"https://runbooks.example/postgres\"\nconsumers = [\"checkout\"]\n\n[[component.duty]]\nparty = \"platform-data\"\ncovers = [\"backups\", \"query optimization\"]\n\n[[component.duty]]\nparty = \"@consumers\"\ncovers = [\"schema\"]\n",
    ),
    (
        "components/apps.toml",
        "[[component]]\nid = \"checkout-api\"\nname = \"Checkout API\"\nlayer = \"application\"\nowner = \"checkout\"\ntier = 3\n",
    ),
    (
        "pillars.toml",
        "[[pillar]]\nid = \"infrastructure\"\nname = \"Infrastructure\"\nprimary = [\"platform-data\"]\n[[pillar]]\nid = \"developer-experience\"\nname = \"DevEx\"\n[[pillar]]\nid = \"security-compliance\"\nname = \"Security\"\n[[pillar]]\nid = \"observability\"\nname = \"Observability\"\n[[pillar]]\nid = \"automation\"\nname = \"Automation\"\n[[pillar]]\nid = \"release-management\"\nname = \"Releases\"\n",
    ),
    (
        "layers.toml",
        "[[layer]]\nid = \"application\"\nname = \"Application\"\n[layer.roles]\n\"@product\" = \"owns\"\n\n[[layer]]\nid = \"service\"\nname = \"Service\"\n[layer.roles]\nplatform-data = \"owns\"\n\n[[layer]]\nid = \"orchestration\"\nname = \"Orchestration\"\n\n[[layer]]\nid = \"cloud-foundation\"\nname = \"Cloud\"\n",
    ),
];

impl TestRepo {
    /// An empty git repository.
    pub fn new() -> TestRepo {
        let dir = tempfile::tempdir().expect("tempdir");
        let git = Repository::init(dir.path()).expect("init");
        TestRepo {
            dir,
            git: Some(git),
        }
    }

    /// A folder without git.
    pub fn plain() -> TestRepo {
        TestRepo {
            dir: tempfile::tempdir().expect("tempdir"),
            git: None,
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, content: &str) -> &Self {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
        self
    }

    pub fn write_all(&self, prefix: &str, files: &[(&str, &str)]) -> &Self {
        for (rel, content) in files {
            self.write(&format!("{prefix}{rel}"), content);
        }
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.dir.path().join(rel)).unwrap();
        self
    }

    /// Commits every file of the work tree at `when` (RFC 3339).
    pub fn commit(&self, message: &str, when: &str) -> git2::Oid {
        let git = self.git.as_ref().expect("a git repository");
        let mut index = git.index().unwrap();
        index
            .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.update_all(["*"].iter(), None).unwrap();
        index.write().unwrap();
        let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
        let t = chrono::DateTime::parse_from_rfc3339(when).unwrap();
        let sig = Signature::new(
            "Test Author",
            "test@example.com",
            &Time::new(t.timestamp(), 0),
        )
        .unwrap();
        let parents: Vec<git2::Commit> = git
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        git.commit(Some("HEAD"), &sig, &sig, message, &tree, &parent_refs)
            .unwrap()
    }
}

pub fn demarc_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_demarc"))
}

/// Runs the real binary with `args`, from `cwd`.
pub fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(demarc_bin())
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run demarc")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Path -> (content hash, mode, modification time) of every file below `root`.
pub fn fingerprint(
    root: &Path,
) -> std::collections::BTreeMap<String, (u64, u32, std::time::SystemTime)> {
    use std::hash::{Hash, Hasher};
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let meta = std::fs::symlink_metadata(entry.path()).unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
                continue;
            }
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::fs::read(entry.path()).unwrap_or_default().hash(&mut h);
            #[cfg(unix)]
            let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
            #[cfg(not(unix))]
            let mode = 0;
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.insert(rel, (h.finish(), mode, meta.modified().unwrap()));
        }
    }
    out
}
