//! The detail overlay: one event, post or figure in full, with every claim behind it, its
//! source and attribution, and disagreeing claims side by side.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, StatefulWidget, Widget, Wrap};

use crate::domain::figures::{FigureKind, TimeWindow, count_label, counts_toward_totals, post_state};
use crate::domain::model::{Claim, ObservationPost, Outcome, Place, PostStatusChange, SeriesKind, Situation};
use crate::domain::text::{excerpt, pad};
use crate::tui::panes::counters::{CounterRow, CountersState};

/// The most characters of one text the overlay shows: a pathological field cannot stall it.
const LONGEST: usize = 4_000;
use crate::tui::theme::Theme;

/// What the detail overlay shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetailTarget {
    Event(u32),
    Post(usize),
    Counter(CounterRow),
}

fn label(text: &str, theme: &Theme) -> Span<'static> {
    Span::styled(pad(text, 10), theme.key)
}

fn field(name: &str, value: String, theme: &Theme) -> Line<'static> {
    let value = if value.len() > LONGEST { excerpt(&value, LONGEST) } else { value };
    Line::from(vec![label(name, theme), Span::raw(value)])
}

fn source_of(sit: &Situation, claim: &Claim) -> String {
    match sit.source(&claim.source) {
        Some(s) => match s.published {
            Some(d) => format!("{}, {}", s.publisher, d.long()),
            None => s.publisher.clone(),
        },
        None => claim.source.clone(),
    }
}

/// A claim in two lines: who says it, where, how sure; then what it says.
fn claim_lines(sit: &Situation, claim: &Claim, chosen: bool, theme: &Theme) -> Vec<Line<'static>> {
    let mut head = vec![Span::styled(if chosen { "  ✓ " } else { "  ▸ " }, theme.key)];
    if let Some(count) = &claim.count {
        let unit = claim.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
        head.push(Span::styled(format!("{}{unit} ", count_label(count)), theme.error));
        head.push(Span::styled(format!("[{}] ", count.qualifier.word()), theme.dim));
    }
    head.push(Span::styled(excerpt(&claim.attributed_to, 200), theme.title));
    head.push(Span::styled(format!(" · {}", source_of(sit, claim)), theme.dim));
    if let Some(conf) = claim.confidence {
        head.push(Span::styled(format!(" · {conf:?} confidence").to_lowercase(), theme.dim));
    }
    let mut lines = vec![Line::from(head), Line::raw(format!("      {}", excerpt(&claim.statement, LONGEST)))];
    lines.extend(quote_line(claim, theme));
    if let Some(raw) = claim.count.as_ref().and_then(|c| c.raw.as_ref()) {
        lines.push(Line::styled(format!("      phrase: \"{raw}\""), theme.dim));
    }
    if let Some(note) = &claim.note {
        lines.push(Line::styled(format!("      note: {note}"), theme.dim));
    }
    lines
}

/// The words a claim was read from, inside their sentence: `… before «quote» after …`.
fn quote_line(claim: &Claim, theme: &Theme) -> Option<Line<'static>> {
    let quote = claim.quote.as_deref()?;
    let context = claim.context.as_deref().unwrap_or(quote);
    let (before, after) = match context.find(quote) {
        Some(at) => (&context[..at], &context[at + quote.len()..]),
        None => ("", ""),
    };
    // At most 60 characters of sentence on either side, cut on characters.
    let tail: String = {
        let n = before.chars().count();
        let kept: String = before.chars().skip(n.saturating_sub(60)).collect();
        if n > 60 { format!("…{kept}") } else { kept }
    };
    let head: String = {
        let kept: String = after.chars().take(60).collect();
        if after.chars().count() > 60 { format!("{kept}…") } else { kept }
    };
    Some(Line::from(vec![
        Span::styled("      in the text: ", theme.dim),
        Span::styled(tail, theme.dim),
        Span::styled(excerpt(quote, LONGEST), theme.title),
        Span::styled(head, theme.dim),
    ]))
}

/// Claims about one figure as a table, so that disagreeing values read side by side.
fn figure_table(sit: &Situation, claims: &[String], chosen: &str, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        format!("    {} {} {} {}", pad("value", 9), pad("phrase", 24), pad("attributed to", 38), "source"),
        theme.dim,
    )];
    for id in claims {
        let Some(claim) = sit.claim(id) else { continue };
        let value = claim.count.as_ref().map(count_label).unwrap_or_default();
        let raw = claim.count.as_ref().and_then(|c| c.raw.clone()).unwrap_or_default();
        let mark = if id == chosen { "  ✓ " } else { "    " };
        lines.push(Line::from(vec![
            Span::styled(mark, theme.key),
            Span::styled(pad(&value, 9), theme.error),
            Span::raw(" "),
            Span::raw(pad(&format!("\"{raw}\""), 24)),
            Span::raw(" "),
            Span::raw(pad(&claim.attributed_to, 38)),
            Span::raw(" "),
            Span::styled(source_of(sit, &claim), theme.dim),
        ]));
        lines.extend(quote_line(&claim, theme));
    }
    if claims.len() > 1 {
        lines.push(Line::styled("    ✓ marks the value counted; the others stay on record.", theme.dim));
    }
    lines
}

