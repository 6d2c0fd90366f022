//! Hygiene findings: data that is valid but will not help at 3 a.m. A
//! team nobody can find a use for (`orphan_team`), an owner of critical
//! components nobody can reach (`no_contact`), and an owner that is a
//! placeholder rather than a team (`placeholder_owner`). All warnings.

use super::diag::{Diagnostic, Location, Subject, SubjectKind};
use super::party::Party;
use super::types::*;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

/// Ids that stand for "nobody yet", unless demarc.toml lists its own in
/// `placeholder_owners`. Compared without case.
pub const DEFAULT_PLACEHOLDERS: &[&str] = &[
    "tbd",
    "tba",
    "todo",
    "fixme",
    "unknown",
    "unassigned",
    "unowned",
    "nobody",
    "none",
    "n/a",
    "placeholder",
    "changeme",
];

/// The hygiene findings of a model.
pub fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    orphan_teams(model, out);
    no_contact(model, out);
    placeholder_owners(model, out);
}

/// Every party named anywhere, with the component it was named in (for
/// `@consumers`).
fn parties(model: &Model) -> Vec<(&Party, Option<&Component>)> {
    let mut out: Vec<(&Party, Option<&Component>)> = Vec::new();
    for c in &model.components {
        out.extend(c.duties.iter().map(|d| (&d.party, Some(c))));
    }
    for p in &model.pillars {
        out.extend(p.primary.iter().map(|party| (party, None)));
        out.extend(p.duties.iter().map(|(party, _)| (party, None)));
    }
    for l in &model.layers {
        out.extend(l.roles.iter().map(|(party, _)| (party, None)));
    }
    for s in &model.scenarios {
        out.extend(s.first.iter().chain(s.escalate.iter()).map(|p| (p, None)));
    }
    for m in &model.matrices {
        out.extend(m.parties.iter().map(|party| (party, None)));
    }
    out
}

/// A team that owns nothing, consumes nothing, is named by no duty, role,
/// scenario or matrix (itself or through its kind) and is on no other
/// team's escalation ladder: nobody would ever be sent to it.
fn orphan_teams(model: &Model, out: &mut Vec<Diagnostic>) {
    let mut used: HashSet<&str> = HashSet::new();
    let mut kinds: HashSet<&str> = HashSet::new();
    for c in &model.components {
        used.insert(&c.owner);
        used.extend(c.consumers.iter().map(String::as_str));
    }
    for (party, _) in parties(model) {
        match party {
            Party::Team(id) => {
                used.insert(id);
            }
            Party::Kind(kind) => {
                kinds.insert(kind);
            }
            // Consumers are already counted from the consumer lists.
            Party::Consumers => {}
        }
    }
    for team in &model.teams {
        if let Some(oncall) = &team.oncall {
            used.extend(oncall.escalation.iter().map(String::as_str));
        }
    }
    for team in &model.teams {
        if used.contains(team.id.as_str()) || kinds.contains(team.kind.as_str()) {
            continue;
        }
        out.push(
            Diagnostic::warning(
                "orphan_team",
                team.location.clone(),
                format!(
                    "team `{}` owns no component and holds no duty, role or consumer entry",
                    team.id
                ),
            )
            .about(Subject::new(SubjectKind::Team, &team.id)),
        );
    }
}

/// The owner of a tier-1 or tier-2 component with no lead, no members
/// and no channel: when its pager is silent, there is no one to ask.
fn no_contact(model: &Model, out: &mut Vec<Diagnostic>) {
    let mut critical: HashMap<&str, Vec<&str>> = HashMap::new();
    for c in &model.components {
        if matches!(c.tier, Some(1 | 2)) {
            critical.entry(&c.owner).or_default().push(&c.id);
        }
    }
    for team in &model.teams {
        let Some(components) = critical.get(team.id.as_str()) else {
            continue;
        };
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        if !blank(&team.lead) || !blank(&team.channel) || !team.members.is_empty() {
            continue;
        }
        let mut named: Vec<String> = components
            .iter()
            .take(3)
            .map(|c| format!("`{c}`"))
            .collect();
        if components.len() > 3 {
            named.push(format!("{} more", components.len() - 3));
        }
        out.push(
            Diagnostic::warning(
                "no_contact",
                team.location.clone(),
                format!(
                    "team `{}` owns tier-1/2 components ({}) but has no lead, members or channel",
                    team.id,
                    named.join(", ")
                ),
            )
            .about(Subject::new(SubjectKind::Team, &team.id)),
        );
    }
}

