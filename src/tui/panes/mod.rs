//! The dashboard's panes and overlays: each a state struct plus a widget that draws it.
//! What every list pane shares (its frame, how a row shows selection, how the selection
//! moves and stays on screen) lives here once.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Widget};

use crate::tui::theme::Theme;

pub mod counters;
pub mod detail;
pub mod facets;
pub mod map;
pub mod posts;
pub mod save;
pub mod timeline;
pub mod trend;

/// Draws a pane's border and title (highlighted when it has the keyboard); returns the
/// area inside.
pub fn frame(area: Rect, buf: &mut Buffer, title: &str, focused: bool, theme: &Theme) -> Rect {
    let border = if focused { theme.border_focused } else { theme.border };
    let block =
        Block::new().borders(Borders::ALL).border_style(border).title(Line::styled(title.to_string(), theme.title));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// How a row looks: reversed when selected in the focused pane, underlined when selected
/// elsewhere.
#[must_use]
pub fn row_style(selected: bool, focused: bool, theme: &Theme) -> Style {
    match (selected, focused) {
        (true, true) => theme.selected,
        (true, false) => theme.selected_unfocused,
        _ => Style::new(),
    }
}

/// Moves a selection by `delta` rows within `len` rows.
pub fn move_selection(selected: &mut usize, len: usize, delta: isize) {
    *selected = selected.saturating_add_signed(delta).min(len.saturating_sub(1));
}

/// Selects the row clicked at `visible_row` when there is one.
pub fn click_row(selected: &mut usize, offset: usize, len: usize, visible_row: usize) {
    let at = offset + visible_row;
    if at < len {
        *selected = at;
    }
}

/// Scrolls so that the selected row is among the `height` rows drawn.
pub fn scroll_into_view(selected: usize, offset: &mut usize, height: usize) {
    if height == 0 {
        return;
    }
    if selected < *offset {
        *offset = selected;
    } else if selected >= *offset + height {
        *offset = selected + 1 - height;
    }
}
