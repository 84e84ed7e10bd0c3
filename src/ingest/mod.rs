//! The ingest layer: bytes from files into a validated situation. Reading inputs and
//! placing positions (`input`, `unpack`, `locate`), our own formats (`load`), other systems' exports
//! (`import`), the checks (`validate`) and the formats events leave in (`export`).
//! It uses the domain layer only; the dashboard and the command line use it.

pub mod export;
pub mod extract;
pub mod follow;
pub mod import;
pub mod input;
pub mod load;
pub mod locate;
pub mod tape;
pub mod unpack;
pub mod validate;
