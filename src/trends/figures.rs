//! What one version of the model says about each team's load: the
//! figures a trends series samples at the end of every period.

use crate::model::parse::FileContent;
use crate::model::{Component, Layer, Model, ParsedFile, Party, Pillar, Team};
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

/// The figures of one version of the model. A series keeps one per month,
/// so they are compact: at 200,000 components the review days and the
/// critical components' ids, kept whole, were 4.5 MB a month (250 MB for
/// the 55 months of a 2,000-commit history).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// Every team the version defines, and every owner it names.
    pub teams: BTreeMap<String, TeamFigures>,
    /// For the components with a review cadence and a valid `reviewed`
    /// date, the last day each is not yet overdue: each such day once, in
    /// order, with how many components have that day or an earlier one.
    review_until: Vec<(NaiveDate, usize)>,
    /// Tier-1 and tier-2 components, by their number in the `ComponentIds`
    /// the snapshot was taken with; sorted.
    critical: Vec<u32>,
}

/// Component ids, each stored once for all the snapshots of a series
/// (see `Snapshot::critical`); numbered in the order first seen.
#[derive(Debug, Clone, Default)]
pub struct ComponentIds {
    numbers: HashMap<Box<str>, u32, foldhash::fast::RandomState>,
}

impl ComponentIds {
    fn number(&mut self, id: &str) -> u32 {
        if let Some(&n) = self.numbers.get(id) {
            return n;
        }
        let n = u32::try_from(self.numbers.len()).unwrap_or(u32::MAX);
        self.numbers.insert(id.into(), n);
        n
    }

    fn get(&self, id: &str) -> Option<u32> {
        self.numbers.get(id).copied()
    }
}

impl Snapshot {
    /// A snapshot from its figures in full.
    fn new(
        teams: BTreeMap<String, TeamFigures>,
        mut review_until: Vec<NaiveDate>,
        mut critical: Vec<u32>,
    ) -> Snapshot {
        review_until.sort_unstable();
        let mut days: Vec<(NaiveDate, usize)> = Vec::new();
        for (i, day) in review_until.into_iter().enumerate() {
            match days.last_mut() {
                Some((last, upto)) if *last == day => *upto = i + 1,
                _ => days.push((day, i + 1)),
            }
        }
        critical.sort_unstable();
        critical.dedup();
        Snapshot {
            teams,
            review_until: days,
            critical,
        }
    }

    /// How many tier-1 and tier-2 components the version has.
    pub fn critical_count(&self) -> usize {
        self.critical.len()
    }

    /// Is `id` a tier-1 or tier-2 component of this version? `ids` is the
    /// one the snapshot was taken with.
    pub fn is_critical(&self, ids: &ComponentIds, id: &str) -> bool {
        ids.get(id)
            .is_some_and(|n| self.critical.binary_search(&n).is_ok())
    }

    /// Linear in the model: a duty held by a kind (`@platform`) is added
    /// up per kind and handed to the kind's teams once at the end, not
    /// pushed onto every team of the kind for every component (at 200,000
    /// components and 4,000 teams that was most of a trends series).
    pub fn of(model: &Model, ids: &mut ComponentIds) -> Snapshot {
        Snapshot::of_view(&View::of_model(model), ids)
    }

