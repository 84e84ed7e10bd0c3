//! The domain layer: the situation model, the figures and their counting rules, the search
//! index and the query language. No terminal and no files: plain functions over plain data,
//! which every other layer may use and which uses none of them.

pub mod activity;
pub mod derived;
pub mod figures;
pub mod geo;
pub mod index;
pub mod model;
pub mod notes;
pub mod pass;
pub mod place_id;
pub mod query;
pub mod read_claims;
pub mod report;
pub mod summary;
pub mod text;
pub mod trend;
pub mod ucdp;
pub mod words;
