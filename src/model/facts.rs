//! Indexes over one version of the model, built once per load so that no
//! frame scans every component per team or per cell: on a repository of
//! 20,000 components and 400 teams the naive scans cost tens of
//! milliseconds a frame.
//!
//! Every index is linear in the data. A duty given to `@kind` is stored
//! once for its kind, not once per team of that kind: at 200,000
//! components and a few thousand teams the per-team copies took 7 s and
//! 1.2 GB. A team's shared duties are its own list plus its kind's,
//! resolved when asked (`Facts::shared`).

use crate::model::{Model, Party};
use std::collections::HashMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// (team, layer) -> indices of the components the team owns there.
    /// Keyed by team then layer, so a lookup allocates nothing (the layer
    /// matrix asks once per cell).
    owned_in_layer: HashMap<String, HashMap<String, Vec<usize>>>,
    /// team -> indices of the components it owns.
    owned: HashMap<String, Vec<usize>>,
    /// team -> (component, duty) indices of duties that name it, or its
    /// place among the consumers, in components others own.
    shared_direct: HashMap<String, Vec<(usize, usize)>>,
    /// kind -> the duties given to `@kind`, once for all its teams.
    shared_by_kind: HashMap<String, KindDuties>,
    /// team id -> its kind, once per team with that id (a duplicate id
    /// counts twice, as it did when duties were copied per team).
    team_kinds: HashMap<String, Vec<String>>,
    /// component id -> index.
    component_index: HashMap<String, usize>,
    /// team -> indices of the components that list it among their
    /// consumers (once each), in model order.
    consumes: HashMap<String, Vec<usize>>,
    /// Layer-matrix cells (one team, one layer) that are boundary violations.
    pub violations: usize,
    /// The commit HEAD pointed at when this version was read (set by the
    /// loader): when it moves, the history walk starts again.
    pub head: Option<String>,
    /// Set by the loader when this version's `check` findings are still
    /// to come (`Event::Checked`): the data is shown before them.
    pub checking: bool,
    /// The ids the files that did not load would have defined (set by the
    /// loader, which still has their text).
    pub unloaded: crate::model::Unloaded,
    /// The repository's CODEOWNERS checked against this model, when it has
    /// one (read by the loader with the model, never on the UI thread).
    pub codeowners: Option<std::sync::Arc<crate::codeowners::Report>>,
    /// What the dashboard's first visit of a view would otherwise compute
    /// on the UI thread, prepared by the loader (none elsewhere).
    pub prepared: Prepared,
}

/// Views of this model prepared off the UI thread by the dashboard's
/// loader: at 200,000 components sorting the Components table and
/// measuring its cells took over a second.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prepared {
    /// The Components table's rows as it first shows them (every
    /// component, sorted by id), as indices into the model's components.
    pub component_order: Option<std::sync::Arc<Vec<usize>>>,
    /// The widest cell of each column of that table.
    pub component_widths: Option<[usize; 6]>,
    /// What each column of the layer matrix (one per team, as it first
    /// shows) asks for: measuring a cell per team and layer took ~100 ms
    /// at 4,000 teams.
    pub layer_wants: Option<std::sync::Arc<Vec<usize>>>,
    /// Per pillar (by index), its components grouped by owner, as the
    /// Pillars tab lists them (`app::tabs::pillars::owner_groups`).
    pub pillar_groups: Option<std::sync::Arc<Vec<Vec<Vec<usize>>>>>,
    /// Per pillar, the widest component id of its list as drawn.
    pub pillar_id_widths: Option<std::sync::Arc<Vec<usize>>>,
}

/// The duties given to one `@kind`, with their components' owners: an
/// owner does not share a duty in its own component.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct KindDuties {
    /// (component, duty) in model order.
    duties: Vec<(usize, usize)>,
    /// The owner of each entry of `duties`.
    owners: Vec<String>,
    /// owner -> how many of `duties` are in its own components.
    own: HashMap<String, usize>,
}

const NONE: &[usize] = &[];

/// One of the sorted lists `Shared::first` merges.
type Sorted<'a> = std::iter::Peekable<Box<dyn Iterator<Item = (usize, usize)> + 'a>>;

/// The duties a team holds in components others own, in model order:
/// its own list and its kind's, merged when read.
#[derive(Debug, Clone, Copy)]
pub struct Shared<'a> {
    team: &'a str,
    direct: &'a [(usize, usize)],
    facts: &'a Facts,
    kinds: &'a [String],
}

