//! Table columns sized to their content: each column asks for the width of
//! its widest cell; when the table is narrower than that, the columns that
//! matter least give way first (down to their minimum, then out of sight),
//! and the ones marked `keep` (ids, owners) are cut only when nothing else
//! is left to give.

/// What a column asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The width of its widest cell (header included).
    pub want: usize,
    /// The narrowest it may become before it is hidden instead.
    pub min: usize,
    /// Never cut while another column can give way (ids, owners).
    pub keep: bool,
    /// Which gives way first: the highest `yields` shrinks and hides first.
    pub yields: u8,
    /// Takes the room left over when everything fits (a name column).
    pub grow: bool,
}

impl Column {
    /// A column that is never cut while others can give way.
    pub fn keep(want: usize) -> Column {
        Column {
            want,
            min: want,
            keep: true,
            yields: 0,
            grow: false,
        }
    }

    /// A column that gives way at rank `yields`, down to `min` cells.
    pub fn flexible(want: usize, min: usize, yields: u8) -> Column {
        Column {
            want,
            min: min.min(want),
            keep: false,
            yields,
            grow: false,
        }
    }

    /// This column takes the room left over.
    pub fn growing(self) -> Column {
        Column { grow: true, ..self }
    }

    /// Sizes a column to the widest of `cells`.
    pub fn want_of<'a>(cells: impl IntoIterator<Item = &'a str>) -> usize {
        cells.into_iter().map(super::width).max().unwrap_or(0)
    }
}

