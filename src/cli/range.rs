//! `diff BASE...HEAD` and `diff A..B`, as git understands them: three
//! dots compare HEAD with the merge base of the two (what a pull request
//! changes), two dots compare A with B. An empty side means HEAD.

use crate::repo::{self, Repo};

/// FROM and TO after reading a range in FROM.
pub fn split(repo: &Repo, from: &str, to: Option<&str>) -> repo::Result<(String, Option<String>)> {
    let (dots, (a, b)) = match from.split_once("...") {
        Some(sides) => (3, sides),
        None => match from.split_once("..") {
            Some(sides) => (2, sides),
            None => return Ok((from.to_string(), to.map(str::to_string))),
        },
    };
    if to.is_some() {
        return Err(repo::Error(format!(
            "`{from}` is already a range; give either FROM TO or FROM...TO, not both."
        )));
    }
    let or_head = |side: &str| {
        if side.is_empty() {
            "HEAD".to_string()
        } else {
            side.to_string()
        }
    };
    let (a, b) = (or_head(a), or_head(b));
    if dots == 2 {
        return Ok((a, Some(b)));
    }
    let left = repo.resolve_rev(&a)?.id();
    let right = repo.resolve_rev(&b)?.id();
    let git = repo
        .git()
        .ok_or_else(|| repo::Error("A plain folder has no history to compare.".into()))?;
    let base = git.merge_base(left, right).map_err(|_| {
        repo::Error(format!(
            "`{a}` and `{b}` have no common ancestor, so `{from}` has no merge base."
        ))
    })?;
    Ok((base.to_string(), Some(b)))
}