fn place_text(sit: &Situation, place: &Place) -> String {
    let coords = match (place.lat, place.lon) {
        (Some(lat), Some(lon)) => {
            let conf = place.coord_confidence.map(|c| format!(", {c:?} confidence").to_lowercase()).unwrap_or_default();
            format!(" · {lat:.2}, {lon:.2}{conf}")
        }
        _ => " · no coordinates".to_string(),
    };
    let within = place.part_of.as_deref().map(|p| format!(" · in {}", sit.place_name(p))).unwrap_or_default();
    format!("{} ({}){coords}{within}", place.name, place.geo_precision.word())
}

/// The overlay's title and lines for a target.
#[must_use]
pub fn detail_lines(
    sit: &Situation,
    target: &DetailTarget,
    events: &[u32],
    counters: &CountersState,
    window: TimeWindow,
    theme: &Theme,
) -> (String, Vec<Line<'static>>) {
    match target {
        DetailTarget::Event(i) => event_detail(sit, *i as usize, theme),
        DetailTarget::Post(i) => post_detail(sit, *i, window, theme),
        DetailTarget::Counter(row) => counter_detail(sit, row, events, counters, window, theme),
    }
}

fn event_detail(sit: &Situation, index: usize, theme: &Theme) -> (String, Vec<Line<'static>>) {
    let Some(e) = sit.events.get(index) else { return ("Event".into(), vec![]) };
    let span = e.span();
    let mut lines = vec![
        Line::styled(excerpt(&e.summary(sit), 300), theme.title),
        Line::raw(""),
        field("id", e.id.to_string(), theme),
        field("date", format!("{} ({} precision)", span.label(), span.precision_word()), theme),
        field("status", e.status.word().to_string(), theme),
        field(
            "kind",
            format!("{} · ACLED: {} / {}", e.kind.id(), e.kind.acled_event_type(), e.kind.acled_sub_event_type()),
            theme,
        ),
        field(
            "place",
            sit.place(&e.place).map_or_else(
                || e.place.to_string(),
                |p| match e.geo_precision {
                    // The report's own precision, not the first report's at this place.
                    Some(precision) => place_text(sit, &Place { geo_precision: precision, ..p.clone() }),
                    None => place_text(sit, p),
                },
            ),
            theme,
        ),
    ];
    let names = |ids: crate::domain::derived::ActorIds<'_>| {
        ids.map(|a| sit.actor_name(a).to_string()).collect::<Vec<_>>().join(", ")
    };
    if sit.by(e).len() > 0 {
        lines.push(field("by", names(sit.by(e)), theme));
    }
    if sit.against(e).len() > 0 {
        lines.push(field("against", names(sit.against(e)), theme));
    }
    if let Some(other) = &e.written().same_incident_as {
        lines.push(field("same as", format!("{other}: another report of that incident, not counted twice"), theme));
    } else if !counts_toward_totals(e) {
        lines.push(field("counted", "no: not (yet) occurred".to_string(), theme));
    }
    if let Some(notes) = sit.notes(e) {
        lines.push(field("notes", excerpt(&notes, LONGEST), theme));
    }
    let casualties = sit.casualties_of(e);
    if !casualties.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Figures", theme.header));
        for f in casualties.iter() {
            let what = match f.outcome {
                Outcome::Killed => "killed",
                Outcome::Injured => "injured",
            };
            let value = sit.chosen_count(&f.chosen).map(|c| count_label(&c)).unwrap_or_default();
            let group =
                if f.group == "civilians" { "civilians".to_string() } else { sit.actor_name(&f.group).to_string() };
            let disagree = if f.claims.len() > 1 { format!("  ({} claims)", f.claims.len()) } else { String::new() };
            lines.push(Line::from(vec![
                Span::raw(format!("  {group} {what}: ")),
                Span::styled(value, theme.error),
                Span::styled(disagree, theme.dim),
            ]));
            lines.extend(figure_table(sit, &f.claims, &f.chosen, theme));
        }
    }
    let claims = sit.claim_ids(e);
    if !claims.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Claims", theme.header));
        for id in claims.iter() {
            if let Some(c) = sit.claim(id) {
                lines.extend(claim_lines(sit, &c, false, theme));
            }
        }
    }
    let posts = sit.posts_of(e);
    if !posts.is_empty() {
        lines.push(Line::raw(""));
        let posts: Vec<&str> = posts.iter().map(|p| sit.post(p).map_or(p.as_str(), |p| p.name.as_str())).collect();
        lines.push(field("posts", posts.join(", "), theme));
    }
    ("Event".into(), lines)
}

