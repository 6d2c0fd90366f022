//! `demarc import backstage`: a native ownership repository (TOML) written
//! from a catalog's mapped model, with the six pillars and four layers as a
//! skeleton to fill in, and a list of what could not be mapped.
//!
//! Deterministic: the same catalog gives the same bytes (ids sorted, no
//! dates, no paths of the machine). The output passes `demarc check` with
//! no errors: what would be an error there (a component owned by a User or
//! by a Group that does not exist) is left out and listed instead.

use super::map::layer_name;
use crate::model::{Component, Diagnostic, Model, STANDARD_LAYERS, STANDARD_PILLARS, Team};
use crate::repo::Error;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// The files to write, and what the import could not map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Relative path -> contents, sorted by path.
    pub files: BTreeMap<String, String>,
    pub not_mapped: Vec<String>,
    pub teams: usize,
    pub components: usize,
}

/// The finding codes whose entities did not make it into the model.
const DROPPED: &[&str] = &[
    "location_entity",
    "unknown_entity_kind",
    "duplicate_entity",
    "near_duplicate",
    "not_an_entity",
    "parse",
    "skipped",
    "too_large",
    "pager_disagrees",
    "dangling_reference",
    "group_tree",
];

const PILLAR_NAMES: &[(&str, &str)] = &[
    ("infrastructure", "Infrastructure"),
    ("developer-experience", "Developer Experience"),
    ("security-compliance", "Security & Compliance"),
    ("observability", "Observability"),
    ("automation", "Automation"),
    ("release-management", "Release Management"),
];

/// A native id: lowercase letters, digits and dashes.
pub fn slug(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "x".to_string() } else { out }
}

/// Slugs for ids, unique: a clash gets `-2`, `-3`, … in id order.
fn slugs<'a>(ids: impl IntoIterator<Item = &'a str>) -> HashMap<String, String> {
    let mut sorted: Vec<&str> = ids.into_iter().collect();
    sorted.sort();
    let mut taken = BTreeSet::new();
    let mut out = HashMap::new();
    for id in sorted {
        let base = slug(id);
        let mut s = base.clone();
        let mut n = 2;
        while !taken.insert(s.clone()) {
            s = format!("{base}-{n}");
            n += 1;
        }
        out.insert(id.to_string(), s);
    }
    out
}

#[derive(Serialize)]
struct SettingsFile {
    schema: u32,
    org: String,
}

#[derive(Serialize)]
struct OnCallFile {
    pager: String,
}

#[derive(Serialize)]
struct TeamFile {
    name: String,
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    members: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    oncall: Option<OnCallFile>,
}

