//! One file per command: its options (clap's `Args`) and its body, `run`.

pub mod assess;
pub mod audit_package;
pub mod check;
pub mod demo;
pub mod diff;
pub mod export;
pub mod iam_policy;
pub mod least_privilege;
pub mod merge;
pub mod open;
pub mod paths;
pub mod rules;
pub mod scan;
pub mod scan_accounts;
pub mod start;
pub mod summary;
