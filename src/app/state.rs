//! The dashboard's state: plain data, changed only by `update`, read by `ui`.

use std::cell::Cell;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Pillars,
    Layers,
    Teams,
    Components,
    History,
    Triage,
    Trends,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Pillars,
        Tab::Layers,
        Tab::Teams,
        Tab::Components,
        Tab::History,
        Tab::Triage,
        Tab::Trends,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Pillars => "Pillars",
            Tab::Layers => "Layers",
            Tab::Teams => "Teams",
            Tab::Components => "Components",
            Tab::History => "History",
            Tab::Triage => "Triage",
            Tab::Trends => "Trends",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn from_index(i: usize) -> Tab {
        Tab::ALL[i % Tab::ALL.len()]
    }
}

/// A selection in a list and the first row shown. The offset is kept by the
/// drawing code (a `Cell`, as ratatui's own list state is), so scrolling is
/// minimal: the view moves only when the selection would leave it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scroll {
    pub selected: usize,
    pub offset: Cell<usize>,
}

impl Scroll {
    /// Moves by `delta` rows within `len`, clamped.
    pub fn step(&mut self, delta: isize, len: usize) {
        if len == 0 {
            self.selected = 0;
            return;
        }
        let target = self.selected as isize + delta;
        self.selected = target.clamp(0, len as isize - 1) as usize;
    }

    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }

    /// The first row to show so that the selection is in a view of `height`.
    pub fn visible_offset(&self, height: usize, len: usize) -> usize {
        let height = height.max(1);
        let mut offset = self.offset.get().min(len.saturating_sub(height));
        if self.selected < offset {
            offset = self.selected;
        } else if self.selected >= offset + height {
            offset = self.selected + 1 - height;
        }
        self.offset.set(offset);
        offset
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PillarsState {
    /// The selected pillar (index in the model's pillars).
    pub pillar: usize,
    /// The selected row of its components-by-owner list.
    pub rows: Scroll,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayersState {
    /// 0: the layer matrix; i: the model's matrices[i - 1].
    pub matrix: usize,
    pub row: usize,
    pub col: usize,
    /// One column per team kind instead of one per team.
    pub by_kind: bool,
    /// The first row and column shown, kept by the drawing code.
    pub view: Cell<(usize, usize)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamsState {
    pub rows: Scroll,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortColumn {
    #[default]
    Id,
    Name,
    Layer,
    Pillar,
    Owner,
    Tier,
}

impl SortColumn {
    pub const ALL: [SortColumn; 6] = [
        SortColumn::Id,
        SortColumn::Name,
        SortColumn::Layer,
        SortColumn::Pillar,
        SortColumn::Owner,
        SortColumn::Tier,
    ];

    pub fn next(self) -> SortColumn {
        let i = SortColumn::ALL.iter().position(|c| *c == self).unwrap_or(0);
        SortColumn::ALL[(i + 1) % SortColumn::ALL.len()]
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub layer: Option<String>,
    pub pillar: Option<String>,
    pub owner: Option<String>,
    /// Set when following a per-kind layer cell: owners of this team kind.
    pub kind: Option<String>,
    pub tier: Option<u8>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComponentsState {
    pub rows: Scroll,
    pub sort: SortColumn,
    pub descending: bool,
    pub filters: Filters,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TriageState {
    /// Rows: the pinned subject (if any), then every scenario.
    pub rows: Scroll,
    /// The subject `t` was pressed on, shown first.
    pub pinned: Option<crate::model::Subject>,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriageInput {
    Find,
    At,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    Help { scroll: usize },
    Findings { rows: Scroll },
    Search(Box<super::search::SearchState>),
}

/// Where the user is: what Esc goes back to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub tab: Tab,
    pub pillars: PillarsState,
    pub layers: LayersState,
    pub teams: TeamsState,
    pub components: ComponentsState,
    pub triage: TriageState,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scroll_moves_only_when_the_selection_leaves_the_view() {
        let mut s = Scroll::default();
        assert_eq!(s.visible_offset(5, 20), 0);
        s.step(6, 20);
        assert_eq!(s.visible_offset(5, 20), 2);
        s.step(-1, 20);
        assert_eq!(s.visible_offset(5, 20), 2);
        s.step(-5, 20);
        assert_eq!(s.selected, 0);
        assert_eq!(s.visible_offset(5, 20), 0);
        s.step(100, 20);
        assert_eq!(s.selected, 19);
        assert_eq!(s.visible_offset(5, 20), 15);
        s.step(1, 0);
        assert_eq!(s.selected, 0);
    }
}
