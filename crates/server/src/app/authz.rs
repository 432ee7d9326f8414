//! The one way the application layer checks a permission (the rule itself is
//! `core::Role::allows`): a refusal is the catalogue's `role_forbidden`.

use crate::error::AppError;
use pinreset_core::{Actor, ErrorCode, Permission};

pub fn require(actor: &Actor, permission: Permission) -> Result<(), AppError> {
    if actor.role.allows(permission) {
        Ok(())
    } else {
        Err(AppError::code(ErrorCode::RoleForbidden))
    }
}
