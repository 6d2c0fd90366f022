//! Trends: how ownership moved over time. Per month or quarter, the
//! boundary changes by kind, each team's load at the period's end (owns,
//! by tier, duties, layer roles), reviews overdue, and tier-1/2 components
//! that changed owner without their on-call following. No terminal here:
//! `demarc trends` and the dashboard's Trends tab are faces of it.

pub mod figures;
pub mod period;
pub mod series;
pub mod view;

pub use figures::{ComponentIds, Snapshot, TeamFigures};
pub use period::{By, Period};
pub use series::{Collector, PeriodFigures, Series, collect, compute};