/// Widths for `cols` in a table `width` cells wide with `gap` cells between
/// neighbouring shown columns. A width of 0 means the column is hidden. The
/// widths and gaps of the shown columns never add up to more than `width`.
pub fn fit_columns(cols: &[Column], width: usize, gap: usize) -> Vec<usize> {
    let n = cols.len();
    let mut shown = vec![true; n];
    let total = |w: &[usize], shown: &[bool]| -> usize {
        let count = shown.iter().filter(|s| **s).count();
        w.iter().sum::<usize>() + gap * count.saturating_sub(1)
    };
    // Ranks, the first to give way first; `keep` columns last of all.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| {
        (
            cols[i].keep,
            std::cmp::Reverse(cols[i].yields),
            std::cmp::Reverse(i),
        )
    });
    // 1. Hide columns (least important first) until the minimums fit.
    let mins = |shown: &[bool]| -> Vec<usize> {
        (0..n)
            .map(|i| if shown[i] { cols[i].min.max(1) } else { 0 })
            .collect()
    };
    for &i in &order {
        if total(&mins(&shown), &shown) <= width || cols[i].keep {
            break;
        }
        shown[i] = false;
    }
    // 2. Every shown column at its want, then shrink in order.
    let mut w: Vec<usize> = (0..n)
        .map(|i| if shown[i] { cols[i].want.max(1) } else { 0 })
        .collect();
    for &i in &order {
        let over = total(&w, &shown).saturating_sub(width);
        if over == 0 {
            break;
        }
        if !shown[i] {
            continue;
        }
        let floor = if cols[i].keep { 1 } else { cols[i].min.max(1) };
        let give = over.min(w[i].saturating_sub(floor));
        w[i] -= give;
    }
    // 3. Still too wide (a tiny table): cut from the right, hiding columns.
    while total(&w, &shown) > width {
        let Some(last) = (0..n).rev().find(|&i| shown[i]) else {
            break;
        };
        let over = total(&w, &shown) - width;
        if w[last] > over && w[last] - over >= 1 {
            w[last] -= over;
        } else {
            shown[last] = false;
            w[last] = 0;
        }
    }
    // 4. Room to spare: the growing columns share it.
    let spare = width.saturating_sub(total(&w, &shown));
    let growing: Vec<usize> = (0..n).filter(|&i| shown[i] && cols[i].grow).collect();
    if spare > 0 && !growing.is_empty() {
        let each = spare / growing.len();
        let extra = spare % growing.len();
        for (k, &i) in growing.iter().enumerate() {
            w[i] += each + usize::from(k < extra);
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sum(w: &[usize], gap: usize) -> usize {
        let shown = w.iter().filter(|x| **x > 0).count();
        w.iter().sum::<usize>() + gap * shown.saturating_sub(1)
    }

    #[test]
    fn everything_fits_and_the_name_takes_the_rest() {
        let cols = [
            Column::keep(18),
            Column::flexible(30, 8, 1).growing(),
            Column::flexible(12, 6, 2),
            Column::keep(4),
        ];
        let w = fit_columns(&cols, 80, 1);
        assert_eq!(w, vec![18, 80 - 18 - 12 - 4 - 3, 12, 4]);
    }

    #[test]
    fn ids_keep_their_width_while_others_give_way() {
        // id, name, layer, pillar, owner, tier on 78 cells: the id and the
        // owner stay whole; pillar shrinks first, then layer, then name.
        let cols = [
            Column::keep(18),
            Column::flexible(40, 10, 1).growing(),
            Column::flexible(21, 8, 2),
            Column::flexible(22, 8, 3),
            Column::keep(18),
            Column::keep(5),
        ];
        let w = fit_columns(&cols, 78, 1);
        assert_eq!(w[0], 18);
        assert_eq!(w[4], 18);
        assert_eq!(w[5], 5);
        assert_eq!(w[3], 8, "{w:?}");
        assert_eq!(sum(&w, 1), 78);
        // Narrower still: the pillar is hidden before an id is cut.
        let w = fit_columns(&cols, 60, 1);
        assert_eq!((w[0], w[4], w[5]), (18, 18, 5), "{w:?}");
        assert_eq!(w[3], 0, "{w:?}");
        assert!(sum(&w, 1) <= 60);
    }

    #[test]
    fn a_tiny_table_cuts_even_what_it_would_keep() {
        let cols = [Column::keep(20), Column::keep(20)];
        let w = fit_columns(&cols, 15, 1);
        assert!(sum(&w, 1) <= 15, "{w:?}");
        assert!(w[0] > 0);
    }

    fn column() -> impl Strategy<Value = Column> {
        (1usize..40, 1usize..20, any::<bool>(), 0u8..4, any::<bool>()).prop_map(
            |(want, min, keep, yields, grow)| {
                let c = if keep {
                    Column::keep(want)
                } else {
                    Column::flexible(want, min, yields)
                };
                if grow { c.growing() } else { c }
            },
        )
    }

    proptest! {
        #[test]
        fn the_table_never_overflows(
            cols in proptest::collection::vec(column(), 0..8),
            width in 0usize..200,
            gap in 0usize..3,
        ) {
            let w = fit_columns(&cols, width, gap);
            prop_assert_eq!(w.len(), cols.len());
            prop_assert!(sum(&w, gap) <= width);
        }

        #[test]
        fn a_kept_column_is_whole_whenever_a_flexible_one_is_shown(
            cols in proptest::collection::vec(column(), 1..8),
            width in 0usize..200,
        ) {
            let w = fit_columns(&cols, width, 1);
            let flexible_shown = cols.iter().zip(&w).any(|(c, w)| !c.keep && *w > 0);
            if flexible_shown {
                for (c, w) in cols.iter().zip(&w) {
                    if c.keep {
                        prop_assert!(*w >= c.want, "{cols:?} {width} -> {w}");
                    }
                }
            }
        }

        #[test]
        fn when_everything_fits_nothing_is_cut(
            cols in proptest::collection::vec(column(), 0..8),
        ) {
            let need: usize = cols.iter().map(|c| c.want).sum::<usize>()
                + cols.len().saturating_sub(1);
            let w = fit_columns(&cols, need + 5, 1);
            for (c, w) in cols.iter().zip(&w) {
                prop_assert!(*w >= c.want);
            }
        }
    }
}
