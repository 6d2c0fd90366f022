//! What a key can do. Every action has a stable name (used in the user's
//! config to rebind it) and a context (where it applies, for help and the
//! status bar).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    Findings,
    Reload,
    Now,
    NextTab,
    PrevTab,
    Pillars,
    Layers,
    Teams,
    Components,
    History,
    Triage,
    Trends,
    TriageSubject,
    HistoryOf,
    CopyId,
    Edit,
    Search,
    HistoryKind,
    HistoryText,
    HistoryDates,
    HistoryClear,
    TriageFind,
    TriageAt,
    CopyPager,
    TrendsBy,
    TrendsFigure,
    TrendsBusiest,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    DetailUp,
    DetailDown,
    Top,
    Bottom,
    Filter,
    Open,
    Back,
    ByKind,
    NextMatrix,
    Sort,
    Reverse,
    FilterLayer,
    FilterPillar,
    FilterOwner,
    FilterTier,
    ClearFilters,
}

/// Where an action applies. The dispatcher tries the current view's context
/// first, then `Move`, then `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Move,
    Layers,
    Components,
    History,
    Triage,
    Trends,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Move => "Lists and tables",
            Context::Layers => "Layers",
            Context::Components => "Components",
            Context::History => "History",
            Context::Triage => "Triage",
            Context::Trends => "Trends",
        }
    }
}

