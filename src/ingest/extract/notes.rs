//! The same reader over the notes of imported events: posts and their status changes.
