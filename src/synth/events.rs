//! The boundary changes history is made of: owners move, duties move,
//! on-call changes, teams come and go. Each keeps the data valid (no
//! dangling reference), so only the deliberate broken commits fail `check`.

use super::names::*;
use super::org::*;
use super::rng::Rng;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// One data commit: its message and the files it rewrote.
#[derive(Debug, Clone)]
pub struct Change {
    pub message: String,
    pub touched: BTreeSet<FileRef>,
}

impl Change {
    fn new(message: String, touched: impl IntoIterator<Item = FileRef>) -> Change {
        Change {
            message,
            touched: touched.into_iter().collect(),
        }
    }
}

#[derive(Clone, Copy)]
enum Event {
    OwnerMove,
    DutyMove,
    OnCall,
    ComponentAdd,
    ComponentRemove,
    TeamAdd,
    TeamRemove,
    Tier,
    Consumers,
    LayerRole,
    Pillar,
    ScenarioResolution,
}

/// How often each event happens among data commits.
const EVENTS: [(Event, u32); 12] = [
    (Event::OwnerMove, 30),
    (Event::DutyMove, 20),
    (Event::OnCall, 15),
    (Event::ComponentAdd, 8),
    (Event::ComponentRemove, 5),
    (Event::TeamAdd, 3),
    (Event::TeamRemove, 3),
    (Event::Tier, 5),
    (Event::Consumers, 6),
    (Event::LayerRole, 1),
    (Event::Pillar, 1),
    (Event::ScenarioResolution, 2),
];

impl Org {
    /// One random boundary change, dated `today`.
    pub fn mutate(&mut self, rng: &mut Rng, today: NaiveDate) -> Change {
        let weights: Vec<u32> = EVENTS.iter().map(|(_, w)| *w).collect();
        loop {
            let change = match EVENTS[rng.weighted(&weights)].0 {
                Event::OwnerMove => self.owner_move(rng, today),
                Event::DutyMove => self.duty_move(rng, today),
                Event::OnCall => self.oncall_change(rng),
                Event::ComponentAdd => self.component_add(rng, today),
                Event::ComponentRemove => self.component_remove(rng),
                Event::TeamAdd => self.team_add(rng, today),
                Event::TeamRemove => self.team_remove(rng),
                Event::Tier => self.tier_change(rng),
                Event::Consumers => self.consumers_change(rng),
                Event::LayerRole => self.layer_role_change(rng),
                Event::Pillar => self.pillar_change(rng),
                Event::ScenarioResolution => self.scenario_change(rng),
            };
            // Some events do not apply to every state (no removable team, say).
            if let Some(change) = change {
                return change;
            }
        }
    }

    /// The quarterly review: every component of a quarter of the files gets
    /// today's date, except the few everyone forgets.
    pub fn review_pass(&mut self, quarter: usize, today: NaiveDate) -> Change {
        let mut touched = Vec::new();
        let mut count = 0;
        let groups = self.comp_files.len().min(4);
        for (i, file) in self.comp_files.iter_mut().enumerate() {
            if i % groups != quarter % groups {
                continue;
            }
            for c in file.comps.iter_mut().filter(|c| !c.stale) {
                c.reviewed = Some(today);
                count += 1;
            }
            touched.push(FileRef::Components(i));
        }
        Change::new(
            format!(
                "Quarterly ownership review ({})\n\n{count} components confirmed with their owners on {today}.",
                match touched.len() {
                    1 => "1 file".to_string(),
                    n => format!("{n} files"),
                }
            ),
            touched,
        )
    }

    fn owner_move(&mut self, rng: &mut Rng, today: NaiveDate) -> Option<Change> {
        let (f, i) = self.pick_component(rng)?;
        let layer = self.comp_files[f].comps[i].layer;
        let new_owner = self.owner_for(rng, layer);
        let c = &mut self.comp_files[f].comps[i];
        if new_owner == c.owner {
            return None;
        }
        let old = std::mem::replace(&mut c.owner, new_owner.clone());
        c.reviewed = Some(today);
        c.consumers.retain(|x| *x != new_owner);
        for d in c.duties.iter_mut().filter(|d| d.party == old) {
            d.party = new_owner.clone();
        }
        fold_consumer_duties_if_no_consumers(c);
        let message = format!(
            "Move {} to {new_owner}\n\n{old} hands {} over to {new_owner}, agreed in the ownership review.",
            c.id, c.name
        );
        Some(Change::new(message, [FileRef::Components(f)]))
    }

