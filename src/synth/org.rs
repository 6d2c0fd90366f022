//! The synthetic organisation in memory: teams, components (grouped in
//! files), layers, pillars, scenarios and matrices. History mutates it and
//! re-renders only the files a change touched.

use super::names::*;
use super::rng::Rng;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

pub const KINDS: &[&str] = crate::model::party::KNOWN_KINDS;
/// Roughly how a large engineering organisation's teams split by kind.
pub const KIND_WEIGHTS: [u32; 9] = [14, 60, 6, 5, 2, 2, 7, 2, 2];
const _: () = assert!(KINDS.len() == KIND_WEIGHTS.len());

pub const LAYERS: &[&str] = crate::model::STANDARD_LAYERS;
const LAYER_WEIGHTS: [u32; 4] = [50, 25, 15, 10];
const _: () = assert!(LAYERS.len() == LAYER_WEIGHTS.len());

/// Components per file of `components/`, as the brief's organisations keep them.
pub const COMPONENTS_PER_FILE: usize = 150;
const SCENARIOS_PER_FILE: usize = 20;

#[derive(Debug, Clone)]
pub struct OnCallRec {
    pub rotation: String,
    pub pager: String,
    pub hours: String,
    pub escalation: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct TeamRec {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub description: String,
    pub lead: String,
    pub members: Vec<String>,
    pub oncall: Option<OnCallRec>,
}

#[derive(Debug, Clone)]
pub struct DutyRec {
    pub party: String,
    pub covers: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CompRec {
    pub id: String,
    pub name: String,
    pub layer: &'static str,
    pub pillar: &'static str,
    pub owner: String,
    pub tier: Option<u8>,
    pub consumers: Vec<String>,
    pub runbook: Option<String>,
    pub tags: Vec<String>,
    pub reviewed: Option<NaiveDate>,
    pub duties: Vec<DutyRec>,
    /// Forgotten by the quarterly reviews: real repositories have these.
    pub stale: bool,
}

#[derive(Debug, Clone)]
pub struct CompFile {
    pub name: String,
    pub area: &'static str,
    pub comps: Vec<CompRec>,
}

#[derive(Debug, Clone)]
pub struct LayerRec {
    pub id: &'static str,
    pub name: &'static str,
    pub scope: &'static str,
    pub roles: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct PillarRec {
    pub id: &'static str,
    pub name: &'static str,
    pub primary: Vec<String>,
    pub shared: &'static str,
    pub boundary: String,
    pub duties: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone)]
pub struct ScenarioRec {
    pub id: String,
    pub title: String,
    pub keywords: Vec<String>,
    pub components: Vec<String>,
    pub first: String,
    pub platform_asks: String,
    pub application_asks: String,
    pub resolution: String,
    pub escalate: String,
}

#[derive(Debug, Clone)]
pub struct ScenarioFile {
    pub name: String,
    pub scenarios: Vec<ScenarioRec>,
}

#[derive(Debug, Clone)]
pub struct MatrixRec {
    pub id: &'static str,
    pub title: &'static str,
    pub parties: Vec<String>,
    pub rows: Vec<(&'static str, Vec<&'static str>)>,
}

/// A file of the data folder, named so it can be rendered again after a change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileRef {
    Settings,
    Pillars,
    Layers,
    Team(String),
    Components(usize),
    Scenarios(usize),
    Matrix(usize),
}

pub struct Org {
    pub org_name: String,
    pub review_every_days: u32,
    pub teams: BTreeMap<String, TeamRec>,
    pub comp_files: Vec<CompFile>,
    pub layers: Vec<LayerRec>,
    pub pillars: Vec<PillarRec>,
    pub scenario_files: Vec<ScenarioFile>,
    pub matrices: Vec<MatrixRec>,
    /// Teams named by layers, pillars, scenarios or matrices: never removed,
    /// so every commit stays free of dangling references.
    pub(super) pinned_teams: BTreeSet<String>,
    /// Components named by scenarios: never removed, for the same reason.
    pub(super) pinned_comps: HashSet<String>,
    /// Ids ever used, so a removed team's id is not reused (history stays unambiguous).
    pub(super) used_team_ids: HashSet<String>,
    pub(super) used_comp_ids: HashSet<String>,
    /// Base id -> the first numeric suffix that may still be free, so a
    /// fresh id costs one lookup, not one per earlier namesake (at 200,000
    /// components a base is shared by hundreds).
    next_comp_suffix: HashMap<String, usize>,
    next_team_suffix: HashMap<String, usize>,
    /// Kind -> its teams' ids in id order (what `teams` filtered by kind
    /// gives), kept in step by `insert_team` and `remove_team`.
    by_kind: HashMap<&'static str, Vec<String>>,
    pub(super) people: Vec<String>,
    pub(super) slug: String,
}

impl Org {
    /// A founding organisation of about `teams` teams and `components` components.
    pub fn new(rng: &mut Rng, seed: u64, teams: usize, components: usize, today: NaiveDate) -> Org {
        let mut people = Vec::new();
        for first in FIRST_NAMES {
            for last in LAST_NAMES {
                people.push(format!("{first} {last}"));
            }
        }
        // A fixed, seeded shuffle so seeds differ in who leads what.
        for i in (1..people.len()).rev() {
            let j = rng.below(i + 1);
            people.swap(i, j);
        }
        let mut org = Org {
            org_name: format!("Synthetic Commerce {seed}"),
            review_every_days: 365,
            teams: BTreeMap::new(),
            comp_files: Vec::new(),
            layers: Vec::new(),
            pillars: Vec::new(),
            scenario_files: Vec::new(),
            matrices: Vec::new(),
            pinned_teams: BTreeSet::new(),
            pinned_comps: HashSet::new(),
            used_team_ids: HashSet::new(),
            used_comp_ids: HashSet::new(),
            next_comp_suffix: HashMap::new(),
            next_team_suffix: HashMap::new(),
            by_kind: HashMap::new(),
            people,
            slug: format!("synthetic{seed}"),
        };
        // One team of every kind first: layers and pillars name `@kind` parties.
        // A few platform teams more, since layers and pillars name several.
        for &kind in KINDS {
            org.add_new_team(rng, kind);
        }
        while org.teams.len() < teams.max(KINDS.len() + 3) {
            let kind = if org.teams_of_kind("platform").len() < 4 {
                "platform"
            } else {
                KINDS[rng.weighted(&KIND_WEIGHTS)]
            };
            org.add_new_team(rng, kind);
        }
        org.build_layers(rng);
        org.build_pillars(rng);
        org.build_matrices(rng);
        let files = components.div_ceil(COMPONENTS_PER_FILE).max(1);
        for i in 0..files {
            let area = DOMAINS[i % DOMAINS.len()];
            let name = if i < DOMAINS.len() {
                area.to_string()
            } else {
                format!("{area}-{}", i / DOMAINS.len() + 1)
            };
            org.comp_files.push(CompFile {
                name,
                area,
                comps: Vec::new(),
            });
        }
        for i in 0..components.max(1) {
            let file = i * files / components.max(1);
            let area = org.comp_files[file].area;
            let reviewed = today - chrono::Days::new(rng.between(0, 300));
            let comp = org.new_component(rng, area, reviewed);
            org.comp_files[file].comps.push(comp);
        }
        org.build_scenarios(rng, components.div_ceil(100).max(3));
        org
    }

