//! The Components tab: every component, filtered and sorted; Enter shows
//! its owner.

use crate::app::action::{Action, Context};
use crate::app::filters::Filters;
use crate::app::list::{Memo, Scroll};
use crate::app::tab::{Ctx, Go, Keys, Out, TabState};
use crate::model::{Component, Model, Subject, SubjectKind};
use std::rc::Rc;

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

    pub fn title(self) -> &'static str {
        match self {
            SortColumn::Id => "id",
            SortColumn::Name => "name",
            SortColumn::Layer => "layer",
            SortColumn::Pillar => "pillar",
            SortColumn::Owner => "owner",
            SortColumn::Tier => "tier",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComponentsTab {
    pub rows: Scroll,
    pub sort: SortColumn,
    pub descending: bool,
    pub filters: Filters,
    /// The table's order for (model, filters, sort): sorted once per
    /// change, not once per frame and key.
    order: Memo<(u64, Filters, SortColumn, bool), Vec<usize>>,
}

impl ComponentsTab {
    /// The table as shown, as indices into the model's components.
    pub fn order(&self, cx: &Ctx) -> Rc<Vec<usize>> {
        let Some(model) = cx.model() else {
            return Rc::default();
        };
        let key = (
            cx.data.generation,
            self.filters.clone(),
            self.sort,
            self.descending,
        );
        self.order.get(key, || component_order(model, self))
    }

    /// The table as shown.
    pub fn shown<'a>(&self, cx: &Ctx<'a>) -> Vec<&'a Component> {
        let Some(model) = cx.model() else {
            return Vec::new();
        };
        self.order(cx)
            .iter()
            .map(|&i| &model.components[i])
            .collect()
    }

    /// The selected component.
    pub fn selected<'a>(&self, cx: &Ctx<'a>) -> Option<&'a Component> {
        let &i = self.order(cx).get(self.rows.selected)?;
        cx.model().map(|m| &m.components[i])
    }

    /// Shows the table under `filters`, from its first row.
    pub fn filter_by(&mut self, filters: Filters) {
        self.filters = filters;
        self.rows = Scroll::default();
    }

    /// Selects component `id`, dropping the filters when they hide it.
    pub fn select_id(&mut self, cx: &Ctx, id: &str) {
        if !self.shown(cx).iter().any(|c| c.id == id) {
            self.filters = Filters::default();
        }
        self.rows.selected = self.shown(cx).iter().position(|c| c.id == id).unwrap_or(0);
    }

    fn cycle_filter(&mut self, action: Action, model: &Model) {
        let f = &mut self.filters;
        match action {
            Action::FilterLayer => {
                let values = filter_values(model, |c| c.layer.clone());
                f.layer = cycle(&f.layer, &values);
            }
            Action::FilterPillar => {
                let values = filter_values(model, |c| c.pillar.clone());
                f.pillar = cycle(&f.pillar, &values);
            }
            Action::FilterOwner => {
                let values = filter_values(model, |c| Some(c.owner.clone()));
                f.owner = cycle(&f.owner, &values);
                f.kind = None;
            }
            _ => {
                let values = filter_values(model, |c| c.tier.map(|t| t.to_string()));
                let current = f.tier.map(|t| t.to_string());
                f.tier = cycle(&current, &values).and_then(|t| t.parse().ok());
            }
        }
        self.rows = Scroll::default();
    }
}

impl TabState for ComponentsTab {
    fn context(&self) -> Option<Context> {
        Some(Context::Components)
    }

    fn scroll(&mut self) -> Option<&mut Scroll> {
        Some(&mut self.rows)
    }

    fn len(&self, cx: &Ctx) -> usize {
        self.order(cx).len()
    }

    fn open(&mut self, cx: &Ctx, _out: &mut Out) -> Option<Go> {
        self.selected(cx)
            .map(|c| Go::Subject(Subject::new(SubjectKind::Team, &c.owner)))
    }

    fn subject(&self, cx: &Ctx) -> Option<Subject> {
        self.selected(cx)
            .map(|c| Subject::new(SubjectKind::Component, &c.id))
    }

    fn apply(&mut self, action: Action, cx: &Ctx, _out: &mut Out) {
        match action {
            Action::Sort => self.sort = self.sort.next(),
            Action::Reverse => self.descending = !self.descending,
            Action::FilterLayer
            | Action::FilterPillar
            | Action::FilterOwner
            | Action::FilterTier => {
                if let Some(model) = cx.model() {
                    self.cycle_filter(action, model);
                }
            }
            Action::ClearFilters => self.filters = Filters::default(),
            _ => {}
        }
    }

    fn keys(&self) -> Keys {
        vec![
            (vec![Action::Open], "owner"),
            (vec![Action::Sort], "sort"),
            (
                vec![
                    Action::FilterLayer,
                    Action::FilterPillar,
                    Action::FilterOwner,
                    Action::FilterTier,
                ],
                "filter",
            ),
            (vec![Action::ClearFilters], "clear"),
        ]
    }

    fn follows_selection(&self) -> bool {
        true
    }

    fn uses_history(&self) -> bool {
        true
    }
}

/// The components table: filtered, then sorted (ties by id).
pub fn component_rows<'a>(model: &'a Model, state: &ComponentsTab) -> Vec<&'a Component> {
    component_order(model, state)
        .into_iter()
        .map(|i| &model.components[i])
        .collect()
}

/// The same as indices into the model's components.
pub fn component_order(model: &Model, state: &ComponentsTab) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..model.components.len())
        .filter(|&i| state.filters.keeps(model, &model.components[i]))
        .collect();
    let key = |c: &Component| -> (String, String) {
        let k = match state.sort {
            SortColumn::Id => String::new(),
            SortColumn::Name => c.name.to_lowercase(),
            SortColumn::Layer => c.layer.clone().unwrap_or_default(),
            SortColumn::Pillar => c.pillar.clone().unwrap_or_default(),
            SortColumn::Owner => c.owner.clone(),
            SortColumn::Tier => c.tier.map(|t| t.to_string()).unwrap_or_else(|| "9".into()),
        };
        (k, c.id.clone())
    };
    rows.sort_by_cached_key(|&i| key(&model.components[i]));
    if state.descending {
        rows.reverse();
    }
    rows
}

/// The distinct values a filter can take, in order, for cycling through them.
pub fn filter_values(model: &Model, pick: impl Fn(&Component) -> Option<String>) -> Vec<String> {
    let mut values: Vec<String> = model.components.iter().filter_map(pick).collect();
    values.sort();
    values.dedup();
    values
}

/// The next value of a filter: none -> first -> … -> last -> none.
pub fn cycle(current: &Option<String>, values: &[String]) -> Option<String> {
    match current {
        None => values.first().cloned(),
        Some(v) => {
            let i = values.iter().position(|x| x == v);
            i.and_then(|i| values.get(i + 1)).cloned()
        }
    }
}
