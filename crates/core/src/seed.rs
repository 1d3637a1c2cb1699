//! Demo data: the service catalog of `app/data/demo-catalog.tsv`, centers in
//! Astana, Almaty and Shymkent with windows and hours, staff accounts, a
//! small vehicle registry. Runs only on an empty database.
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    TransactionTrait,
};

use super::entity::{
    centers, citizen_phones, opening_hours, services, staff, vehicles, window_services, windows,
};
use super::error::ServiceError;

const CATALOG: &str = include_str!("../data/demo-catalog.tsv");

/// One catalog row.
#[derive(Clone, Debug)]
pub struct CatalogRow {
    pub code: String,
    pub center_kind: String,
    pub group: String,
    pub online_available: bool,
    pub requires_vehicle: bool,
    pub minutes: i32,
    pub name_en: String,
    pub name_ru: String,
    pub name_kk: String,
}

/// Parses the TSV catalog (comments start with `#`, first data line is the
/// header).
pub fn catalog() -> Result<Vec<CatalogRow>, String> {
    let mut out = Vec::new();
    let mut header_seen = false;
    for (n, line) in CATALOG.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let [code, kind, group, online, vehicle, minutes, en, ru, kk] = f.as_slice() else {
            return Err(format!("catalog line {}: expected 9 fields", n + 1));
        };
        out.push(CatalogRow {
            code: (*code).to_owned(),
            center_kind: (*kind).to_owned(),
            group: (*group).to_owned(),
            online_available: *online == "true",
            requires_vehicle: *vehicle == "true",
            minutes: minutes
                .parse()
                .map_err(|_| format!("catalog line {}: bad minutes", n + 1))?,
            name_en: (*en).to_owned(),
            name_ru: (*ru).to_owned(),
            name_kk: (*kk).to_owned(),
        });
    }
    Ok(out)
}