    // ----- teams -----

    /// The ids of the teams of `kind`, in id order.
    pub fn teams_of_kind(&self, kind: &str) -> &[String] {
        self.by_kind.get(kind).map_or(&[], Vec::as_slice)
    }

    /// Adds a team (or replaces one with the same id).
    pub(super) fn insert_team(&mut self, team: TeamRec) {
        let ids = self.by_kind.entry(team.kind).or_default();
        if let Err(at) = ids.binary_search(&team.id) {
            ids.insert(at, team.id.clone());
        }
        let kind = team.kind;
        if let Some(old) = self.teams.insert(team.id.clone(), team)
            && old.kind != kind
        {
            self.unlist(old.kind, &old.id);
        }
    }

    pub(super) fn remove_team(&mut self, id: &str) -> Option<TeamRec> {
        let team = self.teams.remove(id)?;
        self.unlist(team.kind, id);
        Some(team)
    }

    fn unlist(&mut self, kind: &str, id: &str) {
        if let Some(ids) = self.by_kind.get_mut(kind)
            && let Ok(at) = ids.binary_search_by(|x| x.as_str().cmp(id))
        {
            ids.remove(at);
        }
    }

    pub fn person(&self, rng: &mut Rng) -> String {
        rng.pick(&self.people).clone()
    }

