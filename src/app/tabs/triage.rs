//! The Triage tab: `t` pins the selected subject's card; the scenarios (the
//! triage playbooks) are always listed below it. `i` finds a subject by
//! words (as `demarc who` does), `@` shows the card as of an incident with
//! what differs now, `y` copies the pager.

use crate::app::action::{Action, Context};
use crate::app::data::{AsOfState, Data};
use crate::app::line_edit::{Edit, edit};
use crate::app::list::{Memo, Scroll};
use crate::app::tab::{Ctx, Go, Keys, Out, TabState};
use crate::model::{Model, Subject, SubjectKind};
use crate::repo::Source;
use crate::triage::{self, Card, MatchClass};
use crossterm::event::KeyEvent;
use std::collections::HashSet;
use std::rc::Rc;

/// At most this many matches are listed for a query.
const MAX_MATCHES: usize = 50;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriageInput {
    Find,
    At,
}

/// The Triage list: its subjects, and each row's match class (None for
/// rows listed without a query).
#[derive(Debug, Default)]
pub struct TriageRows {
    pub rows: Vec<Subject>,
    pub classes: Vec<Option<MatchClass>>,
}

/// What a card depends on: the model, the walk and how far it went, the
/// "as of" reads, the clock (tests fix it), and the subject.
type CardKey = (
    u64,
    u64,
    usize,
    u64,
    Option<chrono::DateTime<chrono::FixedOffset>>,
    Option<Subject>,
);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TriageTab {
    /// Rows: the pinned subject (if any), then every scenario.
    pub rows: Scroll,
    /// The subject `t` was pressed on, shown first.
    pub pinned: Option<Subject>,
    /// Words typed into the find input: while not empty, the rows are what
    /// `triage::find` matches (as `demarc who` does), best first.
    pub query: String,
    /// The input keys go to, if any.
    pub editing: Option<TriageInput>,
    /// The "as of" time being typed (`@`), before Enter sends it.
    pub at_text: String,
    /// Why the time typed was rejected, shown next to the input (which
    /// stays open; the previous "as of" stays in force).
    pub at_error: Option<String>,
    /// The list for (model, query, pinned): `triage::find` over a large
    /// model costs tens of milliseconds, so once per change, not once per
    /// frame and lookup.
    list: Memo<(u64, String, Option<Subject>), TriageRows>,
    /// The owner and on-call moves in the cards' window, for (model, walk,
    /// entries): which rows' cards carry a warning.
    warns: Memo<(u64, u64, usize), Moves>,
    /// The card pane, for (model, walk, entries, as-of reads, subject).
    card: Memo<CardKey, CardView>,
}

impl TriageTab {
    /// The Triage list: the matches of the typed words, or else the pinned
    /// subject and every scenario.
    pub fn list(&self, cx: &Ctx) -> Rc<TriageRows> {
        let Some(model) = cx.model() else {
            return Rc::default();
        };
        let key = (cx.data.generation, self.query.clone(), self.pinned.clone());
        self.list.get(key, || {
            let query = self.query.trim();
            if query.is_empty() {
                let rows = triage_rows(model, self.pinned.as_ref());
                let classes = vec![None; rows.len()];
                return TriageRows { rows, classes };
            }
            // A query naming something in a file that did not load gets
            // no fuzzy stand-in (the list says where it is instead).
            let unloaded = cx.data.facts.unloaded.defined_in(query).is_some();
            let matches: Vec<_> = triage::find(model, query)
                .into_iter()
                .filter(|m| !(unloaded && m.is_fuzzy()))
                .take(MAX_MATCHES)
                .collect();
            TriageRows {
                classes: matches.iter().map(|m| Some(m.class)).collect(),
                rows: matches.into_iter().map(|m| m.subject).collect(),
            }
        })
    }

    fn selected(&self, cx: &Ctx) -> Option<Subject> {
        self.list(cx).rows.get(self.rows.selected).cloned()
    }

    /// "redis is defined in components/data.toml, which did not load",
    /// when the find input names such an id.
    pub fn unloaded(&self, cx: &Ctx) -> Option<String> {
        cx.data.facts.unloaded.sentence(self.query.trim())
    }

    /// Does the card of this row carry a warning (an owner or on-call move
    /// in the window)? Read from the moves in the window, found once per
    /// model, walk and history length: building each row's card for it
    /// (a scenario's is a card per component, each resolving its `@kind`
    /// duties into every team of the kind) took the UI thread hundreds of
    /// milliseconds per batch at 200,000 components.
    pub fn row_warns(&self, cx: &Ctx, subject: &Subject) -> bool {
        let d = cx.data;
        let Some(model) = d.model() else {
            return false;
        };
        let key = (d.generation, d.walk.generation, d.walk.entries.len());
        let moves = self
            .warns
            .get(key, || Moves::in_window(&d.walk.entries, card_moment(d)));
        moves.warns(model, subject)
    }
    /// `t`: the card of `subject` first (a scenario: selected in the list).
    pub fn pin(&mut self, model: Option<&Model>, subject: Subject) {
        if subject.kind == SubjectKind::Scenario {
            self.pinned = None;
            let rows = model.map(|m| triage_rows(m, None)).unwrap_or_default();
            self.rows = Scroll::default();
            self.rows.selected = rows.iter().position(|s| *s == subject).unwrap_or(0);
        } else {
            self.pinned = Some(subject);
            self.rows = Scroll::default();
        }
        self.query.clear();
        self.editing = None;
    }