#[derive(Serialize)]
struct ComponentEntry {
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    layer: Option<String>,
    owner: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    tier: Option<u8>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    consumers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    runbook: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

#[derive(Serialize)]
struct ComponentsFile {
    component: Vec<ComponentEntry>,
}

#[derive(Serialize)]
struct LayerEntry {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct LayersFile {
    layer: Vec<LayerEntry>,
}

#[derive(Serialize)]
struct PillarEntry {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct PillarsFile {
    pillar: Vec<PillarEntry>,
}

fn toml_text<T: Serialize>(header: &str, value: &T) -> String {
    let body = toml::to_string(value).unwrap_or_default();
    format!("{header}{body}")
}

fn is_system(c: &Component) -> Option<&'static str> {
    if c.tags.iter().any(|t| t == "backstage:system") {
        Some("System")
    } else if c.tags.iter().any(|t| t == "backstage:domain") {
        Some("Domain")
    } else {
        None
    }
}

/// Builds the native files from a catalog's model and its findings.
pub fn import(model: &Model, diagnostics: &[Diagnostic]) -> Imported {
    let mut not_mapped = Vec::new();
    let team_slugs = slugs(model.teams.iter().map(|t| t.id.as_str()));
    let teams: BTreeMap<&str, &Team> = model.teams.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut kept: Vec<&Component> = Vec::new();
    for c in &model.components {
        if let Some(kind) = is_system(c) {
            not_mapped.push(format!(
                "{kind} `{}` (owner `{}`): not a component in demarc's format; its components keep it as a `{}:` tag",
                c.id,
                c.owner,
                kind.to_lowercase()
            ));
        } else if !teams.contains_key(c.owner.as_str()) {
            let owner = if c.owner.is_empty() {
                "no owner".to_string()
            } else {
                format!("owner `{}`, which is not a Group", c.owner)
            };
            not_mapped.push(format!(
                "component `{}` ({}, {owner}): left out, as every native component needs an owning team",
                c.id, c.location
            ));
        } else {
            kept.push(c);
        }
    }
    let component_slugs = slugs(kept.iter().map(|c| c.id.as_str()));
    for d in diagnostics.iter().filter(|d| DROPPED.contains(&d.code)) {
        not_mapped.push(format!("{}: {}", d.location, d.message));
    }
    let mut files = BTreeMap::new();
    let org = model
        .settings
        .org
        .trim_end_matches("Backstage catalog")
        .trim_end_matches(" · ")
        .trim()
        .to_string();
    files.insert(
        "demarc.toml".to_string(),
        toml_text(
            "# Imported from a Backstage catalog by `demarc import backstage`.\n",
            &SettingsFile {
                schema: crate::model::SCHEMA_VERSION,
                org: if org.is_empty() {
                    "Imported from Backstage".to_string()
                } else {
                    org
                },
            },
        ),
    );
    for team in &model.teams {
        let file = TeamFile {
            name: team.name.clone(),
            kind: team.kind.clone(),
            description: team.description.clone(),
            members: team.members.clone(),
            channel: team.channel.clone(),
            oncall: team
                .oncall
                .as_ref()
                .and_then(|o| o.pager.clone())
                .map(|pager| OnCallFile { pager }),
        };
        let path = format!("teams/{}.toml", team_slugs[&team.id]);
        files.insert(
            path,
            toml_text(&format!("# Backstage Group `{}`.\n", team.id), &file),
        );
    }
    let mut by_owner: BTreeMap<&str, Vec<ComponentEntry>> = BTreeMap::new();
    let mut extra_layers: BTreeSet<String> = BTreeSet::new();
    for c in &kept {
        if let Some(l) = &c.layer
            && !STANDARD_LAYERS.contains(&l.as_str())
        {
            extra_layers.insert(l.clone());
        }
        let owner = team_slugs[&c.owner].as_str();
        let mut consumers: Vec<String> = c
            .consumers
            .iter()
            .filter_map(|t| team_slugs.get(t).cloned())
            .collect();
        consumers.sort();
        consumers.dedup();
        by_owner.entry(owner).or_default().push(ComponentEntry {
            id: component_slugs[&c.id].clone(),
            name: c.name.clone(),
            layer: c.layer.clone(),
            owner: owner.to_string(),
            tier: c.tier,
            consumers,
            runbook: c.runbook.clone(),
            tags: c.tags.clone(),
        });
    }
    for (owner, mut list) in by_owner {
        list.sort_by(|a, b| a.id.cmp(&b.id));
        files.insert(
            format!("components/{owner}.toml"),
            toml_text(
                &format!("# The components team `{owner}` owns, imported from the catalog.\n"),
                &ComponentsFile { component: list },
            ),
        );
    }
    let layers = STANDARD_LAYERS
        .iter()
        .map(|s| s.to_string())
        .chain(extra_layers)
        .map(|id| LayerEntry {
            name: layer_name(&id),
            id,
        })
        .collect();
    files.insert(
        "layers.toml".to_string(),
        toml_text(
            "# The layers of the stack. A catalog has no layer responsibility matrix:\n# add each layer's [layer.roles] (docs/format.md).\n",
            &LayersFile { layer: layers },
        ),
    );
    let pillars = STANDARD_PILLARS
        .iter()
        .map(|id| PillarEntry {
            id: id.to_string(),
            name: PILLAR_NAMES
                .iter()
                .find(|(p, _)| p == id)
                .map_or_else(|| layer_name(id), |(_, n)| n.to_string()),
        })
        .collect();
    files.insert(
        "pillars.toml".to_string(),
        toml_text(
            "# The six pillars of platform engineering. A catalog has no pillars:\n# add each pillar's `primary` owner and duties (docs/format.md).\n",
            &PillarsFile { pillar: pillars },
        ),
    );
    not_mapped.push(
        "pillars, layer roles, duties, scenarios and matrices: a catalog has none; pillars.toml and layers.toml are a skeleton to fill in".to_string(),
    );
    Imported {
        teams: model.teams.len(),
        components: kept.len(),
        files,
        not_mapped,
    }
}

/// Writes the files into `out`, which must be new or empty and must not be
/// inside `source` (demarc never writes to the repository it reads).
pub fn write(out: &Path, source: Option<&Path>, imported: &Imported) -> Result<(), Error> {
    if out.exists()
        && std::fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Error(format!(
            "{} is not empty; give import --out a new or empty folder.",
            out.display()
        )));
    }
    if let Some(source) = source.and_then(|s| s.canonicalize().ok()) {
        // The nearest folder of `out` that exists, to compare real paths.
        let mut probe = out.to_path_buf();
        let mut rest = Vec::new();
        while !probe.exists() {
            match (probe.file_name(), probe.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name.to_os_string());
                    probe = if parent.as_os_str().is_empty() {
                        Path::new(".").to_path_buf()
                    } else {
                        parent.to_path_buf()
                    };
                }
                _ => break,
            }
        }
        if let Ok(real) = probe.canonicalize() {
            let real = rest.iter().rev().fold(real, |p, n| p.join(n));
            if real.starts_with(&source) {
                return Err(Error(format!(
                    "{} is inside the catalog's repository {}; demarc never writes to the repository it reads, so give import --out a folder outside it.",
                    out.display(),
                    source.display()
                )));
            }
        }
    }
    for (path, text) in &imported.files {
        let target = out.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error(format!("Cannot create {}: {e}.", dir.display())))?;
        }
        std::fs::write(&target, text)
            .map_err(|e| Error(format!("Cannot write {}: {e}.", target.display())))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_native_ids_and_unique() {
        assert_eq!(slug("Team_A.b"), "team-a-b");
        assert_eq!(slug("ops/guest"), "ops-guest");
        assert_eq!(slug("--"), "x");
        let s = slugs(["Team-A", "team_a", "b"]);
        assert_eq!(s["Team-A"], "team-a");
        assert_eq!(s["team_a"], "team-a-2");
    }
}
