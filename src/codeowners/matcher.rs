//! Pattern matching with GitHub's CODEOWNERS semantics, on `globset`.
//!
//! Each pattern becomes one or two globs (see `globs_for`), all rules go into
//! one `GlobSet`, and a path's owners come from the last rule that matches
//! it. `globset` rather than the `ignore` crate's gitignore matcher: the
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

/// The globs that together mean a CODEOWNERS pattern:
/// - a leading `/`, or a `/` inside, anchors it at the root; otherwise it
///   matches at any depth (`**/` is prepended);
/// - a pattern names a file or a directory, and a directory's owners own
///   everything below it, so `apps/` and `/build/logs` also match `X/**`;
/// - `docs/*` matches the direct children of `docs` only, and `docs/**`
///   already means everything below.
///
/// `{` and `}` are literal in CODEOWNERS, so they are escaped for globset.
pub fn globs_for(pattern: &str) -> Vec<String> {
    let trimmed = pattern.strip_suffix('/').unwrap_or(pattern);
    let anchored = pattern.starts_with('/') || trimmed.contains('/');
    let body = trimmed.strip_prefix('/').unwrap_or(trimmed);
    let body = escape_braces(body);
    if body.is_empty() {
        return vec!["**".to_string()];
    }
    let base = if anchored || body.starts_with("**/") || body == "**" {
        body
    } else {
        format!("**/{body}")
    };
    let last = base.rsplit('/').next().unwrap_or("");
    let children_only = last == "*" && !pattern.ends_with('/');
    if last == "**" || children_only {
        vec![base]
    } else {
        vec![base.clone(), format!("{base}/**")]
    }
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
    set: GlobSet,
    /// Glob index -> pattern index (ascending: globs are added in order).
    pattern_of_glob: Vec<usize>,
    len: usize,
    /// Why the patterns could not be matched together (then none match).
    pub error: Option<String>,
}

impl PatternSet {
    /// Patterns that fail to compile are left out (their index never
    /// matches); `syntax::check_pattern` has reported them already.
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> PatternSet {
        let mut builder = GlobSetBuilder::new();
        let mut pattern_of_glob = Vec::new();
        let mut len = 0;
        for (i, pattern) in patterns.into_iter().enumerate() {
            len = i + 1;
            let globs: Result<Vec<Glob>, _> =
                globs_for(pattern).iter().map(|g| compile(g)).collect();
            if let Ok(globs) = globs {
                for glob in globs {
                    builder.add(glob);
                    pattern_of_glob.push(i);
                }
            }
        }
        let (set, error) = match builder.build() {
            Ok(set) => (set, None),
            Err(e) => (GlobSet::empty(), Some(e.to_string())),
        };
        PatternSet {
            set,
            pattern_of_glob,
            len,
            error,
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
        self.set.matches_into(path, scratch);
        for &glob in scratch.iter() {
            let pattern = self.pattern_of_glob[glob];
            if out.last() != Some(&pattern) {
                out.push(pattern);
            }
        }
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