struct DemoCenter {
    slug: &'static str,
    kind: &'static str,
    name: [&'static str; 3], // kk, ru, en
    region: &'static str,
    city: &'static str,
    address: [&'static str; 3],
    /// Open until 20:00 on weekdays and on Saturday morning.
    duty: bool,
}

const CENTERS: &[DemoCenter] = &[
    DemoCenter {
        slug: "ast-psc-yesil",
        kind: "Psc",
        name: [
            "Есіл ауданының ХҚО",
            "ЦОН района Есиль",
            "PSC of Yesil district",
        ],
        region: "Astana",
        city: "Astana",
        address: [
            "Астана, Сығанақ көшесі, 29",
            "Астана, ул. Сыганак, 29",
            "Astana, 29 Syganak St",
        ],
        duty: true,
    },
    DemoCenter {
        slug: "ast-psc-saryarka",
        kind: "Psc",
        name: [
            "Сарыарқа ауданының ХҚО",
            "ЦОН района Сарыарка",
            "PSC of Saryarka district",
        ],
        region: "Astana",
        city: "Astana",
        address: [
            "Астана, Бөгенбай батыр даңғылы, 37",
            "Астана, пр. Богенбай батыра, 37",
            "Astana, 37 Bogenbay Batyr Ave",
        ],
        duty: false,
    },
    DemoCenter {
        slug: "ast-auto",
        kind: "AutoPsc",
        name: [
            "Астана қаласының автоХҚО",
            "спецЦОН города Астаны",
            "Astana vehicle service center",
        ],
        region: "Astana",
        city: "Astana",
        address: [
            "Астана, Ақжол көшесі, 26",
            "Астана, ул. Акжол, 26",
            "Astana, 26 Akzhol St",
        ],
        duty: true,
    },
    DemoCenter {
        slug: "alm-psc-almaly",
        kind: "Psc",
        name: [
            "Алмалы ауданының ХҚО",
            "ЦОН Алмалинского района",
            "PSC of Almaly district",
        ],
        region: "Almaty",
        city: "Almaty",
        address: [
            "Алматы, Төле би көшесі, 155",
            "Алматы, ул. Толе би, 155",
            "Almaty, 155 Tole Bi St",
        ],
        duty: true,
    },
    DemoCenter {
        slug: "alm-psc-medeu",
        kind: "Psc",
        name: [
            "Медеу ауданының ХҚО",
            "ЦОН Медеуского района",
            "PSC of Medeu district",
        ],
        region: "Almaty",
        city: "Almaty",
        address: [
            "Алматы, Жамбыл көшесі, 24",
            "Алматы, ул. Жамбыла, 24",
            "Almaty, 24 Zhambyl St",
        ],
        duty: false,
    },
    DemoCenter {
        slug: "alm-auto",
        kind: "AutoPsc",
        name: [
            "Алматы қаласының автоХҚО",
            "спецЦОН города Алматы",
            "Almaty vehicle service center",
        ],
        region: "Almaty",
        city: "Almaty",
        address: [
            "Алматы, Хмельницкий көшесі, 1",
            "Алматы, ул. Хмельницкого, 1",
            "Almaty, 1 Khmelnitsky St",
        ],
        duty: true,
    },
    DemoCenter {
        slug: "shy-psc-abay",
        kind: "Psc",
        name: [
            "Абай ауданының ХҚО",
            "ЦОН Абайского района",
            "PSC of Abay district",
        ],
        region: "Shymkent",
        city: "Shymkent",
        address: [
            "Шымкент, Тәуке хан даңғылы, 36",
            "Шымкент, пр. Тауке хана, 36",
            "Shymkent, 36 Tauke Khan Ave",
        ],
        duty: false,
    },
    DemoCenter {
        slug: "shy-auto",
        kind: "AutoPsc",
        name: [
            "Шымкент қаласының автоХҚО",
            "спецЦОН города Шымкента",
            "Shymkent vehicle service center",
        ],
        region: "Shymkent",
        city: "Shymkent",
        address: [
            "Шымкент, Байтұрсынов көшесі, 12",
            "Шымкент, ул. Байтурсынова, 12",
            "Shymkent, 12 Baitursynov St",
        ],
        duty: true,
    },
];

/// Window layouts: the services each window serves.
const PSC_WINDOWS: &[&[&str]] = &[
    &["ID_CARD", "PASSPORT", "FOREIGNER_DOCS"],
    &["ID_CARD", "PASSPORT", "FOREIGNER_DOCS"],
    &[
        "BIRTH_REG",
        "MARRIAGE_REG",
        "DIVORCE_REG",
        "DEATH_REG",
        "CIVIL_DUPLICATE",
    ],
    &["APOSTILLE", "IIN_FOREIGNER", "CIVIL_DUPLICATE"],
    &[
        "PENSION_AGE",
        "BENEFIT_BIRTH",
        "BENEFIT_DISABILITY",
        "REAL_ESTATE_REG",
    ],
    &[
        "ID_CARD",
        "PASSPORT",
        "BIRTH_REG",
        "MARRIAGE_REG",
        "DIVORCE_REG",
        "DEATH_REG",
        "CIVIL_DUPLICATE",
        "REAL_ESTATE_REG",
        "PENSION_AGE",
        "BENEFIT_BIRTH",
        "BENEFIT_DISABILITY",
        "APOSTILLE",
        "IIN_FOREIGNER",
    ],
];
const AUTO_WINDOWS: &[&[&str]] = &[
    &["VEH_REG", "VEH_REREG", "VEH_DEREG", "VEH_DUPLICATE"],
    &["VEH_REG", "VEH_REREG", "VEH_DEREG", "VEH_DUPLICATE"],
    &["DL_ISSUE", "DL_REPLACE"],
    &["DL_THEORY"],
    &["DL_PRACTICE"],
];

/// Demo vehicles: (plate, VIN, owner IIN). The IINs are test vectors.
pub const DEMO_VEHICLES: &[(&str, &str, &str)] = &[
    ("123ABC01", "XTA21700080123456", "710313311868"),
    ("777KZ02", "WVWZZZ1JZXW000001", "710313311868"),
    ("456DEF17", "JTDBR32E720012345", "980212383137"),
    ("001AAA02", "KMHCT41BP7U123456", "570103468518"),
];

/// Demo citizens registered in the mobile-citizens registry (R11): (IIN,
/// phone). The IINs are test vectors; the first two are the README's demo
/// logins, and each owns a demo vehicle.
pub const DEMO_CITIZENS: &[(&str, &str)] = &[
    ("710313311868", "+77011234567"),
    ("980212383137", "+77021234567"),
    ("570103468518", "+77051234567"),
];

/// Demo staff passwords (dev/demo only; printed at start in dev mode).
pub const DEMO_STAFF_PASSWORD: &str = "kezek-demo";

/// The result of seeding, for the start-up banner.
pub struct Seeded {
    pub centers: usize,
    pub services: usize,
    pub staff_usernames: Vec<String>,
}

/// Hashes a staff password with argon2id (slow on purpose; call from a
/// blocking thread on request paths).
pub fn hash_password(password: &str) -> Result<String, ServiceError> {
    use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(format!("argon2: {e}")))
}

/// Seeds the demo catalog if the database has no centers yet. Returns
/// `None` when there was something already.
pub async fn seed_demo(
    db: &DatabaseConnection,
    now_unix: i64,
) -> Result<Option<Seeded>, ServiceError> {
    seed(db, now_unix, SeedParts::Demo).await
}

/// What to seed into an empty database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeedParts {
    /// The service catalog and the demo centers with their windows and
    /// hours: what a production start may take (`kezek seed-catalog`, or
    /// `--seed-demo` without `--dev`).
    Catalog,
    /// The catalog plus demo people: staff accounts with the public
    /// password [`DEMO_STAFF_PASSWORD`], demo vehicles and the demo
    /// citizens' phone registrations. Dev mode only (review H4).
    Demo,
}

