//! One catalog file: its YAML documents read as Backstage entities, with
//! the place of every field a finding may point at. No cross-entity
//! knowledge here (that is `map.rs`), so a file's result can be cached by
//! its blob id while history walks.

use super::map::{Role, ident};
use super::refs::{key, lower, ref_key};
use super::yaml::{self, Node, Value};
use crate::model::{Diagnostic, Location};
use std::borrow::Cow;

/// A field's text and where it was written (in its entity's file: see
/// `location`; not a copy of the path per field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub text: String,
    /// 1-based.
    pub line: u32,
    pub column: u32,
    /// The reference read once with the field's default kind and the
    /// entity's namespace (see `prepare`), so mapping thousands of versions
    /// of the same blob does not parse it again each time.
    pub prepared: Option<Prepared>,
}

impl Field {
    /// Where the field was written, `path` being its entity's file
    /// (`Entity::location`'s).
    pub fn location(&self, path: &str) -> Location {
        Location::at(path, self.line, self.column)
    }
}

/// A reference field, parsed when its file was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The default kind it was parsed with.
    pub default_kind: Option<&'static str>,
    /// `refs::key` of the reference; None when it is not one or names no
    /// kind (the mapper then takes the slow path, which says why).
    pub key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Entity {
    pub api_version: String,
    /// As written (`Component`, `group`, …); compared without case.
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// In file order.
    pub annotations: Vec<(String, String)>,
    /// `metadata.links` as (title or type, url).
    pub links: Vec<(String, String)>,
    pub spec_type: Option<String>,
    pub lifecycle: Option<String>,
    pub owner: Option<Field>,
    pub system: Option<Field>,
    pub domain: Option<Field>,
    pub parent: Option<Field>,
    pub children: Vec<Field>,
    pub member_of: Vec<Field>,
    pub members: Vec<Field>,
    pub depends_on: Vec<Field>,
    pub consumes_apis: Vec<Field>,
    pub provides_apis: Vec<Field>,
    pub subcomponent_of: Option<Field>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    /// A Location entity's `spec.target` and `spec.targets`.
    pub targets: Vec<String>,
    /// The document's first line.
    pub location: Location,
    /// Computed once when the file is read (history maps every version
    /// of the same blobs): what the mapper would otherwise format and
    /// lowercase for each version. See `prepare`.
    pub role: Role,
    /// `refs::key` of the entity itself.
    pub key: String,
    /// Kind and name lowercased (names alike across namespaces).
    pub kind_key: String,
    pub name_key: String,
    /// `map::ident`, and lowercased.
    pub ident: String,
    pub ident_key: String,
    /// `spec.type` lowercased.
    pub type_key: Option<String>,
}

impl Entity {
    pub fn kind_lower(&self) -> String {
        lower(&self.kind)
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A catalog file after reading: its entities in document order and what
/// was wrong. `is_catalog` is false for YAML that holds no Backstage entity
/// (a CI workflow, a Helm chart): such files are ignored without a word.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CatalogFile {
    pub path: String,
    pub entities: Vec<Entity>,
    pub diagnostics: Vec<Diagnostic>,
    pub is_catalog: bool,
}

impl CatalogFile {
    /// The error that stopped reading the file, if any.
    pub fn parse_error(&self) -> Option<&Diagnostic> {
        self.diagnostics.iter().find(|d| d.code == "parse")
    }
}

/// Does this apiVersion belong to Backstage's catalog model?
pub fn is_backstage_api(api_version: &str) -> bool {
    api_version.starts_with("backstage.io/")
}

/// Reads one YAML file of the catalog.
pub fn read_file(path: &str, bytes: &[u8]) -> CatalogFile {
    let docs = yaml::read(bytes);
    let mut file = CatalogFile {
        path: path.to_string(),
        ..CatalogFile::default()
    };
    file.is_catalog = docs.docs.iter().any(|d| {
        d.get("apiVersion")
            .and_then(Node::as_str)
            .is_some_and(is_backstage_api)
    });
    if let Some(error) = &docs.error {
        // A file that stops half-way is reported when anything in it, or
        // its name, says it is a catalog file; other YAML is not ours.
        let named = path.ends_with("catalog-info.yaml") || path.ends_with("catalog-info.yml");
        let mentions = memchr::memmem::find(bytes, b"backstage.io/").is_some();
        if file.is_catalog || named || mentions {
            file.is_catalog = true;
            file.diagnostics.push(Diagnostic::error(
                "parse",
                Location::at(path, error.line, error.column),
                error.message.clone(),
            ));
        }
    }
    if !file.is_catalog {
        return file;
    }
    for dup in &docs.duplicate_keys {
        file.diagnostics.push(Diagnostic::warning(
            "duplicate_key",
            Location::at(path, dup.line, dup.column),
            format!(
                "the key `{}` appears twice in one mapping; the first is kept",
                dup.key
            ),
        ));
    }
    file.entities.reserve_exact(docs.docs.len());
    for doc in docs.docs {
        if matches!(doc.value, Value::Null) {
            continue; // an empty document, e.g. a trailing `---`
        }
        match entity(path, doc, &mut file.diagnostics) {
            Some(e) => file.entities.push(e),
            None => continue,
        }
    }
    file
}

fn at(path: &str, node: &Node) -> Location {
    Location::at(path, node.line, node.column)
}

// The entity is built by moving the YAML tree's strings into it (each
// field is read once, and the reader keeps only the first of duplicate
// keys, so taking a key's value is reading it): at 20,000 entities,
// copying every scalar and freeing the tree after was a tenth of a load.

/// The value under `key` of a mapping, taken out of it.
fn take<'a>(node: Option<&mut Node<'a>>, key: &str) -> Option<Node<'a>> {
    match &mut node?.value {
        Value::Map(entries) => {
            let (_, value) = entries.iter_mut().find(|(k, _)| k.as_ref() == key)?;
            let place = Node {
                value: Value::Null,
                line: value.line,
                column: value.column,
            };
            Some(std::mem::replace(value, place))
        }
        _ => None,
    }
}