    fn fresh_team_id(&mut self, rng: &mut Rng, kind: &str) -> String {
        for attempt in 0..24 {
            let candidate = match kind {
                "platform" => format!("platform-{}", rng.pick(PLATFORM_AREAS)),
                "product" if attempt % 3 == 0 => rng.pick(DOMAINS).to_string(),
                "product" => format!("{}-{}", rng.pick(DOMAINS), rng.pick(TEAM_FACETS)),
                "operations" => rng.pick(OPERATIONS_TEAMS).to_string(),
                "security" => rng.pick(SECURITY_TEAMS).to_string(),
                "compliance" => rng.pick(COMPLIANCE_TEAMS).to_string(),
                "architecture" => rng.pick(ARCHITECTURE_TEAMS).to_string(),
                "data" => rng.pick(DATA_TEAMS).to_string(),
                "leadership" => rng.pick(LEADERSHIP_TEAMS).to_string(),
                _ => rng.pick(OTHER_TEAMS).to_string(),
            };
            // A second SRE team is "sre-eu-west-1", not "sre-2".
            let candidate = if attempt >= 12 && !matches!(kind, "platform" | "product") {
                format!("{candidate}-{}", rng.pick(REGIONS))
            } else {
                candidate
            };
            if self.used_team_ids.insert(candidate.clone()) {
                return candidate;
            }
        }
        let base = match kind {
            "platform" => format!("platform-{}", rng.pick(PLATFORM_AREAS)),
            "product" => format!("{}-{}", rng.pick(DOMAINS), rng.pick(TEAM_FACETS)),
            other => format!("{other}-team"),
        };
        fresh_suffix(&mut self.used_team_ids, &mut self.next_team_suffix, base)
    }

    pub fn new_team(&mut self, rng: &mut Rng, kind: &'static str) -> TeamRec {
        let id = self.fresh_team_id(rng, kind);
        let name = match kind {
            "platform" => format!("{} Platform", title(id.trim_start_matches("platform-"))),
            _ => title(&id),
        };
        let description = match kind {
            "platform" => format!(
                "Runs the {} platform the product teams build on",
                id.trim_start_matches("platform-")
            ),
            "product" => format!("Builds and runs the {} product", id.replace('-', " ")),
            "operations" => "Incident command, alert routing and SLO reporting".to_string(),
            "security" => "Security engineering: guardrails, reviews and detection".to_string(),
            "compliance" => "Audit scope, evidence and control requirements".to_string(),
            "architecture" => "Technical direction and design reviews".to_string(),
            "data" => "Data pipelines, models and reporting".to_string(),
            "leadership" => "Roadmaps, priorities and the org's agreements".to_string(),
            _ => "Shared services for the engineering organisation".to_string(),
        };
        let lead = self.person(rng);
        let mut members = vec![lead.clone()];
        for _ in 0..rng.between(2, 7) {
            let p = self.person(rng);
            if !members.contains(&p) {
                members.push(p);
            }
        }
        let oncall_chance = match kind {
            "platform" | "operations" => 0.97,
            "security" => 0.8,
            "product" => 0.65,
            "data" => 0.6,
            _ => 0.1,
        };
        let oncall = rng.chance(oncall_chance).then(|| self.new_oncall(rng, &id));
        TeamRec {
            id,
            name,
            kind,
            description,
            lead,
            members,
            oncall,
        }
    }

    pub fn new_oncall(&self, rng: &mut Rng, team: &str) -> OnCallRec {
        OnCallRec {
            rotation: format!("{team}-primary"),
            pager: pager_handle(rng),
            hours: rng.pick(HOURS).to_string(),
            escalation: vec![
                format!("{team}-secondary"),
                format!("head-of-{}", rng.pick(PLATFORM_AREAS)),
            ],
        }
    }

