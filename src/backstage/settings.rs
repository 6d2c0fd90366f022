//! The optional `demarc.toml` beside a catalog: `source = "backstage"`,
//! the organisation's name, and the `[backstage]` mapping of what
//! Backstage has no field for (tier, layer, team kind).

use crate::model::{Diagnostic, Location};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Where a component's tier comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TierRule {
    /// `annotation:KEY`: the annotation's value, digits taken (`1`, `tier-1`).
    Annotation(String),
    /// `tag:PREFIX`: the first tag that starts with PREFIX, the rest a number.
    Tag(String),
}

impl TierRule {
    fn parse(text: &str) -> Option<TierRule> {
        if let Some(key) = text.strip_prefix("annotation:") {
            return (!key.is_empty()).then(|| TierRule::Annotation(key.to_string()));
        }
        text.strip_prefix("tag:")
            .filter(|p| !p.is_empty())
            .map(|p| TierRule::Tag(p.to_string()))
    }
}

/// The default layer of each `spec.type` (lowercase); the `[backstage]
/// layer` table of demarc.toml overrides type by type.
pub const DEFAULT_LAYERS: &[(&str, &str)] = &[
    ("website", "application"),
    ("service", "application"),
    ("library", "application"),
    ("frontend", "application"),
    ("backend", "application"),
    ("database", "service"),
    ("queue", "service"),
    ("cache", "service"),
    ("topic", "service"),
    ("storage", "service"),
    ("s3-bucket", "service"),
    ("kubernetes-cluster", "orchestration"),
    ("cluster", "orchestration"),
    ("account", "cloud-foundation"),
    ("cloud-account", "cloud-foundation"),
    ("network", "cloud-foundation"),
    ("vpc", "cloud-foundation"),
];

/// The default team kind of each Group `spec.type`; others are `other`.
pub const DEFAULT_TEAM_KINDS: &[(&str, &str)] = &[("team", "product")];

/// The default tier rule: tags such as `tier-1`.
pub const DEFAULT_TIER_TAG: &str = "tier-";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub org: Option<String>,
    pub review_every_days: Option<u32>,
    pub tier: TierRule,
    /// spec.type (lowercase) -> layer.
    pub layers: BTreeMap<String, String>,
    /// Group spec.type (lowercase) -> team kind.
    pub team_kind: BTreeMap<String, String>,
    /// Group name (lowercase) -> team kind, winning over `team_kind`.
    pub team_kinds: BTreeMap<String, String>,
}

impl Default for Mapping {
    fn default() -> Self {
        Mapping {
            org: None,
            review_every_days: None,
            tier: TierRule::Tag(DEFAULT_TIER_TAG.to_string()),
            layers: DEFAULT_LAYERS
                .iter()
                .map(|(t, l)| (t.to_string(), l.to_string()))
                .collect(),
            team_kind: DEFAULT_TEAM_KINDS
                .iter()
                .map(|(t, k)| (t.to_string(), k.to_string()))
                .collect(),
            team_kinds: BTreeMap::new(),
        }
    }
}

#[derive(Deserialize)]
struct RawSettings {
    source: Option<String>,
    org: Option<String>,
    /// A number; the by-tier table of the native format is not read here.
    review_every_days: Option<toml::Value>,
    backstage: Option<RawMapping>,
}

#[derive(Deserialize)]
struct RawMapping {
    tier: Option<String>,
    #[serde(default)]
    layer: BTreeMap<String, String>,
    #[serde(default)]
    team_kind: BTreeMap<String, String>,
    #[serde(default)]
    team_kinds: BTreeMap<String, String>,
}

/// Does this demarc.toml say the folder is a Backstage catalog?
pub fn says_backstage(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(t).ok())
        .and_then(|t| t.get("source").and_then(|s| s.as_str()).map(str::to_string))
        .is_some_and(|s| s.eq_ignore_ascii_case("backstage"))
}

/// Reads demarc.toml's mapping; a file that does not parse is a finding
/// and the defaults apply.
pub fn read(bytes: &[u8], diagnostics: &mut Vec<Diagnostic>) -> Mapping {
    let mut mapping = Mapping::default();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                "parse",
                Location::file("demarc.toml"),
                format!("the file is not valid UTF-8 (byte {})", e.valid_up_to()),
            ));
            return mapping;
        }
    };
    let raw: RawSettings = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let location = match e.span() {
                Some(span) => {
                    let (line, column) = crate::model::parse::line_col(text, span.start);
                    Location::at("demarc.toml", line, column)
                }
                None => Location::file("demarc.toml"),
            };
            diagnostics.push(Diagnostic::error(
                "parse",
                location,
                e.message().trim().to_string(),
            ));
            return mapping;
        }
    };
    if let Some(source) = raw.source.filter(|s| !s.eq_ignore_ascii_case("backstage")) {
        diagnostics.push(Diagnostic::warning(
            "catalog_setting",
            Location::file("demarc.toml"),
            format!("`source = \"{source}\"` is not a source demarc knows; the folder is read as a Backstage catalog"),
        ));
    }
    mapping.org = raw.org.filter(|o| !o.trim().is_empty());
    mapping.review_every_days = raw
        .review_every_days
        .and_then(|v| v.as_integer())
        .and_then(|n| u32::try_from(n).ok());
    if let Some(m) = raw.backstage {
        if let Some(tier) = m.tier {
            match TierRule::parse(&tier) {
                Some(rule) => mapping.tier = rule,
                None => diagnostics.push(Diagnostic::warning(
                    "catalog_setting",
                    Location::file("demarc.toml"),
                    format!("`[backstage] tier = \"{tier}\"` is neither `annotation:KEY` nor `tag:PREFIX`; the default `tag:{DEFAULT_TIER_TAG}` applies"),
                )),
            }
        }
        for (t, layer) in m.layer {
            mapping.layers.insert(t.to_lowercase(), layer);
        }
        for (t, kind) in m.team_kind {
            mapping.team_kind.insert(t.to_lowercase(), kind);
        }
        for (team, kind) in m.team_kinds {
            mapping.team_kinds.insert(team.to_lowercase(), kind);
        }
    }
    mapping
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_example_reads() {
        let text = br#"schema = 1
source = "backstage"
org = "Acme"
[backstage]
tier = "annotation:acme.com/tier"
layer = { website = "application", service = "service", database = "service" }
team_kind = { team = "product" }
[backstage.team_kinds]
platform-infra = "platform"
"#;
        assert!(says_backstage(text));
        let mut d = Vec::new();
        let m = read(text, &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.org.as_deref(), Some("Acme"));
        assert_eq!(m.tier, TierRule::Annotation("acme.com/tier".into()));
        assert_eq!(m.layers["service"], "service");
        assert_eq!(m.layers["library"], "application", "defaults stay");
        assert_eq!(m.team_kinds["platform-infra"], "platform");
    }

    #[test]
    fn a_native_settings_file_does_not_say_backstage() {
        assert!(!says_backstage(b"schema = 1\norg = \"x\"\n"));
        assert!(!says_backstage(b"\xff"));
    }
}