/// `s` trimmed and owned, without a copy when it is owned already and
/// there is nothing to trim.
fn trimmed(s: Cow<str>) -> String {
    match s {
        Cow::Borrowed(b) => b.trim().to_string(),
        Cow::Owned(s) => {
            let t = s.trim();
            if t.len() == s.len() { s } else { t.to_string() }
        }
    }
}

fn text(node: Option<Node>) -> Option<String> {
    match node?.value {
        Value::Scalar(s) => Some(trimmed(s)).filter(|s| !s.is_empty()),
        _ => None,
    }
}

fn field(node: Option<Node>) -> Option<Field> {
    let node = node?;
    let (line, column) = (node.line, node.column);
    let text = text(Some(node))?;
    Some(Field {
        text,
        line,
        column,
        prepared: None,
    })
}

/// A list of references; a single string is accepted as a list of one.
fn fields(node: Option<Node>) -> Vec<Field> {
    let Some(node) = node else {
        return Vec::new();
    };
    match node.value {
        Value::Seq(items) => items.into_iter().filter_map(|i| field(Some(i))).collect(),
        Value::Scalar(_) => field(Some(node)).into_iter().collect(),
        _ => Vec::new(),
    }
}

fn strings(node: Option<Node>) -> Vec<String> {
    match node.map(|n| n.value) {
        Some(Value::Seq(items)) => items.into_iter().filter_map(|i| text(Some(i))).collect(),
        Some(Value::Scalar(s)) => text(Some(Node {
            value: Value::Scalar(s),
            line: 0,
            column: 0,
        }))
        .into_iter()
        .collect(),
        _ => Vec::new(),
    }
}

