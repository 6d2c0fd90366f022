//! Parties: who holds a responsibility. A team id, `@kind` for every team of a
//! kind, or `@consumers` for the consumers of the component at hand.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Party {
    Team(String),
    Kind(String),
    Consumers,
}

impl Party {
    pub fn parse(text: &str) -> Party {
        let text = text.trim();
        match text.strip_prefix('@') {
            Some("consumers") => Party::Consumers,
            Some(kind) => Party::Kind(kind.to_string()),
            None => Party::Team(text.to_string()),
        }
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Party::Team(id) => f.write_str(id),
            Party::Kind(kind) => write!(f, "@{kind}"),
            Party::Consumers => f.write_str("@consumers"),
        }
    }
}

impl serde::Serialize for Party {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The team kinds the format knows. Others are accepted with a warning.
pub const KNOWN_KINDS: &[&str] = &[
    "platform",
    "product",
    "operations",
    "security",
    "compliance",
    "architecture",
    "data",
    "leadership",
    "other",
];

/// The roles the format knows and themes colour; others are free words.
pub const KNOWN_ROLES: &[&str] = &[
    "owns",
    "shares",
    "supports",
    "configures",
    "consumes",
    "consults",
    "reviews",
    "approves",
    "informs",
    "R",
    "A",
    "C",
    "I",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms() {
        assert_eq!(
            Party::parse("platform-infra"),
            Party::Team("platform-infra".into())
        );
        assert_eq!(Party::parse("@product"), Party::Kind("product".into()));
        assert_eq!(Party::parse("@consumers"), Party::Consumers);
        assert_eq!(Party::parse("@product").to_string(), "@product");
    }
}
