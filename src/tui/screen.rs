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
    /// A function, by its index in the inventory.
    Function(usize),
    Role(String),
    Secret(usize),
    Api(String),
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
            Screen::Function(i) => format!("function {}", inv.functions[*i].name),
            Screen::Role(arn) => format!("role {}", arn.rsplit('/').next().unwrap_or(arn)),
            Screen::Secret(i) => format!("secret {}", inv.secrets[*i].name),
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
            Screen::Account(id) => format!("account {id}"),
            Screen::Scan => "scan".into(),
        }
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
    if let Some(i) = inv.functions.iter().position(|f| f.arn == arn) {
        return Some(Screen::Function(i));
    }
    if inv.roles.iter().any(|r| r.arn == arn) {
        return Some(Screen::Role(arn.to_string()));
    }
    if let Some(i) = inv.secrets.iter().position(|s| s.arn == arn) {
        return Some(Screen::Secret(i));
    }
    let api = crate::model::api_of(arn);
    if inv.rest_apis.iter().any(|a| a.arn == api) || inv.http_apis.iter().any(|a| a.arn == api) {
        return Some(Screen::Api(api.to_string()));
    }
    None
}
