//! Where to go after signing in (`?next=`): only a path of this site.
//!
//! Browsers resolve `\` like `/` and drop tabs and newlines inside URLs, so
//! `/\evil.example` or `/<TAB>/evil.example` would leave the site, and a
//! control character in a `Location` header cannot be sent at all (review
//! M5). A `next` is accepted only when it is a path of printable ASCII
//! without `\`, starting with one `/`; anything else means "the default
//! page".

/// Longest `next` kept.
pub const MAX_NEXT: usize = 500;

/// `raw` when it is a same-site path to return to, else `None`.
pub fn safe_next(raw: &str) -> Option<&str> {
    let b = raw.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= MAX_NEXT
        && b[0] == b'/'
        && b.get(1).is_none_or(|c| *c != b'/')
        && b.iter().all(|c| c.is_ascii_graphic() && *c != b'\\');
    ok.then_some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn only_same_site_paths() {
        for good in [
            "/",
            "/my",
            "/book?kind=Psc&service=ID_CARD",
            "/my/12?moved=1",
            "/%2F%2Fx",
        ] {
            assert_eq!(safe_next(good), Some(good), "{good:?}");
        }
        for bad in [
            "",
            "my",
            "//evil.example",
            "/\\evil.example",
            "/x\\y",
            "/\t/evil.example",
            "/\n",
            "/a b",
            "https://evil.example/",
            "/книга",
            "\u{0}",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
        assert_eq!(safe_next(&format!("/{}", "a".repeat(MAX_NEXT))), None);
    }

    proptest! {
        /// Whatever is accepted starts with one `/`, has no `\`, and is a
        /// valid header value (visible ASCII): it can neither leave the
        /// site nor make the redirect fail.
        #[test]
        fn accepted_paths_stay_on_the_site(s in any::<String>()) {
            if let Some(p) = safe_next(&s) {
                prop_assert!(p.starts_with('/') && !p.starts_with("//"));
                prop_assert!(p.bytes().all(|c| (0x21..0x7f).contains(&c) && c != b'\\'));
            }
        }

        #[test]
        fn printable_paths_are_kept(s in "/[a-z0-9?=&/._-]{0,40}") {
            prop_assume!(!s.starts_with("//"));
            prop_assert_eq!(safe_next(&s), Some(s.as_str()));
        }
    }
}
