//! The organization an account is assessed in: which other accounts are its own. A grant to an
//! account of the organization is a grant within the estate; a grant to any other account is a
//! grant to a stranger, which the rules report on its own and higher.

use std::collections::BTreeMap;

/// The organization's accounts, as AWS Organizations listed them when the scan began (all of
/// them, scanned or not).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Members {
    /// The organization's id (`o-...`).
    pub id: Option<String>,
    /// Every account, by id, with its name.
    pub accounts: BTreeMap<String, Option<String>>,
    /// Each account's path in the organization as `aws:PrincipalOrgPaths` writes it
    /// (`o-a1b2/r-ab12/ou-ab12-1111/`), when the tree was read.
    pub paths: BTreeMap<String, String>,
    /// The management account, which administers every account already.
    pub management: Option<String>,
}

/// What an account is to the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership<'a> {
    /// One of its accounts (with its name, when known).
    Member(Option<&'a str>),
    /// Not one of its accounts.
    Outside,
}

impl Members {
    pub fn of(&self, account: &str) -> Membership<'_> {
        match self.accounts.get(account) {
            Some(name) => Membership::Member(name.as_deref()),
            None => Membership::Outside,
        }
    }

    /// Whether `account` lies under one of these `aws:PrincipalOrgPaths` patterns; None when
    /// its place in the tree is not known.
    pub fn under(&self, account: &str, patterns: &[String]) -> Option<bool> {
        let path = self.paths.get(account)?;
        Some(
            patterns
                .iter()
                .any(|p| crate::wildcard::matches(p, path, true)),
        )
    }

    /// `account prod (222233334444) of the organization`.
    pub fn describe(&self, account: &str) -> String {
        match self.of(account) {
            Membership::Member(Some(name)) => {
                format!("account {name} ({account}) of the organization")
            }
            Membership::Member(None) => format!("account {account} of the organization"),
            Membership::Outside => format!("account {account}, outside the organization"),
        }
    }
}