    fn add_new_team(&mut self, rng: &mut Rng, kind: &'static str) -> String {
        let team = self.new_team(rng, kind);
        let id = team.id.clone();
        self.insert_team(team);
        id
    }

    pub fn has_rotation(&self, team: &str) -> bool {
        self.teams.get(team).is_some_and(|t| t.oncall.is_some())
    }

    /// A team to own a component of `layer`.
    pub fn owner_for(&self, rng: &mut Rng, layer: &str) -> String {
        let kind = match layer {
            "application" if rng.chance(0.9) => "product",
            "application" => "data",
            "service" if rng.chance(0.8) => "platform",
            "service" => "data",
            "cloud-foundation" if rng.chance(0.15) => "security",
            _ => "platform",
        };
        let candidates = self.teams_of_kind(kind);
        if candidates.is_empty() {
            return self.teams.keys().next().cloned().unwrap_or_default();
        }
        rng.pick(candidates).clone()
    }

    // ----- components -----

    fn fresh_comp_id(&mut self, base: String) -> String {
        if self.used_comp_ids.insert(base.clone()) {
            return base;
        }
        fresh_suffix(&mut self.used_comp_ids, &mut self.next_comp_suffix, base)
    }

    pub fn new_component(
        &mut self,
        rng: &mut Rng,
        area: &'static str,
        reviewed: NaiveDate,
    ) -> CompRec {
        let layer = LAYERS[rng.weighted(&LAYER_WEIGHTS)];
        let domain = if rng.chance(0.7) {
            area
        } else {
            rng.pick(DOMAINS)
        };
        let base = match layer {
            "application" => format!("{domain}-{}", rng.pick(APP_PARTS)),
            "service" => format!("{domain}-{}", rng.pick(SERVICE_TECH)),
            "orchestration" => format!(
                "k8s-{}-{}",
                rng.pick(REGIONS),
                rng.pick(ORCHESTRATION_PARTS)
            ),
            _ => format!("{}-{}", rng.pick(REGIONS), rng.pick(FOUNDATION_PARTS)),
        };
        let id = self.fresh_comp_id(base);
        let pillar = match layer {
            "application" => *rng.pick(&[
                "release-management",
                "developer-experience",
                "observability",
            ]),
            "service" => *rng.pick(&["infrastructure", "observability", "automation"]),
            "orchestration" => *rng.pick(&["infrastructure", "automation"]),
            _ => *rng.pick(&["infrastructure", "security-compliance"]),
        };
        let owner = self.owner_for(rng, layer);
        let tier = self.tier_for(rng, &owner);
        let products = self.teams_of_kind("product");
        let wanted = match layer {
            "application" if rng.chance(0.3) => rng_count(rng, 1, 2),
            "service" => rng_count(rng, 1, 4),
            "cloud-foundation" if rng.chance(0.3) => 1,
            _ => 0,
        };
        let consumers: Vec<String> = match wanted {
            0 => Vec::new(),
            n => rng.sample(products, n),
        }
        .into_iter()
        .filter(|c| *c != owner)
        .collect();
        let tag_count = rng_count(rng, 0, 2);
        let mut tags: Vec<String> = rng
            .sample(TAGS, tag_count)
            .into_iter()
            .map(String::from)
            .collect();
        if let Some(tech) = id.split('-').nth(1)
            && layer == "service"
        {
            tags.insert(0, tech.to_string());
        }
        let duties = if rng.chance(0.6) {
            self.duties_for(rng, layer, &owner, !consumers.is_empty())
        } else {
            Vec::new()
        };
        CompRec {
            name: title(&id),
            runbook: rng
                .chance(0.8)
                .then(|| format!("https://runbooks.{}.example/{id}", self.slug)),
            id,
            layer,
            pillar,
            owner,
            tier,
            consumers,
            tags,
            reviewed: rng.chance(0.9).then_some(reviewed),
            duties,
            stale: rng.chance(0.03),
        }
    }

    /// Critical tiers go to teams someone can page, with the odd exception
    /// `check` warns about, as in a real repository.
    pub fn tier_for(&self, rng: &mut Rng, owner: &str) -> Option<u8> {
        if rng.chance(0.15) {
            return None;
        }
        if self.has_rotation(owner) || rng.chance(0.01) {
            Some([1, 2, 3, 4][rng.weighted(&[10, 25, 40, 25])])
        } else {
            Some(rng.between(3, 4) as u8)
        }
    }