    fn duty_move(&mut self, rng: &mut Rng, today: NaiveDate) -> Option<Change> {
        let (f, i) = self.pick_component(rng)?;
        let c = &mut self.comp_files[f].comps[i];
        if c.duties.is_empty() {
            return None;
        }
        let from = rng.below(c.duties.len());
        let mut parties: Vec<String> =
            vec![c.owner.clone(), "@platform".into(), "@operations".into()];
        if !c.consumers.is_empty() {
            parties.push("@consumers".into());
        }
        let to_party = rng.pick(&parties).clone();
        if to_party == c.duties[from].party {
            return None;
        }
        let w = rng.below(c.duties[from].covers.len());
        let word = c.duties[from].covers.remove(w);
        let from_party = c.duties[from].party.clone();
        if c.duties[from].covers.is_empty() {
            c.duties.remove(from);
        }
        match c.duties.iter_mut().find(|d| d.party == to_party) {
            Some(d) if !d.covers.contains(&word) => d.covers.push(word.clone()),
            Some(_) => {}
            None => c.duties.push(DutyRec {
                party: to_party.clone(),
                covers: vec![word.clone()],
            }),
        }
        c.reviewed = Some(today);
        let message = format!("{}: \"{word}\" moves from {from_party} to {to_party}", c.id);
        Some(Change::new(message, [FileRef::Components(f)]))
    }

    fn oncall_change(&mut self, rng: &mut Rng) -> Option<Change> {
        let ids: Vec<String> = self.teams.keys().cloned().collect();
        let id = rng.pick(&ids).clone();
        let fresh = self.new_oncall(rng, &id);
        let team = self.teams.get_mut(&id)?;
        let message = match &mut team.oncall {
            None => {
                let msg = format!("{id} joins on-call ({})", fresh.hours);
                team.oncall = Some(fresh);
                msg
            }
            Some(o) => match rng.below(3) {
                0 if o.hours != fresh.hours => {
                    o.hours = fresh.hours;
                    format!("{id}: on-call hours now {}", o.hours)
                }
                1 => {
                    o.escalation = fresh.escalation;
                    format!("{id}: escalate to {}", o.escalation.join(", then "))
                }
                _ => {
                    o.pager = fresh.pager;
                    format!("{id}: new pager service {}", o.pager)
                }
            },
        };
        Some(Change::new(message, [FileRef::Team(id)]))
    }

    fn component_add(&mut self, rng: &mut Rng, today: NaiveDate) -> Option<Change> {
        let f = rng.below(self.comp_files.len());
        let area = self.comp_files[f].area;
        let comp = self.new_component(rng, area, today);
        let message = format!("Add {} ({}, owned by {})", comp.id, comp.layer, comp.owner);
        self.comp_files[f].comps.push(comp);
        Some(Change::new(message, [FileRef::Components(f)]))
    }

    fn component_remove(&mut self, rng: &mut Rng) -> Option<Change> {
        let (f, i) = self.pick_component(rng)?;
        if self.pinned_comps.contains(&self.comp_files[f].comps[i].id)
            || self.component_count() < 20
        {
            return None;
        }
        let c = self.comp_files[f].comps.remove(i);
        Some(Change::new(
            format!("Retire {}\n\nDecommissioned by {}.", c.id, c.owner),
            [FileRef::Components(f)],
        ))
    }

