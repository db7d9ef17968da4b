//! What the explorer marks on findings beyond the snapshot itself: muted by the mute file, or new
//! since an older scan.

/// What the explorer marks on findings beyond the snapshot itself.
#[derive(Debug, Default)]
pub struct Marks {
    pub muting: crate::assess::mute::Muting,
    /// With `--since OLD`: the findings OLD did not have (places in the assessment's findings).
    pub new: Option<std::collections::HashSet<usize>>,
    /// The older snapshot's name, for the overview.
    pub since: Option<String>,
}

/// A finding's mark in the lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    None,
    New,
    Muted,
}

impl Mark {
    pub fn label(self) -> &'static str {
        match self {
            Mark::None => "",
            Mark::New => "new",
            Mark::Muted => "muted",
        }
    }
}

impl Marks {
    /// True when findings can carry a mark (mutes loaded, or an older snapshot given).
    pub fn is_marking(&self) -> bool {
        !self.muting.is_empty() || self.new.is_some()
    }

    /// Muted wins over new: a new finding already accepted needs no attention.
    pub fn mark(&self, finding: usize) -> Mark {
        if self.muting.of(finding).is_some() {
            Mark::Muted
        } else if self.new.as_ref().is_some_and(|n| n.contains(&finding)) {
            Mark::New
        } else {
            Mark::None
        }
    }
}