    fn duties_for(
        &self,
        rng: &mut Rng,
        layer: &str,
        owner: &str,
        has_consumers: bool,
    ) -> Vec<DutyRec> {
        let words = |rng: &mut Rng, list: &[&str], lo: usize, hi: usize| -> Vec<String> {
            let n = rng_count(rng, lo, hi);
            rng.sample(list, n).into_iter().map(String::from).collect()
        };
        let mut duties = Vec::new();
        let (own, other_party, other): (&[&str], Option<&str>, &[&str]) = match layer {
            "application" => (
                APP_DUTIES,
                rng.chance(0.3).then_some("@platform"),
                APP_PLATFORM_DUTIES,
            ),
            "service" => (
                SERVICE_DUTIES,
                has_consumers.then_some("@consumers"),
                SERVICE_CONSUMER_DUTIES,
            ),
            "orchestration" => (
                ORCHESTRATION_DUTIES,
                Some("@product"),
                ORCHESTRATION_TEAM_DUTIES,
            ),
            _ => (
                FOUNDATION_DUTIES,
                rng.chance(0.3).then_some("@security"),
                SECURITY_DUTIES,
            ),
        };
        duties.push(DutyRec {
            party: owner.to_string(),
            covers: words(rng, own, 2, 4),
        });
        if let Some(party) = other_party {
            let mut covers = words(rng, other, 1, 3);
            // Now and then two parties claim the same duty: the gap `check` finds.
            if rng.chance(0.005) {
                covers.push(duties[0].covers[0].clone());
            }
            duties.push(DutyRec {
                party: party.to_string(),
                covers,
            });
        }
        duties
    }

    pub fn component_count(&self) -> usize {
        self.comp_files.iter().map(|f| f.comps.len()).sum()
    }

    /// A random component: (file index, index in file).
    pub fn pick_component(&self, rng: &mut Rng) -> Option<(usize, usize)> {
        for _ in 0..16 {
            let f = rng.below(self.comp_files.len());
            let n = self.comp_files[f].comps.len();
            if n > 0 {
                return Some((f, rng.below(n)));
            }
        }
        None
    }

    // ----- layers, pillars, matrices, scenarios -----

    /// A platform team to name in a shared file; it becomes pinned.
    pub(super) fn pin_platform_team(&mut self, rng: &mut Rng) -> String {
        let platform = self.teams_of_kind("platform");
        let team = rng.pick(platform).clone();
        self.pinned_teams.insert(team.clone());
        team
    }

    fn pin_team_of_kind(&mut self, rng: &mut Rng, kind: &str) -> String {
        let teams = self.teams_of_kind(kind);
        let team = rng.pick(teams).clone();
        self.pinned_teams.insert(team.clone());
        team
    }

    fn build_layers(&mut self, rng: &mut Rng) {
        let devex = self.pin_platform_team(rng);
        let mut service: Vec<(String, String)> = Vec::new();
        for _ in 0..3 {
            let t = self.pin_platform_team(rng);
            if !service.iter().any(|(p, _)| *p == t) {
                service.push((t, "shares".into()));
            }
        }
        service.extend([
            ("@product".into(), "configures".into()),
            ("@operations".into(), "supports".into()),
            ("@security".into(), "reviews".into()),
        ]);
        let orchestration = self.pin_platform_team(rng);
        let foundation = self.pin_platform_team(rng);
        self.layers = vec![
            LayerRec {
                id: "application",
                name: "Application",
                scope: "Application code, containers, manifests, configs and feature flags",
                roles: vec![
                    ("@product".into(), "owns".into()),
                    (devex, "supports".into()),
                    ("@security".into(), "reviews".into()),
                    ("@operations".into(), "informs".into()),
                ],
            },
            LayerRec {
                id: "service",
                name: "Service",
                scope: "Shared services: data stores, queues, mesh, CI/CD and observability",
                roles: service,
            },
            LayerRec {
                id: "orchestration",
                name: "Orchestration",
                scope: "K8s control planes, upgrades, node pools, ingress",
                roles: vec![
                    (orchestration, "owns".into()),
                    ("@operations".into(), "supports".into()),
                    ("@product".into(), "consumes".into()),
                ],
            },
            LayerRec {
                id: "cloud-foundation",
                name: "Cloud foundation",
                scope: "Accounts, networks, IAM, keys and guardrails",
                roles: vec![
                    (foundation, "owns".into()),
                    ("@security".into(), "approves".into()),
                    ("@product".into(), "informs".into()),
                ],
            },
        ];
    }