fn post_detail(sit: &Situation, index: usize, window: TimeWindow, theme: &Theme) -> (String, Vec<Line<'static>>) {
    let doc = DetailDoc::post(sit, index, window, *theme);
    let lines = doc.lines(sit);
    (doc.title, lines)
}

/// A post's fields, up to the heading of its status history.
fn post_head(sit: &Situation, p: &ObservationPost, window: TimeWindow, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(p.name.clone(), theme.title), Line::raw("")];
    if let Some(state) = post_state(p, window.to) {
        let as_of = window.to.map(|d| format!(" as of {}", d.long())).unwrap_or_default();
        lines.push(Line::from(vec![
            label("status", theme),
            Span::styled(format!("{}{as_of}", state.status.word()), theme.status(state.status)),
        ]));
    }
    lines.push(field("operator", sit.actor_name(&p.operator).to_string(), theme));
    lines.push(field("place", sit.place(&p.place).map_or_else(|| p.place.clone(), |pl| place_text(sit, pl)), theme));
    let coords = match (p.lat, p.lon) {
        (Some(lat), Some(lon)) => format!("{lat:.2}, {lon:.2}"),
        _ => "not known".to_string(),
    };
    let conf = p.coord_confidence.map(|c| format!(" ({c:?} confidence)").to_lowercase()).unwrap_or_default();
    lines.push(field("site", format!("{coords}{conf}"), theme));
    if !p.alt_names.is_empty() {
        lines.push(field("also", p.alt_names.join(", "), theme));
    }
    if let Some(note) = &p.note {
        lines.push(field("note", note.clone(), theme));
    }
    if let Some(framework) = &p.framework {
        lines.push(field("framework", framework.clone(), theme));
        for id in &p.framework_claims {
            if let Some(c) = sit.claim(id) {
                lines.extend(claim_lines(sit, &c, false, theme));
            }
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Status history", theme.header));
    lines
}

/// One status change of a post: its date and status, its note, the claims behind it.
fn change_lines(sit: &Situation, h: &PostStatusChange, window: TimeWindow, theme: &Theme) -> Vec<Line<'static>> {
    let span = h.span();
    let later = window.to.is_some_and(|d| h.date > d);
    let style = if later { theme.dim } else { theme.status(h.status) };
    let mut lines = vec![Line::from(vec![
        Span::raw(format!("  {} ", pad(&span.label(), 24))),
        Span::styled(h.status.word().to_string(), style),
        Span::styled(if later { "  (after the as-of date)".to_string() } else { String::new() }, theme.dim),
    ])];
    if let Some(note) = sit.change_note(h) {
        lines.push(Line::styled(format!("      {note}"), theme.dim));
    }
    for c in sit.change_claim_records(h) {
        lines.extend(claim_lines(sit, &c, false, theme));
    }
    lines
}

/// What an overlay shows, as blocks of lines each made only when it comes into view: a post
/// with 80,000 status changes costs a frame what the few on screen cost, not its history.
#[derive(Debug, Clone)]
pub struct DetailDoc {
    pub title: String,
    content: Content,
    theme: Theme,
}

