//! The Triage tab: `t` pins the selected subject's card; the scenarios (the
//! triage playbooks) are always listed below it. `i` finds a subject by
//! words (as `demarc who` does), `@` shows the card as of an incident with
//! what differs now, `y` copies the pager.

use super::derive::{self, PillarRow};
use super::worker::{Aside, Request};
use super::{App, Popup, Scroll, Tab, TriageInput};
use crate::model::{Subject, SubjectKind};
use crate::repo::{Error, Loaded, Source};
use crate::triage::{self, Card};
use chrono::{DateTime, FixedOffset, Utc};

/// At most this many matches are listed for a query.
const MAX_MATCHES: usize = 50;

/// The "as of the incident" read: what was asked, and how it went.
pub struct AsOf {
    /// As typed (a date or an RFC 3339 time), resolved on the loader.
    pub when: String,
    pub state: AsOfState,
}

pub enum AsOfState {
    Reading,
    Ready {
        loaded: Box<Loaded>,
        moment: DateTime<FixedOffset>,
    },
    Failed(String),
}

/// What the card pane shows for the selected row.
pub struct CardView {
    /// The card (as of the incident when one is set), with its recent
    /// changes once the history has arrived.
    pub card: Option<Card>,
    /// Set while an "as of" is in force: its label, and what differs now
    /// (None while a model is still being read, or when the read failed).
    pub as_of: Option<(String, Differs)>,
}

/// What differs now from the card as of the incident: Ok(None) while the
/// models are read, Err with a plain sentence when that cannot be known.
pub type Differs = Result<Option<Vec<String>>, String>;

impl App {
    /// The subject under the selection of the current view (or the open
    /// findings panel), if it has a triage card.
    pub fn selected_subject(&self) -> Option<Subject> {
        let loaded = self.loaded.as_ref()?;
        let model = &loaded.model;
        if let Some(Popup::Findings { rows }) = &self.popup {
            return loaded.diagnostics.get(rows.selected)?.subject.clone();
        }
        match self.tab {
            Tab::Pillars => {
                let pillar = model.pillars.get(self.pillars.pillar)?;
                match derive::pillar_rows(model, pillar).get(self.pillars.rows.selected)? {
                    PillarRow::Owner { team, .. } => Some(Subject::new(SubjectKind::Team, *team)),
                    PillarRow::Component(c) => Some(Subject::new(SubjectKind::Component, &c.id)),
                }
            }
            Tab::Layers if self.layers.matrix == 0 => {
                derive::matrix_columns(model, self.layers.by_kind)
                    .get(self.layers.col)?
                    .team
                    .clone()
                    .map(|t| Subject::new(SubjectKind::Team, t))
            }
            Tab::Layers => None,
            Tab::Teams => model
                .teams
                .get(self.teams.rows.selected)
                .map(|t| Subject::new(SubjectKind::Team, &t.id)),
            Tab::Components => self
                .components_shown()
                .get(self.components.rows.selected)
                .map(|c| Subject::new(SubjectKind::Component, &c.id)),
            Tab::Trends => self
                .trends_team()
                .map(|t| Subject::new(SubjectKind::Team, t)),
            Tab::History | Tab::Triage => None,
        }
    }

    /// `t`: the Triage tab, on the selected subject's card when there is one.
    pub(super) fn triage_selected(&mut self) {
        let subject = self.selected_subject();
        self.popup = None;
        let Some(subject) = subject else {
            self.tab = Tab::Triage;
            return;
        };
        self.push_place();
        self.tab = Tab::Triage;
        if subject.kind == SubjectKind::Scenario {
            self.triage.pinned = None;
            let rows = self
                .model()
                .map(|m| derive::triage_rows(m, None))
                .unwrap_or_default();
            self.triage.rows = Scroll::default();
            self.triage.rows.selected = rows.iter().position(|s| *s == subject).unwrap_or(0);
        } else {
            self.triage.pinned = Some(subject);
            self.triage.rows = Scroll::default();
        }
        self.triage.query.clear();
        self.triage.editing = None;
    }

    /// The Triage list: the matches of the typed words, or else the pinned
    /// subject and every scenario.
    pub fn triage_rows(&self) -> Vec<Subject> {
        let Some(model) = self.model() else {
            return Vec::new();
        };
        let key = (
            self.generation,
            self.triage.query.clone(),
            self.triage.pinned.clone(),
        );
        let mut cache = self.triage_cache.borrow_mut();
        if cache.key.as_ref() != Some(&key) {
            let query = self.triage.query.trim();
            if query.is_empty() {
                cache.rows = derive::triage_rows(model, self.triage.pinned.as_ref());
                cache.classes = vec![None; cache.rows.len()];
            } else {
                // A query naming something in a file that did not load gets
                // no fuzzy stand-in (the list says where it is instead).
                let unloaded = self.facts.unloaded.defined_in(query).is_some();
                let matches: Vec<_> = triage::find(model, query)
                    .into_iter()
                    .filter(|m| !(unloaded && m.is_fuzzy()))
                    .take(MAX_MATCHES)
                    .collect();
                cache.classes = matches.iter().map(|m| Some(m.class)).collect();
                cache.rows = matches.into_iter().map(|m| m.subject).collect();
            }
            cache.key = Some(key);
        }
        cache.rows.clone()
    }

