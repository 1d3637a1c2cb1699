//! The citizen's own account: where their notices go.
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use crate::entity::citizens;
use crate::error::ServiceError;
use crate::state::Core;
use kezek_domain::ids::CitizenId;
use kezek_wire::ErrorCode;
use kezek_wire::api::NoticeChannels;

/// Where the citizen's notices go (the phone masked).
pub async fn channels(core: &Core, citizen: CitizenId) -> Result<NoticeChannels, ServiceError> {
    let c = citizens::Entity::find_by_id(citizen.get())
        .one(&core.db)
        .await?
        .ok_or(ServiceError::Unauthorized)?;
    Ok(NoticeChannels {
        notice_phone: c.phone.as_deref().map(mask_for_display),
        whatsapp: c.whatsapp_since.is_some() && c.phone.is_some(),
        telegram: c.telegram_chat_id.is_some(),
        whatsapp_offered: whatsapp_offered(core),
    })
}

/// Whether this deployment sends WhatsApp (a Cloud API account is
/// configured, or dev mode, whose dev gateway accepts everything).
pub fn whatsapp_offered(core: &Core) -> bool {
    core.config.whatsapp.is_some() || core.config.dev_mode
}

/// Turns WhatsApp notices on (from now; to the phone on file) or off. On
/// needs a phone on file (`invalid_phone` otherwise) and a deployment that
/// sends WhatsApp (`not_found` otherwise). Turning on what is on keeps the
/// first consent time.
pub async fn set_whatsapp(
    core: &Core,
    citizen: CitizenId,
    enabled: bool,
) -> Result<NoticeChannels, ServiceError> {
    let citizen_id = citizen.get();
    if enabled && !whatsapp_offered(core) {
        return Err(ServiceError::NotFound);
    }
    let now = core.now().timestamp();
    crate::service::booking::txn::write_txn(core, |txn| {
        Box::pin(async move {
            let c = citizens::Entity::find_by_id(citizen_id)
                .one(txn)
                .await?
                .ok_or(ServiceError::Unauthorized)?;
            if enabled && c.phone.is_none() {
                return Err(ServiceError::Invalid(ErrorCode::InvalidPhone));
            }
            let mut q = citizens::Entity::update_many().filter(citizens::Column::Id.eq(citizen_id));
            q = if enabled {
                q.col_expr(citizens::Column::WhatsappSince, Expr::value(now))
                    .filter(citizens::Column::WhatsappSince.is_null())
            } else {
                q.col_expr(
                    citizens::Column::WhatsappSince,
                    Expr::value(Option::<i64>::None),
                )
            };
            q.exec(txn).await?;
            Ok(())
        })
    })
    .await?;
    tracing::info!(citizen = citizen_id, enabled, "whatsapp notices chosen");
    channels(core, citizen).await
}

/// The phone the citizen's notices go to, masked for display
/// (`+7 701 *** ** 67`), or `None` when none is on file.
pub async fn notice_phone(core: &Core, citizen: CitizenId) -> Result<Option<String>, ServiceError> {
    let row = citizens::Entity::find_by_id(citizen.get())
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
