//! A window of matrix columns: as many as fit from the first shown one,
//! each as wide as its content (up to a cap), keeping the selected column
//! in sight; and the "columns x-y of N" that says what is out of sight.

/// Which columns are shown, and how wide each is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnWindow {
    /// Index of the first shown column.
    pub first: usize,
    /// The widths of the shown columns, in order (gaps not included).
    pub widths: Vec<usize>,
    /// How many columns there are in all.
    pub total: usize,
}

impl ColumnWindow {
    /// Picks the columns to show in `room` cells, each column taking its
    /// `wants` (capped at `cap`) plus `gap` after it. The window starts at
    /// `prev_first` when the `selected` column is in sight from there, and
    /// moves just enough to bring it in sight otherwise. A column wider
    /// than the room is shown cut to the room (with `…` by whoever draws
    /// it). Spare room goes back to the columns the cap cut, evenly, up
    /// to their want, so a matrix grows to the width available.
    pub fn fit(
        wants: &[usize],
        cap: usize,
        gap: usize,
        room: usize,
        selected: usize,
        prev_first: usize,
    ) -> ColumnWindow {
        let total = wants.len();
        if total == 0 || room == 0 {
            return ColumnWindow {
                first: 0,
                widths: Vec::new(),
                total,
            };
        }
        let cap = cap.max(1);
        let want = |i: usize| wants[i].clamp(1, cap);
        let selected = selected.min(total - 1);
        // How many columns fit from `first`.
        let count_from = |first: usize| -> usize {
            let mut used = 0;
            let mut n = 0;
            for i in first..total {
                let need = want(i) + if n > 0 { gap } else { 0 };
                if used + need > room {
                    break;
                }
                used += need;
                n += 1;
            }
            n.max(1)
        };
        let mut first = prev_first.min(total - 1).min(selected);
        while selected >= first + count_from(first) {
            first += 1;
        }
        // At the end, fill leftwards so no room is wasted: one more
        // column on the left as long as none is lost on the right.
        let end_from = |first: usize| (first + count_from(first)).min(total);
        while first > 0 && end_from(first - 1) >= end_from(first) {
            first -= 1;
        }
        let n = count_from(first);
        let mut widths: Vec<usize> = (first..first + n).map(want).collect();
        let used: usize = widths.iter().sum::<usize>() + gap * (n - 1);
        if used > room {
            // One column wider than the room.
            widths[0] = room;
        } else {
            // Room to spare: columns cut by the cap get it back, in turn.
            let mut spare = room - used;
            while spare > 0 {
                let mut gave = false;
                for (k, w) in widths.iter_mut().enumerate() {
                    if spare > 0 && *w < wants[first + k] {
                        *w += 1;
                        spare -= 1;
                        gave = true;
                    }
                }
                if !gave {
                    break;
                }
            }
        }
        ColumnWindow {
            first,
            widths,
            total,
        }
    }

    /// One past the last shown column.
    pub fn end(&self) -> usize {
        self.first + self.widths.len()
    }

    /// True when every column is shown.
    pub fn all_shown(&self) -> bool {
        self.first == 0 && self.widths.len() == self.total
    }

    /// "columns 3-7 of 17" (1-based, as read).
    pub fn label(&self) -> String {
        if self.total == 0 {
            return "no columns".to_string();
        }
        format!(
            "columns {}-{} of {}",
            self.first + 1,
            self.end(),
            self.total
        )
    }

    /// The shown column at `x` cells from the window's left edge, with
    /// `gap` cells after each column (for clicks).
    pub fn column_at(&self, x: usize, gap: usize) -> Option<usize> {
        let mut left = 0;
        for (k, w) in self.widths.iter().enumerate() {
            if x < left + w + gap {
                return (x < left + w).then_some(self.first + k);
            }
            left += w + gap;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn all_columns_when_they_fit() {
        let w = ColumnWindow::fit(&[8, 12, 5], 20, 1, 40, 0, 0);
        assert_eq!(w.widths, vec![8, 12, 5]);
        assert!(w.all_shown());
        assert_eq!(w.label(), "columns 1-3 of 3");
    }

    #[test]
    fn the_selection_stays_in_sight_and_the_window_moves_little() {
        let wants = [10; 10];
        // 10 + 1 per column: three fit in 33 cells.
        let w = ColumnWindow::fit(&wants, 20, 1, 33, 0, 0);
        assert_eq!((w.first, w.widths.len()), (0, 3));
        let w = ColumnWindow::fit(&wants, 20, 1, 33, 3, 0);
        assert_eq!((w.first, w.end()), (1, 4));
        assert_eq!(w.label(), "columns 2-4 of 10");
        // Moving back within the window leaves it where it was.
        let w = ColumnWindow::fit(&wants, 20, 1, 33, 2, 1);
        assert_eq!(w.first, 1);
        // At the end the window is full, not one lonely column.
        let w = ColumnWindow::fit(&wants, 20, 1, 33, 9, 9);
        assert_eq!((w.first, w.end()), (7, 10));
    }

    #[test]
    fn long_labels_are_capped_and_a_lone_wide_column_is_cut_to_the_room() {
        // Three capped columns fit in 40 cells; the two spare cells go
        // back to the capped ones.
        let w = ColumnWindow::fit(&[30, 4, 30], 16, 1, 40, 0, 0);
        assert_eq!(w.widths, vec![17, 4, 17]);
        // Two fit in 30; the nine spare cells go to the capped one.
        let w = ColumnWindow::fit(&[30, 4, 30], 16, 1, 30, 0, 0);
        assert_eq!(w.widths, vec![25, 4]);
        let w = ColumnWindow::fit(&[30], 40, 1, 12, 0, 0);
        assert_eq!(w.widths, vec![12]);
    }

    #[test]
    fn clicks_find_their_column() {
        let w = ColumnWindow::fit(&[3, 5, 2], 20, 1, 40, 0, 0);
        assert_eq!(w.column_at(0, 1), Some(0));
        assert_eq!(w.column_at(3, 1), None);
        assert_eq!(w.column_at(4, 1), Some(1));
        assert_eq!(w.column_at(10, 1), Some(2));
        assert_eq!(w.column_at(12, 1), None);
    }

    proptest! {
        #[test]
        fn the_window_fits_and_shows_the_selection(
            wants in proptest::collection::vec(1usize..30, 1..20),
            cap in 1usize..25,
            room in 1usize..120,
            selected in 0usize..20,
            prev in 0usize..20,
        ) {
            let w = ColumnWindow::fit(&wants, cap, 1, room, selected, prev);
            let selected = selected.min(wants.len() - 1);
            prop_assert!(!w.widths.is_empty());
            prop_assert!(w.first <= selected && selected < w.end());
            let used: usize = w.widths.iter().sum::<usize>() + w.widths.len() - 1;
            prop_assert!(used <= room);
            prop_assert!(w.end() <= w.total);
            for (k, width) in w.widths.iter().enumerate() {
                prop_assert!(*width <= wants[w.first + k].max(1));
            }
        }
    }
}