#[derive(Debug, Clone)]
enum Content {
    /// Lines made at once (the help, an event, a figure), each its own block.
    Lines(Vec<Line<'static>>),
    /// A post: each line of its fields a block, then a block per status change, then (when
    /// events concern it) their heading and a block per event.
    Post { post: usize, window: TimeWindow, head: Vec<Line<'static>>, events: Vec<u32> },
}

impl DetailDoc {
    /// A document of lines already made, under a title.
    #[must_use]
    pub fn from_lines(title: String, lines: Vec<Line<'static>>, theme: Theme) -> DetailDoc {
        DetailDoc { title, content: Content::Lines(lines), theme }
    }

    /// The detail of an event, a post or a figure (see [`detail_lines`]); a post's history
    /// and events are made as they scroll into view.
    #[must_use]
    pub fn of(
        sit: &Situation,
        target: &DetailTarget,
        events: &[u32],
        counters: &CountersState,
        window: TimeWindow,
        theme: Theme,
    ) -> DetailDoc {
        if let DetailTarget::Post(i) = target {
            return DetailDoc::post(sit, *i, window, theme);
        }
        let (title, lines) = detail_lines(sit, target, events, counters, window, &theme);
        DetailDoc::from_lines(title, lines, theme)
    }

    /// A post's detail: its fields, its status history, the events concerning it.
    #[must_use]
    pub fn post(sit: &Situation, index: usize, window: TimeWindow, theme: Theme) -> DetailDoc {
        let content = match sit.posts.get(index) {
            None => Content::Lines(Vec::new()),
            Some(p) => {
                let head = post_head(sit, p, window, &theme);
                let events = (0..sit.events.len())
                    .filter(|&i| sit.concerns_post(&sit.events[i], index))
                    .filter_map(|i| u32::try_from(i).ok())
                    .collect();
                Content::Post { post: index, window, head, events }
            }
        };
        let title = if sit.posts.get(index).is_some() { "Observation post" } else { "Post" };
        DetailDoc { title: title.into(), content, theme }
    }

    /// How many blocks there are.
    #[must_use]
    pub fn blocks(&self, sit: &Situation) -> usize {
        match &self.content {
            Content::Lines(lines) => lines.len(),
            Content::Post { post, head, events, .. } => {
                let history = sit.posts.get(*post).map_or(0, |p| p.history.len());
                let events = if events.is_empty() { 0 } else { 1 + events.len() };
                head.len() + history + events
            }
        }
    }

    /// The lines of block `i` (none past the end).
    #[must_use]
    pub fn block(&self, sit: &Situation, i: usize) -> Vec<Line<'static>> {
        let theme = &self.theme;
        match &self.content {
            Content::Lines(lines) => lines.get(i).cloned().into_iter().collect(),
            Content::Post { post, window, head, events } => {
                if let Some(line) = head.get(i) {
                    return vec![line.clone()];
                }
                let i = i - head.len();
                let history = sit.posts.get(*post).map_or(&[][..], |p| &p.history[..]);
                if let Some(h) = history.get(i) {
                    return change_lines(sit, h, *window, theme);
                }
                match (i - history.len()).checked_sub(1) {
                    _ if events.is_empty() => Vec::new(),
                    None => vec![Line::raw(""), Line::styled("Events concerning this post", theme.header)],
                    Some(k) => events
                        .get(k)
                        .and_then(|&e| sit.events.get(e as usize))
                        .map(|e| Line::raw(format!("  {} {}", pad(&e.span().label(), 14), e.summary(sit))))
                        .into_iter()
                        .collect(),
                }
            }
        }
    }

    /// The rows block `b` wraps into at `width`.
    #[must_use]
    pub fn rows_of_block(&self, sit: &Situation, b: usize, width: u16) -> usize {
        self.block(sit, b).iter().map(|l| rows_of(l, width)).sum()
    }

    /// Every line, block after block (what a full draw would wrap).
    #[must_use]
    pub fn lines(&self, sit: &Situation) -> Vec<Line<'static>> {
        (0..self.blocks(sit)).flat_map(|i| self.block(sit, i)).collect()
    }
}

/// Where an overlay stands and how much of it is measured: the rows (wrapped at the width
/// it was last drawn at) through each block, as far as it has been drawn or scrolled.
#[derive(Debug, Clone, Default)]
pub struct DetailScroll {
    /// The first row drawn; the keys move it, the draw keeps it in range.
    pub scroll: usize,
    /// How many scroll positions there are (rows past one screen, plus one), as far as the
    /// rows are measured: exact once they all are, which a short text is at its first draw.
    pub len: usize,
    /// Set when the screen stands this many rows above the end ("to the end" and moves from
    /// there): the last blocks are measured backwards, as far as shown, and `scroll` is the
    /// position as far as measured. Cleared once every block is measured.
    pub from_end: Option<usize>,
    width: u16,
    /// Rows through each block, for the first blocks, at `width`.
    ends: Vec<usize>,
    /// Rows from the start of each of the last blocks to the end: the last block's first.
    tail: Vec<usize>,
}

impl DetailScroll {
    /// True once every block is measured at the width last drawn (then `len` is exact).
    #[must_use]
    pub fn measured(&self, doc: &DetailDoc, sit: &Situation) -> bool {
        self.ends.len() == doc.blocks(sit)
    }

    /// The rows measured so far (all of them once [`DetailScroll::measured`]).
    #[must_use]
    pub fn rows(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }
}

