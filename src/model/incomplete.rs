//! Data that did not load, said out loud: which files of a version could
//! not be read or parsed (so every answer can name them first), and which
//! ids those files would have defined (so a question about one is answered
//! "defined in a file that did not load", never with an unrelated guess).

use super::diag::Diagnostic;
use super::parse::FileKind;
use serde::Serialize;

/// The codes of findings that mean a file's content is missing from the model.
pub const NOT_LOADED: &[&str] = &["parse", "too_large", "unreadable", "missing_object"];

/// One file that did not load, where, and why (the contract's `incomplete`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incomplete {
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

impl Incomplete {
    /// The files that did not load, one entry each (their first reason),
    /// in the order of `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Vec<Incomplete> {
        let mut out: Vec<Incomplete> = Vec::new();
        for d in diagnostics.iter().filter(|d| NOT_LOADED.contains(&d.code)) {
            if out.iter().any(|i| i.file == d.location.file) {
                continue;
            }
            out.push(Incomplete {
                file: d.location.file.clone(),
                line: d.location.line,
                column: d.location.column,
                message: d.message.clone(),
            });
        }
        out
    }

    /// `components/data.toml:31:6`
    pub fn place(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            (Some(l), None) => format!("{}:{l}", self.file),
            _ => self.file.clone(),
        }
    }
}

/// The sentence plain output starts with when data is missing; None when
/// everything loaded.
pub fn incomplete_line(incomplete: &[Incomplete]) -> Option<String> {
    if incomplete.is_empty() {
        return None;
    }
    let files: Vec<String> = incomplete
        .iter()
        .map(|i| format!("{} ({})", i.place(), i.message))
        .collect();
    let (count, pronoun) = if incomplete.len() == 1 {
        ("1 file".to_string(), "it defines")
    } else {
        (format!("{} files", incomplete.len()), "they define")
    };
    Some(format!(
        "Incomplete data: {count} did not load: {}; anything {pronoun} is missing below.",
        files.join("; ")
    ))
}

/// The ids each file that did not load would have defined, found by a
/// cheap scan of its raw text (`id = "..."` lines, and a team file's name),
/// since the parser could not read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unloaded {
    files: Vec<(String, Vec<String>)>,
}

impl Unloaded {
    /// `files` are (path, raw bytes) of the version; only those named in
    /// `incomplete` are scanned. A file that was never read (too large)
    /// still names a team by its file name.
    pub fn scan<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
        incomplete: &[Incomplete],
    ) -> Unloaded {
        let mut out: Vec<(String, Vec<String>)> = incomplete
            .iter()
            .map(|i| (i.file.clone(), team_of_path(&i.file).into_iter().collect()))
            .collect();
        for (path, bytes) in files {
            let Some(slot) = out.iter_mut().find(|(p, _)| p == path) else {
                continue;
            };
            let text = String::from_utf8_lossy(bytes);
            // A set beside the list: a 16 MiB file can name 100,000 ids.
            let mut seen: std::collections::HashSet<String> = slot.1.iter().cloned().collect();
            for line in text.lines() {
                if let Some(id) = id_of_line(line)
                    && seen.insert(id.to_string())
                {
                    slot.1.push(id.to_string());
                }
            }
        }
        Unloaded { files: out }
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The file that did not load and would have defined `id`, if any.
    /// Ids are compared as a responder types them: case is ignored.
    pub fn defined_in(&self, id: &str) -> Option<&str> {
        let id = id.trim();
        self.files
            .iter()
            .find(|(_, ids)| ids.iter().any(|x| x.eq_ignore_ascii_case(id)))
            .map(|(path, _)| path.as_str())
    }

    /// "redis is defined in components/data.toml, which did not load"
    pub fn sentence(&self, id: &str) -> Option<String> {
        self.defined_in(id)
            .map(|file| format!("{id} is defined in {file}, which did not load"))
    }
}

fn team_of_path(path: &str) -> Option<String> {
    match FileKind::of_path(path)? {
        FileKind::Team => path
            .strip_prefix("teams/")?
            .strip_suffix(".toml")
            .map(str::to_string),
        _ => None,
    }
}

/// `id = "redis"` (any spacing, either quote) -> `redis`.
fn id_of_line(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("id")?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    let end = rest.find(quote)?;
    let id = &rest[..end];
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;

    #[test]
    fn one_entry_per_file_that_did_not_load() {
        let d = vec![
            Diagnostic::error("parse", Location::at("components/data.toml", 3, 7), "bad"),
            Diagnostic::error("parse", Location::at("components/data.toml", 9, 1), "worse"),
            Diagnostic::warning("review_overdue", Location::file("teams/a.toml"), "old"),
            Diagnostic::error("too_large", Location::file("teams/big.toml"), "huge"),
        ];
        let inc = Incomplete::of(&d);
        assert_eq!(inc.len(), 2);
        assert_eq!(inc[0].place(), "components/data.toml:3:7");
        assert_eq!(inc[1].place(), "teams/big.toml");
        let line = incomplete_line(&inc).unwrap();
        assert!(line.contains("2 files did not load"), "{line}");
        assert!(incomplete_line(&[]).is_none());
    }

    #[test]
    fn ids_of_a_broken_file_are_found_in_its_text() {
        let inc = Incomplete::of(&[
            Diagnostic::error("parse", Location::at("components/data.toml", 3, 7), "bad"),
            Diagnostic::error("too_large", Location::file("teams/big-team.toml"), "huge"),
        ]);
        let text = b"[[component]]\nid = \"redis\"\nname = \"Redis\n[[component]]\n  id='postgres'\nowner = \"x\"\n";
        let other = b"id = \"kafka\"\n";
        let u = Unloaded::scan(
            [
                ("components/data.toml", &text[..]),
                ("components/ok.toml", &other[..]),
            ],
            &inc,
        );
        assert_eq!(u.defined_in("redis"), Some("components/data.toml"));
        assert_eq!(u.defined_in("Postgres"), Some("components/data.toml"));
        assert_eq!(u.defined_in("big-team"), Some("teams/big-team.toml"));
        assert_eq!(u.defined_in("kafka"), None);
        assert_eq!(u.defined_in("x"), None);
        assert_eq!(
            u.sentence("redis").unwrap(),
            "redis is defined in components/data.toml, which did not load"
        );
    }
}
