//! R9: capacity per slot never exceeds the working windows, and an
//! administrator may cap it lower per center (e.g. during an epidemic).
//!
//! `crate::capacity` applies this while building the grid; this
//! function is the same decision for a server that counts the held pairs
//! of one slot inside its transaction.

use crate::refusal::Refusal;

/// `slot_full` when `held` bookings already use the slot and the limit —
/// `working_windows`, or the admin `cap` if lower — is reached.
pub fn check(held: u32, working_windows: u32, cap: Option<u32>) -> Result<(), Refusal> {
    let limit = cap.map_or(working_windows, |c| c.min(working_windows));
    if held < limit {
        Ok(())
    } else {
        Err(Refusal::SlotFull)
    }
}
