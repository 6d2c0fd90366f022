//! Pattern matching with GitHub's CODEOWNERS semantics, on `globset`.
//!
//! Each pattern becomes one glob (see `plan`), the rules go into two
//! `GlobSet`s (patterns that own a folder's contents, tried on the path and
//! its parent folders; and `docs/*`-like ones, tried on the path only), and
//! a path's owners come from the last rule that matches it. `globset` rather than the `ignore` crate's gitignore matcher: the
//! latter answers "is this path ignored", keeping only its own notion of the
//! deciding glob and applying a matched directory to everything below it,
//! which is wrong for `docs/*` (GitHub: direct children only). A `GlobSet`
//! reports every rule that matches, which is what last-match-wins and
//! GitLab sections (the last match *per section*) need.

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

/// A stand-in for "any name" in a representative path (see `probe`): a
/// character no real file name holds, matched by `*` and `?` but by no
/// literal and no extension such as `*.js`.
pub const ANY: char = '\u{1}';

/// The glob of a CODEOWNERS pattern, and whether it also owns what lies
/// below a match (`deep`):
/// - a leading `/`, or a `/` inside, anchors it at the root; otherwise it
///   matches at any depth (`**/` is prepended);
/// - a pattern names a file or a folder, and a folder's owners own
///   everything below it: a deep glob is tried on the path and on each of
///   its parent folders (as gitignore does), rather than as `X/**`, which
///   as a regex costs far more to match in a large set;
/// - `docs/*` owns the direct children of `docs` only: not deep.
///
/// `{` and `}` are literal in CODEOWNERS, so they are escaped for globset.
pub fn plan(pattern: &str) -> (String, bool) {
    let trimmed = pattern.strip_suffix('/').unwrap_or(pattern);
    let anchored = pattern.starts_with('/') || trimmed.contains('/');
    let body = trimmed.strip_prefix('/').unwrap_or(trimmed);
    let body = escape_braces(body);
    if body.is_empty() {
        return ("**".to_string(), false);
    }
    let base = if anchored || body.starts_with("**/") || body == "**" {
        body
    } else {
        format!("**/{body}")
    };
    let last = base.rsplit('/').next().unwrap_or("");
    let children_only = last == "*" && !pattern.ends_with('/');
    (base, !children_only)
}

/// The glob of a pattern, for validation.
pub fn globs_for(pattern: &str) -> Vec<String> {
    vec![plan(pattern).0]
}

fn escape_braces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// One glob with CODEOWNERS' options: `*` stays within a path segment,
/// `\` escapes, case matters (GitHub's file system is case sensitive).
pub fn compile(glob: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(glob)
        .literal_separator(true)
        .backslash_escape(true)
        .empty_alternates(true)
        .build()
}