/// The rows a line takes wrapped at `width`, as `Paragraph` wraps it (without trimming).
#[must_use]
pub fn rows_of(line: &Line<'_>, width: u16) -> usize {
    if width == 0 {
        return 0;
    }
    // Text of characters at most one column wide that never join into a wider one, fitting,
    // is one row (counting each as one column can only make it look wider than it is);
    // anything else is left to the wrapper itself.
    let mut columns = 0;
    for span in &line.spans {
        for c in span.content.chars() {
            if !narrow(c) {
                return Paragraph::new(line.clone()).wrap(Wrap { trim: false }).line_count(width);
            }
            columns += 1;
        }
    }
    if columns <= usize::from(width) {
        1
    } else {
        Paragraph::new(line.clone()).wrap(Wrap { trim: false }).line_count(width)
    }
}

/// A character at most one column wide that cannot join others into a wider cluster: ASCII,
/// Latin-1 and the Latin letters with their accents precomposed, and the marks the detail
/// draws itself.
fn narrow(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{a0}'..='\u{24f}' | '…' | '▸' | '✓' | '—' | '–' | '†' | '●' | '→' | '▲' | '▼')
}

/// Draws an overlay in its frame, from its scroll position: only the blocks in view are made
/// and wrapped, and blocks are measured only a little past the screen (all of them once the
/// end is asked for), so a frame costs what is on screen whatever the length.
pub struct DetailView<'a> {
    pub sit: &'a Situation,
    pub doc: &'a DetailDoc,
    /// The frame's title (the document's, with the keys).
    pub title: &'a str,
    pub theme: Theme,
}

/// Rows measured past the bottom of the screen, so that a page down (10 rows) or a screen of
/// wheel steps never stops short at the end of what is measured.
const LOOKAHEAD: usize = 10;

