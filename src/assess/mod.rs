//! Assessment: pure functions from an inventory to findings and scores. No I/O, no clock read
//! (the caller passes "now"), no AWS SDK type. Built up under issue 3; so far the IAM policy
//! grammar that the analyser stands on.

pub mod policy;