    fn build_pillars(&mut self, rng: &mut Rng) {
        type PillarText = (
            &'static str,
            &'static str,
            &'static str,
            &'static str,
            &'static [&'static str],
            &'static [&'static str],
        );
        const PILLARS: [PillarText; 6] = [
            (
                "infrastructure",
                "Infrastructure",
                "App teams help with capacity planning",
                "Infrastructure API",
                &["Automate provisioning", "Manage capacity", "Watch costs"],
                &["Request resources", "Set scaling configs"],
            ),
            (
                "developer-experience",
                "Developer Experience",
                "App developer feedback",
                "Self-service interface",
                &["Pick tools", "Write docs", "Onboard users"],
                &["Use tools", "Give feedback"],
            ),
            (
                "security-compliance",
                "Security & Compliance",
                "Security reviews of app changes",
                "Policy as code",
                &["Set guardrails", "Scan images", "Run audits"],
                &["Fix findings", "Keep secrets out of code"],
            ),
            (
                "observability",
                "Observability",
                "Teams define their SLOs",
                "Telemetry pipeline",
                &["Run the telemetry stack", "Route alerts"],
                &["Instrument code", "Own dashboards"],
            ),
            (
                "automation",
                "Automation",
                "Shared runbooks",
                "Automation API",
                &["Build self-service workflows", "Maintain IaC modules"],
                &["Automate their toil"],
            ),
            (
                "release-management",
                "Release Management",
                "Release calendar",
                "Deployment pipeline",
                &["Run CI/CD", "Gate releases"],
                &["Ship changes", "Own rollbacks"],
            ),
        ];
        for (id, name, shared, boundary, platform_duties, product_duties) in PILLARS {
            let first = if id == "security-compliance" {
                self.pin_team_of_kind(rng, "security")
            } else {
                self.pin_platform_team(rng)
            };
            let mut primary = vec![first.clone()];
            if rng.chance(0.4) {
                let second = self.pin_platform_team(rng);
                if second != first {
                    primary.push(second);
                }
            }
            self.pillars.push(PillarRec {
                id,
                name,
                primary,
                shared,
                boundary: boundary.to_string(),
                duties: vec![
                    (
                        first,
                        platform_duties.iter().map(|s| s.to_string()).collect(),
                    ),
                    (
                        "@product".into(),
                        product_duties.iter().map(|s| s.to_string()).collect(),
                    ),
                ],
            });
        }
    }

    fn build_matrices(&mut self, rng: &mut Rng) {
        let leadership = self.pin_team_of_kind(rng, "leadership");
        let ops = self.pin_team_of_kind(rng, "operations");
        let infra = self.pin_platform_team(rng);
        let mut data = self.pin_platform_team(rng);
        if data == infra {
            data = "@platform".to_string();
        }
        self.matrices = vec![
            MatrixRec {
                id: "collaboration",
                title: "Cross-team collaboration",
                parties: vec!["@platform".into(), leadership.clone(), "@product".into()],
                rows: vec![
                    (
                        "Define integration standards",
                        vec!["owns", "consults", "informs"],
                    ),
                    (
                        "Plan the platform roadmap",
                        vec!["shares", "owns", "consults"],
                    ),
                    ("Adopt golden paths", vec!["supports", "informs", "owns"]),
                ],
            },
            MatrixRec {
                id: "incident-raci",
                title: "Incident response (RACI)",
                parties: vec![ops, infra, data, "@product".into(), leadership],
                rows: vec![
                    ("Declare and command a SEV1", vec!["A", "C", "C", "C", "I"]),
                    ("Restore a platform service", vec!["A", "R", "R", "I", "I"]),
                    (
                        "Restore an application service",
                        vec!["C", "C", "C", "A", "I"],
                    ),
                    ("Write the postmortem", vec!["C", "R", "R", "R", "A"]),
                ],
            },
        ];
    }

    fn build_scenarios(&mut self, rng: &mut Rng, count: usize) {
        let files = count.div_ceil(SCENARIOS_PER_FILE);
        for i in 0..files {
            let name = if i < DOMAINS.len() {
                DOMAINS[i].to_string()
            } else {
                format!("{}-{}", DOMAINS[i % DOMAINS.len()], i / DOMAINS.len() + 1)
            };
            self.scenario_files.push(ScenarioFile {
                name,
                scenarios: Vec::new(),
            });
        }
        let mut ids = HashSet::new();
        for i in 0..count {
            let Some((f, c)) = self.pick_component(rng) else {
                return;
            };
            let comp = self.comp_files[f].comps[c].clone();
            let (problem, problem_title) = *rng.pick(PROBLEMS);
            let id = format!("{}-{problem}", comp.id);
            if !ids.insert(id.clone()) {
                continue;
            }
            self.pinned_comps.insert(comp.id.clone());
            self.pinned_teams.insert(comp.owner.clone());
            let first = if comp.consumers.is_empty() {
                comp.owner.clone()
            } else {
                "@consumers".to_string()
            };
            let mut keywords = vec![problem.replace('-', " "), comp.id.clone()];
            keywords.extend(comp.tags.iter().take(2).cloned());
            self.scenario_files[i * files / count]
                .scenarios
                .push(ScenarioRec {
                    title: format!("{problem_title}: {}", comp.name),
                    keywords,
                    components: vec![comp.id.clone()],
                    first,
                    platform_asks: format!("Is {} healthy and within its capacity?", comp.name),
                    application_asks: "Did the platform change something under us?".to_string(),
                    resolution: rng.pick(RESOLUTIONS).to_string(),
                    escalate: comp.owner.clone(),
                    id,
                });
        }
    }

    /// Every file of the data folder, for the founding commit.
    pub fn all_files(&self) -> Vec<FileRef> {
        let mut files = vec![FileRef::Settings, FileRef::Pillars, FileRef::Layers];
        files.extend(self.teams.keys().map(|id| FileRef::Team(id.clone())));
        files.extend((0..self.comp_files.len()).map(FileRef::Components));
        files.extend((0..self.scenario_files.len()).map(FileRef::Scenarios));
        files.extend((0..self.matrices.len()).map(FileRef::Matrix));
        files
    }

    /// The file's path relative to the data folder.
    pub fn path_of(&self, file: &FileRef) -> String {
        match file {
            FileRef::Settings => "demarc.toml".into(),
            FileRef::Pillars => "pillars.toml".into(),
            FileRef::Layers => "layers.toml".into(),
            FileRef::Team(id) => format!("teams/{id}.toml"),
            FileRef::Components(i) => format!("components/{}.toml", self.comp_files[*i].name),
            FileRef::Scenarios(i) => format!("scenarios/{}.toml", self.scenario_files[*i].name),
            FileRef::Matrix(i) => format!("matrices/{}.toml", self.matrices[*i].id),
        }
    }
}

/// A number of items in `lo..=hi`.
/// `base-N` for the smallest N from 2 not in `used` (and marks it used).
/// Ids are never freed, so every N below the last one found for a base is
/// still taken: the search resumes there.
fn fresh_suffix(
    used: &mut HashSet<String>,
    next: &mut HashMap<String, usize>,
    base: String,
) -> String {
    let start = next.get(&base).copied().unwrap_or(2);
    for n in start.. {
        let id = format!("{base}-{n}");
        if used.insert(id.clone()) {
            next.insert(base, n + 1);
            return id;
        }
    }
    unreachable!("an unbounded range ends only by returning")
}

pub fn rng_count(rng: &mut Rng, lo: usize, hi: usize) -> usize {
    rng.between(lo as u64, hi as u64) as usize
}

fn pager_handle(rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    let code: String = (0..6)
        .map(|_| ALPHABET[rng.below(ALPHABET.len())] as char)
        .collect();
    format!("pagerduty:P{code}")
}
