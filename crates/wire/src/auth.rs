//! Citizen sign-in: what the sign-in server functions answer.
use serde::{Deserialize, Serialize};

/// Answer to "send me a code".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    pub challenge_id: String,
    /// Shown on the page only when the server runs in dev mode.
    pub dev_code: Option<String>,
}

/// The signed-in citizen, as the page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    /// The IIN with all but the last four digits masked.
    pub iin_masked: String,
}

/// The cabinet's account box: who is signed in and where notices go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The IIN with all but the last four digits masked.
    pub iin_masked: String,
    /// The phone notices go to, masked (`+7 701 *** ** 67`); `None` when
    /// none is on file.
    pub notice_phone: Option<String>,
    /// Notices go to WhatsApp on that phone instead of SMS.
    pub whatsapp: bool,
    /// A Telegram chat is linked.
    pub telegram: bool,
    /// This deployment can send WhatsApp.
    pub whatsapp_offered: bool,
}

/// One of the citizen's sessions in the cabinet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    /// A short public handle (not a token).
    pub handle: String,
    /// When it was opened, RFC 3339 in Kazakhstan time.
    pub since: String,
    /// Browser and system ("Chrome · Android"), when known.
    pub device: Option<String>,
    /// The client address it was opened from (IPv6 as its /64).
    pub address: Option<String>,
    /// The session of this very browser.
    pub current: bool,
}
