//! Plural forms. Russian follows the CLDR rules `one` / `few` / `many`
//! (1 место, 2 места, 5 мест, 11–14 мест, 21 место); Kazakh and English
//! texts put the number in a label or use a form valid for every number,
//! so they need no helper beyond [`en_plural`].

/// The Russian form for `n`: `one` (1, 21, 101…), `few` (2–4, 22–24…),
/// `many` (0, 5–20, 25–30, 11–14, 111…).
pub fn ru_plural<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    let (m10, m100) = (n % 10, n % 100);
    if m10 == 1 && m100 != 11 {
        one
    } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
        few
    } else {
        many
    }
}

/// The English form for `n`: `one` for exactly 1.
pub fn en_plural<'a>(n: u64, one: &'a str, other: &'a str) -> &'a str {
    if n == 1 { one } else { other }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(n: u64) -> String {
        format!("{n} {}", ru_plural(n, "место", "места", "мест"))
    }

    #[test]
    fn russian() {
        assert_eq!(places(1), "1 место");
        assert_eq!(places(2), "2 места");
        assert_eq!(places(4), "4 места");
        assert_eq!(places(5), "5 мест");
        assert_eq!(places(0), "0 мест");
        for n in 11..=14 {
            assert_eq!(places(n), format!("{n} мест"));
        }
        assert_eq!(places(21), "21 место");
        assert_eq!(places(22), "22 места");
        assert_eq!(places(111), "111 мест");
        assert_eq!(places(112), "112 мест");
        assert_eq!(places(101), "101 место");
    }

    #[test]
    fn english() {
        assert_eq!(en_plural(1, "day", "days"), "day");
        assert_eq!(en_plural(0, "day", "days"), "days");
    }
}
