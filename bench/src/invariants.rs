//! Checks straight from the database after the load, against what the
//! server acknowledged.
use std::collections::HashMap;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, QueryResult, Statement};
use serde::{Deserialize, Serialize};

use crate::scenarios::Ledger;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

async fn rows(db: &DatabaseConnection, sql: &str) -> anyhow::Result<Vec<QueryResult>> {
    Ok(db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?)
}

/// An integer column (BIGINT or INTEGER); -1 if it is neither.
fn i(r: &QueryResult, idx: usize) -> i64 {
    r.try_get_by_index::<i64>(idx)
        .or_else(|_| r.try_get_by_index::<i32>(idx).map(i64::from))
        .unwrap_or(-1)
}

fn s(r: &QueryResult, idx: usize) -> String {
    r.try_get_by_index::<String>(idx).unwrap_or_default()
}

fn check(name: &str, bad: usize, detail: String) -> Check {
    Check {
        name: name.to_owned(),
        ok: bad == 0,
        detail: if bad == 0 { "ok".to_owned() } else { detail },
    }
}

/// Runs every check; `flash` is (center, local date, places offered,
/// 201s) of the flash crowd.
pub async fn run(
    db_url: &str,
    ledger: &Ledger,
    flash: Option<(i64, String, u64, u64)>,
) -> anyhow::Result<Vec<Check>> {
    let db = Database::connect(db_url).await?;
    let mut out = Vec::new();

    // 1. No slot over capacity: Booked per (center, start, service) ≤ the
    //    center's active windows serving the service; and no window-slot
    //    row of an inactive booking.
    let caps: HashMap<(i64, String), i64> = rows(
        &db,
        "SELECT w.center_id, ws.service_code, COUNT(*) FROM windows w \
         JOIN window_services ws ON ws.window_id = w.id WHERE w.active \
         GROUP BY w.center_id, ws.service_code",
    )
    .await?
    .iter()
    .map(|r| ((i(r, 0), s(r, 1)), i(r, 2)))
    .collect();
    let per_slot = rows(
        &db,
        "SELECT center_id, start_at, service_code, COUNT(*) FROM bookings \
         WHERE status = 'Booked' GROUP BY center_id, start_at, service_code",
    )
    .await?;
    let over: Vec<String> = per_slot
        .iter()
        .filter(|r| i(r, 3) > caps.get(&(i(r, 0), s(r, 2))).copied().unwrap_or(0))
        .map(|r| format!("center {} at {}: {}", i(r, 0), i(r, 1), i(r, 3)))
        .collect();
    out.push(check(
        "no slot over capacity (Booked per center, start, service ≤ windows serving it)",
        over.len(),
        over.iter().take(5).cloned().collect::<Vec<_>>().join("; "),
    ));
    let orphan = rows(
        &db,
        "SELECT COUNT(*) FROM booking_slots bs JOIN bookings b ON b.id = bs.booking_id \
         WHERE b.status NOT IN ('Booked', 'CheckedIn', 'Called', 'InService')",
    )
    .await?;
    let orphan_n = orphan.first().map_or(0, |r| i(r, 0));
    out.push(check(
        "window-slots held only by active bookings",
        usize::try_from(orphan_n).unwrap_or(1),
        format!("{orphan_n} rows held by inactive bookings"),
    ));
    let unheld = rows(
        &db,
        "SELECT COUNT(*) FROM bookings b WHERE b.status = 'Booked' AND NOT EXISTS \
         (SELECT 1 FROM booking_slots bs WHERE bs.booking_id = b.id)",
    )
    .await?;
    let unheld_n = unheld.first().map_or(0, |r| i(r, 0));
    out.push(check(
        "every Booked booking holds its window-slots",
        usize::try_from(unheld_n).unwrap_or(1),
        format!("{unheld_n} Booked bookings hold no slot"),
    ));

    // 2. R3: one active booking per citizen, center kind and group.
    let r3 = rows(
        &db,
        "SELECT citizen_id, center_kind, grp, COUNT(*) FROM bookings WHERE status = 'Booked' \
         GROUP BY citizen_id, center_kind, grp HAVING COUNT(*) > 1",
    )
    .await?;
    out.push(check(
        "R3: no citizen with two active bookings per kind + group",
        r3.len(),
        format!("{} citizens", r3.len()),
    ));
    // 3. R4: one booking created per citizen, kind and group in 10 days
    //    (the bench never cancels, so every row counts).
    let r4 = rows(
        &db,
        "SELECT citizen_id, center_kind, grp, COUNT(*) FROM bookings \
         GROUP BY citizen_id, center_kind, grp HAVING COUNT(*) > 1",
    )
    .await?;
    out.push(check(
        "R4: one booking created per citizen, kind + group (10 days)",
        r4.len(),
        format!("{} citizens", r4.len()),
    ));
    // 4. R5: ≤ 2 per citizen and day, ≤ 1 per group and day.
    let r5 = rows(
        &db,
        "SELECT citizen_id, local_date, COUNT(*) FROM bookings WHERE status <> 'Cancelled' \
         GROUP BY citizen_id, local_date HAVING COUNT(*) > 2",
    )
    .await?;
    let r5g = rows(
        &db,
        "SELECT citizen_id, local_date, grp, COUNT(*) FROM bookings WHERE status <> 'Cancelled' \
         GROUP BY citizen_id, local_date, grp HAVING COUNT(*) > 1",
    )
    .await?;
    out.push(check(
        "R5: ≤ 2 bookings per citizen and day, ≤ 1 per group and day",
        r5.len() + r5g.len(),
        format!(
            "{} over the day limit, {} over the group limit",
            r5.len(),
            r5g.len()
        ),
    ));

    // 5. Every 201 stored exactly once, nothing stored that was not
    //    acknowledged (unless a write's outcome is unknown).
    let stored = rows(
        &db,
        "SELECT b.id, c.iin, b.start_at, CAST(b.reschedule_count AS BIGINT) FROM bookings b \
         JOIN citizens c ON c.id = b.citizen_id",
    )
    .await?;
    let db_map: HashMap<String, (String, i64, i64)> = stored
        .iter()
        .map(|r| (i(r, 0).to_string(), (s(r, 1), i(r, 2), i(r, 3))))
        .collect();
    let missing: Vec<&String> = ledger
        .acked
        .keys()
        .filter(|id| !db_map.contains_key(*id))
        .collect();
    let wrong_owner = ledger
        .acked
        .iter()
        .filter(|(id, (iin, _, _))| db_map.get(*id).is_some_and(|(d, _, _)| d != iin))
        .count();
    let extra = db_map.len().saturating_sub(ledger.acked.len());
    let unexplained = if (extra as u64) <= ledger.unknown_writes {
        0
    } else {
        extra
    };
    out.push(check(
        "every 201 stored exactly once (and nothing unacknowledged)",
        missing.len() + ledger.duplicate_201.len() + wrong_owner + unexplained,
        format!(
            "{} acknowledged but missing, {} ids returned twice, {} with another owner, {} stored but never acknowledged ({} writes with unknown outcome)",
            missing.len(),
            ledger.duplicate_201.len(),
            wrong_owner,
            extra,
            ledger.unknown_writes
        ),
    ));
    // 6. Reschedules: the stored start is the last acknowledged one and the
    //    stored count matches the acknowledged moves.
    let moved_wrong: Vec<String> = ledger
        .acked
        .iter()
        .filter(|(id, _)| !ledger.unknown_booking.contains(id))
        .filter(|(id, (_, start, n))| {
            let want = chrono::DateTime::parse_from_rfc3339(start)
                .map(|t| t.timestamp())
                .unwrap_or(-1);
            db_map
                .get(*id)
                .is_some_and(|(_, at, count)| *at != want || *count != i64::from(*n))
        })
        .map(|(id, _)| id.clone())
        .collect();
    out.push(check(
        "each booking's stored start and reschedule count = the last acknowledged",
        moved_wrong.len(),
        format!(
            "{} bookings differ, e.g. {:?}",
            moved_wrong.len(),
            moved_wrong.first()
        ),
    ));

    // 7. The flash crowd's day sold out exactly.
    if let Some((center, date, capacity, made)) = flash {
        let n = rows(
            &db,
            &format!(
                "SELECT COUNT(*) FROM bookings WHERE status = 'Booked' AND center_id = {center} \
                 AND local_date = '{}'",
                date.replace('\'', "")
            ),
        )
        .await?
        .first()
        .map_or(-1, |r| i(r, 0));
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        let ok = n <= capacity && n == made;
        out.push(check(
            "flash crowd day: Booked = 201s ≤ places offered",
            usize::from(!ok),
            format!("{n} Booked, {made} 201s, {capacity} places offered"),
        ));
    }
    db.close().await.ok();
    Ok(out)
}
