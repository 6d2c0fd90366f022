//! The synthetic organisation written as a Backstage catalog instead of
//! demarc's TOML: each team a Group file, each components file a YAML file
//! of Component and Resource entities, `demarc.toml` saying
//! `source = "backstage"`. The same owners, tiers, tags, runbooks and
//! pagers as the TOML version, so the two can be benchmarked side by side.
//! Pillars, layers, scenarios and matrices have no catalog counterpart and
//! are not written; consumers neither (a catalog derives them from
//! `dependsOn`, which the generator writes between neighbouring components).

use super::org::{CompFile, FileRef, Org, TeamRec};
use super::render::quote;
use std::fmt::Write;

/// The file's path relative to the data folder, as a catalog.
pub fn path_of(org: &Org, file: &FileRef) -> String {
    match file {
        FileRef::Settings => "demarc.toml".into(),
        FileRef::Pillars => "pillars.toml".into(),
        FileRef::Layers => "layers.toml".into(),
        FileRef::Team(id) => format!("catalog/groups/{id}.yaml"),
        FileRef::Components(i) => format!("catalog/components/{}.yaml", org.comp_files[*i].name),
        FileRef::Scenarios(i) => format!("scenarios/{}.toml", org.scenario_files[*i].name),
        FileRef::Matrix(i) => format!("matrices/{}.toml", org.matrices[*i].id),
    }
}

/// The file's text as a catalog; None for files a catalog does not have.
pub fn render(org: &Org, file: &FileRef) -> Option<String> {
    match file {
        FileRef::Settings => Some(format!(
            "# {} catalog settings for demarc (synthetic).\nschema = 1\nsource = \"backstage\"\norg = {}\n",
            org.org_name,
            quote(&org.org_name)
        )),
        FileRef::Team(id) => org.teams.get(id).map(group),
        FileRef::Components(i) => Some(components(&org.comp_files[*i])),
        FileRef::Pillars | FileRef::Layers | FileRef::Scenarios(_) | FileRef::Matrix(_) => None,
    }
}

fn group(t: &TeamRec) -> String {
    let mut out = String::with_capacity(400);
    let _ = write!(
        out,
        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: {}\n  description: {}\n",
        t.id,
        quote(&t.description)
    );
    if let Some(pager) = t
        .oncall
        .as_ref()
        .and_then(|o| o.pager.strip_prefix("pagerduty:"))
    {
        let _ = write!(
            out,
            "  annotations:\n    pagerduty.com/service-id: {}\n",
            quote(pager)
        );
    }
    let _ = write!(
        out,
        "spec:\n  type: team\n  profile:\n    displayName: {}\n    email: {}\n  children: []\n",
        quote(&t.name),
        quote(&format!("{}@synthetic.example", t.id))
    );
    out
}

fn components(file: &CompFile) -> String {
    let mut out = String::with_capacity(file.comps.len() * 400);
    let _ = writeln!(out, "# {} ({})", file.name, file.area);
    let mut previous: Option<&str> = None;
    for c in &file.comps {
        let (kind, spec_type) = match c.layer {
            "application" => ("Component", "service"),
            "service" => ("Resource", "database"),
            "orchestration" => ("Resource", "kubernetes-cluster"),
            _ => ("Resource", "cloud-account"),
        };
        let mut tags: Vec<String> = c.tier.map(|t| format!("tier-{t}")).into_iter().collect();
        tags.extend(c.tags.iter().cloned());
        let tags: Vec<String> = tags.iter().map(|t| quote(t)).collect();
        let _ = write!(
            out,
            "---\napiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {}\n  title: {}\n  tags: [{}]\n",
            c.id,
            quote(&c.name),
            tags.join(", ")
        );
        if let Some(runbook) = &c.runbook {
            let _ = write!(
                out,
                "  links:\n    - url: {}\n      title: Runbook\n",
                quote(runbook)
            );
        }
        let _ = write!(
            out,
            "spec:\n  type: {spec_type}\n  lifecycle: production\n  owner: {}\n",
            c.owner
        );
        if let Some(p) = previous {
            let _ = writeln!(out, "  dependsOn: ['component:{p}']");
        }
        previous = (kind == "Component").then_some(c.id.as_str());
    }
    out
}

/// A catalog file with a syntax error: the first title's closing quote gone.
pub fn break_syntax(text: &str) -> Option<String> {
    let start = text.find("\n  title: \"")? + "\n  title: ".len();
    let end = start + 1 + text[start + 1..].find('"')?;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..end]);
    out.push_str(&text[end + 1..]);
    Some(out)
}
