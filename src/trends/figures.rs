//! What one version of the model says about each team's load: the
//! figures a trends series samples at the end of every period.

use crate::model::{Model, Party};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One team's load in one version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TeamFigures {
    /// Components it owns.
    pub owns: usize,
    /// Of those, by tier (tier 1 is the most critical).
    pub tier1: usize,
    pub tier2: usize,
    pub tier3: usize,
    pub tier4: usize,
    /// Owned components without a tier (or with one outside 1..4).
    pub untiered: usize,
    /// Duty words it holds: on components (directly, by kind or as a
    /// consumer) and in pillars.
    pub duties: usize,
    /// Layers where it has a role in the layer matrix.
    pub layer_roles: usize,
}

impl TeamFigures {
    /// A figure by its JSON name, for tables and charts.
    pub fn get(&self, name: &str) -> Option<usize> {
        Some(match name {
            "owns" => self.owns,
            "tier1" => self.tier1,
            "tier2" => self.tier2,
            "tier3" => self.tier3,
            "tier4" => self.tier4,
            "untiered" => self.untiered,
            "duties" => self.duties,
            "layer_roles" => self.layer_roles,
            _ => return None,
        })
    }

    /// The JSON names, in order.
    pub const NAMES: [&'static str; 8] = [
        "owns",
        "tier1",
        "tier2",
        "tier3",
        "tier4",
        "untiered",
        "duties",
        "layer_roles",
    ];

    /// "Load" as one number for a chart: components owned plus duties held.
    pub fn load(&self) -> usize {
        self.owns + self.duties
    }

    fn count_tier(&mut self, tier: Option<u8>) {
        match tier {
            Some(1) => self.tier1 += 1,
            Some(2) => self.tier2 += 1,
            Some(3) => self.tier3 += 1,
            Some(4) => self.tier4 += 1,
            _ => self.untiered += 1,
        }
    }
}

/// The figures of one version of the model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// Every team the version defines, and every owner it names.
    pub teams: BTreeMap<String, TeamFigures>,
    /// For each component with a review cadence and a valid `reviewed`
    /// date: the last day it is not yet overdue. Sorted.
    pub review_until: Vec<NaiveDate>,
    /// Tier-1 and tier-2 components.
    pub critical: HashSet<String>,
}

impl Snapshot {
    /// Linear in the model: a duty held by a kind (`@platform`) is added
    /// up per kind and handed to the kind's teams once at the end, not
    /// pushed onto every team of the kind for every component (at 200,000
    /// components and 4,000 teams that was most of a trends series).
    pub fn of(model: &Model) -> Snapshot {
        let kinds = Kinds::of(model);
        let mut teams: HashMap<&str, TeamFigures> = model
            .teams
            .iter()
            .map(|t| (t.id.as_str(), TeamFigures::default()))
            .collect();
        // Duty words held by a kind, by the kind's index in `kinds`.
        let mut kind_duties = vec![0usize; kinds.teams.len()];
        let mut review_until = Vec::new();
        let mut critical = HashSet::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for c in &model.components {
            // A duplicated id counts once, as the model reads it (first wins).
            if !seen.insert(c.id.as_str()) {
                continue;
            }
            if !c.owner.is_empty() {
                let owner = teams.entry(c.owner.as_str()).or_default();
                owner.owns += 1;
                owner.count_tier(c.tier);
            }
            if matches!(c.tier, Some(1 | 2)) {
                critical.insert(c.id.clone());
            }
            for duty in &c.duties {
                add_duties(
                    &mut teams,
                    &mut kind_duties,
                    &kinds,
                    &duty.party,
                    duty.covers.len(),
                    &c.consumers,
                );
            }
            if let Some(until) = review_until_of(model, c) {
                review_until.push(until);
            }
        }
        for pillar in &model.pillars {
            for (party, words) in &pillar.duties {
                add_duties(
                    &mut teams,
                    &mut kind_duties,
                    &kinds,
                    party,
                    words.len(),
                    &[],
                );
            }
        }
        for (k, words) in kind_duties.into_iter().enumerate() {
            if words > 0 {
                for team in &kinds.teams[k] {
                    teams.entry(team).or_default().duties += words;
                }
            }
        }
        for layer in &model.layers {
            let mut with_role: HashSet<&str> = HashSet::new();
            for (party, _) in &layer.roles {
                match party {
                    Party::Team(id) if !id.is_empty() => {
                        with_role.insert(id);
                    }
                    Party::Team(_) | Party::Consumers => {}
                    Party::Kind(kind) => {
                        if let Some(k) = kinds.index(kind) {
                            with_role.extend(kinds.teams[k].iter().copied());
                        }
                    }
                }
            }
            for team in with_role {
                teams.entry(team).or_default().layer_roles += 1;
            }
        }
        review_until.sort();
        Snapshot {
            teams: teams
                .into_iter()
                .map(|(id, f)| (id.to_string(), f))
                .collect(),
            review_until,
            critical,
        }
    }