impl StatefulWidget for DetailView<'_> {
    type State = DetailScroll;

    fn render(self, area: Rect, buf: &mut Buffer, state: &mut DetailScroll) {
        Clear.render(area, buf);
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(self.theme.border_focused)
            .title(Line::styled(self.title.to_string(), self.theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        let (sit, doc) = (self.sit, self.doc);
        if state.width != inner.width {
            state.width = inner.width;
            state.ends.clear();
            state.tail.clear();
        }
        let height = usize::from(inner.height);
        if inner.width == 0 {
            // Nothing wraps into no columns: one position, at the top.
            (state.len, state.scroll, state.from_end) = (1, 0, None);
            return;
        }
        let blocks = doc.blocks(sit);
        if let Some(back) = state.from_end
            && draw_from_end(sit, doc, inner, buf, state, back)
        {
            return;
        }
        // Measured through the rows this frame shows and a page more; to the end for "last".
        let wanted = state.scroll.saturating_add(height).saturating_add(height.max(LOOKAHEAD));
        let mut known = state.ends.last().copied().unwrap_or(0);
        while state.ends.len() < blocks && known < wanted {
            known += doc.rows_of_block(sit, state.ends.len(), inner.width);
            state.ends.push(known);
        }
        state.len = known.saturating_sub(height) + 1;
        state.scroll = state.scroll.min(state.len - 1);
        if inner.is_empty() {
            return;
        }
        // The block holding the first row shown, and the rows of it above the screen.
        let first = state.ends.partition_point(|&end| end <= state.scroll);
        let start = first.checked_sub(1).map_or(0, |b| state.ends[b]);
        let skip = state.scroll - start;
        let mut lines = Vec::new();
        for b in first..state.ends.len() {
            lines.extend(doc.block(sit, b));
            if state.ends[b] >= state.scroll + height {
                break;
            }
        }
        let skip = u16::try_from(skip).unwrap_or(u16::MAX);
        Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((skip, 0)).render(inner, buf);
    }
}

/// Draws the screen that stands `back` rows above the end, measuring the last blocks
/// backwards as far as it shows and a page more. Returns false (with the position made
/// absolute) once every block is measured, for the caller to draw from the top as usual.
fn draw_from_end(
    sit: &Situation,
    doc: &DetailDoc,
    inner: Rect,
    buf: &mut Buffer,
    state: &mut DetailScroll,
    back: usize,
) -> bool {
    let blocks = doc.blocks(sit);
    let height = usize::from(inner.height);
    let wanted = back.saturating_add(height).saturating_add(height.max(LOOKAHEAD));
    let mut behind = state.tail.last().copied().unwrap_or(0);
    while state.ends.len() + state.tail.len() < blocks && behind < wanted {
        behind += doc.rows_of_block(sit, blocks - 1 - state.tail.len(), inner.width);
        state.tail.push(behind);
    }
    if state.ends.len() + state.tail.len() >= blocks {
        // Every block is measured: the rows through each, and the position from the top.
        let after = |b: usize| if b + 1 < blocks { state.tail[blocks - 2 - b] } else { 0 };
        let mut known = state.ends.last().copied().unwrap_or(0);
        for b in state.ends.len()..blocks {
            known += state.tail[blocks - 1 - b] - after(b);
            state.ends.push(known);
        }
        state.tail.clear();
        state.from_end = None;
        state.scroll = known.saturating_sub(height).saturating_sub(back);
        return false;
    }
    // Not all measured, so the tail holds more than `back` rows and a screen.
    let ahead = state.ends.last().copied().unwrap_or(0);
    state.len = (ahead + behind).saturating_sub(height) + 1;
    state.scroll = state.len - 1 - back;
    if inner.is_empty() {
        return true;
    }
    // The block holding the first row shown, counted from the end, and its rows above it.
    let down = back + height;
    let k = state.tail.partition_point(|&rows| rows < down);
    let first = blocks - 1 - k;
    let skip = state.tail[k] - down;
    let mut lines = Vec::new();
    for b in first..blocks {
        lines.extend(doc.block(sit, b));
        let through = state.tail[k] - if b + 1 < blocks { state.tail[blocks - 2 - b] } else { 0 };
        if through >= skip + height {
            break;
        }
    }
    let skip = u16::try_from(skip).unwrap_or(u16::MAX);
    Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((skip, 0)).render(inner, buf);
    true
}

fn counter_detail(
    sit: &Situation,
    row: &CounterRow,
    events: &[u32],
    counters: &CountersState,
    window: TimeWindow,
    theme: &Theme,
) -> (String, Vec<Line<'static>>) {
    let mut lines = Vec::new();
    match row {
        CounterRow::Total(outcome) | CounterRow::Group(outcome, _) => {
            let group = match row {
                CounterRow::Group(_, g) => Some(g.as_str()),
                _ => None,
            };
            let what = if *outcome == Outcome::Killed { "Killed" } else { "Injured" };
            let tally = match (outcome, group) {
                (Outcome::Killed, None) => counters.casualties.killed,
                (Outcome::Injured, None) => counters.casualties.injured,
                (Outcome::Killed, Some(g)) => counters.casualties.killed_by_group.get(g).copied().unwrap_or_default(),
                (Outcome::Injured, Some(g)) => counters.casualties.injured_by_group.get(g).copied().unwrap_or_default(),
            };
            let who = group.map(|g| format!(": {}", sit.actor_name(g))).unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(format!("{what}{who} "), theme.title),
                Span::styled(tally.display(), theme.error),
            ]));
            lines.push(Line::styled(
                format!(
                    "low {} · best {} · high {}",
                    tally.low,
                    tally.best,
                    tally.high.map_or("open (a floor)".to_string(), |h| h.to_string())
                ),
                theme.dim,
            ));
            lines.push(Line::styled(
                "Only events that occurred count, each incident once, at its chosen claim.",
                theme.dim,
            ));
            lines.push(Line::raw(""));
            lines.push(Line::styled("Where it comes from", theme.header));
            // The pane shows the events of the current view; here we walk the same ones.
            let shown = events.iter().map(|&i| &sit.events[i as usize]);
            for e in shown.filter(|e| counts_toward_totals(e) && window.admits(&e.span())) {
                for f in
                    sit.casualties_of(e).iter().filter(|f| f.outcome == *outcome && group.is_none_or(|g| g == f.group))
                {
                    let value = sit.chosen_count(&f.chosen).map(|c| count_label(&c)).unwrap_or_default();
                    lines.push(Line::from(vec![
                        Span::raw(format!("  {} ", pad(&e.span().label(), 14))),
                        Span::styled(pad(&value, 8), theme.error),
                        Span::raw(e.summary(sit).into_owned()),
                    ]));
                    lines.extend(figure_table(sit, &f.claims, &f.chosen, theme));
                }
            }
        }
        CounterRow::Heading(_) => {
            lines.push(Line::styled("A heading: Enter on a figure under it shows where it comes from.", theme.dim));
        }
        CounterRow::Compare(_) | CounterRow::EventType(_) | CounterRow::Actor(..) => {
            breakdown_detail(sit, row, events, counters, window, theme, &mut lines);
        }
        CounterRow::DisplacedTotal => {
            lines.push(Line::styled("Displaced, not double counted", theme.title));
            lines.push(Line::styled(
                "Adds only top-level figures whose areas do not contain one another; a town inside a region is a drill-down, not an addend.",
                theme.dim,
            ));
            if let Some((tally, series)) = &counters.displaced_total {
                lines.push(Line::from(vec![Span::raw("  total "), Span::styled(tally.display(), theme.key)]));
                for id in series {
                    lines.push(Line::raw(format!("  + {id}")));
                }
            }
            for d in counters.displaced.iter().filter(|d| d.depth > 0 || d.kind == FigureKind::New) {
                let s = &sit.displacement[d.series];
                lines.push(Line::styled(
                    format!("  not added: {} ({}), inside or derived from another figure", s.id, count_label(&d.count)),
                    theme.dim,
                ));
            }
        }
        CounterRow::Displaced(i) => {
            let Some(d) = counters.displaced.get(*i) else { return ("Figure".into(), lines) };
            let s = &sit.displacement[d.series];
            lines.push(Line::styled(format!("Displacement series {}", s.id), theme.title));
            lines.push(Line::raw(""));
            lines.push(field("area", sit.place(&s.area).map_or_else(|| s.area.clone(), |p| place_text(sit, p)), theme));
            lines.push(field(
                "source",
                sit.source(&s.source).map_or_else(|| s.source.clone(), |x| x.publisher.clone()),
                theme,
            ));
            let kind = match s.kind {
                SeriesKind::Cumulative => {
                    format!(
                        "cumulative since {}",
                        s.baseline.map_or("an unstated date".to_string(), crate::domain::model::Day::long)
                    )
                }
                SeriesKind::Stock => "stock: displaced on each date".to_string(),
            };
            lines.push(field("kind", kind, theme));
            if let Some(parent) = &s.part_of {
                lines.push(field("part of", format!("{parent} (never added to it)"), theme));
            }
            if let Some(note) = &s.note {
                lines.push(field("note", note.clone(), theme));
            }
            if d.kind == FigureKind::New {
                lines.push(field(
                    "new",
                    format!(
                        "{} between {} and {}: the difference of two values of this series",
                        count_label(&d.count),
                        d.since.map(crate::domain::model::Day::long).unwrap_or_default(),
                        d.as_of.long()
                    ),
                    theme,
                ));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled("Values", theme.header));
            for v in &s.values {
                let later = window.to.is_some_and(|t| v.as_of > t);
                let value = sit.chosen_count(&v.chosen).map(|c| count_label(&c)).unwrap_or_default();
                let style = if later { theme.dim } else { Style::new() };
                lines.push(Line::styled(
                    format!(
                        "  as of {}: {value}{}",
                        v.as_of.long(),
                        if later { "  (after the as-of date)" } else { "" }
                    ),
                    style,
                ));
                lines.extend(figure_table(sit, &v.claims, &v.chosen, theme));
            }
        }
    }
    ("Figure".into(), lines)
}

