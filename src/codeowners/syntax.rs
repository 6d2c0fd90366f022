//! What a CODEOWNERS pattern and an owner may look like, shared by the
//! CODEOWNERS parser and the ownership model's `paths` and `codeowners`
//! keys, so both report the same mistakes in the same words.

/// Why a pattern or owner cannot be used; `offset` counts characters from
/// its start (0-based), so callers turn it into a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
}

impl Problem {
    fn at(offset: usize, message: impl Into<String>) -> Problem {
        Problem {
            offset,
            message: message.into(),
        }
    }
}

/// Checks a pattern the way GitHub reads it: gitignore syntax without
/// negation and without character ranges (GitHub's "syntax exceptions").
pub fn check_pattern(pattern: &str) -> Result<(), Problem> {
    if pattern.is_empty() {
        return Err(Problem::at(0, "the pattern is empty"));
    }
    if pattern.starts_with('!') {
        return Err(Problem::at(
            0,
            "`!` (negation) is not supported in CODEOWNERS; a later rule without owners clears ownership instead",
        ));
    }
    let mut chars = pattern.chars().enumerate();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => {
                return Err(Problem::at(i, "a trailing `\\` escapes nothing"));
            }
            '\\' => {}
            '[' | ']' => {
                return Err(Problem::at(
                    i,
                    "`[ ]` character ranges are not supported in CODEOWNERS",
                ));
            }
            c if c.is_whitespace() => {
                return Err(Problem::at(
                    i,
                    "whitespace in a pattern must be escaped (`\\ `)",
                ));
            }
            c if c.is_control() => {
                return Err(Problem::at(i, "a control character in a pattern"));
            }
            _ => {}
        }
    }
    if pattern.contains("***") {
        return Err(Problem::at(
            pattern
                .find("***")
                .map_or(0, |b| pattern[..b].chars().count()),
            "`***` is not a pattern; use `**` for any depth",
        ));
    }
    // The matcher is the final judge (a `**` glued to a name, say); a
    // pattern without wildcards or escapes cannot fail it, so large files
    // of plain folders skip the work.
    if !pattern.contains(['*', '?', '\\']) {
        return Ok(());
    }
    for glob in super::matcher::globs_for(pattern) {
        if let Err(e) = super::matcher::compile(&glob) {
            return Err(Problem::at(0, format!("not a valid pattern: {}", e.kind())));
        }
    }
    Ok(())
}

/// Characters of a user, team or group name (GitHub and GitLab, including
/// enterprise-managed `_shortcode` users and GitLab's nested groups).
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// Checks an owner: `@user`, `@org/team` (GitLab: `@group/sub/team`,
/// `@@role`), or an email address.
pub fn check_owner(owner: &str) -> Result<(), Problem> {
    let bad = |offset: usize| {
        Err(Problem::at(
            offset,
            format!("`{owner}` is not an owner: write `@user`, `@org/team` or an email address"),
        ))
    };
    if let Some(rest) = owner.strip_prefix('@') {
        let rest = rest.strip_prefix('@').unwrap_or(rest);
        let skipped = owner.len() - rest.len();
        if rest.is_empty() {
            return bad(0);
        }
        for (i, segment) in rest.split('/').enumerate() {
            if segment.is_empty() || !segment.chars().all(is_name_char) {
                let before: usize = rest.split('/').take(i).map(|s| s.chars().count() + 1).sum();
                return bad(skipped + before);
            }
        }
        return Ok(());
    }
    match owner.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !owner.chars().any(|c| c.is_whitespace() || c.is_control())
                && !domain.contains('@') =>
        {
            Ok(())
        }
        _ => bad(0),
    }
}

/// `org/name`: the repository a component's code lives in.
pub fn check_repo(repo: &str) -> Result<(), Problem> {
    match repo.split_once('/') {
        Some((org, name))
            if !org.is_empty()
                && !name.is_empty()
                && org.chars().all(is_name_char)
                && name.chars().all(is_name_char) =>
        {
            Ok(())
        }
        _ => Err(Problem::at(
            0,
            format!("`{repo}` is not a repository: write `org/name`"),
        )),
    }
}

/// Handles compare as GitHub compares them: without regard to case.
pub fn same_handle(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_follow_githubs_exceptions() {
        for ok in [
            "*",
            "*.js",
            "/build/logs/",
            "docs/*",
            "apps/",
            "**/logs",
            "/apps/github",
            "path\\ with\\ spaces/",
            "\\#not-a-comment",
        ] {
            assert_eq!(check_pattern(ok), Ok(()), "{ok}");
        }
        assert_eq!(check_pattern("!secret").unwrap_err().offset, 0);
        assert_eq!(check_pattern("src/[ab].rs").unwrap_err().offset, 4);
        assert_eq!(check_pattern("a b").unwrap_err().offset, 1);
        assert_eq!(check_pattern("dir\\").unwrap_err().offset, 3);
        assert!(check_pattern("a/***/b").is_err());
        assert!(check_pattern("").is_err());
    }

    #[test]
    fn owners_are_users_teams_or_emails() {
        for ok in [
            "@octocat",
            "@octo-org/octocats",
            "@gitlab-org/sub/team",
            "@@maintainer",
            "docs@example.com",
            "@user_shortcode",
        ] {
            assert_eq!(check_owner(ok), Ok(()), "{ok}");
        }
        for bad in [
            "octocat",
            "@",
            "@org/",
            "@a b",
            "x@y",
            "@org//team",
            "@bad!",
        ] {
            assert!(check_owner(bad).is_err(), "{bad}");
        }
        assert_eq!(check_owner("@org/te#m").unwrap_err().offset, 5);
    }

    #[test]
    fn repos_are_org_slash_name() {
        assert!(check_repo("northwind/infra").is_ok());
        assert!(check_repo("northwind").is_err());
        assert!(check_repo("a/b/c").is_err());
    }
}
