//! Each tenant's mail settings as read a moment ago. Every finished reset, lock or wipe asks
//! whether its tenant sends e-mail; a bulk lock of ten thousand devices would otherwise read the
//! tenant ten thousand times to learn the same answer. Settings saved through this instance are
//! seen at once (`forget`); saved through another instance, within `FRESH_FOR`. Only mail reads
//! it: a setting that decides what someone may do is always read from the store.

use pinreset_core::{MailSettings, TenantId};
use pinreset_store::{Store, StoreResult};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long another instance's change may go unseen.
const FRESH_FOR: Duration = Duration::from_secs(1);
/// Tenants remembered at most; past that the cache starts again (tenants are few).
const MAX_TENANTS: usize = 10_000;

#[derive(Default)]
pub struct MailSettingsCache(Mutex<HashMap<TenantId, (Option<MailSettings>, Instant)>>);

impl MailSettingsCache {
    /// The tenant's mail settings (None: it sends no mail, or it is gone).
    pub async fn get(&self, store: &dyn Store, tenant: TenantId) -> StoreResult<Option<MailSettings>> {
        if let Some((settings, read_at)) = self.0.lock().expect("mail settings cache").get(&tenant) {
            if read_at.elapsed() < FRESH_FOR {
                return Ok(settings.clone());
            }
        }
        let read_at = Instant::now();
        let settings = store.tenant(tenant).await?.and_then(|t| t.mail);
        let mut cache = self.0.lock().expect("mail settings cache");
        if cache.len() >= MAX_TENANTS {
            cache.clear();
        }
        cache.insert(tenant, (settings.clone(), read_at));
        Ok(settings)
    }

    /// The tenant's settings changed here: the next `get` reads them again.
    pub fn forget(&self, tenant: TenantId) {
        self.0.lock().expect("mail settings cache").remove(&tenant);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pinreset_core::{AuditKind, NewAuditEvent, Tenant, TenantSettings};

    /// An admin sets up mail just after an action finished (when "no mail" was read): the next
    /// finished action is mailed, not skipped for the moment the old answer stays fresh.
    #[tokio::test]
    async fn settings_saved_here_are_seen_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("pinreset.db").display());
        let store = pinreset_store::connect(&url, pinreset_store::MasterKey::generate()).await.unwrap();
        let tenant = Tenant {
            id: TenantId::new(),
            directory_id: uuid::Uuid::new_v4(),
            display_name: "Contoso".into(),
            settings: TenantSettings::default(),
            sso: None,
            mail: None,
            android_enterprise: None,
        };
        store.create_tenant(&tenant).await.unwrap();
        let cache = MailSettingsCache::default();
        assert_eq!(cache.get(store.as_ref(), tenant.id).await.unwrap(), None);

        let settings = MailSettings::new("127.0.0.1", 25, "none", "pinreset@contoso.example", None, "en").unwrap();
        let event = NewAuditEvent {
            at: chrono::Utc::now(),
            tenant_id: tenant.id,
            actor: "user:admin".into(),
            kind: AuditKind::SettingsChanged,
            device_id: None,
            action_id: None,
            action: None,
            outcome: "mail_configured".into(),
            request_id: None,
            origin: None,
        };
        store.update_tenant_mail(tenant.id, Some((&settings, None)), &event).await.unwrap();
        cache.forget(tenant.id);
        assert_eq!(cache.get(store.as_ref(), tenant.id).await.unwrap(), Some(settings));
    }
}
