//! The code audit's database at the command line: `--vuln-db DIR` checked before a scan spends
//! anything, and a snapshot's packages judged (again) against it.

use std::path::Path;

use crate::cli::CliError;
use crate::model::Inventory;

/// A `--vuln-db` that is not a directory is said before anything is read.
pub fn check_vuln_db(dir: &Path) -> Result<(), CliError> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(CliError::VulnDb(format!(
            "{}: not a directory (it holds OSV's dumps, DIR/PyPI/all.zip, DIR/npm/all.zip)",
            dir.display()
        )))
    }
}

/// Judges every package the inventory's code audits hold against the OSV dumps in `dir`: the
/// snapshot keeps the advisories and which data judged them.
pub fn judge(inv: &mut Inventory, dir: &Path) -> Result<(), CliError> {
    check_vuln_db(dir)?;
    let advisories = crate::code::osv::judge_audits(dir, inv.code.values())
        .map_err(|e| CliError::VulnDb(e.to_string()))?;
    inv.advisories = Some(advisories);
    Ok(())
}
