//! A committed work tree of many one-component files (issue 19's shape),
//! made once into `target/demarc-bench-cache/worktree-N` and reused.

use std::path::{Path, PathBuf};

/// The repository of `files` component files, built when missing.
pub fn build(files: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("target/demarc-bench-cache/worktree-{files}"));
    if dir.join(".git").is_dir() && dir.join("demarc.toml").is_file() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("components")).unwrap();
    std::fs::create_dir_all(dir.join("teams")).unwrap();
    std::fs::write(dir.join("demarc.toml"), "schema = 1\norg = \"Bench\"\n").unwrap();
    std::fs::write(
        dir.join("teams/owners.toml"),
        "name = \"Owners\"\nkind = \"product\"\n",
    )
    .unwrap();
    let git = git2::Repository::init(&dir).unwrap();
    let mut index = git.index().unwrap();
    let mut add = |rel: String, text: String| {
        std::fs::write(dir.join(&rel), &text).unwrap();
        index.add_path(Path::new(&rel)).unwrap();
    };
    add("demarc.toml".into(), "schema = 1\norg = \"Bench\"\n".into());
    add(
        "teams/owners.toml".into(),
        "name = \"Owners\"\nkind = \"product\"\n".into(),
    );
    for i in 0..files {
        add(
            format!("components/c{i:06}.toml"),
            format!("[[component]]\nid = \"c{i}\"\nname = \"Component {i}\"\nowner = \"owners\"\n"),
        );
    }
    index.write().unwrap();
    let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("Bench", "bench@example.com").unwrap();
    git.commit(
        Some("HEAD"),
        &sig,
        &sig,
        &format!("{files} files"),
        &tree,
        &[],
    )
    .unwrap();
    dir
}