    /// The match class of each Triage row, as `triage_rows` lists them.
    pub fn triage_classes(&self) -> Vec<Option<triage::MatchClass>> {
        let _ = self.triage_rows();
        self.triage_cache.borrow().classes.clone()
    }

    /// "redis is defined in components/data.toml, which did not load",
    /// when the find input names such an id.
    pub fn triage_unloaded(&self) -> Option<String> {
        self.facts.unloaded.sentence(self.triage.query.trim())
    }

    /// Does the card of this row carry a warning (an owner or on-call move
    /// in the window)? Cached per model, walk and history length.
    pub fn triage_row_warns(&self, subject: &Subject) -> bool {
        let key = (
            self.generation,
            self.history.generation,
            self.history.entries.len(),
        );
        let mut cache = self.warn_cache.borrow_mut();
        if cache.key != key {
            cache.key = key;
            cache.warns.clear();
        }
        if let Some(w) = cache.warns.get(subject) {
            return *w;
        }
        let warns = self
            .current_card(subject)
            .is_some_and(|c| !c.warnings().is_empty());
        cache.warns.insert(subject.clone(), warns);
        warns
    }

    /// Keys while an input of the Triage tab has the focus; true when the
    /// key was used. The line-editing keys are the shared ones (Ctrl-U,
    /// Ctrl-W, …). Find: Enter or Esc leaves the input, the words stay.
    /// As of: Enter sends a time that parses to the loader, and keeps the
    /// input open with the reason next to it when it does not (the
    /// previous "as of" stays in force); Esc cancels.
    pub(super) fn type_triage_text(&mut self, key: &crossterm::event::KeyEvent) -> bool {
        use super::line_edit::{Edit, edit};
        let Some(input) = self.triage.editing else {
            return false;
        };
        let text = match input {
            TriageInput::Find => &mut self.triage.query,
            TriageInput::At => &mut self.triage.at_text,
        };
        match edit(text, key) {
            Edit::Changed => self.triage.at_error = None,
            Edit::Cancel => {
                self.triage.editing = None;
                self.triage.at_error = None;
            }
            Edit::Submit if input == TriageInput::At => {
                let when = self.triage.at_text.trim().to_string();
                // Parsing is pure; resolving it to a commit is the loader's.
                if !when.is_empty()
                    && let Err(e) = crate::repo::parse_when(&when)
                {
                    self.triage.at_error = Some(e.0);
                    return true;
                }
                self.triage.editing = None;
                self.triage.at_error = None;
                self.set_triage_at(&when);
            }
            Edit::Submit => self.triage.editing = None,
            Edit::Ignored => return false,
        }
        if input == TriageInput::Find {
            self.triage.rows = Scroll::default();
        }
        self.detail = 0;
        true
    }

    /// Shows triage cards as of `when` (empty: back to now). The time is
    /// resolved by the loader, never here.
    pub fn set_triage_at(&mut self, when: &str) {
        if when.is_empty() {
            self.as_of = None;
            self.say("Triage cards show the data as it is now.");
            return;
        }
        self.as_of = Some(AsOf {
            when: when.to_string(),
            state: AsOfState::Reading,
        });
        self.requests
            .push(Request::Aside(Aside::Then(when.to_string())));
        if self.shown != Source::WorkTree && self.now_model.is_none() {
            self.requests.push(Request::Aside(Aside::Now));
        }
    }

    /// A model read beside the one shown has arrived.
    pub fn on_aside(
        &mut self,
        aside: Aside,
        result: Result<(Loaded, DateTime<FixedOffset>), Error>,
    ) {
        match aside {
            Aside::Now => self.now_model = result.ok().map(|(l, _)| Box::new(l)),
            Aside::Then(when) => {
                let Some(as_of) = self.as_of.as_mut().filter(|a| a.when == when) else {
                    return; // an answer to an older question
                };
                as_of.state = match result {
                    Ok((loaded, moment)) => AsOfState::Ready {
                        loaded: Box::new(loaded),
                        moment,
                    },
                    Err(e) => AsOfState::Failed(e.0),
                };
            }
        }
    }

    /// The moment "now" stands for in the recent-changes window.
    fn now_moment(&self) -> DateTime<FixedOffset> {
        self.clock.unwrap_or_else(|| Utc::now().fixed_offset())
    }