fn entity(path: &str, mut doc: Node, diagnostics: &mut Vec<Diagnostic>) -> Option<Entity> {
    let location = at(path, &doc);
    if !matches!(doc.value, Value::Map(_)) {
        diagnostics.push(Diagnostic::warning(
            "not_an_entity",
            location,
            "this YAML document is not a mapping, so it is not a catalog entity; skipped",
        ));
        return None;
    }
    let (Some(api_version), Some(kind)) = (
        text(take(Some(&mut doc), "apiVersion")),
        text(take(Some(&mut doc), "kind")),
    ) else {
        diagnostics.push(Diagnostic::warning(
            "not_an_entity",
            location,
            "this YAML document has no `apiVersion` and `kind`, so it is not a catalog entity; skipped",
        ));
        return None;
    };
    let mut metadata = take(Some(&mut doc), "metadata");
    let Some(name) = text(take(metadata.as_mut(), "name")) else {
        diagnostics.push(Diagnostic::error(
            "missing_field",
            location,
            format!("a {kind} entity has no `metadata.name`; skipped"),
        ));
        return None;
    };
    let mut spec = take(Some(&mut doc), "spec");
    let mut profile = take(spec.as_mut(), "profile");
    let annotations = match take(metadata.as_mut(), "annotations").map(|a| a.value) {
        Some(Value::Map(entries)) => entries
            .into_iter()
            .filter_map(|(k, v)| match v.value {
                Value::Scalar(v) => Some((k.into_owned(), trimmed(v))),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let links = match take(metadata.as_mut(), "links").map(|l| l.value) {
        Some(Value::Seq(items)) => items
            .into_iter()
            .filter_map(|mut l| {
                let url = text(take(Some(&mut l), "url"))?;
                let label = text(take(Some(&mut l), "title"))
                    .or_else(|| text(take(Some(&mut l), "type")))
                    .unwrap_or_default();
                Some((label, url))
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut targets = strings(take(spec.as_mut(), "targets"));
    targets.extend(text(take(spec.as_mut(), "target")));
    let mut metadata_get = |key: &str| take(metadata.as_mut(), key);
    let namespace = text(metadata_get("namespace"))
        .unwrap_or_else(|| super::refs::DEFAULT_NAMESPACE.to_string());
    let title = text(metadata_get("title"));
    let description = text(metadata_get("description"));
    let tags = strings(metadata_get("tags"));
    let mut spec_get = |key: &str| take(spec.as_mut(), key);
    let mut entity = Entity {
        api_version,
        kind,
        namespace,
        name,
        title,
        description,
        tags,
        annotations,
        links,
        spec_type: text(spec_get("type")),
        lifecycle: text(spec_get("lifecycle")),
        owner: field(spec_get("owner")),
        system: field(spec_get("system")),
        domain: field(spec_get("domain")),
        parent: field(spec_get("parent")),
        children: fields(spec_get("children")),
        member_of: fields(spec_get("memberOf")),
        members: fields(spec_get("members")),
        depends_on: fields(spec_get("dependsOn")),
        consumes_apis: fields(spec_get("consumesApis")),
        provides_apis: fields(spec_get("providesApis")),
        subcomponent_of: field(spec_get("subcomponentOf")),
        display_name: text(take(profile.as_mut(), "displayName")),
        email: text(take(profile.as_mut(), "email")),
        targets,
        location,
        ..Entity::default()
    };
    prepare(&mut entity);
    Some(entity)
}

/// Fills in what the mapper needs of an entity alone: its role, keys and
/// id, and each reference field parsed with the default kind the mapper
/// reads it with (docs/backstage.md lists them).
fn prepare(e: &mut Entity) {
    e.role = Role::of(e);
    e.key = key(&e.kind, &e.namespace, &e.name);
    e.kind_key = lower(&e.kind);
    e.name_key = lower(&e.name);
    e.ident = ident(e);
    e.ident_key = lower(&e.ident);
    e.type_key = e.spec_type.as_deref().map(lower);
    let namespace = std::mem::take(&mut e.namespace);
    let set = |field: &mut Field, default_kind: Option<&'static str>| {
        let key = ref_key(&field.text, default_kind, &namespace);
        field.prepared = Some(Prepared { default_kind, key });
    };
    let one = |field: &mut Option<Field>, kind| {
        if let Some(f) = field.as_mut() {
            set(f, kind);
        }
    };
    one(&mut e.owner, Some("group"));
    one(&mut e.system, Some("system"));
    one(&mut e.domain, Some("domain"));
    one(&mut e.parent, Some("group"));
    one(&mut e.subcomponent_of, Some("component"));
    let many = |fields: &mut Vec<Field>, kind| fields.iter_mut().for_each(|f| set(f, kind));
    many(&mut e.children, Some("group"));
    many(&mut e.member_of, Some("group"));
    many(&mut e.members, Some("user"));
    many(&mut e.depends_on, None);
    many(&mut e.consumes_apis, Some("api"));
    many(&mut e.provides_apis, Some("api"));
    e.namespace = namespace;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_component_reads_with_its_places() {
        let text = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: artist-lookup\n  tags: [java, data]\n  annotations:\n    pagerduty.com/service-id: PABC\nspec:\n  type: service\n  lifecycle: experimental\n  owner: team-a\n  dependsOn: ['resource:artists-db']\n";
        let f = read_file("catalog-info.yaml", text.as_bytes());
        assert!(f.is_catalog);
        let e = &f.entities[0];
        assert_eq!(e.name, "artist-lookup");
        assert_eq!(e.tags, ["java", "data"]);
        assert_eq!(e.annotation("pagerduty.com/service-id"), Some("PABC"));
        assert_eq!(e.owner.as_ref().unwrap().line, 11);
        assert_eq!(e.depends_on[0].text, "resource:artists-db");
        assert_eq!(e.location.line, Some(1));
    }

    #[test]
    fn other_yaml_is_not_a_catalog() {
        let f = read_file(".github/workflows/ci.yaml", b"on: push\njobs: {}\n");
        assert!(!f.is_catalog);
        assert!(f.diagnostics.is_empty());
        let f = read_file("chart/values.yaml", b"a: [1, 2\n");
        assert!(!f.is_catalog, "broken YAML that is not ours stays quiet");
    }

    #[test]
    fn a_broken_catalog_file_is_a_parse_error() {
        let f = read_file(
            "catalog-info.yaml",
            b"apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: [x\n",
        );
        assert!(f.parse_error().is_some());
    }
}
