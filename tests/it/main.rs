//! sprawl's integration tests, one binary: the library with the AWS SDK is linked once, not once
//! per file. Each module is what used to be a file of its own under `tests/`.
//!
//! - `collect_emulator`, `assess_emulator`, `scan_command`: the real SDK against moto's server.
//! - `collect_faults`: throttling, denials, timeouts and 5xx from `aws-smithy-mocks`.
//! - `cli`, `export`: the binary on fixture files (bad input, exports, mutes, leaks).
//! - `audit_package`: `sprawl audit-package` on deployment packages and an OSV directory.
//! - `tui`: the explorer driven by keys and rendered to a `TestBackend` (insta snapshots).
//! - `pty`: the binary in a real pseudo-terminal.
//! - `fuzz_regressions`: the fuzzers' seeds and past crashes, replayed.
//! - `architecture`: the crate boundaries and the rule catalog's ownership of rule ids.
//! - `org_scan`: `sprawl scan --org` over three emulated accounts, and an account denied.
//! - `organization`: organizations' snapshots: `merge`, and every command on one.
//! - `permissions`: `sprawl iam-policy` covers the call plan with reads only.
//! - `docs`: every command of the README and `docs/` runs, every usage line names real options.
//!
//! The rule tests live with the assessment crate (`crates/assess/tests/rules`), which builds
//! without the SDK.

mod support;

mod architecture;
mod assess_emulator;
mod audit_package;
mod cli;
mod collect_emulator;
mod collect_faults;
mod counts;
mod docs;
mod export;
mod fuzz_regressions;
mod org_scan;
mod organization;
mod permissions;
mod pty;
mod scan_command;
mod tui;