    /// Components overdue for review on `day` (as `check` counts them:
    /// more than the cadence's days since `reviewed`).
    pub fn overdue_on(&self, day: NaiveDate) -> usize {
        self.review_until.partition_point(|until| *until < day)
    }
}

/// Adds `words` duty words to the teams `party` stands for (`consumers`:
/// the component's, for `@consumers`); a kind's go to `kind_duties`.
fn add_duties<'m>(
    teams: &mut HashMap<&'m str, TeamFigures>,
    kind_duties: &mut [usize],
    kinds: &Kinds<'m>,
    party: &'m Party,
    words: usize,
    consumers: &'m [String],
) {
    match party {
        Party::Team(id) if !id.is_empty() => teams.entry(id.as_str()).or_default().duties += words,
        Party::Team(_) => {}
        Party::Kind(kind) => {
            if let Some(k) = kinds.index(kind) {
                kind_duties[k] += words;
            }
        }
        Party::Consumers => {
            for team in distinct(consumers) {
                teams.entry(team).or_default().duties += words;
            }
        }
    }
}

/// The teams of each kind (non-empty ids, each once), found in one pass.
struct Kinds<'m> {
    names: HashMap<&'m str, usize>,
    teams: Vec<Vec<&'m str>>,
}

impl<'m> Kinds<'m> {
    fn of(model: &'m Model) -> Kinds<'m> {
        let mut kinds = Kinds {
            names: HashMap::new(),
            teams: Vec::new(),
        };
        for t in &model.teams {
            let next = kinds.teams.len();
            let k = *kinds.names.entry(t.kind.as_str()).or_insert(next);
            if k == next {
                kinds.teams.push(Vec::new());
            }
            if !t.id.is_empty() {
                kinds.teams[k].push(t.id.as_str());
            }
        }
        for teams in &mut kinds.teams {
            teams.sort_unstable();
            teams.dedup();
        }
        kinds
    }

    fn index(&self, kind: &str) -> Option<usize> {
        self.names.get(kind).copied()
    }
}

/// The non-empty names of a list, each once.
fn distinct(names: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !n.is_empty())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The last day a component is not overdue for review, when it has a
/// cadence and a readable date.
fn review_until_of(model: &Model, c: &crate::model::Component) -> Option<NaiveDate> {
    let days = model.settings.review_every_days?;
    let reviewed = c.reviewed.as_deref()?;
    let date =
        NaiveDate::parse_from_str(reviewed.get(..10).unwrap_or(reviewed), "%Y-%m-%d").ok()?;
    date.checked_add_days(chrono::Days::new(u64::from(days)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse::parse_all;

    /// `Snapshot::of` as it was before it was made linear: every party
    /// resolved by the model, team by team. The fast one must agree.
    fn reference(model: &Model) -> Snapshot {
        let resolve = |party: &Party, component: Option<&crate::model::Component>| {
            let mut teams = model.resolve_party(party, component);
            teams.sort();
            teams.dedup();
            teams.retain(|t| !t.is_empty());
            teams
        };
        let mut teams: BTreeMap<String, TeamFigures> = model
            .teams
            .iter()
            .map(|t| (t.id.clone(), TeamFigures::default()))
            .collect();
        let mut review_until = Vec::new();
        let mut critical = HashSet::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for c in &model.components {
            if !seen.insert(c.id.as_str()) {
                continue;
            }
            if !c.owner.is_empty() {
                let owner = teams.entry(c.owner.clone()).or_default();
                owner.owns += 1;
                owner.count_tier(c.tier);
            }
            if matches!(c.tier, Some(1 | 2)) {
                critical.insert(c.id.clone());
            }
            for duty in &c.duties {
                for team in resolve(&duty.party, Some(c)) {
                    teams.entry(team).or_default().duties += duty.covers.len();
                }
            }
            if let Some(until) = review_until_of(model, c) {
                review_until.push(until);
            }
        }
        for pillar in &model.pillars {
            for (party, words) in &pillar.duties {
                for team in resolve(party, None) {
                    teams.entry(team).or_default().duties += words.len();
                }
            }
        }
        for layer in &model.layers {
            let mut with_role: HashSet<String> = HashSet::new();
            for (party, _) in &layer.roles {
                with_role.extend(resolve(party, None));
            }
            for team in with_role {
                teams.entry(team).or_default().layer_roles += 1;
            }
        }
        review_until.sort();
        Snapshot {
            teams,
            review_until,
            critical,
        }
    }

    #[test]
    fn the_linear_snapshot_equals_the_old_one_on_the_sample_and_a_generated_org() {
        let dir = tempfile::tempdir().unwrap();
        crate::sample::build(dir.path()).unwrap();
        let repo = crate::repo::Repo::open(dir.path(), None).unwrap();
        let sample = crate::repo::load(&repo, &crate::repo::Source::WorkTree).unwrap();
        assert!(sample.model.components.len() > 10);
        assert_eq!(Snapshot::of(&sample.model), reference(&sample.model));

        let gen_dir = tempfile::tempdir().unwrap();
        let params = crate::synth::Params {
            teams: 30,
            components: 600,
            commits: 1,
            ..Default::default()
        };
        crate::synth::generate(gen_dir.path(), &params).unwrap();
        let repo = crate::repo::Repo::open(gen_dir.path(), Some("ownership")).unwrap();
        let generated = crate::repo::load(&repo, &crate::repo::Source::WorkTree).unwrap();
        let kind_duties = generated
            .model
            .components
            .iter()
            .flat_map(|c| &c.duties)
            .filter(|d| matches!(d.party, Party::Kind(_)))
            .count();
        assert!(
            kind_duties > 0,
            "the generated org has duties held by a kind"
        );
        assert_eq!(Snapshot::of(&generated.model), reference(&generated.model));
    }

    #[test]
    fn duplicates_unknown_and_empty_parties_count_as_before() {
        let m = model(&[
            ("demarc.toml", "schema = 1\norg = \"T\"\n"),
            ("teams/a.toml", "name = \"A\"\nkind = \"platform\"\n"),
            ("teams/b.toml", "name = \"B\"\nkind = \"platform\"\n"),
            ("teams/c.toml", "name = \"C\"\nkind = \"product\"\n"),
            (
                "components/x.toml",
                r#"[[component]]
id = "x"
name = "X"
owner = "ghost"
consumers = ["c", "c", "nobody", ""]
[[component.duty]]
party = "@platform"
covers = ["one", "two"]
[[component.duty]]
party = "@consumers"
covers = ["three"]
[[component.duty]]
party = "@nokind"
covers = ["four"]

[[component]]
id = "x"
name = "X again"
owner = "a"
[[component.duty]]
party = "@platform"
covers = ["ignored: a duplicate"]
"#,
            ),
            (
                "pillars.toml",
                r#"[[pillar]]
id = "p"
name = "P"
primary = ["a"]
[pillar.duties]
"@platform" = ["five"]
"c" = ["six", "seven"]
"#,
            ),
            (
                "layers.toml",
                r#"[[layer]]
id = "l"
name = "L"
[layer.roles]
"@platform" = "owns"
a = "runs"
"@consumers" = "uses"
"#,
            ),
        ]);
        assert_eq!(Snapshot::of(&m), reference(&m));
    }

    fn model(files: &[(&str, &str)]) -> Model {
        parse_all(files.iter().map(|(p, t)| (*p, t.as_bytes()))).0
    }

    #[test]
    fn counts_owns_tiers_duties_and_roles_per_team() {
        let m = model(&[
            (
                "demarc.toml",
                "schema = 1\norg = \"T\"\nreview_every_days = 30\n",
            ),
            ("teams/data.toml", "name = \"Data\"\nkind = \"platform\"\n"),
            ("teams/web.toml", "name = \"Web\"\nkind = \"product\"\n"),
            ("teams/idle.toml", "name = \"Idle\"\nkind = \"product\"\n"),
            (
                "components/a.toml",
                r#"[[component]]
id = "pg"
name = "Postgres"
owner = "data"
tier = 1
consumers = ["web"]
reviewed = 2026-01-01
[[component.duty]]
party = "data"
covers = ["backups", "upgrades"]
[[component.duty]]
party = "@consumers"
covers = ["schema"]

[[component]]
id = "cache"
name = "Cache"
owner = "data"
tier = 3
reviewed = 2026-03-01

[[component]]
id = "site"
name = "Site"
owner = "web"
"#,
            ),
            (
                "layers.toml",
                r#"[[layer]]
id = "service"
name = "Service"
[layer.roles]
"@platform" = "owns"
web = "consumes"
"#,
            ),
        ]);
        let s = Snapshot::of(&m);
        let data = s.teams["data"];
        assert_eq!(
            (data.owns, data.tier1, data.tier3, data.untiered),
            (2, 1, 1, 0)
        );
        assert_eq!((data.duties, data.layer_roles), (2, 1));
        let web = s.teams["web"];
        assert_eq!(
            (web.owns, web.untiered, web.duties, web.layer_roles),
            (1, 1, 1, 1)
        );
        assert_eq!(s.teams["idle"], TeamFigures::default());
        assert_eq!(s.critical, HashSet::from(["pg".to_string()]));
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(s.overdue_on(day("2026-01-31")), 0);
        assert_eq!(s.overdue_on(day("2026-02-01")), 1);
        assert_eq!(s.overdue_on(day("2026-04-01")), 2);
    }
}
