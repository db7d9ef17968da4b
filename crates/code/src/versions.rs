//! Each ecosystem's own version order, as OSV's ranges are compared in it: semver for npm,
//! PEP 440 for PyPI. A version that does not parse in its ecosystem's order is compared with
//! nothing (no range holds it), never guessed.

use std::cmp::Ordering;

use crate::Ecosystem;

/// How `a` and `b` compare in `ecosystem`'s order, when both parse.
pub fn compare(ecosystem: Ecosystem, a: &str, b: &str) -> Option<Ordering> {
    match ecosystem {
        Ecosystem::Npm => {
            let (a, b) = (
                semver::Version::parse(a).ok()?,
                semver::Version::parse(b).ok()?,
            );
            Some(a.cmp_precedence(&b))
        }
        Ecosystem::PyPI => Some(Pep440::parse(a)?.cmp(&Pep440::parse(b)?)),
    }
}

/// A PEP 440 version: epoch, release, then a pre-release, post-release and development part
/// (a local part, `+...`, does not order public versions and is dropped).
#[derive(Debug, PartialEq, Eq)]
struct Pep440 {
    epoch: u64,
    release: Vec<u64>,
    /// `(rank, n)`: a development release of a final sorts before its pre-releases (rank 0),
    /// then `a` (1), `b` (2), `rc` (3), the final itself (4).
    pre: (u8, u64),
    post: Option<u64>,
    dev: Option<u64>,
}

impl Pep440 {
    fn parse(text: &str) -> Option<Pep440> {
        let text = text.trim().to_ascii_lowercase();
        let text = text.strip_prefix('v').unwrap_or(&text);
        let text = text.split('+').next()?;
        let (epoch, rest) = match text.split_once('!') {
            Some((e, rest)) => (e.parse().ok()?, rest),
            None => (0, text),
        };
        // The release: digits and dots up to the first letter (or a separator before one).
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let release: Vec<u64> = rest[..end]
            .trim_end_matches('.')
            .split('.')
            .map(|n| n.parse().ok())
            .collect::<Option<_>>()?;
        let mut tail = rest[end..].trim_start_matches(['.', '-', '_']);
        let number = |t: &mut &str| -> u64 {
            let t2 = t.trim_start_matches(['.', '-', '_']);
            let digits = t2.find(|c: char| !c.is_ascii_digit()).unwrap_or(t2.len());
            let n = t2[..digits].parse().unwrap_or(0);
            *t = t2[digits..].trim_start_matches(['.', '-', '_']);
            n
        };
        let mut pre = (4, 0);
        for (word, rank) in [
            ("alpha", 1),
            ("a", 1),
            ("beta", 2),
            ("b", 2),
            ("rc", 3),
            ("c", 3),
            ("preview", 3),
            ("pre", 3),
        ] {
            if let Some(t) = tail.strip_prefix(word) {
                tail = t;
                pre = (rank, number(&mut tail));
                break;
            }
        }
        let mut post = None;
        for word in ["post", "rev", "r"] {
            if let Some(t) = tail.strip_prefix(word) {
                tail = t;
                post = Some(number(&mut tail));
                break;
            }
        }
        let mut dev = None;
        if let Some(t) = tail.strip_prefix("dev") {
            tail = t;
            dev = Some(number(&mut tail));
        }
        if !tail.is_empty() {
            return None;
        }
        // `1.0.dev1` comes before `1.0a1`.
        if dev.is_some() && pre.0 == 4 && post.is_none() {
            pre = (0, 0);
        }
        Some(Pep440 {
            epoch,
            release,
            pre,
            post,
            dev,
        })
    }
}

impl Ord for Pep440 {
    fn cmp(&self, other: &Self) -> Ordering {
        let release = |v: &Pep440| {
            let mut r = v.release.clone();
            while r.last() == Some(&0) {
                r.pop();
            }
            r
        };
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| release(self).cmp(&release(other)))
            .then_with(|| self.pre.cmp(&other.pre))
            // No post-release sorts before any.
            .then_with(|| self.post.map(|p| p + 1).cmp(&other.post.map(|p| p + 1)))
            // A development release sorts before the same version without one.
            .then_with(|| match (self.dev, other.dev) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(&b),
            })
    }
}

impl PartialOrd for Pep440 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep_440_orders_as_the_spec_s_examples() {
        let ordered = [
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.1.dev1",
            "5.3.1",
            "5.4",
            "1!0.1",
        ];
        for pair in ordered.windows(2) {
            let o = compare(Ecosystem::PyPI, pair[0], pair[1]);
            assert!(
                o == Some(Ordering::Less) || (pair[1].contains('+') && o == Some(Ordering::Equal)),
                "{} < {}: {o:?}",
                pair[0],
                pair[1]
            );
        }
        assert_eq!(
            compare(Ecosystem::PyPI, "1.0", "1.0.0"),
            Some(Ordering::Equal)
        );
        assert_eq!(compare(Ecosystem::PyPI, "1.0", "not a version"), None);
    }

    #[test]
    fn npm_orders_by_semver_precedence() {
        assert_eq!(
            compare(Ecosystem::Npm, "4.17.20", "4.17.21"),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(Ecosystem::Npm, "1.0.0-rc.1", "1.0.0"),
            Some(Ordering::Less)
        );
        assert_eq!(compare(Ecosystem::Npm, "1.0", "1.0.0"), None);
    }
}
