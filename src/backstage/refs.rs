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
        let (kind, namespace, name) = parts(text, default_kind, default_namespace)?;
        Some(EntityRef {
            kind: kind.to_string(),
            namespace: namespace.to_string(),
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

/// `EntityRef::parse`'s parts (kind, namespace, name), borrowed.
fn parts<'t>(
    text: &'t str,
    default_kind: Option<&'t str>,
    default_namespace: &'t str,
) -> Option<(&'t str, &'t str, &'t str)> {
    let text = text.trim();
    let (kind, rest) = match text.split_once(':') {
        Some((kind, rest)) => (Some(kind), rest),
        None => (None, text),
    };
    let (namespace, name) = match rest.split_once('/') {
        Some((ns, name)) => (Some(ns), name),
        None => (None, rest),
    };
    if name.is_empty() || kind.is_some_and(str::is_empty) || namespace.is_some_and(str::is_empty) {
        return None;
    }
    Some((
        kind.or(default_kind).unwrap_or_default(),
        namespace.unwrap_or(default_namespace),
        name,
    ))
}

/// `EntityRef::parse(..).filter(EntityRef::has_kind).map(|r| r.key())`
/// without the reference's own strings: entities' reference fields are
/// keyed when their file is read, tens of thousands at a time.
pub fn ref_key(text: &str, default_kind: Option<&str>, default_namespace: &str) -> Option<String> {
    let (kind, namespace, name) = parts(text, default_kind, default_namespace)?;
    (!kind.is_empty()).then(|| key(kind, namespace, name))
}

/// `kind:namespace/name`, lowercased: how the catalog compares entities.
pub fn key(kind: &str, namespace: &str, name: &str) -> String {
    if !(kind.is_ascii() && namespace.is_ascii() && name.is_ascii()) {
        // Outside ASCII, lowercasing may depend on the letters around
        // (a final sigma), so the whole key is lowercased at once.
        return format!("{kind}:{namespace}/{name}").to_lowercase();
    }
    let mut out = String::with_capacity(kind.len() + namespace.len() + name.len() + 2);
    out.push_str(kind);
    out.push(':');
    out.push_str(namespace);
    out.push('/');
    out.push_str(name);
    out.make_ascii_lowercase();
    out
}

/// `s.to_lowercase()`, cheaper for ASCII (every catalog name we have met).
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
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
    fn keys_lowercase_as_a_whole() {
        // The ASCII path and the general one agree; a final sigma is
        // lowercased by its place in the whole key.
        assert_eq!(key("Group", "Default", "Team-A"), "group:default/team-a");
        assert_eq!(key("group", "default", "ΟΔΟΣ"), "group:default/οδος");
        assert_eq!(
            key("group", "default", "ΟΔΟΣ"),
            "group:default/ΟΔΟΣ".to_lowercase()
        );
        assert_eq!(lower("ΟΔΟΣ"), "ΟΔΟΣ".to_lowercase());
        assert_eq!(lower("Team-A"), "team-a");
        assert_eq!(
            ref_key("User:Guest", Some("group"), "Ops"),
            Some("user:ops/guest".into())
        );
        assert_eq!(ref_key("guest", None, "ops"), None);
        assert_eq!(ref_key("group:", Some("group"), "ops"), None);
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
