//! sprawl's IAM policy engine: offline, pure, and usable on its own.
//!
//! It reads policy documents as text and answers the questions a security review asks of them:
//! what a role may do (exactly, per action and resource, and summarised by access level), who a
//! resource or trust policy lets in, whether a condition really narrows the caller, which known
//! privilege-escalation methods a set of permissions completes, and what an organization's SCPs
//! and RCPs take away. It knows nothing of sprawl's rules, scores or explorer; its only inputs
//! are text and [`sprawl_model`]'s plain data types (a role with its policies, a policy document,
//! an organization's guardrails). It never reads the clock: "now" is an argument.
//!
//! Layers, lowest first (a module imports only those below it):
//! - [`wildcard`]: IAM's `*` and `?` patterns.
//! - [`actions`]: the action table and access levels, sets of actions as bitsets.
//! - [`policy`]: the grammar of a document (statements, patterns, conditions), read quickly
//!   where the text is plain (its `quick` reader).
//! - [`members`]: an organization's accounts and their paths.
//! - [`principals`]: who a resource or trust policy admits ([`principals::admissions`]).
//! - [`guardrails`]: SCPs and RCPs over an account.
//! - [`access`]: a role's effective permissions, boundary and SCPs applied.
//! - [`escalation`]: the privilege-escalation methods over a role's permissions.

pub mod access;
pub mod actions;
pub mod escalation;
pub mod guardrails;
pub mod members;
pub mod policy;
pub mod principals;
pub mod wildcard;
