//! The one wildcard matcher: IAM's patterns (`Action`, `Resource`, `Principal` ARNs, condition
//! values) and the mute file's resource globs use the same two wildcards, `*` (any run, empty
//! included) and `?` (one character), over the whole text.

/// Whether `pattern` matches all of `text`. IAM compares action names case-insensitively and ARNs
/// case-sensitively; mute globs are ARNs. Works on bytes, without allocating, since IAM matching is
/// the assessment's innermost loop; `?` still takes one whole character, not one byte.
pub fn matches(pattern: &str, text: &str, case_sensitive: bool) -> bool {
    let eq = |a: u8, b: u8| {
        if case_sensitive {
            a == b
        } else {
            a.eq_ignore_ascii_case(&b)
        }
    };
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was, and how much of the text it has taken so far. `ti` is on a
    // character boundary whenever `pi` is: literal bytes advance both alike, `?` and a stretched
    // `*` take whole characters.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'?' {
            pi += 1;
            ti += width(t[ti]);
        } else if pi < p.len() && p[pi] != b'*' && eq(p[pi], t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            // Let the last `*` take one more character and try again from there.
            let next = st + width(t[st]);
            pi = sp + 1;
            ti = next;
            star = Some((sp, next));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// The length of the UTF-8 character that starts with `lead`.
fn width(lead: u8) -> usize {
    match lead {
        0xf0..=0xff => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn wildcards_match_as_iam_does() {
        assert!(matches("*", "anything", true));
        assert!(matches("iam:Pass*", "iam:PassRole", false));
        assert!(
            matches("iam:Pass*", "IAM:passrole", false),
            "actions ignore case"
        );
        assert!(!matches("iam:Pass*", "iam:GetRole", false));
        assert!(matches("s3:Get?bject", "s3:GetObject", false));
        assert!(!matches("s3:Get?bject", "s3:GetObjectAcl", false));
        assert!(matches("*:Get*", "ec2:GetConsoleOutput", false));
        assert!(
            matches("a*b*c", "aXXbYYbZc", true),
            "backtracks over several stars"
        );
        assert!(!matches("a*b*c", "aXXbYY", true));
        assert!(matches(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/k/e/y",
            true
        ));
        assert!(
            !matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::Bucket/key", true),
            "ARNs keep case"
        );
        assert!(matches("", "", true));
        assert!(!matches("", "x", true));
        assert!(matches("**", "", true));
    }

    #[test]
    fn globs_match_whole_arns() {
        let arn = "arn:aws:lambda:eu-west-1:123456789012:function:public-hook";
        assert!(matches(arn, arn, true));
        assert!(matches("arn:aws:lambda:*:*:function:public-*", arn, true));
        assert!(matches("*hook", arn, true));
        assert!(matches("arn:aws:lambda:eu-west-?:*", arn, true));
        assert!(!matches("arn:aws:lambda:*:*:function:public", arn, true));
        assert!(!matches("*:function:private-*", arn, true));
        assert!(!matches("", arn, true));
    }

    /// `?` is one character, however many bytes it takes; a `*` never stops inside one.
    #[test]
    fn question_mark_takes_a_whole_character() {
        assert!(matches("caf?", "café", true));
        assert!(!matches("caf??", "café", true));
        assert!(matches("?-?", "é-日", true));
        assert!(matches("*?", "日", true));
        assert!(matches("*本", "日本", true));
        assert!(matches("a*?c", "a日本c", true));
        assert!(!matches("a*?c", "ac", true));
    }
}
