//! The public JSON API as the load generator uses it: sign-in through the
//! dev outbox, availability, booking, rescheduling.
use std::time::Duration;

use anyhow::{Context, anyhow};
use serde::Deserialize;
use serde_json::{Value, json};

/// One signed-in citizen.
#[derive(Clone, Debug)]
pub struct Citizen {
    pub iin: String,
    pub token: String,
}

/// A free start from `/availability`.
#[derive(Clone, Debug, Deserialize)]
pub struct FreeSlot {
    pub start: String,
    pub free: u32,
}

/// An HTTP answer boiled down: status, error code, body.
pub struct Answer {
    pub status: u16,
    pub body: Value,
    /// `Retry-After` in seconds, when the answer had one.
    pub retry_after: Option<u64>,
}

impl Answer {
    /// `201`, `409 slot_full`, `timeout`, `connect`, …
    pub fn outcome(&self) -> String {
        if self.status == 0 {
            return self.body["error"].as_str().unwrap_or("io").to_owned();
        }
        match self.body.get("error").and_then(Value::as_str) {
            Some(code) if self.status >= 400 => format!("{} {code}", self.status),
            _ => self.status.to_string(),
        }
    }
}

#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
}

/// A valid IIN for bench citizen `n` (check digit computed; unique per n).
pub fn iin_for(n: u64) -> String {
    let mut k = n * 4;
    loop {
        let base = format!("85{:09}", k % 1_000_000_000);
        let d: Vec<u32> = base.bytes().map(|b| u32::from(b - b'0')).collect();
        let s1: u32 = d.iter().zip(1u32..).map(|(x, w)| x * w).sum::<u32>() % 11;
        let check = if s1 == 10 {
            let w = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
            let s2 = d.iter().zip(w).map(|(x, w)| x * w).sum::<u32>() % 11;
            (s2 != 10).then_some(s2)
        } else {
            Some(s1)
        };
        if let Some(c) = check {
            return format!("{base}{c}");
        }
        k += 1;
    }
}

/// A Kazakh mobile number for bench citizen `n`.
pub fn phone_for(n: u64) -> String {
    format!("+7702{:07}", n % 10_000_000)
}

impl Api {
    pub fn new(base: &str) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(1024)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            base: base.to_owned(),
            http,
        })
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Answer {
        match req.header("accept-language", "en").send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                let retry_after = r
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse().ok());
                let body = r.json::<Value>().await.unwrap_or(Value::Null);
                Answer {
                    status,
                    body,
                    retry_after,
                }
            }
            Err(e) => Answer {
                status: 0,
                body: json!({"error": if e.is_timeout() { "timeout" } else if e.is_connect() { "connect" } else { "io" }}),
                retry_after: None,
            },
        }
    }

    /// OTP → dev outbox → verify. Citizen `n` gets IIN [`iin_for`] and
    /// phone [`phone_for`].
    pub async fn sign_in(&self, n: u64) -> anyhow::Result<Citizen> {
        let (iin, phone) = (iin_for(n), phone_for(n));
        let a = self
            .send(
                self.http
                    .post(format!("{}/api/v1/auth/otp", self.base))
                    .json(&json!({"iin": iin, "phone": phone})),
            )
            .await;
        if a.status != 202 {
            return Err(anyhow!("otp: {} {}", a.status, a.body));
        }
        let challenge = a.body["challenge_id"]
            .as_str()
            .ok_or_else(|| anyhow!("otp: no challenge_id"))?
            .to_owned();
        let out = self
            .send(
                self.http
                    .get(format!("{}/api/v1/dev/outbox", self.base))
                    .query(&[("to", phone.as_str())]),
            )
            .await;
        let text = out.body[0]["body"]
            .as_str()
            .ok_or_else(|| anyhow!("dev outbox: no message ({})", out.status))?;
        let code = text
            .split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .ok_or_else(|| anyhow!("dev outbox: no code"))?
            .to_owned();
        let v = self
            .send(
                self.http
                    .post(format!("{}/api/v1/auth/verify", self.base))
                    .json(&json!({"challenge_id": challenge, "code": code})),
            )
            .await;
        let token = v.body["token"]
            .as_str()
            .ok_or_else(|| anyhow!("verify: {} {}", v.status, v.body))?
            .to_owned();
        Ok(Citizen { iin, token })
    }

    pub async fn availability(&self, center: i64, service: &str, from: &str, to: &str) -> Answer {
        self.send(
            self.http
                .get(format!("{}/api/v1/availability", self.base))
                .query(&[
                    ("center_id", center.to_string().as_str()),
                    ("service", service),
                    ("from", from),
                    ("to", to),
                ]),
        )
        .await
    }

    /// The free starts, or an error for a non-200.
    pub async fn free_slots(
        &self,
        center: i64,
        service: &str,
        from: &str,
        to: &str,
    ) -> anyhow::Result<Vec<FreeSlot>> {
        let a = self.availability(center, service, from, to).await;
        if a.status != 200 {
            return Err(anyhow!("availability {center}: {} {}", a.status, a.body));
        }
        serde_json::from_value(a.body).context("availability body")
    }

    pub async fn book(&self, c: &Citizen, center: i64, service: &str, start: &str) -> Answer {
        self.send(
            self.http
                .post(format!("{}/api/v1/bookings", self.base))
                .bearer_auth(&c.token)
                .json(
                    &json!({"center_id": center.to_string(), "service": service, "start": start}),
                ),
        )
        .await
    }

    /// A booking with an `Idempotency-Key`: sent again with the same key
    /// it books at most once.
    pub async fn book_keyed(
        &self,
        c: &Citizen,
        center: i64,
        service: &str,
        start: &str,
        key: &str,
    ) -> Answer {
        self.send(
            self.http
                .post(format!("{}/api/v1/bookings", self.base))
                .bearer_auth(&c.token)
                .header("idempotency-key", key)
                .json(
                    &json!({"center_id": center.to_string(), "service": service, "start": start}),
                ),
        )
        .await
    }

    pub async fn reschedule(&self, c: &Citizen, id: &str, start: &str) -> Answer {
        self.send(
            self.http
                .post(format!("{}/api/v1/bookings/{id}/reschedule", self.base))
                .bearer_auth(&c.token)
                .json(&json!({"start": start})),
        )
        .await
    }

    /// `(center id, kind)` of every center.
    pub async fn centers(&self) -> anyhow::Result<Vec<(i64, String)>> {
        let a = self
            .send(self.http.get(format!("{}/api/v1/centers", self.base)))
            .await;
        let list = a
            .body
            .as_array()
            .ok_or_else(|| anyhow!("centers: {} {}", a.status, a.body))?;
        Ok(list
            .iter()
            .filter_map(|c| {
                Some((
                    c["id"].as_str()?.parse().ok()?,
                    c["kind"].as_str()?.to_owned(),
                ))
            })
            .collect())
    }
}
