//! Use case: import the vehicle registry from CSV.
//!
//! Format: UTF-8, a header line `plate,vin,owner_iin`, then one vehicle per
//! line (blank lines are skipped; a field may be wrapped in double quotes).
//! Plate and VIN are normalized like a citizen's input (`domain::vehicle`),
//! the owner's IIN must be valid (R10). Rows upsert by VIN, so importing a
//! recorded sale changes the owner; when one file names a VIN twice, the
//! later line wins.
//!
//! The whole file is checked before anything is written, and written in one
//! transaction: a bad row rejects the file (`bad_request` with the line
//! number in the message) and nothing changes.
use std::collections::HashMap;

use sea_orm::{
    ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait, sea_query::OnConflict,
};

use crate::entity::vehicles;
use crate::error::ServiceError;
use kezek_domain::iin::Iin;
use kezek_domain::input::BadInput;
use kezek_domain::vehicle::{Plate, Vin};
use kezek_i18n::Lang;

/// Rows per INSERT statement (4 parameters each: far below the limits of
/// SQLite and PostgreSQL).
const CHUNK: usize = 500;

/// What an import did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportReport {
    /// Data lines accepted (inserted or updated).
    pub imported: u32,
}

/// One parsed data line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VehicleRow {
    pub plate: Plate,
    pub vin: Vin,
    pub owner: Iin,
}

pub use kezek_domain::input::CsvProblem;

/// Why a file was refused, with the 1-based line number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub problem: CsvProblem,
}

impl From<CsvError> for BadInput {
    fn from(e: CsvError) -> Self {
        BadInput::VehicleCsv {
            line: e.line,
            problem: e.problem,
        }
    }
}

impl CsvError {
    /// The refusal text in `lang`, naming the line.
    pub fn message(&self, lang: Lang) -> String {
        kezek_i18n::bad_input_message(&BadInput::from(*self), lang)
    }
}

/// Parses and checks a whole file. Later lines win for a repeated VIN.
pub fn parse_csv(text: &str) -> Result<Vec<VehicleRow>, CsvError> {
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    let header_ok = lines.next().is_some_and(|(_, l)| {
        let l = l.trim_start_matches('\u{feff}');
        let f: Vec<String> = crate::service::util::csv_fields(l)
            .iter()
            .map(|s| s.to_ascii_lowercase())
            .collect();
        f == ["plate", "vin", "owner_iin"]
    });
    if !header_ok {
        return Err(CsvError {
            line: 1,
            problem: CsvProblem::Header,
        });
    }
    let mut rows: Vec<VehicleRow> = Vec::new();
    let mut by_vin: HashMap<String, usize> = HashMap::new();
    for (line, l) in lines {
        if l.trim().is_empty() {
            continue;
        }
        let err = |problem| CsvError { line, problem };
        let f = crate::service::util::csv_fields(l);
        let [plate, vin, owner] = f.as_slice() else {
            return Err(err(CsvProblem::FieldCount(f.len())));
        };
        let row = VehicleRow {
            plate: Plate::parse(plate).map_err(|_| err(CsvProblem::Plate))?,
            vin: Vin::parse(vin).map_err(|_| err(CsvProblem::Vin))?,
            owner: Iin::parse(owner).map_err(|e| err(CsvProblem::Iin(e)))?,
        };
        match by_vin.get(row.vin.as_str()) {
            Some(&i) => rows[i] = row,
            None => {
                by_vin.insert(row.vin.as_str().to_owned(), rows.len());
                rows.push(row);
            }
        }
    }
    Ok(rows)
}

/// Checks the whole file, then upserts every row in one transaction.
/// `BadRequest` ([`BadInput::VehicleCsv`], naming the line) when any line
/// is wrong; nothing is written then.
pub async fn import_csv(core: &crate::Core, text: &str) -> Result<ImportReport, ServiceError> {
    // On SQLite, one writer at a time inside this process (see `Core`).
    let _gate = match core.db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => Some(core.write_gate.lock().await),
        _ => None,
    };
    import_csv_alone(&core.db, text, core.now().timestamp()).await
}

/// [`import_csv`] for a process with no other writer of its own (the
/// `kezek import-vehicles` command): it takes no write gate.
pub async fn import_csv_alone(
    db: &DatabaseConnection,
    text: &str,
    now_unix: i64,
) -> Result<ImportReport, ServiceError> {
    let rows = parse_csv(text).map_err(|e| ServiceError::BadRequest(e.into()))?;
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    let imported = u32::try_from(lines.saturating_sub(1)).unwrap_or(u32::MAX);
    let txn = db.begin().await?;
    for chunk in rows.chunks(CHUNK) {
        vehicles::Entity::insert_many(chunk.iter().map(|r| vehicles::ActiveModel {
            vin: Set(r.vin.as_str().to_owned()),
            plate: Set(r.plate.as_str().to_owned()),
            owner_iin: Set(r.owner.as_str().to_owned()),
            updated_at: Set(now_unix),
        }))
        .on_conflict(
            OnConflict::column(vehicles::Column::Vin)
                .update_columns([
                    vehicles::Column::Plate,
                    vehicles::Column::OwnerIin,
                    vehicles::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    tracing::info!(rows = rows.len(), "vehicle registry imported");
    Ok(ImportReport { imported })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kezek_domain::iin::IinError;

    #[test]
    fn parses_normalizes_and_keeps_the_last_row_per_vin() {
        let text = "\u{feff}Plate, VIN ,owner_iin\r\n\
                    123 abc 02,xta21700080123456,710313311868\r\n\
                    \r\n\
                    \"777KZ02\",\"WVWZZZ1JZXW000001\",\"980212383137\"\n\
                    123ABC02,XTA21700080123456,980212383137\n";
        let rows = parse_csv(text).unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].plate.as_str(), "123ABC02");
        assert_eq!(rows[0].vin.as_str(), "XTA21700080123456");
        assert_eq!(rows[0].owner.as_str(), "980212383137");
        assert_eq!(rows[1].plate.as_str(), "777KZ02");
    }

    #[test]
    fn bad_lines_are_named() {
        let head = "plate,vin,owner_iin\n";
        let good = "123ABC02,XTA21700080123456,710313311868\n";
        let cases = [
            ("", 1, CsvProblem::Header),
            ("vin,plate,owner_iin\n", 1, CsvProblem::Header),
            ("plate;vin;owner_iin\n", 1, CsvProblem::Header),
        ];
        for (text, line, problem) in cases {
            assert_eq!(parse_csv(text), Err(CsvError { line, problem }), "{text:?}");
        }
        let rows = [
            ("123ABC02,XTA21700080123456", CsvProblem::FieldCount(2)),
            ("12,XTA21700080123456,710313311868", CsvProblem::Plate),
            ("123ABC02,XTA2170008012345O,710313311868", CsvProblem::Vin),
            (
                "123ABC02,XTA21700080123456,710313311869",
                CsvProblem::Iin(IinError::Checksum),
            ),
            (
                "123ABC02,XTA21700080123456,71031331186\u{0}",
                CsvProblem::Iin(IinError::NotDigits),
            ),
        ];
        for (row, problem) in rows {
            let text = format!("{head}{good}\n{row}\n");
            assert_eq!(
                parse_csv(&text),
                Err(CsvError { line: 4, problem }),
                "{row:?}"
            );
        }
        let e = CsvError {
            line: 4,
            problem: CsvProblem::Vin,
        };
        for lang in Lang::ALL {
            assert!(e.message(lang).contains('4'));
        }
    }
}
