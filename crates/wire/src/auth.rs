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
