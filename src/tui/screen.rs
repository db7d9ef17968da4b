//! Where the operator can be: the screens, the navigation stack's places, and which screen shows
//! a resource.

use crate::model::Inventory;

/// Where the operator is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Overview,
    /// A list screen, by its name (its row type's first `NAMES`; `Screen::list::<Row>()` in
    /// [`super::lists`] makes one).
    List(&'static str),
    /// A function, by its ARN. Screens name resources by identity, never by an index into one
    /// account's lists: the stack may hold places of several accounts of an organization.
    Function(String),
    Role(String),
    /// A secret, by its ARN.
    Secret(String),
    /// An API, by its ARN.
    Api(String),
    /// An event source (a topic, queue or bucket that triggers functions), by its ARN.
    Source(String),
    /// An account of an organization: opening it reads its snapshot and shows its overview.
    Account(String),
    Scan,
}

impl Screen {
    /// The overview's `:` command names (the lists bring their own).
    pub const OVERVIEW_NAMES: &'static [&'static str] = &["overview", "o", "home"];

    pub fn is_list(&self) -> bool {
        matches!(self, Screen::List(_))
    }

    /// Its breadcrumb: the list's or resource's name.
    pub fn crumb(&self, inv: &Inventory) -> String {
        match self {
            Screen::Overview => "overview".to_string(),
            Screen::List(name) => name.to_string(),
            // A place of another account than the one held names its resource from the ARN.
            Screen::Function(arn) => format!(
                "function {}",
                inv.functions
                    .iter()
                    .find(|f| &f.arn == arn)
                    .map_or_else(|| name_in_arn(arn), |f| f.name.as_str())
            ),
            Screen::Role(arn) => format!("role {}", arn.rsplit('/').next().unwrap_or(arn)),
            Screen::Secret(arn) => format!(
                "secret {}",
                inv.secrets
                    .iter()
                    .find(|s| &s.arn == arn)
                    .map_or_else(|| name_in_arn(arn), |s| s.name.as_str())
            ),
            Screen::Api(arn) => format!(
                "api {}",
                inv.rest_apis
                    .iter()
                    .find(|a| &a.arn == arn)
                    .map(|a| a.name.as_str())
                    .or_else(|| inv
                        .http_apis
                        .iter()
                        .find(|a| &a.arn == arn)
                        .map(|a| a.name.as_str()))
                    .unwrap_or(arn)
            ),
            Screen::Source(arn) => format!(
                "{} {}",
                crate::assess::source_words(crate::assess::source_kind(arn)).0,
                super::detail::source::name(arn)
            ),
            Screen::Account(id) => format!("account {id}"),
            Screen::Scan => "scan".into(),
        }
    }

    /// The resource this screen shows, by ARN (an account screen: its id).
    pub fn arn(&self) -> Option<&str> {
        match self {
            Screen::Function(arn)
            | Screen::Role(arn)
            | Screen::Secret(arn)
            | Screen::Api(arn)
            | Screen::Source(arn) => Some(arn),
            Screen::Account(id) => Some(id),
            Screen::Overview | Screen::List(_) | Screen::Scan => None,
        }
    }

    /// The account of the resource this screen shows, when it is a resource of one.
    pub fn resource_account(&self) -> Option<&str> {
        match self {
            Screen::Function(arn) | Screen::Role(arn) | Screen::Secret(arn) | Screen::Api(arn) => {
                crate::iam::principals::account_of(arn)
            }
            // A bucket's ARN names no account: it is the account's own.
            _ => None,
        }
    }
}

/// The name an ARN ends with: a function's after `function:` (without a qualifier), a secret's
/// after `secret:`, anything else's after its last `/` or `:`.
fn name_in_arn(arn: &str) -> &str {
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    match parts.as_slice() {
        [_, _, "lambda", _, _, "function", rest] => rest.split(':').next().unwrap_or(rest),
        [_, _, "secretsmanager", _, _, "secret", rest] => rest,
        _ => arn.rsplit(['/', ':']).next().unwrap_or(arn),
    }
}

/// A screen on the navigation stack, with where its cursor was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub screen: Screen,
    /// Detail screens' cursor line (lists and the overview keep their own selection).
    pub cursor: usize,
    /// The account held before this place was opened from another account's detail (a hop of
    /// a path across accounts): going back reads it again.
    pub left: Option<String>,
}

/// The screen that shows a resource, by ARN (stages show their API).
pub fn screen_for(inv: &Inventory, arn: &str) -> Option<Screen> {
    if inv.functions.iter().any(|f| f.arn == arn) {
        return Some(Screen::Function(arn.to_string()));
    }
    if inv.roles.iter().any(|r| r.arn == arn) {
        return Some(Screen::Role(arn.to_string()));
    }
    if inv.secrets.iter().any(|s| s.arn == arn) {
        return Some(Screen::Secret(arn.to_string()));
    }
    if super::detail::source::holds(inv, arn) {
        return Some(Screen::Source(arn.to_string()));
    }
    let api = crate::model::api_of(arn);
    if inv.rest_apis.iter().any(|a| a.arn == api) || inv.http_apis.iter().any(|a| a.arn == api) {
        return Some(Screen::Api(api.to_string()));
    }
    None
}

/// True when `inv` has the resource `screen` shows (a screen of no resource: always).
pub fn holds(inv: &Inventory, screen: &Screen) -> bool {
    match screen {
        Screen::Function(arn) => inv.functions.iter().any(|f| &f.arn == arn),
        Screen::Role(arn) => inv.roles.iter().any(|r| &r.arn == arn),
        Screen::Secret(arn) => inv.secrets.iter().any(|s| &s.arn == arn),
        Screen::Source(arn) => super::detail::source::holds(inv, arn),
        Screen::Api(arn) => {
            inv.rest_apis.iter().any(|a| &a.arn == arn)
                || inv.http_apis.iter().any(|a| &a.arn == arn)
        }
        _ => true,
    }
}