impl Action {
    /// Every action, in the order help lists them.
    pub const ALL: &'static [Action] = &[
        Action::Quit,
        Action::Help,
        Action::Findings,
        Action::Reload,
        Action::Now,
        Action::NextTab,
        Action::PrevTab,
        Action::Pillars,
        Action::Layers,
        Action::Teams,
        Action::Components,
        Action::History,
        Action::Triage,
        Action::Trends,
        Action::TriageSubject,
        Action::HistoryOf,
        Action::CopyId,
        Action::Edit,
        Action::Search,
        Action::Open,
        Action::Back,
        Action::Up,
        Action::Down,
        Action::Left,
        Action::Right,
        Action::PageUp,
        Action::PageDown,
        Action::DetailUp,
        Action::DetailDown,
        Action::Top,
        Action::Bottom,
        Action::Filter,
        Action::ByKind,
        Action::NextMatrix,
        Action::Sort,
        Action::Reverse,
        Action::FilterLayer,
        Action::FilterPillar,
        Action::FilterOwner,
        Action::FilterTier,
        Action::ClearFilters,
        Action::HistoryKind,
        Action::HistoryText,
        Action::HistoryDates,
        Action::HistoryClear,
        Action::TriageFind,
        Action::TriageAt,
        Action::CopyPager,
        Action::TrendsBy,
        Action::TrendsFigure,
        Action::TrendsBusiest,
    ];

    /// The name the user's config rebinds it by.
    pub fn name(self) -> &'static str {
        self.info().0
    }

    pub fn context(self) -> Context {
        self.info().1
    }

    /// What help says about it.
    pub fn description(self) -> &'static str {
        self.info().2
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }

    fn info(self) -> (&'static str, Context, &'static str) {
        use Context::*;
        match self {
            Action::Quit => ("quit", Global, "Quit"),
            Action::Help => ("help", Global, "Show this help"),
            Action::Findings => (
                "findings",
                Global,
                "Check findings (Enter jumps to the subject)",
            ),
            Action::Reload => ("reload", Global, "Reload the data now"),
            Action::Now => ("now", Global, "Back from a commit to the data you opened"),
            Action::NextTab => ("next-tab", Global, "Next tab"),
            Action::PrevTab => ("prev-tab", Global, "Previous tab"),
            Action::Pillars => ("pillars", Global, "Pillars tab"),
            Action::Layers => ("layers", Global, "Layers tab"),
            Action::Teams => ("teams", Global, "Teams tab"),
            Action::Components => ("components", Global, "Components tab"),
            Action::History => ("history", Global, "History tab"),
            Action::Triage => ("triage", Global, "Triage tab"),
            Action::Trends => ("trends", Global, "Trends tab"),
            Action::TriageSubject => (
                "triage-subject",
                Global,
                "Triage card of the selected subject",
            ),
            Action::HistoryOf => (
                "history-of",
                Global,
                "History of the selected team or component",
            ),
            Action::CopyId => (
                "copy-id",
                Global,
                "Copy the selected id to the clipboard (OSC 52)",
            ),
            Action::Edit => (
                "edit",
                Global,
                "Open the selected subject's file at its line in $VISUAL or $EDITOR",
            ),
            Action::Search => (
                "search",
                Global,
                "Search everything (Enter jumps, Esc closes, Up recalls)",
            ),
            Action::HistoryKind => (
                "history-kind",
                History,
                "Filter by change kind (a picker: type to narrow)",
            ),
            Action::HistoryText => (
                "history-text",
                History,
                "Filter as you type: messages, authors, changes (Enter keeps, Esc clears)",
            ),
            Action::HistoryDates => (
                "history-dates",
                History,
                "Only commits in a date range: FROM..TO (either side may be empty)",
            ),
            Action::HistoryClear => ("history-clear", History, "Clear the history filters"),
            Action::TriageFind => (
                "triage-find",
                Triage,
                "Type a component, symptom or team (Esc leaves the input)",
            ),
            Action::TriageAt => (
                "triage-at",
                Triage,
                "As of the incident: type a date or RFC 3339 time (empty: now)",
            ),
            Action::CopyPager => (
                "copy-pager",
                Triage,
                "Copy the card's pager to the clipboard (OSC 52)",
            ),
            Action::TrendsBy => ("trends-by", Trends, "Periods of a month / of a quarter"),
            Action::TrendsFigure => (
                "trends-figure",
                Trends,
                "Chart the next figure: owns, tier 1, duties, layer roles",
            ),
            Action::TrendsBusiest => (
                "trends-busiest",
                Trends,
                "Select the next busiest period (Enter: its commits in History)",
            ),
            Action::Open => (
                "open",
                Global,
                "Follow the reference (owner to team, component to its view)",
            ),
            Action::Back => ("back", Global, "Go back / close the popup"),
            Action::Up => ("up", Move, "Move up"),
            Action::Down => ("down", Move, "Move down"),
            Action::Left => ("left", Move, "Move left (previous pillar, column)"),
            Action::Right => ("right", Move, "Move right (next pillar, column)"),
            Action::PageUp => ("page-up", Move, "Page up"),
            Action::PageDown => ("page-down", Move, "Page down"),
            Action::DetailUp => ("detail-up", Move, "Scroll the detail pane up"),
            Action::DetailDown => ("detail-down", Move, "Scroll the detail pane down"),
            Action::Top => ("top", Move, "First row"),
            Action::Bottom => ("bottom", Move, "Last row"),
            Action::Filter => (
                "filter",
                Move,
                "Filter the list as you type (Enter keeps, Esc clears)",
            ),
            Action::ByKind => ("by-kind", Layers, "One column per team kind / per team"),
            Action::NextMatrix => ("next-matrix", Layers, "Next matrix: layers, then matrices/"),
            Action::Sort => ("sort", Components, "Sort by the next column"),
            Action::Reverse => ("reverse", Components, "Reverse the sort order"),
            Action::FilterLayer => ("filter-layer", Components, "Filter by layer (a picker)"),
            Action::FilterPillar => ("filter-pillar", Components, "Filter by pillar (a picker)"),
            Action::FilterOwner => ("filter-owner", Components, "Filter by owner (a picker)"),
            Action::FilterTier => ("filter-tier", Components, "Filter by tier (a picker)"),
            Action::ClearFilters => ("clear-filters", Components, "Clear the filters"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(*a));
        }
        let mut names: Vec<_> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }
}
