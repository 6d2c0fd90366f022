//! The Components tab: every component, filtered and sorted; Enter shows
//! its owner.

use crate::app::action::{Action, Context};
use crate::app::filter::TextFilter;
use crate::app::filters::Filters;
use crate::app::list::{Memo, Scroll};
use crate::app::picker::{Choice, PickFor, Picker};
use crate::app::tab::filter_keys;
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
    /// Filter in place (`f`) on the text the rows show.
    pub text: TextFilter,
    /// The table's order for (model, filters, text, sort): sorted once per
    /// change, not once per frame and key.
    order: Memo<(u64, Filters, String, SortColumn, bool), Vec<usize>>,
    /// The widest cell of each column among the rows shown, for (model,
    /// filters, text): the view measures them (it knows how text is
    /// drawn) once per change of which rows are shown, not once per frame.
    pub cell_widths: Memo<(u64, Filters, String), [usize; 6]>,
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
            self.text.text().to_string(),
            self.sort,
            self.descending,
        );
        self.order
            .get(key, || match &cx.data.facts.prepared.component_order {
                Some(order) if self.is_first_view() => order.to_vec(),
                _ => component_order(model, self),
            })
    }

    /// The table as it first shows: every row, by id (what the loader
    /// prepares, see `Prepared`).
    pub fn is_first_view(&self) -> bool {
        self.filters == Filters::default()
            && self.text.text().is_empty()
            && self.sort == SortColumn::default()
            && !self.descending
    }

    /// What decides which rows are shown (not their order).
    pub fn rows_key(&self, cx: &Ctx) -> (u64, Filters, String) {
        (
            cx.data.generation,
            self.filters.clone(),
            self.text.text().to_string(),
        )
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
            self.text.clear();
        }
        self.rows.selected = self.shown(cx).iter().position(|c| c.id == id).unwrap_or(0);
    }

    /// A picker over the values a filter can take, each with how many
    /// components it keeps, the current value selected.
    fn picker(&self, purpose: PickFor, model: &Model) -> Picker {
        let f = &self.filters;
        let (what, current, pick): (&str, Option<String>, ValueOf) = match purpose {
            PickFor::Layer => ("layer", f.layer.clone(), |c| c.layer.clone()),
            PickFor::Pillar => ("pillar", f.pillar.clone(), |c| c.pillar.clone()),
            PickFor::Owner => ("owner", f.owner.clone(), |c| Some(c.owner.clone())),
            _ => ("tier", f.tier.map(|t| t.to_string()), |c| {
                c.tier.map(|t| t.to_string())
            }),
        };
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        for c in &model.components {
            if let Some(v) = pick(c) {
                *counts.entry(v).or_default() += 1;
            }
        }
        let choices = counts
            .into_iter()
            .map(|(value, n)| {
                let name = match purpose {
                    PickFor::Layer => model.layer(&value).map(|l| l.name.clone()),
                    PickFor::Pillar => model.pillar(&value).map(|p| p.name.clone()),
                    PickFor::Owner => model.team(&value).map(|t| t.name.clone()),
                    _ => None,
                };
                let label = match name {
                    Some(name) if name != value => format!("{value} · {name}"),
                    _ if purpose == PickFor::Tier => format!("tier {value}"),
                    _ => value.clone(),
                };
                let label = crate::sanitize::line(&label).into_owned();
                let detail = format!("{n} component{}", if n == 1 { "" } else { "s" });
                Choice::new(value, label, detail)
            })
            .collect();
        Picker::new(what, choices, current.as_deref())
    }

    /// A value picked for a filter (None: that filter cleared).
    pub fn set_filter(&mut self, purpose: PickFor, value: Option<String>) {
        let f = &mut self.filters;
        match purpose {
            PickFor::Layer => f.layer = value,
            PickFor::Pillar => f.pillar = value,
            PickFor::Owner => {
                f.owner = value;
                f.kind = None;
            }
            PickFor::Tier => f.tier = value.and_then(|t| t.parse().ok()),
            PickFor::ChangeKind => {}
        }
        self.rows = Scroll::default();
    }
}

/// A component's value for one filter (its layer, pillar, owner, tier).
type ValueOf = fn(&Component) -> Option<String>;

/// What a row of the table shows that the filter in place looks at.
pub fn row_text(c: &Component) -> String {
    let tier = c.tier.map(|t| t.to_string()).unwrap_or_default();
    format!(
        "{} {} {} {} {} {tier}",
        c.id,
        c.name,
        c.layer.as_deref().unwrap_or(""),
        c.pillar.as_deref().unwrap_or(""),
        c.owner
    )
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

    fn apply(&mut self, action: Action, cx: &Ctx, out: &mut Out) {
        match action {
            Action::Sort => self.sort = self.sort.next(),
            Action::Reverse => self.descending = !self.descending,
            Action::FilterLayer
            | Action::FilterPillar
            | Action::FilterOwner
            | Action::FilterTier => {
                let purpose = match action {
                    Action::FilterLayer => PickFor::Layer,
                    Action::FilterPillar => PickFor::Pillar,
                    Action::FilterOwner => PickFor::Owner,
                    _ => PickFor::Tier,
                };
                if let Some(model) = cx.model() {
                    out.picker = Some((purpose, self.picker(purpose, model)));
                }
            }
            Action::ClearFilters => {
                self.filters = Filters::default();
                self.text.clear();
            }
            _ => {}
        }
    }

    fn filter(&mut self) -> Option<&mut TextFilter> {
        Some(&mut self.text)
    }

    fn typing(&self) -> bool {
        self.text.is_typing()
    }

    fn keys(&self) -> Keys {
        if self.text.is_typing() {
            return filter_keys();
        }
        vec![
            (vec![Action::Open], "owner"),
            (vec![Action::Filter], "filter"),
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
    let matcher = state.text.matcher();
    let mut rows: Vec<usize> = (0..model.components.len())
        .filter(|&i| state.filters.keeps(model, &model.components[i]))
        .filter(|&i| matcher.is_empty() || matcher.matches(&row_text(&model.components[i])))
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
    match state.sort {
        // By id alone: compared in place (a key per component cloned every
        // id: at 200,000 components, most of the loader's time preparing
        // the tab). Stable, as the keyed sort is for equal keys.
        SortColumn::Id => {
            rows.sort_by(|&a, &b| model.components[a].id.cmp(&model.components[b].id))
        }
        _ => rows.sort_by_cached_key(|&i| key(&model.components[i])),
    }
    if state.descending {
        rows.reverse();
    }
    rows
}
