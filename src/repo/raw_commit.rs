//! A commit read from its raw object, for the commits libgit2 refuses to
//! parse (a committer time that does not fit in 64 bits, as a hand-made
//! object can have): the history walk reads its tree and parent lines
//! itself and goes on past it, instead of losing all older history.

use super::read::CommitInfo;
use chrono::{DateTime, FixedOffset};
use git2::{ObjectType, Oid, Repository};

/// Larger commit objects are not read: no real commit comes near.
const MAX_COMMIT_BYTES: usize = 1 << 20;

/// What the walk needs of a commit libgit2 cannot parse.
#[derive(Debug, Clone)]
pub struct RawCommit {
    pub tree: Oid,
    pub parents: Vec<Oid>,
    /// Author, email and message as written; the time is the latest one
    /// chrono can hold (the commit's own does not fit), see `time_text`.
    pub info: CommitInfo,
    /// The committer time as written (`99999999999999999999 +0000`).
    pub time_text: String,
}

/// The commit `oid` read from its raw object; None when the object is
/// missing, is not a commit, is too large, or has no readable tree line.
pub fn read_raw_commit(git: &Repository, oid: Oid) -> Option<RawCommit> {
    let odb = git.odb().ok()?;
    let (size, kind) = odb.read_header(oid).ok()?;
    if kind != ObjectType::Commit || size > MAX_COMMIT_BYTES {
        return None;
    }
    let object = odb.read(oid).ok()?;
    parse_raw_commit(oid, object.data())
}

/// Parses a commit object's text (see `read_raw_commit`).
pub fn parse_raw_commit(oid: Oid, data: &[u8]) -> Option<RawCommit> {
    let (header, message) = match find(data, b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let mut tree = None;
    let mut parents = Vec::new();
    let mut author = ("", "");
    let mut time_text = String::new();
    for line in header.split(|b| *b == b'\n') {
        let Ok(line) = std::str::from_utf8(line) else {
            continue;
        };
        if let Some(hex) = line.strip_prefix("tree ") {
            tree = tree.or(Oid::from_str(hex.trim()).ok());
        } else if let Some(hex) = line.strip_prefix("parent ") {
            parents.push(Oid::from_str(hex.trim()).ok()?);
        } else if let Some(who) = line.strip_prefix("author ") {
            author = person(who).0;
        } else if let Some(who) = line.strip_prefix("committer ") {
            time_text = person(who).1.to_string();
        }
    }
    let utc = FixedOffset::east_opt(0).expect("UTC");
    Some(RawCommit {
        tree: tree?,
        parents,
        info: CommitInfo {
            id: oid.to_string(),
            time: DateTime::<chrono::Utc>::MAX_UTC.with_timezone(&utc),
            author: author.0.to_string(),
            email: author.1.to_string(),
            message: String::from_utf8_lossy(message).trim_end().to_string(),
        },
        time_text,
    })
}

/// `Name <email> 123 +0000` as ((name, email), "123 +0000").
fn person(text: &str) -> ((&str, &str), &str) {
    let Some(open) = text.find('<') else {
        return ((text.trim(), ""), "");
    };
    let close = text[open..].find('>').map_or(text.len(), |c| open + c);
    let name = text[..open].trim();
    let email = &text[open + 1..close];
    let rest = text.get(close + 1..).unwrap_or("").trim();
    ((name, email), rest)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_parents_author_and_the_unreadable_time() {
        let tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
        let parent = "0123456789012345678901234567890123456789";
        let text = format!(
            "tree {tree}\nparent {parent}\nauthor A Person <a@example.com> 99999999999999999999 +0000\ncommitter C <c@example.com> 99999999999999999999 +0000\n\nfrom the far future\n\nbody\n"
        );
        let raw = parse_raw_commit(Oid::ZERO_SHA1, text.as_bytes()).unwrap();
        assert_eq!(raw.tree.to_string(), tree);
        assert_eq!(raw.parents, vec![Oid::from_str(parent).unwrap()]);
        assert_eq!(raw.info.author, "A Person");
        assert_eq!(raw.info.email, "a@example.com");
        assert_eq!(raw.info.message, "from the far future\n\nbody");
        assert_eq!(raw.time_text, "99999999999999999999 +0000");
    }

    #[test]
    fn no_tree_no_commit() {
        assert!(parse_raw_commit(Oid::ZERO_SHA1, b"parent x\n\nmessage").is_none());
        assert!(parse_raw_commit(Oid::ZERO_SHA1, b"").is_none());
        assert!(parse_raw_commit(Oid::ZERO_SHA1, b"tree zz\n").is_none());
    }
}
