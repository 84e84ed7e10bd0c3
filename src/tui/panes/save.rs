//! The save prompt: where to write the view (exported events, or a situation report) and in
//! which format, with a default name; and, when the file exists, the question whether to
//! replace it. A state struct and the two lines that draw it above the footer.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::domain::model::Day;
use crate::domain::text::{clean, fit};
use crate::ingest::export::EventFormat;
use crate::tui::theme::Theme;

/// What the prompt writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveKind {
    /// The events shown, in one of [`EventFormat::FILES`].
    Export,
    /// The situation report of the view.
    Report,
}

/// A report's two formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    Html,
}

/// One of the formats the prompt offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveFormat {
    Events(EventFormat),
    Report(ReportFormat),
}

impl SaveFormat {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            SaveFormat::Events(f) => f.label(),
            SaveFormat::Report(ReportFormat::Markdown) => "Markdown",
            SaveFormat::Report(ReportFormat::Html) => "HTML",
        }
    }

    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            SaveFormat::Events(f) => f.extension(),
            SaveFormat::Report(ReportFormat::Markdown) => "md",
            SaveFormat::Report(ReportFormat::Html) => "html",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavePrompt {
    pub kind: SaveKind,
    pub path: String,
    pub format: usize,
    /// How many events the view holds, for the prompt's line.
    pub events: usize,
    /// Set when the path exists: the prompt asks before replacing it.
    pub confirming: bool,
    /// Why the last attempt failed.
    pub error: Option<String>,
}

impl SavePrompt {
    /// A prompt with the default name for the view's date: `sitdash-2020-02-07.csv`,
    /// `sitrep-2020-02-07.md`.
    #[must_use]
    pub fn new(kind: SaveKind, as_of: Option<Day>, events: usize) -> SavePrompt {
        let mut prompt = SavePrompt { kind, path: String::new(), format: 0, events, confirming: false, error: None };
        prompt.path = prompt.default_path(as_of);
        prompt
    }

    #[must_use]
    pub fn formats(&self) -> Vec<SaveFormat> {
        match self.kind {
            SaveKind::Export => EventFormat::FILES.iter().map(|&f| SaveFormat::Events(f)).collect(),
            SaveKind::Report => {
                vec![SaveFormat::Report(ReportFormat::Markdown), SaveFormat::Report(ReportFormat::Html)]
            }
        }
    }

    #[must_use]
    pub fn chosen(&self) -> SaveFormat {
        let formats = self.formats();
        formats[self.format % formats.len()]
    }

    fn default_path(&self, as_of: Option<Day>) -> String {
        let stem = match self.kind {
            SaveKind::Export => "sitdash",
            SaveKind::Report => "sitrep",
        };
        let date = as_of.map(|d| format!("-{d}")).unwrap_or_default();
        format!("{stem}{date}.{}", self.chosen().extension())
    }

    /// The next format; a path that ends in the old format's extension takes the new one.
    pub fn next_format(&mut self) {
        let old = self.chosen().extension();
        self.format = (self.format + 1) % self.formats().len();
        let new = self.chosen().extension();
        if let Some(stem) = self.path.strip_suffix(&format!(".{old}")) {
            self.path = format!("{stem}.{new}");
        }
        self.error = None;
    }
}

/// The prompt's two lines: the path being typed, then the formats (or the question).
pub struct SaveView<'a> {
    pub prompt: &'a SavePrompt,
    pub theme: Theme,
}

impl Widget for SaveView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let p = self.prompt;
        let theme = &self.theme;
        let [first, second] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
        let what = match p.kind {
            SaveKind::Export => format!("Export {} events to ", p.events),
            SaveKind::Report => format!("Report on {} events to ", p.events),
        };
        let width = area.width as usize;
        Line::from(vec![
            Span::styled(what, theme.key),
            Span::raw(clean(&p.path)),
            Span::styled(if p.confirming { "" } else { "█" }, theme.dim),
        ])
        .render(first, buf);
        if p.confirming {
            let text = format!("{} exists: y replaces it, n goes back", clean(&p.path));
            Line::styled(fit(&text, width), theme.error).render(second, buf);
            return;
        }
        if let Some(err) = &p.error {
            Line::styled(fit(&clean(err), width), theme.error).render(second, buf);
            return;
        }
        let mut spans = vec![Span::raw("  format: ")];
        for (i, f) in p.formats().iter().enumerate() {
            let style = if i == p.format % p.formats().len() { theme.selected } else { theme.dim };
            spans.push(Span::styled(format!(" {} ", f.label()), style));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled("· Tab format · Enter writes · Esc cancels", theme.dim));
        let line = Line::from(spans);
        if line.width() > width {
            Line::raw(fit(&line.to_string(), width)).render(second, buf);
        } else {
            line.render(second, buf);
        }
    }
}