/// A representative path of a pattern: the path a file under it would
/// have, with every wildcard standing for "any name" (`ANY`). A directory
/// (`dir/`, `dir/**`) is represented by a file two levels below it, so
/// `docs/*` (direct children only) does not seem to own all of `docs/**`.
pub fn probe(pattern: &str) -> String {
    let mut body = pattern.strip_prefix('/').unwrap_or(pattern).to_string();
    if body.is_empty() || body.ends_with('/') {
        body.push_str("**");
    }
    let any = ANY.to_string();
    body.split('/')
        .map(|segment| {
            if segment == "**" {
                format!("{any}/{any}")
            } else {
                let mut out = String::new();
                let mut chars = segment.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => out.extend(chars.next()),
                        '*' | '?' => out.push(ANY),
                        c => out.push(c),
                    }
                }
                out
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// True when the pattern is a whole folder below some point (`dir/`,
/// `dir/**`, `**`): a pattern that matches at any depth inside it
/// (`*.js`) then falls under it.
pub fn is_recursive(pattern: &str) -> bool {
    pattern.ends_with('/') || pattern.ends_with("/**") || pattern == "**"
}

/// True when a pattern matches at any depth (no `/` but a trailing one).
pub fn is_unanchored(pattern: &str) -> bool {
    let trimmed = pattern.strip_suffix('/').unwrap_or(pattern);
    !pattern.starts_with('/') && !trimmed.contains('/')
}

/// Many patterns, matched at once; answers which of them match a path.
#[derive(Debug, Clone)]
pub struct PatternSet {
    /// Patterns that own what lies below a match: tried on the path and
    /// on each of its parent folders.
    deep: Globs,
    /// Patterns that match the path itself only (`docs/*`).
    shallow: Globs,
    len: usize,
    /// Why the patterns could not be matched together (then none match).
    pub error: Option<String>,
}

/// One `GlobSet` and, per glob, the patterns that spell it (ascending):
/// a file repeats `*.js` for many owners, and each glob costs matching time.
#[derive(Debug, Clone)]
struct Globs {
    set: GlobSet,
    patterns_of_glob: Vec<Vec<usize>>,
}

struct GlobsBuilder {
    builder: GlobSetBuilder,
    patterns_of_glob: Vec<Vec<usize>>,
    index: std::collections::HashMap<String, usize>,
}

impl GlobsBuilder {
    fn new() -> GlobsBuilder {
        GlobsBuilder {
            builder: GlobSetBuilder::new(),
            patterns_of_glob: Vec::new(),
            index: std::collections::HashMap::new(),
        }
    }

    fn add(&mut self, text: &str, glob: Glob, pattern: usize) {
        let at = match self.index.get(text) {
            Some(&at) => at,
            None => {
                self.index
                    .insert(text.to_string(), self.patterns_of_glob.len());
                self.patterns_of_glob.push(Vec::new());
                self.builder.add(glob);
                self.patterns_of_glob.len() - 1
            }
        };
        let users = &mut self.patterns_of_glob[at];
        if users.last() != Some(&pattern) {
            users.push(pattern);
        }
    }

    fn build(self) -> Result<Globs, globset::Error> {
        Ok(Globs {
            set: self.builder.build()?,
            patterns_of_glob: self.patterns_of_glob,
        })
    }
}

impl Globs {
    fn empty() -> Globs {
        Globs {
            set: GlobSet::empty(),
            patterns_of_glob: Vec::new(),
        }
    }

    fn collect(&self, path: &str, scratch: &mut Vec<usize>, out: &mut Vec<usize>) {
        self.set.matches_into(path, scratch);
        for &glob in scratch.iter() {
            out.extend_from_slice(&self.patterns_of_glob[glob]);
        }
    }
}

impl PatternSet {
    /// Patterns that fail to compile are left out (their index never
    /// matches); `syntax::check_pattern` has reported them already.
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> PatternSet {
        let mut deep = GlobsBuilder::new();
        let mut shallow = GlobsBuilder::new();
        let mut len = 0;
        for (i, pattern) in patterns.into_iter().enumerate() {
            len = i + 1;
            let (text, is_deep) = plan(pattern);
            let Ok(glob) = compile(&text) else { continue };
            if is_deep {
                deep.add(&text, glob, i);
            } else {
                shallow.add(&text, glob, i);
            }
        }
        match (deep.build(), shallow.build()) {
            (Ok(deep), Ok(shallow)) => PatternSet {
                deep,
                shallow,
                len,
                error: None,
            },
            (Err(e), _) | (_, Err(e)) => PatternSet {
                deep: Globs::empty(),
                shallow: Globs::empty(),
                len,
                error: Some(e.to_string()),
            },
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The patterns matching `path`, ascending, each once. `scratch` is
    /// reused between calls so a large check allocates once.
    pub fn matching(&self, path: &str, scratch: &mut Vec<usize>, out: &mut Vec<usize>) {
        out.clear();
        self.shallow.collect(path, scratch, out);
        self.deep.collect(path, scratch, out);
        for (i, _) in path.match_indices('/') {
            if i > 0 {
                self.deep.collect(&path[..i], scratch, out);
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// The last pattern matching `path`: the one that decides on GitHub.
    pub fn last_match(&self, path: &str) -> Option<usize> {
        let mut scratch = Vec::new();
        let mut out = Vec::new();
        self.matching(path, &mut scratch, &mut out);
        out.last().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, path: &str) -> bool {
        PatternSet::new([pattern]).last_match(path).is_some()
    }

    /// The examples of GitHub's "About code owners" page, one by one.
    #[test]
    fn githubs_documented_examples() {
        assert!(matches("*", "README.md"));
        assert!(matches("*", "deeply/nested/file.go"));
        assert!(matches("*.js", "app.js"));
        assert!(matches("*.js", "web/src/app.js"));
        assert!(!matches("*.js", "app.jsx"));
        // `/build/logs/`: the folder at the root and its subfolders.
        assert!(matches("/build/logs/", "build/logs/today.log"));
        assert!(matches("/build/logs/", "build/logs/old/2020.log"));
        assert!(!matches("/build/logs/", "x/build/logs/today.log"));
        // `docs/*`: docs/getting-started.md but not docs/build-app/troubleshooting.md.
        assert!(matches("docs/*", "docs/getting-started.md"));
        assert!(!matches("docs/*", "docs/build-app/troubleshooting.md"));
        // `apps/`: an apps folder anywhere.
        assert!(matches("apps/", "apps/web/main.rs"));
        assert!(matches("apps/", "services/apps/x.py"));
        // `/docs/`: the root docs folder and its subfolders only.
        assert!(matches("/docs/", "docs/a/b.md"));
        assert!(!matches("/docs/", "src/docs/b.md"));
        // `**/logs`: /build/logs, /scripts/logs, /deeply/nested/logs.
        for p in [
            "build/logs/a",
            "scripts/logs/a",
            "deeply/nested/logs/a",
            "logs/a",
        ] {
            assert!(matches("**/logs", p), "{p}");
        }
        // `/apps/github`: a file or folder at that path.
        assert!(matches("/apps/github", "apps/github/x.rb"));
        assert!(matches("/apps/github", "apps/github"));
        assert!(!matches("/apps/github", "apps/githubber"));
    }

    #[test]
    fn the_last_matching_pattern_decides() {
        let set = PatternSet::new(["*", "*.js", "/apps/", "/apps/github"]);
        assert_eq!(set.last_match("README.md"), Some(0));
        assert_eq!(set.last_match("web/app.js"), Some(1));
        assert_eq!(set.last_match("apps/app.js"), Some(2));
        assert_eq!(set.last_match("apps/github/app.js"), Some(3));
    }

    #[test]
    fn escapes_and_braces_are_literal() {
        assert!(matches("my\\ dir/", "my dir/a"));
        assert!(matches("{a,b}.txt", "{a,b}.txt"));
        assert!(!matches("{a,b}.txt", "a.txt"));
        assert!(matches("\\#notes", "#notes"));
    }

    #[test]
    fn probes_stand_for_files_under_a_pattern() {
        let any = ANY;
        assert_eq!(
            probe("infra/postgres/**"),
            format!("infra/postgres/{any}/{any}")
        );
        assert_eq!(probe("/charts/pg/"), format!("charts/pg/{any}/{any}"));
        assert_eq!(probe("src/*.go"), format!("src/{any}.go"));
        assert_eq!(probe("Makefile"), "Makefile");
        // A probe of `docs/**` is not under `docs/*`, but is under `*`.
        let set = PatternSet::new(["*", "docs/*"]);
        assert_eq!(set.last_match(&probe("docs/**")), Some(0));
        assert_eq!(set.last_match(&probe("docs/*.md")), Some(1));
        assert!(!matches("*.js", &probe("web/**")));
    }
}