    fn team_add(&mut self, rng: &mut Rng, today: NaiveDate) -> Option<Change> {
        let kind = KINDS[rng.weighted(&KIND_WEIGHTS)];
        let team = self.new_team(rng, kind);
        let id = team.id.clone();
        self.insert_team(team);
        let mut touched = vec![FileRef::Team(id.clone())];
        let mut taken = Vec::new();
        // A new product or platform team takes over a few components.
        if matches!(kind, "product" | "platform") {
            for _ in 0..rng.between(0, 5) {
                let Some((f, i)) = self.pick_component(rng) else {
                    break;
                };
                let c = &mut self.comp_files[f].comps[i];
                let fits = (kind == "product") == (c.layer == "application");
                if !fits || taken.contains(&c.id) {
                    continue;
                }
                let old = std::mem::replace(&mut c.owner, id.clone());
                for d in c.duties.iter_mut().filter(|d| d.party == old) {
                    d.party = id.clone();
                }
                c.consumers.retain(|x| *x != id);
                fold_consumer_duties_if_no_consumers(c);
                c.reviewed = Some(today);
                taken.push(c.id.clone());
                touched.push(FileRef::Components(f));
            }
        }
        let mut message = format!("Onboard team {id} ({kind})");
        if !taken.is_empty() {
            message.push_str(&format!("\n\nIt takes over {}.", taken.join(", ")));
        }
        Some(Change::new(message, touched))
    }

    fn team_remove(&mut self, rng: &mut Rng) -> Option<Change> {
        let ids: Vec<String> = self.teams.keys().cloned().collect();
        let id = rng.pick(&ids).clone();
        let kind = self.teams[&id].kind;
        let peers: Vec<String> = self
            .teams_of_kind(kind)
            .iter()
            .filter(|t| **t != id)
            .cloned()
            .collect();
        if self.pinned_teams.contains(&id)
            || peers.is_empty()
            || self.teams.len() <= KINDS.len() + 3
        {
            return None;
        }
        let successor = rng.pick(&peers).clone();
        self.remove_team(&id);
        let mut touched = vec![FileRef::Team(id.clone())];
        let mut moved = 0;
        for (f, file) in self.comp_files.iter_mut().enumerate() {
            let mut changed = false;
            for c in file.comps.iter_mut() {
                if c.owner == id {
                    c.owner = successor.clone();
                    moved += 1;
                    changed = true;
                }
                if c.consumers.contains(&id) {
                    c.consumers.retain(|x| *x != id);
                    if !c.consumers.contains(&successor) && c.owner != successor {
                        c.consumers.push(successor.clone());
                    }
                    changed = true;
                }
                if c.duties.iter().any(|d| d.party == id) {
                    merge_duties_into(c, &id, &successor);
                    changed = true;
                }
                if changed {
                    c.consumers.retain(|x| *x != c.owner);
                    fold_consumer_duties_if_no_consumers(c);
                }
            }
            if changed {
                touched.push(FileRef::Components(f));
            }
        }
        let message = format!(
            "Retire team {id}\n\n{successor} takes over its {moved} components and its duties."
        );
        Some(Change::new(message, touched))
    }

    fn tier_change(&mut self, rng: &mut Rng) -> Option<Change> {
        let (f, i) = self.pick_component(rng)?;
        let owner = self.comp_files[f].comps[i].owner.clone();
        let tier = self.tier_for(rng, &owner)?;
        let c = &mut self.comp_files[f].comps[i];
        if c.tier == Some(tier) {
            return None;
        }
        let message = match c.tier.replace(tier) {
            Some(old) => format!("{}: tier {old} -> {tier}", c.id),
            None => format!("{}: classify as tier {tier}", c.id),
        };
        Some(Change::new(message, [FileRef::Components(f)]))
    }

    fn consumers_change(&mut self, rng: &mut Rng) -> Option<Change> {
        let (f, i) = self.pick_component(rng)?;
        let products = self.teams_of_kind("product").to_vec();
        let c = &mut self.comp_files[f].comps[i];
        let has_consumer_duty = c.duties.iter().any(|d| d.party == "@consumers");
        let message = if !c.consumers.is_empty()
            && rng.chance(0.4)
            && (c.consumers.len() > 1 || !has_consumer_duty)
        {
            let gone = c.consumers.remove(rng.below(c.consumers.len()));
            format!("{}: {gone} no longer uses it", c.id)
        } else {
            let team = rng.pick(&products).clone();
            if c.consumers.contains(&team) || c.owner == team {
                return None;
            }
            c.consumers.push(team.clone());
            format!("{}: {team} starts using it", c.id)
        };
        Some(Change::new(message, [FileRef::Components(f)]))
    }

