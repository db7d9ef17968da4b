//! Errors a user can act on. Each prints as one line, and the process exits with code 2.

use crate::collect::ScanError;
use crate::collect::aws::SetupError;
use crate::snapshot::SnapshotError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Setup(#[from] SetupError),
    #[error(transparent)]
    Scan(#[from] ScanError),
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    #[error("{0}")]
    Usage(String),
}
