//! "Since when": on every component card, since when its owner owns it and
//! since when the owner's on-call is as it is (date, author, commit), or
//! that neither changed since the first commit. Silence would read as
//! "always", so what cannot be told is said too.

use super::card::{Card, ComponentCard};
use crate::history::ownership::SinceThen;
use crate::history::{HistoryEntry, Since, oncall_since, owner_since};
use serde::{Serialize, Serializer};
use std::collections::HashMap;
use std::sync::Arc;

/// The commit that made something so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SinceRef {
    pub time: String,
    pub commit: String,
    pub author: String,
}

/// Since when something holds, as the history tells it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Held {
    Since(SinceRef),
    /// Unchanged since the first commit of the data.
    FirstCommit,
    /// Cannot be told, and why (no history, still reading it, …).
    Unknown(String),
    /// Not filled in yet (a card built without history).
    #[default]
    NotAsked,
}

/// JSON: `{"time", "commit", "author"}`; null for "since the first
/// commit" (the contract's shape); `{"unknown": "why"}` when it cannot be told.
impl Serialize for Held {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Unknown<'a> {
            unknown: &'a str,
        }
        match self {
            Held::Since(r) => r.serialize(s),
            Held::FirstCommit => s.serialize_none(),
            Held::Unknown(why) => Unknown { unknown: why }.serialize(s),
            Held::NotAsked => Unknown {
                unknown: "the history was not read",
            }
            .serialize(s),
        }
    }
}

impl Held {
    /// "since 2026-05-18 by Priya Natarajan (a62b987)"
    pub fn phrase(&self) -> String {
        match self {
            Held::Since(r) => format!(
                "since {} by {} ({})",
                r.time.get(..10).unwrap_or(&r.time),
                r.author,
                r.commit.get(..7).unwrap_or(&r.commit)
            ),
            Held::FirstCommit => "unchanged since the first commit".into(),
            Held::Unknown(why) => format!("since: unknown ({why})"),
            Held::NotAsked => "since: unknown (the history was not read)".into(),
        }
    }
}

/// Everything needed to fill the "since" of cards, built once per history.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SinceMaps {
    /// Shared, not copied: the dashboard keeps the maps its walker sends
    /// and hands them to cards as they are.
    owners: Arc<HashMap<String, Since>>,
    oncalls: Arc<HashMap<String, Since>>,
    /// The oldest data commit, when the history was walked to its start.
    first: Option<String>,
    /// Set when nothing can be told (no history), or what a missing id means
    /// while the walk is still going.
    unknown: Option<String>,
    /// As of an older moment: the ids whose entry differs then from the
    /// maps above, with their entry then (see `SinceThen`).
    then: Option<Arc<SinceThen>>,
}

impl SinceMaps {
    /// From the entries of a walk, newest first. `first`: the commit where
    /// the data began, when the walk reached it; `missing`: what an id not
    /// in the entries means (None: the walk is complete).
    pub fn build(
        entries: &[HistoryEntry],
        first: Option<String>,
        missing: Option<&str>,
    ) -> SinceMaps {
        SinceMaps {
            owners: Arc::new(owner_since(entries)),
            oncalls: Arc::new(oncall_since(entries)),
            first,
            unknown: missing.map(str::to_string),
            then: None,
        }
    }

    /// From maps found another way (`owner_since`/`oncall_since`'s shape).
    pub fn from_maps(
        owners: HashMap<String, Since>,
        oncalls: HashMap<String, Since>,
        first: Option<String>,
        missing: Option<&str>,
    ) -> SinceMaps {
        SinceMaps::from_shared(Arc::new(owners), Arc::new(oncalls), first, missing)
    }

    /// From maps kept elsewhere (the dashboard's, filled by its walker).
    pub fn from_shared(
        owners: Arc<HashMap<String, Since>>,
        oncalls: Arc<HashMap<String, Since>>,
        first: Option<String>,
        missing: Option<&str>,
    ) -> SinceMaps {
        SinceMaps {
            owners,
            oncalls,
            first,
            unknown: missing.map(str::to_string),
            then: None,
        }
    }

    /// The maps kept elsewhere (of every entry walked), as of an older
    /// moment: `then` says which ids differ then, and how.
    pub fn from_shared_then(
        owners: Arc<HashMap<String, Since>>,
        oncalls: Arc<HashMap<String, Since>>,
        then: SinceThen,
        first: Option<String>,
        missing: Option<&str>,
    ) -> SinceMaps {
        SinceMaps {
            then: Some(Arc::new(then)),
            ..SinceMaps::from_shared(owners, oncalls, first, missing)
        }
    }

    /// Since when the owner of component `id` holds, as these maps tell.
    pub fn owner(&self, id: &str) -> Option<&Since> {
        match self.then.as_ref().and_then(|t| t.owners.get(id)) {
            Some(then) => then.as_ref(),
            None => self.owners.get(id),
        }
    }

    /// Since when the on-call of team `id` holds, as these maps tell.
    pub fn oncall(&self, id: &str) -> Option<&Since> {
        match self.then.as_ref().and_then(|t| t.oncalls.get(id)) {
            Some(then) => then.as_ref(),
            None => self.oncalls.get(id),
        }
    }

    /// Nothing can be told, for this reason.
    pub fn unknown(why: &str) -> SinceMaps {
        SinceMaps {
            unknown: Some(why.to_string()),
            ..SinceMaps::default()
        }
    }

    fn held(&self, since: Option<&Since>, holder: Option<&str>) -> Held {
        let why = || {
            Held::Unknown(
                self.unknown
                    .clone()
                    .unwrap_or_else(|| "not in the history walked".into()),
            )
        };
        let Some(since) = since else {
            return why();
        };
        // The newest change names another holder: the card shows another
        // version than the history describes; say nothing wrong.
        if since.holder.is_some() && holder.is_some() && since.holder.as_deref() != holder {
            return Held::Unknown("the history walked names another holder".into());
        }
        if self.first.as_deref() == Some(since.commit.id.as_str()) {
            return Held::FirstCommit;
        }
        let c = &since.commit;
        Held::Since(SinceRef {
            time: c.time.to_rfc3339(),
            commit: c.id.clone(),
            author: c.author.clone(),
        })
    }

    fn fill(&self, c: &mut ComponentCard) {
        c.owner_since = self.held(self.owner(&c.id), Some(&c.owner_id));
        let rotation = c
            .owner
            .as_ref()
            .and_then(|o| o.oncall.as_ref())
            .and_then(|o| o.rotation.clone());
        c.oncall_since = match &c.owner {
            Some(o) if o.oncall.is_some() => {
                self.held(self.oncall(&c.owner_id), rotation.as_deref())
            }
            Some(_) => Held::Unknown("the owner declares no on-call".into()),
            None => Held::Unknown("the owner is not a known team".into()),
        };
    }

    /// Fills the "since" of a component card, or of a scenario's component cards.
    pub fn attach(&self, card: &mut Card) {
        match card {
            Card::Component(c) => self.fill(c),
            Card::Scenario(s) => s.cards.iter_mut().for_each(|c| self.fill(c)),
            Card::Team(_) => {}
        }
    }
}