    fn layer_role_change(&mut self, rng: &mut Rng) -> Option<Change> {
        let l = rng.below(self.layers.len());
        let role = rng.pick(LAYER_ROLES).to_string();
        let message = if rng.chance(0.5) {
            let team = self.pin_platform_team(rng);
            let layer = &mut self.layers[l];
            match layer.roles.iter_mut().find(|(p, _)| *p == team) {
                Some((_, r)) if *r == role => return None,
                Some((_, r)) => *r = role.clone(),
                None => layer.roles.push((team.clone(), role.clone())),
            }
            format!("{} layer: {team} now {role}", layer.id)
        } else {
            let layer = &mut self.layers[l];
            let entry = rng.below(layer.roles.len());
            let (party, r) = &mut layer.roles[entry];
            if *r == role {
                return None;
            }
            *r = role.clone();
            format!("{} layer: {party} now {role}", layer.id)
        };
        Some(Change::new(message, [FileRef::Layers]))
    }

    fn pillar_change(&mut self, rng: &mut Rng) -> Option<Change> {
        let p = rng.below(self.pillars.len());
        let message = if rng.chance(0.5) {
            let team = self.pin_platform_team(rng);
            let pillar = &mut self.pillars[p];
            if pillar.primary.contains(&team) {
                return None;
            }
            if pillar.primary.len() > 1 {
                pillar.primary.remove(0);
            }
            pillar.primary.push(team.clone());
            format!(
                "{} pillar: primary now {}",
                pillar.id,
                pillar.primary.join(" and ")
            )
        } else {
            let pillar = &mut self.pillars[p];
            pillar.boundary = format!(
                "{} v{}",
                pillar.boundary.split(" v").next().unwrap_or(""),
                rng.between(2, 9)
            );
            format!(
                "{} pillar: boundary is now the {}",
                pillar.id, pillar.boundary
            )
        };
        Some(Change::new(message, [FileRef::Pillars]))
    }

    fn scenario_change(&mut self, rng: &mut Rng) -> Option<Change> {
        let f = rng.below(self.scenario_files.len());
        let file = &mut self.scenario_files[f];
        if file.scenarios.is_empty() {
            return None;
        }
        let s = rng.below(file.scenarios.len());
        let resolution = rng.pick(RESOLUTIONS).to_string();
        let scenario = &mut file.scenarios[s];
        if scenario.resolution == resolution {
            return None;
        }
        scenario.resolution = resolution;
        let message = format!(
            "Playbook {}: new resolution after the last incident",
            scenario.id
        );
        Some(Change::new(message, [FileRef::Scenarios(f)]))
    }
}

/// With no consumers left, `@consumers` duties would name nobody: the owner takes them.
fn fold_consumer_duties_if_no_consumers(c: &mut CompRec) {
    if c.consumers.is_empty() && c.duties.iter().any(|d| d.party == "@consumers") {
        let owner = c.owner.clone();
        merge_duties_into(c, "@consumers", &owner);
    }
}

/// Gives `from`'s duty words to `to`, keeping one duty per party.
fn merge_duties_into(c: &mut CompRec, from: &str, to: &str) {
    let mut words = Vec::new();
    c.duties.retain(|d| {
        if d.party == from {
            words.extend(d.covers.iter().cloned());
            false
        } else {
            true
        }
    });
    match c.duties.iter_mut().find(|d| d.party == to) {
        Some(d) => {
            for w in words {
                if !d.covers.contains(&w) {
                    d.covers.push(w);
                }
            }
        }
        None => c.duties.push(DutyRec {
            party: to.to_string(),
            covers: words,
        }),
    }
}