/// Seeds `parts` into an empty database (`None` when it has centers
/// already).
pub async fn seed(
    db: &DatabaseConnection,
    now_unix: i64,
    parts: SeedParts,
) -> Result<Option<Seeded>, ServiceError> {
    if centers::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    let demo = parts == SeedParts::Demo;
    let rows = catalog().map_err(ServiceError::Internal)?;
    let staff_hash = if demo {
        tokio::task::spawn_blocking(|| hash_password(DEMO_STAFF_PASSWORD))
            .await
            .map_err(|e| ServiceError::Internal(e.to_string()))??
    } else {
        String::new()
    };
    let txn = db.begin().await?;
    services::Entity::insert_many(rows.iter().map(|r| services::ActiveModel {
        code: Set(r.code.clone()),
        center_kind: Set(r.center_kind.clone()),
        grp: Set(r.group.clone()),
        online_available: Set(r.online_available),
        requires_vehicle: Set(r.requires_vehicle),
        duration_min: Set(r.minutes),
        name_kk: Set(r.name_kk.clone()),
        name_ru: Set(r.name_ru.clone()),
        name_en: Set(r.name_en.clone()),
        active: Set(true),
    }))
    .exec(&txn)
    .await?;

    let mut staff_usernames = Vec::new();
    for c in CENTERS {
        let center = centers::ActiveModel {
            slug: Set(c.slug.to_owned()),
            kind: Set(c.kind.to_owned()),
            name_kk: Set(c.name[0].to_owned()),
            name_ru: Set(c.name[1].to_owned()),
            name_en: Set(c.name[2].to_owned()),
            region: Set(c.region.to_owned()),
            city: Set(c.city.to_owned()),
            address_kk: Set(c.address[0].to_owned()),
            address_ru: Set(c.address[1].to_owned()),
            address_en: Set(c.address[2].to_owned()),
            timezone: Set("Asia/Almaty".to_owned()),
            slot_minutes: Set(15),
            capacity_cap: Set(None),
            active: Set(true),
            ..Default::default()
        };
        let center_id = centers::Entity::insert(center)
            .exec(&txn)
            .await?
            .last_insert_id;
        // Weekly hours: Mon–Fri, plus Saturday morning for duty centers.
        let close = if c.duty { 20 * 60 } else { 18 * 60 };
        let mut hours: Vec<opening_hours::ActiveModel> = (0..5)
            .map(|wd| opening_hours::ActiveModel {
                center_id: Set(center_id),
                window_id: Set(None),
                weekday: Set(wd),
                open_min: Set(9 * 60),
                close_min: Set(close),
                ..Default::default()
            })
            .collect();
        if c.duty {
            hours.push(opening_hours::ActiveModel {
                center_id: Set(center_id),
                window_id: Set(None),
                weekday: Set(5),
                open_min: Set(9 * 60),
                close_min: Set(13 * 60),
                ..Default::default()
            });
        }
        opening_hours::Entity::insert_many(hours).exec(&txn).await?;

        let layout = if c.kind == "Psc" {
            PSC_WINDOWS
        } else {
            AUTO_WINDOWS
        };
        for (i, served) in layout.iter().enumerate() {
            let number = i32::try_from(i + 1).unwrap_or(i32::MAX);
            let window_id = windows::Entity::insert(windows::ActiveModel {
                center_id: Set(center_id),
                number: Set(number),
                active: Set(true),
                ..Default::default()
            })
            .exec(&txn)
            .await?
            .last_insert_id;
            window_services::Entity::insert_many(served.iter().map(|s| {
                window_services::ActiveModel {
                    window_id: Set(window_id),
                    service_code: Set((*s).to_owned()),
                }
            }))
            .exec(&txn)
            .await?;
            if demo && i < 2 {
                let username = format!("{}-op{}", c.slug, number);
                insert_staff(
                    &txn,
                    &username,
                    &staff_hash,
                    "operator",
                    Some(center_id),
                    Some(window_id),
                    &format!("Оператор, окно {number}"),
                    now_unix,
                )
                .await?;
                staff_usernames.push(username);
            }
        }
        if demo {
            let username = format!("{}-admin", c.slug);
            insert_staff(
                &txn,
                &username,
                &staff_hash,
                "center_admin",
                Some(center_id),
                None,
                "Администратор центра",
                now_unix,
            )
            .await?;
            staff_usernames.push(username);
        }
    }

    if !demo {
        txn.commit().await?;
        return Ok(Some(Seeded {
            centers: CENTERS.len(),
            services: rows.len(),
            staff_usernames,
        }));
    }
    vehicles::Entity::insert_many(DEMO_VEHICLES.iter().map(|(plate, vin, owner)| {
        vehicles::ActiveModel {
            vin: Set((*vin).to_owned()),
            plate: Set((*plate).to_owned()),
            owner_iin: Set((*owner).to_owned()),
            updated_at: Set(now_unix),
        }
    }))
    .exec(&txn)
    .await?;
    citizen_phones::Entity::insert_many(DEMO_CITIZENS.iter().map(|(iin, phone)| {
        citizen_phones::ActiveModel {
            iin: Set((*iin).to_owned()),
            phone: Set((*phone).to_owned()),
            source: Set("import".to_owned()),
            created_at: Set(now_unix),
        }
    }))
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(Some(Seeded {
        centers: CENTERS.len(),
        services: rows.len(),
        staff_usernames,
    }))
}