/// An owner or a party that is a placeholder such as `tbd`.
fn placeholder_owners(model: &Model, out: &mut Vec<Diagnostic>) {
    let list: Vec<String> = match &model.settings.placeholder_owners {
        Some(own) => own.iter().map(|s| s.trim().to_lowercase()).collect(),
        None => DEFAULT_PLACEHOLDERS.iter().map(|s| s.to_string()).collect(),
    };
    // Without a lowercased copy per name when it is ASCII (it almost
    // always is): 200,000 owners and their duties were as many allocations.
    let is_placeholder = |id: &str| {
        let id = id.trim();
        if id.is_ascii() {
            list.iter()
                .any(|p| p.eq_ignore_ascii_case(id) && !p.bytes().any(|b| b.is_ascii_uppercase()))
        } else {
            list.contains(&id.to_lowercase())
        }
    };
    let mut flag = |id: &str, location: &Location, subject: Subject, what: String| {
        out.push(
            Diagnostic::warning(
                "placeholder_owner",
                location.clone(),
                format!("{what} is `{id}`, a placeholder, not a team"),
            )
            .about(subject),
        );
    };
    for c in &model.components {
        let subject = || Subject::new(SubjectKind::Component, &c.id);
        if is_placeholder(&c.owner) {
            flag(
                &c.owner,
                &c.location,
                subject(),
                format!("component `{}` owner", c.id),
            );
        }
        for duty in &c.duties {
            if let Party::Team(id) = &duty.party
                && is_placeholder(id)
            {
                flag(
                    id,
                    &c.location,
                    subject(),
                    format!("a duty party of component `{}`", c.id),
                );
            }
        }
    }
    for s in &model.scenarios {
        for party in s.first.iter().chain(s.escalate.iter()) {
            if let Party::Team(id) = party
                && is_placeholder(id)
            {
                flag(
                    id,
                    &s.location,
                    Subject::new(SubjectKind::Scenario, &s.id),
                    format!("a party of scenario `{}`", s.id),
                );
            }
        }
    }
    for p in &model.pillars {
        for party in p
            .primary
            .iter()
            .chain(p.duties.iter().map(|(party, _)| party))
        {
            if let Party::Team(id) = party
                && is_placeholder(id)
            {
                flag(
                    id,
                    &p.location,
                    Subject::new(SubjectKind::Pillar, &p.id),
                    format!("a party of pillar `{}`", p.id),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_all;

    fn findings(files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let (model, _) = parse_all(files.iter().map(|(p, t)| (*p, t.as_bytes())));
        let mut out = Vec::new();
        check(&model, &mut out);
        out
    }

    const TEAMS: &[(&str, &str)] = &[
        ("demarc.toml", "schema = 1\n"),
        ("teams/data.toml", "name = \"Data\"\nkind = \"platform\"\n"),
        (
            "teams/idle.toml",
            "name = \"Idle\"\nkind = \"other\"\nlead = \"Ann\"\n",
        ),
        (
            "teams/apps.toml",
            "name = \"Apps\"\nkind = \"product\"\nchannel = \"#apps\"\n",
        ),
        (
            "teams/tbd.toml",
            "name = \"To be decided\"\nkind = \"other\"\n",
        ),
    ];

    fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        TEAMS.iter().chain(extra).copied().collect()
    }

    #[test]
    fn a_team_nobody_names_is_an_orphan_and_a_kind_party_counts() {
        let files = with(&[
            (
                "components/a.toml",
                "[[component]]\nid = \"pg\"\nname = \"PG\"\nowner = \"data\"\ntier = 3\n",
            ),
            (
                "layers.toml",
                "[[layer]]\nid = \"application\"\nname = \"App\"\n[layer.roles]\n\"@product\" = \"owns\"\n",
            ),
        ]);
        let orphans: Vec<String> = findings(&files)
            .into_iter()
            .filter(|d| d.code == "orphan_team")
            .map(|d| d.subject.unwrap().id)
            .collect();
        assert_eq!(orphans, vec!["idle", "tbd"]);
    }

    #[test]
    fn an_owner_of_critical_components_without_any_contact_is_flagged_once() {
        let files = with(&[(
            "components/a.toml",
            "[[component]]\nid = \"pg\"\nname = \"PG\"\nowner = \"data\"\ntier = 1\n\n[[component]]\nid = \"redis\"\nname = \"R\"\nowner = \"data\"\ntier = 2\n\n[[component]]\nid = \"web\"\nname = \"W\"\nowner = \"apps\"\ntier = 1\n",
        )]);
        let found: Vec<Diagnostic> = findings(&files)
            .into_iter()
            .filter(|d| d.code == "no_contact")
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("`pg`, `redis`"));
        assert_eq!(found[0].location.file, "teams/data.toml");
    }

    #[test]
    fn placeholders_come_from_the_default_list_or_demarc_toml() {
        let component = (
            "components/a.toml",
            "[[component]]\nid = \"pg\"\nname = \"PG\"\nowner = \"TBD\"\n[[component.duty]]\nparty = \"nobody\"\ncovers = [\"backups\"]\n",
        );
        let default: Vec<String> = findings(&with(&[component]))
            .into_iter()
            .filter(|d| d.code == "placeholder_owner")
            .map(|d| d.message)
            .collect();
        assert_eq!(default.len(), 2, "{default:?}");
        let files: Vec<(&str, &str)> = with(&[component])
            .into_iter()
            .map(|(p, t)| {
                if p == "demarc.toml" {
                    (p, "schema = 1\nplaceholder_owners = [\"nobody\"]\n")
                } else {
                    (p, t)
                }
            })
            .collect();
        let own: Vec<String> = findings(&files)
            .into_iter()
            .filter(|d| d.code == "placeholder_owner")
            .map(|d| d.message)
            .collect();
        assert_eq!(
            own,
            vec!["a duty party of component `pg` is `nobody`, a placeholder, not a team"]
        );
    }

    #[test]
    fn review_cadence_may_be_a_table_by_tier() {
        let (model, diagnostics) = parse_all([(
            "demarc.toml",
            "schema = 1\n[review_every_days]\n1 = 90\n2 = 180\ndefault = 365\n9 = 3\n".as_bytes(),
        )]);
        let s = &model.settings;
        assert_eq!(s.review_days(Some(1)), Some(90));
        assert_eq!(s.review_days(Some(2)), Some(180));
        assert_eq!(s.review_days(Some(3)), Some(365));
        assert_eq!(s.review_days(None), Some(365));
        let bad: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.code == "invalid_cadence")
            .collect();
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].location.line, Some(6));
    }
}