/// Which part of a figure an event counts toward (0; or the period, for the comparison).
type PeriodOf<'a> = dyn Fn(&crate::domain::model::Event) -> Option<usize> + 'a;

/// The most events a figure's detail lists (a figure over a million events lists the first).
const LISTED: usize = 200;

/// The detail of a figure of the breakdown: what it counts, and the events and claims behind
/// it (the events shown that count toward totals, inside the window).
fn breakdown_detail(
    sit: &Situation,
    row: &CounterRow,
    events: &[u32],
    counters: &CountersState,
    window: TimeWindow,
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) {
    use crate::domain::activity::Side;
    use crate::tui::panes::counters::Measure;
    let first_actor = |mut ids: crate::domain::derived::ActorIds<'_>| {
        ids.next().and_then(|a| sit.index.actors.get(a)).map(|&i| i as u32)
    };
    let periods = counters.periods;
    let day_number = crate::domain::index::day_number;
    // Which events the figure counts, and in which period (for the comparison).
    let test: Box<PeriodOf> = match row {
        CounterRow::EventType(name) => {
            let name = *name;
            Box::new(move |e| (e.kind.acled_event_type() == name).then_some(0))
        }
        CounterRow::Actor(Side::Acting, _, a) => {
            let a = *a;
            Box::new(move |e| (first_actor(sit.by(e)) == Some(a)).then_some(0))
        }
        CounterRow::Actor(Side::Hit, _, a) => {
            let a = *a;
            Box::new(move |e| (first_actor(sit.against(e)) == Some(a)).then_some(0))
        }
        _ => Box::new(move |e| periods.and_then(|p| p.which(day_number(e.span().start)))),
    };
    match row {
        CounterRow::EventType(name) => {
            let f = counters.types.iter().find(|t| t.0 == *name).map(|t| t.1).unwrap_or_default();
            lines
                .push(Line::styled(format!("{name}: {} events, {} killed", f.events, f.killed.display()), theme.title));
            lines.push(Line::raw(""));
            lines.push(Line::styled("Sub-types", theme.header));
            for (kind, f) in counters.breakdown.sub_types(name) {
                lines.push(Line::raw(format!(
                    "  {} {:>9} events {:>10} killed",
                    pad(kind.acled_sub_event_type(), 36),
                    f.events,
                    f.killed.display()
                )));
            }
        }
        CounterRow::Actor(side, _, a) => {
            let list = if *side == Side::Acting { &counters.breakdown.acting } else { &counters.breakdown.hit };
            let f = list.get(*a as usize).copied().unwrap_or_default();
            let name = sit.actors.get(*a as usize).map_or("", |x| x.name.as_str());
            let role = if *side == Side::Acting { "acts (actor1)" } else { "is hit (actor2)" };
            lines.push(Line::styled(
                format!("{name} {role}: {} events, {} killed", f.events, f.killed.display()),
                theme.title,
            ));
            lines.push(Line::styled(
                "Killed is the events' whole toll (ACLED gives one figure an event, not split by side).",
                theme.dim,
            ));
        }
        CounterRow::Compare(measure) => {
            let [recent, before] = counters.breakdown.periods;
            if let Some(p) = periods {
                let ((a, b), (c, d)) = (p.bounds(0), p.bounds(1));
                lines.push(Line::styled(
                    format!("Last {} days: {} to {}, against {} to {}", p.days, a.long(), b.long(), c.long(), d.long()),
                    theme.title,
                ));
            }
            let (now, then) = match measure {
                Measure::Events => (recent.events.to_string(), before.events.to_string()),
                Measure::Killed => (recent.killed.display(), before.killed.display()),
            };
            lines.push(Line::raw(format!("  recent {now} · before {then}")));
        }
        _ => {}
    }
    lines.push(Line::styled("Only events that occurred count, each incident once, at its chosen claim.", theme.dim));
    for (period, title) in [(0, "Where it comes from"), (1, "The period before")] {
        if period == 1 && !matches!(row, CounterRow::Compare(_)) {
            break;
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(title, theme.header));
        let mut listed = 0;
        let mut more = 0;
        // Latest first: the figure's newest events are the ones looked for.
        for &i in events.iter().rev() {
            let e = &sit.events[i as usize];
            if !counts_toward_totals(e) || !window.admits(&e.span()) || test(e) != Some(period) {
                continue;
            }
            if listed == LISTED {
                more += 1;
                continue;
            }
            listed += 1;
            let killed =
                crate::domain::figures::event_killed(sit, e).map(|t| format!("†{}", t.display())).unwrap_or_default();
            lines.push(Line::from(vec![
                Span::raw(format!("  {} ", pad(&e.span().label(), 14))),
                Span::styled(pad(&killed, 8), theme.error),
                Span::raw(format!("{} · {}", e.id, e.summary(sit))),
            ]));
            for id in sit.claim_ids(e).iter() {
                if let Some(c) = sit.claim(id) {
                    let source = sit.source(&c.source).map_or(c.source.as_str(), |s| s.publisher.as_str());
                    lines.push(Line::styled(
                        format!("      claim {} · {source} · {}", c.id, c.attributed_to),
                        theme.dim,
                    ));
                }
            }
        }
        if more > 0 {
            lines.push(Line::styled(format!("  … and {more} more (narrow the view to see them)"), theme.dim));
        }
    }
}

/// The help overlay's lines, straight from the key table.
#[must_use]
pub fn help_lines(theme: &Theme) -> Vec<Line<'static>> {
    use crate::tui::keymap::{BINDINGS, Mode, Scope};
    let mut lines = Vec::new();
    for (mode, title) in [
        (Mode::Browse, "Browsing"),
        (Mode::Overlay, "Detail and help"),
        (Mode::FilterInput, "Filter input (type a query)"),
        (Mode::Facets, "Facet picker"),
        (Mode::SavePrompt, "Save prompt (type a path)"),
        (Mode::Confirm, "When the file exists"),
    ] {
        lines.push(Line::styled(title, theme.header));
        for b in BINDINGS.iter().filter(|b| b.mode == mode) {
            let scope = match b.scope {
                Scope::Everywhere => String::new(),
                Scope::In(p) => format!(" ({})", p.title()),
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {}", pad(b.label, 9)), theme.key),
                Span::raw(format!("{}{scope}", b.help)),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        "Mouse: the wheel scrolls the pane under the pointer (zooms the map, steps the trend's bins); a click selects.",
        theme.dim,
    ));
    lines
}
