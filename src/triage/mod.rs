//! Incident triage: from a component, a symptom or a team to who to page.
//! `find` matches a query; `card` builds what a responder needs for each
//! match; `render` prints it for humans. No terminal, no git here: the
//! caller loads the model (now or as of the incident) and the history.

pub mod card;
pub mod compare;
pub mod find;
pub mod recent;
pub mod render;
pub mod since;

pub use card::{Card, ComponentCard, OnCallCard, ScenarioCard, TeamCard, build_card};
pub use compare::differences;
pub use find::{Match, MatchClass, closest, find, only_fuzzy, suggest};
pub use since::{Held, SinceMaps};
