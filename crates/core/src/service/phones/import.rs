//! Use case: import the mobile-citizens registry from CSV.
//!
//! Format: UTF-8, a header line `iin,phone`, then one pair per line (blank
//! lines are skipped; a field may be wrapped in double quotes). The IIN
//! must be valid (R10), the phone a Kazakh mobile number in any usual
//! spelling (`+7 701 123 45 67`, `87011234567`); it is stored normalized.
//! An IIN may have several phones. Rows add pairs (a pair already there is
//! kept); with `replace` the table is emptied first, in the same
//! transaction.
//!
//! The whole file is checked before anything is written: a bad row rejects
//! the file (`bad_request`, the line number in the message) and nothing
//! changes.
use std::collections::HashSet;

use sea_orm::{
    ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait, sea_query::OnConflict,
};

use crate::entity::citizen_phones;
use crate::error::ServiceError;
use kezek_domain::iin::Iin;
use kezek_domain::input::{BadInput, PhoneCsvProblem};
use kezek_domain::phone::normalize_phone;

/// Rows per INSERT statement.
const CHUNK: usize = 500;

/// What an import did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhonesImport {
    /// Distinct pairs in the file.
    pub pairs: u32,
    /// Whether the table was emptied first.
    pub replaced: bool,
}

/// Parses and checks a whole file: the distinct `(iin, phone)` pairs in
/// file order, or the first bad line.
pub fn parse_csv(text: &str) -> Result<Vec<(Iin, String)>, BadInput> {
    let bad = |line, problem| BadInput::PhoneCsv { line, problem };
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    let header_ok = lines.next().is_some_and(|(_, l)| {
        let l = l.trim_start_matches('\u{feff}');
        let f: Vec<String> = crate::service::util::csv_fields(l)
            .iter()
            .map(|s| s.to_ascii_lowercase())
            .collect();
        f == ["iin", "phone"]
    });
    if !header_ok {
        return Err(bad(1, PhoneCsvProblem::Header));
    }
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for (line, l) in lines {
        if l.trim().is_empty() {
            continue;
        }
        let f = crate::service::util::csv_fields(l);
        let [iin, phone] = f.as_slice() else {
            return Err(bad(line, PhoneCsvProblem::FieldCount(f.len())));
        };
        let iin = Iin::parse(iin).map_err(|e| bad(line, PhoneCsvProblem::Iin(e)))?;
        let phone = normalize_phone(phone).ok_or(bad(line, PhoneCsvProblem::Phone))?;
        if seen.insert((iin.as_str().to_owned(), phone.clone())) {
            rows.push((iin, phone));
        }
    }
    Ok(rows)
}

/// Checks the whole file, then writes it in one transaction (under the
/// SQLite write gate of this process).
pub async fn import_csv(
    core: &crate::Core,
    text: &str,
    replace: bool,
) -> Result<PhonesImport, ServiceError> {
    let _gate = match core.db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => Some(core.write_gate.lock().await),
        _ => None,
    };
    import_csv_alone(&core.db, text, replace, core.now().timestamp()).await
}

/// [`import_csv`] for a process with no other writer of its own (the
/// `kezek import-phones` command).
pub async fn import_csv_alone(
    db: &DatabaseConnection,
    text: &str,
    replace: bool,
    now_unix: i64,
) -> Result<PhonesImport, ServiceError> {
    let rows = parse_csv(text).map_err(ServiceError::BadRequest)?;
    let txn = db.begin().await?;
    if replace {
        citizen_phones::Entity::delete_many().exec(&txn).await?;
    }
    for chunk in rows.chunks(CHUNK) {
        citizen_phones::Entity::insert_many(chunk.iter().map(|(iin, phone)| {
            citizen_phones::ActiveModel {
                iin: Set(iin.as_str().to_owned()),
                phone: Set(phone.clone()),
                source: Set("import".to_owned()),
                created_at: Set(now_unix),
            }
        }))
        .on_conflict(
            OnConflict::columns([citizen_phones::Column::Iin, citizen_phones::Column::Phone])
                .update_column(citizen_phones::Column::Source)
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    tracing::info!(
        pairs = rows.len(),
        replace,
        "mobile-citizens registry imported"
    );
    Ok(PhonesImport {
        pairs: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        replaced: replace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kezek_domain::iin::IinError;

    #[test]
    fn parses_normalizes_and_drops_repeats() {
        let text = "\u{feff}IIN, Phone\r\n\
                    710313311868,+7 701 123 45 67\r\n\
                    \r\n\
                    \"710313311868\",\"87011234567\"\n\
                    710313311868,+77017654321\n";
        let rows = parse_csv(text).unwrap_or_default();
        let got: Vec<(&str, &str)> = rows.iter().map(|(i, p)| (i.as_str(), p.as_str())).collect();
        assert_eq!(
            got,
            [
                ("710313311868", "+77011234567"),
                ("710313311868", "+77017654321")
            ]
        );
    }

    #[test]
    fn bad_lines_are_named() {
        let bad = |line, problem| Err(BadInput::PhoneCsv { line, problem });
        assert_eq!(parse_csv(""), bad(1, PhoneCsvProblem::Header));
        assert_eq!(parse_csv("phone,iin\n"), bad(1, PhoneCsvProblem::Header));
        let head = "iin,phone\n710313311868,+77011234567\n";
        let cases = [
            ("710313311868", PhoneCsvProblem::FieldCount(1)),
            (
                "710313311868,+77011234567,x",
                PhoneCsvProblem::FieldCount(3),
            ),
            (
                "710313311869,+77011234567",
                PhoneCsvProblem::Iin(IinError::Checksum),
            ),
            (
                "71031331186\u{0},+77011234567",
                PhoneCsvProblem::Iin(IinError::NotDigits),
            ),
            ("710313311868,+77271234567", PhoneCsvProblem::Phone),
            ("710313311868,+7701\u{0}1234567", PhoneCsvProblem::Phone),
        ];
        for (row, problem) in cases {
            assert_eq!(
                parse_csv(&format!("{head}{row}\n")),
                bad(3, problem),
                "{row:?}"
            );
        }
    }

    mod fuzz {
        use super::*;
        use proptest::prelude::*;

        /// Whatever the text: pairs that are valid and normalized, or a
        /// refusal naming a line of the text — never a panic.
        fn check(text: &str) -> Result<(), TestCaseError> {
            match parse_csv(text) {
                Ok(rows) => {
                    for (iin, phone) in rows {
                        prop_assert!(Iin::parse(iin.as_str()).is_ok());
                        let again = normalize_phone(&phone);
                        prop_assert_eq!(again.as_deref(), Some(phone.as_str()));
                    }
                }
                Err(BadInput::PhoneCsv { line, .. }) => {
                    prop_assert!(line >= 1 && line <= text.lines().count().max(1));
                }
                Err(other) => prop_assert!(false, "{other:?}"),
            }
            Ok(())
        }

        proptest! {
            #[test]
            fn any_text(text in any::<String>()) {
                check(&text)?;
            }

            #[test]
            fn a_header_then_near_valid_lines(
                lines in proptest::collection::vec(
                    "(710313311868|98021238313[0-9]|[0-9]{12}| ?),(\\+7 ?70[0-9] ?[0-9]{3} ?[0-9]{2} ?[0-9]{2}|8701[0-9]{7}|[0-9+]{0,12})(,x)?|\"?[0-9\u{0},]{0,14}\"?",
                    0..12,
                )
            ) {
                check(&format!("iin,phone\n{}", lines.join("\n")))?;
            }
        }
    }
}
