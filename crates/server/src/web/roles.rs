//! What each role may do, as the users pages show it: read from core's `Role::allows` and
//! `Role::may_request` (the same answers every view enforces), so the text cannot drift from
//! the rules. Each permission and action has a translated label; the page lists the ones a
//! role holds.

use super::i18n::{self, Lang};
use super::labels;
use pinreset_core::{ActionKind, Permission, Role};
use serde::Serialize;

/// One role with its translated name and what it may do.
#[derive(Serialize, Clone)]
pub struct RoleInfo {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
    /// Translated permission labels, then the device actions it may request.
    pub may: Vec<String>,
    /// Device actions it may request, translated (empty: none).
    pub actions: Vec<String>,
}

/// The message key of a permission's label.
pub fn permission_key(p: Permission) -> String {
    format!("perm-{}", p.as_str())
}

/// Every key this file can produce (for the key test).
pub fn all_keys() -> Vec<String> {
    let mut keys: Vec<String> = Permission::ALL.iter().copied().map(permission_key).collect();
    keys.extend(["roles-own-devices-only", "roles-show-passcodes"].map(String::from));
    keys
}

fn describe(role: Role, lang: Lang, selected: bool) -> RoleInfo {
    let t = |k: &str| i18n::text(lang, k, &[]);
    let mut may: Vec<String> = Permission::ALL.iter().copied().filter(|p| role.allows(*p)).map(|p| t(&permission_key(p))).collect();
    if !role.sees_whole_tenant() {
        may.push(t("roles-own-devices-only"));
    }
    if role.may_read_passcode() {
        may.push(t("roles-show-passcodes"));
    }
    let actions = ActionKind::ALL.into_iter().filter(|k| role.may_request(*k)).map(|k| t(&labels::action_kind(k))).collect();
    RoleInfo { value: role.as_str(), label: t(&labels::role(role)), selected, may, actions }
}

/// Every role, with `selected` marking `current`.
pub fn all(lang: Lang, current: Option<Role>) -> Vec<RoleInfo> {
    Role::ALL.iter().map(|r| describe(*r, lang, Some(*r) == current)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_desk_is_described_as_the_rules_say() {
        let hd = describe(Role::HelpDesk, Lang::En, false);
        let actions = hd.actions.join(", ");
        assert_eq!(actions, "Reset passcode, Remote lock, Rename", "no wipe, no remove");
        assert!(!hd.may.iter().any(|m| m == &i18n::text(Lang::En, "perm-manage_users", &[])));
        let ro = describe(Role::ReadOnly, Lang::En, false);
        assert!(ro.actions.is_empty());
        assert!(!ro.may.contains(&i18n::text(Lang::En, "roles-show-passcodes", &[])));
    }
}