impl Shared<'_> {
    /// How many, without listing them.
    pub fn len(&self) -> usize {
        let by_kind: usize = self
            .kinds
            .iter()
            .filter_map(|k| self.facts.shared_by_kind.get(k))
            .map(|k| k.duties.len() - k.own.get(self.team).copied().unwrap_or(0))
            .sum();
        self.direct.len() + by_kind
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// (component, duty) indices, ordered by component then duty.
    pub fn to_vec(&self) -> Vec<(usize, usize)> {
        let mut out = self.direct.to_vec();
        for kind in self.kinds {
            if let Some(k) = self.facts.shared_by_kind.get(kind) {
                out.extend(
                    k.duties
                        .iter()
                        .zip(&k.owners)
                        .filter(|(_, owner)| *owner != self.team)
                        .map(|(d, _)| *d),
                );
            }
        }
        // Each list is in model order; a duty has one party, so the lists
        // never hold the same pair and a stable sort merges them exactly.
        if !self.kinds.is_empty() {
            out.sort();
        }
        out
    }

    pub fn iter(&self) -> impl Iterator<Item = (usize, usize)> + use<> {
        self.to_vec().into_iter()
    }

    /// The first `n` of `to_vec`, merged from the sorted lists without
    /// listing the rest: a team of a kind that is given a duty in every
    /// component shares tens of thousands at 200,000 components, and a
    /// pane shows a screenful (sorting them all took ~100 ms a frame).
    pub fn first(&self, n: usize) -> Vec<(usize, usize)> {
        let mut lists: Vec<Sorted<'_>> = Vec::with_capacity(1 + self.kinds.len());
        lists.push(
            (Box::new(self.direct.iter().copied()) as Box<dyn Iterator<Item = _>>).peekable(),
        );
        for kind in self.kinds {
            if let Some(k) = self.facts.shared_by_kind.get(kind) {
                let team = self.team;
                let it = k
                    .duties
                    .iter()
                    .zip(&k.owners)
                    .filter(move |(_, owner)| *owner != team)
                    .map(|(d, _)| *d);
                lists.push((Box::new(it) as Box<dyn Iterator<Item = _>>).peekable());
            }
        }
        let mut out = Vec::new();
        while out.len() < n {
            let mut best: Option<(usize, (usize, usize))> = None;
            for (i, list) in lists.iter_mut().enumerate() {
                if let Some(&head) = list.peek()
                    && best.is_none_or(|(_, b)| head < b)
                {
                    best = Some((i, head));
                }
            }
            let Some((i, head)) = best else { break };
            lists[i].next();
            out.push(head);
        }
        out
    }
}

impl Facts {
    pub fn build(model: &Model) -> Facts {
        let mut facts = Facts::default();
        for t in &model.teams {
            push(&mut facts.team_kinds, &t.id, t.kind.clone());
        }
        for (ci, c) in model.components.iter().enumerate() {
            facts.component_index.entry(c.id.clone()).or_insert(ci);
            push(&mut facts.owned, &c.owner, ci);
            for (j, team) in c.consumers.iter().enumerate() {
                if !c.consumers[..j].contains(team) {
                    push(&mut facts.consumes, team, ci);
                }
            }
            if let Some(layer) = &c.layer {
                let layers = match facts.owned_in_layer.get_mut(c.owner.as_str()) {
                    Some(layers) => layers,
                    None => facts.owned_in_layer.entry(c.owner.clone()).or_default(),
                };
                push(layers, layer, ci);
            }
            for (di, duty) in c.duties.iter().enumerate() {
                match &duty.party {
                    Party::Team(id) => {
                        if *id != c.owner {
                            push(&mut facts.shared_direct, id, (ci, di));
                        }
                    }
                    Party::Consumers => {
                        for team in c.consumers.iter().filter(|t| **t != c.owner) {
                            push(&mut facts.shared_direct, team, (ci, di));
                        }
                    }
                    Party::Kind(kind) => {
                        let k = match facts.shared_by_kind.get_mut(kind.as_str()) {
                            Some(k) => k,
                            None => facts.shared_by_kind.entry(kind.clone()).or_default(),
                        };
                        k.duties.push((ci, di));
                        k.owners.push(c.owner.clone());
                        *k.own.entry(c.owner.clone()).or_default() += 1;
                    }
                }
            }
        }
        let pairs = facts
            .owned_in_layer
            .iter()
            .flat_map(|(team, layers)| layers.keys().map(move |layer| (team, layer)));
        for (team, layer) in pairs {
            let (Some(t), Some(l)) = (model.team(team), model.layer(layer)) else {
                continue;
            };
            if super::checks::boundary::is_violation(super::checks::boundary::team_role(l, t)) {
                facts.violations += 1;
            }
        }
        facts
    }

    pub fn owned_in_layer(&self, team: &str, layer: &str) -> &[usize] {
        self.owned_in_layer
            .get(team)
            .and_then(|layers| layers.get(layer))
            .map_or(NONE, Vec::as_slice)
    }

    pub fn owned(&self, team: &str) -> &[usize] {
        self.owned.get(team).map_or(NONE, Vec::as_slice)
    }

    /// The components that list `team` among their consumers, in model
    /// order (`model::scope::consumed_by`'s, as indices).
    pub fn consumes(&self, team: &str) -> &[usize] {
        self.consumes.get(team).map_or(NONE, Vec::as_slice)
    }

