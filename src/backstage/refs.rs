//! Entity references as Backstage writes them: `[kind:][namespace/]name`.
//!
//! The kind defaults per field (an owner is a Group unless it says
//! `user:`), the namespace defaults to the referring entity's, and the
//! whole reference compares without regard to case, as the catalog does.

use std::fmt;

pub const DEFAULT_NAMESPACE: &str = "default";

/// A parsed reference, its parts as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRef {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl EntityRef {
    /// Parses `text`; None when it is empty or has an empty part. With no
    /// kind in the text and no `default_kind`, the kind is left empty
    /// (a field such as `dependsOn` needs one).
    pub fn parse(text: &str, default_kind: Option<&str>, default_namespace: &str) -> Option<Self> {
        let text = text.trim();
        let (kind, rest) = match text.split_once(':') {
            Some((kind, rest)) => (Some(kind), rest),
            None => (None, text),
        };
        let (namespace, name) = match rest.split_once('/') {
            Some((ns, name)) => (Some(ns), name),
            None => (None, rest),
        };
        if name.is_empty()
            || kind.is_some_and(str::is_empty)
            || namespace.is_some_and(str::is_empty)
        {
            return None;
        }
        Some(EntityRef {
            kind: kind.or(default_kind).unwrap_or_default().to_string(),
            namespace: namespace.unwrap_or(default_namespace).to_string(),
            name: name.to_string(),
        })
    }

    /// The case-insensitive identity of the entity referred to.
    pub fn key(&self) -> String {
        key(&self.kind, &self.namespace, &self.name)
    }

    pub fn has_kind(&self) -> bool {
        !self.kind.is_empty()
    }
}

/// `kind:namespace/name`, lowercased: how the catalog compares entities.
pub fn key(kind: &str, namespace: &str, name: &str) -> String {
    format!("{kind}:{namespace}/{name}").to_lowercase()
}

impl fmt::Display for EntityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.kind.is_empty() {
            write!(f, "{}:", self.kind.to_lowercase())?;
        }
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_the_text_leaves_out() {
        let r = EntityRef::parse("team-a", Some("group"), "default").unwrap();
        assert_eq!(r.key(), "group:default/team-a");
        let r = EntityRef::parse("user:guest", Some("group"), "default").unwrap();
        assert_eq!(r.key(), "user:default/guest");
        let r = EntityRef::parse("Resource:Infra/Artists-DB", None, "default").unwrap();
        assert_eq!(r.key(), "resource:infra/artists-db");
        let r = EntityRef::parse("artists-db", None, "ops").unwrap();
        assert!(!r.has_kind());
        assert_eq!(r.namespace, "ops");
    }

    #[test]
    fn empty_parts_are_not_references() {
        for bad in ["", "  ", "group:", ":x", "ns/", "/x", "group:ns/"] {
            assert_eq!(
                EntityRef::parse(bad, Some("group"), "default"),
                None,
                "{bad}"
            );
        }
    }
}
