//! sprawl: the serverless security posture of an AWS account.
//!
//! Data flows one way: [`collect`] (the only code that talks to AWS) builds a [`model::Inventory`],
//! which [`snapshot`] writes as versioned JSON. The assessment, the TUI and the exports read that.
//! `collect`, `model` and `assess` are crates of their own (`crates/`), so an import against the
//! flow does not compile; they are re-exported here under their short names.

pub use sprawl_assess as assess;
pub use sprawl_code as code;
pub use sprawl_collect as collect;
pub use sprawl_iam as iam;
pub use sprawl_model as model;

pub mod cli;
pub mod demo;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod memory;
pub mod snapshot;
pub mod tui;