    /// The model "now" is: the one shown when it is the work tree, else the
    /// work tree read aside.
    fn now_loaded(&self) -> Option<&Loaded> {
        if self.shown == Source::WorkTree {
            self.loaded.as_ref()
        } else {
            self.now_model.as_deref()
        }
    }

    /// The card of `subject` in the model shown, with recent changes and
    /// since when its owner and on-call hold.
    fn current_card(&self, subject: &Subject) -> Option<Card> {
        let loaded = self.loaded.as_ref()?;
        let mut card = triage::build_card(&loaded.model, &loaded.diagnostics, subject)?;
        card.note_unloaded(&self.facts.unloaded);
        let (moment, version) = match &loaded.origin {
            crate::repo::Origin::Commit(info) if self.shown != Source::WorkTree => {
                (info.time, Some(info.time))
            }
            _ => (self.now_moment(), None),
        };
        triage::recent::attach(&mut card, &self.history.entries, moment);
        self.since_maps(version).attach(&mut card);
        Some(card)
    }

    /// What the Triage card pane shows for the selected row.
    pub fn card_view(&self) -> CardView {
        let Some(subject) = self.triage_rows().get(self.triage.rows.selected).cloned() else {
            return CardView {
                card: None,
                as_of: None,
            };
        };
        let Some(as_of) = &self.as_of else {
            return CardView {
                card: self.current_card(&subject),
                as_of: None,
            };
        };
        match &as_of.state {
            AsOfState::Reading => CardView {
                card: self.current_card(&subject),
                as_of: Some((format!("reading {}…", as_of.when), Ok(None))),
            },
            AsOfState::Failed(e) => CardView {
                card: self.current_card(&subject),
                as_of: Some((as_of.when.clone(), Err(e.clone()))),
            },
            AsOfState::Ready { loaded, moment } => {
                // The moment asked for, and the version it resolved to.
                let resolved = match &loaded.origin {
                    crate::repo::Origin::Commit(info) => format!(
                        "commit {} of {}",
                        info.short_id(),
                        info.time.format("%Y-%m-%d %H:%M")
                    ),
                    _ => "before the first commit: no data yet".to_string(),
                };
                let label = format!("as of {} · {resolved}", moment.format("%Y-%m-%d %H:%M %:z"));
                let Some(mut then) =
                    triage::build_card(&loaded.model, &loaded.diagnostics, &subject)
                else {
                    return CardView {
                        card: None,
                        as_of: Some((label, Err("It did not exist then.".into()))),
                    };
                };
                triage::recent::attach(&mut then, &self.history.entries, *moment);
                self.since_maps(Some(*moment)).attach(&mut then);
                let diffs = self.now_loaded().map(|now| {
                    let now_card = triage::build_card(&now.model, &now.diagnostics, &subject);
                    triage::differences(&then, now_card.as_ref())
                });
                CardView {
                    card: Some(then),
                    as_of: Some((label, Ok(diffs))),
                }
            }
        }
    }

    /// `y`: the pager of the selected card's owner (a component), team, or
    /// first responder (a scenario), as it is now, onto the clipboard. The
    /// status bar names the team whose pager it is, and the other first
    /// responders when there are several.
    pub(super) fn copy_pager(&mut self) {
        let subject = self.triage_rows().get(self.triage.rows.selected).cloned();
        let card = subject.and_then(|s| {
            let now = self.now_loaded()?;
            triage::build_card(&now.model, &now.diagnostics, &s)
        });
        let Some((team, pager)) = card.as_ref().and_then(pager_of) else {
            self.say("This card names no pager.");
            return;
        };
        let pager = crate::sanitize::line(&pager).into_owned();
        let team = crate::sanitize::line(&team).into_owned();
        let others: Vec<String> = match &card {
            Some(Card::Scenario(s)) => s
                .responders
                .iter()
                .filter(|r| r.id != team)
                .map(|r| crate::sanitize::line(&r.id).into_owned())
                .collect(),
            _ => Vec::new(),
        };
        let also = if others.is_empty() {
            String::new()
        } else {
            format!("; also first: {}", others.join(", "))
        };
        self.say(format!(
            "copied {pager} ({team}'s pager{also}) to the clipboard"
        ));
        self.clipboard = Some(pager);
    }
}

/// The team and pager a responder would page for this card: the owner's
/// (a component), the team's own, or the first responder's with a pager
/// (a scenario).
pub fn pager_of(card: &Card) -> Option<(String, String)> {
    match card {
        Card::Component(c) => {
            let owner = c.owner.as_ref()?;
            Some((owner.id.clone(), owner.oncall.as_ref()?.pager.clone()?))
        }
        Card::Team(t) => Some((t.id.clone(), t.oncall.as_ref()?.pager.clone()?)),
        Card::Scenario(s) => s
            .responders
            .iter()
            .find_map(|r| Some((r.id.clone(), r.oncall.as_ref()?.pager.clone()?))),
    }
}
