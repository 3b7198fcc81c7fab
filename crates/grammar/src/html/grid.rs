//! The grid: a table's cells laid out with their `rowspan` and `colspan`.
//!
//! The HTML table algorithm: a cell starts at the first column of its row not
//! covered by a `rowspan` from above. Spans are clamped to 1000, a `rowspan`
//! (or `rowspan="0"`) to the rows that follow, the grid to `MAX_GRID` (4 Mi)
//! positions and the layout work to `WORK_LIMIT` (32 Mi) steps, so absurd spans
//! neither allocate nor loop.

use crate::table::Spans;

use super::NONE;

/// Largest `rowspan`/`colspan` honoured.
const MAX_SPAN: usize = 1000;
/// Widest grid kept (columns further right are listed as cells but not in the grid).
const MAX_COLS: usize = 1 << 15;
/// Most grid positions allocated for one table.
pub(super) const MAX_GRID: usize = 1 << 22;
/// Most grid rows allocated for one table.
const MAX_GRID_ROWS: usize = 1 << 20;
/// Steps the grid layout may take before it stops honouring row spans.
const WORK_LIMIT: usize = 1 << 25;

/// Places the cells on the grid (the HTML table algorithm, with clamps): `rows`
/// rows; per cell its row and its `colspan` and `rowspan` as written.
pub(super) fn layout(rows: usize, raw: &[(usize, u32, u32)]) -> Spans {
    // pending[c]: the first row at which column c is no longer covered from above.
    let mut pending: Vec<usize> = Vec::new();
    let mut places: Vec<[usize; 4]> = Vec::with_capacity(raw.len());
    let mut width = 0usize;
    let mut work = 0usize;
    let mut current_row = NONE;
    let mut x = 0usize;
    for &(y, raw_col_span, raw_row_span) in raw {
        if y != current_row {
            current_row = y;
            x = 0;
        }
        while work < WORK_LIMIT && pending.get(x).is_some_and(|&until| until > y) {
            x += 1;
            work += 1;
        }
        let remaining = rows.saturating_sub(y).max(1);
        let row_span = match raw_row_span {
            0 => remaining,
            n => (n as usize).min(MAX_SPAN).min(remaining),
        };
        let row_span = if work >= WORK_LIMIT {
            1
        } else {
            row_span.max(1)
        };
        let col_span = (raw_col_span as usize).clamp(1, MAX_SPAN);
        if row_span > 1 {
            let upto = x.saturating_add(col_span).min(MAX_COLS);
            if pending.len() < upto {
                pending.resize(upto, 0);
            }
            for until in pending.iter_mut().take(upto).skip(x) {
                *until = (*until).max(y + row_span);
            }
            work += col_span;
        }
        places.push([y, x, row_span, col_span]);
        x = x.saturating_add(col_span);
        width = width.max(x);
    }
    let (grid_rows, grid_width) = clamped(rows, width);
    let mut grid = vec![vec![None; grid_width]; grid_rows];
    let mut fill = 0usize;
    'cells: for (idx, &[row, col, row_span, col_span]) in places.iter().enumerate() {
        let row_end = row.saturating_add(row_span).min(grid_rows);
        let col_end = col.saturating_add(col_span).min(grid_width);
        for line in grid.iter_mut().take(row_end).skip(row) {
            for slot in line.iter_mut().take(col_end).skip(col) {
                fill += 1;
                if fill > WORK_LIMIT {
                    break 'cells;
                }
                if slot.is_none() {
                    *slot = Some(idx);
                }
            }
        }
    }
    Spans { places, grid }
}

/// The grid kept of a table of `rows` rows and `width` columns: (rows, columns).
pub(super) fn clamped(rows: usize, width: usize) -> (usize, usize) {
    let grid_width = width.min(MAX_COLS);
    let grid_rows = rows.min(MAX_GRID / grid_width.max(1)).min(MAX_GRID_ROWS);
    (grid_rows, grid_width)
}
