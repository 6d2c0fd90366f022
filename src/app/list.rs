//! What every list and table of the dashboard shares: the selection and
//! its scroll (`Scroll`), and a memo for what a tab derives from the data
//! and its own state (`Memo`). One place, so no tab moves or clamps its
//! selection its own way.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

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

/// Moves an index by `delta` within `0..len` (one axis of a grid).
pub fn step_index(index: usize, delta: isize, len: usize) -> usize {
    (index as isize + delta).clamp(0, len.max(1) as isize - 1) as usize
}

/// A value derived from the data and a tab's state, computed once per
/// change of its key and shared (an `Rc`) by every reader until the next
/// change. A clone is empty: a remembered place (the back stack) must not
/// carry a copy of what it derived.
pub struct Memo<K, V> {
    cell: RefCell<Option<(K, Rc<V>)>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo {
            cell: RefCell::new(None),
        }
    }
}

impl<K, V> Clone for Memo<K, V> {
    fn clone(&self) -> Self {
        Memo::default()
    }
}

impl<K, V> std::fmt::Debug for Memo<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl<K, V> PartialEq for Memo<K, V> {
    /// What a memo holds follows from the rest of the state.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<K, V> Eq for Memo<K, V> {}

impl<K: PartialEq, V> Memo<K, V> {
    /// The value for `key`, computed by `make` only when the key changed.
    pub fn get(&self, key: K, make: impl FnOnce() -> V) -> Rc<V> {
        let mut cell = self.cell.borrow_mut();
        match &*cell {
            Some((k, v)) if *k == key => v.clone(),
            _ => {
                let v = Rc::new(make());
                *cell = Some((key, v.clone()));
                v
            }
        }
    }
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

    #[test]
    fn a_memo_computes_once_per_key() {
        let memo: Memo<u32, u32> = Memo::default();
        let calls = Cell::new(0);
        let make = |v| {
            calls.set(calls.get() + 1);
            v
        };
        assert_eq!(*memo.get(1, || make(10)), 10);
        assert_eq!(*memo.get(1, || make(11)), 10);
        assert_eq!(*memo.get(2, || make(12)), 12);
        assert_eq!(calls.get(), 2);
        assert_eq!(*memo.clone().get(2, || make(13)), 13);
    }
}