#[allow(clippy::too_many_arguments)]
async fn insert_staff(
    db: &impl ConnectionTrait,
    username: &str,
    hash: &str,
    role: &str,
    center_id: Option<i64>,
    window_id: Option<i64>,
    display_name: &str,
    now_unix: i64,
) -> Result<(), ServiceError> {
    staff::Entity::insert(staff::ActiveModel {
        username: Set(username.to_owned()),
        password_hash: Set(hash.to_owned()),
        role: Set(role.to_owned()),
        center_id: Set(center_id),
        window_id: Set(window_id),
        display_name: Set(display_name.to_owned()),
        active: Set(true),
        created_at: Set(now_unix),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Creates the administrator account if missing. Returns the generated
/// password when none was given (to be printed once).
pub async fn ensure_admin(
    db: &DatabaseConnection,
    password: Option<&str>,
    now_unix: i64,
) -> Result<Option<String>, ServiceError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let exists = staff::Entity::find()
        .filter(staff::Column::Username.eq("admin"))
        .count(db)
        .await?
        > 0;
    if exists {
        return Ok(None);
    }
    let (pw, generated) = match password {
        Some(p) if !p.is_empty() => {
            // The same rule as every staff password (review L13).
            if p.chars().count() < 10 || p.len() > 200 {
                return Err(ServiceError::Internal(
                    "the administrator password must have 10 to 200 characters".into(),
                ));
            }
            (p.to_owned(), false)
        }
        _ => (random_password(), true),
    };
    let pw2 = pw.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(&pw2))
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))??;
    insert_staff(
        db,
        "admin",
        &hash,
        "administrator",
        None,
        None,
        "Администратор",
        now_unix,
    )
    .await?;
    Ok(generated.then_some(pw))
}

