//! Kazakhstan mobile numbers: `+7 7XX XXX XX XX`.
//!
//! Accepts spaces, dashes, brackets, a leading `8` or `7` instead of `+7`;
//! stores the canonical `+77XXXXXXXXX`.

/// Returns the canonical form, or `None` if it is not a Kazakh mobile number.
pub fn normalize_phone(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.len() > 32 {
        return None;
    }
    let mut digits = String::new();
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            ' ' | '-' | '(' | ')' => {}
            _ => return None,
        }
    }
    let national = match digits.len() {
        11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
        10 => &digits[..],
        _ => return None,
    };
    // Kazakh mobile ranges: 700–709, 747, 750–751, 760–764, 771, 775–778.
    if ![
        "70", "747", "750", "751", "76", "771", "775", "776", "777", "778",
    ]
    .iter()
    .any(|p| national.starts_with(p))
    {
        return None;
    }
    Some(format!("+7{national}"))
}

#[cfg(test)]
mod tests {
    use super::normalize_phone;

    #[test]
    fn accepts_common_spellings() {
        for s in [
            "+77011234567",
            "+7 701 123 45 67",
            "8 (701) 123-45-67",
            "87011234567",
            "7011234567",
        ] {
            assert_eq!(normalize_phone(s).as_deref(), Some("+77011234567"), "{s}");
        }
    }

    #[test]
    fn refuses_non_mobile_and_garbage() {
        for s in [
            "",
            "+7 727 123 45 67",
            "+1 701 123 45 67",
            "abc",
            "+7701123456",
            "+770112345678",
            "7701\u{0}1234567",
        ] {
            assert_eq!(normalize_phone(s), None, "{s:?}");
        }
    }
}