    /// The card of `subject` in the model shown, with recent changes and
    /// since when its owner and on-call hold.
    fn current_card(&self, d: &Data, subject: &Subject) -> Option<Card> {
        let loaded = d.loaded.as_ref()?;
        let mut card = triage::build_card(&loaded.model, &d.findings_about(subject), subject)?;
        card.note_unloaded(&d.facts.unloaded);
        let moment = card_moment(d);
        let version = shown_commit_time(d);
        triage::recent::attach(&mut card, &d.walk.entries, moment);
        d.walk.since_maps(version).attach(&mut card);
        Some(card)
    }

    /// What the Triage card pane shows for the selected row.
    pub fn card_view(&self, cx: &Ctx) -> Rc<CardView> {
        let d = cx.data;
        let subject = self.selected(cx);
        let key = (
            d.findings,
            d.walk.generation,
            d.walk.entries.len(),
            d.asides,
            d.clock,
            subject.clone(),
        );
        self.card.get(key, || self.build_card_view(cx, subject))
    }

    fn build_card_view(&self, cx: &Ctx, subject: Option<Subject>) -> CardView {
        let d = cx.data;
        let Some(subject) = subject else {
            return CardView {
                card: None,
                as_of: None,
            };
        };
        let Some(as_of) = &d.as_of else {
            return CardView {
                card: self.current_card(d, &subject),
                as_of: None,
            };
        };
        match &as_of.state {
            AsOfState::Reading => CardView {
                card: self.current_card(d, &subject),
                as_of: Some((format!("reading {}…", as_of.when), Ok(None))),
            },
            AsOfState::Failed(e) => CardView {
                card: self.current_card(d, &subject),
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
                triage::recent::attach(&mut then, &d.walk.entries, *moment);
                d.walk.since_maps(Some(*moment)).attach(&mut then);
                let diffs = d.now_loaded().map(|now| {
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
    fn copy_pager(&self, cx: &Ctx, out: &mut Out) {
        let subject = self.selected(cx);
        let card = subject.and_then(|s| {
            let now = cx.data.now_loaded()?;
            triage::build_card(&now.model, &now.diagnostics, &s)
        });
        let Some((team, pager)) = card.as_ref().and_then(pager_of) else {
            out.say("This card names no pager.");
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
        out.say(format!(
            "copied {pager} ({team}'s pager{also}) to the clipboard"
        ));
        out.clipboard = Some(pager);
    }
}

impl TabState for TriageTab {
    /// `f` here is the find input (`i`): the Triage list is filtered as
    /// `demarc who` matches, which sees more than the rows show.
    fn start_filter(&mut self) -> bool {
        self.editing = Some(TriageInput::Find);
        self.pinned = None;
        true
    }

    /// `e`: where the selected row's subject is declared.
    fn location(&self, cx: &Ctx) -> Option<crate::model::Location> {
        let subject = self.selected(cx)?;
        crate::app::editor::location_of(cx.model()?, &subject).cloned()
    }

    fn context(&self) -> Option<Context> {
        Some(Context::Triage)
    }

    fn scroll(&mut self) -> Option<&mut Scroll> {
        Some(&mut self.rows)
    }

    fn len(&self, cx: &Ctx) -> usize {
        self.list(cx).rows.len()
    }

    fn open(&mut self, cx: &Ctx, _out: &mut Out) -> Option<Go> {
        self.selected(cx).map(Go::Subject)
    }

    fn apply(&mut self, action: Action, cx: &Ctx, out: &mut Out) {
        match action {
            Action::TriageFind => {
                self.editing = Some(TriageInput::Find);
                self.pinned = None;
            }
            Action::TriageAt => {
                self.editing = Some(TriageInput::At);
                self.at_error = None;
                self.at_text = cx
                    .data
                    .as_of
                    .as_ref()
                    .map_or(String::new(), |a| a.when.clone());
            }
            Action::CopyPager => self.copy_pager(cx, out),
            _ => {}
        }
    }

    /// Keys while an input has the focus. The line-editing keys are the
    /// shared ones (Ctrl-U, Ctrl-W, …). Find: Enter or Esc leaves the
    /// input, the words stay. As of: Enter sends a time that parses to the
    /// loader, and keeps the input open with the reason next to it when it
    /// does not (the previous "as of" stays in force); Esc cancels.
    fn type_key(&mut self, key: &KeyEvent, _cx: &Ctx, out: &mut Out) -> bool {
        let Some(input) = self.editing else {
            return false;
        };
        let text = match input {
            TriageInput::Find => &mut self.query,
            TriageInput::At => &mut self.at_text,
        };
        match edit(text, key) {
            Edit::Changed => self.at_error = None,
            Edit::Cancel => {
                self.editing = None;
                self.at_error = None;
            }
            Edit::Submit if input == TriageInput::At => {
                let text = self.at_text.trim();
                // Parsed here, once; resolving it to a commit is the loader's.
                let when = if text.is_empty() {
                    None
                } else {
                    match crate::repo::When::parse(text) {
                        Ok(when) => Some(when),
                        Err(e) => {
                            self.at_error = Some(e.0);
                            return true;
                        }
                    }
                };
                self.editing = None;
                self.at_error = None;
                out.as_of = Some(when);
            }
            Edit::Submit => self.editing = None,
            Edit::Ignored => return false,
        }
        if input == TriageInput::Find {
            self.rows = Scroll::default();
        }
        true
    }

    fn typing(&self) -> bool {
        self.editing.is_some()
    }

    fn keys(&self) -> Keys {
        if self.editing.is_some() {
            return vec![
                (vec![Action::Open], "done"),
                (vec![Action::Back], "leave input"),
            ];
        }
        vec![
            (vec![Action::TriageFind], "find"),
            (vec![Action::TriageAt], "as of"),
            (vec![Action::CopyPager], "copy pager"),
            (vec![Action::Up, Action::Down], "pick"),
            (vec![Action::DetailDown, Action::DetailUp], "scroll card"),
            (vec![Action::Open], "open"),
        ]
    }

    fn uses_history(&self) -> bool {
        true
    }
}

/// The time of the commit shown, when one is shown instead of the work tree.
fn shown_commit_time(d: &Data) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    match &d.loaded.as_ref()?.origin {
        crate::repo::Origin::Commit(info) if d.shown != Source::WorkTree => Some(info.time),
        _ => None,
    }
}

/// The moment the cards of the data shown look back from: the commit
/// shown, else now.
fn card_moment(d: &Data) -> chrono::DateTime<chrono::FixedOffset> {
    shown_commit_time(d).unwrap_or_else(|| d.now_moment())
}

/// The subjects whose owner, on-call or escalation moved in the window of
/// `triage::recent` before a moment: what a card's warnings are made of
/// (`triage::recent::warnings`), without the cards.
#[derive(Debug, Default)]
pub struct Moves {
    /// Subjects with an owner, on-call or escalation change.
    moved: HashSet<Subject>,
    /// Teams whose on-call or escalation changed (a component's card warns
    /// of its owner's).
    oncall: HashSet<String>,
}

impl Moves {
    pub fn in_window(
        entries: &[crate::history::HistoryEntry],
        moment: chrono::DateTime<chrono::FixedOffset>,
    ) -> Moves {
        use crate::history::ChangeKind as K;
        let start = moment - chrono::Duration::days(triage::recent::WINDOW_DAYS);
        let mut moves = Moves::default();
        for e in entries {
            if !(e.commit.time <= moment && e.commit.time > start) {
                continue;
            }
            for c in &e.changes {
                let oncall = matches!(c.kind, K::OncallChanged | K::EscalationChanged);
                if !(oncall || c.kind == K::OwnerChanged) {
                    continue;
                }
                if oncall && c.subject.kind == SubjectKind::Team {
                    moves.oncall.insert(c.subject.id.clone());
                }
                moves.moved.insert(c.subject.clone());
            }
        }
        moves
    }

    /// Does the card of `subject` in `model` carry a warning? As
    /// `triage::recent` finds what concerns a card: a component's own
    /// moves and its owner's on-call; a team's own; a scenario's own and
    /// its components'.
    pub fn warns(&self, model: &Model, subject: &Subject) -> bool {
        if self.moved.is_empty() {
            return false;
        }
        match subject.kind {
            SubjectKind::Component => model
                .component(&subject.id)
                .is_some_and(|c| self.moved.contains(subject) || self.oncall.contains(&c.owner)),
            SubjectKind::Team => model.team(&subject.id).is_some() && self.moved.contains(subject),
            SubjectKind::Scenario => model.scenario(&subject.id).is_some_and(|s| {
                self.moved.contains(subject)
                    || s.components.iter().any(|id| {
                        self.moved
                            .contains(&Subject::new(SubjectKind::Component, id.as_str()))
                    })
            }),
            _ => false,
        }
    }
}

/// The Triage view's rows: the pinned subject (when it is in this model
/// and not a scenario), then every scenario.
pub fn triage_rows(model: &Model, pinned: Option<&Subject>) -> Vec<Subject> {
    let mut rows: Vec<Subject> = pinned
        .filter(|s| s.kind != SubjectKind::Scenario && model.has_subject(s))
        .cloned()
        .into_iter()
        .collect();
    rows.extend(
        model
            .scenarios
            .iter()
            .map(|s| Subject::new(SubjectKind::Scenario, &s.id)),
    );
    rows
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
