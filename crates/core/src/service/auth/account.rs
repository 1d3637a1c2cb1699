//! The citizen's own account: where their notices go.
use sea_orm::EntityTrait;

use crate::entity::citizens;
use crate::error::ServiceError;
use crate::state::Core;

/// The phone the citizen's notices go to, masked for display
/// (`+7 701 *** ** 67`), or `None` when none is on file.
pub async fn notice_phone(core: &Core, citizen_id: i64) -> Result<Option<String>, ServiceError> {
    let row = citizens::Entity::find_by_id(citizen_id)
        .one(&core.db)
        .await?;
    Ok(row.and_then(|c| c.phone).map(|p| mask_for_display(&p)))
}

/// `+77011234567` → `+7 701 *** ** 67`; anything else keeps only its last
/// two characters.
pub fn mask_for_display(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().collect();
    match digits.as_slice() {
        ['+', '7', a, b, c, .., y, z] if digits.len() == 12 => {
            format!("+7 {a}{b}{c} *** ** {y}{z}")
        }
        [.., y, z] => format!("*** {y}{z}"),
        _ => "***".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::mask_for_display;

    #[test]
    fn masks_all_but_operator_and_last_two() {
        assert_eq!(mask_for_display("+77011234567"), "+7 701 *** ** 67");
        assert_eq!(mask_for_display("12345"), "*** 45");
        assert_eq!(mask_for_display("1"), "***");
    }
}