fn random_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// Cities for generated load-test centers (region, city).
const LOAD_CITIES: &[&str] = &[
    "Astana",
    "Almaty",
    "Shymkent",
    "Karaganda",
    "Aktobe",
    "Taraz",
    "Pavlodar",
    "Oskemen",
    "Semey",
    "Atyrau",
    "Kostanay",
    "Kyzylorda",
    "Oral",
    "Petropavl",
    "Aktau",
    "Turkistan",
    "Taldykorgan",
    "Kokshetau",
    "Zhezkazgan",
    "Konaev",
];

/// Adds `count` generated centers (two PSCs to one autoPSC, windows and
/// hours as in the demo) for load tests; needs the demo catalog first.
/// Returns the number of centers in the database afterwards.
pub async fn seed_load(db: &DatabaseConnection, count: u32) -> Result<u64, ServiceError> {
    let txn = db.begin().await?;
    let start = centers::Entity::find().count(&txn).await?;
    for i in 0..count {
        let n = start + u64::from(i) + 1;
        let city = LOAD_CITIES[(n as usize) % LOAD_CITIES.len()];
        let auto = n % 3 == 0;
        let kind = if auto { "AutoPsc" } else { "Psc" };
        let label = if auto { "autoPSC" } else { "PSC" };
        let center_id = centers::Entity::insert(centers::ActiveModel {
            slug: Set(format!("load-{n}")),
            kind: Set(kind.to_owned()),
            name_kk: Set(format!(
                "{city} №{n} {}",
                if auto { "автоХҚО" } else { "ХҚО" }
            )),
            name_ru: Set(format!(
                "{} №{n}, {city}",
                if auto { "спецЦОН" } else { "ЦОН" }
            )),
            name_en: Set(format!("{label} no. {n}, {city}")),
            region: Set(city.to_owned()),
            city: Set(city.to_owned()),
            address_kk: Set(format!("{city}, {n} үй")),
            address_ru: Set(format!("{city}, д. {n}")),
            address_en: Set(format!("{city}, building {n}")),
            timezone: Set("Asia/Almaty".to_owned()),
            slot_minutes: Set(15),
            capacity_cap: Set(None),
            active: Set(true),
            ..Default::default()
        })
        .exec(&txn)
        .await?
        .last_insert_id;
        opening_hours::Entity::insert_many((0..5).map(|wd| opening_hours::ActiveModel {
            center_id: Set(center_id),
            window_id: Set(None),
            weekday: Set(wd),
            open_min: Set(9 * 60),
            close_min: Set(18 * 60),
            ..Default::default()
        }))
        .exec(&txn)
        .await?;
        let layout = if auto { AUTO_WINDOWS } else { PSC_WINDOWS };
        for (w, served) in layout.iter().enumerate() {
            let window_id = windows::Entity::insert(windows::ActiveModel {
                center_id: Set(center_id),
                number: Set(i32::try_from(w + 1).unwrap_or(i32::MAX)),
                active: Set(true),
                ..Default::default()
            })
            .exec(&txn)
            .await?
            .last_insert_id;
            window_services::Entity::insert_many(served.iter().map(|s| {
                window_services::ActiveModel {
                    window_id: Set(window_id),
                    service_code: Set((*s).to_owned()),
                }
            }))
            .exec(&txn)
            .await?;
        }
    }
    let total = centers::Entity::find().count(&txn).await?;
    txn.commit().await?;
    Ok(total)
}

/// How many centers the database holds (the load seed tops them up).
pub async fn count_centers(db: &DatabaseConnection) -> Result<u64, sea_orm::DbErr> {
    crate::entity::centers::Entity::find().count(db).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_parses_and_has_an_online_service() {
        let rows = catalog().unwrap_or_default();
        assert!(rows.len() >= 20, "catalog has {} rows", rows.len());
        assert!(rows.iter().any(|r| r.online_available));
        assert!(rows.iter().any(|r| r.requires_vehicle));
        assert!(rows.iter().filter(|r| r.group == "Documentation").count() >= 3);
    }

    #[test]
    fn every_window_service_is_in_the_catalog() {
        let rows = catalog().unwrap_or_default();
        for w in PSC_WINDOWS.iter().chain(AUTO_WINDOWS) {
            for s in *w {
                assert!(rows.iter().any(|r| r.code == *s), "{s} not in catalog");
            }
        }
    }
}
