//! sprawl: the serverless security posture of an AWS account.
//!
//! Data flows one way: [`collect`] (the only code that talks to AWS) builds a [`model::Inventory`],
//! which [`snapshot`] writes as versioned JSON. The assessment, the TUI and the exports read that.

pub mod assess;
pub mod cli;
pub mod collect;
pub mod demo;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod model;
pub mod snapshot;
pub mod tui;