    /// `Snapshot::of` the model these parsed files assemble to (see
    /// `model::assemble`), taken from the files as they are: a history
    /// walk's version is not copied into a model for its figures (at
    /// 200,000 components that copy was the size of a load, per month).
    pub fn of_files<'m>(
        files: impl IntoIterator<Item = &'m ParsedFile>,
        ids: &mut ComponentIds,
    ) -> Snapshot {
        Snapshot::of_view(&View::of_files(files), ids)
    }

    fn of_view(model: &View, ids: &mut ComponentIds) -> Snapshot {
        let kinds = Kinds::of(&model.teams);
        let mut teams: HashMap<&str, TeamFigures, foldhash::fast::RandomState> = model
            .teams
            .iter()
            .map(|t| (t.id.as_str(), TeamFigures::default()))
            .collect();
        // Duty words held by a kind, by the kind's index in `kinds`.
        let mut kind_duties = vec![0usize; kinds.teams.len()];
        let mut review_until = Vec::new();
        let mut critical = Vec::new();
        let mut seen: HashSet<&str, foldhash::fast::RandomState> =
            HashSet::with_capacity_and_hasher(model.components.len(), Default::default());
        let mut untils: HashMap<&str, Option<NaiveDate>, foldhash::fast::RandomState> =
            HashMap::default();
        for c in model.components.iter().copied() {
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
                critical.push(ids.number(&c.id));
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
            if let Some(reviewed) = c.reviewed.as_deref()
                && model.review_every_days.is_some()
            {
                // A version has few distinct review dates: each read once.
                let until = *untils
                    .entry(reviewed)
                    .or_insert_with(|| review_until_of(model.review_every_days, c));
                review_until.extend(until);
            }
        }
        for pillar in model.pillars.iter().copied() {
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
        for layer in model.layers.iter().copied() {
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
        let teams = teams
            .into_iter()
            .map(|(id, f)| (id.to_string(), f))
            .collect();
        Snapshot::new(teams, review_until, critical)
    }

    /// Components overdue for review on `day` (as `check` counts them:
    /// more than the cadence's days since `reviewed`).
    pub fn overdue_on(&self, day: NaiveDate) -> usize {
        let before = self.review_until.partition_point(|(until, _)| *until < day);
        before
            .checked_sub(1)
            .map_or(0, |last| self.review_until[last].1)
    }
}

/// What the figures read of one version of the model, borrowed: from an
/// assembled model, or from the parsed files it would be assembled from.
struct View<'m> {
    review_every_days: Option<u32>,
    teams: Vec<&'m Team>,
    /// In the model's order (files by path, each in file order): the first
    /// of a duplicated id is the one counted.
    components: Vec<&'m Component>,
    pillars: Vec<&'m Pillar>,
    layers: Vec<&'m Layer>,
}