    /// The duties `team` holds in components others own: named, as a
    /// consumer, or through its kind.
    pub fn shared<'a>(&'a self, team: &'a str) -> Shared<'a> {
        Shared {
            team,
            direct: self.shared_direct.get(team).map_or(&[], Vec::as_slice),
            facts: self,
            kinds: self.team_kinds.get(team).map_or(&[], Vec::as_slice),
        }
    }

    pub fn component_index(&self, id: &str) -> Option<usize> {
        self.component_index.get(id).copied()
    }
}

/// Appends to `map[key]`, allocating the key only the first time.
fn push<T>(map: &mut HashMap<String, Vec<T>>, key: &str, value: T) {
    match map.get_mut(key) {
        Some(list) => list.push(value),
        None => {
            map.insert(key.to_string(), vec![value]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{self, Params};

    /// The per-team copies the facts used to make: every `@kind` duty
    /// pushed onto every team of that kind.
    fn shared_per_team(model: &Model) -> HashMap<String, Vec<(usize, usize)>> {
        let mut by_kind: HashMap<&str, Vec<&str>> = HashMap::new();
        for t in &model.teams {
            by_kind
                .entry(t.kind.as_str())
                .or_default()
                .push(t.id.as_str());
        }
        let mut shared: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (ci, c) in model.components.iter().enumerate() {
            for (di, duty) in c.duties.iter().enumerate() {
                let teams: Vec<&str> = match &duty.party {
                    Party::Team(id) => vec![id.as_str()],
                    Party::Kind(kind) => by_kind.get(kind.as_str()).cloned().unwrap_or_default(),
                    Party::Consumers => c.consumers.iter().map(String::as_str).collect(),
                };
                for team in teams {
                    if team != c.owner {
                        shared.entry(team.to_string()).or_default().push((ci, di));
                    }
                }
            }
        }
        shared
    }

    #[test]
    fn shared_duties_are_the_per_team_copies_at_2000_components() {
        let dir = tempfile::tempdir().unwrap();
        let params = Params {
            teams: 40,
            components: 2_000,
            commits: 1,
            ..Params::default()
        };
        let summary = synth::generate(dir.path(), &params).unwrap();
        let repo = crate::repo::Repo::open(dir.path(), Some(&summary.dir)).unwrap();
        let model = crate::repo::load(&repo, &crate::repo::Source::WorkTree)
            .unwrap()
            .model;
        let expected = shared_per_team(&model);
        let facts = Facts::build(&model);
        let mut by_kind = 0;
        for team in &model.teams {
            let want = expected.get(&team.id).cloned().unwrap_or_default();
            let shared = facts.shared(&team.id);
            assert_eq!(shared.to_vec(), want, "{}", team.id);
            for n in [0, 1, 3, want.len(), want.len() + 2] {
                assert_eq!(
                    shared.first(n),
                    want[..n.min(want.len())],
                    "{} first {n}",
                    team.id
                );
            }
            assert_eq!(shared.len(), want.len(), "{}", team.id);
            by_kind += facts.team_kinds[&team.id]
                .iter()
                .filter_map(|k| facts.shared_by_kind.get(k))
                .count();
        }
        for team in &model.teams {
            let want: Vec<usize> = (0..model.components.len())
                .filter(|&c| model.components[c].consumers.contains(&team.id))
                .collect();
            assert_eq!(facts.consumes(&team.id), want, "{}", team.id);
        }
        // The repository gives duties to kinds, so the merge is exercised.
        assert!(by_kind > 0);
        // Teams that are not in the model (a consumer misspelt) keep theirs.
        for (team, want) in &expected {
            assert_eq!(&facts.shared(team).to_vec(), want, "{team}");
        }
    }

    #[test]
    fn an_owner_of_the_kind_does_not_share_its_own_duty() {
        let files: Vec<(&str, &[u8])> = vec![
            ("demarc.toml", b"schema = 1\norg = \"T\"\n"),
            ("teams/a.toml", b"name = \"A\"\nkind = \"platform\"\n"),
            ("teams/b.toml", b"name = \"B\"\nkind = \"platform\"\n"),
            (
                "components/x.toml",
                b"[[component]]\nid = \"x\"\nname = \"X\"\nowner = \"a\"\n[[component.duty]]\nparty = \"@platform\"\ncovers = [\"patching\"]\n[[component.duty]]\nparty = \"b\"\ncovers = [\"backups\"]\n",
            ),
        ];
        let model = crate::model::parse_all(files).0;
        let facts = Facts::build(&model);
        assert!(facts.shared("a").is_empty());
        assert_eq!(facts.shared("b").to_vec(), vec![(0, 0), (0, 1)]);
        assert_eq!(facts.shared("b").len(), 2);
        assert_eq!(facts.shared("nobody").len(), 0);
    }
}
