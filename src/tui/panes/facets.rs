//! The facet picker: kinds, actors, places and sources, each with its count under the current
//! filter; picking one writes it into the query text, so the query always says what is applied.

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::domain::model::Situation;
use crate::domain::text::{fit, pad};
use crate::tui::theme::Theme;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetItem {
    pub label: String,
    /// The value written after `field:` in the query.
    pub value: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetGroup {
    pub name: &'static str,
    pub field: &'static str,
    pub items: Vec<FacetItem>,
}

#[derive(Debug, Clone, Default)]
pub struct FacetState {
    pub groups: Vec<FacetGroup>,
    pub group: usize,
    pub selected: usize,
    /// The query text at the last change, to show which facets are picked.
    pub query_text: String,
}

/// The values of `field:` terms written in a query text (not negated).
#[must_use]
pub fn picked_values(query_text: &str, field: &str) -> Vec<String> {
    let prefix = format!("{field}:");
    query_text
        .split_whitespace()
        .filter_map(|t| t.strip_prefix(&prefix))
        .flat_map(|v| v.split(','))
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// The query text with `field:value` added, or removed when it is there. Values of one field
/// share one term (`kind:a,b`), so they widen the filter instead of contradicting each other.
#[must_use]
pub fn toggle_value(query_text: &str, field: &str, value: &str) -> String {
    let prefix = format!("{field}:");
    let mut values = picked_values(query_text, field);
    if let Some(i) = values.iter().position(|v| v == value) {
        values.remove(i);
    } else {
        values.push(value.to_string());
    }
    let mut words: Vec<String> =
        query_text.split_whitespace().filter(|t| !t.starts_with(&prefix)).map(str::to_string).collect();
    if !values.is_empty() {
        words.push(format!("{prefix}{}", values.join(",")));
    }
    words.join(" ")
}

impl FacetState {
    /// Lists every kind, actor, place and source of the situation, counted over `matching`.
    pub fn open(&mut self, sit: &Situation, matching: &[u32], query_text: &str) {
        let mut kinds: Vec<FacetItem> = Vec::new();
        let mut seen_kinds = std::collections::BTreeSet::new();
        for e in &sit.events {
            seen_kinds.insert(e.kind);
        }
        for k in seen_kinds {
            kinds.push(FacetItem {
                label: format!("{} / {}", k.acled_event_type(), k.acled_sub_event_type()),
                value: k.id().to_string(),
                count: 0,
            });
        }
        let actors =
            sit.actors.iter().map(|a| FacetItem { label: a.name.clone(), value: a.id.clone(), count: 0 }).collect();
        let places =
            sit.places.iter().map(|p| FacetItem { label: p.name.clone(), value: p.id.clone(), count: 0 }).collect();
        let sources = sit
            .sources
            .iter()
            .map(|s| FacetItem { label: s.publisher.clone(), value: s.id.clone(), count: 0 })
            .collect();
        self.groups = vec![
            FacetGroup { name: "Kinds", field: "kind", items: kinds },
            FacetGroup { name: "Actors", field: "actor", items: actors },
            FacetGroup { name: "Places", field: "place", items: places },
            FacetGroup { name: "Sources", field: "source", items: sources },
        ];
        self.group = self.group.min(self.groups.len() - 1);
        self.selected = 0;
        self.query_text = query_text.to_string();
        self.recount(sit, matching);
    }

    /// Counts each facet over the events that match now.
    pub fn recount(&mut self, sit: &Situation, matching: &[u32]) {
        let mut kind: HashMap<&str, usize> = HashMap::new();
        let mut actor: HashMap<&str, usize> = HashMap::new();
        let mut place: HashMap<&str, usize> = HashMap::new();
        let mut source: HashMap<&str, usize> = HashMap::new();
        for &i in matching {
            let e = &sit.events[i as usize];
            *kind.entry(e.kind.id()).or_default() += 1;
            for a in sit.by(e).chain(sit.against(e)) {
                *actor.entry(a).or_default() += 1;
            }
            // A place counts the events at it and at the places inside it.
            let mut current = Some(&*e.place);
            for _ in 0..=sit.places.len() {
                let Some(id) = current else { break };
                *place.entry(id).or_default() += 1;
                current = sit.place(id).and_then(|p| p.part_of.as_deref());
            }
            // A row's own claim cites its source; the stored claims cite theirs.
            let mut sources: Vec<&str> = e
                .row
                .and_then(|r| sit.sources.get(r.source as usize))
                .map(|s| s.id.as_str())
                .into_iter()
                .chain(
                    e.written()
                        .claims
                        .iter()
                        .chain(e.written().casualties.iter().flat_map(|f| &f.claims))
                        .filter_map(|c| sit.claim_index(c))
                        .map(|i| sit.claims[i].source.as_str()),
                )
                .chain(sit.read_casualties_of(e).next().map(|_| crate::domain::read_claims::NOTES_SOURCE))
                .collect();
            sources.sort_unstable();
            sources.dedup();
            for s in sources {
                *source.entry(s).or_default() += 1;
            }
        }
        for (group, counts) in self.groups.iter_mut().zip([kind, actor, place, source]) {
            for item in &mut group.items {
                item.count = counts.get(item.value.as_str()).copied().unwrap_or(0);
            }
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        let len = self.groups.get(self.group).map_or(0, |g| g.items.len());
        self.selected = self.selected.saturating_add_signed(delta).min(len.saturating_sub(1));
    }

    pub fn next_group(&mut self) {
        if !self.groups.is_empty() {
            self.group = (self.group + 1) % self.groups.len();
            self.selected = 0;
        }
    }

    /// The query text with the selected facet toggled.
    pub fn toggle(&mut self, query_text: &str) -> String {
        let Some(group) = self.groups.get(self.group) else { return query_text.to_string() };
        let Some(item) = group.items.get(self.selected) else { return query_text.to_string() };
        let text = toggle_value(query_text, group.field, &item.value);
        self.query_text.clone_from(&text);
        text
    }
}

/// Draws the picker over the panes.
pub struct FacetsView<'a> {
    pub state: &'a FacetState,
    pub theme: Theme,
}

impl Widget for FacetsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        Clear.render(area, buf);
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(self.theme.border_focused)
            .title(Line::styled("Facets (Space picks, Tab next group, Esc closes)", self.theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 2 || inner.width == 0 {
            return;
        }
        let tabs: Vec<Span> = self
            .state
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                Span::styled(
                    format!(" {} ", g.name),
                    if i == self.state.group { self.theme.selected } else { self.theme.dim },
                )
            })
            .collect();
        Line::from(tabs).render(Rect { height: 1, ..inner }, buf);
        let Some(group) = self.state.groups.get(self.state.group) else { return };
        let picked = picked_values(&self.state.query_text, group.field);
        let list = Rect { y: inner.y + 1, height: inner.height - 1, ..inner };
        let height = list.height as usize;
        let offset = self.state.selected.saturating_sub(height.saturating_sub(1));
        let width = list.width as usize;
        for (n, item) in group.items.iter().enumerate().skip(offset).take(height) {
            let y = list.y + (n - offset) as u16;
            let mark = if picked.contains(&item.value) { "[x] " } else { "[ ] " };
            let count = format!("{:>7}", item.count);
            let text = format!("{mark}{}", pad(&item.label, width.saturating_sub(4 + count.len() + 1)));
            let style = if n == self.state.selected {
                self.theme.selected
            } else if item.count == 0 {
                self.theme.dim
            } else {
                Style::new()
            };
            let row = Rect { x: list.x, y, width: list.width, height: 1 };
            buf.set_style(row, style);
            Line::from(vec![
                Span::raw(fit(&text, width.saturating_sub(count.len()))),
                Span::raw(" "),
                Span::raw(count),
            ])
            .style(style)
            .render(row, buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_values_of_one_field_shares_one_term() {
        let t = toggle_value("saraqeb", "kind", "air_drone_strike");
        assert_eq!(t, "saraqeb kind:air_drone_strike");
        let t = toggle_value(&t, "kind", "armed_clash");
        assert_eq!(t, "saraqeb kind:air_drone_strike,armed_clash");
        let t = toggle_value(&t, "kind", "air_drone_strike");
        assert_eq!(t, "saraqeb kind:armed_clash");
        assert_eq!(toggle_value(&t, "kind", "armed_clash"), "saraqeb");
    }
}
