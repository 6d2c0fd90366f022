//! The rest of the monorepo: source and docs files that most commits touch.
//! They make history realistic for demarc, which must skip these commits
//! cheaply when it walks the history of the data folder.

use super::names::*;
use super::rng::Rng;

pub struct CodeFile {
    pub path: String,
    pub revision: u32,
}

pub struct Code {
    pub files: Vec<CodeFile>,
}

impl Code {
    /// About `count` files under `src/<domain>/` and `docs/`.
    pub fn new(rng: &mut Rng, count: usize) -> Code {
        let mut code = Code { files: Vec::new() };
        let mut seen = std::collections::HashSet::new();
        while code.files.len() < count {
            let path = code.fresh_path(rng);
            if seen.insert(path.clone()) {
                code.files.push(CodeFile { path, revision: 1 });
            }
        }
        code
    }

    fn fresh_path(&self, rng: &mut Rng) -> String {
        let domain = rng.pick(DOMAINS);
        if rng.chance(0.1) {
            format!("docs/{domain}/{}.md", rng.pick(CODE_FILES))
        } else {
            // A numbered sub-package keeps paths unique in a large tree.
            format!("src/{domain}/{}{}.rs", rng.pick(CODE_FILES), rng.below(40))
        }
    }

    /// A code commit: edits one to three files (now and then adds one).
    /// Returns the message and the indexes of the files to write.
    pub fn edit(&mut self, rng: &mut Rng) -> (String, Vec<usize>) {
        let mut changed = Vec::new();
        if rng.chance(0.03) {
            let path = self.fresh_path(rng);
            if !self.files.iter().any(|f| f.path == path) {
                self.files.push(CodeFile { path, revision: 1 });
                changed.push(self.files.len() - 1);
            }
        }
        for _ in 0..rng.between(1, 3) {
            let i = rng.below(self.files.len());
            if !changed.contains(&i) {
                self.files[i].revision += 1;
                changed.push(i);
            }
        }
        let path = &self.files[changed[0]].path;
        let area = path.split('/').nth(1).unwrap_or("core");
        let message = format!(
            "{area}: {} {}",
            rng.pick(CODE_VERBS),
            rng.pick(CODE_OBJECTS)
        );
        (message, changed)
    }

    /// The file's text at its revision: small, and different per revision.
    pub fn render(&self, i: usize) -> String {
        let f = &self.files[i];
        if f.path.ends_with(".md") {
            return format!(
                "# {}\n\nRevision {} of this page.\n\nHow the service works, how to run it locally, and who to ask.\n",
                f.path, f.revision
            );
        }
        let name: String = f
            .path
            .rsplit('/')
            .next()
            .unwrap_or("x")
            .trim_end_matches(".rs")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let mut out = format!(
            "//! {} (revision {})\n\nuse std::collections::HashMap;\n\n",
            f.path, f.revision
        );
        for k in 0..8 {
            out.push_str(&format!(
                "pub fn {name}_step_{k}(input: &HashMap<String, u64>) -> u64 {{\n    input.values().sum::<u64>() * {} + {k}\n}}\n\n",
                f.revision
            ));
        }
        out
    }
}
