//! Who the signed-in staff member is (for the staff bar).
use super::require_staff;

/// The signed-in staff member as the staff pages show them.
pub async fn me(
    core: &crate::Core,
    p: &crate::service::auth::session::Principal,
    lang: kezek_i18n::Lang,
) -> Result<kezek_wire::staff::StaffInfo, crate::error::ServiceError> {
    use crate::entity::{centers, staff, windows};
    use crate::error::ServiceError;
    use sea_orm::EntityTrait;
    let actor = require_staff(p)?;
    let row = staff::Entity::find_by_id(actor.id)
        .one(&core.db)
        .await?
        .ok_or(ServiceError::Unauthorized)?;
    let center_name = match actor.center_id {
        Some(c) => centers::Entity::find_by_id(c.get())
            .one(&core.db)
            .await?
            .map(|c| lang.choose(c.name_kk, c.name_ru, c.name_en)),
        None => None,
    };
    let window_number = match actor.window_id {
        Some(w) => windows::Entity::find_by_id(w.get())
            .one(&core.db)
            .await?
            .map(|w| w.number),
        None => None,
    };
    Ok(kezek_wire::staff::StaffInfo {
        id: actor.id.to_string(),
        username: row.username,
        display_name: row.display_name,
        role: actor.role.as_str().to_owned(),
        center_id: actor.center_id.map(|c| c.to_string()),
        center_name,
        window_id: actor.window_id.map(|w| w.to_string()),
        window_number,
    })
}
