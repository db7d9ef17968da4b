//! Time as AWS writes it. Every timestamp an inventory holds is text; the assessment reads it
//! here, once, the same way everywhere.

use chrono::{DateTime, Utc};

/// An AWS timestamp: RFC 3339, or the `+0000` offset Lambda's LastModified uses.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
        .or_else(|| {
            DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.3f%z")
                .ok()
                .map(|d| d.with_timezone(&Utc))
        })
}
