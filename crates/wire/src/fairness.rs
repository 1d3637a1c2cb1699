//! The public fairness figures (issue 15): per region and center over the
//! last 30 days — time to appointment, how slots were given (draw, waiting
//! list, first come), the waiting list's speed, no-shows — and the draws'
//! records. No personal data. Served at `/fairness` (page and CSV) and
//! `GET /api/v1/fairness` (JSON); the staff report carries its center's row.
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use crate::api::schema;

/// The figures over `[from, to]` (center-local dates).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fairness {
    /// `YYYY-MM-DD`, first day counted.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub from: String,
    /// `YYYY-MM-DD`, last day counted.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub to: String,
    /// When these figures were computed (they are cached for a few minutes).
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::date_time))]
    pub computed_at: String,
    /// The booking horizon in days: "nothing free" means nothing within it.
    pub horizon_days: u32,
    /// One row per region (`center_id` absent), by name.
    pub regions: Vec<FairnessRow>,
    /// One row per active center, by region, city and name.
    pub centers: Vec<FairnessRow>,
    /// Draws run in the period, newest first.
    pub draws: Vec<DrawRecord>,
}

/// One region's or center's figures.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FairnessRow {
    /// The region as stored (Latin spelling, stable across languages).
    pub region: String,
    /// The center's city in the requested language; empty on a region's
    /// row.
    pub city: String,
    /// Absent on a region's row.
    pub center_id: Option<String>,
    /// The center's name (or the region's) in the requested language.
    pub name: String,
    /// Looks at the calendar that showed where the first free start was.
    pub looks: u64,
    /// Of them, looks that found nothing free within the horizon.
    pub looks_none_free: u64,
    /// Median days from a look to the first free start offered; absent
    /// without looks or when more than half found nothing free.
    pub days_median: Option<u32>,
    /// 90th percentile of the same; absent as above for 10 %.
    pub days_p90: Option<u32>,
    /// Bookings made in the period (walk-ins apart; later cancellations
    /// included: how slots were given out).
    pub booked: u32,
    /// Of them, given by a draw.
    pub via_draw: u32,
    /// Of them, given (or moved) by the waiting list.
    pub via_waitlist: u32,
    /// Of them, booked first come.
    pub first_come: u32,
    /// Waiting-list entries served in the period.
    pub waitlist_served: u32,
    /// Median minutes from joining to being served.
    pub waitlist_median_min: Option<i64>,
    /// Booked visits whose day has passed (the no-show base).
    pub past_visits: u32,
    pub no_shows: u32,
    /// Draws run in the period covering the center (region: its centers).
    pub draws: u32,
}

impl FairnessRow {
    /// No-shows per past visit, in percent (one decimal).
    pub fn no_show_pct(&self) -> Option<f64> {
        (self.past_visits > 0).then(|| {
            (f64::from(self.no_shows) * 1000.0 / f64::from(self.past_visits)).round() / 10.0
        })
    }

    /// Share of booked visits given by draws, in percent (one decimal).
    pub fn draw_pct(&self) -> Option<f64> {
        pct(self.via_draw, self.booked)
    }

    /// Share of booked visits given by the waiting list, in percent.
    pub fn waitlist_pct(&self) -> Option<f64> {
        pct(self.via_waitlist, self.booked)
    }

    /// Share of booked visits booked first come, in percent.
    pub fn first_come_pct(&self) -> Option<f64> {
        pct(self.first_come, self.booked)
    }
}

fn pct(n: u32, of: u32) -> Option<f64> {
    (of > 0).then(|| (f64::from(n) * 1000.0 / f64::from(of)).round() / 10.0)
}

/// A draw run in the period, for the list under the figures.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawRecord {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::date_time))]
    pub ran_at: String,
    /// The centers' names.
    pub centers: Vec<String>,
    /// `YYYY-MM-DD`.
    pub dates: Vec<String>,
    pub requests: u32,
    pub matched: u32,
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// A CSV field: quoted when it holds a comma, quote or line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

impl Fairness {
    /// The figures as CSV (RFC 4180): one line per region (`scope` =
    /// `region`) then per center.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "scope,region,city,center_id,name,from,to,looks,looks_none_free,days_median,\
             days_p90,booked,via_draw,via_waitlist,first_come,waitlist_served,\
             waitlist_median_min,past_visits,no_shows,no_show_pct,draws\r\n",
        );
        let scoped = self
            .regions
            .iter()
            .map(|r| ("region", r))
            .chain(self.centers.iter().map(|r| ("center", r)));
        for (scope, r) in scoped {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
                scope,
                field(&r.region),
                field(&r.city),
                opt(r.center_id.as_ref()),
                field(&r.name),
                self.from,
                self.to,
                r.looks,
                r.looks_none_free,
                opt(r.days_median),
                opt(r.days_p90),
                r.booked,
                r.via_draw,
                r.via_waitlist,
                r.first_come,
                r.waitlist_served,
                opt(r.waitlist_median_min),
                r.past_visits,
                r.no_shows,
                opt(r.no_show_pct()),
                r.draws,
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_a_header_a_line_per_row_and_quotes_commas() {
        let f = Fairness {
            from: "2026-11-02".into(),
            to: "2026-12-01".into(),
            regions: vec![FairnessRow {
                region: "Astana".into(),
                name: "Astana".into(),
                booked: 4,
                via_draw: 1,
                first_come: 3,
                past_visits: 4,
                no_shows: 1,
                ..FairnessRow::default()
            }],
            centers: vec![FairnessRow {
                region: "Astana".into(),
                city: "Astana".into(),
                center_id: Some("7".into()),
                name: "PSC \"Esil\", No. 1".into(),
                days_median: Some(2),
                ..FairnessRow::default()
            }],
            ..Fairness::default()
        };
        let csv = f.to_csv();
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("scope,region,city,center_id,name,"));
        assert!(
            lines[1].starts_with("region,Astana,,,Astana,2026-11-02,2026-12-01,0,0,,,4,1,0,3,")
        );
        assert!(lines[1].ends_with(",4,1,25,0"));
        assert!(lines[2].contains(",7,\"PSC \"\"Esil\"\", No. 1\","));
        assert_eq!(f.regions[0].draw_pct(), Some(25.0));
        assert_eq!(f.centers[0].no_show_pct(), None);
    }
}
