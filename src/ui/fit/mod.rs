//! Fitting text into the cells a terminal has: display-width truncation
//! with `…`, table columns sized to their content, a window of matrix
//! columns, word wrap with a hanging indent, scroll clamping and the
//! choice of status-bar entries.
//!
//! Everything here is pure (strings, widths and ratatui `Line`s in, the
//! same out) so the views can lean on it and the properties can be tested
//! without drawing. Widths are terminal cells, measured grapheme by
//! grapheme exactly as ratatui's buffer measures them, so what is computed
//! here is what lands on screen: a wide character is never split, a
//! combining mark never separated from its base.

pub mod bar;
pub mod columns;
pub mod grid;
pub mod pane;
pub mod scroll;
pub mod table;
pub mod text;
pub mod window;
pub mod wrap;

pub use columns::{Column, fit_columns};
pub use grid::cards_per_row;
pub use pane::Pane;
pub use scroll::clamp_scroll;
pub use text::{ELLIPSIS, pad, pad_left, truncate, width};
pub use window::ColumnWindow;
pub use wrap::{glue, hanging_indent, wrap_line, wrap_lines};
