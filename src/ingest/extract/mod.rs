//! Reading news text into sitdash/1, offline and by rules: events with their ACLED kind,
//! date, status, actors and place; casualty figures by group; displacement series; post
//! statuses; every claim with its exact words, their span and whom the article credits.
//! Ingest layer: uses the domain model and our folding; nothing here touches the terminal.

pub mod actors;
pub mod dates;
pub mod lexicon;
pub mod merge;
pub mod notes;
pub mod numbers;
pub mod places;
pub mod reader;
pub mod text;

use serde::Serialize;

use crate::domain::model::{Actor, Claim, Day, DisplacementSeries, Event, ObservationPost, Place, Situation, Source};

pub use reader::Reader;

/// One article to read.
#[derive(Debug, Clone)]
pub struct Article {
    /// A name for messages (the file name, or the batch line's id).
    pub name: String,
    pub text: String,
    /// The article's date when the caller knows it (`--date`); else its header or dateline.
    pub date: Option<Day>,
    /// The outlet when the caller knows it (`--source`); else the header's.
    pub source: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("{name}: no date for the article; add a `Date: YYYY-MM-DD` line at its top, or pass --date YYYY-MM-DD")]
    NoDate { name: String },
}

/// A sitdash/1 document, as written by `sitdash extract`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Document {
    pub format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Day>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub sources: Vec<Source>,
    pub actors: Vec<Actor>,
    pub places: Vec<Place>,
    pub claims: Vec<Claim>,
    pub events: Vec<Event>,
    pub displacement: Vec<DisplacementSeries>,
    pub posts: Vec<ObservationPost>,
}

impl Document {
    /// The document as pretty JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string())
    }
}

/// Reads articles into one document, with no data loaded beside them.
///
/// # Errors
/// An article with no date.
pub fn extract(articles: &[Article]) -> Result<Document, ExtractError> {
    Reader::new(None).read(articles)
}

/// Reads articles into one document that may refer to the places and actors of `loaded`.
///
/// # Errors
/// An article with no date.
pub fn extract_with(loaded: &Situation, articles: &[Article]) -> Result<Document, ExtractError> {
    Reader::new(Some(loaded)).read(articles)
}