impl<'m> View<'m> {
    fn of_model(model: &'m Model) -> View<'m> {
        View {
            review_every_days: model.settings.review_every_days,
            teams: model.teams.iter().collect(),
            components: model.components.iter().collect(),
            pillars: model.pillars.iter().collect(),
            layers: model.layers.iter().collect(),
        }
    }

    /// As `assemble` reads the files: by path (a stable sort, so the tables
    /// of one file keep their order), the last settings file's settings.
    /// The order of teams, pillars and layers changes no figure.
    fn of_files(files: impl IntoIterator<Item = &'m ParsedFile>) -> View<'m> {
        // Sorted as runs of one path (a large file's tables come together):
        // sorting 200,000 tables one by one, each comparison a path, was
        // a tenth of a trends series. A stable sort of the runs is the
        // stable sort of the files.
        let mut runs: Vec<Vec<&ParsedFile>> = Vec::new();
        for file in files {
            match runs.last_mut() {
                Some(run) if run[0].path == file.path => run.push(file),
                _ => runs.push(vec![file]),
            }
        }
        runs.sort_by(|a, b| a[0].path.cmp(&b[0].path));
        let files: Vec<&ParsedFile> = runs.into_iter().flatten().collect();
        let mut view = View {
            review_every_days: None,
            teams: Vec::new(),
            components: Vec::with_capacity(files.iter().map(|f| f.component_count()).sum()),
            pillars: Vec::new(),
            layers: Vec::new(),
        };
        for file in files {
            match &file.content {
                Some(FileContent::Settings(s)) => view.review_every_days = s.review_every_days,
                Some(FileContent::Team(t)) => view.teams.push(t),
                Some(FileContent::Components(c)) => view.components.extend(c),
                Some(FileContent::Pillars(p)) => view.pillars.extend(p),
                Some(FileContent::Layers(l)) => view.layers.extend(l),
                Some(FileContent::Scenarios(_) | FileContent::Matrix(_)) | None => {}
            }
        }
        view
    }
}

/// Adds `words` duty words to the teams `party` stands for (`consumers`:
/// the component's, for `@consumers`); a kind's go to `kind_duties`.
fn add_duties<'m>(
    teams: &mut HashMap<&'m str, TeamFigures, foldhash::fast::RandomState>,
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
    fn of(teams: &[&'m Team]) -> Kinds<'m> {
        let mut kinds = Kinds {
            names: HashMap::new(),
            teams: Vec::new(),
        };
        for t in teams.iter().copied() {
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
fn review_until_of(review_every_days: Option<u32>, c: &Component) -> Option<NaiveDate> {
    let days = review_every_days?;
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
    fn reference(model: &Model, ids: &mut ComponentIds) -> Snapshot {
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
        let mut critical = Vec::new();
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
                critical.push(ids.number(&c.id));
            }
            for duty in &c.duties {
                for team in resolve(&duty.party, Some(c)) {
                    teams.entry(team).or_default().duties += duty.covers.len();
                }
            }
            if let Some(until) = review_until_of(model.settings.review_every_days, c) {
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
        Snapshot::new(teams, review_until, critical)
    }

    #[test]
    fn the_linear_snapshot_equals_the_old_one_on_the_sample_and_a_generated_org() {
        let dir = tempfile::tempdir().unwrap();
        crate::sample::build(dir.path()).unwrap();
        let repo = crate::repo::Repo::open(dir.path(), None).unwrap();
        let sample = crate::repo::load(&repo, &crate::repo::Source::WorkTree).unwrap();
        assert!(sample.model.components.len() > 10);
        let ids = &mut ComponentIds::default();
        assert_eq!(
            Snapshot::of(&sample.model, ids),
            reference(&sample.model, ids)
        );

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
        assert_eq!(
            Snapshot::of(&generated.model, ids),
            reference(&generated.model, ids)
        );
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
        let ids = &mut ComponentIds::default();
        assert_eq!(Snapshot::of(&m, ids), reference(&m, ids));
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
        let ids = &mut ComponentIds::default();
        let s = Snapshot::of(&m, ids);
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
        assert_eq!(s.critical_count(), 1);
        assert!(s.is_critical(ids, "pg") && !s.is_critical(ids, "cache"));
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(s.overdue_on(day("2026-01-31")), 0);
        assert_eq!(s.overdue_on(day("2026-02-01")), 1);
        assert_eq!(s.overdue_on(day("2026-04-01")), 2);
    }

    /// The figures taken from parsed files as they are equal those of the
    /// model they assemble to, whatever order the files come in: settings
    /// from the last settings file by path, the first of a duplicated id
    /// by path, and a file's tables in their order.
    #[test]
    fn figures_from_files_equal_figures_from_their_model() {
        let texts: &[(&str, &str)] = &[
            (
                "demarc.toml",
                "schema = 1\norg = \"T\"\nreview_every_days = 30\n",
            ),
            ("teams/a.toml", "name = \"A\"\nkind = \"platform\"\n"),
            ("teams/b.toml", "name = \"B\"\nkind = \"product\"\n"),
            (
                "components/a.toml",
                "[[component]]\nid = \"x\"\nname = \"X\"\nowner = \"a\"\ntier = 1\nreviewed = 2026-01-01\n\n[[component]]\nid = \"y\"\nname = \"Y\"\nowner = \"b\"\ntier = 3\nreviewed = 2026-02-01\n",
            ),
            (
                "components/b.toml",
                "[[component]]\nid = \"x\"\nname = \"X twice\"\nowner = \"b\"\ntier = 4\nreviewed = 2025-01-01\n[[component.duty]]\nparty = \"@platform\"\ncovers = [\"run\"]\n",
            ),
            (
                "pillars.toml",
                "[[pillar]]\nid = \"p\"\nname = \"P\"\nprimary = [\"a\"]\n[pillar.duties]\n\"@product\" = [\"five\"]\n",
            ),
            (
                "layers.toml",
                "[[layer]]\nid = \"l\"\nname = \"L\"\n[layer.roles]\n\"@platform\" = \"owns\"\nb = \"runs\"\n",
            ),
        ];
        let files: Vec<std::sync::Arc<ParsedFile>> = texts
            .iter()
            .map(|(p, t)| std::sync::Arc::new(crate::model::parse_file(p, t.as_bytes())))
            .collect();
        let model = crate::model::assemble(&files);
        let ids = &mut ComponentIds::default();
        let whole = Snapshot::of(&model, ids);
        assert_eq!(whole.critical_count(), 1, "x is tier 1 as a.toml has it");
        let mut order: Vec<&ParsedFile> = files.iter().map(|f| f.as_ref()).collect();
        order.reverse();
        assert_eq!(Snapshot::of_files(order.iter().copied(), ids), whole);
        order.rotate_left(3);
        assert_eq!(Snapshot::of_files(order, ids), whole);
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(whole.overdue_on(day("2026-01-31")), 0);
        assert_eq!(whole.overdue_on(day("2026-02-01")), 1);
        assert_eq!(whole.overdue_on(day("2026-03-04")), 2);
    }
}
